"""Surface-water assessment under 地表水环境质量评价办法（试行）(环办〔2011〕22号).

Builds on the GB 3838-2002 classes of :mod:`ecogov.standards.gb3838`: qualitative grades
(水质状况), main pollution indicators (主要污染指标), river and basin (河流、流域/水系) grades, lake
and reservoir (湖泊、水库) evaluation, the comprehensive trophic level index (综合营养状态指数
TLI) and the compliance of drinking-water sources (饮用水水源地). Concentrations are in GB 3838
units [mg/L; pH dimensionless; fecal coliform 个/L] and may be keyed by any name that
:func:`ecogov.standards.gb3838.lookup_parameter` accepts.

Readings chosen where the reference sheet is uncertain ([M]/[1] there):

* Main pollutants: cyanide (氰化物) and the heavy metals copper, zinc, arsenic, mercury, cadmium,
  hexavalent chromium and lead come first when they exceed class III (selenium, a non-metal, does
  not); then worse class first; within a class the larger exceedance multiple first; items
  without a multiple (pH, DO) after those with one; remaining ties in GB 3838 Table 1 order.
* The exceedance multiple is shown with two decimals rounded half to even (GB/T 8170) on its
  exact decimal value.
* Basin grade by section shares: "重度污染" when the I–III share is < 75% and the 劣V share ≥ 40%
  (Shenzhen EEB wording); the share method applies from 5 sections (含5个) upward.
* Basin main pollutants: the items with the highest share of sections worse than class III.
* pH is averaged through [H⁺] everywhere (2020 statistics rule, 总站水字〔2020〕90号).
* TLI weights are computed from the correlation table, W_j = r_j² / Σ r_j² over the parameters
  supplied (they round to the published 0.2663/0.1879/0.1790/0.1834/0.1834).
* Drinking-water sources: compliant when the 21 assessed basic items reach class III and every
  supplied GB 3838 Table 2 item is within its limit; Table 3 specific items are not covered.
* City water quality index CWQI (城市地表水环境质量排名技术规定（试行）, 2017) — [1]: the item
  formulas are read from two public implementations by one author (``sm1lewc/Silence.Water``
  ``CWQICalculatorV2017``, ``sm1lewc/Journey.SurfaceWater`` ``CWQI``); a section's index is the sum
  over the 21 assessed items present. How sections and lake points combine into a city's index was
  not found in any source and is not implemented.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal
from enum import StrEnum
from fractions import Fraction
from types import MappingProxyType
from typing import Final

from ecogov.standards.gb3838 import (
    ASSESSED_ITEMS,
    PARAMETERS,
    TABLE1,
    TABLE2,
    Parameter,
    StandardEdition,
    UnknownParameterError,
    WaterBody,
    WaterClass,
    canonical_concentrations,
    check_value,
    class_limits,
    item_classes,
    lookup_parameter,
    meets_supplementary_limit,
    normalize_name,
    section_class,
)

__all__ = [
    "METHOD_2011",
    "PRIORITY_ITEMS",
    "PROPORTION_METHOD_MIN_SECTIONS",
    "REFERENCE_ITEMS",
    "TLI_CORRELATIONS",
    "TLI_ITEMS",
    "TROPHIC_ITEMS",
    "BasinMainPollutant",
    "DrinkingSourceCompliance",
    "Grade",
    "MainPollutant",
    "SectionAssessment",
    "TrophicState",
    "assess_lake",
    "assess_section",
    "basin_main_pollutants",
    "cwqi_item",
    "drinking_source_compliance",
    "exceedance_multiple",
    "format_main_pollutants",
    "grade_by_mean_concentrations",
    "grade_by_section_shares",
    "grade_for_class",
    "lake_mean_concentrations",
    "lookup_item",
    "main_pollutants",
    "mean_concentrations",
    "mean_item",
    "mean_ph",
    "river_grade",
    "section_cwqi",
    "tli",
    "tli_chla",
    "tli_codmn",
    "tli_sd",
    "tli_tn",
    "tli_tp",
    "tli_weights",
    "trophic_state",
]

METHOD_2011: Final = StandardEdition(
    code="环办〔2011〕22号",
    title_zh="地表水环境质量评价办法（试行）",
    title_en="Surface water environmental quality assessment method (trial)",
    published=date(2011, 3, 9),
    effective=date(2011, 3, 9),
)
"""The 2011 method, dated 2011-03-09 (one secondary source); taken as effective on issue."""

_PH_CODE: Final = "w01001"


class Grade(StrEnum):
    """Qualitative water-quality grade (水质状况) of 环办〔2011〕22号, best first."""

    EXCELLENT = "优"
    GOOD = "良好"
    SLIGHTLY_POLLUTED = "轻度污染"
    MODERATELY_POLLUTED = "中度污染"
    HEAVILY_POLLUTED = "重度污染"

    @property
    def name_en(self) -> str:
        """English name of the grade."""
        return _GRADE_STYLE[self][0]

    @property
    def colour(self) -> str:
        """Official display colour (English colour name)."""
        return _GRADE_STYLE[self][1]

    @property
    def colour_zh(self) -> str:
        """Official display colour (Chinese colour name)."""
        return _GRADE_STYLE[self][2]


_GRADE_STYLE: Final = {
    Grade.EXCELLENT: ("Excellent", "blue", "蓝色"),
    Grade.GOOD: ("Good", "green", "绿色"),
    Grade.SLIGHTLY_POLLUTED: ("Slightly polluted", "yellow", "黄色"),
    Grade.MODERATELY_POLLUTED: ("Moderately polluted", "orange", "橙色"),
    Grade.HEAVILY_POLLUTED: ("Heavily polluted", "red", "红色"),
}

_CLASS_GRADES: Final = {
    WaterClass.I: Grade.EXCELLENT,
    WaterClass.II: Grade.EXCELLENT,
    WaterClass.III: Grade.GOOD,
    WaterClass.IV: Grade.SLIGHTLY_POLLUTED,
    WaterClass.V: Grade.MODERATELY_POLLUTED,
    WaterClass.WORSE_THAN_V: Grade.HEAVILY_POLLUTED,
}


def grade_for_class(water_class: WaterClass) -> Grade:
    """Grade of a section from its class (环办〔2011〕22号, section grade table).

    I–II 优 (blue), III 良好 (green), IV 轻度污染 (yellow), V 中度污染 (orange), 劣V 重度污染 (red).
    """
    return _CLASS_GRADES[water_class]


PRIORITY_ITEMS: Final = frozenset(
    {"w21016", "w20122", "w20123", "w20141", "w20111", "w20115", "w20117", "w20120"}
)
"""Cyanide and heavy metals (氰化物、重金属), listed first among main pollutants when they exceed
class III (环办〔2011〕22号 names "cyanide or lead, chromium and other heavy metals"; read here as
Cu, Zn, As, Hg, Cd, Cr(VI), Pb)."""


@dataclass(frozen=True)
class MainPollutant:
    """A main pollution indicator (主要污染指标) with its class and exceedance multiple."""

    code: str
    name_zh: str
    water_class: WaterClass
    exceedance: float | None

    @property
    def label(self) -> str:
        """Display form ``总磷(0.25)``; the name alone when no multiple applies (pH, DO)."""
        if self.exceedance is None:
            return self.name_zh
        rounded = Decimal(repr(self.exceedance)).quantize(Decimal("0.01"), ROUND_HALF_EVEN)
        return f"{self.name_zh}({rounded})"


def exceedance_multiple(parameter: str, value: float, *, water_body: WaterBody) -> float | None:
    """Exceedance multiple over class III (超标倍数), ``(C − C_III) / C_III`` (环办〔2011〕22号).

    ``value`` [mg/L] is compared with the GB 3838-2002 Table 1 class III limit for
    ``water_body``, computed exactly on the decimal values. Negative when within class III.
    ``None`` for pH and dissolved oxygen, for which the method gives no multiple.
    """
    upper = class_limits(parameter, water_body=water_body).upper
    if upper is None or lookup_parameter(parameter).code == _PH_CODE:
        return None
    limit = Decimal(repr(float(upper[WaterClass.III - 1])))
    return float((Decimal(repr(float(value))) - limit) / limit)


def _pollutant_rank(pollutant: MainPollutant) -> tuple[bool, int, bool, float]:
    return (
        pollutant.code not in PRIORITY_ITEMS,
        -pollutant.water_class,
        pollutant.exceedance is None,
        -(pollutant.exceedance or 0.0),
    )


def main_pollutants(
    concentrations: Mapping[str, float], *, water_body: WaterBody, limit: int = 3
) -> tuple[MainPollutant, ...]:
    """Main pollution indicators of a section (断面主要污染指标, 环办〔2011〕22号).

    Only assessed items worse than class III qualify, so a section graded 优 or 良好 has none.
    Cyanide and heavy metals (:data:`PRIORITY_ITEMS`) come first; then the worse class; within a
    class the larger exceedance multiple over class III; pH and DO (no multiple) after the
    others of their class; remaining ties in GB 3838-2002 Table 1 order. At most ``limit`` items.
    """
    samples = canonical_concentrations(concentrations)
    classes = item_classes(samples, water_body=water_body)
    candidates = [
        MainPollutant(
            code=code,
            name_zh=PARAMETERS[code].name_zh,
            water_class=classes[code],
            exceedance=exceedance_multiple(code, samples[code], water_body=water_body),
        )
        for code in ASSESSED_ITEMS
        if code in classes and classes[code] > WaterClass.III
    ]
    return tuple(sorted(candidates, key=_pollutant_rank)[:limit])


def format_main_pollutants(pollutants: Iterable[MainPollutant]) -> str:
    """Join main pollutants as ``总磷(0.25);氨氮(0.10)`` (multiples to two decimals)."""
    return ";".join(pollutant.label for pollutant in pollutants)


REFERENCE_ITEMS: Final = MappingProxyType(
    {WaterBody.RIVER: ("w02003",), WaterBody.LAKE_RESERVOIR: ("w21001", "w02003")}
)
"""Reference indicators assessed separately (单独评价) per 环办〔2011〕22号: fecal coliform, and
total nitrogen for lakes and reservoirs only (water temperature has no class)."""


@dataclass(frozen=True)
class SectionAssessment:
    """Assessment of a section, point or averaged lake: class, grade, main pollutants, and the
    separately assessed classes of the reference items present, keyed by canonical code."""

    water_class: WaterClass
    grade: Grade
    main_pollutants: tuple[MainPollutant, ...]
    reference_classes: Mapping[str, WaterClass]


def assess_section(
    concentrations: Mapping[str, float], *, water_body: WaterBody
) -> SectionAssessment:
    """Class, grade and main pollutants of a section or lake point (环办〔2011〕22号;
    GB 3838-2002 §5), plus the separately assessed reference items (:data:`REFERENCE_ITEMS`).

    Values in GB 3838 units [mg/L; pH dimensionless; fecal coliform 个/L].
    """
    water_class = section_class(concentrations, water_body=water_body)
    classes = item_classes(concentrations, water_body=water_body)
    return SectionAssessment(
        water_class=water_class,
        grade=grade_for_class(water_class),
        main_pollutants=main_pollutants(concentrations, water_body=water_body),
        reference_classes={
            code: classes[code] for code in REFERENCE_ITEMS[water_body] if code in classes
        },
    )


def mean_ph(values: Iterable[float]) -> float:
    """Mean pH through hydrogen-ion activity: ``−log10(mean(10^−pH))`` [dimensionless]
    (地表水环境质量监测数据统计技术规定（试行）, 总站水字〔2020〕90号).

    Raises:
        ValueError: no values.
    """
    activities = [10.0 ** -float(value) for value in values]
    if not activities:
        raise ValueError("mean_ph needs at least one value")
    return -math.log10(statistics.fmean(activities))


def mean_item(parameter: str, values: Iterable[float]) -> float:
    """Mean of one item over samples (环办〔2011〕22号 data aggregation): arithmetic mean [mg/L],
    except pH, which is averaged through [H⁺] (:func:`mean_ph`).

    Raises:
        ValueError: no values.
    """
    if lookup_parameter(parameter).code == _PH_CODE:
        return mean_ph(values)
    collected = [float(value) for value in values]
    if not collected:
        raise ValueError(f"mean of {parameter!r} needs at least one value")
    return statistics.fmean(collected)


def mean_concentrations(samples: Iterable[Mapping[str, float]]) -> dict[str, float]:
    """Average each item over several samples (:func:`mean_item`), keyed by canonical code.

    An item missing from some samples is averaged over the samples that hold it. Used for
    period means and for the average over sections or lake points (环办〔2011〕22号).
    """
    collected: dict[str, list[float]] = {}
    for sample in samples:
        for code, value in canonical_concentrations(sample).items():
            collected.setdefault(code, []).append(value)
    return {code: mean_item(code, values) for code, values in collected.items()}


PROPORTION_METHOD_MIN_SECTIONS: Final = 5
"""From this many sections (含5个) a river or basin is graded by section shares
(环办〔2011〕22号)."""


def grade_by_section_shares(classes: Sequence[WaterClass]) -> Grade:
    """Grade of a river or basin with ≥ 5 sections by the section-class proportion method
    (断面水质类别比例法, 环办〔2011〕22号).

    I–III share ≥ 90% → 优; 75% ≤ share < 90% → 良好; share < 75% with 劣V share < 20% →
    轻度污染, 20% ≤ 劣V share < 40% → 中度污染, 劣V share ≥ 40% → 重度污染 (the "< 75%" wording is
    implemented for 重度污染; the alternative "< 60%" only differs at exactly 60%/40%).
    Shares are compared exactly (rational arithmetic).

    Raises:
        ValueError: fewer than :data:`PROPORTION_METHOD_MIN_SECTIONS` sections.
    """
    total = len(classes)
    if total < PROPORTION_METHOD_MIN_SECTIONS:
        raise ValueError(
            f"the proportion method needs at least {PROPORTION_METHOD_MIN_SECTIONS} sections, "
            f"got {total}; use grade_by_mean_concentrations"
        )
    good_share = Fraction(sum(c <= WaterClass.III for c in classes), total)
    worst_share = Fraction(sum(c is WaterClass.WORSE_THAN_V for c in classes), total)
    if good_share >= Fraction(9, 10):
        return Grade.EXCELLENT
    if good_share >= Fraction(3, 4):
        return Grade.GOOD
    if worst_share < Fraction(1, 5):
        return Grade.SLIGHTLY_POLLUTED
    if worst_share < Fraction(2, 5):
        return Grade.MODERATELY_POLLUTED
    return Grade.HEAVILY_POLLUTED


def grade_by_mean_concentrations(sections: Sequence[Mapping[str, float]]) -> Grade:
    """Grade of a river or basin with 1–4 sections (环办〔2011〕22号): average each item over the
    sections (:func:`mean_concentrations`), then grade the averaged sample as one river section.

    Raises:
        ValueError: no sections, or 5 or more (use :func:`grade_by_section_shares`).
    """
    if not 0 < len(sections) < PROPORTION_METHOD_MIN_SECTIONS:
        raise ValueError(
            f"the mean-concentration method applies to 1–{PROPORTION_METHOD_MIN_SECTIONS - 1} "
            f"sections, got {len(sections)}"
        )
    averaged = mean_concentrations(sections)
    return grade_for_class(section_class(averaged, water_body=WaterBody.RIVER))


def river_grade(sections: Sequence[Mapping[str, float]]) -> Grade:
    """Grade of a river or basin (河流、流域/水系, 环办〔2011〕22号) from one sample per section:
    the proportion method from 5 sections, the mean-concentration method below.

    Values in GB 3838 units [mg/L; pH dimensionless]; sections graded as rivers.
    """
    if len(sections) < PROPORTION_METHOD_MIN_SECTIONS:
        return grade_by_mean_concentrations(sections)
    return grade_by_section_shares(
        [section_class(section, water_body=WaterBody.RIVER) for section in sections]
    )


@dataclass(frozen=True)
class BasinMainPollutant:
    """A main pollution indicator of a river or basin with its section exceedance rate (0–1)."""

    code: str
    name_zh: str
    exceedance_rate: float


def basin_main_pollutants(
    sections: Sequence[Mapping[str, float]], *, limit: int = 3
) -> tuple[BasinMainPollutant, ...]:
    """Main pollutants of a river or basin (环办〔2011〕22号): the assessed items with the highest
    section exceedance rate (sections worse than class III ÷ all sections), ties in GB 3838-2002
    Table 1 order; items exceeding nowhere are not listed. At most ``limit`` items.
    """
    per_section = [item_classes(section, water_body=WaterBody.RIVER) for section in sections]
    counts = {
        code: sum(classes.get(code, WaterClass.I) > WaterClass.III for classes in per_section)
        for code in ASSESSED_ITEMS
    }
    ranked = sorted((code for code in ASSESSED_ITEMS if counts[code]), key=lambda c: -counts[c])
    return tuple(
        BasinMainPollutant(code, PARAMETERS[code].name_zh, counts[code] / len(sections))
        for code in ranked[:limit]
    )


def lake_mean_concentrations(
    point_samples: Sequence[Sequence[Mapping[str, float]]],
) -> dict[str, float]:
    """Lake or reservoir mean (环办〔2011〕22号): each point's samples are averaged over time
    first, then the point means are averaged over the points (pH through [H⁺]).

    ``point_samples[i]`` holds the samples of point i, keyed by any parameter name [mg/L].
    """
    return mean_concentrations([mean_concentrations(samples) for samples in point_samples])


def assess_lake(point_samples: Sequence[Sequence[Mapping[str, float]]]) -> SectionAssessment:
    """Water quality of a lake or reservoir (湖泊、水库, 环办〔2011〕22号): the point-and-time mean
    (:func:`lake_mean_concentrations`) graded as one point with the lake/reservoir TP limits of
    GB 3838-2002 Table 1; total nitrogen is reported in ``reference_classes`` only.

    River-type reservoirs are graded as rivers instead (use :func:`assess_section`).
    """
    return assess_section(
        lake_mean_concentrations(point_samples), water_body=WaterBody.LAKE_RESERVOIR
    )


TLI_CORRELATIONS: Final = MappingProxyType(
    {"chla": 1.0, "tp": 0.84, "tn": 0.82, "sd": -0.83, "codmn": 0.83}
)
"""Correlation r_ij of each trophic parameter with chlorophyll a (湖泊(水库)富营养化评价方法及分级
技术规定, CNEMC): chla, TP, TN, SD (透明度), CODMn."""


def tli_weights(parameters: Collection[str] = tuple(TLI_CORRELATIONS)) -> dict[str, float]:
    """Weights W_j = r_j² / Σ r_j² over ``parameters`` (keys of :data:`TLI_CORRELATIONS`).

    For all five parameters they round to 0.2663, 0.1879, 0.1790, 0.1834, 0.1834.

    Raises:
        ValueError: empty or unknown parameter keys.
    """
    unknown = set(parameters) - set(TLI_CORRELATIONS)
    if unknown or not parameters:
        raise ValueError(f"TLI parameters must be a non-empty subset of {list(TLI_CORRELATIONS)}")
    total = sum(TLI_CORRELATIONS[key] ** 2 for key in parameters)
    return {key: TLI_CORRELATIONS[key] ** 2 / total for key in parameters}


def _ln(name: str, value: float) -> float:
    if not value > 0:
        raise ValueError(f"{name} must be positive for the trophic index, got {value!r}")
    return math.log(value)


def tli_chla(chla: float) -> float:
    """TLI(chla) = 10 (2.5 + 1.086 ln chla); chlorophyll a (叶绿素a) in [mg/m³] (= [µg/L])."""
    return 10 * (2.5 + 1.086 * _ln("chla", chla))


def tli_tp(tp: float) -> float:
    """TLI(TP) = 10 (9.436 + 1.624 ln TP); total phosphorus (总磷) in [mg/L]."""
    return 10 * (9.436 + 1.624 * _ln("tp", tp))


def tli_tn(tn: float) -> float:
    """TLI(TN) = 10 (5.453 + 1.694 ln TN); total nitrogen (总氮) in [mg/L]."""
    return 10 * (5.453 + 1.694 * _ln("tn", tn))


def tli_sd(sd: float) -> float:
    """TLI(SD) = 10 (5.118 − 1.94 ln SD); Secchi depth (透明度) in [m]."""
    return 10 * (5.118 - 1.94 * _ln("sd", sd))


def tli_codmn(codmn: float) -> float:
    """TLI(CODMn) = 10 (0.109 + 2.661 ln CODMn); permanganate index (高锰酸盐指数) in [mg/L]."""
    return 10 * (0.109 + 2.661 * _ln("codmn", codmn))


_TLI_TERMS: Final[Mapping[str, Callable[[float], float]]] = MappingProxyType(
    {"chla": tli_chla, "tp": tli_tp, "tn": tli_tn, "sd": tli_sd, "codmn": tli_codmn}
)


def tli(
    *,
    chla: float | None = None,
    tp: float | None = None,
    tn: float | None = None,
    sd: float | None = None,
    codmn: float | None = None,
) -> float:
    """Comprehensive trophic level index TLI(Σ) = Σ W_j · TLI(j) (综合营养状态指数, CNEMC rule
    cited by 环办〔2011〕22号 for lakes and reservoirs).

    Units: chla [mg/m³], tp, tn, codmn [mg/L], sd [m]. Omitted parameters are left out and the
    weights renormalized over those supplied (W_j = r_j² / Σ r_j² over the m parameters used).

    Raises:
        ValueError: no parameter supplied, or a value ≤ 0.
    """
    supplied = {
        key: value
        for key, value in {"chla": chla, "tp": tp, "tn": tn, "sd": sd, "codmn": codmn}.items()
        if value is not None
    }
    weights = tli_weights(supplied)
    return sum(weights[key] * _TLI_TERMS[key](value) for key, value in supplied.items())


class TrophicState(StrEnum):
    """Trophic state grade (营养状态分级) of a lake or reservoir, oligotrophic to hypereutrophic."""

    OLIGOTROPHIC = "贫营养"
    MESOTROPHIC = "中营养"
    LIGHTLY_EUTROPHIC = "轻度富营养"
    MODERATELY_EUTROPHIC = "中度富营养"
    HYPEREUTROPHIC = "重度富营养"


def trophic_state(index: float) -> TrophicState:
    """Trophic state of a TLI value (CNEMC grading, as cited by 环办〔2011〕22号).

    TLI < 30 贫营养; 30 ≤ TLI ≤ 50 中营养; 50 < TLI ≤ 60 轻度富营养; 60 < TLI ≤ 70 中度富营养;
    TLI > 70 重度富营养.
    """
    if index < 30:
        return TrophicState.OLIGOTROPHIC
    if index <= 50:
        return TrophicState.MESOTROPHIC
    if index <= 60:
        return TrophicState.LIGHTLY_EUTROPHIC
    if index <= 70:
        return TrophicState.MODERATELY_EUTROPHIC
    return TrophicState.HYPEREUTROPHIC


@dataclass(frozen=True)
class DrinkingSourceCompliance:
    """Compliance of a drinking-water source: verdict, class of the basic items, and the canonical
    codes of the failing items (basic items worse than III, then Table 2 items over their limit)."""

    compliant: bool
    water_class: WaterClass
    failing_items: tuple[str, ...]


def drinking_source_compliance(
    concentrations: Mapping[str, float], *, water_body: WaterBody
) -> DrinkingSourceCompliance:
    """Compliance (达标) of a surface drinking-water source (GB 3838-2002 §5 and Table 2;
    环办〔2011〕22号): the 21 assessed basic items reach class III and each supplementary item
    present (sulfate, chloride, nitrate, iron, manganese) is within its Table 2 limit [mg/L].

    Supplementary items that are absent are not checked; Table 3 items are not covered.
    """
    samples = canonical_concentrations(concentrations)
    water_class = section_class(samples, water_body=water_body)
    classes = item_classes(samples, water_body=water_body)
    failing = [code for code in ASSESSED_ITEMS if classes.get(code, WaterClass.I) > WaterClass.III]
    failing += [
        code
        for code, value in samples.items()
        if code in TABLE2.limits and not meets_supplementary_limit(code, value)
    ]
    return DrinkingSourceCompliance(
        compliant=not failing, water_class=water_class, failing_items=tuple(failing)
    )


TROPHIC_ITEMS: Final = MappingProxyType(
    {
        item.code: item
        for item in (
            Parameter("chla", "叶绿素a", "chlorophyll a", ("Chl-a", "Chla", "叶绿素"), "µg/L"),
            Parameter("sd", "透明度", "Secchi depth", ("SD", "transparency"), "m"),
        )
    }
)
"""Trophic-state items (营养状态指标) that GB 3838-2002 does not class: chlorophyll a [µg/L =
mg/m³] and Secchi depth [m]. HJ 212-2017 Table B.1 gives them no code, so they are keyed by
their TLI name."""

TLI_ITEMS: Final = MappingProxyType(
    {"chla": "chla", "w21011": "tp", "w21001": "tn", "sd": "sd", "w01019": "codmn"}
)
"""Canonical item code → keyword of :func:`tli` (chlorophyll a, TP, TN, Secchi depth, CODMn)."""

_TROPHIC_INDEX: Final = MappingProxyType(
    {
        normalize_name(spelling): item
        for item in TROPHIC_ITEMS.values()
        for spelling in (item.code, item.name_zh, item.name_en, *item.abbreviations)
    }
)


def lookup_item(name: str) -> Parameter:
    """A monitored surface-water item by any name: a GB 3838-2002 parameter
    (:func:`ecogov.standards.gb3838.lookup_parameter`) or a trophic-state item of
    :data:`TROPHIC_ITEMS` (``"叶绿素a"``, ``"Chl-a"``, ``"透明度"``, ``"SD"``).

    Raises:
        UnknownParameterError: nothing matches.
    """
    try:
        return lookup_parameter(name)
    except UnknownParameterError:
        item = _TROPHIC_INDEX.get(normalize_name(name))
        if item is None:
            raise
        return item


_NEUTRAL_PH: Final = 7.0


def cwqi_item(parameter: str, value: float, *, water_body: WaterBody) -> float:
    """Water quality index of one item, CWQI(i) [dimensionless] (城市地表水环境质量排名技术规定
    （试行）, 2017; see the module notes for the provenance).

    ``C / C_III`` for the pollutants, with C_III the GB 3838-2002 Table 1 class III limit for
    ``water_body`` [mg/L]; ``C_III / C`` for dissolved oxygen; for pH ``(7 − pH) / (7 − 6)`` when
    pH ≤ 7, else ``(pH − 7) / (9 − 7)``, 6–9 being the class III range. Only the 21 items of
    :data:`ASSESSED_ITEMS` have an index.

    Raises:
        ValueError: an item outside the 21, an invalid value, or dissolved oxygen of 0.
    """
    item = lookup_parameter(parameter)
    if item.code not in ASSESSED_ITEMS:
        raise ValueError(f"{item.name_zh} ({item.code}) has no CWQI: not one of the 21 items")
    check_value(item, value)
    limits = TABLE1[water_body].limits[item.code]
    if limits.lower is not None and limits.upper is not None:  # pH
        if value <= _NEUTRAL_PH:
            return (_NEUTRAL_PH - value) / (_NEUTRAL_PH - limits.lower[WaterClass.III - 1])
        return (value - _NEUTRAL_PH) / (limits.upper[WaterClass.III - 1] - _NEUTRAL_PH)
    if limits.lower is not None:  # dissolved oxygen
        if value == 0:
            raise ValueError("dissolved oxygen of 0 has no CWQI (C_III / C)")
        return limits.lower[WaterClass.III - 1] / value
    assert limits.upper is not None
    return value / limits.upper[WaterClass.III - 1]


def section_cwqi(concentrations: Mapping[str, float], *, water_body: WaterBody) -> float:
    """CWQI of a section or lake point: Σ CWQI(i) over the assessed items present
    (:func:`cwqi_item`); other items are ignored. Values in GB 3838 units [mg/L; pH].

    Raises:
        ValueError: none of the 21 items is present, or an invalid value.
    """
    samples = canonical_concentrations(concentrations)
    present = [code for code in ASSESSED_ITEMS if code in samples]
    if not present:
        raise ValueError("no item assessed by 环办〔2011〕22号 in the sample")
    return math.fsum(cwqi_item(code, samples[code], water_body=water_body) for code in present)
