"""Data classes of an HJ 212 packet: frame, data segment, CP area, CP records and fields.

Layout (HJ 212-2017 §6.3, Figure 4): ``##`` + 4-digit length + data segment + CRC16 + CR LF; the
data segment is ``QN=…;ST=…;CN=…;PW=…;MN=…;Flag=…;[PNUM=…;PNO=…;]CP=&&…&&`` (Table 3); the CP area
holds records separated by ``;`` whose fields ``name=value`` are separated by ``,`` (§6.3.3.1).

The CP area is stored flat — names, raw values and the separator after each field — so that parsing
a typical hourly packet allocates a handful of objects, not one per field; records and typed values
are produced on access. Raw strings are always kept, so a parsed packet rebuilds byte-identically.
Numeric values become :class:`~decimal.Decimal`, times aware Beijing datetimes (see
:mod:`~ecogov.standards.hj212.timestamps`), flags and codes stay strings. ``Packet``,
``DataSegment`` and ``CPArea`` are plain (not frozen) slotted dataclasses because a frozen
dataclass costs three times as much to create, which matters at tens of thousands of packets per
second; treat them as values and derive changed copies with :func:`dataclasses.replace`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime, time
from decimal import Decimal
from typing import TypeAlias

from ecogov.standards.hj212.codes import (
    COMMAND_CODES,
    FIELD_SUFFIXES,
    PLAIN_FIELDS,
    Command,
    FieldSpec,
    ValueKind,
)
from ecogov.standards.hj212.crc import CrcFlavour
from ecogov.standards.hj212.errors import BuildError, Violation, ViolationCode
from ecogov.standards.hj212.timestamps import (
    format_clock,
    format_timestamp,
    is_valid_clock,
    is_valid_timestamp,
    parse_clock,
    parse_timestamp,
)

__all__ = [
    "CPArea",
    "CPField",
    "CPRecord",
    "CPValue",
    "DataSegment",
    "FlagBits",
    "Packet",
    "format_value",
    "is_number",
]

CPValue: TypeAlias = Decimal | datetime | time | str


def is_number(text: str) -> bool:
    """Whether ``text`` is an HJ 212 number: optional sign, digits, optional point and digits.

    §6.3.3.2.2: ``N14.2`` is "a variable-length numeric string, with decimal point and sign".
    Exponents, ``NaN``, underscores, spaces and bare points are refused.
    """
    body = text[1:] if text[:1] in ("-", "+") else text
    whole, point, fraction = body.partition(".")
    return (
        bool(whole)
        and body.isascii()
        and whole.isdigit()
        and (not point or (bool(fraction) and fraction.isdigit()))
    )


def format_value(value: object) -> str:
    """The wire text of a CP value: Decimal/int/float as plain decimals, times per Table 4.

    ``datetime`` → ``YYYYMMDDhhmmss`` (Beijing time), ``time`` → ``hhmmss``, ``str`` as given.
    Floats go through their shortest repr, so ``0.1`` is written ``0.1``. Raises :class:`BuildError`
    for anything else (booleans included).
    """
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        raise BuildError([Violation(ViolationCode.CP_VALUE, "a boolean is not an HJ 212 value")])
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        value = Decimal(repr(value))
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise BuildError([Violation(ViolationCode.CP_NUMBER, f"{value} is not finite")])
        return format(value, "f")
    if isinstance(value, datetime):
        return format_timestamp(value)
    if isinstance(value, time):
        return format_clock(value)
    raise BuildError(
        [Violation(ViolationCode.CP_VALUE, f"cannot write a {type(value).__name__} as a CP value")]
    )


@dataclass(frozen=True, slots=True)
class CPField:
    """One ``name=value`` of the CP area (§6.3.3.1); ``raw`` is the value text as sent."""

    name: str
    raw: str

    @property
    def code(self) -> str | None:
        """The factor, unit or info code before ``-`` (§6.4): ``w01018`` of ``w01018-Avg``."""
        code, dash, _ = self.name.partition("-")
        return code if dash else None

    @property
    def suffix(self) -> str:
        """The Table 4 field kind after ``-`` (``Avg``), or the whole name for plain fields."""
        _, dash, suffix = self.name.partition("-")
        return suffix if dash else self.name

    @property
    def spec(self) -> FieldSpec | None:
        """The §6.3.3.2.3 Table 4 entry of this field, if the standard defines it."""
        if "-" in self.name:
            return FIELD_SUFFIXES.get(self.suffix)
        return PLAIN_FIELDS.get(self.name)

    @property
    def value(self) -> CPValue:
        """Typed value (Table 4): Decimal for numbers, datetime for N14, time for hhmmss, else str.

        A value that does not have the shape its kind requires (possible after tolerant parsing) is
        returned as the raw string.
        """
        spec = self.spec
        kind = None if spec is None else spec.kind
        raw = self.raw
        if kind in (ValueKind.NUMBER, ValueKind.INTEGER) and is_number(raw):
            return Decimal(raw)
        if kind is ValueKind.TIMESTAMP and is_valid_timestamp(raw, millis=None):
            return parse_timestamp(raw)
        if kind is ValueKind.CLOCK and is_valid_clock(raw):
            return parse_clock(raw)
        return raw

    @property
    def decimal(self) -> Decimal | None:
        """The value as a Decimal when the raw text is a §6.3.3.2.2 number (also for ``-Info``)."""
        return Decimal(self.raw) if is_number(self.raw) else None


@dataclass(frozen=True, slots=True)
class CPRecord:
    """One ``;``-separated item of the CP area: its ``,``-separated fields (§6.3.3.1)."""

    fields: tuple[CPField, ...]

    @property
    def code(self) -> str | None:
        """The code shared by every field of the record (§6.3.3.1 "same item"), or None."""
        codes = {f.code for f in self.fields}
        return codes.pop() if len(codes) == 1 else None

    def get(self, name_or_suffix: str) -> CPField | None:
        """The first field whose name or Table 4 suffix is ``name_or_suffix``."""
        for item in self.fields:
            if name_or_suffix in (item.name, item.suffix):
                return item
        return None


@dataclass(slots=True)
class CPArea:
    """The CP data area ``CP=&&…&&`` (§6.3.3), stored flat.

    ``names[i]=raws[i]`` is field i; ``separators[i]`` (``;`` or ``,``) follows field i, so there is
    one separator fewer than fields. ``CP=&&&&`` is the empty area.
    """

    names: tuple[str, ...] = ()
    raws: tuple[str, ...] = ()
    separators: str = ""

    @classmethod
    def from_records(
        cls, records: Iterable[Mapping[str, object] | Iterable[tuple[str, object]]]
    ) -> CPArea:
        """A §6.3.3 CP area from records of ``name → value`` (written by :func:`format_value`).

        Example: ``CPArea.from_records([{"DataTime": t}, {"w01018-Avg": Decimal("40.1"),
        "w01018-Flag": "N"}])``.
        """
        names: list[str] = []
        raws: list[str] = []
        separators: list[str] = []
        for record in records:
            items = record.items() if isinstance(record, Mapping) else record
            first = True
            for name, value in items:
                if names:
                    separators.append("," if not first else ";")
                names.append(name)
                raws.append(format_value(value))
                first = False
        return cls(tuple(names), tuple(raws), "".join(separators))

    def __len__(self) -> int:
        return len(self.names)

    def __iter__(self) -> Iterator[CPField]:
        return map(CPField, self.names, self.raws)

    def __contains__(self, name: object) -> bool:
        return name in self.names

    def get(self, name: str) -> CPField | None:
        """The first field called ``name`` (case-sensitive, §6.3.3.2.1), or None."""
        try:
            index = self.names.index(name)
        except ValueError:
            return None
        return CPField(name, self.raws[index])

    def value(self, name: str) -> CPValue | None:
        """The Table 4 typed value of field ``name`` (:attr:`CPField.value`), or None if absent."""
        found = self.get(name)
        return None if found is None else found.value

    @property
    def data_time(self) -> datetime | None:
        """``DataTime`` (Table 4): interval start for 2031/2041/2051/2061, instant for 2011/2021."""
        found = self.get("DataTime")
        if found is None or not is_valid_timestamp(found.raw, millis=None):
            return None
        return parse_timestamp(found.raw)

    def records(self) -> tuple[CPRecord, ...]:
        """The ``;``-separated records (§6.3.3.1) with their ``,``-separated fields, in order."""
        records: list[CPRecord] = []
        current: list[CPField] = []
        for index, item in enumerate(self):
            current.append(item)
            if index == len(self.separators) or self.separators[index] == ";":
                records.append(CPRecord(tuple(current)))
                current = []
        return tuple(records)

    def factors(self) -> dict[str, dict[str, CPField]]:
        """Fields grouped by code, then Table 4 suffix: ``{"w01018": {"Avg": …, "Flag": …}}``."""
        grouped: dict[str, dict[str, CPField]] = {}
        for item in self:
            code = item.code
            if code is not None:
                grouped.setdefault(code, {})[item.suffix] = item
        return grouped

    def text(self) -> str:
        """The area's content between ``CP=&&`` and ``&&`` (§6.3.2 Table 3)."""
        parts: list[str] = []
        for index, (name, raw) in enumerate(zip(self.names, self.raws, strict=True)):
            if index:
                parts.append(self.separators[index - 1])
            parts.append(f"{name}={raw}")
        return "".join(parts)


