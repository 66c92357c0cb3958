"""What the receiver does with one frame: parse, authenticate, route, and decide the reply.

:class:`Intake` is the receiver's logic without sockets or a database: a frame (or a framing
error) goes in, an :class:`Outcome` comes out — the rows to write (data record, raw archive,
rejects ledger, split part, command event) and the reply to send once they are committed.

Routing by command code (HJ 212-2017 §6.6.5 Table 9, Appendix C):

* data uploads 2011/2021/2031/2041/2051/2061/2081 — one record per (MN, CN, DataTime); 9014 when
  Flag bit A asks (C.48); split packets (PNUM/PNO) are joined first, each part answered (C.50);
* 9011/9012/9013/9014 from a device — answers to our reverse commands (§6.1), never answered;
* 1013 time-calibration request — a notice: 9013 (C.4), and a 1012 to set the time follows;
* other uploads (1011 time, 1061 interval, 3020 site information …) — kept with the command
  they answer, 9014 when asked.

A frame that breaks its device's profile, an unknown MN or a wrong PW is refused: a row in the
rejects ledger, and a 9011 with the matching QnRtn (Table 7: 3 PW, 4 MN, 9 CRC …) when the
frame was readable enough to answer.
"""

from __future__ import annotations

import hmac
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Final, NamedTuple, TypeAlias

from ecogov.hj212.jsonview import cp_area
from ecogov.platform.i18n import texts
from ecogov.standards.hj212 import (
    HJ212_2017,
    DataSegment,
    FramingError,
    HJ212Error,
    Known,
    Packet,
    ProtocolProfile,
    Reassembled,
    Reassembler,
    ReassemblyError,
    ReassemblyEvent,
    ViolationCode,
    data_answer,
    frame_segment,
    notice_answer,
    parse_known,
    parse_packet,
    peek_mn,
    request_answer,
    strict_error,
)
from ecogov.standards.hj212.rules import HeaderFacts
from ecogov.standards.hj212.timestamps import is_valid_timestamp, unix_of_timestamp

DATA_COMMANDS: Final = frozenset({"2011", "2021", "2031", "2041", "2051", "2061", "2081"})
"""Uploads stored as records (real-time, status, daily, running time, minute, hourly, power-on)."""
ANSWER_COMMANDS: Final = frozenset({"9011", "9012", "9013", "9014"})
NOTICE_COMMANDS: Final = frozenset({"1013"})
EVENT_KINDS: Final = {
    **dict.fromkeys(ANSWER_COMMANDS, "answer"),
    **dict.fromkeys(NOTICE_COMMANDS, "calibration"),
}
"""Command events of non-data packets by CN; any other upload is a ``response``."""
RAW_KEPT: Final = 2048
"""Bytes of a refused frame kept in the rejects ledger."""

_V = ViolationCode
QN_RTN: Final = {
    _V.CRC_MISMATCH: 9,
    _V.CRC_FORMAT: 9,
    _V.PW_FORMAT: 3,
    _V.MN_FORMAT: 4,
    _V.ST_FORMAT: 5,
    _V.FLAG_FORMAT: 6,
    _V.FLAG_VERSION: 6,
    _V.QN_FORMAT: 7,
    _V.CN_FORMAT: 8,
}
"""QnRtn (Table 7) answering a frame refused for a violation; anything else is 100 (unknown)."""
QN_RTN_WRONG_PW: Final = 3
QN_RTN_UNKNOWN_MN: Final = 4
QN_RTN_UNKNOWN: Final = 100

