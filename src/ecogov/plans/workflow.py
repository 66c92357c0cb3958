"""Workflows of tasks and rectification items: two tables of the platform's state-machine engine
(:mod:`ecogov.platform.statemachine`), plus the actor kinds of plans and the escalation ladder.

A move is allowed only when the table lists it from the current state; who may make it is one of
four actor kinds; some moves need evidence (a progress report with at least one file) or a note.
Anything else is refused with a reason the user can act on, in Chinese and English. Open items
past their deadline are marked overdue by the table's clocks (:func:`due_moves`).

Actor kinds:

* ``executor`` — an officer whose region covers the item (the unit doing the work), or an admin;
* ``supervisor`` — an officer of a region strictly above the item's region, or an admin; for a
  province-level item, a province officer. Never the person who asked for the closure
  (four-eyes rule);
* ``system`` — the scheduler (marks overdue items);
* ``signer`` — a supervisor or a leader, signing off a verified item (验收销号双签字).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Final

from ecogov.plans.messages import MESSAGES
from ecogov.platform import statemachine
from ecogov.platform.scope import OFFICER_ROLES, Principal, Role, region_prefix
from ecogov.platform.statemachine import Labels, TimeLimit, due_moves, register_actor

__all__ = [
    "RECTIFICATION",
    "TASK",
    "Actor",
    "Machine",
    "Move",
    "check_move",
    "due_moves",
    "is_executor",
    "is_supervisor",
]


class Actor(StrEnum):
    """Who may make a move (the actor kinds plans registers with the engine)."""

    EXECUTOR = "executor"
    SUPERVISOR = "supervisor"
    SYSTEM = "system"
    SIGNER = "signer"


Machine = statemachine.Machine[Actor]
"""A plans workflow: a machine whose moves are made by the actor kinds of :class:`Actor`."""
Move = statemachine.Move[Actor]


def is_supervisor(principal: Principal, region_code: str) -> bool:
    """Whether ``principal`` supervises items of ``region_code`` (strictly above it, or the
    province officer for province-level items, or an admin)."""
    if principal.sees_everything:
        return True
    if principal.role not in OFFICER_ROLES or principal.region_code is None:
        return False
    own, item = region_prefix(principal.region_code), region_prefix(region_code)
    if not region_code.startswith(own):
        return False
    return len(own) < len(item) or (len(item) == 2 and principal.role is Role.PROVINCE_OFFICER)


def is_executor(principal: Principal, region_code: str) -> bool:
    """Whether ``principal`` works on items of ``region_code`` (an officer covering it)."""
    if principal.sees_everything:
        return True
    return principal.role in OFFICER_ROLES and principal.can_see_region(region_code)


def is_signer(principal: Principal, region_code: str) -> bool:
    """Whether ``principal`` may sign off items of ``region_code``: a supervisor, or a leader
    whose region covers it."""
    return is_supervisor(principal, region_code) or (
        principal.role is Role.LEADER and principal.can_see_region(region_code)
    )


register_actor(Actor.EXECUTOR, ("本区域承办部门", "the officers of the item's region"), is_executor)
register_actor(
    Actor.SUPERVISOR, ("上级主管部门", "the level above the item's region"), is_supervisor
)
register_actor(
    Actor.SIGNER, ("上级主管部门或分管领导", "the level above or a leader of the region"), is_signer
)


def _m(
    name: str,
    sources: str,
    target: str,
    actor: Actor,
    *,
    evidence: bool = False,
    note: bool = False,
) -> Move:
    # The level above never decides on a closure it asked for itself (four-eyes rule).
    four_eyes = actor is Actor.SUPERVISOR
    return Move(name, frozenset(sources.split()), target, actor, evidence, note, four_eyes)


def _names(kind: str, codes: tuple[str, ...]) -> dict[str, Labels]:
    return {code: MESSAGES[f"plans.{kind}.{code}"] for code in codes}


OPEN: Final = ("assigned", "in_progress", "reopened")
"""States whose clock runs: past the deadline, the scheduler marks the item overdue."""


def _overdue(deadline: str) -> tuple[TimeLimit, ...]:
    label = ("超过完成时限", "past the deadline")
    return tuple(TimeLimit(state, "mark_overdue", deadline=deadline, label=label) for state in OPEN)


_TASK_STATES = ("assigned", "in_progress", "overdue", "closure_requested", "closed", "reopened")
_TASK_MOVES = (
    _m("start", "assigned reopened", "in_progress", Actor.EXECUTOR),
    _m(
        "request_closure",
        "assigned in_progress overdue reopened",
        "closure_requested",
        Actor.EXECUTOR,
        evidence=True,
    ),
    _m("reject_closure", "closure_requested", "in_progress", Actor.SUPERVISOR, note=True),
    _m("close", "closure_requested", "closed", Actor.SUPERVISOR),
    _m("mark_overdue", " ".join(OPEN), "overdue", Actor.SYSTEM),
    _m("reopen", "closed", "reopened", Actor.SUPERVISOR, note=True),
)
TASK = Machine(
    subject="task",
    title=MESSAGES["plans.subject.task"],
    initial="assigned",
    states=_TASK_STATES,
    moves=_TASK_MOVES,
    state_names=_names("state", _TASK_STATES),
    move_names=_names("move", tuple(m.name for m in _TASK_MOVES)),
    limits=_overdue("due"),
)
"""Task (重点任务): assigned → in_progress → closure_requested → closed (+ overdue, reopened)."""

_ITEM_STATES = (
    "assigned",
    "in_progress",
    "overdue",
    "closure_requested",
    "verified",
    "closed",
    "reopened",
)
_ITEM_MOVES = (
    _m("start", "assigned reopened", "in_progress", Actor.EXECUTOR),
    _m(
        "request_closure",
        "assigned in_progress overdue reopened",
        "closure_requested",
        Actor.EXECUTOR,
        evidence=True,
    ),
    _m(
        "reject_closure",
        "closure_requested verified",
        "in_progress",
        Actor.SUPERVISOR,
        note=True,
    ),
    _m("verify", "closure_requested", "verified", Actor.SUPERVISOR),
    _m("close", "verified", "closed", Actor.SIGNER),
    _m("mark_overdue", " ".join(OPEN), "overdue", Actor.SYSTEM),
    _m("reopen", "closed", "reopened", Actor.SUPERVISOR, note=True),
)
RECTIFICATION = Machine(
    subject="rectification",
    title=MESSAGES["plans.subject.rectification"],
    initial="assigned",
    states=_ITEM_STATES,
    moves=_ITEM_MOVES,
    state_names=_names("state", _ITEM_STATES),
    move_names=_names("move", tuple(m.name for m in _ITEM_MOVES)),
    limits=_overdue("deadline"),
)
"""Rectification item (整改事项): as a task, plus ``verified`` and two sign-offs from different
roles before ``closed`` (销号); ``reopen`` after a regression check (回头看)."""

REQUIRED_SIGNOFFS = 2

ESCALATION_STEPS = ("问题交办", "书面督办", "限期整改", "通报批评", "分级约谈", "严肃问责")
"""The six-step method (六步法); step 1 is the assignment itself."""
DEFAULT_ESCALATION_DAYS = (1, 7, 15, 30, 60)
"""Days overdue at which steps 2–6 are reached unless a plan sets its own."""


def check_move(
    machine: Machine,
    name: str,
    state: str,
    principal: Principal,
    region_code: str,
    *,
    has_evidence: bool,
    note: str | None,
    closure_requested_by: str | None,
) -> Move:
    """The move ``name`` from ``state`` if ``principal`` may make it now on an item of
    ``region_code``; else a refusal (the engine's :func:`check_move`)."""
    return statemachine.check_move(
        machine,
        name,
        state,
        principal,
        region_code,
        has_evidence=has_evidence,
        note=note,
        requested_by=closure_requested_by,
    )
