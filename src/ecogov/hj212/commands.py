"""Reverse commands (反控): from an officer's request to the device's 9012 execution result.

HJ 212-2017 §6.1 and §6.2: the host sends a request; the device answers 9011 (QnRtn, Table 7);
if it accepted (QnRtn=1) it executes, may upload data (1011 time, 1061 interval, the history
packets of 2031/2051/2061 …), and sends 9012 (ExeRtn, Table 6). A notice (2012 stop real-time
data) is answered by 9013 instead. A request unanswered within the request timeout is sent
again, up to the retry count (Table 1: 10 s, 3 times); an accepted request without a result
within the execution timeout times out.

A command is a row of ``hj212_command`` moving through the states of :data:`COMMANDS` (a table
of the platform's state-machine engine, whose clocks are the timeouts of :class:`Timing`); the
receiver sends queued commands to connected devices (:func:`take_due`) and applies what the
devices answer (:func:`apply_events`). Every state change is audited.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import Any, Final

from sqlalchemy import select
from sqlalchemy.orm import Session

from ecogov.hj212.access import COMMANDS as COMMAND_KIND
from ecogov.hj212.intake import CommandEvent
from ecogov.hj212.models import COMMAND_STATES, Command
from ecogov.platform import clock
from ecogov.platform.db import Database
from ecogov.platform.errors import InputError, NotFound
from ecogov.platform.i18n import Catalogue, both, register
from ecogov.platform.models import utcnow
from ecogov.platform.permissions import authorize
from ecogov.platform.scope import SYSTEM, Principal
from ecogov.platform.statemachine import Labels, Machine, Move, TimeLimit, due_moves
from ecogov.sources.models import Device
from ecogov.sources.protocols import profile_named
from ecogov.sources.service import find_device
from ecogov.standards.hj212 import (
    Addressee,
    HJ212Error,
    build_packet,
    new_qn,
    request,
    reverse_command,
)
from ecogov.standards.hj212.packet import DataSegment

ERRORS: Final[Catalogue] = {
    "hj212.error.command_needs": ("命令 {cn} 须填写 {name}", "command {cn} needs {name}"),
    "hj212.error.command_range": (
        "命令 {cn}：结束时间 {end} 早于开始时间 {begin}",
        "command {cn}: end {end} is before begin {begin}",
    ),
    "hj212.error.command_cn": (
        "CN={cn} 不是可下发的反控命令（可用：{offered}）",
        "CN={cn} is not a reverse command offered ({offered})",
    ),
    "hj212.error.command_build": (
        "MN={mn} 的命令 {cn} 无法生成：{reason}",
        "command {cn} for MN={mn}: {reason}",
    ),
    "hj212.error.no_command": (
        "命令 {id} 不存在或不在权限范围内",
        "command {id} does not exist or is outside your scope",
    ),
}
register(ERRORS)

NOTICES: Final = frozenset({"2012"})
"""Commands that are notices, finished by the device's 9013 (Table C.11)."""
HISTORY: Final = frozenset({"2031", "2041", "2051", "2061"})


STATE_NAMES: Final[dict[str, Labels]] = {
    "queued": ("排队待发", "Queued"),
    "sent": ("已下发", "Sent"),
    "accepted": ("设备已接受", "Accepted"),
    "succeeded": ("执行成功", "Succeeded"),
    "failed": ("执行失败", "Failed"),
    "refused": ("设备拒绝", "Refused"),
    "timed_out": ("超时", "Timed out"),
    "expired": ("已过期未下发", "Expired"),
}
"""The states of a command, in order; the last five are final."""
MOVE_NAMES: Final[dict[str, Labels]] = {
    "send": ("下发", "Send"),
    "resend": ("重发", "Send again"),
    "accept": ("设备接受（9011 QnRtn=1）", "Accepted (9011 QnRtn=1)"),
    "refuse": ("设备拒绝（9011 QnRtn≠1）", "Refused (9011 QnRtn≠1)"),
    "succeed": ("执行成功（9012 ExeRtn=1 或 9013）", "Succeeded (9012 ExeRtn=1, or 9013)"),
    "fail": ("执行失败（9012 ExeRtn≠1）", "Failed (9012 ExeRtn≠1)"),
    "time_out": ("超时", "Time out"),
    "expire": ("过期", "Expire"),
}
"""The moves of a command: all made by the receiver (actor kind ``system``), on the device's
answers or on a clock."""