RecordRow: TypeAlias = tuple[str, str, int, str, str | None, str, int]
"""(mn, cn, data_time [Unix s], st, qn, cp text, received_at [Unix ms])"""
ArchiveRow: TypeAlias = tuple[int, str, str | None, str | None, str | None, str, bytes]
"""(received_at [Unix ms], peer, mn, cn, qn, outcome, raw frame)"""
RejectRow: TypeAlias = tuple[int, str, str | None, str | None, str | None, str, str, bytes | None]
"""(received_at [Unix ms], peer, mn, cn, qn, reason, detail, first bytes of the frame)"""
PartRow: TypeAlias = tuple[str, str, str, int, str, int, str, int]
"""(mn, st, cn, pnum, DataTime text, pno, data segment text, received_at [Unix ms])"""
GroupKey: TypeAlias = tuple[str, str, str, int, str]
"""(mn, st, cn, pnum, DataTime text) of a split-packet group."""


@dataclass(frozen=True, slots=True)
class RegisteredDevice:
    """A device as the receiver knows it: MN, PW, codec profile and registry ids."""

    mn: str
    pw: str
    profile: ProtocolProfile
    device_id: int
    system_code: str


@dataclass(frozen=True, slots=True)
class CommandEvent:
    """Something a device said about a reverse command (or a request of its own).

    ``kind``: ``answer`` (9011/9012/9013), ``response`` (an upload carrying the command's QN)
    or ``calibration`` (1013: the device asks for its time to be set).
    """

    kind: str
    mn: str
    cn: str
    qn: str | None
    fields: Mapping[str, str]


@dataclass(frozen=True, slots=True)
class _Lane:
    """What a header (``ST…Flag`` after QN) of a registered device's data upload decided: the
    device (its PW checked) and, when Flag asks for an answer, the 9014's text before and after
    the QN it echoes."""

    device: RegisteredDevice
    header: HeaderFacts
    answer: tuple[str, str] | None


_LANES_KEPT: Final = 65_536
"""Lanes kept at most (one per device and upload kind); all are dropped beyond it."""
_QN_MARK: Final = "\x00"
"""Stands for the QN while a lane's answer is cut around it."""


@dataclass(slots=True)
class Outcome:
    """The rows one frame produces and the reply to send after they are committed."""

    archive: ArchiveRow | None = None
    record: RecordRow | None = None
    part: PartRow | None = None
    groups_done: list[GroupKey] = field(default_factory=list)
    rejects: list[RejectRow] = field(default_factory=list)
    event: CommandEvent | None = None
    reply: bytes | None = None
    mn: str | None = None


def group_key(segment: DataSegment) -> GroupKey:
    """The persisted key of the split group a part belongs to (as the codec groups parts)."""
    data_time = segment.cp.get("DataTime")
    return (
        segment.mn or "",
        segment.st or "",
        segment.cn or "",
        segment.pnum or 0,
        "" if data_time is None else data_time.raw,
    )


