"""Stored station and city daily values (``air_daily``, ``air_city_daily``): computed when
hours are imported, not when a page asks.

Evaluating a province year read a year (and for the change rate the year before) of hourly rows
and ran ``engine.air.daily_values`` on every request (3–4.5 s for the demo's province report,
issue 14 defect 8). Every write of hours therefore recomputes, in its own transaction, the daily
values of the stations and Beijing days it touched (:func:`refresh`), from all the stored hours
of those days, then the city daily values (``engine.air.city_daily_values`` over all the
stations of each city those stations report for, :func:`refresh_cities`) of the same days, each
row with its daily AQI (``engine.air.daily_aqi``, the edition in force on the day). The
evaluation reads them (:func:`read`, :func:`read_cities`) and runs the rest of the engine
(``daily_aqi`` → ``period_statistics``). The values are the engine's, stored exactly
(numerator and denominator), so the results are those computed from the hours.

Incremental: a write recomputes exactly the station-days it touched (:func:`affected`) and the
city-days of their cities, from all the stored rows of those keys, so late or re-imported hours
update exactly the aggregates they change and leave the others alone.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any, Final

import polars as pl
import psycopg
import psycopg.sql
from sqlalchemy import Connection, Table, delete, func, insert, select, text

from ecogov.engine import air as engine
from ecogov.monitoring.air.models import (
    DAILY_COLUMNS,
    POLLUTANT_COLUMNS,
    QC_BIT,
    AirCityDaily,
    AirDaily,
    AirStation,
)
from ecogov.monitoring.air.store import UpsertCounts, copy_out, read_hourly, upsert_hourly
from ecogov.platform.indicators import bump
from ecogov.platform.models import Base
from ecogov.standards.timebase import BEIJING, BEIJING_OFFSET_S

__all__ = [
    "CITY_DAILY",
    "DAILY",
    "affected",
    "city_aqi",
    "day_range",
    "days_of",
    "read",
    "read_cities",
    "rebuild",
    "refresh",
    "refresh_cities",
    "registered",
    "store_hours",
    "wide_hourly",
]

DAILY: Final = Base.metadata.tables[AirDaily.__tablename__]
CITY_DAILY: Final = Base.metadata.tables[AirCityDaily.__tablename__]
AIR_DATA: Final = "air"
"""The source whose version (``ecogov.platform.indicators.source_version``) every write of
hours raises."""
_SUFFIXES: Final = ("num", "den", "n_valid", "n_expected")
_STORED: Final = tuple(
    (f"{indicator}_{suffix}", f"{prefix}_{suffix}")
    for indicator, prefix in DAILY_COLUMNS.items()
    for suffix in _SUFFIXES
)
"""(engine column, table column) of every stored value."""
_VALUE_SCHEMA: Final = {column: pl.Int32 if "_n_" in column else pl.Int64 for _, column in _STORED}
"""Polars schema of the stored values read from ``air_daily`` and ``air_city_daily``."""


def day_range(first: date, last: date) -> tuple[int, int]:
    """The hour-ending stamps [Unix s] of Beijing days ``first``…``last``: day D holds the
    stamps D 01:00 … D+1 00:00."""
    start = datetime(first.year, first.month, first.day, 1, tzinfo=BEIJING)
    end = datetime(last.year, last.month, last.day, tzinfo=BEIJING) + timedelta(days=1)
    return int(start.timestamp()), int(end.timestamp())


def days_of(stamps: pl.Series) -> tuple[date, date]:
    """The first and last Beijing day holding the hour-ending stamps ``stamps`` [Unix s]."""
    days = (stamps - 3600 + BEIJING_OFFSET_S) // 86400
    epoch = date(1970, 1, 1)
    first, last = int(days.min()), int(days.max())  # type: ignore[arg-type]
    return epoch + timedelta(days=first), epoch + timedelta(days=last)


def wide_hourly(rows: pl.DataFrame, codes: pl.DataFrame) -> pl.DataFrame:
    """Stored hours (``store.read_hourly``) as the engine's wide hourly frame: ``station`` (the
    code of ``codes``: ``station_id`` → ``station``), ``time`` hour-ending naive Beijing time and
    the six pollutants, values flagged invalid (``qc`` bit set) dropped."""
    return (
        rows.join(codes, on="station_id")
        .select(
            "station",
            pl.from_epoch(pl.col("ts") + BEIJING_OFFSET_S, time_unit="s").alias("time"),
            *(
                pl.when((pl.col("qc") & QC_BIT[code]) == 0).then(pl.col(column)).alias(code)
                for code, column in POLLUTANT_COLUMNS.items()
            ),
        )
        .sort("station", "time")
    )


def affected(rows: pl.DataFrame) -> tuple[list[int], date, date] | None:
    """The keys a write of hours ``rows`` (``station_id``, ``ts``) changes: its stations and the
    Beijing days from the first to the last it touches (None for no rows)."""
    if rows.is_empty():
        return None
    return sorted(int(i) for i in rows["station_id"].unique()), *days_of(rows["ts"])


def refresh(connection: Connection, station_ids: Sequence[int], first: date, last: date) -> int:
    """Recompute the stored daily values of ``station_ids`` for Beijing days ``first``…``last``
    from their stored hours, then those of their cities (:func:`refresh_cities`), in the
    caller's transaction; how many station-days are stored."""
    ids = sorted({int(i) for i in station_ids})
    if not ids:
        return 0
    columns = DAILY.c
    connection.execute(
        delete(DAILY).where(columns.station_id.in_(ids), columns.day >= first, columns.day <= last)
    )
    start, end = day_range(first, last)
    rows = read_hourly(connection, ids, start, end)
    stored = 0
    if not rows.is_empty():
        codes = pl.DataFrame({"station_id": ids}).with_columns(
            station=pl.col("station_id").cast(str)
        )
        values = engine.daily_values(wide_hourly(rows, codes))
        stored = _insert(connection, DAILY, values, pl.col("station").cast(pl.Int64), "station_id")
    refresh_cities(connection, _cities_of(connection, ids), first, last)
    return stored


