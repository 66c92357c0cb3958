"""HJ 633 ambient air quality index (AQI): HJ 633-2012 (trial) and HJ 633-2026.

Everything that differs between the editions is data in :data:`RULES` (one :class:`AqiRules` per
:class:`~ecogov.standards.editions.Edition`): breakpoint tables, the notes for SO2 1h and O3 8h
above 800 µg/m³, concentration rounding, levels and colours, report recipes (which averages feed
the daily and the real-time AQI), exceeding pollutants and the publication rule for incomplete
data. The functions below are edition-agnostic.

Units: concentrations in µg/m³, CO in mg/m³; IAQI and AQI are dimensionless integers.

Choices where the standards are silent (STANDARDS.md §G):

* A concentration above the top breakpoint of its column (e.g. PM2.5 > 500 µg/m³) gets IAQI 500,
  the top of the index, flagged :attr:`IaqiStatus.ABOVE_TABLE` (and listed in
  :attr:`AqiReport.out_of_range`). Neither edition defines these values; 500 is the most widely
  published convention and the flag lets a caller show "> 500" instead.
* HJ 633-2012 real-time report, SO2 1h > 800 µg/m³: note (2) says to report the SO2 IAQI "from the
  24-hour average" without saying which; the 24-hour *moving* average is used because it is the
  only 24-hour average that exists at publication time (the calendar-day mean is not yet complete).
* Real-time (hourly) AQI: by default the method the national network actually published
  (:attr:`HourlyMethod.PUBLISHED`), which also is the literal HJ 633-2026 §4.2.3-4.2.4 method. The
  literal reading of HJ 633-2012 Table 4 is kept as :attr:`HourlyMethod.TABLE_4_2012`.
* HJ 633-2026 §4.1.1 starts level 1 at AQI 1; an AQI of 0 (every concentration exactly 0) is still
  level 1.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from types import MappingProxyType
from typing import NamedTuple

from ecogov.standards.editions import Edition
from ecogov.standards.gb3095 import UNITS, Indicator, Unit
from ecogov.standards.rounding import (
    InvalidValueError,
    Number,
    ceil_int,
    round_gbt8170,
    to_fraction,
)

__all__ = [
    "COLUMN_INDICATOR",
    "CONCENTRATION_DECIMALS",
    "IAQI_STEPS",
    "LEVELS",
    "RULES",
    "AqiReport",
    "AqiRules",
    "Breakpoint",
    "BreakpointColumn",
    "CapRule",
    "DailyObservation",
    "HourlyMethod",
    "HourlyObservation",
    "Iaqi",
    "IaqiStatus",
    "Level",
    "Recipe",
    "aqi_level",
    "breakpoint_table",
    "breakpoints",
    "daily_aqi",
    "exceeding_pollutants",
    "hourly_aqi",
    "iaqi",
    "linear_iaqi",
    "primary_pollutants",
    "round_concentration",
]


class BreakpointColumn(StrEnum):
    """One concentration column of the IAQI table (HJ 633-2012 Table 1, HJ 633-2026 Table 3)."""

    SO2_24H = "SO2_24H"
    SO2_1H = "SO2_1H"
    NO2_24H = "NO2_24H"
    NO2_1H = "NO2_1H"
    CO_24H = "CO_24H"
    CO_1H = "CO_1H"
    O3_1H = "O3_1H"
    O3_8H = "O3_8H"
    PM10_24H = "PM10_24H"
    PM2_5_24H = "PM2.5_24H"


COLUMN_INDICATOR: Mapping[BreakpointColumn, Indicator] = MappingProxyType(
    {
        BreakpointColumn.SO2_24H: Indicator.SO2,
        BreakpointColumn.SO2_1H: Indicator.SO2,
        BreakpointColumn.NO2_24H: Indicator.NO2,
        BreakpointColumn.NO2_1H: Indicator.NO2,
        BreakpointColumn.CO_24H: Indicator.CO,
        BreakpointColumn.CO_1H: Indicator.CO,
        BreakpointColumn.O3_1H: Indicator.O3_1H,
        BreakpointColumn.O3_8H: Indicator.O3_8H,
        BreakpointColumn.PM10_24H: Indicator.PM10,
        BreakpointColumn.PM2_5_24H: Indicator.PM2_5,
    }
)
"""Indicator whose IAQI a breakpoint column produces."""


class Breakpoint(NamedTuple):
    """A (concentration [µg/m³; CO mg/m³], IAQI) pair of the breakpoint table."""

    concentration: int
    iaqi: int


IAQI_STEPS: tuple[int, ...] = (0, 50, 100, 150, 200, 300, 400, 500)
"""IAQI values of the table rows (HJ 633-2012 Table 1; HJ 633-2026 Table 3)."""


def _column(*concentrations: int) -> tuple[Breakpoint, ...]:
    return tuple(Breakpoint(c, i) for c, i in zip(concentrations, IAQI_STEPS, strict=False))


_C = BreakpointColumn

# Columns identical in both editions (HJ 633-2026 foreword change 1 touched only PM10 and PM2.5).
_SHARED_COLUMNS: dict[BreakpointColumn, tuple[Breakpoint, ...]] = {
    _C.SO2_24H: _column(0, 50, 150, 475, 800, 1600, 2100, 2620),
    _C.SO2_1H: _column(0, 150, 500, 650, 800),
    _C.NO2_24H: _column(0, 40, 80, 180, 280, 565, 750, 940),
    _C.NO2_1H: _column(0, 100, 200, 700, 1200, 2340, 3090, 3840),
    _C.CO_24H: _column(0, 2, 4, 14, 24, 36, 48, 60),
    _C.CO_1H: _column(0, 5, 10, 35, 60, 90, 120, 150),
    _C.O3_1H: _column(0, 160, 200, 300, 400, 800, 1000, 1200),
    _C.O3_8H: _column(0, 100, 160, 215, 265, 800),
}


class IaqiStatus(StrEnum):
    """How an IAQI value was obtained."""

    COMPUTED = "computed"
    """Formula (1) on the breakpoint table, rounded up."""
    ABOVE_TABLE = "above_table"
    """Concentration above the top breakpoint: IAQI set to 500 (not defined by HJ 633)."""
    FIXED_BY_NOTE = "fixed_by_note"
    """Set by a table note (HJ 633-2026 Table 3 notes b, c)."""
    SUBSTITUTED = "substituted"
    """Not computed; the note names another column (HJ 633-2012 Table 1 notes 2, 3)."""


@dataclass(frozen=True, slots=True)
class Iaqi:
    """Individual AQI (空气质量分指数) of one concentration; ``value`` is None when substituted."""

    value: int | None
    status: IaqiStatus
    substitute: BreakpointColumn | None = None


@dataclass(frozen=True, slots=True)
class CapRule:
    """A table note for concentrations above ``above`` [µg/m³] in ``column``.

    Exactly one of ``fixed_iaqi`` (IAQI takes that value) and ``substitute`` (no IAQI from this
    column; report the IAQI of the named column instead) is set.
    """

    column: BreakpointColumn
    above: int
    clause: str
    fixed_iaqi: int | None = None
    substitute: BreakpointColumn | None = None


@dataclass(frozen=True, slots=True)
class Level:
    """AQI level (空气质量指数级别) with category, official colour and health information.

    ``lower``/``upper`` are the printed AQI bounds (``upper`` None for > 300). ``rgb`` and ``cmyk``
    come from Annex A Table A.1 of the edition.
    """

    number: int
    name_zh: str
    lower: int
    upper: int | None
    category_zh: str
    category_en: str
    colour_zh: str
    colour_en: str
    rgb: tuple[int, int, int]
    cmyk: tuple[int, int, int, int]
    health_effect_zh: str
    advice_zh: str

    @property
    def hex(self) -> str:
        """Colour as ``#RRGGBB`` from :attr:`rgb` (Annex A Table A.1). Editions: 2012, 2026."""
        red, green, blue = self.rgb
        return f"#{red:02X}{green:02X}{blue:02X}"


