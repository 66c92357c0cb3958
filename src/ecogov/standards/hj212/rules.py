"""The rules a data segment must follow (§6.3.2 Table 3, §6.3.3 Table 4, §6.4, §6.6), per profile.

Each check returns *issues* — a violation code and message without a position; the parser adds the
position. The same functions serve the careful (diagnosing) parse and fill the caches of
:class:`CompiledRules`, with which the fast path validates a well-formed packet in bulk: the
sequence of CP field names is checked once by the full rules and then recognised, header
combinations likewise, and all numbers of a packet are checked together by their digit shapes
(:func:`numbers_well_formed`). So the fast path accepts exactly what the careful path accepts
(the fuzz tests compare both); caches are bounded and cleared when full.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Final, TypeAlias

from ecogov.standards.hj212.codes import (
    FIELD_SUFFIXES,
    PLAIN_FIELDS,
    CodeName,
    FieldSpec,
    ValueKind,
)
from ecogov.standards.hj212.errors import ViolationCode
from ecogov.standards.hj212.packet import is_number
from ecogov.standards.hj212.profiles import CodeRule, MnRule, ProtocolProfile
from ecogov.standards.hj212.timestamps import is_valid_clock, is_valid_timestamp

__all__ = [
    "HEADER_KEYS",
    "CompiledRules",
    "HeaderFacts",
    "Issue",
    "Layout",
    "check_field_name",
    "check_field_value",
    "check_header_value",
    "check_split_fields",
    "compiled_rules",
    "numbers_well_formed",
    "same_item",
]

Issue: TypeAlias = tuple[ViolationCode, str]

HEADER_KEYS: Final = ("QN", "ST", "CN", "PW", "MN", "Flag", "PNUM", "PNO")
"""Data-segment fields before CP, in the order of §6.3.2 Table 3."""

_V = ViolationCode
_ALNUM: Final = re.compile(r"[0-9A-Za-z]+")
_HEX24: Final = re.compile(r"[0-9A-F]{24}")
_ST: Final = re.compile(r"[0-9A-Z]{2}")
_FLAG: Final = re.compile(r"0|[1-9][0-9]{0,2}")
_POLLUTANT: Final = r"[wa][0-9]{5}"  # HJ 525-2009 water / HJ 524-2009 air codes (Appendix B)
_PROCESS: Final = r"[eg][1-9ab][0-9]{4}"  # §6.4.1: class, process 1-9/a-b, factor 01-99, unit 01-99
_INFO: Final = r"i[1-5][1-5][0-9a-z]{3}"  # §6.4.2: class i, device 1-5, info class 1-5, 001-zzz
_NOISE: Final = r"L[0-9A-Za-z]{1,3}"  # Table B.3 (LA, L5 … LMn, extensible)
_EQUIPMENT: Final = r"SB[0-9]{1,3}"  # Table 4 SBxxx treatment units
_LEGACY: Final = r"[0-9]{2,3}|[A-Z][0-9]{2}"  # HJ/T 212-2005 codes: 011, 02, B01, S01
_ANY: Final = r"[0-9A-Za-z]{1,24}"


@lru_cache(maxsize=16)
def _code_patterns(rule: CodeRule) -> dict[str, re.Pattern[str]]:
    """Code syntax per field suffix (and for PolId/InfoId values) under a code rule (§6.4)."""
    if rule is CodeRule.ANY:
        anything = re.compile(_ANY)
        return {"measure": anything, "equipment": anything, "info": anything, "noise": anything}
    measure = [_POLLUTANT, _PROCESS, _NOISE] + ([_LEGACY] if rule is CodeRule.LEGACY else [])
    return {
        "measure": re.compile("|".join(measure)),
        "equipment": re.compile(_EQUIPMENT),
        "info": re.compile(_INFO),
        "noise": re.compile(_NOISE),
    }


_SUFFIX_CODE_CLASS: Final = {
    "RS": "equipment",
    "RT": "equipment",
    "Info": "info",
    "Data": "noise",
    "DayData": "noise",
    "NightData": "noise",
}
_EXTRA_SPEC: Final = FieldSpec(CodeName("设备扩展字段", "profile extension"), ValueKind.TEXT)


def _case_hint(name: str, known: frozenset[str]) -> str:
    """`` (did you mean X?)`` when ``name`` matches a known name except for letter case."""
    lowered = name.lower()
    for candidate in known:
        if candidate.lower() == lowered:
            return f" (field names are case-sensitive, §6.3.3.2.1: did you mean {candidate!r}?)"
    return ""


@lru_cache(maxsize=16)
def _known_names(
    extra_plain: frozenset[str], extra_suffixes: frozenset[str]
) -> tuple[frozenset[str], frozenset[str]]:
    """Plain field names and suffixes a profile accepts (Table 4 plus its extensions)."""
    return frozenset(PLAIN_FIELDS) | extra_plain, frozenset(FIELD_SUFFIXES) | extra_suffixes


def check_field_name(name: str, profile: ProtocolProfile) -> tuple[FieldSpec | None, list[Issue]]:
    """The Table 4 spec of a CP field name, and the issues with the name (§6.3.3.2, §6.4, App. B).

    Plain names must be Table 4 names; ``code-Suffix`` names need a Table 4 suffix and a code of
    the right syntax for the profile's :class:`~ecogov.standards.hj212.profiles.CodeRule`.
    """
    plain, suffixes = _known_names(profile.extra_plain_fields, profile.extra_suffixes)
    if not name.isascii():
        return None, [(_V.CP_FIELD_NAME, f"field name {name!r} is not ASCII (§6.3)")]
    code, dash, suffix = name.partition("-")
    if not dash:
        if name in PLAIN_FIELDS:
            return PLAIN_FIELDS[name], []
        if name in plain:
            return _EXTRA_SPEC, []
        hint = _case_hint(name, plain)
        return None, [(_V.CP_FIELD_NAME, f"unknown field {name!r} (Table 4){hint}")]
    if suffix not in suffixes:
        hint = _case_hint(suffix, suffixes)
        return None, [(_V.CP_FIELD_NAME, f"unknown field suffix {suffix!r} in {name!r}{hint}")]
    spec = FIELD_SUFFIXES.get(suffix, _EXTRA_SPEC)
    pattern = _code_patterns(profile.code_rule)[_SUFFIX_CODE_CLASS.get(suffix, "measure")]
    if pattern.fullmatch(code) is None:
        return spec, [
            (
                _V.CP_FACTOR_CODE,
                f"{code!r} is not a valid code for -{suffix} under {profile.code_rule} "
                "(§6.4, Appendix B)",
            )
        ]
    return spec, []


def _check_range(spec: FieldSpec, raw: str) -> list[Issue]:
    """Table 4 ranges such as RtdInterval 30–3600 s or MinInterval ∈ {1, 2, …, 30} min."""
    number = float(raw)
    if spec.allowed is not None and number not in spec.allowed:
        allowed = ", ".join(str(v) for v in sorted(spec.allowed))
        return [(_V.CP_RANGE, f"{raw} is not one of {allowed} (Table 4)")]
    too_low = spec.low is not None and (number <= spec.low if spec.low_open else number < spec.low)
    too_high = spec.high is not None and number > spec.high
    if too_low or too_high:
        low = "" if spec.low is None else f"{spec.low}{'<' if spec.low_open else '≤'}"
        high = "" if spec.high is None else f"≤{spec.high}"
        return [(_V.CP_RANGE, f"{raw} is outside {low}n{high} (Table 4)")]
    return []


def _code_value_ok(name: str, raw: str, profile: ProtocolProfile) -> bool:
    """PolId takes a pollutant/process code, InfoId a site-information code (Table 4, C6)."""
    patterns = _code_patterns(profile.code_rule)
    pattern = patterns["info"] if name == "InfoId" else patterns["measure"]
    return len(raw) <= 6 and pattern.fullmatch(raw) is not None


def check_field_value(
    name: str, spec: FieldSpec, raw: str, profile: ProtocolProfile
) -> list[Issue]:
    """Issues with a CP value given its Table 4 spec (§6.3.3.2.2 types, Table 4 widths and ranges).

    Only TEXT values (site information and logs) may carry non-ASCII (UTF-8 Chinese, §6.3).
    """
    if raw != raw.strip():
        return [(_V.FIELD_WHITESPACE, f"spaces around the value of {name}")]
    kind = spec.kind
    if kind is ValueKind.TEXT:
        return []
    if not raw.isascii():
        return [(_V.NON_ASCII, f"{name}={raw!r}: only -Info text may be non-ASCII (§6.3)")]
    if kind is ValueKind.NUMBER or kind is ValueKind.INTEGER:
        shape_ok = raw.isdigit() if kind is ValueKind.INTEGER else is_number(raw)
        if not shape_ok:
            what = "an integer" if kind is ValueKind.INTEGER else "a number"
            return [(_V.CP_NUMBER, f"{name}={raw!r} is not {what} (§6.3.3.2.2)")]
        if spec.low is None and spec.high is None and spec.allowed is None:
            return []
        return _check_range(spec, raw)
    return _check_text_kind(name, kind, raw, profile)


def _check_text_kind(name: str, kind: ValueKind, raw: str, profile: ProtocolProfile) -> list[Issue]:
    """Checks of the non-numeric kinds: times, flags, codes, serials and passwords."""
    if kind is ValueKind.TIMESTAMP:
        millis = None if profile.lenient_timestamps else False
        if is_valid_timestamp(raw, millis=millis):
            return []
        return [(_V.CP_TIME, f"{name}={raw!r} is not a valid YYYYMMDDhhmmss time (Table 4)")]
    if kind is ValueKind.CLOCK:
        if is_valid_clock(raw):
            return []
        return [(_V.CP_TIME, f"{name}={raw!r} is not a valid hhmmss time (Table 4)")]
    if kind is ValueKind.DATA_FLAG:
        if raw in profile.data_flags:
            return []
        flags = "".join(sorted(profile.data_flags))
        return [(_V.CP_DATA_FLAG, f"{name}={raw!r} is not a data flag of {flags} (Table 8)")]
    if kind is ValueKind.CODE:
        valid = _code_value_ok(name, raw, profile)
    elif kind is ValueKind.SERIAL:
        valid = _HEX24.fullmatch(raw) is not None
    else:  # EXT_FLAG (C4) or PASSWORD (C6)
        width = 4 if kind is ValueKind.EXT_FLAG else 6
        valid = len(raw) <= width and _ALNUM.fullmatch(raw) is not None
    if valid:
        return []
    return [(_V.CP_VALUE, f"{name}={raw!r} does not fit {kind} (Table 4)")]


def check_header_value(key: str, value: str, profile: ProtocolProfile) -> Issue | None:
    """The issue with one data-segment field before CP (§6.3.2 Table 3), or None."""
    if key == "QN":
        millis = None if profile.lenient_timestamps else True
        if is_valid_timestamp(value, millis=millis):
            return None
        return (_V.QN_FORMAT, f"QN={value!r} is not YYYYMMDDhhmmsszzz (Table 3)")
    if key == "ST":
        if _ST.fullmatch(value):
            return None
        return (_V.ST_FORMAT, f"ST={value!r} is not two characters 0-9/A-Z (§6.6.1)")
    if key == "CN":
        if len(value) == 4 and value.isascii() and value.isdigit():
            return None
        return (_V.CN_FORMAT, f"CN={value!r} is not a 4-digit command code (§6.6.5)")
    if key == "PW":
        if len(value) <= 6 and _ALNUM.fullmatch(value):
            return None
        return (_V.PW_FORMAT, f"PW={value!r} is not 1–6 letters or digits (Table 3)")
    if key == "MN":
        return _check_mn(value, profile)
    if key == "Flag":
        if _FLAG.fullmatch(value) and int(value) <= 255:
            return None
        return (_V.FLAG_FORMAT, f"Flag={value!r} is not an integer 0–255 (Table 3)")
    if len(value) <= 4 and value.isascii() and value.isdigit() and int(value) >= 1:
        return None
    return (_V.SPLIT_FIELDS, f"{key}={value!r} is not a packet count 1–9999 (Table 3)")


def _check_mn(value: str, profile: ProtocolProfile) -> Issue | None:
    """MN: 24 characters 0-9/A-F (EPC-96) in 2017; free 1–24 letters/digits under MnRule.FREE."""
    if profile.mn_rule is MnRule.EPC96:
        if _HEX24.fullmatch(value):
            return None
        return (_V.MN_FORMAT, f"MN={value!r} is not 24 characters 0-9/A-F (EPC-96, Table 3)")
    if len(value) <= 24 and _ALNUM.fullmatch(value):
        return None
    return (_V.MN_FORMAT, f"MN={value!r} is not 1–24 letters or digits")


def check_split_fields(
    flag: int | None, pnum: int | None, pno: int | None, profile: ProtocolProfile
) -> list[Issue]:
    """Flag version bits against the profile, and the D bit against PNUM/PNO (§6.3.2 Table 3)."""
    issues: list[Issue] = []
    if flag is not None and flag >> 2 not in profile.flag_versions:
        versions = ", ".join(str(v) for v in sorted(profile.flag_versions))
        issues.append(
            (
                _V.FLAG_VERSION,
                f"Flag={flag} has version bits {flag >> 2}; profile {profile.name!r} "
                f"accepts {versions}",
            )
        )
    has_parts = pnum is not None or pno is not None
    split = bool(flag & 2) if flag is not None else has_parts
    if split and (pnum is None or pno is None):
        issues.append((_V.SPLIT_FIELDS, "Flag bit D is set but PNUM/PNO are missing"))
    elif not split and has_parts:
        issues.append((_V.SPLIT_FIELDS, "PNUM/PNO are present but Flag bit D is not set"))
    if pnum is not None and pno is not None and pno > pnum:
        issues.append((_V.SPLIT_FIELDS, f"PNO={pno} is greater than PNUM={pnum}"))
    return issues


_CACHE_LIMIT: Final = 4096
_HEADER_CACHE_LIMIT: Final = 16384  # one entry per device (MN) and command in practice
_DIGITS_TO_NINES: Final = bytes.maketrans(b"0123456789", b"9999999999")
_COMMA: Final = ord(",")
_valid_shapes: set[bytes] = set()


def numbers_well_formed(joined: bytes) -> bool:
    """Whether every ``,``-joined number matches ``[+-]?digits[.digits]`` (§6.3.3.2.2).

    Works on the whole string at once. Digits become ``9`` and each ``9.9`` becomes ``9``: unsigned
    well-formed numbers then leave only ``9`` runs between commas, and no two points are separated
    by digits alone. Anything else (signs, stray points) is judged by its distinct digit shapes
    (``-99.9``), each checked once by :func:`~ecogov.standards.hj212.packet.is_number` and
    remembered in a bounded set.
    """
    shape = joined.translate(_DIGITS_TO_NINES).replace(b"9.9", b"9")
    if (
        shape
        and not shape.translate(None, b"9,")
        and b",," not in shape
        and b".." not in joined.translate(None, b"0123456789")
    ):
        return shape[0] != _COMMA and shape[-1] != _COMMA
    return _shapes_valid(set(joined.translate(_DIGITS_TO_NINES).split(b",")))


def _shapes_valid(shapes: set[bytes]) -> bool:
    """Whether every digit shape is a number, remembering the valid ones."""
    if shapes <= _valid_shapes:
        return True
    for shape in shapes - _valid_shapes:
        if not shape.isascii() or not is_number(shape.decode("ascii")):
            return False
        if len(_valid_shapes) >= _CACHE_LIMIT:
            _valid_shapes.clear()
        _valid_shapes.add(shape)
    return True


@dataclass(frozen=True, slots=True)
class Layout:
    """What the fast path still has to check in a CP area whose names and separators are valid.

    ``numbers`` and ``flags`` are 0/1 masks over the fields (for :func:`itertools.compress`);
    ``times`` indexes the N14 time fields; ``others`` lists the fields needing a per-value check,
    with their Table 4 spec; ``has_text`` tells whether a free-text field (site information,
    logs quoted in ``//…//`` that may hide separators) is present. ``names`` and ``separators``
    are the layout itself; ``kinds`` (None with free text) is what the native scan
    (:func:`~ecogov.standards.hj212._native.match_layout`) checks of each value while it reads
    the CP area against the names and separators: ``n`` a plain number, ``f`` a data flag, ``a``
    nothing (times and ``others``, checked after). A device sends the same layout packet after
    packet, so one scan replaces splitting and the bulk number check.
    """

    numbers: bytes
    number_count: int
    flags: bytes
    times: tuple[int, ...]
    others: tuple[tuple[int, FieldSpec], ...]
    has_text: bool
    names: tuple[str, ...] = ()
    separators: str = ""
    kinds: bytes | None = None


_KIND_NUMBER: Final = ord("n")
_KIND_FLAG: Final = ord("f")
_KIND_ANY: Final = ord("a")


def _value_kinds(numbers: bytes, flags: bytes) -> bytes:
    """The per-field value kinds of :attr:`Layout.kinds`, from the number and flag masks."""
    return bytes(
        _KIND_NUMBER if number else _KIND_FLAG if flag else _KIND_ANY
        for number, flag in zip(numbers, flags, strict=True)
    )


@dataclass(slots=True)
class HeaderFacts:
    """A data-segment header ``ST=…;CN=…;PW=…;MN=…;Flag=…`` (no PNUM/PNO) that passed every
    §6.3.2 Table 3 check, and the CP :class:`Layout` its device sent last (a hint, may be None)."""

    st: str
    cn: str
    pw: str
    mn: str
    flag: int
    layout: Layout | None = None


class CompiledRules:
    """Per-profile caches of facts established by the full §6.3.2/§6.3.3 checks above.

    * :meth:`layout` — for a sequence of CP field names and separators that break no rule (valid
      names, no duplicates, ``,`` only within one item), which values still need checking;
    * :meth:`header_ok` — combinations of ST, CN, PW, MN, Flag and split presence that pass;
    * :meth:`field_name` — the result of :func:`check_field_name` per name;
    * ``known_headers`` — :class:`HeaderFacts` by the exact header text after QN (filled by
      :meth:`remember_header` once the full checks passed), so a known device's header is
      recognised with one dictionary lookup.
    """

    def __init__(self, profile: ProtocolProfile) -> None:
        self.profile = profile
        # Table 3 QN has milliseconds, Table 4 times do not; lenient profiles accept either.
        self.qn_millis: bool | None = None if profile.lenient_timestamps else True
        self.time_millis: bool | None = None if profile.lenient_timestamps else False
        self.layouts: dict[tuple[str, bytes], Layout | None] = {}
        self.headers: set[tuple[str, str, str, str, str, bool]] = set()
        self.names: dict[str, tuple[FieldSpec | None, list[Issue]]] = {}
        self.known_headers: dict[str, HeaderFacts] = {}

    def field_name(self, name: str) -> tuple[FieldSpec | None, list[Issue]]:
        """:func:`check_field_name` (Table 4, §6.4) under this profile, remembered per name."""
        found = self.names.get(name)
        if found is None:
            found = check_field_name(name, self.profile)
            if len(self.names) >= _CACHE_LIMIT:
                self.names.clear()
            self.names[name] = found
        return found

    def layout(self, names: tuple[str, ...], separators: bytes) -> Layout | None:
        """The :class:`Layout` of CP field names, or None if they break a §6.3.3/Table 4 rule.

        Keyed by the joined names (one string hash instead of one per name).
        """
        key = ("=".join(names), separators)
        if key in self.layouts:
            return self.layouts[key]
        found = self._new_layout(names, separators)
        if len(self.layouts) >= _CACHE_LIMIT:
            self.layouts.clear()
        self.layouts[key] = found
        return found

    def _new_layout(self, names: tuple[str, ...], separators: bytes) -> Layout | None:
        """Check names, duplicates and item grouping once; classify every field's value check."""
        if len(set(names)) != len(names):
            return None
        specs: list[FieldSpec] = []
        for name in names:
            spec, issues = self.field_name(name)
            if issues or spec is None:
                return None
            specs.append(spec)
        for index, separator in enumerate(separators):
            if separator == ord(",") and not same_item(names[index], names[index + 1]):
                return None
        numbers = bytes(_is_plain_number(spec) for spec in specs)
        flags = bytes(spec.kind is ValueKind.DATA_FLAG for spec in specs)
        times = tuple(i for i, spec in enumerate(specs) if spec.kind is ValueKind.TIMESTAMP)
        others = tuple(
            (index, spec)
            for index, spec in enumerate(specs)
            if not numbers[index] and not flags[index] and index not in times
        )
        has_text = any(spec.kind is ValueKind.TEXT for spec in specs)
        kinds = None if has_text else _value_kinds(numbers, flags)
        return Layout(
            numbers, sum(numbers), flags, times, others, has_text, names, separators.decode(), kinds
        )

    def header_ok(self, st: str, cn: str, pw: str, mn: str, flag: str, split: bool) -> bool:
        """Whether ST, CN, PW, MN, Flag and the presence of PNUM/PNO pass every Table 3 check."""
        key = (st, cn, pw, mn, flag, split)
        if key in self.headers:
            return True
        checks = (("ST", st), ("CN", cn), ("PW", pw), ("MN", mn), ("Flag", flag))
        if any(check_header_value(k, v, self.profile) for k, v in checks):
            return False
        parts = 1 if split else None
        if check_split_fields(int(flag), parts, parts, self.profile):
            return False
        if len(self.headers) >= _HEADER_CACHE_LIMIT:
            self.headers.clear()
        self.headers.add(key)
        return True

    def remember_header(self, tail: str, facts: HeaderFacts) -> HeaderFacts:
        """Record that header text ``tail`` (after ``QN=…;``, before ``;CP=``) passed every check.

        The caller has established it with :meth:`header_ok` on exactly these fields.
        """
        if len(self.known_headers) >= _HEADER_CACHE_LIMIT:
            self.known_headers.clear()
        self.known_headers[tail] = facts
        return facts


def _is_plain_number(spec: FieldSpec) -> bool:
    """A NUMBER field without a Table 4 range: its check is the number shape alone."""
    unbounded = spec.low is None and spec.high is None and spec.allowed is None
    return spec.kind is ValueKind.NUMBER and unbounded


def same_item(left: str, right: str) -> bool:
    """Whether two CP fields belong to one item, i.e. share the code before ``-`` (§6.3.3.1)."""
    left_code, left_dash, _ = left.partition("-")
    right_code, right_dash, _ = right.partition("-")
    return bool(left_dash and right_dash) and left_code == right_code


_compiled: dict[int, CompiledRules] = {}


def compiled_rules(profile: ProtocolProfile) -> CompiledRules:
    """The :class:`CompiledRules` (§6.3 checks) of a profile object, keyed by identity: hashing a
    profile costs more than the lookup saves; the cached object keeps its profile alive."""
    found = _compiled.get(id(profile))
    if found is None or found.profile is not profile:
        if len(_compiled) >= 64:
            _compiled.clear()
        found = CompiledRules(profile)
        _compiled[id(profile)] = found
    return found
