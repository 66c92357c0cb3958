"""Real-time and daily city ranking (实时排名, 日排名), as CNEMC publishes them.

Real-time: the city's hourly concentrations are the arithmetic mean of its stations' hourly
values at the latest hour (``engine.city_hourly_values``), scored by the HJ 633 real-time method
(``engine.hourly_aqi``). Daily: the city's daily values are the means of its stations' valid
daily values (``engine.city_daily_values``; O3 as the daily maximum 8-hour average), scored by
the HJ 633 daily report (``engine.daily_aqi``). Cities are ranked best to worst by AQI; equal
AQIs share a rank; a city without a publishable AQI (no data, or HJ 633-2026 §5.3.1: a pollutant
missing and AQI ≤ 100) is listed last without a rank.

The figures are official: every city is computed from all of its stations and ranked among all
the cities of the provinces the principal opens (a county officer sees every city of the
province, ranked as the province sees them), as the period ranking does (see
:func:`ecogov.monitoring.air.evaluation.official_stations`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Literal

import polars as pl

from ecogov.engine import air as engine
from ecogov.monitoring.air.evaluation import (
    hourly_frame,
    official_stations,
    station_daily_values,
    visible_stations,
)
from ecogov.monitoring.air.views import latest_hour
from ecogov.platform import clock
from ecogov.platform.db import Database
from ecogov.platform.errors import InputError
from ecogov.platform.exports import Column
from ecogov.platform.i18n import translate
from ecogov.platform.scope import Principal
from ecogov.standards.timebase import BEIJING

Kind = Literal["now", "day"]
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2100, 12, 31)
"""Days the daily ranking accepts."""

CONCENTRATIONS: dict[Kind, dict[str, str]] = {
    "now": {
        "pm25": "PM2.5",
        "pm10": "PM10",
        "so2": "SO2",
        "no2": "NO2",
        "co": "CO",
        "o3": "O3",
    },
    "day": {
        "pm25": "PM2.5",
        "pm10": "PM10",
        "so2": "SO2",
        "no2": "NO2",
        "co": "CO",
        "o3": "O3_8H",
    },
}
"""Row field → engine column of the concentrations shown: 1-hour values in real time; daily
means and the O3 daily maximum 8-hour average by day."""


@dataclass(frozen=True)
class CityRanking:
    """One city ranking: the hour (real-time) or the day (daily) and one row per city."""

    kind: Kind
    time: datetime | None
    day: date | None
    rows: list[dict[str, Any]]


def yesterday() -> date:
    """The default day of the daily ranking: yesterday, by the platform's one clock."""
    return clock.today() - timedelta(days=1)


def _official(db: Database, principal: Principal, region: str | None) -> pl.DataFrame:
    """All stations of the provinces of the cities the principal opens (within ``region``)."""
    opened = visible_stations(db, principal, region)
    return official_stations(db, principal, opened["city"].unique().sort().to_list())


def _last_hour(db: Database, principal: Principal, stations: pl.DataFrame) -> datetime | None:
    last = latest_hour(db, principal, stations["station_id"].to_list())
    return None if last is None else datetime.fromtimestamp(last, BEIJING)


def ranking_now(db: Database, principal: Principal, region: str | None = None) -> CityRanking:
    """Real-time city ranking at the latest hour with data (实时排名)."""
    stations = _official(db, principal, region)
    when = _last_hour(db, principal, stations) if stations.height else None
    if when is None:
        return CityRanking("now", None, None, _rows(pl.DataFrame(), stations, "now"))
    day = (when - timedelta(hours=1)).date()  # hour-ending: 00:00 closes the day before
    hourly = hourly_frame(db, principal, stations, day, day).filter(
        pl.col("time") == when.replace(tzinfo=None)
    )
    report = pl.DataFrame()
    if hourly.height:
        city = engine.city_hourly_values(hourly, stations.select("station", "city"))
        report = engine.hourly_aqi(city).join(
            city.select(
                "station",
                "time",
                *CONCENTRATIONS["now"].values(),
                "stations_reporting",
            ),
            on=["station", "time"],
            how="left",
        )
    return CityRanking("now", when, day, _rows(report, stations, "now"))


def default_day(db: Database, principal: Principal, region: str | None = None) -> date:
    """Yesterday, or the last complete day of data when the data end earlier."""
    return _default_day(db, principal, _official(db, principal, region))


def _default_day(db: Database, principal: Principal, stations: pl.DataFrame) -> date:
    """:func:`default_day` of ``stations`` (hour-ending: the hour D+1 00:00 completes day D, so
    the last complete day is the date 24 hours before the latest hour)."""
    when = _last_hour(db, principal, stations) if stations.height else None
    if when is None:
        return yesterday()
    return min(yesterday(), (when - timedelta(hours=24)).date())


