"""The naive forecasts every skill score is measured against (HJ 1130-2020 Ch. 6 reports a
forecast beside them): persistence and climatology.

* **Persistence** — every lead day gets the daily values of the 24 hours ending at the issue
  time (:func:`ecogov.engine.forecast.daily.issue_blocks`).
* **Climatology** — the mean 1-hour concentration per station × calendar month × hour of day over
  the history before a cut-off; a target day's hourly series is read from it and aggregated like
  an observed day (24-hour means, O3 1-hour maximum, MDA8).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import polars as pl

from ecogov.engine.air_schema import POLLUTANTS
from ecogov.engine.forecast.daily import DAILY_TARGETS, issue_blocks, observed_daily

__all__ = [
    "baseline_days",
    "climatology_daily",
    "climatology_hourly",
    "hourly_climatology",
    "persistence_daily",
]


def persistence_daily(wide: pl.DataFrame, cases: pl.DataFrame, issue_hour: int) -> pl.DataFrame:
    """Persistence forecast of ``cases`` (``station``, ``issued`` Datetime at ``issue_hour``,
    ``lead_day``): ``cases`` + ``date`` (the target day) + :data:`DAILY_TARGETS` of the 24 hours
    ending at the issue time (null where that block is invalid)."""
    dated = _with_date(cases)
    # only the hours of the issue days' blocks: the grid of the daily values spans the hours given
    block_day = (pl.col("time") + timedelta(hours=23 - issue_hour)).dt.date()
    hours = wide.filter(block_day.is_in(dated["issue_day"].unique().implode()))
    blocks = issue_blocks(hours, issue_hour)
    return dated.join(
        blocks.rename({"date": "issue_day"}), on=["station", "issue_day"], how="left"
    ).drop("issue_day")


def hourly_climatology(wide: pl.DataFrame, before: datetime) -> pl.DataFrame:
    """Mean 1-hour concentration per ``station``, ``month`` (of the Beijing day) and ``hour`` of
    the stamp over every stamp before ``before``: one column per pollutant of the history."""
    present = [p for p in POLLUTANTS if p in wide.columns]
    day = (pl.col("time") - timedelta(hours=1)).dt.date()
    return (
        wide.filter(pl.col("time") < before)
        .group_by(
            pl.col("station").cast(pl.String),
            day.dt.month().alias("month"),
            pl.col("time").dt.hour().alias("hour"),
        )
        .agg(pl.col(p).mean() for p in present)
    )


def climatology_hourly(climatology: pl.DataFrame, targets: pl.DataFrame) -> pl.DataFrame:
    """The climatological wide hourly series (stamps D 01:00 … D+1 00:00) of every distinct
    ``station`` and ``date`` of ``targets``."""
    days = targets.select(pl.col("station").cast(pl.String), "date").unique()
    hours = pl.DataFrame({"offset": list(range(1, 25))}, schema={"offset": pl.Int32})
    stamps = days.join(hours, how="cross").with_columns(
        (pl.col("date").cast(pl.Datetime("us")) + pl.duration(hours=pl.col("offset"))).alias(
            "time"
        ),
        pl.col("date").dt.month().alias("month"),
    )
    series = stamps.with_columns(pl.col("time").dt.hour().alias("hour")).join(
        climatology, on=["station", "month", "hour"], how="left"
    )
    present = [p for p in POLLUTANTS if p in climatology.columns]
    # the exact engine reads concentrations at its 0.001 resolution (a mean has more decimals)
    return series.select(
        "station",
        "time",
        *(pl.col(p).round(3) for p in present),
        *(pl.lit(None, dtype=pl.Float64).alias(p) for p in POLLUTANTS if p not in present),
    ).sort("station", "time")


def climatology_daily(
    wide: pl.DataFrame, cases: pl.DataFrame, cutoffs: pl.DataFrame | date | None = None
) -> pl.DataFrame:
    """Climatology forecast of ``cases`` (``station``, ``issued``, ``lead_day``): ``cases`` +
    ``date`` + :data:`DAILY_TARGETS` from the hourly climatology of the history before each case's
    cut-off.

    ``cutoffs``: None — each case uses the history before the first day of its issue month (the
    schedule the backtest retrains on); a date — one cut-off for every case.
    """
    dated = _with_date(cases).drop("issue_day")
    if isinstance(cutoffs, date):
        groups = [(datetime.combine(cutoffs, datetime.min.time()), dated)]
    else:
        keyed = dated.with_columns(pl.col("issued").dt.truncate("1mo").alias("_cut"))
        groups = [
            (cut, part.drop("_cut")) for (cut,), part in keyed.group_by("_cut", maintain_order=True)
        ]
    parts = []
    for cut, part in groups:
        clim = hourly_climatology(wide, cut + timedelta(hours=1))
        days = observed_daily(climatology_hourly(clim, part))
        parts.append(part.join(days, on=["station", "date"], how="left"))
    return pl.concat(parts).select(*dated.columns, *DAILY_TARGETS)


def _with_date(cases: pl.DataFrame) -> pl.DataFrame:
    issue_day = pl.col("issued").dt.date()
    return cases.with_columns(
        pl.col("station").cast(pl.String),
        issue_day.alias("issue_day"),
        (issue_day + pl.duration(days=pl.col("lead_day"))).alias("date"),
    )


def _month_after(day: date) -> date:
    """The first day of the month after ``day``'s."""
    return (day.replace(day=1) + timedelta(days=32)).replace(day=1)


def baseline_days(
    cases: pl.DataFrame, since: date, *, targets: bool = False
) -> list[tuple[date, date]]:
    """The Beijing days (``first``, ``last``) ranges, sorted and disjoint, whose hours
    :func:`persistence_daily` and :func:`climatology_daily` (cut-offs None) read for ``cases``
    (``issued``, ``lead_day``) out of a history starting on day ``since``: their results on those
    hours alone equal their results on every hour from ``since`` on. ``targets``: also the
    target days (to derive the observed days from the same hours).

    Persistence reads the 24 hours ending at each issue time: the issue day and the day before.
    Climatology reads, before each issue month, only the hours of the calendar months of the
    target days (``since`` … the day before the last issue month, those months only).
    """
    if cases.is_empty():
        return []
    issued = cases.select(pl.col("issued").dt.date().unique()).to_series().to_list()
    ranges = [(day - timedelta(days=1), day) for day in issued]
    target_days = (
        cases.select(pl.col("issued").dt.date() + pl.duration(days=pl.col("lead_day")))
        .to_series()
        .unique()
        .to_list()
    )
    if targets:
        ranges += [(day, day) for day in target_days]
    months = {day.month for day in target_days}
    last_cut = max(issued).replace(day=1)
    start = since.replace(day=1)
    while start < last_cut:
        following = _month_after(start)
        if start.month in months:
            ranges.append((max(start, since), following - timedelta(days=1)))
        start = following
    merged: list[tuple[date, date]] = []
    for first, last in sorted(ranges):
        if merged and first <= merged[-1][1] + timedelta(days=1):
            merged[-1] = (merged[-1][0], max(merged[-1][1], last))
        else:
            merged.append((first, last))
    return merged
