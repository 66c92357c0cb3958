"""Bulk upsert and read of hourly air observations, the fast path of each backend.

SQLite: one ``INSERT … ON CONFLICT DO UPDATE`` statement executed over all rows of a file, in the
order of the clustered key (time first), which appends to the table. PostgreSQL: when nothing is
stored yet in the file's time range (the usual case: new hours), ``COPY`` straight into the
table; otherwise ``COPY`` into a temporary table, then one ``INSERT … SELECT … ON CONFLICT DO
UPDATE``. Both update a row only when a value differs, so importing the same file twice changes
nothing; a value missing from a file never erases a stored one.
"""

from __future__ import annotations

import io
import sqlite3
from dataclasses import dataclass
from typing import Any

import polars as pl
import psycopg
import psycopg.sql
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
    postgres = connection.dialect.name == "postgresql"
    if postgres and before == 0 and _copy_new(connection, rows):
        return UpsertCounts(inserted=rows.height, updated=0)
    changed = _upsert_postgres(connection, rows) if postgres else _upsert_sqlite(connection, rows)
    inserted = _count_range(connection, first, last) - before
    return UpsertCounts(inserted=inserted, updated=changed - inserted)


def _upsert_sqlite(connection: Connection, rows: pl.DataFrame) -> int:
    raw = connection.connection.driver_connection
    assert raw is not None
    before = raw.total_changes
    placeholders = ", ".join("?" * len(COLUMNS))
    raw.executemany(_upsert_sql(f"VALUES ({placeholders})"), rows.iter_rows())
    return int(raw.total_changes - before)


def _copy_csv(cursor: psycopg.Cursor[Any], table: str, rows: pl.DataFrame) -> None:
    """``COPY`` the frame into ``table`` as CSV (an empty field is NULL)."""
    with cursor.copy(f"COPY {table} ({', '.join(COLUMNS)}) FROM STDIN (FORMAT csv)") as copy:
        copy.write(rows.write_csv(include_header=False))


def _copy_new(connection: Connection, rows: pl.DataFrame) -> bool:
    """``COPY`` new hours straight into ``air_hourly``; False (and nothing written) when another
    transaction stored one of them meanwhile, and the merge has to decide."""
    raw = connection.connection.driver_connection
    assert isinstance(raw, psycopg.Connection)
    with raw.cursor() as cursor:
        cursor.execute("SAVEPOINT air_hourly_copy")
        try:
            _copy_csv(cursor, "air_hourly", rows)
        except psycopg.errors.UniqueViolation:
            cursor.execute("ROLLBACK TO SAVEPOINT air_hourly_copy")
            return False
        cursor.execute("RELEASE SAVEPOINT air_hourly_copy")
    return True


def _upsert_postgres(connection: Connection, rows: pl.DataFrame) -> int:
    raw = connection.connection.driver_connection
    assert isinstance(raw, psycopg.Connection)
    with raw.cursor() as cursor:
        cursor.execute(
            "CREATE TEMP TABLE IF NOT EXISTS air_hourly_stage "
            "(LIKE air_hourly INCLUDING DEFAULTS) ON COMMIT DELETE ROWS"
        )
        cursor.execute("TRUNCATE air_hourly_stage")
        _copy_csv(cursor, "air_hourly_stage", rows)
        cursor.execute(_upsert_sql(f"SELECT {', '.join(COLUMNS)} FROM air_hourly_stage"))
        return int(cursor.rowcount)


LOOKUP_FACTOR = 6
"""A key lookup costs about this many rows of a range scan: reading fewer than 1/LOOKUP_FACTOR of
all stations goes hour by hour through the key, more scans the time range."""


SCHEMA = {
    "ts": pl.Int64,
    "station_id": pl.Int64,
    **dict.fromkeys(VALUES, pl.Float64),
    "qc": pl.Int64,
}
"""Polars schema of :func:`read_hourly`'s frame."""


