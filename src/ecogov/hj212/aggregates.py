"""Stored device-hour and device-day statistics (``hj212_device_stat``), maintained when
records arrive.

Every batch the receiver, the demo or any other writer commits (:func:`ecogov.hj212.store.
write_batch`, the one write path) recomputes, in its transaction, the statistics of exactly the
device-hours and device-days its hourly (2061) records fall in (:func:`affected`), from all the
stored hourly records of those days (:func:`refresh`): a resend, a revision or a late hour
updates the aggregates it changes and no other, and an aggregate never disagrees with committed
records (:func:`recompute`). The receiver instead marks those days pending in its commit
(:data:`MARK`, each mark with its batch's token) and settles them every second: it computes
their statistics in a read beside its commits (:func:`prepare`) and stores them in a short
write that takes only the marks whose token has not changed since (:func:`apply`). The
statistics are :func:`ecogov.hj212.frames.device_stats`'s. :func:`rebuild` computes them
afresh for an existing database (``ecogov hj212 aggregates rebuild``).
"""

from __future__ import annotations

import secrets
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

import polars as pl
import psycopg
from sqlalchemy import Connection, and_, bindparam, delete, func, select, tuple_

from ecogov.hj212.access import STORE
from ecogov.hj212.frames import SPANS, device_stats, interval_start
from ecogov.hj212.models import DeviceStat, PendingStat, Record
from ecogov.platform import audit
from ecogov.platform.db import Database
from ecogov.platform.models import Base
from ecogov.platform.periods import Period
from ecogov.platform.permissions import authorize
from ecogov.platform.scope import Principal

__all__ = [
    "HOURLY",
    "MARK",
    "PENDING",
    "STATS",
    "Settlement",
    "affected",
    "apply",
    "compute",
    "new_token",
    "pending_days",
    "prepare",
    "rebuild",
    "rebuild_period",
    "recompute",
    "refresh",
    "replace",
    "settle",
]

STATS: Final = Base.metadata.tables[DeviceStat.__tablename__]
HOURLY: Final = "2061"
"""The command of hourly data (HJ 212-2017 Table 5): the records the statistics come from."""
KEY_SCHEMA: Final = {"mn": pl.String, "span": pl.String, "start": pl.Int64}
_RECORDS: Final = Base.metadata.tables[Record.__tablename__]
_RECORD_SCHEMA: Final = {"mn": pl.String, "data_time": pl.Int64, "cp": pl.String}
_DAY_SCHEMA: Final = {"mn": pl.String, "start": pl.Int64}
PENDING: Final = Base.metadata.tables[PendingStat.__tablename__]
"""Device-days marked by the receiver's commits, waiting for :func:`settle`."""


def affected(records: Iterable[tuple[str, str, int]]) -> pl.DataFrame:
    """The keys (``mn``, ``span``, ``start``) of the statistics that records (MN, CN, DataTime
    [Unix s]) change: the Beijing hour and day of each hourly record; nothing for others."""
    hourly = [(mn, data_time) for mn, cn, data_time in records if cn == HOURLY]
    frame = pl.DataFrame(hourly, schema={"mn": pl.String, "data_time": pl.Int64}, orient="row")
    keys = [
        frame.select("mn", span=pl.lit(span), start=interval_start(pl.col("data_time"), span))
        for span in SPANS
    ]
    return pl.concat(keys).unique().cast(KEY_SCHEMA).sort("mn", "span", "start")  # type: ignore[arg-type]


def _hourly_records(connection: Connection, mns: list[str], first: int, end: int) -> pl.DataFrame:
    """The stored hourly records (``mn``, ``data_time``, ``cp``) of ``mns`` with
    ``first ≤ data_time < end``."""
    columns = _RECORDS.c
    rows = connection.execute(
        select(columns.mn, columns.data_time, columns.cp).where(
            columns.cn == HOURLY,
            columns.mn.in_(mns),
            columns.data_time >= first,
            columns.data_time < end,
        )
    ).all()
    return pl.DataFrame([tuple(row) for row in rows], schema=_RECORD_SCHEMA, orient="row")


def compute(connection: Connection, keys: pl.DataFrame) -> pl.DataFrame:
    """The statistics of ``keys`` (:func:`affected`) from the stored hourly records of their
    days, as :func:`ecogov.hj212.frames.device_stats` gives them."""
    days = keys.filter(pl.col("span") == "day")
    if days.is_empty():
        return device_stats(pl.DataFrame(schema=_RECORD_SCHEMA))
    day_length = SPANS["day"][0]
    first, last = int(days["start"].min()), int(days["start"].max())  # type: ignore[arg-type]
    records = _hourly_records(connection, days["mn"].unique().to_list(), first, last + day_length)
    records = records.join(
        days.select("mn", data_time=pl.col("start")),
        left_on=["mn", interval_start(pl.col("data_time"), "day")],
        right_on=["mn", "data_time"],
        how="semi",
    )
    return device_stats(records).join(keys, on=["mn", "span", "start"], how="semi")


