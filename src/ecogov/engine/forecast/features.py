"""Features of a forecast case, each computed only from what is known at the issue time.

A case is (``station``, issue day D); the forecast is issued at D ``issue_hour``:00 and may use
every hourly stamp ≤ that time (:mod:`ecogov.engine.forecast.daily`). Features:

* the daily values of the 24-hour blocks ending at the issue time, 1 and 2 days before it, and
  the mean of the last 7 blocks (every daily indicator);
* the last 1-hour value and the mean of the last 3 hours of every pollutant;
* the weather at the issue time and its 24-hour pressure and temperature change (observed
  meteorology); for each target day the daily mean (RAIN: total, WSPM: also maximum) of the
  meteorology rows of that day — rows after the issue time are that issue's weather forecast;
* the station, the target day's calendar (day of year as sine/cosine, weekday) and the
  station × month climatology of every daily indicator (from the training history).
"""

from __future__ import annotations

import math
from datetime import date, timedelta

import polars as pl

from ecogov.engine.air_schema import POLLUTANTS
from ecogov.engine.forecast.daily import DAILY_TARGETS, issue_blocks

__all__ = [
    "MET_VARIABLES",
    "case_features",
    "daily_climatology",
    "met_daily",
    "met_wide",
    "target_features",
]

MET_VARIABLES: tuple[str, ...] = ("TEMP", "PRES", "DEWP", "HUMI", "RAIN", "WSPM")
"""Meteorological variables a met file may hold (°C, hPa, °C, %, mm, m/s)."""

_BLOCK_LAGS = (0, 1, 2)
_MEAN_BLOCKS = 7


def met_wide(met_long: pl.DataFrame, stations: list[str]) -> pl.DataFrame:
    """Wide hourly meteorology (``station``, ``time``, :data:`MET_VARIABLES`) per history station.

    ``met_long``: ``station``, ``time``, ``variable``, ``value``. A met station that is not a
    history station (e.g. the city's name) serves every history station without its own rows.
    """
    if met_long.is_empty():
        schema: dict[str, pl.DataType] = {"station": pl.String(), "time": pl.Datetime("us")}
        return pl.DataFrame(schema=schema | {v: pl.Float64() for v in MET_VARIABLES})
    wide = met_long.pivot(
        "variable", index=["station", "time"], values="value", aggregate_function="mean"
    )
    wide = wide.with_columns(
        pl.col(v).cast(pl.Float64) if v in wide.columns else pl.lit(None, dtype=pl.Float64).alias(v)
        for v in MET_VARIABLES
    ).select("station", pl.col("time").cast(pl.Datetime("us")), *MET_VARIABLES)
    own = wide.filter(pl.col("station").is_in(stations))
    shared = wide.filter(~pl.col("station").is_in(stations))
    served = set(own["station"].unique().to_list())
    lacking = [s for s in stations if s not in served]
    if lacking and not shared.is_empty():
        fallback = (
            shared.group_by("time")
            .agg(pl.col(v).mean() for v in MET_VARIABLES)
            .join(pl.DataFrame({"station": lacking}), how="cross")
            .select("station", "time", *MET_VARIABLES)
        )
        own = pl.concat([own, fallback])
    return own.sort("station", "time")


