"""Workflows of tasks and rectification items as explicit state machines (data, not code paths).

A move is allowed only when the table lists it from the current state; who may make it is one of
four actor kinds; some moves need evidence (a progress report with at least one file) or a note.
Anything else is refused with a reason the user can act on.

Actor kinds:

* ``executor`` — an officer whose region covers the item (the unit doing the work), or an admin;
* ``supervisor`` — an officer of a region strictly above the item's region, or an admin; for a
  province-level item, a province officer. Never the person who asked for the closure
  (four-eyes rule);
* ``system`` — the scheduler (marks overdue items);
* ``signer`` — a supervisor or a leader, signing off a verified item (验收销号双签字).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from ecogov.platform.errors import Conflict, PermissionDenied
from ecogov.platform.scope import OFFICER_ROLES, Principal, Role, region_prefix


class Actor(StrEnum):
    """Who may make a move."""

    EXECUTOR = "executor"
    SUPERVISOR = "supervisor"
    SYSTEM = "system"
    SIGNER = "signer"


@dataclass(frozen=True)
class Move:
    """An allowed transition."""

    name: str
    sources: frozenset[str]
    target: str
    actor: Actor
    needs_evidence: bool = False
    needs_note: bool = False


@dataclass(frozen=True)
class Machine:
    """A state machine: its states, initial state and moves."""

    subject: str
    initial: str
    states: tuple[str, ...]
    moves: tuple[Move, ...]

    def move(self, name: str) -> Move:
        """The move called ``name``; Conflict when the machine has none."""
        for move in self.moves:
            if move.name == name:
                return move
        known = ", ".join(m.name for m in self.moves)
        raise Conflict(f"{self.subject} has no action {name!r} (actions: {known})")

    def open_states(self) -> frozenset[str]:
        """States from which an item can still become overdue."""
        overdue = self.move("mark_overdue")
        return overdue.sources


def _m(
    name: str,
    sources: str,
    target: str,
    actor: Actor,
    *,
    evidence: bool = False,
    note: bool = False,
) -> Move:
    return Move(name, frozenset(sources.split()), target, actor, evidence, note)


TASK = Machine(
    subject="task",
    initial="assigned",
    states=("assigned", "in_progress", "overdue", "closure_requested", "closed", "reopened"),
    moves=(
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
        _m("mark_overdue", "assigned in_progress reopened", "overdue", Actor.SYSTEM),
        _m("reopen", "closed", "reopened", Actor.SUPERVISOR, note=True),
    ),
)
"""Task (重点任务): assigned → in_progress → closure_requested → closed (+ overdue, reopened)."""

RECTIFICATION = Machine(
    subject="rectification",
    initial="assigned",
    states=(
        "assigned",
        "in_progress",
        "overdue",
        "closure_requested",
        "verified",
        "closed",
        "reopened",
    ),
    moves=(
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
        _m("mark_overdue", "assigned in_progress reopened", "overdue", Actor.SYSTEM),
        _m("reopen", "closed", "reopened", Actor.SUPERVISOR, note=True),
    ),
)
"""Rectification item (整改事项): as a task, plus ``verified`` and two sign-offs from different
roles before ``closed`` (销号); ``reopen`` after a regression check (回头看)."""

REQUIRED_SIGNOFFS = 2

ESCALATION_STEPS = ("问题交办", "书面督办", "限期整改", "通报批评", "分级约谈", "严肃问责")
"""The six-step method (六步法); step 1 is the assignment itself."""
DEFAULT_ESCALATION_DAYS = (1, 7, 15, 30, 60)
"""Days overdue at which steps 2–6 are reached unless a plan sets its own."""


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
    """The move ``name`` from ``state`` if ``principal`` may make it now; else a refusal."""
    move = machine.move(name)
    if state not in move.sources:
        allowed = ", ".join(sorted(move.sources))
        raise Conflict(f"{machine.subject} is {state}: '{name}' is allowed only from {allowed}")
    _check_actor(move, principal, region_code, closure_requested_by)
    if move.needs_evidence and not has_evidence:
        raise Conflict(f"'{name}' needs a progress report with at least one evidence file")
    if move.needs_note and not (note and note.strip()):
        raise Conflict(f"'{name}' needs a note saying why")
    return move


def _check_actor(
    move: Move, principal: Principal, region_code: str, closure_requested_by: str | None
) -> None:
    if move.actor is Actor.SYSTEM:
        if principal.username != "system":
            raise PermissionDenied(f"'{move.name}' is made by the scheduler only")
        return
    if move.actor is Actor.EXECUTOR:
        if not is_executor(principal, region_code):
            raise PermissionDenied(f"'{move.name}' is for the officers of region {region_code}")
        return
    allowed = is_supervisor(principal, region_code) or (
        move.actor is Actor.SIGNER
        and principal.role is Role.LEADER
        and principal.can_see_region(region_code)
    )
    if not allowed:
        raise PermissionDenied(f"'{move.name}' is for the level above region {region_code}")
    if move.actor is Actor.SUPERVISOR and principal.username == closure_requested_by:
        raise PermissionDenied(f"'{move.name}' must be made by someone other than the requester")
