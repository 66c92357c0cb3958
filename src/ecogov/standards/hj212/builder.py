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
from datetime import datetime
from typing import Final

from ecogov.standards.hj212.crc import crc16, format_crc
from ecogov.standards.hj212.errors import BuildError, Violation, ViolationCode
from ecogov.standards.hj212.packet import CPArea, DataSegment
from ecogov.standards.hj212.parser import parse_packet
from ecogov.standards.hj212.profiles import HJ212_2017, LengthUnit, ProtocolProfile
from ecogov.standards.hj212.timestamps import BEIJING, format_timestamp

__all__ = [
    "build_packet",
    "calibrate",
    "data_answer",
    "execution_result",
    "frame_segment",
    "get_history",
    "get_realtime_data",
    "get_rtd_interval",
    "get_site_time",
    "new_qn",
    "notice_answer",
    "request",
    "request_answer",
    "sample_now",
    "set_rtd_interval",
    "set_site_time",
    "stop_realtime_data",
]

_INTERACTION_ST: Final = "91"  # Table 5: 系统交互
_HISTORY_COMMANDS: Final = frozenset({"2031", "2041", "2051", "2061"})


def frame_segment(segment: str, profile: ProtocolProfile = HJ212_2017) -> bytes:
    """Wrap data-segment text in a frame (§6.3.1 Table 2): ``##dddd`` + text + CRC + CR LF.

    The length counts UTF-8 bytes (or characters under ``LengthUnit.CHARACTERS``); the CRC is the
    profile's first flavour (Appendix A by default). Raises :class:`BuildError` when the length
    does not fit 4 digits or the text cannot be encoded.
    """
    try:
        body = segment.encode("utf-8")
    except (AttributeError, UnicodeEncodeError) as exc:
        message = f"cannot encode the data segment as UTF-8: {exc}"
        raise BuildError([Violation(ViolationCode.ENCODING, message)]) from exc
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


def request(
    cn: str,
    fields: Mapping[str, object] | None = None,
    *,
    st: str,
    pw: str,
    mn: str,
    qn: str | None = None,
    ack: bool = True,
    profile: ProtocolProfile = HJ212_2017,
) -> DataSegment:
    """A host→site command ``cn`` whose CP holds ``fields``, one per record (Table 9, Appendix C).

    ``qn`` defaults to :func:`new_qn`; ``ack`` sets Flag bit A as the Appendix C requests do.
    """
    records = [{name: value} for name, value in (fields or {}).items()]
    return DataSegment(
        qn=new_qn() if qn is None else qn,
        st=st,
        cn=cn,
        pw=pw,
        mn=mn,
        flag=_flag(profile, ack=ack),
        cp=CPArea.from_records(records),
    )


def get_site_time(
    *,
    st: str,
    pw: str,
    mn: str,
    pol_id: str | None = None,
    qn: str | None = None,
    profile: ProtocolProfile = HJ212_2017,
) -> DataSegment:
    """1011 提取现场机时间 — of the data logger, or of the instrument for ``pol_id`` (Table C.2)."""
    fields = {} if pol_id is None else {"PolId": pol_id}
    return request("1011", fields, st=st, pw=pw, mn=mn, qn=qn, profile=profile)


def set_site_time(
    system_time: datetime,
    *,
    st: str,
    pw: str,
    mn: str,
    pol_id: str | None = None,
    qn: str | None = None,
    profile: ProtocolProfile = HJ212_2017,
) -> DataSegment:
    """1012 设置现场机时间 with ``SystemTime`` in Beijing time (Table C.3)."""
    fields: dict[str, object] = {} if pol_id is None else {"PolId": pol_id}
    fields["SystemTime"] = system_time
    return request("1012", fields, st=st, pw=pw, mn=mn, qn=qn, profile=profile)


def get_rtd_interval(
    *,
    st: str,
    pw: str,
    mn: str,
    qn: str | None = None,
    profile: ProtocolProfile = HJ212_2017,
) -> DataSegment:
    """1061 提取实时数据间隔 (Table C.5)."""
    return request("1061", st=st, pw=pw, mn=mn, qn=qn, profile=profile)


def set_rtd_interval(
    seconds: int,
    *,
    st: str,
    pw: str,
    mn: str,
    qn: str | None = None,
    profile: ProtocolProfile = HJ212_2017,
) -> DataSegment:
    """1062 设置实时数据间隔, ``RtdInterval`` 30–3600 s (Table 4, Table C.6)."""
    return request("1062", {"RtdInterval": seconds}, st=st, pw=pw, mn=mn, qn=qn, profile=profile)


def get_realtime_data(
    *,
    st: str,
    pw: str,
    mn: str,
    qn: str | None = None,
    profile: ProtocolProfile = HJ212_2017,
) -> DataSegment:
    """2011 取污染物实时数据: start real-time uploads (Table C.10)."""
    return request("2011", st=st, pw=pw, mn=mn, qn=qn, profile=profile)


def stop_realtime_data(
    *,
    st: str,
    pw: str,
    mn: str,
    qn: str | None = None,
    profile: ProtocolProfile = HJ212_2017,
) -> DataSegment:
    """2012 停止察看污染物实时数据, a notice answered by 9013 (Table C.11)."""
    return request("2012", st=st, pw=pw, mn=mn, qn=qn, profile=profile)


def get_history(
    cn: str,
    begin: datetime,
    end: datetime,
    *,
    st: str,
    pw: str,
    mn: str,
    qn: str | None = None,
    profile: ProtocolProfile = HJ212_2017,
) -> DataSegment:
    """History re-fetch 2031 (day), 2041 (running time), 2051 (minute), 2061 (hour) for
    ``BeginTime``–``EndTime`` (Tables C.20–C.23). Raises :class:`BuildError` for another ``cn``."""
    if cn not in _HISTORY_COMMANDS:
        message = f"CN={cn} is not a history command ({', '.join(sorted(_HISTORY_COMMANDS))})"
        raise BuildError([Violation(ViolationCode.CN_FORMAT, message)])
    fields = {"BeginTime": begin, "EndTime": end}
    return request(cn, fields, st=st, pw=pw, mn=mn, qn=qn, profile=profile)


def calibrate(
    pol_id: str,
    *,
    st: str,
    pw: str,
    mn: str,
    qn: str | None = None,
    profile: ProtocolProfile = HJ212_2017,
) -> DataSegment:
    """3011 零点校准量程校准 of the instrument for ``pol_id`` (Table C.30)."""
    return request("3011", {"PolId": pol_id}, st=st, pw=pw, mn=mn, qn=qn, profile=profile)


def sample_now(
    pol_id: str,
    *,
    st: str,
    pw: str,
    mn: str,
    qn: str | None = None,
    profile: ProtocolProfile = HJ212_2017,
) -> DataSegment:
    """3012 即时采样 by the instrument for ``pol_id`` (Table C.31)."""
    return request("3012", {"PolId": pol_id}, st=st, pw=pw, mn=mn, qn=qn, profile=profile)
