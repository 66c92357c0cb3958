"""Stored HJ 212 records as Polars frames: one row per interval and factor.

:func:`factor_frame` turns records (``data_time`` [Unix s], ``cp`` text as received) into a
wide frame ``data_time, code, Avg, ZsAvg, Min, Max, Rtd, ZsRtd, Cou, Flag`` — numbers as
Float64 (null when absent or not a number), ``Flag`` as text — split and pivoted without a
Python loop; :func:`device_stats` aggregates hourly records by device, factor and Beijing hour
or day. Pure functions (frames in, frames out), partitionable by device and time.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final, overload

import polars as pl

from ecogov.standards.timebase import BEIJING_OFFSET_S

NUMERIC_KINDS: Final = ("Avg", "ZsAvg", "Min", "Max", "Rtd", "ZsRtd", "Cou")
"""Table 4 field kinds read as numbers."""
FACTOR_SCHEMA: Final = {
    "data_time": pl.Int64,
    "code": pl.String,
    **dict.fromkeys(NUMERIC_KINDS, pl.Float64),
    "Flag": pl.String,
}
RECORD_SCHEMA: Final = {"data_time": pl.Int64, "cp": pl.String}
INVALID_FLAGS: Final = frozenset({"M", "D", "C", "F", "B", "P"})
"""Data flags of values that never count (Table 8: maintenance, fault, calibration, stopped,
communication error; HJ/T 212-2005 P, power failure)."""


def long_values(records: pl.DataFrame, keys: Sequence[str] = ()) -> pl.DataFrame:
    """``keys…, data_time, code, kind, raw``: every ``code-Kind=raw`` field of the records' CP
    areas (§6.3.3: ``;`` between items, ``,`` within one; plain fields such as DataTime
    dropped); ``keys`` are further columns of ``records`` carried along (e.g. ``mn``)."""
    fields = (
        records.select(*keys, "data_time", item=pl.col("cp").str.split(";"))
        .explode("item")
        .with_columns(pl.col("item").str.split(","))
        .explode("item")
        .with_columns(pl.col("item").str.split_exact("=", 1).struct.rename_fields(["name", "raw"]))
        .unnest("item")
        .with_columns(pl.col("name").str.split_exact("-", 1).struct.rename_fields(["code", "kind"]))
        .unnest("name")
    )
    return fields.filter(pl.col("kind").is_not_null()).select(
        *keys, "data_time", "code", "kind", "raw"
    )


def factor_frame(records: pl.DataFrame, keys: Sequence[str] = ()) -> pl.DataFrame:
    """One row per record and factor with its numeric fields and flag (see the module), led by
    the ``keys`` columns of ``records`` (e.g. ``mn``: the records of many devices at once)."""
    long = long_values(records.select(*keys, *RECORD_SCHEMA.keys()), keys)
    if long.is_empty():
        return pl.DataFrame(schema={**{key: records.schema[key] for key in keys}, **FACTOR_SCHEMA})
    wide = long.pivot(
        on="kind", index=[*keys, "data_time", "code"], values="raw", aggregate_function="first"
    )
    missing = [name for name in FACTOR_SCHEMA if name not in wide.columns]
    wide = wide.with_columns(pl.lit(None, dtype=pl.String).alias(name) for name in missing)
    return wide.select(
        *keys,
        pl.col("data_time"),
        pl.col("code"),
        *(pl.col(kind).cast(pl.Float64, strict=False) for kind in NUMERIC_KINDS),
        pl.col("Flag"),
    ).sort(*keys, "code", "data_time")


def valid() -> pl.Expr:
    """Whether a row's value counts: its flag is not one of :data:`INVALID_FLAGS`."""
    return pl.col("Flag").is_null() | ~pl.col("Flag").is_in(list(INVALID_FLAGS))


def runs(condition: pl.Expr, step: int) -> pl.Expr:
    """A run number per factor: it changes wherever ``condition`` changes or the interval after
    the previous row is not ``step`` seconds (a gap breaks a run). Rows sorted by code, time."""
    gap = pl.col("data_time").diff().over("code") != step
    changed = condition.ne_missing(condition.shift(1).over("code"))
    return (changed | gap.fill_null(True)).cum_sum().over("code")


SPANS: Final = {"hour": (3600, 1), "day": (86400, 24)}
"""Aggregate span → (length [s], hourly values it expects)."""


@overload
def interval_start(data_time: pl.Expr, span: str) -> pl.Expr: ...


@overload
def interval_start(data_time: int, span: str) -> int: ...


def interval_start(data_time: pl.Expr | int, span: str) -> pl.Expr | int:
    """The start [Unix s] of the Beijing-time hour or day holding ``data_time`` [Unix s]: a
    column expression, or one moment (the receiver's commits, per record)."""
    length = SPANS[span][0]
    return (data_time + BEIJING_OFFSET_S) // length * length - BEIJING_OFFSET_S


def device_stats(records: pl.DataFrame, spans: Sequence[str] = tuple(SPANS)) -> pl.DataFrame:
    """Per device, factor and Beijing hour and day (``spans``) of hourly (2061) records (``mn``,
    ``data_time``, ``cp``): ``avg`` (mean of the valid hourly ``Avg``), ``min`` and ``max`` (of
    the valid hourly ``Min``/``Max``, the ``Avg`` where a record gives none), ``count`` (valid
    hours) and ``expected`` (hours the span holds). Values flagged :data:`INVALID_FLAGS` do not
    count; a factor with none valid keeps its row with ``count`` 0 (its coverage)."""
    schema = {
        "mn": pl.String,
        "span": pl.String,
        "start": pl.Int64,
        "code": pl.String,
        "avg": pl.Float64,
        "min": pl.Float64,
        "max": pl.Float64,
        "count": pl.Int32,
        "expected": pl.Int32,
    }
    if records.is_empty():
        return pl.DataFrame(schema=schema)
    counted = pl.when(valid() & pl.col("Avg").is_not_null())
    factors = factor_frame(records, ("mn",))  # parsed once for every span
    stats = [
        factors.with_columns(start=interval_start(pl.col("data_time"), span))
        .group_by("mn", "start", "code")
        .agg(
            avg=counted.then(pl.col("Avg")).sort().mean(),
            min=counted.then(pl.coalesce("Min", "Avg")).min(),
            max=counted.then(pl.coalesce("Max", "Avg")).max(),
            count=counted.then(1).count().cast(pl.Int32),
        )
        .with_columns(span=pl.lit(span, pl.String), expected=pl.lit(SPANS[span][1], pl.Int32))
        .select(schema.keys())
        .cast(schema)  # type: ignore[arg-type]
        for span in spans
    ]
    return pl.concat(stats).sort("mn", "span", "start", "code")