def refresh_cities(connection: Connection, cities: Sequence[str], first: date, last: date) -> int:
    """Recompute the stored daily values of ``cities`` for Beijing days ``first``…``last`` from
    the stored daily values of all their stations (HJ 663 city mean), in the caller's
    transaction; how many city-days are stored."""
    codes = sorted(set(cities))
    if not codes:
        return 0
    columns = CITY_DAILY.c
    connection.execute(
        delete(CITY_DAILY).where(
            columns.city_code.in_(codes), columns.day >= first, columns.day <= last
        )
    )
    members = connection.execute(
        select(AirStation.id, AirStation.city_code).where(AirStation.city_code.in_(codes))
    ).all()
    stations = pl.DataFrame(
        [tuple(row) for row in members],
        schema={"station_id": pl.Int64, "city": pl.String},
        orient="row",
    ).with_columns(station=pl.col("station_id").cast(pl.String))
    days = read(connection, stations, first, last)
    if days.is_empty():
        return 0
    values = engine.city_daily_values(days, stations.select("station", "city"))
    return _insert(connection, CITY_DAILY, values, pl.col("city"), "city_code")


def registered(connection: Connection, cities: Sequence[str]) -> int:
    """Recompute every stored day of ``cities`` after stations were added to them (a city's
    value counts its stations, ``<ind>_n_expected``); how many city-days are stored."""
    codes = sorted(set(cities))
    if not codes:
        return 0
    columns = CITY_DAILY.c
    first, last = connection.execute(
        select(func.min(columns.day), func.max(columns.day)).where(columns.city_code.in_(codes))
    ).one()
    return 0 if first is None else refresh_cities(connection, codes, first, last)


def rebuild(connection: Connection, first: date | None = None, last: date | None = None) -> int:
    """Recompute the stored station and city daily values of every station from its stored
    hours, for the Beijing days ``first``…``last`` (default: all days with hours), a calendar
    year at a time (memory: one year of hours), in the caller's transaction: the backfill of an
    existing database, idempotent. How many station-days are stored."""
    ids = [int(i) for i in connection.execute(select(AirStation.id)).scalars()]
    lowest, highest = connection.execute(text("SELECT min(ts), max(ts) FROM air_hourly")).one()
    if not ids or lowest is None:
        return 0
    start, end = days_of(pl.Series([int(lowest), int(highest)]))
    start, end = max(start, first or start), min(end, last or end)
    return sum(
        refresh(connection, ids, max(start, date(year, 1, 1)), min(end, date(year, 12, 31)))
        for year in range(start.year, end.year + 1)
    )


def _insert(
    connection: Connection, table: Table, values: pl.DataFrame, key: pl.Expr, name: str
) -> int:
    """Insert daily values (an engine frame) with their daily AQI into ``table`` (its key column
    ``name`` from ``key``); how many rows."""
    scored = engine.daily_aqi(values)
    stored = scored.select(
        key.alias(name),
        pl.col("date").alias("day"),
        *(pl.col(source).alias(target) for source, target in _STORED),
        pl.col("aqi"),
    )
    connection.execute(insert(table), stored.to_dicts())
    return stored.height


def _cities_of(connection: Connection, station_ids: list[int]) -> list[str]:
    """The cities the stations ``station_ids`` report for."""
    found = connection.execute(
        select(AirStation.city_code).where(AirStation.id.in_(station_ids)).distinct()
    )
    return [str(city) for city in found.scalars()]


