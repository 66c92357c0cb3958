"""Extensions of the decision limit (案件办理期限延长, 处罚办法 Art. 57: +30 days by the head's
approval, +30 more by collective discussion, 150 days at most) as recorded moves that move the
clock, on the settable clock."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from ecogov.enforcement import cases
from ecogov.enforcement.models import CaseEvent, PenaltyCase
from ecogov.platform.clock import frozen
from ecogov.platform.db import Database
from ecogov.platform.errors import Conflict, InputError
from ecogov.platform.scope import SYSTEM
from ecogov.platform.statemachine import ActorRefused, MoveRefused
from tests.enforcement.support import COUNTY, REVIEWER
from tests.enforcement.test_cases import FILED, _case

END = FILED + timedelta(days=90)


def _approval(db: Database, case_id: int) -> None:
    cases.add_document(
        db, COUNTY, case_id, cases.EXTENSION_DOCUMENT, "审批表.pdf", "application/pdf", b"%PDF"
    )


def _case_row(db: Database, case_id: int) -> PenaltyCase:
    with db.transaction(SYSTEM) as session:
        found = session.get(PenaltyCase, case_id)
        assert found is not None
        session.expunge(found)
        return found


def test_two_extensions_move_the_clock_to_150_days(db: Database) -> None:
    case_id = _case(db)
    with frozen(FILED + timedelta(days=40)):
        cases.act(db, COUNTY, case_id, "investigate")
    _approval(db, case_id)
    with frozen(END - timedelta(days=3)):
        assert (
            cases.act(db, REVIEWER, case_id, cases.EXTEND, "案情复杂，需补充监测")
            == "investigating"
        )
    assert _case_row(db, case_id).decision_due == END + timedelta(days=30)
    # the old end passes without an alert: the clock runs to the new end
    assert cases.tick(db, END + timedelta(days=1)) == cases.Tick((), ())
    _approval(db, case_id)
    with frozen(END + timedelta(days=29)):
        cases.act(db, REVIEWER, case_id, cases.EXTEND, "鉴定未完成", extension_days=20)
        (row,) = cases.ledger(db, COUNTY)
    assert row.clock is not None
    assert row.clock.end == FILED + timedelta(days=140)
    assert (row.extensions, row.extended_days) == (2, 50)
    notes = [
        e.note
        for e in cases.events(db, COUNTY, case_id)
        if e.move == cases.extend_move("investigating")
    ]
    assert notes[0] is not None
    assert "第 1 次延长 30 日（负责人批准）" in notes[0]
    assert notes[1] is not None
    assert "第 2 次延长 20 日（集体讨论决定）" in notes[1]
    _approval(db, case_id)
    with frozen(END + timedelta(days=30)), pytest.raises(Conflict, match="已延长 2 次"):
        cases.act(db, REVIEWER, case_id, cases.EXTEND, "再延长")
    assert cases.tick(db, FILED + timedelta(days=141)).overdue == (case_id,)


def test_an_extension_needs_its_approval_a_reason_and_another_person(db: Database) -> None:
    case_id = _case(db)
    with frozen(FILED), pytest.raises(MoveRefused, match="佐证"):
        cases.act(db, REVIEWER, case_id, cases.EXTEND, "理由")
    _approval(db, case_id)
    with frozen(FILED), pytest.raises(MoveRefused, match="理由"):
        cases.act(db, REVIEWER, case_id, cases.EXTEND)
    with frozen(FILED), pytest.raises(ActorRefused, match="申请人以外"):
        cases.act(db, COUNTY, case_id, cases.EXTEND, "理由")
    with frozen(FILED):
        cases.act(db, REVIEWER, case_id, cases.EXTEND, "理由")
    # the first approval was used: the second extension needs its own
    with frozen(FILED), pytest.raises(MoveRefused, match="佐证"):
        cases.act(db, REVIEWER, case_id, cases.EXTEND, "再次延长")


@pytest.mark.parametrize("days", [0, 31])
def test_an_extension_longer_than_the_rules_allow_is_refused(db: Database, days: int) -> None:
    case_id = _case(db)
    _approval(db, case_id)
    with frozen(FILED), pytest.raises(InputError, match="1 至 30 日"):
        cases.act(db, REVIEWER, case_id, cases.EXTEND, "理由", extension_days=days)
    assert _case_row(db, case_id).decision_due == END


def test_an_extension_after_the_limit_ran_out_is_refused(db: Database) -> None:
    case_id = _case(db)
    _approval(db, case_id)
    with frozen(END + timedelta(days=1)), pytest.raises(Conflict, match="届满前"):
        cases.act(db, REVIEWER, case_id, cases.EXTEND, "理由")
    with db.transaction(SYSTEM) as session:
        moves = list(session.scalars(select(CaseEvent.move).where(CaseEvent.case_id == case_id)))
    assert moves == ["file"]


def test_no_extension_once_decided(db: Database) -> None:
    case_id = _case(db)
    with db.transaction(SYSTEM) as session:
        found = session.get(PenaltyCase, case_id)
        assert found is not None
        found.state = "decided"
    with frozen(FILED), pytest.raises(Conflict, match="作出处罚决定前"):
        cases.act(db, REVIEWER, case_id, cases.EXTEND, "理由")