def replace(connection: Connection, keys: pl.DataFrame, stats: pl.DataFrame) -> int:
    """Store ``stats`` as the statistics of ``keys`` (those of ``keys`` it has no row for are
    deleted), in the caller's transaction; how many rows are stored."""
    if keys.is_empty():
        return 0
    columns = STATS.c
    connection.execute(
        delete(STATS).where(
            and_(
                columns.mn == bindparam("k_mn"),
                columns.span == bindparam("k_span"),
                columns.start == bindparam("k_start"),
            )
        ),
        keys.rename({"mn": "k_mn", "span": "k_span", "start": "k_start"}).to_dicts(),
    )
    _insert(connection, stats)
    return stats.height


def _insert(connection: Connection, stats: pl.DataFrame) -> None:
    """Insert statistics rows (:func:`ecogov.hj212.frames.device_stats`) the driver's fastest
    way, in the caller's transaction: a ``COPY`` of their CSV text on PostgreSQL (floats
    written shortest round-trip, read back exactly), one ``executemany`` of tuples on SQLite.
    A settle stores about 12,500 rows while the receiver's commits wait: SQLAlchemy's
    executemany of dictionaries took 70-120 ms for them."""
    if stats.is_empty():
        return
    names = list(STATS.c.keys())
    columns = ", ".join(names)
    raw = connection.connection.driver_connection
    if isinstance(raw, psycopg.Connection):
        copying = f"COPY {STATS.name} ({columns}) FROM STDIN (FORMAT csv)"
        with raw.cursor() as cursor, cursor.copy(copying) as copy:
            copy.write(stats.select(names).write_csv(include_header=False))
    else:
        assert isinstance(raw, sqlite3.Connection)
        marks = ", ".join("?" for _ in names)
        insert = f"INSERT INTO {STATS.name} ({columns}) VALUES ({marks})"
        raw.executemany(insert, stats.select(names).iter_rows())


def refresh(connection: Connection, keys: pl.DataFrame) -> int:
    """Recompute the statistics of ``keys`` (:func:`affected`) from the stored hourly records of
    their days, in the caller's transaction; how many rows are stored."""
    return replace(connection, keys, compute(connection, keys))


def recompute(connection: Connection, records: Iterable[tuple[str, str, int]]) -> int:
    """What a writer that is not the receiver does in its transaction: recompute the
    statistics records (MN, CN, DataTime [Unix s]) change, and settle the pending marks of
    their days here (every hour of such a day), so that a settle prepared before this write
    never stores what it read then (:func:`apply` stores only the days whose marks it still
    finds); how many rows are stored."""
    keys = affected(records)
    days = keys.filter(pl.col("span") == "day").select("mn", "start").rows()
    if days:
        columns = PENDING.c
        taking = delete(PENDING).where(tuple_(columns.mn, columns.start).in_(days))
        taken = connection.execute(taking.returning(columns.mn, columns.start)).all()
        marked = pl.DataFrame([tuple(row) for row in taken], schema=_DAY_SCHEMA, orient="row")
        keys = pl.concat([keys, _day_keys(marked)]).unique().sort("mn", "span", "start")
    return refresh(connection, keys)


def rebuild(connection: Connection, first: int | None = None, end: int | None = None) -> int:
    """Recompute every statistic of the Beijing days from the one holding ``first`` up to the
    one holding ``end`` (excluded) [Unix s] (default: from the first to the last day of the
    stored hourly records: statistics of months archived out of the store are kept), device by
    device (memory: one device's hours), in the caller's transaction: the backfill of an
    existing database, idempotent. How many rows are stored."""
    columns = _RECORDS.c
    hourly = columns.cn == HOURLY
    lowest, highest = connection.execute(
        select(func.min(columns.data_time), func.max(columns.data_time)).where(hourly)
    ).one()
    if lowest is None:
        return 0
    start = interval_start(int(lowest) if first is None else first, "day")
    stop = interval_start(int(highest) + SPANS["day"][0] if end is None else end, "day")
    window = [hourly, columns.data_time >= start, columns.data_time < stop]
    connection.execute(delete(STATS).where(STATS.c.start >= start, STATS.c.start < stop))
    stored = 0
    mns = connection.execute(select(columns.mn).where(*window).distinct()).scalars().all()
    for mn in mns:
        times = connection.execute(select(columns.data_time).where(columns.mn == mn, *window))
        stored += refresh(connection, affected((mn, HOURLY, int(t)) for t in times.scalars()))
    return stored


def pending_days(records: Iterable[tuple[str, str, int]]) -> list[tuple[str, int]]:
    """The device-days (MN, start of the Beijing day [Unix s]) whose statistics records (MN,
    CN, DataTime [Unix s]) change, each once, in key order (two receivers' commits that mark
    the same days lock their rows in the same order on PostgreSQL, so never deadlock). Plain
    Python: a commit of the receiver marks a few hundred days, where a data frame's set-up
    cost more than the work."""
    return sorted(
        {(mn, interval_start(moment, "day")) for mn, cn, moment in records if cn == HOURLY}
    )