def ranking_day(
    db: Database, principal: Principal, region: str | None = None, day: date | None = None
) -> CityRanking:
    """Daily city ranking of ``day`` (日排名; default :func:`default_day`).

    Raises:
        InputError: for a day outside 2000-01-01 … 2100-12-31.
    """
    if day is not None and not FIRST_DAY <= day <= LAST_DAY:
        raise InputError(
            f"日期 {day.isoformat()} 须在 {FIRST_DAY} 至 {LAST_DAY} 之间"
            f"（day must lie between {FIRST_DAY} and {LAST_DAY}）"
        )
    stations = _official(db, principal, region)
    chosen = day or _default_day(db, principal, stations)
    daily = (
        station_daily_values(db, principal, stations, chosen, chosen)
        if stations.height
        else pl.DataFrame()
    )
    report = pl.DataFrame()
    if daily.height:
        mapping = stations.select("station", "city")
        city = engine.city_daily_values(daily, mapping)
        reporting = (
            daily.join(mapping, on="station")
            .filter(pl.any_horizontal(pl.col(ind).is_not_null() for ind in engine.DAILY_INDICATORS))
            .group_by("city")
            .agg(pl.col("station").n_unique().cast(pl.UInt32).alias("stations_reporting"))
        )
        report = (
            engine.daily_aqi(city)
            .join(reporting, on="city", how="left")
            .rename({"city": "station"})
        )
    return CityRanking("day", None, chosen, _rows(report, stations, "day"))


def _rows(report: pl.DataFrame, stations: pl.DataFrame, kind: Kind) -> list[dict[str, Any]]:
    """One row per city of ``stations``: ranked cities best first, then cities without an AQI."""
    cities = stations.group_by("city", "city_name").agg(
        pl.len().cast(pl.UInt32).alias("stations_expected")
    )
    if report.is_empty():
        joined = cities.with_columns(
            pl.lit(None, pl.Int64).alias("aqi"), pl.lit(0, pl.UInt32).alias("stations_reporting")
        )
    else:
        published = pl.col("publishable").fill_null(False)
        joined = cities.join(
            report.rename({"station": "city"}), on="city", how="left"
        ).with_columns(
            pl.when(published).then(pl.col("aqi")).alias("aqi"),
            pl.col("stations_reporting").fill_null(0),
        )
    ranked = joined.with_columns(pl.col("aqi").rank("min").cast(pl.Int64).alias("rank")).sort(
        "rank", "city", nulls_last=True
    )
    rows = []
    for row in ranked.iter_rows(named=True):
        has_aqi = row["aqi"] is not None
        rows.append(
            {
                "rank": row["rank"],
                "city": row["city"],
                "name": row["city_name"],
                "aqi": row["aqi"],
                "level": row.get("level") if has_aqi else None,
                "category": str(row["category"]) if has_aqi else None,
                "colour": str(row["colour"]) if has_aqi else "#9E9E9E",
                "primary": _primary(row.get("primary_pollutants")) if has_aqi else [],
                "stations_reporting": int(row["stations_reporting"]),
                "stations_expected": int(row["stations_expected"]),
                **{
                    field: _rounded(row.get(column), column)
                    for field, column in CONCENTRATIONS[kind].items()
                },
            }
        )
    return rows


def _primary(value: Any) -> list[str]:
    """Primary pollutant codes (the engine joins ties with ";")."""
    return [code for code in str(value or "").split(";") if code]


def _rounded(value: float | None, column: str) -> float | int | None:
    """A published concentration: whole µg/m³, CO 0.1 mg/m³, ties to even (GB/T 8170)."""
    if value is None:
        return None
    return round(value, 1) if column == "CO" else round(value)


def primary_text(codes: list[str], language: str = "zh-CN") -> str:
    """Primary pollutants by name, ties joined with "、"."""
    return "、".join(translate(f"air.pollutant.{code}", language) for code in codes)


def export_spec(ranking: CityRanking) -> list[Column]:
    """The export's columns (the layout of CNEMC's city ranking tables); the values are already
    rounded as published, so the cells are written as they stand."""
    o3 = "O3_8h(µg/m³)" if ranking.kind == "day" else "O3(µg/m³)"
    return [
        Column("time", "时间"),
        Column("rank", "排名"),
        Column("name", "城市"),
        Column("city", "行政区划代码"),
        Column("aqi", "AQI"),
        Column("level", "级别"),
        Column("category", "空气质量类别"),
        Column("primary", "首要污染物"),
        Column("pm25", "PM2.5(µg/m³)"),
        Column("pm10", "PM10(µg/m³)"),
        Column("so2", "SO2(µg/m³)"),
        Column("no2", "NO2(µg/m³)"),
        Column("co", "CO(mg/m³)"),
        Column("o3", o3),
        Column("coverage", "报送站点数/应报站点数"),
    ]


def export_frame(ranking: CityRanking) -> pl.DataFrame:
    """The ranking's rows with the time, primary pollutants and coverage as the export shows
    them, in the columns of :func:`export_spec`."""
    when = (
        ranking.time.strftime("%Y-%m-%d %H:%M")
        if ranking.time
        else (ranking.day.isoformat() if ranking.day else "")
    )
    columns = [column.name for column in export_spec(ranking)]
    records = [
        {
            **{name: row.get(name) for name in columns},
            "time": when,
            "primary": primary_text(row["primary"]),
            "coverage": f"{row['stations_reporting']}/{row['stations_expected']}",
        }
        for row in ranking.rows
    ]
    if not records:
        return pl.DataFrame(schema=dict.fromkeys(columns, pl.String))
    return pl.DataFrame(records, infer_schema_length=None).select(columns)
