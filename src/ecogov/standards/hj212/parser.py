"""Parse HJ 212 packets, strictly or tolerantly (HJ 212-2017 §6.3, Appendix A).

:func:`parse_packet` takes one frame — ``##`` + length + data segment + CRC + CR LF — as bytes or
text. Strict mode refuses a packet that breaks any rule of its
:class:`~ecogov.standards.hj212.profiles.ProtocolProfile`, raising an
:class:`~ecogov.standards.hj212.errors.HJ212Error` subclass that lists *every* violation; tolerant
mode returns the :class:`~ecogov.standards.hj212.packet.Packet` with what could be read and the
violations. No other exception escapes, whatever the input.

Two paths give the same result. The fast path handles a well-formed packet with bulk operations:
one native pass over the frame (length, ends, CRC, ASCII), one split of the header, one split of
the CP area into names and values, and set checks of values against the cached layout of the
field names (:class:`~ecogov.standards.hj212.rules.CompiledRules`). A device sends the same
header (but QN) and the same CP layout hour after hour, so a header already checked is recognised
by one lookup of its text, and the CP area is first read by one native scan against that device's
last layout, which checks names, separators, numbers and data flags at once. The native scans
(``_native.c``) only accept or decline; anything they or the rest cannot prove clean goes to the
careful path, which walks the packet piece by piece and reports each violation with its byte
offset.

Encoding: the standard allows ASCII plus UTF-8 Chinese (§6.3). UTF-8 is always accepted; other
encodings (GBK) only when the device profile lists them in ``text_encodings``. Undecodable bytes
are an ``encoding`` violation; tolerant mode replaces them with U+FFFD and goes on.
"""

from __future__ import annotations

import re
from dataclasses import replace
from itertools import compress
from typing import Final, NamedTuple, TypeAlias

from ecogov.standards.hj212.crc import CrcFlavour, crc16, crc16_hj212, crc16_modbus, format_crc
from ecogov.standards.hj212.errors import HJ212Error, Violation, ViolationCode, error_for
from ecogov.standards.hj212.kernels import clean_frame, match_layout
from ecogov.standards.hj212.packet import CPArea, DataSegment, Packet
from ecogov.standards.hj212.profiles import HJ212_2017, LengthUnit, ProtocolProfile
from ecogov.standards.hj212.rules import (
    HEADER_KEYS,
    CompiledRules,
    HeaderFacts,
    Layout,
    check_field_value,
    check_header_value,
    check_split_fields,
    compiled_rules,
    numbers_well_formed,
    same_item,
)
from ecogov.standards.hj212.timestamps import is_valid_timestamp

__all__ = ["Known", "parse_known", "parse_packet", "peek_mn", "strict_error"]

_V = ViolationCode
_HEX_BYTES: Final = b"0123456789ABCDEFabcdef"
_SEPARATOR_BYTES: Final = b";,"
_NON_SEPARATORS: Final = bytes(b for b in range(256) if b not in _SEPARATOR_BYTES)
_KEYS_PLAIN: Final = ["QN", "ST", "CN", "PW", "MN", "Flag"]
_KEYS_SPLIT: Final = ["QN", "ST", "CN", "PW", "MN", "Flag", "PNUM", "PNO"]
_MAX_HEADER_PIECES: Final = 16  # Table 3 has 8 fields; beyond 16 the input is not a header
_MAX_NOTES: Final = 100  # past this many violations the rest of a CP area is not read
_MAX_DIAGNOSED: Final = 16  # segments longer than 16 maximum segments are refused unread
_CP_DELIMITERS: Final = re.compile(r"[=;,]")
_CP_SEPARATORS: Final = re.compile(r"[;,]")


