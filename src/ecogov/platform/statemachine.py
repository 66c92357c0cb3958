"""The one state-machine engine: a workflow as a table of states, moves and clocks (data, not
code paths), used by every domain whose records move through states (tasks, rectification
items, HJ 212 reverse commands, and the manifests, penalty cases and complaints to come).

A :class:`Machine` lists its states, its initial and final states, its :class:`Move` rows (name,
source states, target state, the *actor kind* who may make it, whether it needs evidence or a
note, whether it must be made by someone other than the one who asked for it) and its
:class:`TimeLimit` clocks (in a state, after a duration or past a deadline attribute of the
subject, a named move fires: ``mark_overdue``, ``time_out``, ``expire`` …). The table is checked
when it is built (unknown or unreachable states, moves out of final states, clocks naming no
move).

:func:`check_move` decides whether a principal may make a move now and refuses with a reason in
zh-CN and English (the i18n catalogue); :func:`due_moves` lists the timed moves to fire at a given
(simulated) time. Actor kinds are predicates registered by name (:func:`register_actor`): the
domains supply their rules ("executor", "supervisor", "signer", "officer_of_device_region" …);
this module names no domain and only defines ``system`` (the scheduler).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Final, Generic, TypeVar

from ecogov.platform.errors import Conflict, PermissionDenied
from ecogov.platform.i18n import Catalogue, register, translate
from ecogov.platform.scope import SYSTEM, Principal

Labels = tuple[str, str]
"""A (zh-CN, English) pair naming a state, a move, a subject or an actor kind."""

ActorRule = Callable[[Principal, Any], bool]
"""Whether a principal is of an actor kind for a subject (whatever the domain passes: a region
code, a record …)."""


A = TypeVar("A", bound=str)
"""The names of a machine's actor kinds (``str``, or a domain's ``StrEnum`` of them)."""


class MachineError(ValueError):
    """A state-machine table that cannot work (a programming error, found at import time)."""


# --- refusals --------------------------------------------------------------------------------

MESSAGES: Final[Catalogue] = {
    "fsm.refused.unknown_action": (
        "{subject}没有“{action}”这一操作（可用操作：{known}）",
        "{subject_en} has no action '{action}' (actions: {known_codes})",
    ),
    "fsm.refused.state": (
        "{subject}当前为“{state}”，不能{move}：该操作仅适用于{sources}状态{now}",
        "{code} is {state_code}: '{action}' is allowed only from {source_codes}{now_en}",
    ),
    "fsm.refused.state.now": ("；当前可办理：{allowed}", "; possible now: {allowed}"),
    "fsm.refused.target": (
        "{subject}不能从“{state}”转为“{target}”",
        "{subject_en} cannot go from {state_code} to {target_code}",
    ),
    "fsm.refused.actor": ("{move}须由{actor}办理", "'{move_en}' is for {actor_en}"),
    "fsm.refused.evidence": (
        "{move}须先提交进展情况并附至少一份佐证材料",
        "'{move_en}' needs a progress report with at least one evidence file",
    ),
    "fsm.refused.note": ("{move}须填写理由说明", "'{move_en}' needs a note saying why"),
    "fsm.refused.four_eyes": (
        "{move}须由申请人以外的人员办理（双人把关）",
        "'{move_en}' must be made by someone other than the requester",
    ),
    "fsm.actor.system": ("系统定时任务", "the scheduler"),
    "fsm.column.move": ("操作", "Move"),
    "fsm.column.sources": ("适用状态", "From"),
    "fsm.column.target": ("办理后状态", "To"),
    "fsm.column.actor": ("办理人", "Who"),
    "fsm.column.evidence": ("须附佐证", "Evidence"),
    "fsm.column.note": ("须填理由", "Note"),
    "fsm.column.four_eyes": ("非申请人办理", "Not the requester"),
    "fsm.column.clock": ("时限", "Time limit"),
}
register(MESSAGES)


class Refusal:
    """Why a move was refused: a message key of the catalogue and its parameters, readable in
    both languages; ``str()`` of the error is the zh-CN text followed by the English one."""

    reason: str
    params: Mapping[str, str]

    def text(self, language: str = "zh") -> str:
        """The refusal in ``language`` (``zh`` or ``en``)."""
        return translate(f"fsm.refused.{self.reason}", language).format(**self.params)

    def _both(self) -> str:
        return f"{self.text('zh')}（{self.text('en')}）"


class MoveRefused(Refusal, Conflict):
    """The move does not exist, is not allowed from the state, or lacks evidence or a note."""

    def __init__(self, reason: str, params: Mapping[str, str]) -> None:
        self.reason, self.params = reason, dict(params)
        super().__init__(self._both())


class ActorRefused(Refusal, PermissionDenied):
    """The principal is not of the move's actor kind, or asked for what they now would decide."""

    def __init__(self, reason: str, params: Mapping[str, str]) -> None:
        self.reason, self.params = reason, dict(params)
        super().__init__(self._both())


