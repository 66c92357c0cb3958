"""Structured rule violations and the codec's single exception hierarchy (HJ 212-2017 §6.3).

Every problem the codec finds is a :class:`Violation`: a stable machine code, an English message
and, where known, the byte offset in the input at which it was found. Strict parsing raises one
:class:`HJ212Error` subclass carrying *all* violations of the packet; tolerant parsing returns them
with the packet. Nothing else ever escapes the codec: any input (bytes or text, empty, huge, not
UTF-8, not even a string) ends in a packet or in an :class:`HJ212Error`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ecogov.standards.hj212.packet import DataSegment

__all__ = [
    "BuildError",
    "CRCError",
    "EncodingError",
    "FramingError",
    "HJ212Error",
    "ReassemblyError",
    "SegmentError",
    "Violation",
    "ViolationCode",
    "error_for",
]


class ViolationCode(StrEnum):
    """Stable identifiers of the rules checked, grouped by clause (§6.3.1, §6.3.2, §6.3.3, §6.6)."""

    # Input and encoding — §6.3 ("ASCII, Chinese characters in UTF-8").
    INPUT_TYPE = "input-type"
    ENCODING = "encoding"
    NON_ASCII = "non-ascii"
    INTERNAL = "internal"
    # Framing — §6.3.1 Table 2.
    FRAME_EMPTY = "frame-empty"
    FRAME_HEADER = "frame-header"
    FRAME_GARBAGE = "frame-garbage"
    FRAME_LENGTH_FORMAT = "frame-length-format"
    FRAME_LENGTH_MISMATCH = "frame-length-mismatch"
    FRAME_TOO_LONG = "frame-too-long"
    FRAME_TRUNCATED = "frame-truncated"
    FRAME_TAIL = "frame-tail"
    CRC_FORMAT = "crc-format"
    CRC_MISMATCH = "crc-mismatch"
    # Data segment — §6.3.2 Table 3 and §6.6.
    SEGMENT_SEPARATOR = "segment-separator"
    FIELD_SYNTAX = "field-syntax"
    FIELD_DUPLICATE = "field-duplicate"
    FIELD_MISSING = "field-missing"
    FIELD_UNKNOWN = "field-unknown"
    FIELD_ORDER = "field-order"
    FIELD_WHITESPACE = "field-whitespace"
    QN_FORMAT = "qn-format"
    ST_FORMAT = "st-format"
    CN_FORMAT = "cn-format"
    PW_FORMAT = "pw-format"
    MN_FORMAT = "mn-format"
    FLAG_FORMAT = "flag-format"
    FLAG_VERSION = "flag-version"
    SPLIT_FIELDS = "split-fields"
    # CP data area — §6.3.3 and Table 4.
    CP_MISSING = "cp-missing"
    CP_DELIMITER = "cp-delimiter"
    CP_TOO_LONG = "cp-too-long"
    CP_FIELD_SYNTAX = "cp-field-syntax"
    CP_RECORD = "cp-record"
    CP_FIELD_NAME = "cp-field-name"
    CP_FACTOR_CODE = "cp-factor-code"
    CP_DUPLICATE = "cp-duplicate"
    CP_NUMBER = "cp-number"
    CP_TIME = "cp-time"
    CP_DATA_FLAG = "cp-data-flag"
    CP_VALUE = "cp-value"
    CP_RANGE = "cp-range"
    # Split-packet reassembly — §6.3.2 (PNUM/PNO) and Appendix C.49/C.50.
    SPLIT_TIMEOUT = "split-timeout"
    SPLIT_EVICTED = "split-evicted"
    SPLIT_INCONSISTENT = "split-inconsistent"


@dataclass(frozen=True, slots=True)
class Violation:
    """One broken rule of §6.3: ``code`` names it, ``position`` is a 0-based byte offset if known.

    Offsets count from the first byte handed to the parser (the first ``#`` of a frame, or the first
    byte of a bare data segment).
    """

    code: ViolationCode
    message: str
    position: int | None = None

    def __str__(self) -> str:
        where = "" if self.position is None else f" at byte {self.position}"
        return f"{self.code}{where}: {self.message}"


class HJ212Error(Exception):
    """Base class of everything the HJ 212 codec raises; ``violations`` lists every reason."""

    def __init__(self, violations: Iterable[Violation]) -> None:
        self.violations: tuple[Violation, ...] = tuple(violations)
        super().__init__(self.violations)

    def __str__(self) -> str:
        return "; ".join(str(v) for v in self.violations) or "HJ 212 error"

    @property
    def codes(self) -> frozenset[ViolationCode]:
        """The distinct :class:`ViolationCode` values (§6.3 rules), for assertions and routing."""
        return frozenset(v.code for v in self.violations)


class FramingError(HJ212Error):
    """The ``##`` + length + data + CRC + CR LF envelope is broken (§6.3.1 Table 2)."""


class CRCError(HJ212Error):
    """The CRC16 field does not match the data segment (§6.3.1 Table 2, Appendix A)."""


class EncodingError(HJ212Error):
    """The input is not text the standard allows: ASCII, with UTF-8 Chinese (§6.3)."""


class SegmentError(HJ212Error):
    """The data segment or its CP area breaks a rule of §6.3.2, §6.3.3, Table 4 or §6.6."""


class BuildError(HJ212Error):
    """A packet cannot be built from the given values without breaking §6.3 (or Table 4)."""


class ReassemblyError(HJ212Error):
    """A split packet group (PNUM/PNO, §6.3.2) timed out, was evicted or is inconsistent.

    ``partial`` holds the parts received so far (data segments, in PNO order), so a tolerant caller
    can still keep what arrived.
    """

    def __init__(
        self, violations: Iterable[Violation], partial: tuple[DataSegment, ...] = ()
    ) -> None:
        super().__init__(violations)
        self.partial = partial


_FRAMING_CODES = frozenset(
    {
        ViolationCode.FRAME_EMPTY,
        ViolationCode.FRAME_HEADER,
        ViolationCode.FRAME_GARBAGE,
        ViolationCode.FRAME_LENGTH_FORMAT,
        ViolationCode.FRAME_LENGTH_MISMATCH,
        ViolationCode.FRAME_TOO_LONG,
        ViolationCode.FRAME_TRUNCATED,
        ViolationCode.FRAME_TAIL,
        ViolationCode.CRC_FORMAT,
    }
)
_ENCODING_CODES = frozenset(
    {ViolationCode.INPUT_TYPE, ViolationCode.ENCODING, ViolationCode.NON_ASCII}
)


def error_for(violations: Iterable[Violation]) -> HJ212Error:
    """The exception class that best describes a refused packet: framing, then CRC, then encoding.

    A strict parse refuses a packet with *all* its violations; the class is chosen from the most
    fundamental layer that failed, so callers can route on it (§6.3.1 before §6.3.2).
    """
    found = tuple(violations)
    codes = {v.code for v in found}
    if ViolationCode.INTERNAL in codes:
        return HJ212Error(found)
    if codes & _FRAMING_CODES:
        return FramingError(found)
    if ViolationCode.CRC_MISMATCH in codes:
        return CRCError(found)
    if codes & _ENCODING_CODES:
        return EncodingError(found)
    return SegmentError(found)