def parse_packet(
    data: bytes | bytearray | memoryview | str,
    profile: ProtocolProfile = HJ212_2017,
    *,
    strict: bool | None = None,
) -> Packet:
    """Parse one communication packet (§6.3.1 Table 2, §6.3.2 Table 3, §6.3.3, Appendix A CRC).

    ``strict`` overrides ``profile.strict``. Strict: raises :class:`FramingError`,
    :class:`CRCError`, :class:`EncodingError` or :class:`SegmentError` (all
    :class:`~ecogov.standards.hj212.errors.HJ212Error`) with every violation found. Tolerant:
    returns the packet with ``violations`` filled; only input that is not bytes or text raises.
    Text input is encoded as UTF-8 first.
    """
    try:
        raw, violations = _as_bytes(data)
        packet = _parse_frame(raw, profile, violations)
    except HJ212Error:
        raise
    except Exception as exc:  # the codec's contract: nothing but HJ212Error escapes
        internal = Violation(_V.INTERNAL, f"unexpected {type(exc).__name__}: {exc}")
        raise HJ212Error([internal]) from exc
    error = strict_error(packet, profile, strict)
    if error is not None:
        raise error
    return packet


def strict_error(
    packet: Packet, profile: ProtocolProfile, strict: bool | None = None
) -> HJ212Error | None:
    """The error :func:`parse_packet` raises for ``packet``, read tolerantly with ``profile``,
    when ``strict`` (or, if None, ``profile.strict``) refuses its violations; None otherwise."""
    if packet.violations and (profile.strict if strict is None else strict):
        return error_for(packet.violations)
    return None


def peek_mn(data: bytes | bytearray | memoryview | str) -> str | None:
    """The MN of a frame without parsing it, to pick the device's profile first (§6.3.2 Table 3)."""
    if isinstance(data, str):
        text = data
    elif isinstance(data, bytes | bytearray | memoryview):
        text = bytes(data).decode("utf-8", errors="replace")
    else:
        return None
    start = text.find("MN=")
    if start < 0:
        return None
    start += 3
    end = min((i for i in (text.find(";", start), text.find("&&", start)) if i >= 0), default=-1)
    return text[start:end] if end >= 0 else None


def _as_bytes(data: object) -> tuple[bytes, list[Violation]]:
    """The input as bytes; text is UTF-8 encoded (lone surrogates become ``?`` with a violation)."""
    if isinstance(data, bytes):
        return data, []
    if isinstance(data, bytearray | memoryview):
        return bytes(data), []
    if isinstance(data, str):
        try:
            return data.encode("utf-8"), []
        except UnicodeEncodeError as exc:
            violation = Violation(_V.ENCODING, f"text is not encodable as UTF-8: {exc.reason}")
            return data.encode("utf-8", errors="replace"), [violation]
    message = f"expected bytes or str, got {type(data).__name__}"
    raise error_for([Violation(_V.INPUT_TYPE, message)])


def _hex4(field: bytes) -> int | None:
    """The value of a 4-hex-digit CRC field (either case, §6.3.1; STANDARDS.md F.5), else None."""
    if len(field) != 4 or field.translate(None, _HEX_BYTES):
        return None
    return int(field, 16)


def _matching_flavour(segment: bytes, value: int, profile: ProtocolProfile) -> CrcFlavour | None:
    """The first of the profile's CRC flavours that reproduces ``value``."""
    for flavour in profile.crc_flavours:
        if crc16(segment, flavour) == value:
            return flavour
    return None


class Known(NamedTuple):
    """A clean frame of a header seen before whose CP area has that device's last layout, as
    :func:`parse_known` reads it: the fields as text, no objects built."""

    qn: str
    header: HeaderFacts
    layout: Layout
    cp: str
    """The CP area's text (between ``CP=&&`` and the closing ``&&``)."""
    values: tuple[str, ...]
    """The raw value of each field of ``layout.names``."""


