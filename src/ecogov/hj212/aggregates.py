"""Stored device-hour and device-day statistics (``hj212_device_stat``), maintained when
records arrive.

Every batch the receiver, the demo or any other writer commits (:func:`ecogov.hj212.store.
write_batch`, the one write path) recomputes, in its transaction, the statistics of exactly the
device-hours and device-days its hourly (2061) records fall in (:func:`affected`), from all the
stored hourly records of those days (:func:`refresh`): a resend, a revision or a late hour
updates the aggregates it changes and no other, and an aggregate never disagrees with committed
records. The statistics are :func:`ecogov.hj212.frames.device_stats`'s. :func:`rebuild`
computes them afresh for an existing database (``ecogov hj212 aggregates rebuild``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

import polars as pl
from sqlalchemy import Connection, and_, bindparam, delete, func, insert, select, tuple_
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

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
    "PENDING",
    "STATS",
    "affected",
    "mark",
    "rebuild",
    "rebuild_period",
    "refresh",
    "settle",
]

STATS: Final = Base.metadata.tables[DeviceStat.__tablename__]
HOURLY: Final = "2061"
"""The command of hourly data (HJ 212-2017 Table 5): the records the statistics come from."""
KEY_SCHEMA: Final = {"mn": pl.String, "span": pl.String, "start": pl.Int64}
_RECORDS: Final = Base.metadata.tables[Record.__tablename__]
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
    schema = {"mn": pl.String, "data_time": pl.Int64, "cp": pl.String}
    return pl.DataFrame([tuple(row) for row in rows], schema=schema, orient="row")


def refresh(connection: Connection, keys: pl.DataFrame) -> int:
    """Recompute the statistics of ``keys`` (:func:`affected`) from the stored hourly records of
    their days, in the caller's transaction; how many rows are stored."""
    if keys.is_empty():
        return 0
    days = keys.filter(pl.col("span") == "day")
    day_length = SPANS["day"][0]
    first, last = int(days["start"].min()), int(days["start"].max())  # type: ignore[arg-type]
    records = _hourly_records(connection, days["mn"].unique().to_list(), first, last + day_length)
    records = records.join(
        days.select("mn", data_time=pl.col("start")),
        left_on=["mn", interval_start(pl.col("data_time"), "day")],
        right_on=["mn", "data_time"],
        how="semi",
    )
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
    stats = device_stats(records).join(keys, on=["mn", "span", "start"], how="semi")
    if stats.height:
        connection.execute(insert(STATS), stats.to_dicts())
    return stats.height


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
    start = _day_of(int(lowest) if first is None else first)
    stop = _day_of(int(highest) + SPANS["day"][0] if end is None else end)
    window = [hourly, columns.data_time >= start, columns.data_time < stop]
    connection.execute(delete(STATS).where(STATS.c.start >= start, STATS.c.start < stop))
    stored = 0
    mns = connection.execute(select(columns.mn).where(*window).distinct()).scalars().all()
    for mn in mns:
        times = connection.execute(select(columns.data_time).where(columns.mn == mn, *window))
        stored += refresh(connection, affected((mn, HOURLY, int(t)) for t in times.scalars()))
    return stored


def mark(connection: Connection, records: Iterable[tuple[str, str, int]]) -> int:
    """Mark the device-days whose statistics records (MN, CN, DataTime [Unix s]) change as
    pending (``hj212_stat_pending``), in the caller's transaction, for :func:`settle`; how
    many days. A day already pending is taken over (the upsert locks its row on PostgreSQL,
    so a settle that runs meanwhile waits for this transaction and reads its records)."""
    days = affected(records).filter(pl.col("span") == "day").select("mn", "start")
    if days.is_empty():
        return 0
    upsert = (
        postgresql_insert(PENDING)
        if connection.dialect.name == "postgresql"
        else sqlite_insert(PENDING)
    )
    statement = upsert.on_conflict_do_update(
        index_elements=["mn", "start"], set_={"start": upsert.excluded.start}
    )
    connection.execute(statement, days.to_dicts())
    return days.height


def settle(connection: Connection, limit: int | None = None) -> int:
    """Recompute the statistics of the pending device-days — every one, or the ``limit``
    oldest — (their hours and the day, from all their stored hourly records) and clear those
    marks, in the caller's transaction; how many days. The marks are taken first (deleted), so
    a batch committing meanwhile marks its day again and the next settle sees it. A ``limit``
    bounds how long the transaction holds the receiver's turn to commit."""
    taking = delete(PENDING)
    if limit is not None:
        oldest = (
            select(PENDING.c.mn, PENDING.c.start)
            .order_by(PENDING.c.start, PENDING.c.mn)
            .limit(limit)
        )
        taking = taking.where(tuple_(PENDING.c.mn, PENDING.c.start).in_(oldest))
    taken = connection.execute(taking.returning(PENDING.c.mn, PENDING.c.start)).all()
    if not taken:
        return 0
    schema = {"mn": pl.String, "start": pl.Int64}
    days = pl.DataFrame([tuple(row) for row in taken], schema=schema, orient="row")
    hours = days.select(
        "mn",
        span=pl.lit("hour"),
        start=pl.int_ranges(pl.col("start"), pl.col("start") + SPANS["day"][0], SPANS["hour"][0]),
    ).explode("start")
    keys = pl.concat([hours, days.select("mn", span=pl.lit("day"), start="start")])
    refresh(connection, keys.cast(KEY_SCHEMA).sort("mn", "span", "start"))  # type: ignore[arg-type]
    return days.height


def _day_of(moment: int) -> int:
    """The start [Unix s] of the Beijing day holding ``moment`` [Unix s]."""
    return int(pl.select(interval_start(pl.lit(moment, pl.Int64), "day")).item())


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
