"""Penalty cases: every state × move of the case machine, its documents, four-eyes, and its
statutory clocks (warnings before, alerts after, on the settable clock)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from ecogov.enforcement import cases
from ecogov.enforcement.models import CaseEvent, PenaltyCase
from ecogov.platform import alerts
from ecogov.platform.clock import frozen
from ecogov.platform.db import Database
from ecogov.platform.errors import InputError, NotFound, PermissionDenied
from ecogov.platform.scope import SYSTEM
from ecogov.platform.statemachine import ActorRefused, MoveRefused
from ecogov.standards.workdays import add_working_days
from tests.enforcement.support import COUNTY, LEADER, OTHER_COUNTY, REVIEWER, enterprise

FILED = date(2026, 3, 2)
DECISION = cases.Decision(Decimal("50000.00"), "《中华人民共和国大气污染防治法》第九十九条")
HUMAN_MOVES = [m.name for m in cases.CASE.moves if m.actor != "system"]


def _case(db: Database) -> int:
    firm = enterprise(db, 1)
    with frozen(FILED):
        return cases.file_case(db, COUNTY, cases.NewCase(firm, "超标排放大气污染物案"))


def _documents(db: Database, case_id: int) -> None:
    for kind in ("decision", "service_receipt", "execution", cases.EXTENSION_DOCUMENT):
        cases.add_document(db, COUNTY, case_id, kind, f"{kind}.pdf", "application/pdf", b"%PDF")


def _put(db: Database, case_id: int, state: str) -> None:
    with db.transaction(SYSTEM) as session:
        found = session.get(PenaltyCase, case_id)
        assert found is not None
        found.state = state


@pytest.mark.parametrize("state", cases.CASE.states)
@pytest.mark.parametrize("action", HUMAN_MOVES)
def test_every_state_and_move(db: Database, state: str, action: str) -> None:
    case_id = _case(db)
    _documents(db, case_id)
    _put(db, case_id, state)
    move = cases.CASE.move(action)
    note = "补充证据"
    with frozen(FILED + timedelta(days=10)):
        if state in move.sources:
            assert cases.act(db, REVIEWER, case_id, action, note, DECISION) == move.target
        else:
            with pytest.raises(MoveRefused) as refused:
                cases.act(db, REVIEWER, case_id, action, note, DECISION)
            assert "仅适用于" in str(refused.value)
    (row,) = [r for r in cases.ledger(db, COUNTY) if r.id == case_id]
    assert row.state == (move.target if state in move.sources else state)


def test_the_ordinary_procedure_to_closing_on_time(db: Database) -> None:
    case_id = _case(db)
    day = FILED
    for action in ("investigate", "submit_review", "notify", "request_hearing"):
        day += timedelta(days=5)
        with frozen(day):
            cases.act(db, REVIEWER, case_id, action)
    with frozen(day), pytest.raises(MoveRefused, match="佐证"):
        cases.act(db, REVIEWER, case_id, "decide", decision=DECISION)
    _documents(db, case_id)
    with frozen(day), pytest.raises(InputError, match="法律依据"):
        cases.act(db, REVIEWER, case_id, "decide")
    with frozen(day):
        assert cases.act(db, REVIEWER, case_id, "decide", decision=DECISION) == "decided"
    with frozen(day + timedelta(days=2)):
        cases.act(db, COUNTY, case_id, "serve")
        cases.act(db, COUNTY, case_id, "execute")
        assert cases.act(db, COUNTY, case_id, "close") == "closed"
    (row,) = cases.ledger(db, LEADER)
    assert row.state_name == "结案"
    assert row.fine_yuan == Decimal("50000.00")
    assert row.clock is None
    moves = [e.move for e in cases.events(db, COUNTY, case_id)]
    assert moves == [
        "file",
        "investigate",
        "submit_review",
        "notify",
        "request_hearing",
        "decide",
        "serve",
        "execute",
        "close",
    ]
    with db.transaction(SYSTEM) as session:
        closed = session.get(PenaltyCase, case_id)
        assert closed is not None
        assert closed.published
        assert closed.decided_on == day
        assert closed.service_due == add_working_days(day, 7)
        assert closed.payment_due == day + timedelta(days=2 + 15)


def test_the_filer_may_not_notify_or_decide(db: Database) -> None:
    case_id = _case(db)
    _documents(db, case_id)
    _put(db, case_id, "reviewing")
    with pytest.raises(ActorRefused, match="申请人以外"):
        cases.act(db, COUNTY, case_id, "notify")
    _put(db, case_id, "notified")
    with pytest.raises(ActorRefused, match="申请人以外"):
        cases.act(db, COUNTY, case_id, "decide", decision=DECISION)


def test_withdrawing_and_returning_need_a_note(db: Database) -> None:
    case_id = _case(db)
    with pytest.raises(MoveRefused, match="理由"):
        cases.act(db, COUNTY, case_id, "withdraw")
    assert cases.act(db, COUNTY, case_id, "withdraw", "违法事实不成立") == "closed"


def test_scheduler_moves_are_not_for_people(db: Database) -> None:
    case_id = _case(db)
    with pytest.raises(ActorRefused, match="系统定时任务"):
        cases.act(db, COUNTY, case_id, cases.overdue_move("filed"))


def test_other_regions_and_leaders_do_not_move_cases(db: Database) -> None:
    case_id = _case(db)
    with pytest.raises(NotFound):  # another county does not see the case at all
        cases.act(db, OTHER_COUNTY, case_id, "investigate")
    with pytest.raises(PermissionDenied):
        cases.act(db, LEADER, case_id, "investigate")
    assert cases.ledger(db, OTHER_COUNTY) == []


def test_a_bad_document_kind_is_refused_in_chinese(db: Database) -> None:
    case_id = _case(db)
    with pytest.raises(InputError, match="文书类型"):
        cases.add_document(db, COUNTY, case_id, "memo", "a.pdf", "application/pdf", b"x")
    with pytest.raises(InputError, match="文件为空"):
        cases.add_document(db, COUNTY, case_id, "record", "a.pdf", "application/pdf", b"")


def _alerts(db: Database) -> list[alerts.Alert]:
    with db.transaction(SYSTEM) as session:
        rows = session.scalars(
            select(alerts.Alert).where(alerts.Alert.kind == cases.CASE_DEADLINE_KIND.key)
        ).all()
        session.expunge_all()
        return list(rows)


def test_decision_clock_warns_before_and_alerts_after(db: Database) -> None:
    case_id = _case(db)
    end = FILED + timedelta(days=90)
    assert cases.tick(db, end - timedelta(days=cases.WARN_DAYS + 1)) == cases.Tick((), ())
    assert cases.tick(db, end - timedelta(days=cases.WARN_DAYS)) == cases.Tick((), (case_id,))
    (warning,) = _alerts(db)
    assert warning.severity == "yellow"
    assert "剩余 5 天" in warning.title
    assert cases.tick(db, end) == cases.Tick((), (case_id,))  # the last day is still on time
    assert cases.tick(db, end + timedelta(days=1)) == cases.Tick((case_id,), ())
    assert cases.tick(db, end + timedelta(days=2)) == cases.Tick((), ())  # flagged once
    (alert,) = _alerts(db)  # the warning of this state rose to red
    assert alert.severity == "red"
    with db.transaction(SYSTEM) as session:
        flagged = session.scalars(select(CaseEvent.move).where(CaseEvent.case_id == case_id))
        assert list(flagged).count(cases.overdue_move("filed")) == 1
    with frozen(end + timedelta(days=2)):
        (row,) = cases.ledger(db, COUNTY)
    assert row.clock is not None
    assert row.clock.days_left == -2


@pytest.mark.parametrize(
    ("state", "attribute"),
    [("decided", "service_due"), ("served", "payment_due"), ("executing", "payment_due")],
)
def test_later_clocks_fire_in_their_states(db: Database, state: str, attribute: str) -> None:
    case_id = _case(db)
    end = date(2026, 4, 1)
    with db.transaction(SYSTEM) as session:
        found = session.get(PenaltyCase, case_id)
        assert found is not None
        found.state = state
        setattr(found, attribute, end)
    assert cases.tick(db, end + timedelta(days=1)).overdue == (case_id,)


def test_closed_cases_run_no_clock(db: Database) -> None:
    case_id = _case(db)
    cases.act(db, COUNTY, case_id, "withdraw", "不予立案")
    assert cases.tick(db, FILED + timedelta(days=400)) == cases.Tick((), ())
