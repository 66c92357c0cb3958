"""The complaint machine (信访投诉办理流程) on the platform's state-machine engine.

登记 → 受理 / 不予受理（须说明理由）→ 转办（承办单位）→ 核查 → 办理 → 答复 → 回访（满意度）→ 归档,
following 《信访工作条例》 and the 12345 closed loop (GOVERNANCE.md §4.1–§4.2). Who moves a
complaint: the officers of its region (the plans domain's ``executor`` actor kind, as penalty cases
do), the scheduler for the clocks.

Each open state runs one statutory clock, kept on the complaint as ``due_on`` (the rules of
:mod:`ecogov.standards.complaints`): acceptance and transfer within 15 days of receipt (Art. 22–23),
the answer within 60 days of acceptance, +30 once by approval (Art. 34, move ``extend``), the
follow-up within 30 days of the answer, the archive within 5 working days. A clock that runs out
fires the scheduler's self-move ``overdue_<state>`` (recorded once) and escalates through the alerts
inbox (:func:`ecogov.complaints.service.tick`).
"""

from __future__ import annotations

from datetime import date
from typing import Final

from ecogov.plans.workflow import Actor
from ecogov.platform.statemachine import Labels, Machine, Move, TimeLimit
from ecogov.standards.complaints import ComplaintRules, Limit, limit_end

STATES: Final[dict[str, Labels]] = {
    "registered": ("登记", "Registered"),
    "accepted": ("受理", "Accepted"),
    "rejected": ("不予受理", "Not accepted"),
    "assigned": ("转办", "Transferred"),
    "checking": ("核查", "Site check"),
    "handling": ("办理", "Handling"),
    "answered": ("答复", "Answered"),
    "followed_up": ("回访", "Followed up"),
    "archived": ("归档", "Archived"),
}
MOVES: Final[dict[str, Labels]] = {
    "accept": ("受理", "Accept"),
    "reject": ("不予受理", "Do not accept"),
    "assign": ("转办", "Transfer"),
    "check": ("开始现场核查", "Start the site check"),
    "handle": ("核查完毕，开始办理", "Checked, start handling"),
    "extend": ("延期（经批准延长30日）", "Extend (30 days, approved)"),
    "answer": ("答复", "Answer"),
    "follow_up": ("回访", "Follow up"),
    "archive": ("归档", "Archive"),
}
CLOCK_OF: Final[dict[str, str]] = {
    "registered": "accept",
    "accepted": "assign",
    "assigned": "finish",
    "checking": "finish",
    "handling": "finish",
    "answered": "follow_up",
    "followed_up": "archive",
}
"""The rule (a key of the rules' ``limits``) whose clock runs in each open state."""
PUBLIC_ANSWER_STATES: Final = frozenset({"answered", "followed_up", "archived"})
"""States in which the answer is shown to the public."""
_OVERDUE: Final = ("超过办理时限", "Past the time limit")


def overdue_move(state: str) -> str:
    """The scheduler's self-move of ``state`` fired when its clock runs out."""
    return f"overdue_{state}"


def _move(name: str, sources: str, target: str, *, note: bool = False) -> Move[str]:
    return Move(name, frozenset(sources.split()), target, Actor.EXECUTOR, needs_note=note)


COMPLAINT: Final = Machine[str](
    subject="complaint",
    title=("信访投诉", "Complaint"),
    initial="registered",
    states=tuple(STATES),
    moves=(
        _move("accept", "registered", "accepted"),
        _move("reject", "registered", "rejected", note=True),
        _move("assign", "accepted", "assigned"),
        _move("check", "assigned", "checking"),
        _move("handle", "checking", "handling", note=True),
        _move("extend", "handling", "handling", note=True),
        _move("answer", "handling", "answered", note=True),
        _move("follow_up", "answered", "followed_up"),
        _move("archive", "followed_up", "archived"),
        *(Move(overdue_move(s), frozenset({s}), s, Actor.SYSTEM.value) for s in CLOCK_OF),
    ),
    state_names=STATES,
    move_names={**MOVES, **{overdue_move(s): _OVERDUE for s in CLOCK_OF}},
    finals=frozenset({"rejected", "archived"}),
    limits=tuple(TimeLimit(s, overdue_move(s), deadline="due_on") for s in CLOCK_OF),
)
"""The complaint machine (its table is in docs/workflows.md)."""


def clock_start(rule: Limit, *, received: date, accepted: date | None, today: date) -> date:
    """The day a rule's clock counts from: receipt, acceptance, or the move made ``today``."""
    if rule.starts == "received":
        return received
    if rule.starts == "accepted" and accepted is not None:
        return accepted
    return today


def due_in(
    rules: ComplaintRules,
    state: str,
    *,
    received: date,
    accepted: date | None,
    today: date,
    extended: bool = False,
) -> date | None:
    """The end of the clock running in ``state`` (None in a final state)."""
    key = CLOCK_OF.get(state)
    if key is None:
        return None
    rule = rules.limits[key]
    start = clock_start(rule, received=received, accepted=accepted, today=today)
    return limit_end(rule, start, extended=extended)
