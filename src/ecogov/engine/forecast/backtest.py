"""The backtest: for every day of a period, a forecast issued at the issue hour from a model
retrained monthly on the history before the month's first issue (never later data)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import polars as pl

from ecogov.engine.forecast.daily import DAILY_TARGETS
from ecogov.engine.forecast.learner import predict, train
from ecogov.engine.forecast.verification import CASE_KEYS, with_aqi

__all__ = ["BACKTEST_COLUMNS", "backtest", "daily_table", "long_table"]

BACKTEST_COLUMNS: tuple[str, ...] = (
    "issued",
    "station",
    "lead_day",
    "date",
    "pollutant",
    "daily_mean",
    "aqi",
    "level",
    "primary",
)
"""Columns of the ``ecogov air forecast backtest`` CSV, one row per case and pollutant."""


def _months(first: date, last: date) -> list[tuple[date, date]]:
    spans = []
    start = first
    while start <= last:
        following = (start.replace(day=1) + timedelta(days=32)).replace(day=1)
        spans.append((start, min(last, following - timedelta(days=1))))
        start = following
    return spans


def backtest(
    wide: pl.DataFrame, met: pl.DataFrame, first: date, last: date, issue_hour: int
) -> pl.DataFrame:
    """Daily forecasts (case keys + :data:`DAILY_TARGETS` + ``aqi``, ``level``, ``primary``) of
    every station and issue day ``first`` … ``last``; the model of each month is trained at that
    month's first issue time."""
    stations = wide.select(pl.col("station").cast(pl.String).unique())
    parts = []
    for start, end in _months(first, last):
        issued = datetime.combine(start, datetime.min.time()) + timedelta(hours=issue_hour)
        model = train(wide, met, issued, issue_hour)
        days = pl.DataFrame({"issue_day": pl.date_range(start, end, eager=True)})
        parts.append(predict(model, wide, met, stations.join(days, how="cross")))
    return daily_table(pl.concat(parts))


def daily_table(forecast: pl.DataFrame) -> pl.DataFrame:
    """One row per case from the long ``predict`` frame, with the HJ 633 AQI of its values."""
    wide = forecast.pivot("pollutant", index=list(CASE_KEYS), values="value")
    return with_aqi(
        wide.with_columns(
            pl.lit(None, dtype=pl.Float64).alias(t) for t in DAILY_TARGETS if t not in wide.columns
        )
    ).sort("issued", "station", "lead_day")


def long_table(daily: pl.DataFrame) -> pl.DataFrame:
    """The backtest CSV layout (:data:`BACKTEST_COLUMNS`) of a daily forecast table."""
    return (
        daily.unpivot(
            index=[*CASE_KEYS, "aqi", "level", "primary"],
            on=[t for t in DAILY_TARGETS if t in daily.columns],
            variable_name="pollutant",
            value_name="daily_mean",
        )
        .drop_nulls("daily_mean")
        .select(BACKTEST_COLUMNS)
        .sort("issued", "station", "lead_day", "pollutant")
    )
