"""Air indicators that plan targets bind to (``air.*``), computed from the store by the engine.

A region's value for a year: for a city (or municipality) its HJ 663 city statistics; for a
province the mean over its cities (设区城市平均), as provincial reports state it; for a county the
mean over its stations. The current year gives the year-to-date value (``partial``).
Values are stored per data version (:mod:`ecogov.platform.indicators`); evaluations are cached
for a short time per (database, region, year, data version) so that the several air indicators
of one region share one computation; an import in this process clears the cache.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import polars as pl

from ecogov.monitoring.air.daily import AIR_DATA
from ecogov.monitoring.air.evaluation import (
    Grouping,
    clear_daily_cache,
    evaluate,
    visible_stations,
)
from ecogov.monitoring.air.maplayers import annual_classes
from ecogov.platform import clock
from ecogov.platform.cache import TimedCache
from ecogov.platform.db import Database
from ecogov.platform.indicators import (
    Aggregation,
    Compute,
    Indicator,
    IndicatorValue,
    source_version,
)
from ecogov.platform.scope import SYSTEM, region_prefix
from ecogov.regions.service import MUNICIPALITIES
from ecogov.standards.editions import limit_stage_for
from ecogov.standards.gb3095 import Averaging, ZoneClass, limit
from ecogov.standards.gb3095 import Indicator as Pollutant

CACHE_SECONDS = 30.0
_evaluations: TimedCache[tuple[str, str, int, str, int], pl.DataFrame] = TimedCache(CACHE_SECONDS)


def data_version(db: Database) -> int:
    """The version of the air data: raised by every write of hours (``daily.store_hours``),
    whichever process made it."""
    return source_version(db, AIR_DATA)


def clear_cache() -> None:
    """Forget cached evaluations and station daily values (after an import)."""
    _evaluations.clear()
    clear_daily_cache()


def _evaluation(db: Database, region: str, year: int, by: str) -> pl.DataFrame:
    grouping: Grouping = "city" if by == "city" else "station"
    return _evaluations.get(
        (db.url, region, year, by, data_version(db)),
        lambda: evaluate(db, SYSTEM, str(year), grouping, region, with_change=False),
    )


def _level(region: str) -> str:
    prefix = region_prefix(region)
    if len(prefix) == 2 and region not in MUNICIPALITIES:
        return "province"
    return "county" if len(prefix) == 6 else "city"


@dataclass(frozen=True)
class _Aggregate:
    value: float
    valid: int
    expected: int


def _region_value(db: Database, region: str, year: int, column: str) -> _Aggregate | None:
    """The region's value of an evaluation column (mean over cities/stations where needed)."""
    level = _level(region)
    table = _evaluation(db, region, year, "station" if level == "county" else "city")
    if level == "city":
        table = table.filter(pl.col("city") == region) if "city" in table.columns else table
    values = table.get_column(column).drop_nulls() if column in table.columns else pl.Series()
    if values.is_empty():
        return None
    return _Aggregate(
        value=round(float(values.mean()), 1),  # type: ignore[arg-type]
        valid=int(table["valid_days"].sum()),
        expected=int(table["days_expected"].sum()),
    )


def _to_value(aggregate: _Aggregate | None, year: int) -> IndicatorValue | None:
    if aggregate is None:
        return None
    today = clock.today()
    partial = year == today.year
    elapsed = (today - date(year, 1, 1)).days / (date(year, 12, 31) - date(year, 1, 1)).days
    return IndicatorValue(
        value=aggregate.value,
        year=year,
        partial=partial,
        elapsed_fraction=min(1.0, elapsed) if partial else 1.0,
        expected=aggregate.expected,
        valid=aggregate.valid,
    )


def _column_indicator(column: str) -> Compute:
    """An indicator computed as the region's value of one evaluation column."""

    def compute(db: Database, region: str, year: int) -> IndicatorValue | None:
        return _to_value(_region_value(db, region, year, column), year)

    return compute


def county_pm25_attainment_share(db: Database, region: str, year: int) -> IndicatorValue | None:
    """Share [%] of the region's counties whose PM2.5 annual mean meets the GB 3095 class-2
    annual limit of the year's stage (mean of each county's stations)."""
    stations = _evaluation(db, region, year, "station")
    if stations.is_empty():
        return None
    counties = visible_stations(db, SYSTEM, region).select("station", "county")
    means = (
        stations.join(counties, on="station")
        .group_by("county")
        .agg(pl.col("pm25_mean").mean())
        .drop_nulls()
    )
    if means.is_empty():
        return None
    stage = limit_stage_for(date(year, 12, 31))
    annual = float(limit(Pollutant.PM2_5, Averaging.YEAR, ZoneClass.TWO, stage))
    share = 100.0 * means.filter(pl.col("pm25_mean") <= annual).height / means.height
    aggregate = _Aggregate(
        round(share, 1), int(stations["valid_days"].sum()), int(stations["days_expected"].sum())
    )
    return _to_value(aggregate, year)


def city_rank(db: Database, region: str, year: int) -> IndicatorValue | None:
    """A city's rank among the cities of its province by composite index (1 = cleanest)."""
    if _level(region) != "city":
        return None
    province = region[:2] + "0000" if region not in MUNICIPALITIES else region
    table = _evaluation(db, province, year, "city").filter(pl.col("city") == region)
    if table.is_empty() or table["rank"][0] is None:
        return None
    aggregate = _Aggregate(
        float(table["rank"][0]), int(table["valid_days"][0]), int(table["days_expected"][0])
    )
    return _to_value(aggregate, year)


INDICATORS = (
    Indicator(
        "air.pm25_annual_mean",
        "PM2.5年均浓度",
        "PM2.5 annual mean",
        "µg/m³",
        higher_is_better=False,
        compute=_column_indicator("pm25_mean"),
        version=data_version,
        scale=annual_classes(Pollutant.PM2_5, "PM2.5年均浓度"),
    ),
    Indicator(
        "air.pm10_annual_mean",
        "PM10年均浓度",
        "PM10 annual mean",
        "µg/m³",
        higher_is_better=False,
        compute=_column_indicator("pm10_mean"),
        version=data_version,
        scale=annual_classes(Pollutant.PM10, "PM10年均浓度"),
    ),
    Indicator(
        "air.good_day_ratio",
        "空气质量优良天数比例",
        "Good-air day ratio",
        "%",
        higher_is_better=True,
        compute=_column_indicator("good_day_ratio"),
        version=data_version,
    ),
    Indicator(
        "air.heavy_pollution_days",
        "重污染天数",
        "Heavy-pollution days",
        "天",
        higher_is_better=False,
        aggregation=Aggregation.COUNT,
        compute=_column_indicator("heavy_days"),
        version=data_version,
    ),
    Indicator(
        "air.county_pm25_attainment_share",
        "县级城市PM2.5达标比例",
        "Share of counties meeting PM2.5",
        "%",
        higher_is_better=True,
        compute=county_pm25_attainment_share,
        version=data_version,
    ),
    Indicator(
        "air.city_rank",
        "城市空气质量排名",
        "City air-quality rank",
        "名",
        higher_is_better=False,
        compute=city_rank,
        version=data_version,
    ),
)
"""The air indicators the air domain declares."""
