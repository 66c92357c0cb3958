"""Stored station daily values (``air_daily``): computed when hours are imported, not when a
page asks.

Evaluating a province year read a year (and for the change rate the year before) of hourly rows
and ran ``engine.air.daily_values`` on every request (3–4.5 s for the demo's province report,
issue 14 defect 8). Every write of hours therefore recomputes, in its own transaction, the daily
values of the stations and Beijing days it touched (:func:`refresh`), from all the stored hours
of those days; the evaluation reads them (:func:`read`) and runs the rest of the engine
(``city_daily_values`` → ``daily_aqi`` → ``period_statistics``). The values are the engine's,
stored exactly (numerator and denominator), so the results are those computed from the hours.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any, Final

import polars as pl
import psycopg
import psycopg.sql
from sqlalchemy import Connection, delete, insert

from ecogov.engine import air as engine
from ecogov.monitoring.air.models import DAILY_COLUMNS, POLLUTANT_COLUMNS, QC_BIT, AirDaily
from ecogov.monitoring.air.store import UpsertCounts, copy_out, read_hourly, upsert_hourly
from ecogov.platform.indicators import bump
from ecogov.platform.models import Base
from ecogov.standards.timebase import BEIJING, BEIJING_OFFSET_S

__all__ = ["DAILY", "day_range", "days_of", "read", "refresh", "store_hours", "wide_hourly"]

DAILY: Final = Base.metadata.tables[AirDaily.__tablename__]
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
_SCHEMA: Final = {
    "station_id": pl.Int64,
    "day": pl.Date,
    **{column: pl.Int32 if "_n_" in column else pl.Int64 for _, column in _STORED},
}
"""Polars schema of the rows read from ``air_daily``."""


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


def refresh(connection: Connection, station_ids: Sequence[int], first: date, last: date) -> int:
    """Recompute the stored daily values of ``station_ids`` for Beijing days ``first``…``last``
    from their stored hours, in the caller's transaction; how many station-days are stored."""
    ids = sorted({int(i) for i in station_ids})
    if not ids:
        return 0
    columns = DAILY.c
    connection.execute(
        delete(DAILY).where(columns.station_id.in_(ids), columns.day >= first, columns.day <= last)
    )
    start, end = day_range(first, last)
    rows = read_hourly(connection, ids, start, end)
    if rows.is_empty():
        return 0
    codes = pl.DataFrame({"station_id": ids}).with_columns(station=pl.col("station_id").cast(str))
    daily = engine.daily_values(wide_hourly(rows, codes))
    stored = daily.select(
        pl.col("station").cast(pl.Int64).alias("station_id"),
        pl.col("date").alias("day"),
        *(pl.col(source).alias(target) for source, target in _STORED),
    )
    connection.execute(insert(DAILY), stored.to_dicts())
    return stored.height


def store_hours(connection: Connection, rows: pl.DataFrame) -> UpsertCounts:
    """Store hours (``store.upsert_hourly``) and recompute the daily values of the stations and
    days they touch, in the caller's transaction: the one way hours are written. Raises the
    version of the air data (stored indicator values and cached evaluations key on it)."""
    counts = upsert_hourly(connection, rows)
    bump(connection, AIR_DATA)
    if not rows.is_empty():
        refresh(connection, rows["station_id"].unique().to_list(), *days_of(rows["ts"]))
    return counts


def read(connection: Connection, codes: pl.DataFrame, first: date, last: date) -> pl.DataFrame:
    """The stored daily values of the stations of ``codes`` (``station_id`` → ``station``) for
    Beijing days ``first``…``last``, as ``engine.air.daily_values`` returns them (empty frame
    without any)."""
    ids = [int(i) for i in codes["station_id"].to_list()]
    if not ids:
        return pl.DataFrame()
    rows = _rows(connection, ids, first, last)
    if rows.is_empty():
        return pl.DataFrame()
    values = [
        expression
        for indicator, prefix in DAILY_COLUMNS.items()
        for expression in (
            (pl.col(f"{prefix}_num") / pl.col(f"{prefix}_den")).alias(indicator),
            *(pl.col(f"{prefix}_{suffix}").alias(f"{indicator}_{suffix}") for suffix in _SUFFIXES),
        )
    ]
    return (
        rows.join(codes.select("station_id", "station"), on="station_id")
        .select("station", pl.col("day").alias("date"), *values)
        .sort("station", "date")
    )


_SELECT = f"SELECT station_id, day, {', '.join(column for _, column in _STORED)} FROM air_daily"
_SQLITE = (
    f"{_SELECT} WHERE day BETWEEN :a AND :b AND station_id IN (SELECT value FROM json_each(:ids))"
)
_POSTGRES = f"{_SELECT} WHERE day BETWEEN {{a}} AND {{b}} AND station_id = ANY({{ids}}::integer[])"


def _rows(connection: Connection, ids: list[int], first: date, last: date) -> pl.DataFrame:
    """The ``air_daily`` rows of ``ids`` and days ``first``…``last`` as a frame: PostgreSQL
    through ``COPY … TO STDOUT``, SQLite as plain tuples (no per-row Python objects)."""
    raw: Any = connection.connection.driver_connection
    if isinstance(raw, psycopg.Connection):
        query = psycopg.sql.SQL(_POSTGRES).format(
            a=psycopg.sql.Literal(first), b=psycopg.sql.Literal(last), ids=psycopg.sql.Literal(ids)
        )
        return copy_out(raw, query, _SCHEMA)
    assert isinstance(raw, sqlite3.Connection)
    params = {
        "a": first.isoformat(),
        "b": last.isoformat(),
        "ids": "[" + ",".join(map(str, ids)) + "]",
    }
    rows = raw.execute(_SQLITE, params).fetchall()
    frame = pl.DataFrame(rows, schema={**_SCHEMA, "day": pl.String}, orient="row")
    return frame.with_columns(pl.col("day").str.to_date())