class Intake:
    """Turns frames into :class:`Outcome` values (see the module docstring).

    ``registry`` maps MN to :class:`RegisteredDevice` and may be replaced at any time (the
    receiver refreshes it; replace it rather than change it in place). A split part becomes a
    row: the parts the store holds are joined by :meth:`join_persisted`, in the transaction that
    adds one, so parts of one group may reach any of the receiver's processes, before and after
    a restart.
    """

    def __init__(
        self,
        registry: Mapping[str, RegisteredDevice],
        default_profile: ProtocolProfile = HJ212_2017,
    ) -> None:
        self.default_profile = default_profile
        self.registry = registry

    @property
    def registry(self) -> Mapping[str, RegisteredDevice]:
        """Registered devices by MN."""
        return self._registry

    @registry.setter
    def registry(self, registry: Mapping[str, RegisteredDevice]) -> None:
        self._registry = registry
        self._profile = _common_profile(registry)
        self._lanes: dict[int, _Lane] = {}

    def frame(self, data: bytes, peer: str, now_ms: int) -> Outcome:
        """Handle one complete frame received from ``peer`` at ``now_ms`` [Unix ms].

        The frame is parsed at once with the profile most registered devices have; when it
        parses and comes from such a device, that is what peeking its MN would have chosen.
        Anything else (a device with another profile, an unknown MN, a frame that does not
        parse) takes the general path: peek the MN, parse with its device's profile.

        First of all, the upload of a device whose header and CP layout the codec has seen before
        (:func:`~ecogov.standards.hj212.parse_known`) takes a lane that builds its rows and
        answer from the fields as text, with what its header decided cached (:class:`_Lane`):
        the same outcome as the general path, for a third of the work.

        A frame is read once per profile: the general path reuses the reading when the peeked
        MN names a device of the same profile, so a refused frame costs one parse."""
        profile = self._profile
        if profile is None:
            return self._frame_peeked(data, peer, now_ms)
        known = parse_known(data, profile)
        if known is not None:
            outcome = self._known(known, data, peer, now_ms, profile)
            if outcome is not None:
                return outcome
        reading = _read(data, profile)
        if reading.error is None:
            device = self._registry.get(reading.packet.segment.mn or "")
            if device is not None and device.profile is profile:
                return self._authenticated(reading.packet, device, peer, now_ms)
        return self._frame_peeked(data, peer, now_ms, reading)

    def _known(
        self, known: Known, data: bytes, peer: str, now_ms: int, profile: ProtocolProfile
    ) -> Outcome | None:
        """The outcome of a data upload read by ``parse_known``, or None when its header has no
        lane (not a registered device of ``profile`` with that PW, not a data upload) or it has
        no valid DataTime: the general path decides those."""
        header = known.header
        lane = self._lanes.get(id(header))
        if lane is None or lane.header is not header:
            lane = self._new_lane(header, profile)
            if lane is None:
                return None
        names = known.layout.names
        if "DataTime" not in names:
            return None
        data_time = known.values[names.index("DataTime")]
        if not is_valid_timestamp(data_time, millis=None):
            return None
        mn, cn, qn = lane.device.mn, header.cn, known.qn
        reply = None
        if lane.answer is not None:
            reply = frame_segment(lane.answer[0] + qn + lane.answer[1], profile)
        return Outcome(
            archive=_archive(data, peer, now_ms, header.mn, cn, qn, "stored"),
            record=(header.mn, cn, unix_of_timestamp(data_time), header.st, qn, known.cp, now_ms),
            reply=reply,
            mn=mn,
        )

    def _new_lane(self, header: HeaderFacts, profile: ProtocolProfile) -> _Lane | None:
        """A lane for a data-upload header of a registered device of ``profile`` whose PW is
        right; None for any other header."""
        device = self._registry.get(header.mn)
        if (
            device is None
            or device.profile is not profile
            or header.cn not in DATA_COMMANDS
            or not hmac.compare_digest(header.pw.encode(), device.pw.encode())
        ):
            return None
        asks = DataSegment(qn=_QN_MARK, pw=header.pw, mn=header.mn, flag=header.flag)
        answer = None
        if asks.needs_ack:
            before, _, after = _data_answer_text(asks, profile).partition(_QN_MARK)
            answer = (before, after)
        if len(self._lanes) >= _LANES_KEPT:
            self._lanes.clear()
        lane = self._lanes[id(header)] = _Lane(device, header, answer)
        return lane

    def _frame_peeked(
        self, data: bytes, peer: str, now_ms: int, tried: _Reading | None = None
    ) -> Outcome:
        """:meth:`frame` for any registry: the profile of the device the MN names (``tried``:
        the frame as read with some profile already, used again when it is that one)."""
        peeked = peek_mn(data)
        device = self.registry.get(peeked) if peeked is not None else None
        profile = device.profile if device is not None else self.default_profile
        reading = tried if tried is not None and tried.profile is profile else _read(data, profile)
        if reading.error is not None:
            return self._refuse_violations(data, peer, now_ms, reading.packet, reading.error)
        packet = reading.packet
        segment = packet.segment
        if device is None or segment.mn != device.mn:
            message = " / ".join(texts("hj212.reject.unknown_mn", mn=segment.mn))
            return self._refuse(
                data, peer, now_ms, segment, "unknown-mn", message, QN_RTN_UNKNOWN_MN
            )
        return self._authenticated(packet, device, peer, now_ms)

    def _authenticated(
        self, packet: Packet, device: RegisteredDevice, peer: str, now_ms: int
    ) -> Outcome:
        """Check the PW of a parsed packet of a registered device, then route it."""
        segment = packet.segment
        if not hmac.compare_digest((segment.pw or "").encode(), device.pw.encode()):
            message = " / ".join(texts("hj212.reject.wrong_pw", mn=segment.mn))
            return self._refuse(
                packet.raw, peer, now_ms, segment, "wrong-pw", message, QN_RTN_WRONG_PW
            )
        return self._route(packet, device, peer, now_ms)

    def framing_error(self, error: FramingError, peer: str, now_ms: int) -> Outcome:
        """A ledger row for bytes the framer could not cut into a frame (garbage, oversize …)."""
        code = error.violations[0].code if error.violations else _V.FRAME_GARBAGE
        return Outcome(rejects=[(now_ms, peer, None, None, None, str(code), str(error), None)])

    def join_persisted(
        self, texts: Sequence[str], now_ms: int, give_up: bool = False, stored_cp: str | None = None
    ) -> Outcome:
        """What the parts of one split group the store holds (their segment ``texts``) come to:
        the joined record and the parts' removal once every part is there, a ledger row when
        they do not fit together, nothing while parts are missing — unless ``give_up``, which
        turns missing parts into a timeout row (§6.2.2). A reassembler of its own decides, so
        these are the rules of the codec's :class:`Reassembler`, applied to the store's state.

        Given up, parts whose every field is in ``stored_cp`` (the CP area of the record the
        store holds for their group) are no loss: the group was joined before and they were sent
        again (a logger resends a part whose answer it missed). They are dropped without a row.
        """
        outcome = Outcome()
        reassembler = Reassembler(timeout=0.0, max_groups=1)
        parts = [self._persisted(text) for text in texts]
        for part in parts:
            self._collect(outcome, reassembler.add(part, 0.0), "", now_ms)
        if give_up and reassembler.pending:
            if stored_cp is not None and _within(parts, stored_cp):
                outcome.groups_done.append(group_key(parts[0]))
            else:
                self._collect(outcome, reassembler.expire(1.0), "", now_ms)
        return outcome

    def _persisted(self, text: str) -> DataSegment:
        """A split part's segment as persisted, read with its device's profile."""
        device = self._registry.get(peek_mn(text) or "")
        profile = self.default_profile if device is None else device.profile
        return parse_packet(frame_segment(text, profile), profile, strict=False).segment

    def _route(self, packet: Packet, device: RegisteredDevice, peer: str, now_ms: int) -> Outcome:
        """Dispatch an authenticated packet on its command code."""
        segment = packet.segment
        cn = segment.cn or ""
        if cn not in DATA_COMMANDS:
            kind = EVENT_KINDS.get(cn, "response")
            event = CommandEvent(kind, device.mn, cn, segment.qn, _fields(segment))
            outcome = Outcome(mn=device.mn, event=event)
            outcome.archive = _segment_archive(packet.raw, peer, now_ms, segment, "answer")
        else:
            data_time = segment.cp.get("DataTime")
            if data_time is None or not is_valid_timestamp(data_time.raw, millis=None):
                message = " / ".join(texts("hj212.reject.no_data_time"))
                return self._refuse(
                    packet.raw, peer, now_ms, segment, "no-data-time", message, QN_RTN_UNKNOWN
                )
            outcome = Outcome(mn=device.mn)
            if segment.pnum is None:
                outcome.record = _record(segment, segment, now_ms, _cp_text(packet))
                kind = "stored"
            else:
                outcome.part = (*group_key(segment), segment.pno or 0, segment.text(), now_ms)
                kind = "part"
            outcome.archive = _segment_archive(packet.raw, peer, now_ms, segment, kind)
        if segment.needs_ack and cn not in ANSWER_COMMANDS:
            if cn in NOTICE_COMMANDS:
                reply = notice_answer(segment, device.profile).text()
            else:
                reply = _data_answer_text(segment, device.profile)
            outcome.reply = frame_segment(reply, device.profile)
        return outcome

    def _collect(
        self, outcome: Outcome, events: Sequence[ReassemblyEvent], peer: str, now_ms: int
    ) -> None:
        """Add what a reassembler reported: joined records, ledger rows for groups given up."""
        for event in events:
            if isinstance(event, Reassembled):
                joined = event.segment
                outcome.record = _record(joined, event.parts[0], now_ms, joined.cp.text())
                outcome.groups_done.append(group_key(event.parts[0]))
            else:
                self._give_up(outcome, event, peer, now_ms)

    def _give_up(self, outcome: Outcome, error: ReassemblyError, peer: str, now_ms: int) -> None:
        """Ledger row for a split group abandoned (timeout, eviction, inconsistent part)."""
        code = str(error.violations[0].code) if error.violations else "split-timeout"
        first = error.partial[0] if error.partial else DataSegment()
        outcome.rejects.append(_reject_row(peer, now_ms, first, code, str(error)))
        if error.partial:
            outcome.groups_done.append(group_key(first))

    def _refuse_violations(
        self, data: bytes, peer: str, now_ms: int, packet: Packet, error: HJ212Error
    ) -> Outcome:
        """Refuse a frame that breaks its profile (``packet``: what could be read of it),
        answering with the QnRtn of its first fault."""
        segment = packet.segment
        first = error.violations[0].code if error.violations else _V.INTERNAL
        qn_rtn = QN_RTN.get(first, QN_RTN_UNKNOWN)
        return self._refuse(data, peer, now_ms, segment, str(first), str(error), qn_rtn)

    def _refuse(
        self,
        data: bytes,
        peer: str,
        now_ms: int,
        segment: DataSegment,
        reason: str,
        detail: str,
        qn_rtn: int,
    ) -> Outcome:
        """Ledger row, archive row and (when the frame can be answered) a 9011 with ``qn_rtn``."""
        row = _reject_row(peer, now_ms, segment, reason, detail, data[:RAW_KEPT])
        reply = None
        if _answerable(segment):
            device = self.registry.get(segment.mn or "")
            profile = self.default_profile if device is None else device.profile
            reply = frame_segment(request_answer(segment, qn_rtn, profile).text(), profile)
        return Outcome(
            archive=_segment_archive(data, peer, now_ms, segment, "rejected"),
            rejects=[row],
            reply=reply,
        )


