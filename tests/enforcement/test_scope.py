"""Scope: an inspector sees their tasks, a county officer their county, an enterprise its own
record, leaders read (and never write)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from ecogov.enforcement import cases, credit, draws
from ecogov.enforcement.models import InspectionObject, Inspector
from ecogov.platform.db import Database
from ecogov.platform.errors import NotFound, PermissionDenied
from ecogov.platform.scope import SYSTEM
from tests.enforcement.support import (
    CITY,
    COUNTY,
    INSPECTOR_A,
    LEADER,
    OTHER_COUNTY,
    enterprise,
    enterprise_principal,
    first_two,
    pool,
)

TODAY = date(2026, 4, 30)


def _two_counties(db: Database) -> tuple[int, int]:
    mine, theirs = enterprise(db, 1), enterprise(db, 2, region="330102")
    draws.sync_directory(db, SYSTEM, "330100")
    cases.file_case(db, COUNTY, cases.NewCase(mine, "西湖区案件"))
    cases.file_case(db, OTHER_COUNTY, cases.NewCase(theirs, "上城区案件"))
    return mine, theirs


def test_a_county_officer_sees_their_county_and_the_city_both(db: Database) -> None:
    _two_counties(db)
    assert [r.title for r in cases.ledger(db, COUNTY)] == ["西湖区案件"]
    assert [r.title for r in cases.ledger(db, OTHER_COUNTY)] == ["上城区案件"]
    assert len(cases.ledger(db, CITY)) == 2
    assert len(cases.ledger(db, LEADER)) == 2


def test_an_enterprise_sees_its_own_record_only(db: Database) -> None:
    mine, theirs = _two_counties(db)
    assert [r.title for r in cases.ledger(db, enterprise_principal(mine))] == ["西湖区案件"]
    assert [r.title for r in cases.ledger(db, enterprise_principal(theirs))] == ["上城区案件"]
    with db.transaction(enterprise_principal(mine)) as session:
        assert session.scalars(select(InspectionObject.enterprise_id)).all() == [mine]


def test_an_enterprise_never_sees_the_inspector_pool(db: Database) -> None:
    mine, _ = _two_counties(db)
    pool(db)
    with db.transaction(enterprise_principal(mine)) as session:
        assert session.scalars(select(Inspector)).all() == []
    with pytest.raises(PermissionDenied, match="只有生态环境执法人员"):
        draws.add_inspector(
            db, enterprise_principal(mine), draws.NewInspector("330106", "x", "y", "z")
        )


def test_enterprises_and_leaders_do_not_file_or_move_cases(db: Database) -> None:
    mine, _ = _two_counties(db)
    for who in (enterprise_principal(mine), LEADER):
        with pytest.raises(PermissionDenied):
            cases.file_case(db, who, cases.NewCase(mine, "不应立案"))
    case_id = cases.ledger(db, COUNTY)[0].id
    with pytest.raises(PermissionDenied):
        cases.act(db, enterprise_principal(mine), case_id, "investigate")


def test_an_inspector_sees_their_tasks(db: Database) -> None:
    _two_counties(db)
    pool(db)
    draw_id = draws.create_draw(db, COUNTY, "330106", "抽查", {})
    draws.publish_hash(db, COUNTY, draw_id)
    draws.run_draw(db, COUNTY, draw_id, first_two)
    assert len(draws.my_tasks(db, INSPECTOR_A)) == 1
    assert draws.my_tasks(db, OTHER_COUNTY) == []


def test_an_enterprise_asks_for_credit_repair_of_its_own_grade_only(db: Database) -> None:
    mine, theirs = _two_counties(db)
    evaluation = credit.Evaluation(mine, "national-2013", "yellow", 72.0, ())
    evaluation_id = credit.record_evaluation(db, evaluation, TODAY)
    other_id = credit.record_evaluation(
        db, credit.Evaluation(theirs, "national-2013", "red", 40.0, ()), TODAY
    )
    assert credit.request_repair(db, enterprise_principal(mine), evaluation_id, "已整改完毕") > 0
    with pytest.raises(NotFound, match="未找到信用评价"):
        credit.request_repair(db, enterprise_principal(mine), other_id, "不是我的")
