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
from sqlalchemy import Connection, and_, bindparam, delete, func, insert, select

from ecogov.hj212.access import STORE
from ecogov.hj212.frames import SPANS, device_stats, interval_start
from ecogov.hj212.models import DeviceStat, Record
from ecogov.platform import audit
from ecogov.platform.db import Database
from ecogov.platform.models import Base
from ecogov.platform.periods import Period
from ecogov.platform.permissions import authorize
from ecogov.platform.scope import Principal

__all__ = ["HOURLY", "STATS", "affected", "rebuild", "rebuild_period", "refresh"]

STATS: Final = Base.metadata.tables[DeviceStat.__tablename__]
HOURLY: Final = "2061"
"""The command of hourly data (HJ 212-2017 Table 5): the records the statistics come from."""
KEY_SCHEMA: Final = {"mn": pl.String, "span": pl.String, "start": pl.Int64}
_RECORDS: Final = Base.metadata.tables[Record.__tablename__]


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