@dataclass(frozen=True, slots=True)
class FlagBits:
    """The Flag field ``V5 V4 V3 V2 V1 V0 D A`` (§6.3.2 Table 3).

    ``version``: 0 = HJ/T 212-2005, 1 = HJ 212-2017 (2 is disputed, see profiles). ``split`` (D):
    the packet carries PNUM and PNO. ``ack`` (A): the receiver must answer.
    """

    version: int
    split: bool
    ack: bool

    @classmethod
    def from_int(cls, flag: int) -> FlagBits:
        """Decode a Flag value 0–255 (§6.3.2 Table 3)."""
        return cls(version=flag >> 2, split=bool(flag & 2), ack=bool(flag & 1))

    def to_int(self) -> int:
        """Encode back to the Flag integer (§6.3.2 Table 3)."""
        return (self.version << 2) | (2 if self.split else 0) | (1 if self.ack else 0)


@dataclass(slots=True, kw_only=True)
class DataSegment:
    """The data segment (数据段) of §6.3.2 Table 3; absent optional fields are None.

    ``qn`` (请求编码) is the request's timestamp id, which replies 9011–9014 repeat; ``st`` system
    code (Table 5); ``cn`` command code (Table 9); ``pw`` password; ``mn`` device id; ``flag``;
    ``pnum``/``pno`` only in split packets; ``cp`` the command parameters.
    """

    qn: str | None = None
    st: str | None = None
    cn: str | None = None
    pw: str | None = None
    mn: str | None = None
    flag: int | None = None
    pnum: int | None = None
    pno: int | None = None
    cp: CPArea = field(default_factory=CPArea)

    @property
    def flag_bits(self) -> FlagBits | None:
        """The decoded Flag, or None when the packet has none (HJ/T 212-2005 devices)."""
        return None if self.flag is None else FlagBits.from_int(self.flag)

    @property
    def needs_ack(self) -> bool:
        """Flag bit A (§6.3.2): the receiver must answer (9014 for uploads, 9013 for notices)."""
        return self.flag is not None and bool(self.flag & 1)

    @property
    def qn_time(self) -> datetime | None:
        """QN (Table 3 ``YYYYMMDDhhmmsszzz``) as an aware Beijing datetime, when valid."""
        if self.qn is None or not is_valid_timestamp(self.qn, millis=None):
            return None
        return parse_timestamp(self.qn)

    @property
    def command(self) -> Command | None:
        """The Table 9 entry of ``cn``, when known."""
        return None if self.cn is None else COMMAND_CODES.get(self.cn)

    def text(self) -> str:
        """The data segment in Table 3 order: ``QN=…;ST=…;…;CP=&&…&&`` (absent fields omitted)."""
        parts = [
            f"{key}={value}"
            for key, value in (
                ("QN", self.qn),
                ("ST", self.st),
                ("CN", self.cn),
                ("PW", self.pw),
                ("MN", self.mn),
                ("Flag", self.flag),
                ("PNUM", self.pnum),
                ("PNO", self.pno),
            )
            if value is not None
        ]
        parts.append(f"CP=&&{self.cp.text()}&&")
        return ";".join(parts)


@dataclass(slots=True)
class Packet:
    """A parsed communication packet (通讯包, §6.3.1 Table 2).

    ``declared_length`` is the 4-digit length field, ``crc`` the CRC text as received (None when
    unreadable), ``crc_flavour`` the flavour that matched (None on mismatch). ``violations`` is
    empty for a packet that follows every rule of its profile.
    """

    segment: DataSegment
    raw: bytes
    declared_length: int | None
    crc: str | None
    crc_flavour: CrcFlavour | None
    violations: tuple[Violation, ...] = ()

    @property
    def ok(self) -> bool:
        """Whether the packet broke no rule of §6.3 under its profile."""
        return not self.violations