def case_features(
    wide: pl.DataFrame, met: pl.DataFrame, issue_days: pl.DataFrame, issue_hour: int
) -> pl.DataFrame:
    """Issue-time features of every (``station``, ``issue_day``) of ``issue_days``, from the
    stamps ≤ the issue time only (blocks end at it, lags and windows look back)."""
    cases = issue_days.select(pl.col("station").cast(pl.String), "issue_day")
    blocks = issue_blocks(wide, issue_hour)
    frame = cases
    for lag in range(_MEAN_BLOCKS):
        lagged = blocks.select(
            "station",
            (pl.col("date") + timedelta(days=lag)).alias("issue_day"),
            *(pl.col(t).alias(f"b{lag}_{t}") for t in DAILY_TARGETS),
        )
        frame = frame.join(lagged, on=["station", "issue_day"], how="left")
    frame = frame.with_columns(
        pl.mean_horizontal(pl.col(f"b{lag}_{t}") for lag in range(_MEAN_BLOCKS)).alias(f"b7_{t}")
        for t in DAILY_TARGETS
    ).drop(
        f"b{lag}_{t}"
        for lag in range(_MEAN_BLOCKS)
        if lag not in _BLOCK_LAGS
        for t in DAILY_TARGETS
    )

    present = [p for p in POLLUTANTS if p in wide.columns]
    recent = (
        wide.select(pl.col("station").cast(pl.String), "time", *present)
        .sort("station", "time")
        .rolling("time", period="3h", group_by="station")
        .agg(
            *(pl.col(p).last().alias(f"h1_{p}") for p in present),
            *(pl.col(p).mean().alias(f"h3_{p}") for p in present),
        )
        .filter(pl.col("time").dt.hour() == issue_hour)
        .select(
            "station", pl.col("time").dt.date().alias("issue_day"), pl.exclude("station", "time")
        )
    )
    frame = frame.join(recent, on=["station", "issue_day"], how="left")

    at_issue = met.filter(pl.col("time").dt.hour() == issue_hour).select(
        "station",
        pl.col("time").dt.date().alias("issue_day"),
        *(pl.col(v).alias(f"m0_{v}") for v in MET_VARIABLES),
    )
    day_before = at_issue.select(
        "station",
        (pl.col("issue_day") + timedelta(days=1)).alias("issue_day"),
        pl.col("m0_PRES").alias("_p"),
        pl.col("m0_TEMP").alias("_t"),
    )
    return (
        frame.join(at_issue, on=["station", "issue_day"], how="left")
        .join(day_before, on=["station", "issue_day"], how="left")
        .with_columns(
            (pl.col("m0_PRES") - pl.col("_p")).alias("m0_dPRES"),
            (pl.col("m0_TEMP") - pl.col("_t")).alias("m0_dTEMP"),
        )
        .drop("_p", "_t")
    )


def met_daily(met: pl.DataFrame) -> pl.DataFrame:
    """Daily meteorology per ``station`` and Beijing ``date`` (hour-ending stamps): means, RAIN
    total and WSPM maximum."""
    day = (pl.col("time") - timedelta(hours=1)).dt.date().alias("date")
    return met.group_by("station", day).agg(
        *(pl.col(v).mean().alias(f"md_{v}") for v in MET_VARIABLES if v != "RAIN"),
        pl.when(pl.col("RAIN").count() > 0).then(pl.col("RAIN").sum()).alias("md_RAIN"),
        pl.col("WSPM").max().alias("md_WSPMmax"),
    )


def target_features(
    features: pl.DataFrame,
    met_days: pl.DataFrame,
    climatology: pl.DataFrame,
    stations: list[str],
    lead_day: int,
) -> pl.DataFrame:
    """``features`` + the target day's (issue day + ``lead_day``) ``date``, calendar, weather
    and station × month climatology (``climatology``: ``station``, ``month``, ``c_<target>``),
    and the station as an integer category (its index in ``stations``, -1 when unknown)."""
    target = pl.col("issue_day") + timedelta(days=lead_day)
    day_of_year = target.dt.ordinal_day().cast(pl.Float64) * (2 * math.pi / 365.25)
    return (
        features.with_columns(
            target.alias("date"),
            target.dt.month().alias("month"),
            day_of_year.sin().alias("cal_sin"),
            day_of_year.cos().alias("cal_cos"),
            target.dt.weekday().alias("cal_weekday"),
            pl.col("station")
            .replace_strict(stations, list(range(len(stations))), default=-1, return_dtype=pl.Int32)
            .alias("station_index"),
        )
        .join(met_days, on=["station", "date"], how="left")
        .join(climatology, on=["station", "month"], how="left")
    )


def daily_climatology(observed: pl.DataFrame, before: date) -> pl.DataFrame:
    """Mean observed daily value per ``station`` × calendar ``month`` of the days before
    ``before``: ``c_<target>`` columns."""
    return (
        observed.filter(pl.col("date") < before)
        .group_by("station", pl.col("date").dt.month().alias("month"))
        .agg(pl.col(t).mean().alias(f"c_{t}") for t in DAILY_TARGETS)
    )