def parse_known(raw: bytes, profile: ProtocolProfile = HJ212_2017) -> Known | None:
    """The fields of ``raw`` when it is a frame the fast path has seen the like of — a header
    remembered by an earlier :func:`parse_packet` and the CP layout its device sent last — and
    breaks no rule of ``profile``; None for anything else (:func:`parse_packet` decides it).

    For a receiver's hot path: exactly the checks of :func:`parse_packet`'s fast path, without
    building the :class:`~ecogov.standards.hj212.packet.Packet`.
    """
    clean = _clean_body(raw, profile)
    if clean is None:
        return None
    text = clean[0]
    rules = compiled_rules(profile)
    cut = _cp_start(text, profile)
    header = _known_header(text, cut, rules) if cut >= 0 else None
    if header is None or header.layout is None:
        return None
    qn = _valid_qn(text, rules)
    if qn is None:
        return None
    layout = header.layout
    cp = text[cut + 6 : len(text) - 2]
    values = _hinted_values(cp, layout, rules)
    return None if values is None else Known(qn, header, layout, cp, values)


def _parse_frame(raw: bytes, profile: ProtocolProfile, violations: list[Violation]) -> Packet:
    """Fast path for a clean frame, careful path for anything else."""
    if not violations:
        clean = _clean_body(raw, profile)
        if clean is not None:
            text, crc_field, flavour = clean
            segment = _fast_segment(text, profile)
            if segment is not None:
                return Packet(segment, raw, len(text), crc_field, flavour)
    return _careful_frame(raw, profile, violations)


def _clean_body(raw: bytes, profile: ProtocolProfile) -> tuple[str, str, CrcFlavour] | None:
    """The ASCII data segment, as text, of a frame whose length field, CRC (in one of the
    profile's flavours) and end are right, with its CRC field and flavour; None otherwise.

    The frame checks (Table 2) and the Appendix A CRC run in one native pass
    (:func:`~ecogov.standards.hj212._native.clean_frame`).
    """
    clean = clean_frame(raw, profile.max_segment_length)
    if clean is None:
        return None
    text, crc_field, declared, computed = clean
    if profile.crc_flavours[0] is CrcFlavour.HJ212 and computed == declared:
        return text, crc_field, CrcFlavour.HJ212
    flavour = _matching_flavour(raw[6:-6], declared, profile)
    return None if flavour is None else (text, crc_field, flavour)


def _cp_start(text: str, profile: ProtocolProfile) -> int:
    """Where ``;CP=&&`` starts in a segment that ends its CP area with ``&&`` within the profile's
    CP length; -1 when the segment is not shaped so."""
    cut = text.find(";CP=&&")
    size = len(text)
    if (
        cut < 0
        or size < cut + 8
        or not text.endswith("&&")
        or size - cut - 1 > profile.max_cp_length
    ):
        return -1
    return cut


def _known_header(text: str, cut: int, rules: CompiledRules) -> HeaderFacts | None:
    """The facts of the header (the text after QN, before ``;CP=``) when it was seen before."""
    if not text.startswith("QN="):
        return None
    return rules.known_headers.get(text[text.find(";") + 1 : cut])


def _valid_qn(text: str, rules: CompiledRules) -> str | None:
    """The QN a segment starts with, when valid under the profile (Table 3)."""
    qn = text[3 : text.find(";")]
    return qn if is_valid_timestamp(qn, millis=rules.qn_millis) else None


def _fast_segment(text: str, profile: ProtocolProfile) -> DataSegment | None:
    """The data segment of an ASCII segment text that passes every rule, or None (take the
    careful path).

    A header already seen (same text after QN) is recognised by one lookup and only its QN is
    checked; its device's last CP layout is tried first by one native scan.
    """
    cut = _cp_start(text, profile)
    if cut < 0:
        return None
    rules = compiled_rules(profile)
    facts = _known_header(text, cut, rules)
    if facts is None:
        return _fast_segment_new_header(text, cut, rules)
    qn = _valid_qn(text, rules)
    if qn is None:
        return None
    cp_text = text[cut + 6 : len(text) - 2]
    layout = facts.layout
    values = None if layout is None else _hinted_values(cp_text, layout, rules)
    if layout is not None and values is not None:
        cp = CPArea(layout.names, values, layout.separators)
    else:
        found = _split_cp(cp_text, rules)
        if found is None:
            return None
        cp, facts.layout = found
    return DataSegment(
        qn=qn, st=facts.st, cn=facts.cn, pw=facts.pw, mn=facts.mn, flag=facts.flag, cp=cp
    )


