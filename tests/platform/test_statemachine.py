"""The state-machine engine: table validation, actor kinds, refusals in zh-CN and English, time
limits on a simulated clock, and the table rendered for the documentation."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from types import SimpleNamespace
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ecogov.platform.errors import Conflict, PermissionDenied
from ecogov.platform.scope import SYSTEM, Principal, Role
from ecogov.platform.statemachine import (
    MESSAGES,
    ActorRefused,
    Machine,
    MachineError,
    Move,
    MoveRefused,
    TimeLimit,
    actor_kind,
    check_move,
    due_moves,
    register_actor,
    sweep,
    unreachable,
)

CJK = re.compile(r"[\u4e00-\u9fff]")


def _is_clerk(principal: Principal, subject: Any) -> bool:
    return principal.role is Role.COUNTY_OFFICER


def _is_boss(principal: Principal, subject: Any) -> bool:
    return principal.role is Role.CITY_OFFICER and subject == "mine"


register_actor("test_clerk", ("经办人", "a clerk"), _is_clerk)
register_actor("test_boss", ("负责人", "the boss"), _is_boss)

CLERK = Principal("clerk", Role.COUNTY_OFFICER, region_code="330106")
BOSS = Principal("boss", Role.CITY_OFFICER, region_code="330100")


@dataclass
class Case:
    """A subject of the example machine."""

    state: str
    deadline: date | None = None
    opened_at: datetime | None = None
    tries: int = 0


def build(**changes: Any) -> Machine[str]:
    """A small machine (a case filed, reviewed, closed or lapsed), with ``changes`` applied."""
    fields: dict[str, Any] = {
        "subject": "case",
        "title": ("案件", "Case"),
        "initial": "filed",
        "states": ("filed", "review", "closed", "lapsed"),
        "finals": frozenset({"closed", "lapsed"}),
        "moves": (
            Move("submit", frozenset({"filed"}), "review", "test_clerk", needs_evidence=True),
            Move("close", frozenset({"review"}), "closed", "test_boss", four_eyes=True),
            Move("send_back", frozenset({"review"}), "filed", "test_boss", needs_note=True),
            Move("lapse", frozenset({"filed"}), "lapsed", "system"),
            Move("remind", frozenset({"review"}), "review", "system"),
        ),
        "state_names": {
            "filed": ("已立案", "Filed"),
            "review": ("审核中", "Under review"),
            "closed": ("已结案", "Closed"),
            "lapsed": ("已失效", "Lapsed"),
        },
        "move_names": {
            "submit": ("提交审核", "Submit"),
            "close": ("结案", "Close"),
            "send_back": ("退回", "Send back"),
            "lapse": ("失效", "Lapse"),
            "remind": ("催办", "Remind"),
        },
        "limits": (
            TimeLimit("filed", "lapse", deadline="deadline"),
            TimeLimit(
                "review",
                "remind",
                after=timedelta(hours=2),
                since="opened_at",
                when=lambda case: case.tries < 3,
            ),
        ),
    }
    fields.update(changes)
    return Machine(**fields)


MACHINE = build()


# --- the table is checked when built -----------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"initial": "nowhere"}, "initial state 'nowhere' is not a state"),
        ({"finals": frozenset({"gone"})}, "final state 'gone' is not a state"),
        ({"states": ("filed", "filed", "review", "closed", "lapsed")}, "listed twice"),
        (
            {"moves": (*MACHINE.moves, Move("x", frozenset({"filed"}), "limbo", "system"))},
            "unknown state 'limbo'",
        ),
        (
            {"moves": (*MACHINE.moves, Move("x", frozenset({"closed"}), "filed", "system"))},
            "leaves final state 'closed'",
        ),
        ({"moves": (*MACHINE.moves, MACHINE.moves[0])}, "move 'submit' is listed twice"),
        (
            {"moves": (*MACHINE.moves, Move("x", frozenset(), "filed", "system"))},
            "has no source state",
        ),
        (
            {"moves": (*MACHINE.moves, Move("x", frozenset({"filed"}), "review", "nobody"))},
            "actor kind 'nobody' is not registered",
        ),
        ({"states": (*MACHINE.states, "orphan")}, "state 'orphan' has no name"),
        (
            {
                "states": (*MACHINE.states, "orphan"),
                "state_names": {**MACHINE.state_names, "orphan": ("孤立", "Orphan")},
            },
            "state 'orphan' is unreachable",
        ),
        ({"move_names": {"submit": ("提交", "Submit")}}, "move 'close' has no name"),
        ({"limits": (TimeLimit("filed", "vanish", deadline="d"),)}, "unknown move 'vanish'"),
        ({"limits": (TimeLimit("review", "lapse", deadline="d"),)}, "not allowed from 'review'"),
        ({"limits": (TimeLimit("filed", "lapse"),)}, "needs a deadline or a since"),
        (
            {"limits": (TimeLimit("filed", "lapse", deadline="d", since="s"),)},
            "needs a deadline or a since",
        ),
        ({"limits": (TimeLimit("filed", "lapse", since="s"),)}, "no after"),
    ],
)
def test_tables_that_cannot_work_are_refused(changes: dict[str, Any], problem: str) -> None:
    with pytest.raises(MachineError, match=re.escape(problem)):
        build(**changes)


def test_unreachable_lists_states_no_move_reaches() -> None:
    assert unreachable(MACHINE) == []
    cut = tuple(m for m in MACHINE.moves if m.name != "lapse")
    with pytest.raises(MachineError, match="state 'lapsed' is unreachable"):
        build(moves=cut, limits=MACHINE.limits[1:])


def test_actor_kinds_are_registered_once() -> None:
    assert actor_kind("test_clerk").admits(CLERK, None)
    register_actor("test_clerk", ("经办人", "a clerk"), _is_clerk)  # the same rule again: no-op
    with pytest.raises(MachineError, match="registered twice"):
        register_actor("test_clerk", ("经办人", "a clerk"), _is_boss)
    with pytest.raises(MachineError, match="not registered"):
        actor_kind("nobody")
    assert actor_kind("system").admits(SYSTEM, None)
    assert not actor_kind("system").admits(Principal("admin", Role.ADMIN), None)


# --- refusals ------------------------------------------------------------------------------

ACTORS = {"test_clerk": CLERK, "test_boss": BOSS, "system": SYSTEM}


def _attempt(machine: Machine[str], action: str, state: str, principal: Principal) -> Move[str]:
    return check_move(
        machine, action, state, principal, "mine", has_evidence=True, note="why", requested_by="x"
    )


def test_every_state_and_move() -> None:
    for move in MACHINE.moves:
        for state in MACHINE.states:
            if state in move.sources:
                assert _attempt(MACHINE, move.name, state, ACTORS[move.actor]) is move
                continue
            with pytest.raises(MoveRefused) as refused:
                _attempt(MACHINE, move.name, state, ACTORS[move.actor])
            assert refused.value.reason == "state"
            assert isinstance(refused.value, Conflict)


def test_every_actor_kind_admits_only_its_principals() -> None:
    others = (CLERK, BOSS, SYSTEM, Principal("boss2", Role.CITY_OFFICER, region_code="330200"))
    for move in MACHINE.moves:
        state = sorted(move.sources)[0]
        for principal in others:
            if actor_kind(move.actor).admits(principal, "mine"):
                _attempt(MACHINE, move.name, state, principal)
                continue
            with pytest.raises(ActorRefused) as refused:
                _attempt(MACHINE, move.name, state, principal)
            assert isinstance(refused.value, PermissionDenied)
            assert refused.value.reason == "actor"
    with pytest.raises(ActorRefused):  # the rule reads the subject too
        check_move(MACHINE, "close", "review", BOSS, "theirs")


def test_refusals_in_chinese_first_then_english() -> None:
    cases: list[tuple[str, str, Principal, dict[str, Any], str, str, str]] = [
        ("fly", "filed", CLERK, {}, "unknown_action", "案件没有“fly”这一操作", "has no action"),
        ("close", "filed", CLERK, {}, "state", "不能“结案”", "'close' is allowed only from"),
        ("close", "review", CLERK, {}, "actor", "“结案”须由负责人办理", "'Close' is for the boss"),
        (
            "close",
            "review",
            BOSS,
            {"requested_by": "boss"},
            "four_eyes",
            "申请人以外",
            "other than the requester",
        ),
        ("submit", "filed", CLERK, {}, "evidence", "佐证材料", "evidence file"),
        ("send_back", "review", BOSS, {"note": " \t"}, "note", "填写理由", "needs a note"),
    ]
    for action, state, principal, extra, reason, zh, en in cases:
        with pytest.raises((MoveRefused, ActorRefused)) as refused:
            check_move(MACHINE, action, state, principal, "mine", **extra)
        error = refused.value
        assert isinstance(error, MoveRefused | ActorRefused)
        assert error.reason == reason
        assert zh in error.text("zh")
        assert CJK.search(error.text("zh"))
        assert en in error.text("en")
        assert not CJK.search(error.text("en"))
        assert str(error) == f"{error.text('zh')}（{error.text('en')}）"
        assert str(error).index(zh) < str(error).index(en)  # zh-CN first


def test_state_refusal_lists_the_moves_allowed_now() -> None:
    with pytest.raises(MoveRefused) as refused:
        check_move(MACHINE, "close", "filed", CLERK, "mine")
    assert "仅适用于“审核中”状态" in refused.value.text()
    assert "当前可办理：“提交审核”" in refused.value.text()  # not the scheduler's lapse
    assert "case is filed: 'close' is allowed only from review" in refused.value.text("en")


def test_four_eyes_only_binds_the_requester() -> None:
    assert check_move(MACHINE, "close", "review", BOSS, "mine", requested_by="clerk")
    assert check_move(MACHINE, "close", "review", BOSS, "mine", requested_by=None)
    # a move without the four-eyes rule may be made by the one who asked for it
    assert check_move(MACHINE, "send_back", "review", BOSS, "mine", note="n", requested_by="boss")


def test_moves_by_target() -> None:
    assert MACHINE.move_to("filed", "review").name == "submit"
    assert MACHINE.move_to("review", "review").name == "remind"
    with pytest.raises(MoveRefused, match="case cannot go from filed to closed") as refused:
        MACHINE.move_to("filed", "closed")
    assert "案件不能从“已立案”转为“已结案”" in str(refused.value)


# --- time limits on a simulated clock ------------------------------------------------------

DAY0 = date(2026, 3, 1)
T0 = datetime(2026, 3, 1, 8, 0)


@given(
    state=st.sampled_from(MACHINE.states),
    deadline=st.none() | st.integers(-40, 40).map(lambda d: DAY0 + timedelta(days=d)),
    today=st.integers(-40, 40).map(lambda d: DAY0 + timedelta(days=d)),
)
def test_deadline_clock_fires_once_past_the_deadline(
    state: str, deadline: date | None, today: date
) -> None:
    due = due_moves(MACHINE, [Case(state, deadline=deadline)], today)
    fires = state == "filed" and deadline is not None and today > deadline
    assert [d.move.name for d in due] == (["lapse"] if fires else [])


@given(
    state=st.sampled_from(MACHINE.states),
    opened=st.none() | st.integers(0, 600).map(lambda m: T0 + timedelta(minutes=m)),
    now=st.integers(0, 900).map(lambda m: T0 + timedelta(minutes=m)),
    tries=st.integers(0, 5),
)
def test_duration_clock_fires_after_its_duration_when_it_holds(
    state: str, opened: datetime | None, now: datetime, tries: int
) -> None:
    case = Case(state, opened_at=opened, tries=tries)
    due = due_moves(MACHINE, [case], now)
    fires = state == "review" and opened is not None and now - opened > timedelta(hours=2)
    assert [(d.move.name, d.subject) for d in due] == (
        [("remind", case)] if fires and tries < 3 else []
    )


def test_due_moves_keeps_subject_order_and_reads_state_as_told() -> None:
    cases = [Case("filed", deadline=DAY0), Case("closed", deadline=DAY0), Case("filed")]
    due = due_moves(MACHINE, cases, DAY0 + timedelta(days=1))
    assert [d.subject for d in due] == [cases[0]]
    assert due[0].limit is MACHINE.limits[0]
    assert due_moves(MACHINE, [], DAY0) == []
    item = SimpleNamespace(status="filed", deadline=DAY0)  # a subject keeping its state elsewhere
    due = due_moves(MACHINE, [item], DAY0 + timedelta(days=1), state_of=lambda i: str(i.status))
    assert [d.subject for d in due] == [item]


@given(
    deadlines=st.lists(
        st.none() | st.integers(-10, 10).map(lambda d: DAY0 + timedelta(days=d)), max_size=6
    ),
    warn_days=st.integers(0, 5),
)
def test_sweep_splits_late_from_warned_and_warns_nobody_twice(
    deadlines: list[date | None], warn_days: int
) -> None:
    cases = [Case("filed", deadline=d) for d in deadlines]

    def left(case: Case) -> int | None:
        return None if case.deadline is None else (case.deadline - DAY0).days

    clocks = sweep(MACHINE, cases, DAY0, days_left=left, warn_days=warn_days)
    assert [d.subject for d in clocks.late] == [d.subject for d in due_moves(MACHINE, cases, DAY0)]
    late = {id(d.subject) for d in clocks.late}
    expected = [
        c for c in cases if id(c) not in late and (n := left(c)) is not None and n <= warn_days
    ]
    assert clocks.warned == expected
    assert not late & {id(c) for c in clocks.warned}


def test_first_clock_that_holds_wins() -> None:
    two = replace(
        MACHINE.limits[1], move="remind", when=lambda case: case.tries >= 3, label=("再催", "again")
    )
    machine = build(limits=(*MACHINE.limits, two))
    late = T0 + timedelta(hours=3)
    assert [d.limit for d in due_moves(machine, [Case("review", opened_at=T0)], late)] == [
        machine.limits[1]
    ]
    spent = Case("review", opened_at=T0, tries=4)
    assert [d.limit for d in due_moves(machine, [spent], late)] == [machine.limits[2]]


# --- the table for the documentation --------------------------------------------------------


def test_describe_gives_one_row_per_move_in_both_languages() -> None:
    rows = MACHINE.describe()
    assert [r.move for r in rows] == [m.name for m in MACHINE.moves]
    submit = rows[0]
    assert (submit.name, submit.sources, submit.target, submit.actor) == (
        "提交审核",
        ("已立案",),
        "审核中",
        "经办人",
    )
    assert submit.needs_evidence
    assert not submit.needs_note
    assert rows[3].clock == "已立案: deadline"
    assert rows[4].clock == "审核中: opened_at + 2 h"
    english = MACHINE.describe("en")
    assert (english[1].name, english[1].actor, english[1].four_eyes) == ("Close", "the boss", True)
    table = MACHINE.markdown()
    assert (
        table.splitlines()[0]
        == "| 操作 | 适用状态 | 办理后状态 | 办理人 | 须附佐证 | 须填理由 | 非申请人办理 | 时限 |"
    )
    assert len(table.splitlines()) == 2 + len(MACHINE.moves)
    assert "| Submit (`submit`) | Filed | Under review | a clerk | yes |" in MACHINE.markdown("en")


def test_state_names() -> None:
    assert [MACHINE.state_name(s) for s in MACHINE.states] == [
        "已立案",
        "审核中",
        "已结案",
        "已失效",
    ]
    assert MACHINE.state_name("review", "en") == "Under review"
    assert MACHINE.state_name("unknown") == "unknown"
    assert MACHINE.open_states() == ("filed", "review")
    assert MACHINE.is_final("lapsed")
    assert not MACHINE.is_final("filed")


def test_every_message_of_the_engine_is_chinese_first() -> None:
    for key, (zh, en) in MESSAGES.items():
        assert CJK.search(zh), key
        assert en, key
        assert not CJK.search(en), key
