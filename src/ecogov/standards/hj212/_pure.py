"""The HJ 212 codec's per-packet loops in plain Python: the fallback of the C module ``_native``.

Same functions, same answers as ``_native.c`` (the test suite holds the two against each other
and runs the codec tests on both); only slower. :mod:`ecogov.standards.hj212.kernels` chooses
between them. See ``_native.c`` for what each function checks and why.
"""

from __future__ import annotations

from collections.abc import Set
from typing import Final

_CRC_INIT: Final = 0xFFFF
_CRC_POLY: Final = 0xA001
_FRAME_OVERHEAD: Final = 12
"""``##`` + 4 length digits + 4 CRC digits + CR LF (§6.3.1 Table 2)."""
_DIGITS: Final = frozenset(b"0123456789")
_HEX_DIGITS: Final = frozenset(b"0123456789abcdefABCDEF")
_VALUE_ENDS: Final = frozenset("=;,")
_DAYS_IN_MONTH: Final = (0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _rounds(value: int) -> int:
    """Appendix A's 8 shift-and-XOR rounds applied to ``value`` (< 256)."""
    for _ in range(8):
        value = (value >> 1) ^ _CRC_POLY if value & 1 else value >> 1
    return value


_TABLE: Final = tuple(_rounds(x) for x in range(256))


def crc16_hj212(data: bytes | bytearray | memoryview, /) -> int:
    """CRC16 of HJ 212-2017 Appendix A: ``crc = T[(crc >> 8) ^ b]`` from 0xFFFF."""
    register = _CRC_INIT
    for byte in bytes(data):
        register = _TABLE[(register >> 8) ^ byte]
    return register


def crc16_modbus(data: bytes | bytearray | memoryview, /) -> int:
    """CRC-16/MODBUS: ``crc = (crc >> 8) ^ T[(crc ^ b) & 0xFF]`` from 0xFFFF."""
    register = _CRC_INIT
    for byte in bytes(data):
        register = (register >> 8) ^ _TABLE[(register ^ byte) & 0xFF]
    return register


def _days_in(year: int, month: int) -> int:
    """Days in ``month`` of the Gregorian ``year``."""
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    return 29 if month == 2 and leap else _DAYS_IN_MONTH[month]


def is_valid_timestamp(text: str, /, *, millis: bool | None = False) -> bool:
    """Whether ``text`` is ``YYYYMMDDhhmmss`` (Table 4 N14; ``millis`` False),
    ``YYYYMMDDhhmmsszzz`` (Table 3 QN; True) or either (None): ASCII digits naming a real date
    from year 1 and a time of day 00:00:00–23:59:59."""
    sized = len(text) in (14, 17) if millis is None else len(text) == (17 if millis else 14)
    if not sized or not text.isascii() or not text.isdigit():
        return False
    year, month, day = int(text[0:4]), int(text[4:6]), int(text[6:8])
    if not (year >= 1 and 1 <= month <= 12 and 1 <= day <= _days_in(year, month)):
        return False
    return int(text[8:10]) < 24 and text[10] < "6" and text[12] < "6"


def clean_frame(raw: bytes, max_segment_length: int, /) -> tuple[str, str, int, int] | None:
    """(segment, CRC field, declared CRC, Appendix A CRC of the segment) of a frame that passes
    §6.3.1 Table 2's checks with an ASCII segment of at most ``max_segment_length``; else None."""
    size = len(raw) - _FRAME_OVERHEAD
    if size < 0 or size > max_segment_length or raw[:2] != b"##" or raw[-2:] != b"\r\n":
        return None
    length, segment, crc_field = raw[2:6], raw[6:-6], raw[-6:-2]
    if not _DIGITS.issuperset(length) or int(length) != size:
        return None
    if not _HEX_DIGITS.issuperset(crc_field) or not segment.isascii():
        return None
    return (
        segment.decode("ascii"),
        crc_field.decode("ascii"),
        int(crc_field, 16),
        crc16_hj212(segment),
    )


def _is_number(text: str) -> bool:
    """Whether ``text`` is a §6.3.3.2.2 number: ``[+-]?[0-9]+(\\.[0-9]+)?`` in ASCII digits."""
    body = text[1:] if text[:1] in ("+", "-") else text
    integer, dot, fraction = body.partition(".")
    digits_only = integer.isascii() and integer.isdigit()
    return digits_only and (not dot or (fraction.isascii() and fraction.isdigit()))


def match_layout(
    cp: str, names: tuple[str, ...], separators: str, kinds: bytes, flags: Set[str], /
) -> tuple[str, ...] | None:
    """The values of an ASCII CP area that is exactly ``names[0]=v0 separators[0] names[1]=v1
    …``, each value running to the next ``=``, ``;`` or ``,`` and being a number (kind ``n``), a
    member of ``flags`` (``f``) or anything (``a``); None when the area has another shape."""
    if len(kinds) != len(names) or len(separators) != len(names) - 1 or not separators.isascii():
        raise ValueError("match_layout: one kind per name, one separator between")
    if not cp.isascii():
        return None
    values: list[str] = []
    at = 0
    for index, name in enumerate(names):
        if index > 0:
            if cp[at : at + 1] != separators[index - 1]:
                return None
            at += 1
        if not name.isascii() or not cp.startswith(name + "=", at):
            return None
        start = at = at + len(name) + 1
        while at < len(cp) and cp[at] not in _VALUE_ENDS:
            at += 1
        value = cp[start:at]
        kind = chr(kinds[index])
        if (kind == "n" and not _is_number(value)) or (kind == "f" and value not in flags):
            return None
        values.append(value)
    return tuple(values) if at == len(cp) else None
