"""The emergency demo: a reduction list for the city's monitored demo enterprises, one warning
published, raised and lifted, one suggested; deterministic and idempotent."""

from __future__ import annotations

from sqlalchemy import select

from ecogov.emergency import demo
from ecogov.emergency.models import AirWarning, ReductionMeasure, WarningEvent
from ecogov.platform.db import Database
from ecogov.platform.scope import SYSTEM
from ecogov.sources import demo as sources_demo


def _snapshot(db: Database) -> list[tuple[object, ...]]:
    with db.transaction(SYSTEM) as session:
        warnings = session.execute(
            select(AirWarning.id, AirWarning.state, AirWarning.level, AirWarning.starts_on)
            .order_by(AirWarning.id)
        ).all()  # fmt: skip
        measures = session.execute(
            select(ReductionMeasure.enterprise_id, ReductionMeasure.level, ReductionMeasure.cut_pct)
            .order_by(ReductionMeasure.id)
        ).all()  # fmt: skip
        events = session.scalars(select(WarningEvent.move).order_by(WarningEvent.id)).all()
        return [*map(tuple, warnings), *map(tuple, measures), tuple(events)]


def test_demo_loads_a_lifted_and_a_suggested_warning_once(db: Database) -> None:
    sources_demo.load(db)
    demo.load(db)
    first = _snapshot(db)
    with db.transaction(SYSTEM) as session:
        states = session.scalars(select(AirWarning.state).order_by(AirWarning.id)).all()
        levels = set(session.scalars(select(ReductionMeasure.level)))
        count = len(session.scalars(select(ReductionMeasure)).all())
    assert states == ["lifted", "suggested"]
    assert levels == {"yellow", "orange", "red"}
    assert count == 3 * demo.ENTERPRISES
    assert first[-1] == ("suggest", "publish", "adjust", "lift", "suggest")
    demo.load(db)
    assert _snapshot(db) == first