@dataclass(frozen=True)
class CommandRequest:
    """What an officer asks a device to do. Which fields a command needs:

    1011 (get time): ``pol_id`` optional · 1012 (set time): ``system_time`` (default now) ·
    1061 · 1062: ``rtd_interval`` [s, 30–3600] · 2011 · 2012 · 2031/2041/2051/2061: ``begin``
    and ``end`` · 3011 (zero/span calibration), 3012 (sample now): ``pol_id``.
    """

    cn: str
    pol_id: str | None = None
    system_time: datetime | None = None
    rtd_interval: int | None = None
    begin: datetime | None = None
    end: datetime | None = None


@dataclass(frozen=True)
class CommandView:
    """A command as the API and the CLI show it."""

    id: int
    mn: str
    cn: str
    qn: str
    params: dict[str, Any]
    state: str
    attempts: int
    qn_rtn: int | None
    exe_rtn: int | None
    response: dict[str, Any] | None
    requested_by: str
    created_at: datetime
    sent_at: datetime | None
    answered_at: datetime | None
    finished_at: datetime | None


@dataclass(frozen=True)
class Timing:
    """Timeouts of the request flow [s] (HJ 212-2017 §6.2, Table 1) and the queue expiry."""

    request_timeout: float = 10.0
    retries: int = 3
    execution_timeout: float = 600.0
    queue_expiry: float = 86_400.0


def _retries_left(timing: Timing) -> Callable[[Any], bool]:
    return lambda command: bool(command.attempts < timing.retries)


def _retries_spent(timing: Timing) -> Callable[[Any], bool]:
    return lambda command: bool(command.attempts >= timing.retries)


@cache
def command_machine(timing: Timing) -> Machine[str]:
    """The reverse-command state machine with the clocks of ``timing``: a queued command not
    sent within the queue expiry expires; a sent request unanswered within the request timeout
    is sent again until the retries are spent, then times out; an accepted request without its
    result within the execution timeout times out (HJ 212-2017 §6.2, Table 1)."""
    unanswered = timedelta(seconds=timing.request_timeout)
    execution = timedelta(seconds=timing.execution_timeout)

    def m(name: str, sources: str, target: str) -> Move[str]:
        return Move(name, frozenset(sources.split()), target, "system")

    return Machine(
        subject="command",
        title=("反控命令", "Reverse command"),
        initial="queued",
        states=COMMAND_STATES,
        finals=frozenset({"succeeded", "failed", "refused", "timed_out", "expired"}),
        moves=(
            m("send", "queued", "sent"),
            m("resend", "sent", "sent"),
            m("accept", "sent", "accepted"),
            m("refuse", "sent", "refused"),
            m("succeed", "sent accepted", "succeeded"),
            m("fail", "sent accepted", "failed"),
            m("time_out", "sent accepted", "timed_out"),
            m("expire", "queued", "expired"),
        ),
        state_names=STATE_NAMES,
        move_names=MOVE_NAMES,
        limits=(
            TimeLimit(
                "queued",
                "expire",
                after=timedelta(seconds=timing.queue_expiry),
                since="created_at",
                label=(
                    f"排队超过 {timing.queue_expiry:g} 秒未下发",
                    f"queued for over {timing.queue_expiry:g} s",
                ),
            ),
            TimeLimit(
                "sent",
                "resend",
                after=unanswered,
                since="sent_at",
                when=_retries_left(timing),
                label=(
                    f"{timing.request_timeout:g} 秒未应答，已发送不足 {timing.retries} 次",
                    f"unanswered for {timing.request_timeout:g} s, "
                    f"sent fewer than {timing.retries} times",
                ),
            ),
            TimeLimit(
                "sent",
                "time_out",
                after=unanswered,
                since="sent_at",
                when=_retries_spent(timing),
                label=(
                    f"{timing.request_timeout:g} 秒未应答，已发送 {timing.retries} 次",
                    f"unanswered for {timing.request_timeout:g} s after {timing.retries} sends",
                ),
            ),
            TimeLimit(
                "accepted",
                "time_out",
                after=execution,
                since="answered_at",
                label=(
                    f"接受后 {timing.execution_timeout:g} 秒无执行结果",
                    f"no result {timing.execution_timeout:g} s after accepting",
                ),
            ),
        ),
    )


COMMANDS: Final = command_machine(Timing())
"""The reverse-command machine with the default timeouts (its clocks differ per
:class:`Timing`; its states and moves do not)."""


Builder = Callable[[CommandRequest], dict[str, object]]
"""Builds a command's CP fields from the request, refusing a request that lacks one it needs."""