# --- actor kinds -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ActorKind:
    """Who may make a move: a named rule and how to say who that is."""

    name: str
    label: Labels
    rule: ActorRule

    def admits(self, principal: Principal, subject: Any) -> bool:
        """Whether ``principal`` is of this kind for ``subject``."""
        return self.rule(principal, subject)


_actors: dict[str, ActorKind] = {}


def register_actor(name: str, label: Labels, rule: ActorRule) -> ActorKind:
    """Register an actor kind (a domain's rule of who may make its moves); a name may be
    registered once only (again with the same rule is a no-op)."""
    known = _actors.get(name)
    if known is not None and known.rule is not rule:
        raise MachineError(f"actor kind {name!r} registered twice with different rules")
    kind = ActorKind(name, label, rule)
    _actors[name] = kind
    register({f"fsm.actor.{name}": label})
    return kind


def actor_kind(name: str) -> ActorKind:
    """The actor kind registered as ``name``."""
    try:
        return _actors[name]
    except KeyError:
        raise MachineError(f"actor kind {name!r} is not registered") from None


def _is_scheduler(principal: Principal, subject: Any) -> bool:
    return principal.username == SYSTEM.username


SYSTEM_ACTOR: Final = register_actor("system", MESSAGES["fsm.actor.system"], _is_scheduler)
"""The scheduler: moves fired by clocks (:func:`due_moves`)."""


# --- the table -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Move(Generic[A]):
    """An allowed transition: from any of ``sources`` to ``target``, made by ``actor``."""

    name: str
    sources: frozenset[str]
    target: str
    actor: A
    needs_evidence: bool = False
    needs_note: bool = False
    four_eyes: bool = False
    """Refused to the person who asked for it (the ``requested_by`` of :func:`check_move`)."""


@dataclass(frozen=True)
class TimeLimit:
    """A clock of a state: while the subject is in ``state``, once ``now`` is past the clock's
    end, the move ``move`` fires. The end is the subject's ``deadline`` attribute (plus
    ``after`` when given), or its ``since`` attribute plus ``after``; a subject whose attribute
    is None has no running clock. ``when`` narrows a clock to the subjects it holds for (two
    clocks of one state choose between two moves, e.g. resend or time out)."""

    state: str
    move: str
    after: timedelta | None = None
    since: str | None = None
    deadline: str | None = None
    when: Callable[[Any], bool] | None = None
    label: Labels | None = None
    """The clock in words, for :meth:`Machine.describe` (default: its attribute and duration)."""

    def end(self, subject: Any) -> date | None:
        """When the clock runs out for ``subject`` (None: no clock running)."""
        start = getattr(subject, self.deadline or self.since or "")
        if start is None:
            return None
        assert isinstance(start, date)
        return start if self.after is None else start + self.after

    def describe(self, language: str = "zh") -> str:
        """The clock in words: its label, else '<attribute> + duration'."""
        if self.label is not None:
            return _pick(self.label, "", language)
        parts = [p for p in (self.deadline or self.since, _duration(self.after)) if p]
        return " + ".join(parts)


def _duration(after: timedelta | None) -> str:
    if after is None:
        return ""
    seconds = after.total_seconds()
    if seconds % 86_400 == 0:
        return f"{int(seconds // 86_400)} d"
    if seconds % 3600 == 0:
        return f"{int(seconds // 3600)} h"
    return f"{seconds:g} s"


@dataclass(frozen=True)
class MoveRow:
    """One line of a machine's table for the documentation (:meth:`Machine.describe`)."""

    move: str
    name: str
    sources: tuple[str, ...]
    target: str
    actor: str
    needs_evidence: bool
    needs_note: bool
    four_eyes: bool
    clock: str