class _Reading(NamedTuple):
    """A frame read with a profile: the packet, tolerantly, and the error a strict reading
    under that profile raises (None when the profile accepts the packet)."""

    profile: ProtocolProfile
    packet: Packet
    error: HJ212Error | None


def _read(data: bytes, profile: ProtocolProfile) -> _Reading:
    """Read ``data`` once with ``profile``: what ``parse_packet(data, profile)`` would return
    or raise, with the tolerant packet beside the error for the refusal to quote."""
    try:
        packet = parse_packet(data, profile, strict=False)
    except HJ212Error as error:  # a fault of the codec itself: refused like a broken rule
        return _Reading(profile, Packet(DataSegment(), data, None, None, None), error)
    return _Reading(profile, packet, strict_error(packet, profile))


def _within(parts: Sequence[DataSegment], stored_cp: str) -> bool:
    """Whether every CP field (name and value) of the parts is in a stored CP area's text."""
    stored = cp_area(stored_cp)
    fields = set(zip(stored.names, stored.raws, strict=True))
    return all(set(zip(part.cp.names, part.cp.raws, strict=True)) <= fields for part in parts)


def _common_profile(registry: Mapping[str, RegisteredDevice]) -> ProtocolProfile | None:
    """The profile most registered devices have (None without devices)."""
    counts: Counter[int] = Counter(id(device.profile) for device in registry.values())
    if not counts:
        return None
    common = counts.most_common(1)[0][0]
    return next(d.profile for d in registry.values() if id(d.profile) == common)