def _need(value: Any, name: str, cn: str) -> Any:
    if value is None:
        raise InputError(both("hj212.error.command_needs", cn=cn, name=name))
    return value


def _history(req: CommandRequest) -> dict[str, object]:
    begin, end = _need(req.begin, "begin", req.cn), _need(req.end, "end", req.cn)
    if end < begin:
        raise InputError(both("hj212.error.command_range", cn=req.cn, end=end, begin=begin))
    return {"BeginTime": begin, "EndTime": end}


def _pol_id(req: CommandRequest) -> dict[str, object]:
    """``PolId`` when the request names an instrument (1011 and 1012 take it optionally)."""
    return {} if req.pol_id is None else {"PolId": req.pol_id}


def _instrument(req: CommandRequest) -> dict[str, object]:
    """The required ``PolId`` of an instrument command (3011, 3012)."""
    return {"PolId": _need(req.pol_id, "pol_id", req.cn)}


BUILDERS: Final[dict[str, Builder]] = {
    "1011": _pol_id,
    "1012": lambda r: {**_pol_id(r), "SystemTime": r.system_time or clock.now()},
    "1061": lambda r: {},
    "1062": lambda r: {"RtdInterval": _need(r.rtd_interval, "rtd_interval", r.cn)},
    "2011": lambda r: {},
    "2012": lambda r: {},
    **dict.fromkeys(HISTORY, _history),
    "3011": _instrument,
    "3012": _instrument,
}
"""The reverse commands offered, by CN (Table 9), with the CP fields each is sent with
(``REVERSE_COMMANDS`` of the codec gives their Appendix C tables)."""


def _view(command: Command) -> CommandView:
    return CommandView(
        id=command.id,
        mn=command.mn,
        cn=command.cn,
        qn=command.qn,
        params=dict(command.params),
        state=command.state,
        attempts=command.attempts,
        qn_rtn=command.qn_rtn,
        exe_rtn=command.exe_rtn,
        response=None if command.response is None else dict(command.response),
        requested_by=command.requested_by,
        created_at=command.created_at,
        sent_at=command.sent_at,
        answered_at=command.answered_at,
        finished_at=command.finished_at,
    )


def move(command: Command, state: str, now: datetime) -> None:
    """Move a command to ``state`` if :data:`COMMANDS` has a move to it from its state (refused
    with a ``Conflict`` otherwise); a final state stamps ``finished_at``."""
    COMMANDS.move_to(command.state, state)
    command.state = state
    if COMMANDS.is_final(state):
        command.finished_at = now


def _segment(device: Device, req: CommandRequest, qn: str) -> DataSegment:
    """The command's segment, checked by the codec against the device's profile."""
    builder = BUILDERS.get(req.cn)
    if builder is None:
        raise InputError(both("hj212.error.command_cn", cn=req.cn, offered=", ".join(BUILDERS)))
    profile = profile_named(device.profile)
    try:
        to = Addressee(device.system_code, device.pw, device.mn, profile)
        segment = reverse_command(req.cn, to, builder(req), qn=qn)
        build_packet(segment, profile)
    except HJ212Error as error:
        raise InputError(
            both("hj212.error.command_build", cn=req.cn, mn=device.mn, reason=error)
        ) from error
    return segment


def _queue(session: Session, device: Device, req: CommandRequest, by: str) -> Command:
    """Add a queued command for ``device`` (its CP fields kept as sent)."""
    segment = _segment(device, req, new_qn())
    command = Command(
        device_id=device.id,
        enterprise_id=device.enterprise_id,
        region_code=device.region_code,
        mn=device.mn,
        cn=req.cn,
        qn=segment.qn or "",
        params=dict(zip(segment.cp.names, segment.cp.raws, strict=True)),
        state="queued",
        attempts=0,
        requested_by=by,
    )
    session.add(command)
    return command


def send_command(db: Database, principal: Principal, mn: str, req: CommandRequest) -> CommandView:
    """Queue a reverse command for the device ``mn`` (officers within their region, admins).

    The receiver sends it as soon as the device is connected and tracks it until its result.
    """
    authorize(principal, "command", COMMAND_KIND)
    with db.transaction(principal, action=f"hj212.command.{req.cn}") as session:
        device = find_device(session, mn)
        authorize(principal, "command", COMMAND_KIND, device)
        command = _queue(session, device, req, principal.username)
        session.flush()
        return _view(command)