MARK: Final = (
    "INSERT INTO hj212_stat_pending (mn, start, token) {rows} "
    "ON CONFLICT (mn, start) DO UPDATE SET token = excluded.token"
)
"""Mark device-days pending (``{rows}``: the driver's ``VALUES`` or ``SELECT`` of MN, day and
the batch's token), in the writer's transaction, for :func:`settle` (:func:`ecogov.hj212.store.
write_batch`, deferred). A day already pending takes the new token: a settle prepared before
this commit then finds its token gone and leaves the day to the next settle (:func:`apply`)."""


def new_token() -> int:
    """A batch's mark token: a random 63-bit number, so that two marks of the same day — by
    receivers on several hosts, or before and after a settle took the first — are told apart
    (a shared counter would need a sequence SQLite does not have)."""
    return secrets.randbits(63)


@dataclass(frozen=True)
class Settlement:
    """Pending device-days as one read saw them (``mn``, ``start``, ``token``) and the
    statistics of their hours and days computed in that read (:func:`prepare`), to be stored by
    a short write (:func:`apply`)."""

    marks: pl.DataFrame
    stats: pl.DataFrame


def prepare(connection: Connection, limit: int | None = None) -> Settlement:
    """Read the pending device-days — every one, or the ``limit`` oldest — and compute their
    statistics (their hours and the day, from all their stored hourly records), without
    writing: the receiver runs this beside its commits, so they wait only for :func:`apply`.
    The marks are read before the records: a record committed after the marks were read came
    with a new token."""
    columns = PENDING.c
    query = select(columns.mn, columns.start, columns.token).order_by(columns.start, columns.mn)
    rows = connection.execute(query if limit is None else query.limit(limit)).all()
    schema = {"mn": pl.String, "start": pl.Int64, "token": pl.Int64}
    marks = pl.DataFrame([tuple(row) for row in rows], schema=schema, orient="row")
    return Settlement(marks, compute(connection, _day_keys(marks)))


def apply(connection: Connection, settlement: Settlement) -> int:
    """Store a prepared settlement, in the caller's transaction: take (delete) each mark whose
    token is still the one read, and store the statistics of exactly those days. A day marked
    again since (a later batch), or cleared (a writer recomputed it, :func:`recompute`; another
    receiver settled it) keeps what is stored for the next settle. How many days."""
    if settlement.marks.is_empty():
        return 0
    columns = PENDING.c
    taking = delete(PENDING).where(
        tuple_(columns.mn, columns.start, columns.token).in_(settlement.marks.rows())
    )
    taken = connection.execute(taking.returning(columns.mn, columns.start)).all()
    if not taken:
        return 0
    days = pl.DataFrame([tuple(row) for row in taken], schema=_DAY_SCHEMA, orient="row")
    stats = STATS.c
    connection.execute(  # every statistic of each day: its hours and the day
        delete(STATS).where(
            stats.mn == bindparam("d_mn"),
            stats.start >= bindparam("d_start"),
            stats.start < bindparam("d_end"),
        ),
        days.select(d_mn="mn", d_start="start", d_end=pl.col("start") + SPANS["day"][0]).to_dicts(),
    )
    of_days = settlement.stats.join(
        days,
        left_on=["mn", interval_start(pl.col("start"), "day")],
        right_on=["mn", "start"],
        how="semi",
    )
    _insert(connection, of_days)
    return days.height


def settle(connection: Connection, limit: int | None = None) -> int:
    """:func:`prepare` and :func:`apply` in the caller's transaction: recompute the statistics
    of the pending device-days (every one, or the ``limit`` oldest) and clear their marks; how
    many days."""
    return apply(connection, prepare(connection, limit))


def _day_keys(days: pl.DataFrame) -> pl.DataFrame:
    """The statistics keys (``mn``, ``span``, ``start``) of device-days (``mn``, ``start``):
    each day's hours and the day."""
    hours = days.select(
        "mn",
        span=pl.lit("hour"),
        start=pl.int_ranges(pl.col("start"), pl.col("start") + SPANS["day"][0], SPANS["hour"][0]),
    ).explode("start")
    keys = pl.concat([hours, days.select("mn", span=pl.lit("day"), start="start")])
    return keys.cast(KEY_SCHEMA).sort("mn", "span", "start")  # type: ignore[arg-type]


def rebuild_period(db: Database, principal: Principal, period: Period | None = None) -> int:
    """:func:`rebuild` of the Beijing days of ``period`` (default: every day with hourly
    records) in one audited transaction (``ecogov hj212 aggregates rebuild``); how many rows
    are stored."""
    authorize(principal, "update", STORE)
    start, end = (
        (None, None)
        if period is None
        else (int(period.start_time.timestamp()), int(period.end_time.timestamp()))
    )
    with db.transaction(principal, action="hj212.aggregates.rebuild") as session:
        stored = rebuild(session.connection(), start, end)
        audit.record(
            session,
            "hj212.aggregates.rebuild",
            entity="hj212_device_stat",
            details={"period": period and period.label, "rows": stored},
        )
    return stored
