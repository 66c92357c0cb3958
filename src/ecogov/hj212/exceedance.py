"""Exceedance events (超标事件): hourly (2061) and daily (2031) means above permit limits.

A mean exceeds when its value — the converted one (``ZsAvg``, 折算) where the permit limit is on
a converted basis, else the measured ``Avg`` — is above the limit, and it is valid data: a value
flagged M, D, C, F or B (maintenance, fault, calibration, stopped, communication error) never
exceeds. Consecutive exceeding intervals of one factor are one event, with its start (start of
the first interval), end (end of the last), duration, peak and peak multiple of the limit.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Final, Protocol

import polars as pl
from sqlalchemy import Connection, select
from sqlalchemy.orm import Session

from ecogov.hj212.alerts import device_subject, publish_exceedances
from ecogov.hj212.frames import RECORD_SCHEMA, factor_frame, runs, valid
from ecogov.hj212.record_archive import read_records
from ecogov.platform.db import Database
from ecogov.platform.scope import Principal
from ecogov.sources.models import PermitLimit
from ecogov.sources.service import find_device
from ecogov.standards.timebase import BEIJING

COMMAND_OF: Final = {"hourly": "2061", "daily": "2031"}
"""Which uploads carry the means a limit applies to."""
STEP_OF: Final = {"hourly": 3600, "daily": 86_400}
LIMIT_SCHEMA: Final = {"code": pl.String, "limit": pl.Float64, "basis": pl.String}
EVENT_SCHEMA: Final = {
    "code": pl.String,
    "start": pl.Int64,
    "end": pl.Int64,
    "intervals": pl.UInt32,
    "peak": pl.Float64,
    "limit": pl.Float64,
    "multiple": pl.Float64,
    "basis": pl.String,
}


def exceedance_events(values: pl.DataFrame, limits: pl.DataFrame, step: int) -> pl.DataFrame:
    """Events of :data:`EVENT_SCHEMA` (times [Unix s]) from a :func:`factor_frame` of means over
    ``step`` seconds and limits ``code, limit, basis`` (``converted`` or ``measured``)."""
    if values.is_empty() or limits.is_empty():
        return pl.DataFrame(schema=EVENT_SCHEMA)
    judged = (
        values.join(limits, on="code")
        .with_columns(
            value=pl.when(pl.col("basis") == "converted")
            .then(pl.col("ZsAvg"))
            .otherwise(pl.col("Avg"))
        )
        .with_columns(exceeds=(pl.col("value") > pl.col("limit")).fill_null(False) & valid())
        .sort("code", "data_time")
        .with_columns(run=runs(pl.col("exceeds"), step))
    )
    return (
        judged.filter("exceeds")
        .group_by("code", "run")
        .agg(
            start=pl.col("data_time").min(),
            end=pl.col("data_time").max() + step,
            intervals=pl.len(),
            peak=pl.col("value").max(),
            limit=pl.col("limit").first(),
            basis=pl.col("basis").first(),
        )
        .with_columns(multiple=(pl.col("peak") / pl.col("limit")).round(3))
        .select(EVENT_SCHEMA.keys())
        .sort("start", "code")
    )


@dataclass(frozen=True)
class ExceedanceView:
    """An exceedance event of one factor of a device."""

    mn: str
    factor: str
    averaging: str
    basis: str
    start: datetime
    end: datetime
    hours: float
    peak: float
    limit: float
    unit: str
    multiple: float


def records_frame(
    connection: Session | Connection, mn: str, cn: str, first: int, last: int
) -> pl.DataFrame:
    """Records of ``mn`` and ``cn`` with ``first ≤ data_time < last`` [Unix s], from the store
    and the archive of older months (no scope check: callers find the device first)."""
    found = read_records(connection, mn, cn=cn, first=first, last=last)
    return found.select(RECORD_SCHEMA.keys())


class Limit(Protocol):
    """A permit limit as :func:`judge` reads it (a ``PermitLimit`` row or a selected row)."""

    @property
    def factor_code(self) -> str: ...
    @property
    def limit_value(self) -> float: ...
    @property
    def unit(self) -> str: ...
    @property
    def averaging(self) -> str: ...
    @property
    def basis(self) -> str: ...


def judge(
    mn: str, permits: Sequence[Limit], records_of: Callable[[str], pl.DataFrame]
) -> list[ExceedanceView]:
    """Exceedance events of the device ``mn`` against its outlet's ``permits``, the records of
    each command (2061, 2031) given by ``records_of(cn)`` (a :func:`records_frame`)."""
    found: list[ExceedanceView] = []
    for averaging, cn in COMMAND_OF.items():
        chosen = [p for p in permits if p.averaging == averaging]
        if not chosen:
            continue
        limits = pl.DataFrame(
            [(p.factor_code, p.limit_value, p.basis) for p in chosen],
            schema=LIMIT_SCHEMA,
            orient="row",
        )
        units = {p.factor_code: p.unit for p in chosen}
        events = exceedance_events(factor_frame(records_of(cn)), limits, STEP_OF[averaging])
        found += [
            ExceedanceView(
                mn=mn,
                factor=row["code"],
                averaging=averaging,
                basis=row["basis"],
                start=datetime.fromtimestamp(row["start"], BEIJING),
                end=datetime.fromtimestamp(row["end"], BEIJING),
                hours=(row["end"] - row["start"]) / 3600,
                peak=row["peak"],
                limit=row["limit"],
                unit=units[row["code"]],
                multiple=row["multiple"],
            )
            for row in events.iter_rows(named=True)
        ]
    return sorted(found, key=lambda event: (event.start, event.factor))


def exceedances(
    db: Database, principal: Principal, mn: str, first: datetime, last: datetime
) -> list[ExceedanceView]:
    """Exceedance events of the device ``mn`` between two instants, against its outlet's
    hourly and daily permit limits."""
    window = int(first.timestamp()), int(last.timestamp())
    with db.transaction(principal) as session:
        device = find_device(session, mn)
        subject = device_subject(session, device)
        permits = list(
            session.scalars(select(PermitLimit).where(PermitLimit.outlet_id == device.outlet_id))
        )
        found = judge(mn, permits, lambda cn: records_frame(session, mn, cn, *window))
    publish_exceedances(db, subject, found)
    return found
