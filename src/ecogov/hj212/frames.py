"""Stored HJ 212 records as Polars frames: one row per interval and factor.

:func:`factor_frame` turns records (``data_time`` [Unix s], ``cp`` text as received) into a
wide frame ``data_time, code, Avg, ZsAvg, Min, Max, Rtd, ZsRtd, Cou, Flag`` — numbers as
Float64 (null when absent or not a number), ``Flag`` as text — split and pivoted without a
Python loop. Pure functions (frames in, frames out), partitionable by device and time.
"""

from __future__ import annotations

from typing import Final

import polars as pl

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


def long_values(records: pl.DataFrame) -> pl.DataFrame:
    """``data_time, code, kind, raw``: every ``code-Kind=raw`` field of the records' CP areas
    (§6.3.3: ``;`` between items, ``,`` within one; plain fields such as DataTime dropped)."""
    fields = (
        records.select("data_time", item=pl.col("cp").str.split(";"))
        .explode("item")
        .with_columns(pl.col("item").str.split(","))
        .explode("item")
        .with_columns(pl.col("item").str.split_exact("=", 1).struct.rename_fields(["name", "raw"]))
        .unnest("item")
        .with_columns(pl.col("name").str.split_exact("-", 1).struct.rename_fields(["code", "kind"]))
        .unnest("name")
    )
    return fields.filter(pl.col("kind").is_not_null()).select("data_time", "code", "kind", "raw")


def factor_frame(records: pl.DataFrame) -> pl.DataFrame:
    """One row per record and factor with its numeric fields and flag (see the module)."""
    long = long_values(records.select(RECORD_SCHEMA.keys()))
    if long.is_empty():
        return pl.DataFrame(schema=FACTOR_SCHEMA)
    wide = long.pivot(
        on="kind", index=["data_time", "code"], values="raw", aggregate_function="first"
    )
    missing = [name for name in FACTOR_SCHEMA if name not in wide.columns]
    wide = wide.with_columns(pl.lit(None, dtype=pl.String).alias(name) for name in missing)
    return wide.select(
        pl.col("data_time"),
        pl.col("code"),
        *(pl.col(kind).cast(pl.Float64, strict=False) for kind in NUMERIC_KINDS),
        pl.col("Flag"),
    ).sort("code", "data_time")


def valid() -> pl.Expr:
    """Whether a row's value counts: its flag is not one of :data:`INVALID_FLAGS`."""
    return pl.col("Flag").is_null() | ~pl.col("Flag").is_in(list(INVALID_FLAGS))


def runs(condition: pl.Expr, step: int) -> pl.Expr:
    """A run number per factor: it changes wherever ``condition`` changes or the interval after
    the previous row is not ``step`` seconds (a gap breaks a run). Rows sorted by code, time."""
    gap = pl.col("data_time").diff().over("code") != step
    changed = condition.ne_missing(condition.shift(1).over("code"))
    return (changed | gap.fill_null(True)).cum_sum().over("code")