def _data_answer_template(profile: ProtocolProfile) -> str:
    """The text of a 9014 (the codec's :func:`data_answer`) with ``{qn}``, ``{pw}`` and ``{mn}``
    in place of the fields it echoes, so answering costs one ``format`` and the frame's CRC."""
    marks = DataSegment(qn="\x00QN\x00", pw="\x00PW\x00", mn="\x00MN\x00")
    text = data_answer(marks, profile).text().replace("{", "{{").replace("}", "}}")
    for name in ("qn", "pw", "mn"):
        text = text.replace(f"\x00{name.upper()}\x00", f"{{{name}}}")
    return text


_ANSWER_TEMPLATES: dict[int, tuple[ProtocolProfile, str]] = {}
""":func:`_data_answer_template` by profile identity (hashing a profile costs more)."""


def _data_answer_text(segment: DataSegment, profile: ProtocolProfile) -> str:
    """The 9014 answering ``segment`` (§6.6.5, Table C.48), as :func:`data_answer` writes it."""
    if segment.qn is None or segment.pw is None or segment.mn is None:
        return data_answer(segment, profile).text()
    known = _ANSWER_TEMPLATES.get(id(profile))
    if known is None or known[0] is not profile:
        known = _ANSWER_TEMPLATES[id(profile)] = (profile, _data_answer_template(profile))
    return known[1].format(qn=segment.qn, pw=segment.pw, mn=segment.mn)


