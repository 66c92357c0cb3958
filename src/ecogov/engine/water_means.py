"""Means of surface-water items over time and over sections (环办〔2011〕22号 data aggregation).

Monthly values are the arithmetic mean of the month's samples; quarterly and annual values the
mean of the monthly values; a river or basin of one to four sections, and a lake with several
points, is graded on the mean over its sections. pH is averaged through the hydrogen-ion
concentration everywhere, ``−log10(mean(10^−pH))`` (总站水字〔2020〕90号), as
:func:`ecogov.standards.water_assessment.mean_item` does for one series. Months are calendar months
in Beijing time. Column conventions: see :mod:`ecogov.engine.water`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Final

import polars as pl

from ecogov.engine.water import PH, value_usable
from ecogov.standards.periods import ASSESSMENT_KINDS, AssessmentKind
from ecogov.standards.timebase import BEIJING

__all__ = [
    "PERIOD_KINDS",
    "VALID_FLAGS",
    "PeriodKind",
    "beijing_local",
    "beijing_month",
    "from_beijing",
    "monthly_means",
    "period_label",
    "period_means",
    "spatial_means",
]

PeriodKind = AssessmentKind
"""The kind of period a mean covers (one type for every domain: ``standards.periods``)."""
PERIOD_KINDS: Final = ASSESSMENT_KINDS
VALID_FLAGS: Final = ("N",)
"""HJ 212-2017 data flags (§6.6.4 Table 8) of values that enter a mean: N (instrument normal).
Manual samples carry no flag; values flagged F, M, S, D, C, T or B are kept but not averaged."""
MEAN_DECIMALS: Final = 12
"""Decimals a mean is kept to: far below any reporting place (at most 5, Hg and Cd, CNEMC 2020),
far above the float additions' last-bit noise at GB 3838 concentrations."""


def _is_ph() -> pl.Expr:
    return pl.col("parameter") == PH


def _linear(value: pl.Expr) -> pl.Expr:
    """The quantity that is averaged: the value, or [H⁺] = 10^−pH for pH."""
    return pl.when(_is_ph()).then(pl.lit(10.0).pow(-value)).otherwise(value)


def _from_linear(mean: pl.Expr) -> pl.Expr:
    """Back from the averaged quantity: −log10 of the mean [H⁺] for pH."""
    return pl.when(_is_ph()).then(-mean.log10()).otherwise(mean)


def _mean(frame: pl.LazyFrame, keys: Sequence[str], count: str, counted: pl.Expr) -> pl.LazyFrame:
    """``value`` averaged per ``keys`` + ``parameter`` (pH through [H⁺]), with a coverage count,
    sorted by the keys. A group's values are summed in ascending order, so the mean is the same to
    the last bit whatever order the rows come in (a grouped ``mean()`` adds in order of arrival,
    which a parallel group-by varies), and it is kept to :data:`MEAN_DECIMALS` decimals, so a mean
    exactly on a class limit (TP 0.1) or a rounding tie (0.1885) does not fall on the wrong side
    through float noise; stored means equal those computed afresh."""
    return (
        frame.with_columns(value=_linear(pl.col("value")))
        .group_by([*keys, "parameter"])
        .agg(pl.col("value").sort(), counted.alias(count))
        .with_columns(value=_from_linear(pl.col("value").list.mean()).round(MEAN_DECIMALS))
        .sort([*keys, "parameter"])
    )


