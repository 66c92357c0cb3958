"""GB 3095 ambient air quality standard: indicator codes, concentration limits, data validity.

Editions and stages (dates in :mod:`ecogov.standards.editions`):

* GB 3095-2012 Tables 1-2 (and the 2018 amendment, which changed the measurement state, not the
  limits) — data before 2026-03-01.
* GB 3095-2026 Tables 1-2 — transitional limits from 2026-03-01 to 2030-12-31, final limits from
  2031-01-01 (§4.4). Only the 二级 PM limits differ between GB 3095-2012 and the transitional stage.

Units: every limit is in µg/m³ except CO in mg/m³ (:data:`UNITS`). Zone class 1 (一类区: national
parks, nature reserves, other specially protected areas) uses the 一级 limits, class 2 (二类区:
residential, commercial, cultural, industrial and rural areas) the 二级 limits (§4.1 / §4.2).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import IntEnum, StrEnum
from types import MappingProxyType

from ecogov.standards.editions import LimitStage

__all__ = [
    "BASIC_INDICATORS",
    "LIMIT_TABLES",
    "UNITS",
    "VALIDITY_RULES",
    "Averaging",
    "Indicator",
    "LimitRow",
    "LimitTable",
    "Unit",
    "ValidityRule",
    "ZoneClass",
    "limit",
    "validity_rule",
]


class Indicator(StrEnum):
    """Canonical pollutant/indicator codes used by every standards module.

    O3 is split by averaging because HJ 633 scores its 1-hour and 8-hour values on separate
    breakpoint columns and GB 3095 limits both. TSP, NOx, Pb and BaP are GB 3095 Table 2 items.
    """

    SO2 = "SO2"
    NO2 = "NO2"
    CO = "CO"
    O3_1H = "O3_1H"
    O3_8H = "O3_8H"
    PM10 = "PM10"
    PM2_5 = "PM2.5"
    TSP = "TSP"
    NOX = "NOx"
    PB = "Pb"
    BAP = "BaP"


BASIC_INDICATORS: tuple[Indicator, ...] = (
    Indicator.SO2,
    Indicator.NO2,
    Indicator.CO,
    Indicator.O3_1H,
    Indicator.O3_8H,
    Indicator.PM10,
    Indicator.PM2_5,
)
"""Indicators of the basic items (基本项目, GB 3095 Table 1), in table order."""


class Unit(StrEnum):
    """Concentration units of GB 3095 (mass concentration)."""

    UG_M3 = "µg/m³"
    MG_M3 = "mg/m³"


UNITS: Mapping[Indicator, Unit] = MappingProxyType(
    {indicator: Unit.MG_M3 if indicator is Indicator.CO else Unit.UG_M3 for indicator in Indicator}
)
"""Unit of each indicator (GB 3095-2012 / GB 3095-2026 Tables 1-2): CO in mg/m³, others µg/m³."""


class Averaging(StrEnum):
    """Averaging period (平均时间) of a limit or a validity rule (GB 3095 §3, Tables 1-2 and 4)."""

    YEAR = "annual"
    QUARTER = "quarterly"
    DAY = "24h"
    DAILY_MAX_8H = "daily_max_8h"
    EIGHT_HOURS = "8h"
    HOUR = "1h"


class ZoneClass(IntEnum):
    """Ambient air function zone (环境空气功能区): class 1 → 一级 limits, class 2 → 二级 limits."""

    ONE = 1
    TWO = 2


@dataclass(frozen=True, slots=True)
class LimitRow:
    """One row of a limit table: concentration limits [µg/m³; CO mg/m³] by zone class."""

    indicator: Indicator
    averaging: Averaging
    class_1: Decimal
    class_2: Decimal


@dataclass(frozen=True, slots=True)
class LimitTable:
    """All limits of one :class:`~ecogov.standards.editions.LimitStage`, with their source."""

    stage: LimitStage
    source: str
    rows: tuple[LimitRow, ...]


def _rows(*rows: tuple[Indicator, Averaging, str, str]) -> tuple[LimitRow, ...]:
    return tuple(LimitRow(ind, avg, Decimal(one), Decimal(two)) for ind, avg, one, two in rows)


_I, _A = Indicator, Averaging

# Rows shared by every stage: CO, O3 and NO2 1h never changed; Table 2 items apart from NOx are
# the same in GB 3095-2012 Table 2 and GB 3095-2026 Table 2.
_UNCHANGED = _rows(
    (_I.NO2, _A.HOUR, "200", "200"),
    (_I.CO, _A.DAY, "4", "4"),
    (_I.CO, _A.HOUR, "10", "10"),
    (_I.O3_8H, _A.DAILY_MAX_8H, "100", "160"),
    (_I.O3_1H, _A.HOUR, "160", "200"),
    (_I.TSP, _A.YEAR, "80", "200"),
    (_I.TSP, _A.DAY, "120", "300"),
    (_I.NOX, _A.HOUR, "250", "250"),
    (_I.PB, _A.YEAR, "0.5", "0.5"),
    (_I.PB, _A.QUARTER, "1", "1"),
    (_I.BAP, _A.YEAR, "0.001", "0.001"),
    (_I.BAP, _A.DAY, "0.0025", "0.0025"),
)

# SO2, NO2 (annual, 24h) and NOx (annual, 24h) as in GB 3095-2012 and the 2026 transitional stage.
_GASES_2012 = _rows(
    (_I.SO2, _A.YEAR, "20", "60"),
    (_I.SO2, _A.DAY, "50", "150"),
    (_I.SO2, _A.HOUR, "150", "500"),
    (_I.NO2, _A.YEAR, "40", "40"),
    (_I.NO2, _A.DAY, "80", "80"),
    (_I.NOX, _A.YEAR, "50", "50"),
    (_I.NOX, _A.DAY, "100", "100"),
)

_LIMITS_2012 = (
    *_GASES_2012,
    *_UNCHANGED,
    *_rows(
        (_I.PM10, _A.YEAR, "40", "70"),
        (_I.PM10, _A.DAY, "50", "150"),
        (_I.PM2_5, _A.YEAR, "15", "35"),
        (_I.PM2_5, _A.DAY, "35", "75"),
    ),
)

_LIMITS_2026_TRANSITIONAL = (
    *_GASES_2012,
    *_UNCHANGED,
    *_rows(
        (_I.PM10, _A.YEAR, "40", "60"),
        (_I.PM10, _A.DAY, "50", "120"),
        (_I.PM2_5, _A.YEAR, "15", "30"),
        (_I.PM2_5, _A.DAY, "35", "60"),
    ),
)

_LIMITS_2026_FINAL = (
    *_UNCHANGED,
    *_rows(
        (_I.SO2, _A.YEAR, "20", "20"),
        (_I.SO2, _A.DAY, "50", "50"),
        (_I.SO2, _A.HOUR, "150", "150"),
        (_I.NO2, _A.YEAR, "30", "30"),
        (_I.NO2, _A.DAY, "50", "50"),
        (_I.NOX, _A.YEAR, "40", "40"),
        (_I.NOX, _A.DAY, "70", "70"),
        (_I.PM10, _A.YEAR, "20", "50"),
        (_I.PM10, _A.DAY, "50", "100"),
        (_I.PM2_5, _A.YEAR, "10", "25"),
        (_I.PM2_5, _A.DAY, "25", "50"),
    ),
)

LIMIT_TABLES: Mapping[LimitStage, LimitTable] = MappingProxyType(
    {
        LimitStage.GB3095_2012: LimitTable(
            LimitStage.GB3095_2012, "GB 3095-2012 Tables 1-2", _LIMITS_2012
        ),
        LimitStage.GB3095_2012_AMENDED_2018: LimitTable(
            LimitStage.GB3095_2012_AMENDED_2018,
            "GB 3095-2012 Tables 1-2 (2018 amendment: limits unchanged)",
            _LIMITS_2012,
        ),
        LimitStage.GB3095_2026_TRANSITIONAL: LimitTable(
            LimitStage.GB3095_2026_TRANSITIONAL,
            "GB 3095-2026 Table 1 transitional columns, Table 2 notes a-b",
            _LIMITS_2026_TRANSITIONAL,
        ),
        LimitStage.GB3095_2026_FINAL: LimitTable(
            LimitStage.GB3095_2026_FINAL, "GB 3095-2026 Tables 1-2", _LIMITS_2026_FINAL
        ),
    }
)
"""Concentration limits [µg/m³; CO mg/m³] per stage — plain data for scalar and vector code."""


def limit(
    indicator: Indicator, averaging: Averaging, zone_class: ZoneClass, stage: LimitStage
) -> Decimal:
    """Concentration limit [µg/m³; CO mg/m³] (GB 3095-2012 Tables 1-2; GB 3095-2026 Tables 1-2).

    ``averaging`` is the limit's averaging time: O3_8H takes ``DAILY_MAX_8H`` (日最大8小时平均),
    O3_1H and the other 1-hour limits ``HOUR``. Editions: GB 3095-2012 (+ 2018 amendment),
    GB 3095-2026 transitional and final stages.

    Raises:
        KeyError: when the standard sets no limit for that indicator and averaging time.
    """
    for row in LIMIT_TABLES[stage].rows:
        if row.indicator is indicator and row.averaging is averaging:
            return row.class_1 if zone_class is ZoneClass.ONE else row.class_2
    raise KeyError(f"{stage}: no {averaging} limit for {indicator}")


@dataclass(frozen=True, slots=True)
class ValidityRule:
    """Minimum data for a valid statistic (数据统计的有效性规定, GB 3095 Table 4).

    ``minimum`` counts ``counted`` (hourly values, daily values, minutes or hours of sampling)
    within one period of ``averaging``; ``monthly_minimum`` and ``february_minimum`` add the
    per-month condition of the annual and quarterly rows.
    """

    indicators: frozenset[Indicator]
    averaging: Averaging
    minimum: int
    counted: str
    monthly_minimum: int | None = None
    february_minimum: int | None = None


VALIDITY_RULES: tuple[ValidityRule, ...] = (
    ValidityRule(
        frozenset({_I.SO2, _I.NO2, _I.PM10, _I.PM2_5, _I.NOX}),
        _A.YEAR,
        minimum=324,
        counted="daily means",
        monthly_minimum=27,
        february_minimum=25,
    ),
    ValidityRule(
        frozenset({_I.SO2, _I.NO2, _I.CO, _I.PM10, _I.PM2_5, _I.NOX}),
        _A.DAY,
        minimum=20,
        counted="hourly values (or hours of sampling)",
    ),
    ValidityRule(frozenset({_I.O3_8H}), _A.EIGHT_HOURS, minimum=6, counted="hourly values"),
    ValidityRule(
        frozenset({_I.SO2, _I.NO2, _I.CO, _I.O3_1H, _I.NOX}),
        _A.HOUR,
        minimum=45,
        counted="minutes of sampling",
    ),
    ValidityRule(
        frozenset({_I.TSP, _I.BAP, _I.PB}),
        _A.YEAR,
        minimum=60,
        counted="evenly spread daily values",
        monthly_minimum=5,
        february_minimum=5,
    ),
    ValidityRule(
        frozenset({_I.PB}),
        _A.QUARTER,
        minimum=15,
        counted="evenly spread daily values",
        monthly_minimum=5,
        february_minimum=5,
    ),
    ValidityRule(
        frozenset({_I.TSP, _I.BAP, _I.PB}), _A.DAY, minimum=24, counted="hours of sampling"
    ),
)
"""GB 3095-2026 §6 Table 4; GB 3095-2012 Table 4 has the same content (STANDARDS.md §B.3)."""


def validity_rule(indicator: Indicator, averaging: Averaging) -> ValidityRule:
    """Data-validity minimum for ``indicator`` averaged over ``averaging`` (GB 3095 Table 4).

    Units: counts (see :attr:`ValidityRule.counted`). Editions: GB 3095-2012 and GB 3095-2026
    (same table; the 2026 foreword lists no validity change).

    Raises:
        KeyError: when Table 4 has no row for that indicator and averaging time.
    """
    for rule in VALIDITY_RULES:
        if indicator in rule.indicators and rule.averaging is averaging:
            return rule
    raise KeyError(f"GB 3095 Table 4 has no {averaging} validity rule for {indicator}")