def _answerable(segment: DataSegment) -> bool:
    """Whether a 9011 can echo the segment's QN and MN (present, short, plain ASCII)."""
    return all(
        value is not None and value.isascii() and value.isalnum() and len(value) <= 24
        for value in (segment.qn, segment.mn)
    ) and (segment.pw is None or (segment.pw.isascii() and segment.pw.isalnum()))


def _short(value: str | None, size: int) -> str | None:
    """``value`` cut to a column's width (malformed frames may carry anything)."""
    return None if value is None else value[:size]


def _segment_archive(
    raw: bytes, peer: str, now_ms: int, segment: DataSegment, outcome: str
) -> ArchiveRow:
    return _archive(raw, peer, now_ms, segment.mn, segment.cn, segment.qn, outcome)


def _archive(
    raw: bytes,
    peer: str,
    now_ms: int,
    mn: str | None,
    cn: str | None,
    qn: str | None,
    outcome: str,
) -> ArchiveRow:
    return (now_ms, peer, _short(mn, 24), _short(cn, 4), _short(qn, 20), outcome, raw)


def _reject_row(
    peer: str,
    now_ms: int,
    segment: DataSegment,
    reason: str,
    detail: str,
    raw: bytes | None = None,
) -> RejectRow:
    return (
        now_ms,
        peer,
        _short(segment.mn, 24),
        _short(segment.cn, 4),
        _short(segment.qn, 20),
        reason[:32],
        detail,
        raw,
    )


def _cp_text(packet: Packet) -> str:
    """The CP area's text as received. A packet that broke no rule is exactly what its CP area
    rebuilds, so the frame is sliced (between ``CP=&&`` and the closing ``&&``) instead."""
    raw = packet.raw
    if packet.ok and raw.isascii():
        return raw[raw.find(b";CP=&&") + 6 : len(raw) - 8].decode("ascii")
    return packet.segment.cp.text()


def _record(segment: DataSegment, first: DataSegment, now_ms: int, cp: str) -> RecordRow:
    """The record of a (joined) data upload; ``first`` is the part carrying the header."""
    data_time = segment.cp.get("DataTime")
    assert data_time is not None  # checked by _route: every part repeats DataTime (C.49)
    return (
        segment.mn or "",
        segment.cn or "",
        unix_of_timestamp(data_time.raw),
        segment.st or "",
        first.qn,
        cp,
        now_ms,
    )


def _fields(segment: DataSegment) -> dict[str, str]:
    """The CP fields of a packet as name → raw text."""
    return dict(zip(segment.cp.names, segment.cp.raws, strict=True))
