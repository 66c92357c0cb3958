"""Stored period means (``water_period_mean``): the monthly, quarterly and annual mean of every
item at every section, computed when observations are imported instead of when a page asks.

Evaluating a year reads a year and the year before of raw observations (177,000 rows for the
demo's 300 sections, a second of reading) to compute period means that only change when data
is imported. Every observation import therefore recomputes, in its own transaction, the means
of the sections and Beijing-time years it touched (:func:`refresh`); the evaluation then reads
the two periods' means (about 15,000 rows for a province year) and runs the engine on them.
The means are the engine's (:func:`~ecogov.engine.water_means.monthly_means` then
:func:`~ecogov.engine.water_means.period_means`), so the results are those computed from the
raw observations.

This module also holds the bulk statements over the observations and the means (Core, by
section id); the service decides which sections a principal may see.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any, Final

import polars as pl
from sqlalchemy import (
    Connection,
    DateTime,
    Row,
    Select,
    Table,
    delete,
    func,
    insert,
    select,
    type_coerce,
)

from ecogov.engine.water_means import (
    PERIOD_KINDS,
    PeriodKind,
    beijing_local,
    monthly_means,
    period_label,
    period_means,
)
from ecogov.monitoring.water.models import Observation, PeriodMean, Section
from ecogov.platform.models import Base
from ecogov.standards.periods import period_of
from ecogov.standards.timebase import BEIJING

__all__ = [
    "MEAN_SCHEMA",
    "SAMPLE_SCHEMA",
    "bulk_insert",
    "means_frame",
    "means_of",
    "observations_of",
    "rebuild",
    "refresh",
    "samples_frame",
    "years_of",
]

OBSERVATIONS: Final = Base.metadata.tables[Observation.__tablename__]
MEANS: Final = Base.metadata.tables[PeriodMean.__tablename__]
SECTIONS: Final = Base.metadata.tables[Section.__tablename__]
SAMPLE_SCHEMA: Final = pl.Schema(
    {
        "section": pl.String(),
        "time": pl.Datetime("us", "UTC"),
        "parameter": pl.String(),
        "value": pl.Float64(),
        "flag": pl.String(),
    }
)
"""Observations as the engine reads them (``section`` is the section's code)."""
MEAN_SCHEMA: Final = pl.Schema(
    {
        "section": pl.String(),
        "period": pl.String(),
        "parameter": pl.String(),
        "value": pl.Float64(),
        "months": pl.Int32(),
    }
)
"""Period means as :func:`~ecogov.engine.water_means.period_means` returns them."""


def _utc(times: Sequence[datetime]) -> pl.Series:
    """Stored instants as a UTC series: SQLite hands back naive UTC values, PostgreSQL aware
    ones (read without the per-row conversion of :class:`UTCDateTime`, which is slow in bulk)."""
    series = pl.Series("time", times, dtype=pl.Datetime("us") if not times else None)
    if not isinstance(series.dtype, pl.Datetime):
        raise TypeError(f"stored times came back as {series.dtype}")
    if series.dtype.time_zone is None:
        return series.dt.replace_time_zone("UTC")
    return series.dt.convert_time_zone("UTC")


def observations_of(
    section_ids: Sequence[int], start: datetime | None, end: datetime | None
) -> Select[tuple[Any, ...]]:
    """The Core statement reading the observations of ``section_ids`` in ``[start, end)``:
    section id, time, parameter, value, flag."""
    columns = OBSERVATIONS.c
    stmt = select(
        columns.section_id,
        type_coerce(columns.time, DateTime()),
        columns.parameter,
        columns.value,
        columns.flag,
    ).where(columns.section_id.in_(section_ids))
    if start is not None:
        stmt = stmt.where(columns.time >= start)
    if end is not None:
        stmt = stmt.where(columns.time < end)
    return stmt


def _section_codes(ids: Sequence[Any], codes: dict[int, str] | None) -> pl.Series:
    """Section ids as codes (ids as text without ``codes``: the refresh groups by id)."""
    series = pl.Series(ids, dtype=pl.Int64)
    if codes is None:
        return series.cast(pl.String)
    return series.replace_strict(codes, return_dtype=pl.String)


def samples_frame(rows: Sequence[Row[Any]], codes: dict[int, str] | None = None) -> pl.DataFrame:
    """Rows of :func:`observations_of` as a :data:`SAMPLE_SCHEMA` frame."""
    ids, times, parameters, values, flags = list(zip(*rows, strict=True)) or [()] * 5
    frame = pl.DataFrame(
        {
            "section": _section_codes(ids, codes),
            "time": _utc(times),
            "parameter": pl.Series(parameters, dtype=pl.String),
            "value": pl.Series(values, dtype=pl.Float64),
            "flag": pl.Series(flags, dtype=pl.String),
        }
    )
    return frame.cast(SAMPLE_SCHEMA)


def means_of(section_ids: Sequence[int], periods: Sequence[str] | None) -> Select[tuple[Any, ...]]:
    """The Core statement reading the stored means of ``section_ids`` over ``periods``
    (labels; None: every month, ``YYYY-MM``): section id, period, parameter, value, months."""
    columns = MEANS.c
    chosen = (
        columns.period.like("____-__") & columns.period.not_like("%Q%")
        if periods is None
        else columns.period.in_(periods)
    )
    return select(
        columns.section_id, columns.period, columns.parameter, columns.value, columns.months
    ).where(columns.section_id.in_(section_ids), chosen)


def means_frame(rows: Sequence[Row[Any]], codes: dict[int, str]) -> pl.DataFrame:
    """Rows of :func:`means_of` as a :data:`MEAN_SCHEMA` frame (sections by code)."""
    ids, labels, parameters, values, months = list(zip(*rows, strict=True)) or [()] * 5
    frame = pl.DataFrame(
        {
            "section": _section_codes(ids, codes),
            "period": pl.Series(labels, dtype=pl.String),
            "parameter": pl.Series(parameters, dtype=pl.String),
            "value": pl.Series(values, dtype=pl.Float64),
            "months": pl.Series(months, dtype=pl.Int32),
        }
    )
    return frame.cast(MEAN_SCHEMA)


def bulk_insert(connection: Connection, table: Table, rows: pl.DataFrame) -> None:
    """Insert the rows of a frame whose columns are ``table``'s: with COPY on PostgreSQL (the
    bulk path), else one executemany."""
    if rows.is_empty():
        return
    if connection.dialect.name != "postgresql":
        connection.execute(insert(table), rows.to_dicts())
        return
    raw = connection.connection.dbapi_connection
    assert raw is not None
    statement = f"COPY {table.name} ({', '.join(rows.columns)}) FROM STDIN"
    with raw.cursor() as cursor, cursor.copy(statement) as copy:  # type: ignore[attr-defined]
        for row in rows.iter_rows():
            copy.write_row(row)


def years_of(times: pl.Series) -> list[int]:
    """The Beijing-time calendar years of UTC instants, sorted."""
    years = times.to_frame("time").select(beijing_local(pl.col("time")).dt.year().unique())
    return sorted(int(year) for year in years.to_series().to_list())


def _labels(years: Sequence[int]) -> list[str]:
    """The label of every month, quarter and year of ``years``."""
    labels = []
    for year in years:
        labels.append(period_of("year", date(year, 1, 1)).label)
        labels += [period_of("quarter", date(year, 3 * q - 2, 1)).label for q in range(1, 5)]
        labels += [period_of("month", date(year, m, 1)).label for m in range(1, 13)]
    return labels


def refresh(connection: Connection, section_ids: Sequence[int], years: Sequence[int]) -> int:
    """Recompute the stored means of ``section_ids`` over every month, quarter and year of
    ``years`` (Beijing time) from their observations, in the caller's transaction; how many
    means are stored now."""
    if not section_ids or not years:
        return 0
    ids = sorted(set(section_ids))
    labels = _labels(years)
    connection.execute(delete(MEANS).where(MEANS.c.section_id.in_(ids), MEANS.c.period.in_(labels)))
    start = period_of("year", date(min(years), 1, 1)).start_time
    end = period_of("year", date(max(years), 1, 1)).end_time
    samples = samples_frame(connection.execute(observations_of(ids, start, end)).all())
    monthly = monthly_means(samples)
    keys = ["section", "period", "parameter"]
    means = pl.concat(
        [
            period_means(monthly, kind).join(_sample_counts(monthly, kind), on=keys)
            for kind in PERIOD_KINDS
        ]
    )
    stored = means.filter(pl.col("period").is_in(labels)).select(
        "period",
        section_id=pl.col("section").cast(pl.Int64),
        parameter="parameter",
        value="value",
        months="months",
        samples="samples",
    )
    bulk_insert(connection, MEANS, stored)
    return stored.height


def _sample_counts(monthly: pl.DataFrame, kind: PeriodKind) -> pl.DataFrame:
    """How many samples the monthly means (:func:`monthly_means`) of each section, item and
    period of ``kind`` rest on: ``section``, ``period`` (label), ``parameter``, ``samples``."""
    return monthly.group_by(
        "section", period_label(pl.col("month"), kind).alias("period"), "parameter"
    ).agg(pl.col("samples").sum().cast(pl.Int32))


def rebuild(connection: Connection) -> int:
    """Recompute the stored means of every section and every year with observations, in the
    caller's transaction: the backfill of an existing database, idempotent; how many means are
    stored."""
    ids = [int(i) for i in connection.execute(select(SECTIONS.c.id)).scalars()]
    time = OBSERVATIONS.c.time
    first, last = connection.execute(select(func.min(time), func.max(time))).one()
    if not ids or first is None:
        return 0
    years = range(_beijing_year(first), _beijing_year(last) + 1)
    return refresh(connection, ids, list(years))


def _beijing_year(moment: datetime) -> int:
    """The Beijing-time year of a stored instant (naive values are UTC)."""
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return aware.astimezone(BEIJING).year
