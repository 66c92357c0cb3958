"""Period evaluation of stored air data: station and city statistics, attainment, ranking.

Reads the station or city daily values stored at import for a period (and, for cities, the
period before, for the change rate), runs the rest of the engine (``daily_aqi`` →
``period_statistics`` → ``change_and_rank``) and returns the evaluation table of
``ecogov air evaluate``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any, Final, Literal

import polars as pl
from sqlalchemy import Connection, Row, or_, select

from ecogov.engine import air as engine
from ecogov.monitoring.air import alerts as air_alerts
from ecogov.monitoring.air import daily
from ecogov.monitoring.air.access import OBSERVATIONS
from ecogov.monitoring.air.models import AirStation
from ecogov.monitoring.air.store import read_hourly
from ecogov.platform import periods
from ecogov.platform.cache import TimedCache
from ecogov.platform.db import Database
from ecogov.platform.errors import InputError
from ecogov.platform.i18n import Catalogue, both, register
from ecogov.platform.indicators import source_version
from ecogov.platform.periods import Period
from ecogov.platform.permissions import authorize, scoped_read
from ecogov.platform.scope import Principal, region_prefix
from ecogov.regions.models import Region
from ecogov.standards.editions import Edition
from ecogov.standards.hj633 import LEVELS
from ecogov.standards.periods import ASSESSMENT_KINDS

ERRORS: Final[Catalogue] = {
    "air.error.edition": (
        "标准版本 {edition!r} 应为 2012、2026 或 auto",
        "edition {edition!r} is not 2012, 2026 or auto",
    ),
}
register(ERRORS)

Grouping = Literal["station", "city"]
ITEMS = {"SO2": "so2", "NO2": "no2", "CO": "co", "O3_8H": "o3_8h", "PM10": "pm10", "PM2.5": "pm25"}
"""Assessment items (HJ 663) → column prefix in the evaluation table."""
LEVEL_NUMBERS: Final = tuple(level.number for level in LEVELS[Edition.E2026])
"""The six AQI levels (HJ 633; numbered alike in both editions): ``level_<n>_days`` columns."""


def parse_period(text: str) -> Period:
    """A single year (``2015``), quarter (``2015Q3``/``2015-Q3``) or month (``2015-07``): the
    periods HJ 663 assesses. InputError, in zh-CN and English, for anything else."""
    return periods.parse_period(text, ASSESSMENT_KINDS, allow_range=False)


def visible_stations(db: Database, principal: Principal, region: str | None) -> pl.DataFrame:
    """Visible stations (within ``region``) with their city, county (region code) and names."""
    with db.transaction(principal) as session:
        stmt = select(
            AirStation.id,
            AirStation.code,
            AirStation.name,
            AirStation.city_code,
            Region.name,
            AirStation.region_code,
        ).join(Region, Region.code == AirStation.city_code)
        if region:
            prefix = region_prefix(region)
            stmt = stmt.where(
                AirStation.region_code.startswith(prefix) | AirStation.city_code.startswith(prefix)
            )
        rows = session.execute(stmt.order_by(AirStation.code)).all()
    return _station_frame(rows)


def _station_frame(rows: Sequence[Row[Any] | tuple[Any, ...]]) -> pl.DataFrame:
    """Station rows (id, code, name, city, city name, county) as the stations frame."""
    return pl.DataFrame(
        [tuple(row) for row in rows],
        schema={
            "station_id": pl.Int64,
            "station": pl.String,
            "station_name": pl.String,
            "city": pl.String,
            "city_name": pl.String,
            "county": pl.String,
        },
        orient="row",
    )


def hourly_frame(
    db: Database, principal: Principal, stations: pl.DataFrame, first: date, last: date
) -> pl.DataFrame:
    """The engine's wide hourly frame of ``stations`` for Beijing days ``first``…``last``.

    Hour-ending labels: day D holds the stamps D 01:00 … D+1 00:00. Values flagged invalid
    (``qc`` bit set) are dropped. Read in bulk through the permission table's scoped path
    (observations are public data: every logged-in role reads them).
    """
    start, end = daily.day_range(first, last)
    with scoped_read(db, principal, OBSERVATIONS) as read:
        rows = read_hourly(read.connection, stations["station_id"].to_list(), start, end)
    return daily.wide_hourly(rows, stations.select("station_id", "station"))


_stored_days: TimedCache[tuple[str, str, int, tuple[Any, ...], date, date], pl.DataFrame] = (
    TimedCache(30.0, max_entries=8)
)


def clear_daily_cache() -> None:
    """Forget cached station and city daily values (after an import)."""
    _stored_days.clear()


def _cached_days(
    db: Database,
    principal: Principal,
    kind: str,
    keys: tuple[Any, ...],
    first: date,
    last: date,
    reader: Callable[[Connection], pl.DataFrame],
) -> pl.DataFrame:
    """Stored daily values read by ``reader`` through the permission table's scoped path for
    observations, reused for 30 s while no hours were written since, by any process (the
    principal's right to read observations is checked before the cache)."""
    authorize(principal, "read", OBSERVATIONS)

    def stored() -> pl.DataFrame:
        with scoped_read(db, principal, OBSERVATIONS) as read:
            return reader(read.connection)

    key = (db.url, kind, source_version(db, daily.AIR_DATA), keys, first, last)
    return _stored_days.get(key, stored)


def station_daily_values(
    db: Database, principal: Principal, stations: pl.DataFrame, first: date, last: date
) -> pl.DataFrame:
    """Daily values (``engine.daily_values``) of ``stations`` for days ``first``…``last``, empty
    without data: the values stored at import (:mod:`ecogov.monitoring.air.daily`). Reused for
    30 s (:func:`_cached_days`): a page's evaluations by station and by city read them once."""
    codes = stations.select("station_id", "station")
    ids = tuple(stations["station_id"].to_list())
    return _cached_days(
        db, principal, "station", ids, first, last, lambda c: daily.read(c, codes, first, last)
    )


def city_daily_values(
    db: Database, principal: Principal, cities: Sequence[str], first: date, last: date
) -> pl.DataFrame:
    """City daily values (``engine.city_daily_values`` over all the stations of each city) of
    ``cities`` for days ``first``…``last``, empty without data: the values stored at import.
    Reused for 30 s like :func:`station_daily_values`."""
    codes = tuple(sorted(set(cities)))
    return _cached_days(
        db,
        principal,
        "city",
        codes,
        first,
        last,
        lambda c: daily.read_cities(c, codes, first, last),
    )


def _statistics(
    db: Database,
    principal: Principal,
    stations: pl.DataFrame,
    spec: Period,
    by: Grouping,
    edition: str,
) -> pl.DataFrame:
    days = (
        city_daily_values(db, principal, stations["city"].unique().to_list(), spec.first, spec.last)
        if by == "city"
        else station_daily_values(db, principal, stations, spec.first, spec.last)
    )
    if days.is_empty():
        return pl.DataFrame()
    choice: engine.EditionChoice = "auto" if edition == "auto" else Edition(edition)
    return engine.period_statistics(engine.daily_aqi(days, choice), spec.assessment_kind)


def evaluate(
    db: Database,
    principal: Principal,
    period: str,
    by: Grouping,
    region: str | None = None,
    edition: str = "auto",
    *,
    with_change: bool = True,
) -> pl.DataFrame:
    """Evaluation table of a period by station or city (with rank and change rate for cities;
    ``with_change=False`` skips the previous period, leaving the change rate empty).

    Columns: key and name, ``valid_days`` (days with a daily AQI), ``days_expected``,
    ``good_days``, ``good_day_ratio`` [%], ``pm25_mean``, ``pm10_mean``, ``so2_mean``,
    ``no2_mean`` [µg/m³], ``co_p95`` [mg/m³], ``o3_8h_p90`` [µg/m³], ``heavy_days``,
    ``composite_index``, ``attained``, per item ``<item>_days`` and ``<item>_attained``,
    ``level_1_days`` … ``level_6_days`` (days per AQI level) and ``composite_primary`` (the
    items of the largest single index, 环办监测〔2018〕19号);
    for cities ``rank``, ``previous_index`` and ``change_rate`` [%].
    """
    spec = parse_period(period)
    if edition not in ("2012", "2026", "auto"):
        raise InputError(both("air.error.edition", edition=edition))
    stations = visible_stations(db, principal, region)
    if by == "city":
        return _city_table(db, principal, stations, spec, edition, with_change=with_change)
    current = _statistics(db, principal, stations, spec, by, edition)
    if current.is_empty():
        return current
    table = _table(current, stations, by)
    air_alerts.publish(db, principal, table, stations, by, (spec.first, spec.last, spec.label))
    return table


def official_stations(db: Database, principal: Principal, cities: list[str]) -> pl.DataFrame:
    """Every station of the provinces of ``cities`` (columns as :func:`visible_stations`).

    A city's figures and its rank among the cities of its province are official figures: they
    are computed from all the stations of the city and ranked among all the cities of the
    province, whoever looks (a county officer and the province see the same composite index and
    rank). Read through the permission table's scoped path for observations.
    """
    prefixes = sorted({city[:2] for city in cities})
    if not prefixes:
        return visible_stations(db, principal, None).clear()
    with scoped_read(db, principal, OBSERVATIONS) as read:
        rows = read.connection.execute(
            select(
                AirStation.id,
                AirStation.code,
                AirStation.name,
                AirStation.city_code,
                Region.name,
                AirStation.region_code,
            )
            .join(Region, Region.code == AirStation.city_code)
            .where(or_(*(AirStation.city_code.startswith(prefix) for prefix in prefixes)))
            .order_by(AirStation.code)
        ).all()
    return _station_frame(rows)


def city_daily_aqi(
    db: Database, principal: Principal, city: str, first: date, last: date
) -> dict[date, int]:
    """The official daily AQI of ``city`` (its stations' daily values averaged per HJ 663,
    scored per HJ 633 by the edition of each day: stored at import) for the days
    ``first``…``last`` that have one."""
    authorize(principal, "read", OBSERVATIONS)
    with scoped_read(db, principal, OBSERVATIONS) as read:
        return daily.city_aqi(read.connection, city, first, last)


def _city_table(
    db: Database,
    principal: Principal,
    opened: pl.DataFrame,
    spec: Period,
    edition: str,
    *,
    with_change: bool,
) -> pl.DataFrame:
    """The official table of the cities the opened stations report for (see
    :func:`official_stations`), with each city's rank among the cities of its province."""
    cities = opened["city"].unique().to_list()
    stations = official_stations(db, principal, cities)
    current = _statistics(db, principal, stations, spec, "city", edition)
    if current.is_empty():
        return current
    previous = (
        _statistics(db, principal, stations, spec.previous, "city", edition)
        if with_change
        else pl.DataFrame()
    )
    ranked = engine.change_and_rank(current, None if previous.is_empty() else previous)
    table = _table(ranked.filter(pl.col("city").is_in(cities)), stations, "city")
    period = (spec.first, spec.last, spec.label)
    air_alerts.publish(db, principal, table, stations, "city", period)
    return table


def _table(stats: pl.DataFrame, stations: pl.DataFrame, by: Grouping) -> pl.DataFrame:
    names = (
        stations.select("city", "city_name").unique()
        if by == "city"
        else stations.select("station", "station_name")
    )
    key = by
    columns = [
        pl.col(key),
        pl.col(f"{key}_name").alias("name"),
        pl.col("aqi_days").alias("valid_days"),
        pl.col("days_expected"),
        pl.col("good_days"),
        pl.col("good_ratio").alias("good_day_ratio"),
        pl.col("PM2.5_mean").alias("pm25_mean"),
        pl.col("PM10_mean").alias("pm10_mean"),
        pl.col("SO2_mean").alias("so2_mean"),
        pl.col("NO2_mean").alias("no2_mean"),
        pl.col("CO_p95").alias("co_p95"),
        pl.col("O3_8H_p90").alias("o3_8h_p90"),
        pl.col("heavy_days"),
        pl.col("composite_index"),
        pl.col("attains").alias("attained"),
        *(pl.col(f"{item}_days").alias(f"{prefix}_days") for item, prefix in ITEMS.items()),
        *(pl.col(f"{item}_attains").alias(f"{prefix}_attained") for item, prefix in ITEMS.items()),
        *(pl.col(f"level_{number}_days") for number in LEVEL_NUMBERS),
        pl.col("composite_primary"),
    ]
    if by == "city":
        columns += [
            pl.col("rank"),
            *(
                pl.col(name) if name in stats.columns else pl.lit(None, pl.Float64).alias(name)
                for name in ("previous_index", "change_rate")
            ),
        ]
    joined = stats.join(names, on=key, how="left")
    ordered = joined.sort("rank", key) if by == "city" else joined.sort(key)
    return ordered.select(columns)