def get_command(db: Database, principal: Principal, command_id: int) -> CommandView:
    """One command within the caller's scope."""
    with db.transaction(principal) as session:
        command = session.get(Command, command_id)
        if command is None:
            raise NotFound(both("hj212.error.no_command", id=command_id))
        return _view(command)


def list_commands(
    db: Database, principal: Principal, mn: str | None = None, limit: int = 100
) -> list[CommandView]:
    """The newest commands within the caller's scope, of one device or all."""
    stmt = select(Command).order_by(Command.id.desc()).limit(limit)
    if mn is not None:
        stmt = stmt.where(Command.mn == mn)
    with db.transaction(principal) as session:
        return [_view(command) for command in session.scalars(stmt)]


@dataclass(frozen=True)
class Dispatch:
    """A command frame to write to the connection of device ``mn``."""

    mn: str
    frame: bytes


def _frame(session: Session, command: Command) -> bytes:
    """The command's frame, rebuilt from its stored CP fields and the device's current PW."""
    device = session.get(Device, command.device_id)
    assert device is not None
    to = Addressee(device.system_code, device.pw, command.mn, profile_named(device.profile))
    return build_packet(request(command.cn, to, command.params, qn=command.qn), to.profile)


def take_due(
    db: Database, connected: Collection[str], timing: Timing, *, everyone: bool = True
) -> list[Dispatch]:
    """Frames to send now: queued commands of connected devices, and resends of requests left
    unanswered; moves overdue commands to ``timed_out`` or ``expired``. Run by the receiver.

    ``everyone=False`` (the other processes of a receiver with several workers) looks only at
    the commands of the ``connected`` devices: the overdue ones of devices connected nowhere are
    left to the first worker, so that no two processes move the same command."""
    now = utcnow()
    due: list[Dispatch] = []
    with db.transaction(SYSTEM, action="hj212.command.dispatch") as session:
        open_states = COMMANDS.open_states()
        for command in session.scalars(select(Command).where(Command.state.in_(open_states))):
            if not everyone and command.mn not in connected:
                continue
            if _advance(command, now, connected, timing):
                due.append(Dispatch(command.mn, _frame(session, command)))
    return due


def _advance(command: Command, now: datetime, connected: Collection[str], timing: Timing) -> bool:
    """Apply the clocks of :func:`command_machine` to one open command; True when it is to be
    sent (again) now: a queued command of a connected device, or a resend that fell due."""
    for timed in due_moves(command_machine(timing), [command], now):
        if timed.move.name == "resend":
            return command.mn in connected and _send(command, now)
        move(command, timed.move.target, now)
        return False
    return command.state == COMMANDS.initial and command.mn in connected and _send(command, now)


def _send(command: Command, now: datetime) -> bool:
    move(command, "sent", now)
    command.attempts += 1
    command.sent_at = now
    return True


def apply_events(session: Session, events: Iterable[CommandEvent], timing: Timing) -> None:
    """Apply what devices said (in the receiver's batch transaction): 9011, 9012 and 9013
    answers, uploads answering a command, and 1013 time-calibration requests (which queue a
    1012 with the platform's time, Table C.4)."""
    now = utcnow()
    for event in events:
        if event.kind == "calibration":
            device = session.scalar(select(Device).where(Device.mn == event.mn))
            if device is not None:
                pol_id = event.fields.get("PolId")
                _queue(session, device, CommandRequest("1012", pol_id=pol_id), "receiver")
            continue
        command = session.scalar(
            select(Command).where(Command.mn == event.mn, Command.qn == (event.qn or ""))
        )
        if command is not None and not COMMANDS.is_final(command.state):
            _answer(command, event, now)


def _answer(command: Command, event: CommandEvent, now: datetime) -> None:
    """One device answer to an open command."""
    fields = event.fields
    if event.kind == "response":
        command.response = {**(command.response or {}), **fields}
        return
    if event.cn == "9011":
        command.qn_rtn = _int(fields.get("QnRtn"))
        command.answered_at = now
        if command.state == "sent":
            move(command, "accepted" if command.qn_rtn == 1 else "refused", now)
    elif event.cn == "9012":
        command.exe_rtn = _int(fields.get("ExeRtn"))
        move(command, "succeeded" if command.exe_rtn == 1 else "failed", now)
    elif event.cn == "9013" and command.cn in NOTICES:
        move(command, "succeeded", now)


def _int(text: str | None) -> int | None:
    return int(text) if text is not None and text.isdigit() else None
