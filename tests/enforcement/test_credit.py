"""Credit evaluations stored with traced points, the directory's grade kept in step, and credit
repair as a workflow (four-eyes)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from ecogov.enforcement import credit, draws
from ecogov.enforcement.models import InspectionObject
from ecogov.platform.db import Database
from ecogov.platform.errors import PermissionDenied
from ecogov.platform.scope import SYSTEM
from ecogov.platform.statemachine import ActorRefused, MoveRefused
from tests.enforcement.support import COUNTY, REVIEWER, enterprise, enterprise_principal

POINTS = (
    credit.TracedPoint("达标排放", -20.0, "hj212.exceedance:7"),
    credit.TracedPoint("行政处罚", -10.0, "case:3"),
)


def _graded(db: Database) -> tuple[int, int]:
    firm = enterprise(db, 1)
    draws.sync_directory(db, SYSTEM, "330106")
    first = credit.record_evaluation(
        db, credit.Evaluation(firm, "national-2013", "blue", 85.0, ()), date(2025, 4, 30)
    )
    second = credit.record_evaluation(
        db, credit.Evaluation(firm, "national-2013", "yellow", 70.0, POINTS), date(2026, 4, 30)
    )
    assert first != second
    return firm, second


def test_every_point_is_traced_and_the_latest_grade_is_current(db: Database) -> None:
    firm, _ = _graded(db)
    latest, earlier = credit.history(db, enterprise_principal(firm), firm)
    assert (latest.grade, latest.current) == ("yellow", True)
    assert (earlier.grade, earlier.current) == ("blue", False)
    assert latest.points == POINTS
    with db.transaction(SYSTEM) as session:
        assert session.scalar(select(InspectionObject.credit_grade)) == "yellow"


def test_repair_is_decided_by_another_officer(db: Database) -> None:
    _, evaluation_id = _graded(db)
    repair_id = credit.request_repair(db, COUNTY, evaluation_id, "已完成整改并通过验收")
    with pytest.raises(ActorRefused, match="申请人以外"):
        credit.decide_repair(db, COUNTY, repair_id, "approve")
    with pytest.raises(MoveRefused, match="理由"):
        credit.decide_repair(db, REVIEWER, repair_id, "reject")
    assert credit.decide_repair(db, REVIEWER, repair_id, "approve") == "approved"
    with pytest.raises(MoveRefused, match="已修复"):
        credit.decide_repair(db, REVIEWER, repair_id, "reject", "重复")


def test_an_enterprise_asks_but_does_not_decide(db: Database) -> None:
    firm, evaluation_id = _graded(db)
    who = enterprise_principal(firm)
    repair_id = credit.request_repair(db, who, evaluation_id, "已整改")
    with pytest.raises(PermissionDenied, match="信用修复"):
        credit.decide_repair(db, who, repair_id, "approve")