def _fast_segment_new_header(text: str, cut: int, rules: CompiledRules) -> DataSegment | None:
    """:func:`_fast_segment` for a header not yet known: every field checked (§6.3.2 Table 3)."""
    profile = rules.profile
    pairs = [piece.partition("=") for piece in text[:cut].split(";")]
    keys = [key for key, _, _ in pairs]
    values = [value for _, _, value in pairs]
    if any(not equals or "=" in value for _, equals, value in pairs):
        return None
    if keys == _KEYS_PLAIN:
        qn, st, cn, pw, mn, flag = values
        pnum = pno = None
    elif keys == _KEYS_SPLIT:
        qn, st, cn, pw, mn, flag, pnum_text, pno_text = values
        if check_header_value("PNUM", pnum_text, profile) or check_header_value(
            "PNO", pno_text, profile
        ):
            return None
        pnum, pno = int(pnum_text), int(pno_text)
        if pno > pnum:
            return None
    else:
        return None
    if not is_valid_timestamp(qn, millis=rules.qn_millis) or not rules.header_ok(
        st, cn, pw, mn, flag, pnum is not None
    ):
        return None
    found = _split_cp(text[cut + 6 : len(text) - 2], rules)
    if found is None:
        return None
    cp, layout = found
    if pnum is None:
        facts = HeaderFacts(st, cn, pw, mn, int(flag), layout)
        rules.remember_header(text[len(qn) + 4 : cut], facts)
    return DataSegment(qn=qn, st=st, cn=cn, pw=pw, mn=mn, flag=int(flag), pnum=pnum, pno=pno, cp=cp)


def _hinted_values(cp: str, layout: Layout, rules: CompiledRules) -> tuple[str, ...] | None:
    """The values of the CP area if it has the device's last layout and every value is valid.

    The native scan checks names, separators, numbers and data flags in one pass (exactly the
    checks of :func:`_split_cp`); times and other values are checked as there.
    """
    if layout.kinds is None:
        return None
    raws = match_layout(cp, layout.names, layout.separators, layout.kinds, rules.profile.data_flags)
    if raws is None:
        return None
    for index in layout.times:
        if not is_valid_timestamp(raws[index], millis=rules.time_millis):
            return None
    for index, spec in layout.others:
        if check_field_value(layout.names[index], spec, raws[index], rules.profile):
            return None
    return raws


def _split_cp(cp: str, rules: CompiledRules) -> tuple[CPArea, Layout | None] | None:
    """The CP area and its layout (None when empty) when every field is valid, checked in bulk;
    None to take the careful path."""
    if not cp:
        return CPArea(), None
    cp_bytes = cp.encode("ascii")
    separators = cp_bytes.translate(None, _NON_SEPARATORS)
    parts = cp.replace(";", "=").replace(",", "=").split("=")
    if len(parts) != 2 * len(separators) + 2:
        return None
    names = tuple(parts[0::2])
    raws = parts[1::2]
    layout = rules.layout(names, separators)
    if layout is None or (layout.has_text and "//" in cp):
        return None  # a //…// value may hide separators: only the careful path reads it right
    if layout.number_count and not numbers_well_formed(
        ",".join(compress(raws, layout.numbers)).encode("ascii")
    ):
        return None
    profile = rules.profile
    if b"\x01" in layout.flags and not profile.data_flags.issuperset(compress(raws, layout.flags)):
        return None
    for index in layout.times:
        if not is_valid_timestamp(raws[index], millis=rules.time_millis):
            return None
    for index, spec in layout.others:
        if check_field_value(names[index], spec, raws[index], profile):
            return None
    return CPArea(names, tuple(raws), layout.separators), layout


