"""GB 3838-2002 地表水环境质量标准 (Environmental quality standards for surface water).

Versioned limit tables, the parameter registry with its alias lookup, the single-factor class
(单因子评价) of one item and the class of a section (断面水质类别) under the items that the 2011
assessment method (地表水环境质量评价办法（试行）, 环办〔2011〕22号) assesses. Grades, main
pollutants, basin, lake, trophic-state and drinking-water-source evaluation live in
:mod:`ecogov.standards.water_assessment`.

Values are in the standard's units: [mg/L], except pH [dimensionless], water temperature [℃] and
fecal coliform (粪大肠菌群) [个/L]. HJ 212-2017 sends Hg, Cd, Cr(VI), As, Pb and Se in [µg/L] by
default; use :func:`from_hj212` or :func:`to_standard_unit` before classifying.

Readings chosen where the reference sheet is uncertain:

* DO (溶解氧) class I is "saturation ≥ 90% (or 7.5)"; the 7.5 mg/L alternative is implemented.
* Negative, NaN and infinite values are rejected with :class:`ValueError`; zero is accepted as a
  measured value. How to encode below-detection results (未检出) is left to the caller.
* TN (总氮) and fecal coliform keep single-factor classes but never enter the section class
  (2011 method: reference indicators assessed separately).
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import IntEnum, StrEnum
from types import MappingProxyType
from typing import Final

from ecogov.standards import units

__all__ = [
    "ASSESSED_ITEMS",
    "GB3838_2002",
    "HJ212_FACTORS",
    "PARAMETERS",
    "TABLE1",
    "TABLE2",
    "ClassLimitTable",
    "ClassLimits",
    "Direction",
    "Hj212Factor",
    "LimitTable",
    "NoLimitError",
    "Parameter",
    "StandardEdition",
    "UnknownParameterError",
    "WaterBody",
    "WaterClass",
    "canonical_concentrations",
    "check_value",
    "class_limits",
    "from_hj212",
    "item_classes",
    "lookup_parameter",
    "meets_supplementary_limit",
    "normalize_name",
    "section_class",
    "single_factor_class",
    "to_standard_unit",
]


@dataclass(frozen=True)
class StandardEdition:
    """Edition of a standard or official method: code, titles, publication and effective dates."""

    code: str
    title_zh: str
    title_en: str
    published: date
    effective: date


GB3838_2002: Final = StandardEdition(
    code="GB 3838-2002",
    title_zh="地表水环境质量标准",
    title_en="Environmental quality standards for surface water",
    published=date(2002, 4, 28),
    effective=date(2002, 6, 1),
)


class WaterBody(StrEnum):
    """Kind of water body; only total phosphorus (总磷) has separate limits (GB 3838-2002
    Table 1)."""

    RIVER = "河流"
    LAKE_RESERVOIR = "湖库"


class WaterClass(IntEnum):
    """Water quality class (水质类别) I–V and 劣V (worse than V), ordered from best to worst."""

    I = 1  # noqa: E741  (the standard's own class name)
    II = 2
    III = 3
    IV = 4
    V = 5
    WORSE_THAN_V = 6

    @property
    def label(self) -> str:
        """Short label: ``"I"`` … ``"V"``, ``"劣V"``."""
        return "劣V" if self is WaterClass.WORSE_THAN_V else self.name

    @property
    def label_zh(self) -> str:
        """Chinese label with Roman-numeral characters: ``"Ⅰ类"`` … ``"Ⅴ类"``, ``"劣Ⅴ类"``."""
        return ("Ⅰ类", "Ⅱ类", "Ⅲ类", "Ⅳ类", "Ⅴ类", "劣Ⅴ类")[self.value - 1]


class Direction(StrEnum):
    """How a value is compared with its class limits."""

    NOT_ABOVE = "≤"  # pollutants: the value must not exceed the limit
    NOT_BELOW = "≥"  # dissolved oxygen (溶解氧): the value must reach the limit
    WITHIN = "range"  # pH: the value must lie within [lower, upper]


Bounds = tuple[float, float, float, float, float]
"""One bound per class, in order I, II, III, IV, V."""


@dataclass(frozen=True)
class ClassLimits:
    """Class limits of one item: a value meets class k when ``lower[k] ≤ value ≤ upper[k]``.

    ``lower`` is ``None`` for pollutants (upper limits only), ``upper`` is ``None`` for dissolved
    oxygen; pH has both. Plain tuples so that vectorized code can reuse the same numbers.
    """

    lower: Bounds | None = None
    upper: Bounds | None = None

    @property
    def direction(self) -> Direction:
        """Comparison direction implied by which bounds are present."""
        if self.lower is None:
            return Direction.NOT_ABOVE
        if self.upper is None:
            return Direction.NOT_BELOW
        return Direction.WITHIN


@dataclass(frozen=True)
class ClassLimitTable:
    """A versioned table of class limits keyed by canonical parameter code."""

    edition: StandardEdition
    table: str
    water_body: WaterBody
    limits: Mapping[str, ClassLimits]


@dataclass(frozen=True)
class LimitTable:
    """A versioned table of single (not class-graded) limits keyed by canonical parameter code."""

    edition: StandardEdition
    table: str
    limits: Mapping[str, float]


@dataclass(frozen=True)
class Parameter:
    """A monitored item: canonical code, names, abbreviations and the GB 3838-2002 unit.

    ``code`` is the HJ 212-2017 Table B.1 factor code used by GB 3838 implementations.
    """

    code: str
    name_zh: str
    name_en: str
    abbreviations: tuple[str, ...]
    unit: str


@dataclass(frozen=True)
class Hj212Factor:
    """An HJ 212-2017 Table B.1 water factor: code, Chinese name, parameter and default unit."""

    code: str
    name_zh: str
    parameter: str
    unit: str


class UnknownParameterError(LookupError):
    """Raised when a name matches no parameter by HJ 212 code, abbreviation or name."""


class NoLimitError(ValueError):
    """Raised when an item has no limit in the table asked for (e.g. water temperature has no
    class limits in Table 1; ammonia nitrogen has no Table 2 limit)."""


_MG_L: Final = "mg/L"

_PARAMETER_LIST: Final = (
    # GB 3838-2002 Table 1 (basic items), in the table's order.
    Parameter("w01010", "水温", "water temperature", ("WT",), "℃"),
    Parameter("w01001", "pH值", "pH", ("pH",), "dimensionless"),
    Parameter("w01009", "溶解氧", "dissolved oxygen", ("DO",), _MG_L),
    Parameter("w01019", "高锰酸盐指数", "permanganate index", ("CODMn", "IMn"), _MG_L),
    Parameter("w01018", "化学需氧量", "chemical oxygen demand", ("COD", "CODCr"), _MG_L),
    Parameter("w01017", "五日生化需氧量", "five-day biochemical oxygen demand", ("BOD5",), _MG_L),
    Parameter("w21003", "氨氮", "ammonia nitrogen", ("NH3-N",), _MG_L),
    Parameter("w21011", "总磷", "total phosphorus", ("TP",), _MG_L),
    Parameter("w21001", "总氮", "total nitrogen", ("TN",), _MG_L),
    Parameter("w20122", "铜", "copper", ("Cu",), _MG_L),
    Parameter("w20123", "锌", "zinc", ("Zn",), _MG_L),
    Parameter("w21017", "氟化物", "fluoride", ("F", "F-"), _MG_L),
    Parameter("w20128", "硒", "selenium", ("Se",), _MG_L),
    Parameter("w20141", "砷", "arsenic", ("As",), _MG_L),
    Parameter("w20111", "汞", "mercury", ("Hg",), _MG_L),
    Parameter("w20115", "镉", "cadmium", ("Cd",), _MG_L),
    Parameter("w20117", "六价铬", "hexavalent chromium", ("Cr6+", "Cr(VI)"), _MG_L),
    Parameter("w20120", "铅", "lead", ("Pb",), _MG_L),
    Parameter("w21016", "氰化物", "cyanide", ("CN", "CN-"), _MG_L),
    Parameter("w23002", "挥发酚", "volatile phenol", ("volatile phenols",), _MG_L),
    Parameter("w22001", "石油类", "petroleum", ("oil", "petroleum oils"), _MG_L),
    Parameter("w19002", "阴离子表面活性剂", "anionic surfactant", ("LAS",), _MG_L),
    Parameter("w21019", "硫化物", "sulfide", ("S2-", "sulphide"), _MG_L),
    Parameter("w02003", "粪大肠菌群", "fecal coliform", ("FC", "faecal coliform"), "个/L"),
    # GB 3838-2002 Table 2 (supplementary items for centralized drinking-water sources).
    Parameter("w21038", "硫酸盐", "sulfate", ("SO4", "SO42-", "sulphate"), _MG_L),
    Parameter("w21022", "氯化物", "chloride", ("Cl", "Cl-"), _MG_L),
    Parameter("w21007", "硝酸盐", "nitrate", ("NO3-N", "NO3"), _MG_L),
    Parameter("w20125", "铁", "iron", ("Fe",), _MG_L),
    Parameter("w20124", "锰", "manganese", ("Mn",), _MG_L),
)

PARAMETERS: Final = MappingProxyType({p.code: p for p in _PARAMETER_LIST})
"""Parameters keyed by canonical code, in GB 3838-2002 Table 1 then Table 2 order."""

_UG_L: Final = "µg/L"

HJ212_FACTORS: Final = MappingProxyType(
    {
        factor.code: factor
        for factor in (
            Hj212Factor("w01001", "pH值", "w01001", "dimensionless"),
            Hj212Factor("w01009", "溶解氧", "w01009", _MG_L),
            Hj212Factor("w01010", "水温", "w01010", "℃"),
            Hj212Factor("w01017", "五日生化需氧量", "w01017", _MG_L),
            Hj212Factor("w01018", "化学需氧量", "w01018", _MG_L),
            Hj212Factor("w01019", "高锰酸盐指数", "w01019", _MG_L),
            Hj212Factor("w02003", "粪大肠菌群", "w02003", "个/L"),
            Hj212Factor("w19002", "阴离子表面活性剂", "w19002", _MG_L),
            Hj212Factor("w20111", "总汞", "w20111", _UG_L),
            Hj212Factor("w20115", "总镉", "w20115", _UG_L),
            Hj212Factor("w20117", "六价铬", "w20117", _UG_L),
            Hj212Factor("w20119", "总砷", "w20141", _UG_L),
            Hj212Factor("w20120", "总铅", "w20120", _UG_L),
            Hj212Factor("w20122", "总铜", "w20122", _MG_L),
            Hj212Factor("w20123", "总锌", "w20123", _MG_L),
            Hj212Factor("w20124", "总锰", "w20124", _MG_L),
            Hj212Factor("w20125", "总铁", "w20125", _MG_L),
            Hj212Factor("w20128", "总硒", "w20128", _UG_L),
            Hj212Factor("w20138", "铜", "w20122", _MG_L),
            Hj212Factor("w20139", "锌", "w20123", _MG_L),
            Hj212Factor("w20140", "硒", "w20128", _MG_L),
            Hj212Factor("w20141", "砷", "w20141", _MG_L),
            Hj212Factor("w20142", "汞", "w20111", _UG_L),
            Hj212Factor("w20143", "镉", "w20115", _UG_L),
            Hj212Factor("w20144", "铅", "w20120", _MG_L),
            Hj212Factor("w21001", "总氮", "w21001", _MG_L),
            Hj212Factor("w21003", "氨氮", "w21003", _MG_L),
            Hj212Factor("w21007", "硝酸盐", "w21007", _MG_L),
            Hj212Factor("w21011", "总磷", "w21011", _MG_L),
            Hj212Factor("w21016", "氰化物", "w21016", _MG_L),
            Hj212Factor("w21017", "氟化物", "w21017", _MG_L),
            Hj212Factor("w21019", "硫化物", "w21019", _MG_L),
            Hj212Factor("w21022", "氯化物", "w21022", _MG_L),
            Hj212Factor("w21038", "硫酸盐", "w21038", _MG_L),
            Hj212Factor("w22001", "石油类", "w22001", _MG_L),
            Hj212Factor("w23002", "挥发酚", "w23002", _MG_L),
        )
    }
)
"""HJ 212-2017 Table B.1 water factors for GB 3838 items, with their default concentration units.

