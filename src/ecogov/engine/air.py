"""Vectorized air-quality engine: the public API (HJ 633 AQI, GB 3095 validity, HJ 663 statistics).

Frames in, frames out; pure; exact: every IAQI is the rounded-up
value of formula (1) in exact arithmetic, as :mod:`ecogov.standards.hj633` computes it.

Pipeline (time: hour-ending Beijing time, see :mod:`ecogov.engine.air_schema`)::

    long observations ──wide_from_long──► wide hourly ──hourly_aqi──► real-time AQI per hour
                                               │── city_hourly_values(stations) ──hourly_aqi──►
                                               │
                                         daily_values ──► station daily values ──daily_aqi──► …
                                               │                 │
                                               │      city_daily_values(stations) ──daily_aqi──►
                                               ▼
                      period_statistics(month | quarter | year) ──change_and_rank──► city ranking

:func:`aqi_table` is the contract of the ``ecogov air aqi`` command.
"""

from __future__ import annotations

from typing import Literal

import polars as pl

from ecogov.engine.air_daily import (
    DAILY_INDICATORS,
    city_daily_values,
    complete_days,
    daily_aqi,
    daily_values,
)
from ecogov.engine.air_exact import MAX_CONCENTRATION, SCALE, exact_value
from ecogov.engine.air_hourly import (
    city_hourly_values,
    hourly_aqi,
    moving_average,
    o3_8h_moving_iaqi,
)
from ecogov.engine.air_input import LONG_COLUMNS, check_long, wide_from_long
from ecogov.engine.air_period import Period, change_and_rank, period_statistics
from ecogov.engine.air_schema import (
    INDICATORS,
    POLLUTANTS,
    EditionChoice,
    EngineInputError,
    StageChoice,
    iaqi_column,
)
from ecogov.standards.editions import Edition
from ecogov.standards.gb3095 import Indicator

__all__ = [
    "AQI_TABLE_COLUMNS",
    "DAILY_INDICATORS",
    "LONG_COLUMNS",
    "MAX_CONCENTRATION",
    "POLLUTANTS",
    "SCALE",
    "EditionChoice",
    "EngineInputError",
    "Period",
    "StageChoice",
    "aqi_table",
    "change_and_rank",
    "check_long",
    "city_daily_values",
    "city_hourly_values",
    "complete_days",
    "daily_aqi",
    "daily_values",
    "exact_value",
    "hourly_aqi",
    "moving_average",
    "o3_8h_moving_iaqi",
    "period_statistics",
    "wide_from_long",
]

AQI_TABLE_COLUMNS: tuple[str, ...] = (
    "station",
    "time",
    "aqi",
    "level",
    "category",
    "primary_pollutants",
    *(iaqi_column(indicator) for indicator in INDICATORS),
)
"""Columns of :func:`aqi_table`, in order."""

_PUBLISHED_FIELDS = ("aqi", "level", "category", "primary_pollutants")


def aqi_table(
    long: pl.DataFrame,
    kind: Literal["hourly", "daily"],
    edition: Literal["2012", "2026", "auto"],
) -> pl.DataFrame:
    """AQI of every station and hour (real-time report) or day (daily report) of long data.

    ``long``: ``station`` (str), ``time`` (datetime, end of the hour, Beijing; naive = Beijing),
    ``pollutant`` (SO2, NO2, CO, O3, PM10, PM2.5), ``value`` (float; 1-hour average [µg/m³; CO
    mg/m³]). ``edition``: ``"2012"``, ``"2026"`` or ``"auto"`` (by the Beijing date: HJ 633-2026
    from 2026-03-01).

    Returns :data:`AQI_TABLE_COLUMNS`: ``station`` (String), ``time`` (Datetime of the hour for
    ``hourly``, Date of the day for ``daily``), ``aqi`` (Int16), ``level`` (Int8, 1-6),
    ``category`` (String, 优 … 严重污染), ``primary_pollutants`` (String: codes of SO2, NO2, CO,
    O3_1H, O3_8H, PM10, PM2.5 joined with ";", empty when AQI ≤ 50) and ``iaqi_<code>`` (Int16,
    null when missing). Hourly: the published real-time method (1-hour values; PM on the daily
    breakpoints); ``iaqi_O3_8H`` is the IAQI of the 8-hour moving average ending at the hour when
    it has ≥ 6 valid hours — informational, never part of the AQI (published practice). Daily:
    HJ 633 daily report from validated daily values (24-hour means ≥ 20 hours, MDA8 ≥ 14 windows
    or above the limit); ``iaqi_O3_1H`` only under HJ 633-2012. When HJ 633-2026 §5.3.1 forbids
    publishing an incomplete report (a pollutant missing and AQI ≤ 100), ``aqi``, ``level``,
    ``category`` and ``primary_pollutants`` are null ("NA"); the IAQIs stay. Sorted by station
    and time.

    Raises:
        EngineInputError: for bad input (unknown pollutant, time not on the hour, negative or
            out-of-range value, a duplicate observation, a missing column).
    """
    choice: EditionChoice = "auto" if edition == "auto" else Edition(edition)
    wide = wide_from_long(long)
    if kind == "hourly":
        report = hourly_aqi(wide, choice).join(
            o3_8h_moving_iaqi(wide, choice).select("station", "time", iaqi_column(Indicator.O3_8H)),
            on=["station", "time"],
            how="left",
        )
    else:
        report = daily_aqi(daily_values(wide), choice).rename({"date": "time"})
    published = pl.col("publishable")
    return (
        report.with_columns(
            pl.when(published).then(pl.col(name)).alias(name) for name in _PUBLISHED_FIELDS
        )
        .select(
            pl.col("station").cast(pl.String),
            "time",
            "aqi",
            "level",
            pl.col("category").cast(pl.String),
            pl.col("primary_pollutants").cast(pl.String),
            *(
                pl.col(name) if name in report.columns else pl.lit(None, dtype=pl.Int16).alias(name)
                for name in AQI_TABLE_COLUMNS[6:]
            ),
        )
        .sort("station", "time")
    )
