"""Bulk upsert and read of hourly air observations, the fast path of each backend.

SQLite: one ``INSERT … ON CONFLICT DO UPDATE`` statement executed over all rows of a file, in the
order of the clustered key (time first), which appends to the table. PostgreSQL: ``COPY`` into
a temporary table, then one ``INSERT … SELECT … ON CONFLICT DO UPDATE``. Both update a row only
when a value differs, so importing the same file twice changes nothing; a value missing from a
file never erases a stored one.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl
from sqlalchemy import text
from sqlalchemy.engine import Connection

from ecogov.monitoring.air.models import POLLUTANT_COLUMNS

VALUES = tuple(POLLUTANT_COLUMNS.values())
COLUMNS = ("ts", "station_id", *VALUES, "qc")
_SET = ", ".join(f"{c} = COALESCE(excluded.{c}, air_hourly.{c})" for c in VALUES)
_CHANGED = " OR ".join(
    f"(excluded.{c} IS NOT NULL AND excluded.{c} IS DISTINCT FROM air_hourly.{c})" for c in VALUES
)
_QC = "qc = air_hourly.qc | excluded.qc"
_QC_CHANGED = "(air_hourly.qc | excluded.qc) <> air_hourly.qc"


@dataclass(frozen=True)
class UpsertCounts:
    """Rows new to the store, and existing rows whose values changed."""

    inserted: int
    updated: int


def _upsert_sql(source: str) -> str:
    columns = ", ".join(COLUMNS)
    return (
        f"INSERT INTO air_hourly ({columns}) {source} "
        f"ON CONFLICT (ts, station_id) DO UPDATE SET {_SET}, {_QC} "
        f"WHERE {_CHANGED} OR {_QC_CHANGED}"
    )


def _count_range(connection: Connection, first: int, last: int) -> int:
    return int(
        connection.execute(
            text("SELECT count(*) FROM air_hourly WHERE ts BETWEEN :a AND :b"),
            {"a": first, "b": last},
        ).scalar_one()
    )


def upsert_hourly(connection: Connection, rows: pl.DataFrame) -> UpsertCounts:
    """Store ``rows`` (columns ``ts, station_id``, the six pollutants, ``qc``) in one go."""
    if rows.is_empty():
        return UpsertCounts(0, 0)
    rows = rows.select(COLUMNS).sort("ts", "station_id")
    first, last = int(rows["ts"].min()), int(rows["ts"].max())  # type: ignore[arg-type]
    before = _count_range(connection, first, last)
    if connection.dialect.name == "postgresql":
        changed = _upsert_postgres(connection, rows)
    else:
        changed = _upsert_sqlite(connection, rows)
    inserted = _count_range(connection, first, last) - before
    return UpsertCounts(inserted=inserted, updated=changed - inserted)


def _upsert_sqlite(connection: Connection, rows: pl.DataFrame) -> int:
    raw = connection.connection.driver_connection
    assert raw is not None
    before = raw.total_changes
    placeholders = ", ".join("?" * len(COLUMNS))
    raw.executemany(_upsert_sql(f"VALUES ({placeholders})"), rows.iter_rows())
    return int(raw.total_changes - before)


def _upsert_postgres(connection: Connection, rows: pl.DataFrame) -> int:
    raw = connection.connection.driver_connection
    assert raw is not None
    with raw.cursor() as cursor:
        cursor.execute(
            "CREATE TEMP TABLE IF NOT EXISTS air_hourly_stage "
            "(LIKE air_hourly INCLUDING DEFAULTS) ON COMMIT DELETE ROWS"
        )
        cursor.execute("TRUNCATE air_hourly_stage")
        with cursor.copy(f"COPY air_hourly_stage ({', '.join(COLUMNS)}) FROM STDIN") as copy:
            for record in rows.iter_rows():
                copy.write_row(record)
        cursor.execute(_upsert_sql(f"SELECT {', '.join(COLUMNS)} FROM air_hourly_stage"))
        return int(cursor.rowcount)


def read_hourly(
    connection: Connection, station_ids: list[int], first: int, last: int
) -> pl.DataFrame:
    """Stored hours of ``station_ids`` with ``first ≤ ts ≤ last`` [Unix s], as a frame."""
    schema = {
        "ts": pl.Int64,
        "station_id": pl.Int64,
        **dict.fromkeys(VALUES, pl.Float64),
        "qc": pl.Int64,
    }
    if not station_ids:
        return pl.DataFrame(schema=schema)
    result = connection.execute(
        text(
            f"SELECT {', '.join(COLUMNS)} FROM air_hourly "
            "WHERE ts BETWEEN :a AND :b AND station_id IN (SELECT value FROM json_each(:ids))"
            if connection.dialect.name == "sqlite"
            else f"SELECT {', '.join(COLUMNS)} FROM air_hourly "
            "WHERE ts BETWEEN :a AND :b AND station_id = ANY(:ids)"
        ),
        {"a": first, "b": last, "ids": _ids_param(connection, station_ids)},
    )
    return pl.DataFrame(list(result), schema=schema, orient="row")


def _ids_param(connection: Connection, station_ids: list[int]) -> object:
    if connection.dialect.name == "sqlite":
        return "[" + ",".join(str(int(i)) for i in station_ids) + "]"
    return station_ids