class HourlyMethod(StrEnum):
    """Method of the real-time (hourly, 实时报) AQI."""

    PUBLISHED = "published"
    """SO2, NO2, CO, O3 1-hour values on the 1-hour breakpoints; PM10 and PM2.5 1-hour values on
    the 24-hour PM breakpoints. What the national network published under HJ 633-2012 (reproduces
    every station of the CNEMC snapshot), and the text of HJ 633-2026 §4.2.3-4.2.4."""
    TABLE_4_2012 = "table_4_2012"
    """Literal reading of HJ 633-2012 §5.1.3 and Table 4: SO2, NO2, CO, O3 1-hour values, the O3
    8-hour moving average, and the PM10/PM2.5 24-hour moving averages. Under HJ 633-2026 this is
    the same as PUBLISHED (the 2026 text prescribes the published method)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class HourlyObservation:
    """Inputs of a real-time (hourly) AQI [µg/m³; CO mg/m³]; None = missing (缺测, NA).

    ``so2`` … ``pm2_5`` are 1-hour averages. The moving averages are used only where a method
    needs them: ``so2_24h_moving`` for the HJ 633-2012 SO2 > 800 note, ``o3_8h_moving``,
    ``pm10_24h_moving`` and ``pm2_5_24h_moving`` for :attr:`HourlyMethod.TABLE_4_2012`.
    """

    so2: Number | None = None
    no2: Number | None = None
    co: Number | None = None
    o3: Number | None = None
    pm10: Number | None = None
    pm2_5: Number | None = None
    so2_24h_moving: Number | None = None
    o3_8h_moving: Number | None = None
    pm10_24h_moving: Number | None = None
    pm2_5_24h_moving: Number | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class DailyObservation:
    """Inputs of a daily AQI [µg/m³; CO mg/m³]; None = missing (缺测, NA).

    ``so2``, ``no2``, ``co``, ``pm10``, ``pm2_5`` are 24-hour (calendar-day) means, ``o3_1h_max``
    the day's maximum 1-hour O3 (HJ 633-2012 only), ``o3_8h_max`` the day's maximum 8-hour
    average (MDA8, 日最大8小时平均).
    """

    so2: Number | None = None
    no2: Number | None = None
    co: Number | None = None
    pm10: Number | None = None
    pm2_5: Number | None = None
    o3_1h_max: Number | None = None
    o3_8h_max: Number | None = None


@dataclass(frozen=True, slots=True)
class Recipe:
    """Which observation field feeds which breakpoint column in one kind of report.

    ``sources`` pairs each scored column with the field name of the observation dataclass;
    ``substitute_sources`` gives the field for a column that is only used through a
    :class:`CapRule` substitution (HJ 633-2012 note 2).
    """

    clause: str
    sources: tuple[tuple[BreakpointColumn, str], ...]
    substitute_sources: tuple[tuple[BreakpointColumn, str], ...] = ()


@dataclass(frozen=True, slots=True)
class AqiRules:
    """Everything edition-specific in HJ 633, as data."""

    edition: Edition
    source: str
    breakpoints: Mapping[BreakpointColumn, tuple[Breakpoint, ...]]
    cap_rules: tuple[CapRule, ...]
    rounds_concentration: bool
    levels: tuple[Level, ...]
    daily: Recipe
    hourly: Mapping[HourlyMethod, Recipe]
    primary_above: int
    exceeding_above: int | None
    publish_incomplete_above: int | None


CONCENTRATION_DECIMALS: Mapping[Unit, int] = MappingProxyType({Unit.UG_M3: 0, Unit.MG_M3: 1})
"""Reporting resolution per unit: whole µg/m³, CO to 0.1 mg/m³ (HJ 633-2026 §4.2.2-4.2.3)."""


# Level bounds and categories (HJ 633-2012 Table 2; HJ 633-2026 Table 1, same apart from the
# printed lower bound of level 1) and Annex A Table A.1 colours (identical in both editions).
_SCALE: tuple[tuple[str, int, int | None, str, str], ...] = (
    ("一级", 0, 50, "优", "Excellent"),
    ("二级", 51, 100, "良", "Good"),
    ("三级", 101, 150, "轻度污染", "Lightly polluted"),
    ("四级", 151, 200, "中度污染", "Moderately polluted"),
    ("五级", 201, 300, "重度污染", "Heavily polluted"),
    ("六级", 301, None, "严重污染", "Severely polluted"),
)
_COLOURS: tuple[tuple[str, tuple[int, int, int], tuple[int, int, int, int]], ...] = (
    ("green", (0, 228, 0), (40, 0, 100, 0)),
    ("yellow", (255, 255, 0), (0, 0, 100, 0)),
    ("orange", (255, 126, 0), (0, 52, 100, 0)),
    ("red", (255, 0, 0), (0, 100, 100, 0)),
    ("purple", (153, 0, 76), (10, 100, 40, 30)),
    ("maroon", (126, 0, 35), (30, 100, 100, 30)),
)


def _levels(
    colour_names_zh: tuple[str, ...], level_1_lower: int, texts: tuple[tuple[str, str], ...]
) -> tuple[Level, ...]:
    rows = zip(_SCALE, _COLOURS, colour_names_zh, texts, strict=True)
    return tuple(
        Level(
            number=number,
            name_zh=name,
            lower=level_1_lower if number == 1 else lower,
            upper=upper,
            category_zh=category_zh,
            category_en=category_en,
            colour_zh=colour_zh,
            colour_en=colour_en,
            rgb=rgb,
            cmyk=cmyk,
            health_effect_zh=effect,
            advice_zh=advice,
        )
        for number, (
            (name, lower, upper, category_zh, category_en),
            (colour_en, rgb, cmyk),
            colour_zh,
            (effect, advice),
        ) in enumerate(rows, start=1)
    )


_LEVELS_2012 = _levels(
    ("绿", "黄", "橙", "红", "紫", "褐红"),
    0,
    (
        ("空气质量令人满意，基本无空气污染", "各类人群可正常活动"),
        (
            "空气质量可接受，但某些污染物可能对极少数异常敏感人群健康有较弱影响",
            "极少数异常敏感人群应减少户外活动",
        ),
        (
            "易感人群症状有轻度加剧，健康人群出现刺激症状",
            "儿童、老年人及心脏病、呼吸系统疾病患者应减少长时间、高强度的户外锻炼",
        ),
        (
            "进一步加剧易感人群症状，可能对健康人群心脏、呼吸系统有影响",
            "儿童、老年人及心脏病、呼吸系统疾病患者避免长时间、高强度的户外锻练，"
            "一般人群适量减少户外运动",
        ),
        (
            "心脏病和肺病患者症状显著加剧，运动耐受力降低，健康人群普遍出现症状",
            "儿童、老年人和心脏病、肺病患者应停留在室内，停止户外运动，一般人群减少户外运动",
        ),
        (
            "健康人群运动耐受力降低，有明显强烈症状，提前出现某些疾病",
            "儿童、老年人和病人应当留在室内，避免体力消耗，一般人群应避免户外活动",
        ),
    ),
)
"""HJ 633-2012 Table 2 (texts as printed, including "锻练") and Table A.1."""

_LEVELS_2026 = _levels(
    ("绿色", "黄色", "橙色", "红色", "紫色", "褐红色"),
    1,
    (
        ("空气质量令人满意，基本无空气污染", "各类人群可正常活动"),
        (
            "空气质量可接受，但某些污染物可能对极少数异常敏感人群健康有较弱影响",
            "极少数异常敏感人群应减少户外活动",
        ),
        (
            "敏感人群症状有轻度加剧，健康人群出现刺激症状",
            "青少年儿童、老年人及心血管系统疾病、呼吸系统疾病患者应减少长时间、高强度的户外锻炼",
        ),
        (
            "进一步加剧敏感人群症状，可能对健康人群心血管系统、呼吸系统有影响",
            "青少年儿童、老年人及心血管系统疾病、呼吸系统疾病患者避免长时间、高强度的户外锻炼，"
            "一般人群适量减少户外运动",
        ),
        (
            "心血管系统和呼吸系统患者症状显著加剧，运动耐受力降低，健康人群普遍出现症状",
            "青少年儿童、老年人和心血管系统疾病、呼吸系统疾病患者应停留在室内，停止户外运动，"
            "一般人群减少户外运动",
        ),
        (
            "健康人群运动耐受力降低，有明显强烈症状，提前出现某些疾病",
            "青少年儿童、老年人和病人应当留在室内，避免体力消耗，一般人群应避免户外活动",
        ),
    ),
)
"""HJ 633-2026 Table 1 (AQI 1-50 for level 1) and Table A.1 (colours unchanged from 2012)."""

LEVELS: Mapping[Edition, tuple[Level, ...]] = MappingProxyType(
    {Edition.E2012: _LEVELS_2012, Edition.E2026: _LEVELS_2026}
)
"""AQI levels with bounds, categories and colours per edition (plain data)."""

_HOURLY_PUBLISHED = Recipe(
    clause=(
        "CNEMC real-time practice under HJ 633-2012; HJ 633-2026 §4.2.3-4.2.4 "
        "(PM 1-hour values on the daily breakpoints)"
    ),
    sources=(
        (_C.SO2_1H, "so2"),
        (_C.NO2_1H, "no2"),
        (_C.CO_1H, "co"),
        (_C.O3_1H, "o3"),
        (_C.PM10_24H, "pm10"),
        (_C.PM2_5_24H, "pm2_5"),
    ),
    substitute_sources=((_C.SO2_24H, "so2_24h_moving"),),
)

RULES: Mapping[Edition, AqiRules] = MappingProxyType(
    {
        Edition.E2012: AqiRules(
            edition=Edition.E2012,
            source="HJ 633-2012 Table 1",
            breakpoints=MappingProxyType(
                {
                    **_SHARED_COLUMNS,
                    _C.PM10_24H: _column(0, 50, 150, 250, 350, 420, 500, 600),
                    _C.PM2_5_24H: _column(0, 35, 75, 115, 150, 250, 350, 500),
                }
            ),
            cap_rules=(
                CapRule(_C.SO2_1H, 800, "HJ 633-2012 Table 1 note (2)", substitute=_C.SO2_24H),
                CapRule(_C.O3_8H, 800, "HJ 633-2012 Table 1 note (3)", substitute=_C.O3_1H),
            ),
            rounds_concentration=False,
            levels=LEVELS[Edition.E2012],
            daily=Recipe(
                clause="HJ 633-2012 §5.1.2 (7 indicators)",
                sources=(
                    (_C.SO2_24H, "so2"),
                    (_C.NO2_24H, "no2"),
                    (_C.CO_24H, "co"),
                    (_C.O3_1H, "o3_1h_max"),
                    (_C.O3_8H, "o3_8h_max"),
                    (_C.PM10_24H, "pm10"),
                    (_C.PM2_5_24H, "pm2_5"),
                ),
            ),
            hourly=MappingProxyType(
                {
                    HourlyMethod.PUBLISHED: _HOURLY_PUBLISHED,
                    HourlyMethod.TABLE_4_2012: Recipe(
                        clause="HJ 633-2012 §5.1.3 and Table 4 (literal reading)",
                        sources=(
                            (_C.SO2_1H, "so2"),
                            (_C.NO2_1H, "no2"),
                            (_C.CO_1H, "co"),
                            (_C.O3_1H, "o3"),
                            (_C.O3_8H, "o3_8h_moving"),
                            (_C.PM10_24H, "pm10_24h_moving"),
                            (_C.PM2_5_24H, "pm2_5_24h_moving"),
                        ),
                        substitute_sources=((_C.SO2_24H, "so2_24h_moving"),),
                    ),
                }
            ),
            primary_above=50,
            exceeding_above=100,
            publish_incomplete_above=None,
        ),
        Edition.E2026: AqiRules(
            edition=Edition.E2026,
            source="HJ 633-2026 Table 3",
            breakpoints=MappingProxyType(
                {
                    **_SHARED_COLUMNS,
                    _C.PM10_24H: _column(0, 50, 120, 250, 350, 420, 500, 600),
                    _C.PM2_5_24H: _column(0, 35, 60, 115, 150, 250, 350, 500),
                }
            ),
            cap_rules=(
                CapRule(_C.SO2_1H, 800, "HJ 633-2026 Table 3 note b", fixed_iaqi=200),
                CapRule(_C.O3_8H, 800, "HJ 633-2026 Table 3 note c", fixed_iaqi=300),
            ),
            rounds_concentration=True,
            levels=LEVELS[Edition.E2026],
            daily=Recipe(
                clause="HJ 633-2026 §4.2.2 (6 indicators; no O3 1-hour)",
                sources=(
                    (_C.SO2_24H, "so2"),
                    (_C.NO2_24H, "no2"),
                    (_C.CO_24H, "co"),
                    (_C.O3_8H, "o3_8h_max"),
                    (_C.PM10_24H, "pm10"),
                    (_C.PM2_5_24H, "pm2_5"),
                ),
            ),
            hourly=MappingProxyType(
                {
                    HourlyMethod.PUBLISHED: _HOURLY_PUBLISHED,
                    HourlyMethod.TABLE_4_2012: _HOURLY_PUBLISHED,
                }
            ),
            primary_above=50,
            exceeding_above=None,
            publish_incomplete_above=100,
        ),
    }
)
"""HJ 633 rule sets by edition (HJ 633-2012 Tables 1-2, A.1; HJ 633-2026 Tables 1, 3, A.1)."""


def breakpoints(edition: Edition, column: BreakpointColumn) -> tuple[Breakpoint, ...]:
    """(concentration, IAQI) breakpoints of one column [µg/m³; CO mg/m³].

    Source: HJ 633-2012 Table 1; HJ 633-2026 Table 3. Editions: 2012, 2026.
    """
    return RULES[edition].breakpoints[column]


def breakpoint_table(edition: Edition) -> dict[str, list[tuple[int, int]]]:
    """The whole breakpoint table as plain data: column code → [(concentration, IAQI), …].

    For vectorised engines that need the same numbers without importing the dataclasses.
    Concentrations [µg/m³; CO mg/m³]. Source: HJ 633-2012 Table 1; HJ 633-2026 Table 3.
    Editions: 2012, 2026.
    """
    return {
        str(column): [(point.concentration, point.iaqi) for point in points]
        for column, points in RULES[edition].breakpoints.items()
    }


def linear_iaqi(concentration: Fraction, lower: Breakpoint, upper: Breakpoint) -> Fraction:
    """Formula (1), exact: IAQI_Lo + (IAQI_Hi − IAQI_Lo)/(BP_Hi − BP_Lo) · (C_P − BP_Lo).

    ``concentration`` [µg/m³; CO mg/m³] between ``lower`` and ``upper``. Unrounded. Source:
    HJ 633-2012 §4.2 formula (1); HJ 633-2026 §4.2.4 formula (1). Editions: 2012, 2026.
    """
    slope = Fraction(upper.iaqi - lower.iaqi, upper.concentration - lower.concentration)
    return lower.iaqi + slope * (concentration - lower.concentration)


def round_concentration(value: Number, indicator: Indicator) -> Decimal:
    """Concentration rounded per GB/T 8170 to whole µg/m³, CO to 0.1 mg/m³ [µg/m³; CO mg/m³].

    Source: HJ 633-2026 §4.2.2-4.2.3. Editions: applied before the IAQI in 2026 only (HJ 633-2012
    does not round concentrations); also the reporting resolution of statistics of both editions
    (STANDARDS.md §C.6).
    """
    return round_gbt8170(value, CONCENTRATION_DECIMALS[UNITS[indicator]])


def _scored_concentration(value: Number, column: BreakpointColumn, rules: AqiRules) -> Fraction:
    indicator = COLUMN_INDICATOR[column]
    exact = to_fraction(value)
    if exact < 0:
        raise InvalidValueError(f"{indicator} concentration {value} is negative")
    if rules.rounds_concentration:
        return to_fraction(round_concentration(exact, indicator))
    return exact


def iaqi(concentration: Number, column: BreakpointColumn, edition: Edition) -> Iaqi:
    """Individual AQI of one concentration [µg/m³; CO mg/m³] on one breakpoint column.

    Exact arithmetic from the decimal representation of the input, then rounded up (HJ 633-2012
    §4.2, §6.2; HJ 633-2026 §4.2.4, §4.2.6). 2026: the concentration is first rounded per
    GB/T 8170 (§4.2.2-4.2.3). Above 800 µg/m³ the table notes apply (2012 Table 1 notes 2-3:
    substitution; 2026 Table 3 notes b-c: SO2 1h → 200, O3 8h → 300). Above the top breakpoint
    of any other column: 500 with status ``ABOVE_TABLE``. Editions: 2012, 2026.

    Raises:
        InvalidValueError: for a negative or non-numeric concentration.
    """
    rules = RULES[edition]
    value = _scored_concentration(concentration, column, rules)
    for rule in rules.cap_rules:
        if rule.column is column and value > rule.above:
            if rule.fixed_iaqi is not None:
                return Iaqi(rule.fixed_iaqi, IaqiStatus.FIXED_BY_NOTE)
            return Iaqi(None, IaqiStatus.SUBSTITUTED, rule.substitute)
    points = rules.breakpoints[column]
    if value > points[-1].concentration:
        return Iaqi(points[-1].iaqi, IaqiStatus.ABOVE_TABLE)
    upper_index = next(
        i for i, point in enumerate(points) if i > 0 and value <= point.concentration
    )
    exact = linear_iaqi(value, points[upper_index - 1], points[upper_index])
    return Iaqi(ceil_int(exact), IaqiStatus.COMPUTED)


def aqi_level(aqi: int, edition: Edition) -> Level:
    """AQI level, category and colour (HJ 633-2012 Table 2, A.1; HJ 633-2026 Table 1, A.1).

    ``aqi`` is dimensionless. AQI 0 is level 1 in both editions. Editions: 2012, 2026.

    Raises:
        InvalidValueError: for a negative AQI.
    """
    if aqi < 0:
        raise InvalidValueError(f"AQI {aqi} is negative")
    levels = RULES[edition].levels
    return next((lv for lv in levels if lv.upper is not None and aqi <= lv.upper), levels[-1])


def primary_pollutants(iaqis: Mapping[Indicator, int], edition: Edition) -> tuple[Indicator, ...]:
    """Primary pollutants (首要污染物): every indicator tied at the maximum IAQI, if AQI > 50.

    Empty when the AQI is ≤ 50 or no IAQI is given. Order follows :class:`Indicator`. Source:
    HJ 633-2012 §3.3, §4.4.2; HJ 633-2026 §3.3, §4.3.1. Editions: 2012, 2026.
    """
    if not iaqis or max(iaqis.values()) <= RULES[edition].primary_above:
        return ()
    top = max(iaqis.values())
    return tuple(indicator for indicator in Indicator if iaqis.get(indicator) == top)


def exceeding_pollutants(
    iaqis: Mapping[Indicator, int], edition: Edition
) -> tuple[Indicator, ...] | None:
    """Exceeding pollutants (超标污染物): indicators with IAQI > 100 (HJ 633-2012 §3.4, §4.4.2).

    None under HJ 633-2026, which deleted the concept (foreword, change 4). Editions: 2012, 2026.
    """
    threshold = RULES[edition].exceeding_above
    if threshold is None:
        return None
    return tuple(indicator for indicator in Indicator if iaqis.get(indicator, 0) > threshold)


@dataclass(frozen=True, slots=True)
class AqiReport:
    """One AQI report (daily or real-time) for a station, county or city.

    ``iaqi`` maps each scored indicator to its IAQI and ``columns`` to the breakpoint column used;
    ``substitutions`` lists (column, substitute) pairs applied by a table note; ``missing`` the
    indicators without data (NA). ``aqi`` and ``level`` are None when nothing could be scored.
    ``exceeding_pollutants`` is None under HJ 633-2026. ``publishable`` applies HJ 633-2026 §5.3.1
    (an incomplete report is published only when AQI > 100; always true under HJ 633-2012).
    """

    edition: Edition
    iaqi: Mapping[Indicator, int]
    columns: Mapping[Indicator, BreakpointColumn]
    substitutions: tuple[tuple[BreakpointColumn, BreakpointColumn], ...]
    out_of_range: frozenset[Indicator]
    missing: tuple[Indicator, ...]
    aqi: int | None
    level: Level | None
    primary_pollutants: tuple[Indicator, ...]
    exceeding_pollutants: tuple[Indicator, ...] | None
    publishable: bool


def _field(recipe: Recipe, column: BreakpointColumn) -> str:
    pairs = recipe.sources + recipe.substitute_sources
    return next(name for col, name in pairs if col is column)


def _publishable(aqi: int | None, complete: bool, rules: AqiRules) -> bool:
    """HJ 633-2026 §5.3.1: an incomplete report is published only above the threshold."""
    if aqi is None:
        return False
    threshold = rules.publish_incomplete_above
    return complete or threshold is None or aqi > threshold


def _score(
    observation: HourlyObservation | DailyObservation,
    recipe: Recipe,
    column: BreakpointColumn,
    edition: Edition,
) -> tuple[Iaqi | None, BreakpointColumn]:
    """IAQI of one recipe column (None when its value is missing) and the column finally used."""
    value: Number | None = getattr(observation, _field(recipe, column))
    result = None if value is None else iaqi(value, column, edition)
    if result is None or result.substitute is None:
        return result, column
    return _score(observation, recipe, result.substitute, edition)


def _report(
    observation: HourlyObservation | DailyObservation, recipe: Recipe, edition: Edition
) -> AqiReport:
    values: dict[Indicator, int] = {}
    columns: dict[Indicator, BreakpointColumn] = {}
    out_of_range: set[Indicator] = set()
    substitutions: list[tuple[BreakpointColumn, BreakpointColumn]] = []
    missing: list[Indicator] = []
    recipe_columns = {column for column, _ in recipe.sources}
    for column, _ in recipe.sources:
        indicator = COLUMN_INDICATOR[column]
        result, used = _score(observation, recipe, column, edition)
        if used is not column:
            substitutions.append((column, used))
            if used in recipe_columns:
                continue  # the substitute column is scored in its own right
        if result is None or result.value is None:
            missing.append(indicator)
            continue
        values[indicator], columns[indicator] = result.value, used
        if result.status is IaqiStatus.ABOVE_TABLE:
            out_of_range.add(indicator)
    aqi = max(values.values()) if values else None
    return AqiReport(
        edition=edition,
        iaqi=MappingProxyType(values),
        columns=MappingProxyType(columns),
        substitutions=tuple(substitutions),
        out_of_range=frozenset(out_of_range),
        missing=tuple(missing),
        aqi=aqi,
        level=None if aqi is None else aqi_level(aqi, edition),
        primary_pollutants=primary_pollutants(values, edition),
        exceeding_pollutants=exceeding_pollutants(values, edition),
        publishable=_publishable(aqi, not missing, RULES[edition]),
    )


def daily_aqi(observation: DailyObservation, edition: Edition) -> AqiReport:
    """Daily AQI report (日报) from daily concentrations [µg/m³; CO mg/m³].

    2012: 7 indicators — SO2, NO2, CO, PM10, PM2.5 24-hour means, O3 daily max 1-hour (1-hour
    breakpoints) and O3 MDA8; the O3 IAQI is thus the larger of the two (HJ 633-2012 §5.1.2, §4.4).
    2026: 6 indicators — no O3 1-hour (HJ 633-2026 §4.2.2, Table 3 note a). AQI = max IAQI
    (formula (2)). Editions: 2012, 2026.
    """
    return _report(observation, RULES[edition].daily, edition)


def hourly_aqi(
    observation: HourlyObservation,
    edition: Edition,
    method: HourlyMethod = HourlyMethod.PUBLISHED,
) -> AqiReport:
    """Real-time (hourly, 实时报) AQI report from hourly data [µg/m³; CO mg/m³].

    Default :attr:`HourlyMethod.PUBLISHED`: 1-hour SO2, NO2, CO, O3 on the 1-hour breakpoints and
    1-hour PM10, PM2.5 on the 24-hour PM breakpoints — the national network's practice under
    HJ 633-2012 and the text of HJ 633-2026 §4.2.3-4.2.4. :attr:`HourlyMethod.TABLE_4_2012` is
    the literal HJ 633-2012 §5.1.3/Table 4 reading (O3 8-hour and PM 24-hour moving averages).
    2012, SO2 1h > 800: the SO2 IAQI comes from ``so2_24h_moving`` (note 2). Editions: 2012, 2026.
    """
    return _report(observation, RULES[edition].hourly[method], edition)