Note: TypeAlias = tuple[ViolationCode, str, int]
"""A violation found in decoded text: code, message and *character* index in the data segment."""


def _to_violations(notes: list[Note], text: str, base: int, encoding: str) -> list[Violation]:
    """Violations at byte offsets: ``base`` plus the encoded length of the text before each note."""
    if text.isascii():
        return [Violation(code, message, base + index) for code, message, index in notes]
    offsets: dict[int, int] = {}
    previous, total = 0, 0
    for index in sorted({index for _, _, index in notes}):
        total += len(text[previous:index].encode(encoding, errors="replace"))
        offsets[index] = base + total
        previous = index
    return [Violation(code, message, offsets[index]) for code, message, index in notes]


def _careful_frame(raw: bytes, profile: ProtocolProfile, violations: list[Violation]) -> Packet:
    """Frame-level diagnosis (§6.3.1 Table 2), then the careful segment parse."""
    found = list(violations)
    if not raw:
        found.append(Violation(_V.FRAME_EMPTY, "empty input", 0))
        return Packet(DataSegment(), raw, None, None, None, tuple(found))
    start = _find_header(raw, found)
    end = _find_tail(raw, found)
    declared, body_start = _read_length(raw, start, found)
    body_end, crc_text, crc_value = _read_crc(raw, body_start, end, found)
    body = raw[body_start:body_end]
    if len(body) > _MAX_DIAGNOSED * profile.max_segment_length:
        message = f"data segment of {len(body)} bytes is far beyond any frame: not read (Table 2)"
        found.append(Violation(_V.FRAME_TOO_LONG, message, body_start))
        return Packet(DataSegment(), raw, declared, crc_text, None, tuple(found))
    text, encoding = _decode(body, body_start, profile, found)
    _check_length(declared, body, text, start, profile, found)
    if crc_value is not None:
        flavour = _matching_flavour(body, crc_value, profile)
        if flavour is None:
            found.append(_crc_mismatch(body, crc_value, body_end))
    else:
        flavour = None
    notes: list[Note] = []
    segment = _careful_segment(text, profile, notes)
    found.extend(_to_violations(notes, text, body_start, encoding))
    return Packet(segment, raw, declared, crc_text, flavour, tuple(found))


def _find_header(raw: bytes, found: list[Violation]) -> int | None:
    """Offset of the ``##`` header; garbage before it and a missing header are violations."""
    if raw.startswith(b"##"):
        return 0
    index = raw.find(b"##")
    if index > 0:
        found.append(Violation(_V.FRAME_GARBAGE, f"{index} bytes before the ## header", 0))
        return index
    found.append(Violation(_V.FRAME_HEADER, "the packet does not start with ## (Table 2)", 0))
    return None


def _find_tail(raw: bytes, found: list[Violation]) -> int:
    """End of the packet before CR LF; a missing or partial tail is a violation."""
    if raw.endswith(b"\r\n"):
        return len(raw) - 2
    found.append(Violation(_V.FRAME_TAIL, "the packet does not end with CR LF (Table 2)", len(raw)))
    return len(raw) - 1 if raw.endswith((b"\r", b"\n")) else len(raw)


def _read_length(raw: bytes, start: int | None, found: list[Violation]) -> tuple[int | None, int]:
    """The 4-digit decimal length field and where the data segment starts."""
    field_start = 0 if start is None else start + 2
    field = raw[field_start : field_start + 4]
    if len(field) == 4 and field.isdigit():
        return int(field), field_start + 4
    if start is None:
        return None, 0
    message = f"length field {field!r} is not 4 decimal digits (Table 2)"
    found.append(Violation(_V.FRAME_LENGTH_FORMAT, message, field_start))
    digits = len(field) - len(field.lstrip(b"0123456789"))
    return None, field_start + digits