Heavy metals have two codes each: the 2005-era "total" code (w20111 总汞 …, As as w20119 总砷) and
the w20138–w20144 series; both map to the same GB 3838 parameter but their default units differ
(e.g. w20120 总铅 in µg/L, w20144 铅 in mg/L). HJ 212 w21007 硝酸盐 does not say "as N"; GB 3838
Table 2 nitrate is as N.
"""


def _upper(i: float, ii: float, iii: float, iv: float, v: float) -> ClassLimits:
    return ClassLimits(upper=(i, ii, iii, iv, v))


_PH_LIMITS: Final = ClassLimits(lower=(6, 6, 6, 6, 6), upper=(9, 9, 9, 9, 9))

_COMMON_LIMITS: Final = {
    "w01001": _PH_LIMITS,
    "w01009": ClassLimits(lower=(7.5, 6, 5, 3, 2)),
    "w01019": _upper(2, 4, 6, 10, 15),
    "w01018": _upper(15, 15, 20, 30, 40),
    "w01017": _upper(3, 3, 4, 6, 10),
    "w21003": _upper(0.15, 0.5, 1.0, 1.5, 2.0),
    "w21001": _upper(0.2, 0.5, 1.0, 1.5, 2.0),
    "w20122": _upper(0.01, 1.0, 1.0, 1.0, 1.0),
    "w20123": _upper(0.05, 1.0, 1.0, 2.0, 2.0),
    "w21017": _upper(1.0, 1.0, 1.0, 1.5, 1.5),
    "w20128": _upper(0.01, 0.01, 0.01, 0.02, 0.02),
    "w20141": _upper(0.05, 0.05, 0.05, 0.1, 0.1),
    "w20111": _upper(0.00005, 0.00005, 0.0001, 0.001, 0.001),
    "w20115": _upper(0.001, 0.005, 0.005, 0.005, 0.01),
    "w20117": _upper(0.01, 0.05, 0.05, 0.05, 0.1),
    "w20120": _upper(0.01, 0.01, 0.05, 0.05, 0.1),
    "w21016": _upper(0.005, 0.05, 0.2, 0.2, 0.2),
    "w23002": _upper(0.002, 0.002, 0.005, 0.01, 0.1),
    "w22001": _upper(0.05, 0.05, 0.05, 0.5, 1.0),
    "w19002": _upper(0.2, 0.2, 0.2, 0.3, 0.3),
    "w21019": _upper(0.05, 0.1, 0.2, 0.5, 1.0),
    "w02003": _upper(200, 2000, 10000, 20000, 40000),
}

_TP_LIMITS: Final = {
    WaterBody.RIVER: _upper(0.02, 0.1, 0.2, 0.3, 0.4),
    WaterBody.LAKE_RESERVOIR: _upper(0.01, 0.025, 0.05, 0.1, 0.2),
}


def _table1(water_body: WaterBody) -> ClassLimitTable:
    limits = {**_COMMON_LIMITS, "w21011": _TP_LIMITS[water_body]}
    ordered = {code: limits[code] for code in PARAMETERS if code in limits}
    return ClassLimitTable(
        edition=GB3838_2002,
        table="Table 1 基本项目标准限值",
        water_body=water_body,
        limits=MappingProxyType(ordered),
    )


TABLE1: Final = MappingProxyType({body: _table1(body) for body in WaterBody})
"""GB 3838-2002 Table 1 class limits per water body [mg/L; pH dimensionless; fecal coliform 个/L].

