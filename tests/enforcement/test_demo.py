"""The enforcement demo: inspectors who log in and see their tasks, a published draw that
verifies, inspections with findings, cases in every stage (one overdue, one extended, one with a
daily continuous penalty), credit grades; and loading it again changes nothing."""

from __future__ import annotations

from sqlalchemy import func, select

from ecogov.accounts import demo as accounts_demo
from ecogov.accounts.service import login, principal_for
from ecogov.enforcement import cases, demo, draws
from ecogov.enforcement.models import (
    CaseEvent,
    CreditEvaluation,
    DailyPenalty,
    Draw,
    Finding,
    InspectionTask,
    PenaltyCase,
)
from ecogov.platform.db import Database
from ecogov.platform.models import Base
from ecogov.platform.scope import SYSTEM
from ecogov.sources import demo as sources_demo


def _counts(db: Database) -> dict[str, int]:
    tables = [t for t in Base.metadata.sorted_tables if t.name.startswith(("enf_", "user"))]
    with db.transaction(SYSTEM) as session:
        return {
            t.name: int(session.scalar(select(func.count()).select_from(t)) or 0) for t in tables
        }


def test_demo_loads_every_stage_and_reloads_without_change(db: Database) -> None:
    accounts_demo.load(db)
    sources_demo.load(db)
    lines = demo.load(db)
    assert "zhifa1 / zhifa1-demo" in "\n".join(lines)
    with db.transaction(SYSTEM) as session:
        draw = session.scalar(select(Draw).where(Draw.title == demo.DRAW_TITLE))
        assert draw is not None
        assert draw.status == "published"
        states = set(session.scalars(select(PenaltyCase.state)))
        overdue = session.scalar(
            select(func.count()).where(CaseEvent.move == cases.overdue_move("investigating"))
        )
        extended = session.scalar(select(func.count()).where(PenaltyCase.extensions == 1))
        daily = session.scalar(select(DailyPenalty))
        assert daily is not None
        daily_days = daily.days
        findings = session.scalar(select(func.count()).select_from(Finding))
        grades = set(session.scalars(select(CreditEvaluation.grade)))
        tasks = session.scalar(select(func.count()).select_from(InspectionTask))
    assert states == set(cases.STATES)
    assert overdue == 1
    assert extended == 1
    assert daily_days == 12
    assert findings == len(demo.FINDINGS)
    assert tasks is not None
    assert tasks >= 5
    assert len(grades) >= 2  # enterprises with a case or finding lost points
    _, zhifa1 = login(db, "zhifa1", "zhifa1-demo", session_hours=1)
    assert draws.my_tasks(db, principal_for(zhifa1))
    before = _counts(db)
    assert demo.load(db)[0].startswith("enforcement: demo already loaded")
    assert _counts(db) == before