def store_hours(connection: Connection, rows: pl.DataFrame) -> UpsertCounts:
    """Store hours (``store.upsert_hourly``) and recompute the daily values of the stations,
    cities and days they touch (:func:`affected`), in the caller's transaction: the one way
    hours are written. Raises the version of the air data (stored indicator values and cached
    evaluations key on it)."""
    counts = upsert_hourly(connection, rows)
    bump(connection, AIR_DATA)
    keys = affected(rows)
    if keys is not None:
        refresh(connection, *keys)
    return counts


def _engine_frame(rows: pl.DataFrame, key: str) -> pl.DataFrame:
    """Stored rows (``key``, ``day``, the stored values) as the engine's daily-values frame."""
    values = [
        expression
        for indicator, prefix in DAILY_COLUMNS.items()
        for expression in (
            engine.exact_value(pl.col(f"{prefix}_num"), pl.col(f"{prefix}_den")).alias(indicator),
            *(pl.col(f"{prefix}_{suffix}").alias(f"{indicator}_{suffix}") for suffix in _SUFFIXES),
        )
    ]
    return rows.select(key, pl.col("day").alias("date"), *values).sort(key, "date")


def read(connection: Connection, codes: pl.DataFrame, first: date, last: date) -> pl.DataFrame:
    """The stored daily values of the stations of ``codes`` (``station_id`` → ``station``) for
    Beijing days ``first``…``last``, as ``engine.air.daily_values`` returns them (empty frame
    without any)."""
    ids = [int(i) for i in codes["station_id"].to_list()]
    rows = _rows(connection, "air_daily", "station_id", ids, first, last)
    if rows.is_empty():
        return pl.DataFrame()
    joined = rows.join(codes.select("station_id", "station"), on="station_id")
    return _engine_frame(joined, "station")


def read_cities(
    connection: Connection, cities: Sequence[str], first: date, last: date
) -> pl.DataFrame:
    """The stored daily values of ``cities`` for Beijing days ``first``…``last``, as
    ``engine.air.city_daily_values`` returns them over all their stations (empty frame without
    any)."""
    rows = _rows(connection, "air_city_daily", "city_code", sorted(set(cities)), first, last)
    if rows.is_empty():
        return pl.DataFrame()
    return _engine_frame(rows.rename({"city_code": "city"}), "city")


def city_aqi(connection: Connection, city: str, first: date, last: date) -> dict[date, int]:
    """The stored daily AQI of ``city`` for the days ``first``…``last`` that have one."""
    columns = CITY_DAILY.c
    found = connection.execute(
        select(columns.day, columns.aqi).where(
            columns.city_code == city,
            columns.day >= first,
            columns.day <= last,
            columns.aqi.is_not(None),
        )
    )
    return {day: int(aqi) for day, aqi in found}


_KEY_TYPES: Final = {"station_id": (pl.Int64, "integer"), "city_code": (pl.String, "varchar")}
"""Polars and PostgreSQL type of each key column of the stored daily tables."""


def _rows(
    connection: Connection,
    table: str,
    key: str,
    keys: Sequence[int | str],
    first: date,
    last: date,
) -> pl.DataFrame:
    """The rows of ``table`` whose ``key`` is one of ``keys`` and days ``first``…``last``, as a
    frame: PostgreSQL through ``COPY … TO STDOUT``, SQLite as plain tuples (no per-row Python
    objects)."""
    polars_type, sql_type = _KEY_TYPES[key]
    schema = {key: polars_type, "day": pl.Date, **_VALUE_SCHEMA}
    if not keys:
        return pl.DataFrame(schema=schema)
    select_sql = f"SELECT {key}, day, {', '.join(column for _, column in _STORED)} FROM {table}"
    raw: Any = connection.connection.driver_connection
    if isinstance(raw, psycopg.Connection):
        where = f"day BETWEEN {{a}} AND {{b}} AND {key} = ANY({{keys}}::{sql_type}[])"
        query = psycopg.sql.SQL(f"{select_sql} WHERE {where}").format(
            a=psycopg.sql.Literal(first),
            b=psycopg.sql.Literal(last),
            keys=psycopg.sql.Literal(list(keys)),
        )
        return copy_out(raw, query, schema)
    assert isinstance(raw, sqlite3.Connection)
    where = f"day BETWEEN :a AND :b AND {key} IN (SELECT value FROM json_each(:keys))"
    sql = f"{select_sql} WHERE {where}"
    params = {"a": first.isoformat(), "b": last.isoformat(), "keys": json.dumps(list(keys))}
    rows = raw.execute(sql, params).fetchall()
    frame = pl.DataFrame(rows, schema={**schema, "day": pl.String}, orient="row")
    return frame.with_columns(pl.col("day").str.to_date())