def read_hourly(
    connection: Connection, station_ids: list[int], first: int, last: int
) -> pl.DataFrame:
    """Stored hours of ``station_ids`` with ``first ≤ ts ≤ last`` [Unix s], as a frame.

    The table is clustered by ``(ts, station_id)`` with no second index. A few stations are read
    by looking up each of their hours in the key (a station-year is 8,760 lookups); many stations
    by scanning the time range and keeping theirs. Rows travel without per-row Python objects
    where the driver allows: PostgreSQL ``COPY … TO STDOUT`` as CSV, SQLite plain tuples.
    """
    if not station_ids or last < first:
        return pl.DataFrame(schema=SCHEMA)
    lookup = len(station_ids) * LOOKUP_FACTOR < _station_count(connection)
    start = -(-first // 3600) * 3600  # stored times are whole hours
    raw = connection.connection.driver_connection
    if isinstance(raw, psycopg.Connection):
        query = psycopg.sql.SQL(_POSTGRES_LOOKUP if lookup else _POSTGRES_SCAN).format(
            a=start, b=last, ids=psycopg.sql.Literal([int(i) for i in station_ids])
        )
        return copy_out(raw, query, SCHEMA)
    assert isinstance(raw, sqlite3.Connection)
    ids = "[" + ",".join(str(int(i)) for i in station_ids) + "]"
    params = {"a": start, "b": last, "ids": ids}
    rows = raw.execute(_SQLITE_LOOKUP if lookup else _SQLITE_SCAN, params).fetchall()
    return pl.DataFrame(rows, schema=SCHEMA, orient="row")


def copy_out(
    raw: psycopg.Connection[Any], query: psycopg.sql.Composed, schema: dict[str, Any]
) -> pl.DataFrame:
    """The rows of ``query`` (columns as ``schema``) through ``COPY … TO STDOUT`` in CSV, read
    by Polars."""
    buffer = io.BytesIO()
    with raw.cursor() as cursor:
        copy_sql = psycopg.sql.SQL("COPY ({}) TO STDOUT (FORMAT csv)").format(query)
        with cursor.copy(copy_sql) as copy:
            for chunk in copy:
                buffer.write(chunk)
    if not buffer.tell():
        return pl.DataFrame(schema=schema)
    buffer.seek(0)
    return pl.read_csv(buffer, has_header=False, new_columns=list(schema), schema=schema)


def _station_count(connection: Connection) -> int:
    return int(connection.execute(text("SELECT count(*) FROM air_station")).scalar_one())


_SELECT = f"SELECT {', '.join(f'h.{c}' for c in COLUMNS)}"
_SQLITE_SCAN = (
    f"{_SELECT} FROM air_hourly AS h "
    "WHERE h.ts BETWEEN :a AND :b AND h.station_id IN (SELECT value FROM json_each(:ids))"
)
_SQLITE_LOOKUP = (
    "WITH RECURSIVE hour(ts) AS (SELECT :a UNION ALL SELECT ts + 3600 FROM hour WHERE ts < :b) "
    f"{_SELECT} FROM hour CROSS JOIN json_each(:ids) AS s CROSS JOIN air_hourly AS h "
    "WHERE h.ts = hour.ts AND h.station_id = s.value AND hour.ts <= :b"
)
# PostgreSQL: COPY takes no parameters, so the values are composed in as literals (psycopg.sql)
_POSTGRES_SCAN = (
    f"{_SELECT} FROM air_hourly AS h WHERE h.ts BETWEEN {{a}} AND {{b}} "
    "AND h.station_id = ANY({ids}::integer[])"
)
_POSTGRES_LOOKUP = (  # LATERAL … LIMIT 1 keeps the planner to one key lookup per station-hour
    f"{_SELECT} FROM unnest({{ids}}::integer[]) AS s(id) "
    "CROSS JOIN generate_series({a}::bigint, {b}::bigint, 3600) AS hour(ts) "
    "CROSS JOIN LATERAL (SELECT * FROM air_hourly AS a "
    "WHERE a.ts = hour.ts AND a.station_id = s.id LIMIT 1) AS h"
)
