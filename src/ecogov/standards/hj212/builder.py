"""Build HJ 212 packets: framing, answers 9011–9014 and the host's reverse commands (Appendix C).

:func:`build_packet` writes ``##`` + length + data segment + CRC16 + CR LF for a
:class:`~ecogov.standards.hj212.packet.DataSegment`, after checking the segment against the same
rules the parser applies, so whatever it builds parses cleanly. Built from a parsed packet, it
reproduces the original bytes (for packets in canonical form: Table 3 order, no leading zeros in
Flag/PNUM/PNO, upper-case CRC).

The helpers return segments in the shape of the Appendix C examples: answers carry the request's
QN, PW and MN with ``ST=91`` and Flag without the A bit (C.1: ``Flag=4``); host requests set the A
bit (C.1: ``Flag=5``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Final

from ecogov.standards.hj212.crc import crc16, format_crc
from ecogov.standards.hj212.errors import BuildError, Violation, ViolationCode
from ecogov.standards.hj212.packet import CPArea, DataSegment
from ecogov.standards.hj212.parser import parse_packet
from ecogov.standards.hj212.profiles import HJ212_2017, LengthUnit, ProtocolProfile
from ecogov.standards.hj212.timestamps import BEIJING, format_timestamp

__all__ = [
    "REVERSE_COMMANDS",
    "Addressee",
    "ReverseCommand",
    "build_packet",
    "data_answer",
    "execution_result",
    "frame_segment",
    "new_qn",
    "notice_answer",
    "request",
    "request_answer",
    "reverse_command",
]

_INTERACTION_ST: Final = "91"  # Table 5: 系统交互


def frame_segment(segment: str, profile: ProtocolProfile = HJ212_2017) -> bytes:
    """Wrap data-segment text in a frame (§6.3.1 Table 2): ``##dddd`` + text + CRC + CR LF.

    The length counts UTF-8 bytes (or characters under ``LengthUnit.CHARACTERS``); the CRC is the
    profile's first flavour (Appendix A by default). Raises :class:`BuildError` when the length
    does not fit 4 digits or the text cannot be encoded.
    """
    try:
        body = segment.encode("utf-8")
    except (AttributeError, UnicodeEncodeError) as exc:
        particulars = Violation(ViolationCode.ENCODING, f"cannot encode as UTF-8: {exc}")
        raise BuildError([particulars]) from exc
    length = len(segment) if profile.length_unit is LengthUnit.CHARACTERS else len(body)
    if length > 9999:
        message = f"a data segment of {length} does not fit the 4-digit length field"
        raise BuildError([Violation(ViolationCode.FRAME_TOO_LONG, message)])
    crc = format_crc(crc16(body, profile.crc_flavours[0]))
    return b"##%04d%b%b\r\n" % (length, body, crc.encode("ascii"))


def build_packet(segment: DataSegment, profile: ProtocolProfile = HJ212_2017) -> bytes:
    """The frame of ``segment`` (§6.3.1–§6.3.3); :class:`BuildError` if it breaks a rule.

    The check is the parser's own, under ``profile``: a segment that would not parse strictly is
    not built.
    """
    frame = frame_segment(segment.text(), profile)
    packet = parse_packet(frame, profile, strict=False)
    if packet.violations:
        raise BuildError(packet.violations)
    return frame


def new_qn(moment: datetime | None = None) -> str:
    """A request id ``YYYYMMDDhhmmsszzz`` (Table 3) for ``moment`` (default: now, Beijing time)."""
    return format_timestamp(moment or datetime.now(BEIJING), millis=True)


def _flag(profile: ProtocolProfile, *, ack: bool) -> int:
    """Flag with the profile's (lowest accepted) version bits and the A bit (§6.3.2)."""
    return (min(profile.flag_versions) << 2) | (1 if ack else 0)


def _answer(to: DataSegment, cn: str, cp: CPArea, profile: ProtocolProfile) -> DataSegment:
    """An interaction answer (ST=91) echoing the QN, PW and MN of the packet it answers (§6.6.5)."""
    return DataSegment(
        qn=to.qn,
        st=_INTERACTION_ST,
        cn=cn,
        pw=to.pw,
        mn=to.mn,
        flag=_flag(profile, ack=False),
        cp=cp,
    )


def request_answer(
    to: DataSegment, qn_rtn: int = 1, profile: ProtocolProfile = HJ212_2017
) -> DataSegment:
    """9011 请求应答 with ``QnRtn`` (§6.6.3 Table 7; 1 = ready to execute), e.g. Table C.1."""
    return _answer(to, "9011", CPArea.from_records([{"QnRtn": qn_rtn}]), profile)


def execution_result(
    to: DataSegment, exe_rtn: int = 1, profile: ProtocolProfile = HJ212_2017
) -> DataSegment:
    """9012 执行结果 with ``ExeRtn`` (§6.6.2 Table 6; 1 = success), e.g. Table C.1."""
    return _answer(to, "9012", CPArea.from_records([{"ExeRtn": exe_rtn}]), profile)


