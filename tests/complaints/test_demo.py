"""The complaints demo: a few hundred complaints over the demo year in every state of the
machine, with clusters and overdue ones; the same on every load and idempotent."""

from __future__ import annotations

import time

from sqlalchemy import func, select

from ecogov.complaints import demo
from ecogov.complaints.models import Complaint, ComplaintEvent
from ecogov.complaints.workflow import COMPLAINT
from ecogov.platform.alerts import Alert
from ecogov.platform.db import Database
from ecogov.platform.scope import SYSTEM
from ecogov.sources import demo as sources_demo


def _snapshot(db: Database) -> list[tuple[object, ...]]:
    with db.transaction(SYSTEM) as session:
        rows = session.execute(
            select(
                Complaint.no, Complaint.category, Complaint.state, Complaint.due_on,
                Complaint.cluster_id, Complaint.verified, Complaint.enterprise_id,
                Complaint.address, Complaint.lon, Complaint.lat,
            ).order_by(Complaint.id)
        )  # fmt: skip
        return [tuple(row) for row in rows]


def test_demo_year_loads_in_every_state_with_clusters_and_overdue(db: Database) -> None:
    sources_demo.load(db)
    started = time.monotonic()
    lines = demo.load(db)
    print(f"complaints demo load: {time.monotonic() - started:.1f} s — {lines}")
    with db.transaction(SYSTEM) as session:
        states = dict(
            session.execute(select(Complaint.state, func.count()).group_by(Complaint.state)).all()
        )
        clusters = session.scalar(
            select(func.count(func.distinct(Complaint.cluster_id))).where(
                Complaint.cluster_id.is_not(None)
            )
        )
        events = session.scalar(select(func.count()).select_from(ComplaintEvent))
        concerned = session.scalar(select(func.count()).where(Complaint.enterprise_id.is_not(None)))
        kinds = set(session.scalars(select(Alert.kind).where(Alert.kind.like("complaints.%"))))
    assert sum(states.values()) == demo.COUNT
    assert set(states) == set(COMPLAINT.states)
    assert (clusters or 0) >= 3
    assert (events or 0) > 2 * demo.COUNT
    assert (concerned or 0) >= 10  # they feed the enterprises' credit and risk
    assert {"complaints.overdue", "complaints.repeat"} <= kinds

    first = _snapshot(db)
    with db.transaction(SYSTEM) as session:
        alert_count = session.scalar(select(func.count()).select_from(Alert))
    assert demo.load(db) == []  # a second load adds and moves nothing
    assert _snapshot(db) == first
    with db.transaction(SYSTEM) as session:
        assert session.scalar(select(func.count()).select_from(Alert)) == alert_count