def _read_crc(
    raw: bytes, body_start: int, end: int, found: list[Violation]
) -> tuple[int, str | None, int | None]:
    """End of the data segment, the CRC text and its value (None when unreadable)."""
    closing = raw.rfind(b"&&", body_start, end)
    if closing >= 0:
        body_end = closing + 2
    elif end - body_start >= 4 and _hex4(raw[end - 4 : end]) is not None:
        body_end = end - 4
    else:
        body_end = end
    field = raw[body_end:end]
    value = _hex4(field)
    text = field.decode("ascii") if value is not None else None
    if value is None:
        message = f"CRC field {field!r} is not 4 hex digits (Table 2)"
        found.append(Violation(_V.CRC_FORMAT, message, body_end))
    return body_end, text, value


def _crc_mismatch(body: bytes, value: int, position: int) -> Violation:
    """The CRC violation, saying which algorithm the sender seems to have used."""
    expected = format_crc(crc16_hj212(body))
    note = " (it is the CRC-16/MODBUS value)" if crc16_modbus(body) == value else ""
    message = f"CRC {value:04X} does not match the data segment: Appendix A gives {expected}{note}"
    return Violation(_V.CRC_MISMATCH, message, position)


def _decode(
    body: bytes, base: int, profile: ProtocolProfile, found: list[Violation]
) -> tuple[str, str]:
    """The data segment as text and the encoding used (ASCII/UTF-8, or a profile's extra one)."""
    if body.isascii():
        return body.decode("ascii"), "ascii"
    failure: UnicodeDecodeError | None = None
    for encoding in ("utf-8", *profile.text_encodings):
        try:
            return body.decode(encoding), encoding
        except UnicodeDecodeError as exc:
            failure = failure or exc
        except LookupError:
            continue
    position = base + (failure.start if failure is not None else 0)
    accepted = ", ".join(dict.fromkeys(("utf-8", *profile.text_encodings)))
    message = f"the data segment is not valid {accepted} (§6.3: ASCII, Chinese in UTF-8)"
    found.append(Violation(_V.ENCODING, message, position))
    return body.decode("utf-8", errors="replace"), "utf-8"


def _check_length(
    declared: int | None,
    body: bytes,
    text: str,
    start: int | None,
    profile: ProtocolProfile,
    found: list[Violation],
) -> None:
    """Declared length against the data segment, in the profile's unit (open question 12)."""
    position = None if start is None else start + 2
    actual = len(text) if profile.length_unit is LengthUnit.CHARACTERS else len(body)
    if declared is not None and declared != actual:
        note = ""
        if len(text) != len(body) and declared in (len(text), len(body)):
            note = f" (it counts {'characters' if declared == len(text) else 'bytes'})"
        message = (
            f"length field says {declared} but the data segment has {actual} "
            f"{profile.length_unit}{note}"
        )
        found.append(Violation(_V.FRAME_LENGTH_MISMATCH, message, position))
    if actual > profile.max_segment_length:
        message = f"data segment of {actual} exceeds the maximum {profile.max_segment_length}"
        found.append(Violation(_V.FRAME_TOO_LONG, message, position))


def _careful_segment(text: str, profile: ProtocolProfile, found: list[Note]) -> DataSegment:
    """Diagnose a data segment piece by piece (§6.3.2 Table 3, §6.3.3)."""
    cp_at = text.find("CP=&&")
    if cp_at < 0:
        found.append((_V.CP_MISSING, "no CP=&&…&& area (Table 3)", len(text)))
        return _careful_header(text, profile, found)
    head = text[:cp_at]
    if head.endswith(";"):
        head = head[:-1]
    elif head:
        message = "no ';' between the last field and CP (Table 3)"
        found.append((_V.SEGMENT_SEPARATOR, message, cp_at))
    header = _careful_header(head, profile, found)
    body_start = cp_at + 5
    if len(text) >= body_start + 2 and text.endswith("&&"):
        body = text[body_start:-2]
    else:
        message = "the CP area does not end with && (§6.3.3)"
        found.append((_V.CP_DELIMITER, message, len(text)))
        body = text[body_start:]
    cp_length = len(text) - cp_at
    if cp_length > profile.max_cp_length:
        message = f"CP area of {cp_length} characters exceeds {profile.max_cp_length} (Table 3)"
        found.append((_V.CP_TOO_LONG, message, cp_at))
    cp = _careful_cp(body, body_start, profile, found)
    return replace(header, cp=cp)


