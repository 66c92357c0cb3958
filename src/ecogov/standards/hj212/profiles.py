"""Per-device protocol profiles: which edition, CRC, strictness and tolerances a device is held to.

A packet does not reliably say which protocol it speaks. The Flag version bits (§6.3.2: 000000 =
HJ/T 212-2005, 000001 = HJ 212-2017) are absent in 2005 devices, and version 000010 means HJ
212-2025 in caoyiliang/HJ212 but "surface water 2017" in a surface-water station header
(open question 10). So the codec never infers the protocol from the Flag: the caller keys a
:class:`ProtocolProfile` per device (per MN) and the parser checks the packet against it.

Decisions on the open questions of STANDARDS.md §G, all expressed as profile fields:

* **10 — Flag version 000010.** ``flag_versions`` lists the version bits a device may send. The
  2025 placeholder accepts 2; :data:`HJ212_2017_SURFACE_WATER` accepts 1 and 2.
* **11 — CRC variants.** ``crc_flavours`` lists the accepted CRCs, the first being the one emitted.
  Only Appendix A by default; Modbus is opt-in per device.
* **12 — length field with UTF-8 Chinese.** ``length_unit`` is ``BYTES`` by default (the CRC runs
  over bytes too, and §6.3 says Chinese is UTF-8, 1 byte per unit); ``CHARACTERS`` for devices that
  count characters. Non-UTF-8 text (GBK) is accepted only when ``text_encodings`` lists it.
* **13 — default units.** ``unit_overrides`` maps factor codes to the unit a device really sends;
  :meth:`ProtocolProfile.unit_for` falls back to the Appendix B default.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Final

from ecogov.standards.hj212.codes import DATA_FLAGS_2005, DATA_FLAGS_2017, lookup_factor
from ecogov.standards.hj212.crc import CrcFlavour

__all__ = [
    "HJ212_2017",
    "HJ212_2017_FIELD",
    "HJ212_2017_SURFACE_WATER",
    "HJ212_2025",
    "HJT212_2005",
    "CodeRule",
    "LengthUnit",
    "MnRule",
    "ProtocolProfile",
    "ProtocolVersion",
]


class ProtocolVersion(StrEnum):
    """The edition a device follows (HJ/T 212-2005, HJ 212-2017, HJ 212-2025)."""

    HJT212_2005 = "HJ/T 212-2005"
    HJ212_2017 = "HJ 212-2017"
    HJ212_2025 = "HJ 212-2025"  # placeholder: the 2025 text has not been obtained (F.13)


class LengthUnit(StrEnum):
    """What the 4-digit data-segment length counts (§6.3.1 Table 2, open question 12)."""

    BYTES = "bytes"  # UTF-8 bytes — the default
    CHARACTERS = "characters"  # decoded characters, as some .NET and Java devices count


class MnRule(StrEnum):
    """How the MN (设备唯一标识) is checked (§6.3.2 Table 3)."""

    EPC96 = "epc96"  # 24 characters 0-9/A-F, as HJ 212-2017 requires
    FREE = "free"  # 1–24 letters and digits, as 2005-era site numbers are (F.12)


class CodeRule(StrEnum):
    """Which factor codes (the ``xxxxxx`` of ``xxxxxx-Rtd``) are accepted (§6.4, Appendix B)."""

    STANDARD = (
        "standard"  # HJ 524/525 pollutant, §6.4.1 process, §6.4.2 site-information, noise, SBn
    )
    LEGACY = "legacy"  # STANDARD plus HJ/T 212-2005 codes such as 011, 02, B01, S01
    ANY = "any"  # any 1–24 letters and digits (truncated vendor codes such as a2106)


@dataclass(frozen=True, slots=True)
class ProtocolProfile:
    """The §6.3 contract one device is held to; immutable, derive variants with ``replace``.

    ``strict`` is the default mode of :func:`~ecogov.standards.hj212.parser.parse_packet`: strict
    refuses a packet with every violation found, tolerant returns what it could parse plus the
    violations. ``lenient_timestamps`` accepts the common deviations of time fields: a 14-digit QN
    (no milliseconds) and 17-digit ``DataTime``-style values (with milliseconds).
    """

    name: str
    version: ProtocolVersion
    flag_versions: frozenset[int]
    flag_required: bool = True
    qn_required: bool = True
    crc_flavours: tuple[CrcFlavour, ...] = (CrcFlavour.HJ212,)
    strict: bool = True
    max_segment_length: int = 1024
    max_cp_length: int = 950
    length_unit: LengthUnit = LengthUnit.BYTES
    text_encodings: tuple[str, ...] = ("utf-8",)
    lenient_timestamps: bool = False
    mn_rule: MnRule = MnRule.EPC96
    code_rule: CodeRule = CodeRule.STANDARD
    data_flags: frozenset[str] = frozenset(DATA_FLAGS_2017)
    check_field_order: bool = True
    extra_plain_fields: frozenset[str] = frozenset()
    extra_suffixes: frozenset[str] = frozenset()
    unit_overrides: tuple[tuple[str, str], ...] = field(default=())

    def unit_for(self, code: str) -> str | None:
        """A factor's concentration unit for this device: the override, else Appendix B's text."""
        for factor_code, unit in self.unit_overrides:
            if factor_code == code:
                return unit
        factor = lookup_factor(code)
        return None if factor is None else factor.concentration_unit


HJ212_2017: Final = ProtocolProfile(
    name="HJ 212-2017",
    version=ProtocolVersion.HJ212_2017,
    flag_versions=frozenset({1}),
)
"""HJ 212-2017 exactly as written: Flag version 1, EPC-96 MN, Appendix A CRC, Table 8 flags."""

HJ212_2017_FIELD: Final = ProtocolProfile(
    name="HJ 212-2017 (field devices)",
    version=ProtocolVersion.HJ212_2017,
    flag_versions=frozenset({1}),
    mn_rule=MnRule.FREE,
    code_rule=CodeRule.ANY,
    extra_suffixes=frozenset({"ValidNum", "TotalNum"}),
)
"""2017 devices as met in the field (F.2, F.10): short MNs, vendor-truncated factor codes and the
``-ValidNum``/``-TotalNum`` counts some loggers add."""

HJ212_2017_SURFACE_WATER: Final = ProtocolProfile(
    name="HJ 212-2017 surface-water station",
    version=ProtocolVersion.HJ212_2017,
    flag_versions=frozenset({1, 2}),
    mn_rule=MnRule.FREE,
)
"""Surface-water automatic stations whose profile sets Flag version 000010 (open question 10)."""

HJT212_2005: Final = ProtocolProfile(
    name="HJ/T 212-2005",
    version=ProtocolVersion.HJT212_2005,
    flag_versions=frozenset({0}),
    flag_required=False,
    qn_required=False,
    max_cp_length=960,
    mn_rule=MnRule.FREE,
    code_rule=CodeRule.LEGACY,
    data_flags=frozenset(DATA_FLAGS_2005),
    lenient_timestamps=True,
)
"""HJ/T 212-2005: no version bits, optional QN and Flag, 2005 codes and flags (CP ≤ 960 is [M])."""

HJ212_2025: Final = ProtocolProfile(
    name="HJ 212-2025 (provisional)",
    version=ProtocolVersion.HJ212_2025,
    flag_versions=frozenset({2}),
    extra_plain_fields=frozenset({"NewSK", "SKCreateTime"}),
)
"""Placeholder until the 2025 text is read: framing and CRC as 2017, Flag version 2 (F.13 [1])."""
