"""Electricity readings of production and treatment lines (用电监控), from pluggable sources.

A meter names its :class:`MeterSource`. The built-in ``table`` source reads the
``power_reading`` table, which :func:`store_readings` fills (from an upload, a vendor connector,
the demo). Another deployment registers its own source — a utility's API, a provincial
electricity-monitoring platform — with :func:`register_meter_source`; checks that compare
production with treatment only call :func:`read_readings`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Final, Protocol

import polars as pl
from sqlalchemy import text
from sqlalchemy.engine import Connection

from ecogov.platform import audit
from ecogov.platform.db import Database
from ecogov.platform.errors import InputError, NotFound, PermissionDenied
from ecogov.platform.i18n import Catalogue, both, register
from ecogov.platform.scope import Principal
from ecogov.sources.models import PowerMeter

ERRORS: Final[Catalogue] = {
    "sources.error.meter_source": (
        "没有电表读数来源 {name!r}，已有：{known}",
        "no meter reading source {name!r}; known: {known}",
    ),
    "sources.error.reading_columns": (
        "电表读数缺少列：{columns}",
        "readings lack the column(s) {columns}",
    ),
    "sources.error.reading_row": (
        "第 {row} 条读数：时间或功率缺失，或功率为负",
        "reading {row}: time or power missing, or power negative",
    ),
    "sources.error.no_meter": (
        "电表 {id} 不存在或不在权限范围内",
        "meter {id} does not exist or is outside your scope",
    ),
    "sources.error.meter_denied": (
        "{user} 无权录入电表 {code} 的读数",
        "{user} may not record readings of {code}",
    ),
    "sources.error.meter_not_table": (
        "电表 {code} 的读数来自 {source!r}，不能手工录入",
        "meter {code} reads from {source!r}, not the table",
    ),
}
register(ERRORS)

READING_SCHEMA = {"ts": pl.Int64, "power_kw": pl.Float64}
"""Readings: end of the interval [Unix s] and mean power over it [kW]."""


class MeterSource(Protocol):
    """Where the readings of a meter come from."""

    name: str

    def read(self, connection: Connection, meter_id: int, first: int, last: int) -> pl.DataFrame:
        """Readings of ``meter_id`` with ``first ≤ ts ≤ last`` [Unix s], ordered by ``ts``, in
        :data:`READING_SCHEMA`."""
        ...


class TableSource:
    """Readings stored in the ``power_reading`` table."""

    name = "table"

    def read(self, connection: Connection, meter_id: int, first: int, last: int) -> pl.DataFrame:
        """Stored readings of the meter in the interval, by time."""
        rows = connection.execute(
            text(
                "SELECT ts, power_kw FROM power_reading "
                "WHERE meter_id = :meter AND ts BETWEEN :first AND :last ORDER BY ts"
            ),
            {"meter": meter_id, "first": first, "last": last},
        ).all()
        return pl.DataFrame(rows, schema=READING_SCHEMA, orient="row")


_SOURCES: dict[str, MeterSource] = {TableSource.name: TableSource()}


def register_meter_source(source: MeterSource) -> None:
    """Make ``source`` available to meters by its name."""
    _SOURCES[source.name] = source


def meter_source(name: str) -> MeterSource:
    """The reading source called ``name``; ``InputError`` when none is registered."""
    source = _SOURCES.get(name)
    if source is None:
        raise InputError(
            both("sources.error.meter_source", name=name, known=", ".join(sorted(_SOURCES)))
        )
    return source


_UPSERT = (
    "INSERT INTO power_reading (meter_id, ts, power_kw) VALUES (:meter_id, :ts, :power_kw) "
    "ON CONFLICT (meter_id, ts) DO UPDATE SET power_kw = excluded.power_kw "
    "WHERE power_reading.power_kw IS DISTINCT FROM excluded.power_kw"
)


def _readings_frame(readings: pl.DataFrame) -> pl.DataFrame:
    """``readings`` checked and cast to :data:`READING_SCHEMA`."""
    missing = set(READING_SCHEMA) - set(readings.columns)
    if missing:
        raise InputError(both("sources.error.reading_columns", columns=", ".join(sorted(missing))))
    frame = readings.select(
        pl.col("ts").cast(pl.Int64, strict=False), pl.col("power_kw").cast(pl.Float64, strict=False)
    )
    bad = frame.with_row_index("row").filter(
        pl.col("ts").is_null() | pl.col("power_kw").is_null() | (pl.col("power_kw") < 0)
    )
    if bad.height:
        raise InputError(both("sources.error.reading_row", row=bad["row"][0] + 1))
    return frame


def store_readings(
    db: Database, principal: Principal, meter_id: int, readings: pl.DataFrame
) -> int:
    """Store readings (columns ``ts`` [Unix s], ``power_kw`` [kW]) of a table-source meter;
    storing the same readings again changes nothing. Returns the rows inserted or changed."""
    frame = _readings_frame(readings)
    with db.transaction(principal, action="sources.meter.readings") as session:
        meter = session.get(PowerMeter, meter_id)
        if meter is None:
            raise NotFound(both("sources.error.no_meter", id=meter_id))
        if not principal.can_change(meter):
            raise PermissionDenied(
                both("sources.error.meter_denied", user=principal.username, code=meter.code)
            )
        if meter.source != TableSource.name:
            raise InputError(
                both("sources.error.meter_not_table", code=meter.code, source=meter.source)
            )
        rows = [{"meter_id": meter_id, **row} for row in frame.iter_rows(named=True)]
        changed = session.connection().execute(text(_UPSERT), rows).rowcount if rows else 0
        audit.record(
            session,
            "sources.meter.readings",
            entity="power_reading",
            entity_id=str(meter_id),
            details={"readings": len(rows), "changed": changed},
        )
    return int(changed)


def read_readings(
    db: Database, principal: Principal, meter_id: int, first: datetime, last: datetime
) -> pl.DataFrame:
    """Readings of a meter the caller may see, from its source, between two instants."""
    with db.transaction(principal) as session:
        meter = session.get(PowerMeter, meter_id)
        if meter is None:
            raise NotFound(both("sources.error.no_meter", id=meter_id))
        source = meter_source(meter.source)
        return source.read(
            session.connection(), meter_id, int(first.timestamp()), int(last.timestamp())
        )
