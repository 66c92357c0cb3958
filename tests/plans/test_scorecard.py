"""Unit scorecard numbers on a constructed ledger."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from ecogov.plans import service
from ecogov.plans.models import RectificationItem
from ecogov.plans.models import Task as TaskRow
from ecogov.plans.scorecard import scorecard
from ecogov.platform.db import Database
from ecogov.platform.errors import PermissionDenied
from ecogov.platform.scope import SYSTEM
from tests.plans.support import CITY, ENTERPRISE, small_plan, task_ids

TODAY = date(2026, 7, 1)


def _set(db: Database, task_id: int, status: str, closed_at: datetime | None = None) -> None:
    """Put a task straight into a state (the ledger under test, not the workflow)."""
    with db.transaction(SYSTEM) as session:
        task = session.get(TaskRow, task_id)
        assert task is not None
        task.status, task.closed_at = status, closed_at


def test_rates_and_counts_per_unit(db: Database) -> None:
    plan = small_plan(
        db,
        "330100",
        [
            ("1", "2026-03-31", ("市环保局",)),  # closed on time
            ("2", "2026-03-31", ("市环保局",)),  # closed late
            ("3", "2026-05-31", ("市环保局",)),  # overdue
            ("4", "2026-05-31", ("市环保局",)),  # waiting for the city's check: not overdue
            ("5", "2026-12-31", ("市环保局",)),  # closed early
            ("6", "2026-12-31", ("市环保局",)),  # open, not due yet
            ("7", "2025-12-31", ("市环保局",)),  # another year
            ("8", "2026-06-30", ("市治水办",)),  # overdue, other unit
        ],
    )
    ids = task_ids(db, plan)
    # 2026-03-31 16:30 UTC is already April 1st in Beijing: late
    _set(db, ids["1"], "closed", datetime(2026, 3, 31, 9, tzinfo=UTC))
    _set(db, ids["2"], "closed", datetime(2026, 3, 31, 16, 30, tzinfo=UTC))
    _set(db, ids["3"], "overdue")
    _set(db, ids["4"], "closure_requested")
    _set(db, ids["5"], "closed", datetime(2026, 6, 1, tzinfo=UTC))
    service.create_item(
        db,
        CITY,
        region_code="330106",
        problem="某河段黑臭",
        origin="inspection",
        target="消除黑臭",
        measures="清淤",
        deadline=date(2026, 6, 15),
        unit_name="市环保局",  # the same name, but a unit of the county
    )

    scores = {(s.region_code, s.unit): s for s in scorecard(db, CITY, "330100", 2026, TODAY)}
    env = scores[("330100", "市环保局")]
    assert (env.total, env.decided, env.closed, env.on_time, env.overdue) == (6, 5, 3, 2, 1)
    assert env.on_time_rate == pytest.approx(2 / 5)
    assert env.closure_rate == pytest.approx(3 / 6)
    water = scores[("330100", "市治水办")]
    assert (water.total, water.closed, water.overdue, water.on_time_rate) == (1, 0, 1, 0)
    county = scores[("330106", "市环保局")]
    assert (county.total, county.overdue, county.closure_rate) == (1, 1, 0)
    assert [s.unit for s in scorecard(db, CITY, "330100", 2027, TODAY)] == []
    assert scorecard(db, CITY, "330106", 2026, TODAY)[0].total == 1


def test_closed_items_count_and_enterprises_are_refused(db: Database) -> None:
    with db.transaction(SYSTEM) as session:
        session.add(
            RectificationItem(
                region_code="330100",
                problem="p",
                origin="alert",
                target="t",
                measures="m",
                deadline=date(2026, 2, 1),
                status="closed",
                closed_at=datetime(2026, 1, 20, tzinfo=UTC),
            )
        )
    assert scorecard(db, CITY, "330100", 2026, TODAY) == []  # no responsible unit: not scored
    with pytest.raises(PermissionDenied, match="officers and leaders"):
        scorecard(db, ENTERPRISE, "330100", 2026, TODAY)