def notice_answer(to: DataSegment, profile: ProtocolProfile = HJ212_2017) -> DataSegment:
    """9013 通知应答 with an empty CP, answering a notice such as 2012 (Table C.11)."""
    return _answer(to, "9013", CPArea(), profile)


def data_answer(to: DataSegment, profile: ProtocolProfile = HJ212_2017) -> DataSegment:
    """9014 数据应答 with an empty CP, answering an upload whose Flag has the A bit (Table C.48)."""
    return _answer(to, "9014", CPArea(), profile)


@dataclass(frozen=True)
class Addressee:
    """The site a host command goes to: system code ST (Table 5), PW and MN (Table 3), and the
    profile whose Flag version the command carries."""

    st: str
    pw: str
    mn: str
    profile: ProtocolProfile = HJ212_2017


def request(
    cn: str,
    to: Addressee,
    fields: Mapping[str, object] | None = None,
    *,
    qn: str | None = None,
    ack: bool = True,
) -> DataSegment:
    """A host→site command ``cn`` to ``to`` whose CP holds ``fields``, one per record (Table 9,
    Appendix C); any CN, unchecked (see :func:`reverse_command` for the reverse commands).

    ``qn`` defaults to :func:`new_qn`; ``ack`` sets Flag bit A as the Appendix C requests do.
    """
    records = [{name: value} for name, value in (fields or {}).items()]
    return DataSegment(
        qn=new_qn() if qn is None else qn,
        st=to.st,
        cn=cn,
        pw=to.pw,
        mn=to.mn,
        flag=_flag(to.profile, ack=ack),
        cp=CPArea.from_records(records),
    )


@dataclass(frozen=True)
class ReverseCommand:
    """A reverse command (反控): its example in Appendix C (Table C.x), the CP fields it takes in
    the order they are sent, and those it requires. Its name is in ``codes.COMMAND_CODES``."""

    example: str
    fields: tuple[str, ...] = ()
    required: frozenset[str] = frozenset()


_SPAN: Final = ("BeginTime", "EndTime")

REVERSE_COMMANDS: Final[Mapping[str, ReverseCommand]] = {
    "1011": ReverseCommand("C.2", ("PolId",)),  # the logger's time, or PolId's instrument's
    "1012": ReverseCommand("C.3", ("PolId", "SystemTime"), frozenset({"SystemTime"})),
    "1061": ReverseCommand("C.5"),
    "1062": ReverseCommand("C.6", ("RtdInterval",), frozenset({"RtdInterval"})),  # 30–3600 s
    "2011": ReverseCommand("C.10"),  # start real-time uploads
    "2012": ReverseCommand("C.11"),  # a notice, answered by 9013
    "2031": ReverseCommand("C.20", _SPAN, frozenset(_SPAN)),  # day history
    "2041": ReverseCommand("C.21", _SPAN, frozenset(_SPAN)),  # running-time history
    "2051": ReverseCommand("C.22", _SPAN, frozenset(_SPAN)),  # minute history
    "2061": ReverseCommand("C.23", _SPAN, frozenset(_SPAN)),  # hour history
    "3011": ReverseCommand("C.30", ("PolId",), frozenset({"PolId"})),  # zero/span calibration
    "3012": ReverseCommand("C.31", ("PolId",), frozenset({"PolId"})),  # sample now
}
"""The reverse commands by CN (Table 9). Times (SystemTime, BeginTime, EndTime) are sent in
Beijing time; RtdInterval is 30–3600 s (Table 4)."""


def reverse_command(
    cn: str,
    to: Addressee,
    fields: Mapping[str, object] | None = None,
    *,
    qn: str | None = None,
) -> DataSegment:
    """Reverse command ``cn`` of :data:`REVERSE_COMMANDS` to ``to``, its ``fields`` in the order
    the command lists them, e.g. ``reverse_command("1062", to, {"RtdInterval": 30})`` (Table C.6).

    Raises :class:`BuildError` for a CN not in the table, a field the command does not take, or
    a required field left out.
    """
    spec = REVERSE_COMMANDS.get(cn)
    if spec is None:
        message = f"CN={cn} is not a reverse command ({', '.join(REVERSE_COMMANDS)})"
        raise BuildError([Violation(ViolationCode.CN_FORMAT, message)])
    given = dict(fields or {})
    violations = [
        Violation(ViolationCode.FIELD_UNKNOWN, f"CN={cn} takes no field {name}")
        for name in given
        if name not in spec.fields
    ] + [
        Violation(ViolationCode.FIELD_MISSING, f"CN={cn} needs the field {name}")
        for name in sorted(spec.required - given.keys())
    ]
    if violations:
        raise BuildError(violations)
    ordered = {name: given[name] for name in spec.fields if name in given}
    return request(cn, to, ordered, qn=qn)