@dataclass(frozen=True)
class Machine(Generic[A]):
    """A state machine, checked when built (:class:`MachineError` when the table cannot work)."""

    subject: str
    """What moves through it (a code, e.g. ``task``)."""
    title: Labels
    initial: str
    states: tuple[str, ...]
    moves: tuple[Move[A], ...]
    state_names: Mapping[str, Labels]
    move_names: Mapping[str, Labels]
    finals: frozenset[str] = frozenset()
    limits: tuple[TimeLimit, ...] = ()
    _by_name: Mapping[str, Move[A]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_name", {m.name: m for m in self.moves})
        validate(self)

    def move(self, name: str) -> Move[A]:
        """The move called ``name``; refused (Conflict) when the machine has none."""
        found = self._by_name.get(name)
        if found is None:
            known = [m.name for m in self.moves]
            raise MoveRefused(
                "unknown_action",
                {
                    "subject": self.title[0],
                    "subject_en": self.subject,
                    "action": name,
                    "known": "、".join(self.move_name(m) for m in known),
                    "known_codes": ", ".join(known),
                },
            )
        return found

    def moves_from(self, state: str) -> tuple[Move[A], ...]:
        """The moves the table allows out of ``state``."""
        return tuple(m for m in self.moves if state in m.sources)

    def move_to(self, state: str, target: str) -> Move[A]:
        """The move from ``state`` to ``target`` (for machines driven by what happened, not by a
        named action); refused (Conflict) when the table has none."""
        for candidate in self.moves_from(state):
            if candidate.target == target:
                return candidate
        raise MoveRefused(
            "target",
            {
                "subject": self.title[0],
                "subject_en": self.subject,
                "state": self.state_name(state),
                "state_code": state,
                "target": self.state_name(target),
                "target_code": target,
            },
        )

    def is_final(self, state: str) -> bool:
        """Whether ``state`` ends the subject's life (no move leaves it)."""
        return state in self.finals

    def open_states(self) -> tuple[str, ...]:
        """The states that are not final, in table order."""
        return tuple(s for s in self.states if s not in self.finals)

    def state_name(self, state: str, language: str = "zh") -> str:
        """The name of ``state`` in ``language`` (the code for a state not in the table)."""
        return _pick(self.state_names.get(state), state, language)

    def move_name(self, move: str, language: str = "zh") -> str:
        """The name of the move ``move`` in ``language``."""
        return _pick(self.move_names.get(move), move, language)

    def describe(self, language: str = "zh") -> list[MoveRow]:
        """The table as rows for the documentation: one per move, with its clocks."""
        rows = []
        for move in self.moves:
            clocks = [
                f"{self.state_name(limit.state, language)}: {limit.describe(language)}"
                for limit in self.limits
                if limit.move == move.name
            ]
            rows.append(
                MoveRow(
                    move=move.name,
                    name=self.move_name(move.name, language),
                    sources=tuple(self.state_name(s, language) for s in _ordered(self, move)),
                    target=self.state_name(move.target, language),
                    actor=translate(f"fsm.actor.{move.actor}", language),
                    needs_evidence=move.needs_evidence,
                    needs_note=move.needs_note,
                    four_eyes=move.four_eyes,
                    clock="; ".join(clocks),
                )
            )
        return rows

    def markdown(self, language: str = "zh") -> str:
        """:meth:`describe` as a Markdown table."""
        keys = ("move", "sources", "target", "actor", "evidence", "note", "four_eyes", "clock")
        head = [translate(f"fsm.column.{key}", language) for key in keys]
        mark = "✓" if language == "zh" else "yes"
        lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        for row in self.describe(language):
            cells = (
                f"{row.name} (`{row.move}`)",
                "、".join(row.sources) if language == "zh" else ", ".join(row.sources),
                row.target,
                row.actor,
                mark if row.needs_evidence else "",
                mark if row.needs_note else "",
                mark if row.four_eyes else "",
                row.clock,
            )
            lines.append("| " + " | ".join(cells) + " |")
        return "\n".join(lines)


def document(machines: Iterable[Machine[Any]]) -> str:
    """A Markdown page of ``machines`` for the documentation: per machine its states (zh-CN and
    English names, initial and final marked) and its table of moves (:meth:`Machine.markdown`)."""
    parts = [
        "# 业务流程状态机 · Workflow state machines",
        "",
        "Generated from the tables of `ecogov.platform.statemachine`; do not edit by hand.",
    ]
    for machine in machines:
        parts += ["", f"## {machine.title[0]} · {machine.title[1]} (`{machine.subject}`)", ""]
        parts += ["| 状态 | State | 代码 | |", "|---|---|---|---|"]
        for state in machine.states:
            kind = "初始 initial" if state == machine.initial else ""
            kind = "终止 final" if machine.is_final(state) else kind
            names = f"{machine.state_name(state)} | {machine.state_name(state, 'en')}"
            parts.append(f"| {names} | `{state}` | {kind} |")
        parts += ["", machine.markdown("zh"), "", machine.markdown("en")]
    return "\n".join(parts) + "\n"


def _pick(labels: Labels | None, code: str, language: str) -> str:
    if labels is None:
        return code
    return labels[1] if language == "en" else labels[0]


def _ordered(machine: Machine[A], move: Move[A]) -> list[str]:
    """A move's sources in the order of the machine's states."""
    return [s for s in machine.states if s in move.sources]


def validate(machine: Machine[A]) -> None:
    """Refuse a table that cannot work: unknown states or actor kinds, duplicate moves, moves out
    of final states, unreachable states, clocks naming no move, and missing names (every state
    and move has a zh-CN name)."""
    states = set(machine.states)
    problems: list[str] = []
    if len(states) != len(machine.states):
        problems.append("a state is listed twice")
    if machine.initial not in states:
        problems.append(f"initial state {machine.initial!r} is not a state")
    problems += [f"final state {s!r} is not a state" for s in sorted(machine.finals - states)]
    names = [m.name for m in machine.moves]
    problems += [
        f"move {n!r} is listed twice" for n in sorted({n for n in names if names.count(n) > 1})
    ]
    for move in machine.moves:
        unknown = sorted((move.sources | {move.target}) - states)
        problems += [f"move {move.name!r} names unknown state {s!r}" for s in unknown]
        if not move.sources:
            problems.append(f"move {move.name!r} has no source state")
        problems += [
            f"move {move.name!r} leaves final state {s!r}"
            for s in sorted(move.sources & machine.finals)
        ]
        if move.actor not in _actors:
            problems.append(f"move {move.name!r}: actor kind {move.actor!r} is not registered")
        if move.name not in machine.move_names:
            problems.append(f"move {move.name!r} has no name")
    problems += _check_limits(machine)
    problems += [f"state {s!r} has no name" for s in machine.states if s not in machine.state_names]
    if not problems:
        problems += [f"state {s!r} is unreachable" for s in unreachable(machine)]
    if problems:
        raise MachineError(f"state machine {machine.subject!r}: " + "; ".join(problems))


def _check_limits(machine: Machine[A]) -> list[str]:
    problems = []
    by_name = {m.name: m for m in machine.moves}
    for limit in machine.limits:
        move = by_name.get(limit.move)
        if move is None:
            problems.append(f"time limit of {limit.state!r} fires unknown move {limit.move!r}")
        elif limit.state not in move.sources:
            problems.append(f"time limit fires {limit.move!r}, not allowed from {limit.state!r}")
        if (limit.deadline is None) == (limit.since is None):
            problems.append(f"time limit of {limit.state!r} needs a deadline or a since, not both")
        if limit.since is not None and limit.after is None:
            problems.append(f"time limit of {limit.state!r} counts from {limit.since!r}: no after")
    return problems


def unreachable(machine: Machine[A]) -> list[str]:
    """The states no sequence of moves reaches from the initial state."""
    seen, todo = {machine.initial}, [machine.initial]
    while todo:
        for move in machine.moves_from(todo.pop()):
            if move.target not in seen:
                seen.add(move.target)
                todo.append(move.target)
    return [s for s in machine.states if s not in seen]


# --- deciding --------------------------------------------------------------------------------


def check_move(
    machine: Machine[A],
    action: str,
    state: str,
    principal: Principal,
    subject: Any,
    *,
    has_evidence: bool = False,
    note: str | None = None,
    requested_by: str | None = None,
) -> Move[A]:
    """The move ``action`` out of ``state`` if ``principal`` may make it now on ``subject``
    (what the actor kinds' rules read: a region code, a record …); else a refusal, in this
    order: unknown action, not allowed from this state (the moves allowed listed), actor not
    allowed, four-eyes (``requested_by`` may not make a ``four_eyes`` move), evidence missing,
    note missing."""
    move = machine.move(action)
    if state not in move.sources:
        raise _state_refusal(machine, move, state, principal, subject)
    kind = actor_kind(move.actor)
    if not kind.admits(principal, subject):
        raise ActorRefused("actor", _params(machine, move, actor=kind.label))
    if move.four_eyes and requested_by is not None and principal.username == requested_by:
        raise ActorRefused("four_eyes", _params(machine, move))
    if move.needs_evidence and not has_evidence:
        raise MoveRefused("evidence", _params(machine, move))
    if move.needs_note and not (note and note.strip()):
        raise MoveRefused("note", _params(machine, move))
    return move


def _params(machine: Machine[A], move: Move[A], actor: Labels | None = None) -> dict[str, str]:
    params = {
        "move": f"“{machine.move_name(move.name)}”",
        "move_en": machine.move_name(move.name, "en"),
        "action": move.name,
    }
    if actor is not None:
        params |= {"actor": actor[0], "actor_en": actor[1]}
    return params


def _state_refusal(
    machine: Machine[A], move: Move[A], state: str, principal: Principal, subject: Any
) -> MoveRefused:
    allowed = [
        m.name
        for m in machine.moves_from(state)
        if m.actor != SYSTEM_ACTOR.name and actor_kind(m.actor).admits(principal, subject)
    ]
    now = translate("fsm.refused.state.now").format(
        allowed="、".join(f"“{machine.move_name(m)}”" for m in allowed)
    )
    now_en = translate("fsm.refused.state.now", "en").format(allowed=", ".join(allowed))
    return MoveRefused(
        "state",
        _params(machine, move)
        | {
            "subject": machine.title[0],
            "code": machine.subject,
            "state": machine.state_name(state),
            "state_code": state,
            "sources": "、".join(f"“{machine.state_name(s)}”" for s in _ordered(machine, move)),
            "source_codes": ", ".join(sorted(move.sources)),
            "now": now if allowed else "",
            "now_en": now_en if allowed else "",
        },
    )


# --- clocks ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Due(Generic[A]):
    """A timed move to fire now: ``move`` on ``subject``, by ``limit``."""

    subject: Any
    move: Move[A]
    limit: TimeLimit


def due_moves(
    machine: Machine[A],
    subjects: Iterable[Any],
    now: date,
    *,
    state_of: Callable[[Any], str] = lambda subject: str(subject.state),
) -> list[Due[A]]:
    """The timed moves to fire at ``now`` (a date or a datetime, as the clocks' attributes are):
    for each subject, the first clock of its state that has run out (``now`` strictly past its
    end) and holds for it. ``state_of`` reads a subject's state (its ``state`` attribute by
    default)."""
    by_state: dict[str, list[TimeLimit]] = {}
    for limit in machine.limits:
        by_state.setdefault(limit.state, []).append(limit)
    due = []
    for subject in subjects:
        for limit in by_state.get(state_of(subject), ()):
            end = limit.end(subject)
            if end is None or not now > end:
                continue
            if limit.when is not None and not limit.when(subject):
                continue
            due.append(Due(subject, machine.move(limit.move), limit))
            break
    return due


@dataclass(frozen=True)
class Sweep(Generic[A]):
    """One look at a machine's clocks: the timed moves due now (``late``) and the subjects whose
    clock runs out within the warning days without being late yet (``warned``)."""

    late: list[Due[A]]
    warned: list[Any]


def sweep(
    machine: Machine[A],
    subjects: Sequence[Any],
    today: date,
    *,
    days_left: Callable[[Any], int | None],
    warn_days: int,
) -> Sweep[A]:
    """The clocks of ``subjects`` at ``today``: :func:`due_moves`, and the other subjects whose
    ``days_left`` (None: no clock runs) is at most ``warn_days`` — what a domain's clock run
    escalates (red) and warns of (yellow)."""
    late = due_moves(machine, subjects, today)
    late_ids = {id(due.subject) for due in late}
    warned = [
        subject
        for subject in subjects
        if id(subject) not in late_ids
        and (left := days_left(subject)) is not None
        and left <= warn_days
    ]
    return Sweep(late, warned)