Water temperature (水温) has no class limits (only a limit on man-made change) and is absent.
"""

TABLE2: Final = LimitTable(
    edition=GB3838_2002,
    table="Table 2 集中式生活饮用水地表水源地补充项目标准限值",
    limits=MappingProxyType(
        {"w21038": 250.0, "w21022": 250.0, "w21007": 10.0, "w20125": 0.3, "w20124": 0.1}
    ),
)
"""GB 3838-2002 Table 2 drinking-water-source supplementary limits [mg/L]: sulfate as SO4²⁻,
chloride as Cl⁻, nitrate as N, iron, manganese."""

ASSESSED_ITEMS: Final = tuple(
    code for code in TABLE1[WaterBody.RIVER].limits if code not in {"w21001", "w02003"}
)
"""The 21 items that determine a section's class under 环办〔2011〕22号: GB 3838-2002 Table 1
without water temperature, total nitrogen and fecal coliform (reference indicators assessed
separately; TN only for lakes and reservoirs)."""


def normalize_name(name: str) -> str:
    """Fold width (NFKC), case, spaces and the separators ``-_·()`` out of a parameter name, the
    form in which :func:`lookup_parameter` compares names (``"ＮＨ３－Ｎ"`` → ``"nh3n"``)."""
    folded = unicodedata.normalize("NFKC", name).casefold()
    return "".join(ch for ch in folded if not ch.isspace() and ch not in "-_·()")


_NAME_INDEX: Final = MappingProxyType(
    {
        **{
            normalize_name(spelling): p.code
            for p in _PARAMETER_LIST
            for spelling in (p.code, p.name_zh, p.name_en, *p.abbreviations)
        },
        **{normalize_name(f.code): f.parameter for f in HJ212_FACTORS.values()},
        **{normalize_name(f.name_zh): f.parameter for f in HJ212_FACTORS.values()},
    }
)


def lookup_parameter(name: str) -> Parameter:
    """Return the GB 3838-2002 parameter named by an HJ 212-2017 Table B.1 code, abbreviation,
    Chinese or English name.

    Matching ignores case, full/half width, spaces and the separators ``-_·()``: ``"NH3-N"``,
    ``"nh3n"``, ``"ＮＨ３－Ｎ"``, ``"氨氮"`` and ``"w21003"`` all give 氨氮. HJ 212-2017 Table B.1
    alternative codes (e.g. w20119 总砷, w20142 汞) resolve to the GB 3838-2002 item.

    Raises:
        UnknownParameterError: nothing matches.
    """
    try:
        return PARAMETERS[_NAME_INDEX[normalize_name(name)]]
    except KeyError:
        raise UnknownParameterError(
            f"unknown water parameter {name!r}: expected an HJ 212 code (e.g. 'w21003'), "
            "an abbreviation (e.g. 'NH3-N') or a Chinese name (e.g. '氨氮')"
        ) from None


def class_limits(parameter: str, *, water_body: WaterBody) -> ClassLimits:
    """Class limits of ``parameter`` for ``water_body`` (GB 3838-2002 Table 1).

    Raises:
        UnknownParameterError: unknown name.
        NoLimitError: the item has no class limits (water temperature, Table 2 items).
    """
    item = lookup_parameter(parameter)
    try:
        return TABLE1[water_body].limits[item.code]
    except KeyError:
        raise NoLimitError(
            f"{item.name_zh} ({item.code}) has no class limits in GB 3838-2002 Table 1"
        ) from None


def check_value(item: Parameter, value: float) -> None:
    """Refuse a value no GB 3838-2002 comparison accepts: not finite, negative, or (pH) above 14
    [the item's GB 3838 unit]. Zero is a valid measured value.

    Raises:
        ValueError: saying which item and why.
    """
    if not math.isfinite(value):
        raise ValueError(f"{item.name_zh} ({item.code}): value must be finite, got {value!r}")
    if value < 0:
        raise ValueError(f"{item.name_zh} ({item.code}): value must not be negative, got {value}")
    if item.code == "w01001" and value > 14:
        raise ValueError(f"pH must lie within 0–14, got {value}")


def _meets(limits: ClassLimits, index: int, value: float) -> bool:
    above_lower = limits.lower is None or value >= limits.lower[index]
    below_upper = limits.upper is None or value <= limits.upper[index]
    return above_lower and below_upper


def single_factor_class(parameter: str, value: float, *, water_body: WaterBody) -> WaterClass:
    """Single-factor class (单因子水质类别) of one item (GB 3838-2002 Table 1 and §5).

    ``value`` is in the item's GB 3838 unit [mg/L; pH dimensionless; fecal coliform 个/L].
    The result is the best class whose limit the value meets, so a value on a limit shared by
    adjacent classes takes the better class (COD 15 → I). Dissolved oxygen must be ≥ its limit
    (class I read as 7.5 mg/L, the standard's alternative to 90% saturation); pH within 6–9 is
    class I and outside it 劣V; anything worse than the class V limit is 劣V. Total phosphorus
    uses the river or the lake/reservoir limits according to ``water_body``.

    Raises:
        UnknownParameterError: unknown name.
        NoLimitError: the item has no class limits.
        ValueError: the value is negative, not finite, or (pH) above 14.
    """
    item = lookup_parameter(parameter)
    limits = class_limits(item.code, water_body=water_body)
    check_value(item, value)
    for water_class in list(WaterClass)[:5]:
        if _meets(limits, water_class.value - 1, value):
            return water_class
    return WaterClass.WORSE_THAN_V


def meets_supplementary_limit(parameter: str, value: float) -> bool:
    """Whether a drinking-water-source supplementary item (集中式生活饮用水地表水源地补充项目) is
    within its GB 3838-2002 Table 2 limit [mg/L]: ``value ≤ limit``.

    Raises:
        UnknownParameterError: unknown name.
        NoLimitError: the item is not in Table 2.
        ValueError: the value is negative or not finite.
    """
    item = lookup_parameter(parameter)
    limit = TABLE2.limits.get(item.code)
    if limit is None:
        raise NoLimitError(f"{item.name_zh} ({item.code}) has no limit in GB 3838-2002 Table 2")
    check_value(item, value)
    return value <= limit


def canonical_concentrations(concentrations: Mapping[str, float]) -> dict[str, float]:
    """Re-key a sample by canonical parameter code (HJ 212-2017 Table B.1 codes of the GB 3838-2002
    items), keeping the input order; values are passed through unchanged [GB 3838 units].

    Raises:
        UnknownParameterError: a key matches no parameter.
        ValueError: two keys name the same parameter (e.g. ``"TP"`` and ``"w21011"``).
    """
    result: dict[str, float] = {}
    for name, value in concentrations.items():
        code = lookup_parameter(name).code
        if code in result:
            raise ValueError(f"parameter {code} given twice (last as {name!r})")
        result[code] = value
    return result


def item_classes(
    concentrations: Mapping[str, float], *, water_body: WaterBody
) -> dict[str, WaterClass]:
    """Single-factor class (GB 3838-2002 §5, Table 1) of every classifiable item in a sample,
    keyed by canonical code.

    Keys may be any name accepted by :func:`lookup_parameter`; values are in GB 3838 units.
    Items without class limits (water temperature, GB 3838-2002 Table 2 items) are skipped.
    Reference items (TN, fecal coliform) are included; :func:`section_class` leaves them out.
    """
    return {
        code: single_factor_class(code, value, water_body=water_body)
        for code, value in canonical_concentrations(concentrations).items()
        if code in TABLE1[water_body].limits
    }


def section_class(concentrations: Mapping[str, float], *, water_body: WaterBody) -> WaterClass:
    """Water class of a section or point (断面水质类别): the worst class among assessed items.

    GB 3838-2002 §5 single-factor method with the items of 环办〔2011〕22号 (:data:`ASSESSED_ITEMS`:
    Table 1 without water temperature, total nitrogen and fecal coliform, for rivers and for
    lakes/reservoirs alike). Values are in GB 3838 units [mg/L; pH dimensionless].

    Raises:
        ValueError: the sample holds none of the assessed items.
    """
    classes = item_classes(concentrations, water_body=water_body)
    assessed = [classes[code] for code in ASSESSED_ITEMS if code in classes]
    if not assessed:
        raise ValueError("no item assessed by 环办〔2011〕22号 in the sample")
    return max(assessed)


def to_standard_unit(parameter: str, value: float, unit: str) -> float:
    """Convert ``value`` given in ``unit`` to the parameter's GB 3838-2002 Table 1/2 unit
    ([mg/L]; fecal coliform [个/L]; pH [dimensionless]).

    Example: cadmium 5 [µg/L] → 0.005 [mg/L]. See :func:`ecogov.standards.units.convert`.

    Raises:
        UnknownParameterError: unknown parameter.
        ecogov.standards.units.UnknownUnitError: unknown unit.
        ecogov.standards.units.IncompatibleUnitsError: the unit measures another quantity.
    """
    return units.convert(value, unit, lookup_parameter(parameter).unit)


def from_hj212(code: str, value: float) -> float:
    """Convert a value sent under an HJ 212-2017 Table B.1 code from that code's default unit
    to the GB 3838-2002 unit (w20115 总镉 5 [µg/L] → 0.005 [mg/L]).

    Raises:
        UnknownParameterError: ``code`` is not an HJ 212 water factor of a GB 3838 item.
    """
    factor = HJ212_FACTORS.get(code.strip().lower())
    if factor is None:
        raise UnknownParameterError(f"{code!r} is not an HJ 212-2017 code of a GB 3838 item")
    return to_standard_unit(factor.parameter, value, factor.unit)