def _split_header(head: str, found: list[Note]) -> list[tuple[str, int]]:
    """Header pieces with their character offsets; a ``,`` used between fields is a violation."""
    pieces: list[tuple[str, int]] = []
    position = 0
    split = head.split(";", _MAX_HEADER_PIECES) if head else []
    if len(split) > _MAX_HEADER_PIECES:
        message = f"more than {_MAX_HEADER_PIECES} fields before CP; the rest is not read"
        found.append((_V.FIELD_SYNTAX, message, len(head) - len(split[-1])))
        split.pop()
    for piece in split:
        if "," in piece and piece.count("=") > 1:
            message = "',' used between data-segment fields; Table 3 separates them with ';'"
            found.append((_V.SEGMENT_SEPARATOR, message, position + piece.index(",")))
            inner = position
            for sub in piece.split(","):
                pieces.append((sub, inner))
                inner += len(sub) + 1
        else:
            pieces.append((piece, position))
        position += len(piece) + 1
    return pieces


def _careful_header(head: str, profile: ProtocolProfile, found: list[Note]) -> DataSegment:
    """The fields before CP, each checked (§6.3.2 Table 3), in a segment with an empty CP area."""
    values: dict[str, str] = {}
    positions: dict[str, int] = {}
    for piece, at in _split_header(head, found):
        key, equals, value = piece.partition("=")
        if not equals:
            found.append((_V.FIELD_SYNTAX, f"{piece!r} has no '=' (Table 3)", at))
            continue
        if key != key.strip() or value != value.strip():
            found.append((_V.FIELD_WHITESPACE, f"spaces around {piece!r}", at))
            key, value = key.strip(), value.strip()
        if key not in HEADER_KEYS:
            found.append((_V.FIELD_UNKNOWN, f"unknown data-segment field {key!r}", at))
            continue
        if key in values:
            found.append((_V.FIELD_DUPLICATE, f"{key} appears more than once", at))
            continue
        issue = (
            check_header_value(key, value, profile)
            if value.isascii()
            else (_V.NON_ASCII, f"{key}={value!r} is not ASCII (§6.3)")
        )
        if issue is not None:
            found.append((issue[0], issue[1], at))
        values[key] = value
        positions[key] = at
    _check_header_presence(list(values), profile, len(head), found)
    flag = _as_int(values.get("Flag"), 255)
    pnum = _as_int(values.get("PNUM"), 9999)
    pno = _as_int(values.get("PNO"), 9999)
    at = positions.get("Flag", positions.get("PNUM", 0))
    for code, message in check_split_fields(flag, pnum, pno, profile):
        found.append((code, message, at))
    return DataSegment(
        qn=values.get("QN"),
        st=values.get("ST"),
        cn=values.get("CN"),
        pw=values.get("PW"),
        mn=values.get("MN"),
        flag=flag,
        pnum=pnum,
        pno=pno,
    )


def _as_int(text: str | None, limit: int) -> int | None:
    """A header integer when ``text`` is plain ASCII digits within ``limit``, else None."""
    if text is None or not text.isascii() or not text.isdigit() or len(text) > 4:
        return None
    value = int(text)
    return value if value <= limit else None


def _check_header_presence(
    order: list[str], profile: ProtocolProfile, position: int, found: list[Note]
) -> None:
    """Required fields present, and all fields in Table 3 order."""
    required = ["ST", "CN", "PW", "MN"]
    if profile.qn_required:
        required.insert(0, "QN")
    if profile.flag_required:
        required.append("Flag")
    for key in required:
        if key not in order:
            found.append((_V.FIELD_MISSING, f"{key} is missing (Table 3)", position))
    ranks = [HEADER_KEYS.index(key) for key in order]
    if profile.check_field_order and ranks != sorted(ranks):
        message = f"fields in order {', '.join(order)}; Table 3 order is {', '.join(HEADER_KEYS)}"
        found.append((_V.FIELD_ORDER, message, position))