def monthly_means(samples: pl.DataFrame) -> pl.DataFrame:
    """Monthly mean of each item at each section (环办〔2011〕22号: one sample, or the arithmetic
    mean of several; pH through [H⁺]) [GB 3838 units].

    ``samples`` needs ``section``, ``time`` (timezone-aware), ``parameter`` and ``value``, and may
    have ``flag``: only unflagged values and those flagged :data:`VALID_FLAGS` are averaged, and
    values :func:`~ecogov.engine.water.value_problem` refuses are left out. Result: ``section``,
    ``month`` (Date, the first day of the calendar month in Beijing time), ``parameter``,
    ``value`` and ``samples`` (how many were averaged).
    """
    usable = value_usable()
    if "flag" in samples.columns:
        usable &= pl.col("flag").is_null() | pl.col("flag").is_in(VALID_FLAGS)
    dated = samples.lazy().filter(usable).with_columns(month=beijing_month(pl.col("time")))
    counted = pl.len().cast(pl.Int32)
    return _mean(dated, ["section", "month"], "samples", counted).collect()


def _beijing_offset() -> timedelta:
    offset = BEIJING.utcoffset(None)
    assert offset is not None  # a fixed offset, UTC+8
    return offset


def beijing_local(time: pl.Expr) -> pl.Expr:
    """A timezone-aware instant as naive Beijing wall-clock time (UTC+8)."""
    utc = time.dt.convert_time_zone("UTC").dt.replace_time_zone(None)
    return utc + _beijing_offset()


def from_beijing(local: pl.Expr) -> pl.Expr:
    """Naive Beijing wall-clock time (UTC+8) as a UTC instant."""
    return (local - _beijing_offset()).dt.replace_time_zone("UTC")


def beijing_month(time: pl.Expr) -> pl.Expr:
    """The calendar month (Date of its first day) in Beijing time of a timezone-aware instant."""
    return beijing_local(time).dt.month_start().dt.date()


def _period_key(month: pl.Expr, kind: PeriodKind) -> pl.Expr:
    """A cheap grouping key of the period a month falls in (the month, year·10+quarter, year)."""
    if kind == "month":
        return month
    if kind == "quarter":
        return month.dt.year() * 10 + month.dt.quarter()
    return month.dt.year()


def _period_text(key: pl.Expr, kind: PeriodKind) -> pl.Expr:
    """The label of a :func:`_period_key`."""
    if kind == "month":
        return key.dt.strftime("%Y-%m")
    if kind == "quarter":
        return pl.format("{}-Q{}", key // 10, key % 10)
    return key.cast(pl.String)


def period_label(month: pl.Expr, kind: PeriodKind) -> pl.Expr:
    """The period a month (Date) falls in: ``"2025-05"``, ``"2025-Q2"`` or ``"2025"`` (the
    canonical spelling of :func:`ecogov.standards.periods.format_period`, vectorized)."""
    return _period_text(_period_key(month, kind), kind)


def period_means(monthly: pl.DataFrame, kind: PeriodKind) -> pl.DataFrame:
    """Mean of the monthly means over each period (环办〔2011〕22号: quarterly and annual values
    from the monthly data; pH through [H⁺]) [GB 3838 units].

    ``monthly`` is :func:`monthly_means` output (or any frame with ``section``, ``month``,
    ``parameter``, ``value``). Result: ``section``, ``period`` (:func:`period_label`),
    ``parameter``, ``value`` and ``months`` (how many monthly values were averaged).
    """
    # Grouped on a numeric key; the few aggregated rows get their text label afterwards.
    keyed = monthly.lazy().with_columns(period=_period_key(pl.col("month"), kind))
    counted = pl.len().cast(pl.Int32)
    means = _mean(keyed, ["section", "period"], "months", counted)
    return means.with_columns(period=_period_text(pl.col("period"), kind)).collect()


def spatial_means(means: pl.DataFrame, keys: Sequence[str]) -> pl.DataFrame:
    """Mean of each item over the sections or points of each group (环办〔2011〕22号: a river or
    basin of fewer than 5 sections, a lake of several points; pH through [H⁺]).

    ``means`` has ``section``, the ``keys`` columns, ``parameter`` and ``value``. Result: the
    ``keys``, ``parameter``, ``value`` and ``sections`` (how many sections hold the item).
    """
    counted = pl.col("section").n_unique().cast(pl.Int32)
    return _mean(means.lazy(), keys, "sections", counted).collect()