def _careful_cp(body: str, base: int, profile: ProtocolProfile, found: list[Note]) -> CPArea:
    """Walk the CP area field by field (§6.3.3, Table 4), keeping each readable ``name=value``."""
    names: list[str] = []
    raws: list[str] = []
    separators: list[str] = []
    seen: set[str] = set()
    pending = ""  # separators met since the last kept field
    index = 0
    size = len(body)
    while body and index <= size:
        at = base + index
        if len(found) >= _MAX_NOTES:
            message = f"more than {_MAX_NOTES} violations: the rest of the CP area is not read"
            found.append((_V.CP_FIELD_SYNTAX, message, at))
            break
        delimiter = _CP_DELIMITERS.search(body, index)
        if delimiter is None or delimiter.group() != "=":
            stop = size if delimiter is None else delimiter.start()
            piece = body[index:stop]
            message = f"field {piece!r} has no '=' (§6.3.3.1)" if piece.strip() else "empty field"
            found.append((_V.CP_FIELD_SYNTAX, message, at))
        else:
            name = body[index : delimiter.start()]
            stop, raw = _read_cp_value(body, delimiter.end(), base, found)
            field = _check_cp_field(name, raw, at, profile, found)
            if field is not None:
                if names:
                    separator = ";" if ";" in pending else ","
                    if separator == "," and not same_item(names[-1], field[0]):
                        message = (
                            f"',' joins {names[-1]!r} and {field[0]!r}, different items (§6.3.3.1)"
                        )
                        found.append((_V.CP_RECORD, message, at))
                    separators.append(separator)
                if field[0] in seen:
                    found.append((_V.CP_DUPLICATE, f"{field[0]} appears twice", at))
                seen.add(field[0])
                names.append(field[0])
                raws.append(field[1])
                pending = ""
        if stop < size:
            pending += body[stop]
        index = stop + 1
    return CPArea(tuple(names), tuple(raws), "".join(separators))


def _read_cp_value(body: str, start: int, base: int, found: list[Note]) -> tuple[int, str]:
    """Where a value ends and its text; ``//…//`` text may contain separators (Table B.10 logs)."""
    scan_from = start
    if body.startswith("//", start):
        closing = body.find("//", start + 2)
        if closing < 0:
            message = "site-information text opened with // is not closed (Table B.10)"
            found.append((_V.CP_FIELD_SYNTAX, message, base + start))
            return len(body), body[start:]
        scan_from = closing + 2
    separator = _CP_SEPARATORS.search(body, scan_from)
    stop = len(body) if separator is None else separator.start()
    if stop != scan_from and scan_from != start:
        message = "text after the closing // of a site-information value"
        found.append((_V.CP_FIELD_SYNTAX, message, base + scan_from))
    return stop, body[start:stop]


def _check_cp_field(
    name: str, raw: str, at: int, profile: ProtocolProfile, found: list[Note]
) -> tuple[str, str] | None:
    """Check one field; returns the (trimmed) name and value to keep, or None to drop it."""
    if name != name.strip() or raw != raw.strip():
        found.append((_V.FIELD_WHITESPACE, f"spaces around {name}={raw}", at))
        name, raw = name.strip(), raw.strip()
    if not name:
        found.append((_V.CP_FIELD_SYNTAX, f"field with empty name and value {raw!r}", at))
        return None
    if "=" in raw and not raw.startswith("//"):
        found.append((_V.CP_FIELD_SYNTAX, f"'=' inside the value of {name}", at))
    spec, issues = compiled_rules(profile).field_name(name)
    if spec is not None:
        issues = issues + check_field_value(name, spec, raw, profile)
    found.extend((code, message, at) for code, message in issues)
    return name, raw
