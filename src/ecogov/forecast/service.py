"""Issuing and reading the stored forecasts.

``run`` trains (or loads) one model per province on its stations' stored hours (through the air
domain's readers) and issues the day's forecast of every station and city: daily values with the
band, HJ 633 daily AQI, level and primary pollutant, and for cities the hourly AQI of the 72
hours. Cities' daily values are the means of their stations' forecasts (HJ 663: a city's value
is the mean of its stations), band ends likewise. The hourly AQI is *not* forecast hour by hour:
it is the city's diurnal shape (mean per hour of day over the :data:`SHAPE_DAYS` before the
issue) scaled to the forecast daily values (O3 so that the shape's maximum 8-hour mean equals
the forecast MDA8), then the HJ 633 real-time AQI of those hours.

``city_daily_forecast`` is the seam the emergency domain reads (by name) to suggest warnings.
"""

from __future__ import annotations

import pickle
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Final

import numpy as np
import polars as pl
from sqlalchemy import select

from ecogov.engine import air as air_engine
from ecogov.engine import forecast as engine
from ecogov.forecast.access import FORECAST_KIND, MODEL_KIND
from ecogov.forecast.backtesting import no_met
from ecogov.forecast.models import ForecastDay, ForecastModelRecord, ForecastValue
from ecogov.monitoring.air.evaluation import hourly_frame, visible_stations
from ecogov.platform import clock
from ecogov.platform.db import Database
from ecogov.platform.permissions import authorize
from ecogov.platform.scope import Principal
from ecogov.standards.timebase import BEIJING

ISSUE_HOUR: Final = 16
"""Forecasts are issued at 16:00 Beijing time (from the hours ending up to then)."""
TRAIN_DAYS: Final = 365
"""A model learns from the year of hours before its training moment."""
RETRAIN_DAYS: Final = 30
"""A stored model older than this (or covering other stations) is retrained: monthly, as in the
backtest."""
FEATURE_DAYS: Final = 35
"""Hours read to build an issue's features (lags, rolling means: at most a month back)."""
SHAPE_DAYS: Final = 28
"""Days of the city's hours whose mean diurnal cycle shapes the hourly AQI."""
_HOURLY: Final = ("SO2", "NO2", "CO", "PM10", "PM2.5")
"""Pollutants whose daily forecast is a 24-hour mean (scaled hour by hour as is)."""


@dataclass(frozen=True)
class CityForecastDay:
    """One day of a city's forecast (the seam of ``ecogov.emergency.service``): HJ 633 daily
    ``aqi`` with the AQI of the band's ends, ``level`` (1-6), ``primary`` pollutant codes and
    the day's hourly AQI (aware Beijing hour-ending times)."""

    date: date
    lead_day: int
    aqi: int
    aqi_low: int
    aqi_high: int
    level: int
    primary: tuple[str, ...]
    hourly_aqi: list[tuple[datetime, int]]


@dataclass(frozen=True)
class RunReport:
    """What ``run`` did: the issue day, models trained and reused, forecast days stored, and
    whether that day had been issued before (then nothing changes)."""

    issued_on: date
    trained: int
    reused: int
    stations: int
    cities: int
    already_issued: bool


def _province(code: str) -> str:
    return code[:2] + "0000"


def _model(
    db: Database,
    principal: Principal,
    province: str,
    stations: pl.DataFrame,
    issued: datetime,
) -> tuple[int, engine.ForecastModel, bool]:
    """The stored model of ``province`` fit for ``issued``, or a new one trained now; its id,
    the model and whether it was trained."""
    codes = sorted(stations["station"].to_list())
    until = issued.replace(tzinfo=BEIJING)
    with db.transaction(principal) as session:
        stored = session.scalars(
            select(ForecastModelRecord)
            .where(ForecastModelRecord.region_code == province)
            .where(ForecastModelRecord.issue_hour == ISSUE_HOUR)
            .where(ForecastModelRecord.trained_until <= until)
            .order_by(ForecastModelRecord.trained_until.desc())
        ).first()
        if (
            stored is not None
            and stored.stations == codes
            and stored.trained_until > until - timedelta(days=RETRAIN_DAYS)
        ):
            return stored.id, pickle.loads(stored.blob), False  # our own rows
    authorize(principal, "create", MODEL_KIND, province)
    wide = hourly_frame(
        db, principal, stations, issued.date() - timedelta(days=TRAIN_DAYS), issued.date()
    )
    model = engine.train(wide, no_met(codes), issued, ISSUE_HOUR)
    with db.transaction(principal, action="forecast.train") as session:
        record = ForecastModelRecord(
            region_code=province,
            stations=codes,
            issue_hour=ISSUE_HOUR,
            train_from=model.train_from,
            trained_until=until,
            trained_at=clock.utcnow(),
            scores=model.scores,
            blob=pickle.dumps(model),
        )
        session.add(record)
        session.flush()
        return record.id, model, True


def diurnal_shape(hourly: pl.DataFrame) -> pl.DataFrame:
    """Per ``city`` and hour of the stamp: each pollutant's mean over the day's mean (1 = an
    average hour); O3 divided by the largest 8-hour mean of its shape instead."""
    present = [p for p in air_engine.POLLUTANTS if p in hourly.columns]
    by_hour = (
        hourly.with_columns(pl.col("time").dt.hour().alias("hour"))
        .group_by("city", "hour")
        .agg(pl.col(p).mean() for p in present)
        .sort("city", "hour")
    )
    parts = []
    for (city,), frame in by_hour.group_by("city", maintain_order=True):
        full = pl.DataFrame({"hour": list(range(24))}, schema={"hour": pl.Int8}).join(
            frame.with_columns(pl.col("hour").cast(pl.Int8)), on="hour", how="left"
        )
        columns: dict[str, object] = {"city": city, "hour": full["hour"]}
        for p in present:
            values = full[p].to_numpy().astype(float)
            if np.isnan(values).all():
                continue
            values = np.where(np.isnan(values), np.nanmean(values), values)
            if p == "O3":
                # stamps 1…24 of a day: windows of 8 consecutive hours within the day (MDA8)
                day = np.roll(values, -1)
                scale = max(day[i : i + 8].mean() for i in range(17))
            else:
                scale = values.mean()
            if scale > 0:
                columns[p] = values / scale
        parts.append(pl.DataFrame(columns))
    return pl.concat(parts, how="diagonal") if parts else pl.DataFrame()


def shaped_hours(shape: pl.DataFrame, days: pl.DataFrame) -> pl.DataFrame:
    """Hourly concentrations (``station``, ``date``, ``time`` and the pollutants) of forecast
    days (``city``, ``date``, the daily targets): the diurnal ``shape`` of each ``city`` times
    the day's forecast (24-hour means; O3 from the MDA8). ``city`` may name a station too."""
    hours = (
        days.select("city", "date")
        .unique()
        .join(pl.DataFrame({"step": list(range(1, 25))}), how="cross")
    )
    stamped = hours.with_columns(
        (pl.col("date").cast(pl.Datetime("us")) + pl.duration(hours=pl.col("step"))).alias("time")
    ).with_columns(pl.col("time").dt.hour().cast(pl.Int8).alias("hour"))
    shaped = shape.rename({p: f"{p}_shape" for p in air_engine.POLLUTANTS if p in shape.columns})
    joined = stamped.join(shaped, on=["city", "hour"], how="left").join(
        days, on=["city", "date"], how="left"
    )
    sources = {p: p for p in _HOURLY} | {"O3": "O3_8H"}
    return joined.select(
        pl.col("city").alias("station"),
        "date",
        "time",
        *(
            (pl.col(f"{p}_shape") * pl.col(src)).alias(p)
            if p in shape.columns and src in days.columns
            else pl.lit(None, dtype=pl.Float64).alias(p)
            for p, src in sources.items()
        ),
    ).sort("station", "time")


def _city_hourly_aqi(shape: pl.DataFrame, city_days: pl.DataFrame) -> pl.DataFrame:
    """Hourly AQI (``city``, ``date``, ``time``, ``aqi``) of the cities' forecast days: the
    HJ 633 real-time AQI of their :func:`shaped_hours`."""
    if shape.is_empty():
        return pl.DataFrame(
            schema={"city": pl.String, "date": pl.Date, "time": pl.Datetime("us"), "aqi": pl.Int64}
        )
    hourly = shaped_hours(shape, city_days)
    report = air_engine.hourly_aqi(hourly.drop("date"))
    return (
        hourly.select("station", "date", "time")
        .with_columns(report["aqi"].alias("aqi"))
        .rename({"station": "city"})
    )


def _cases(frame: pl.DataFrame, column: str) -> pl.DataFrame:
    """The daily table (case keys, values, AQI) of one of ``value``, ``lower``, ``upper``."""
    return engine.daily_table(
        frame.select(*engine.CASE_KEYS, "pollutant", pl.col(column).alias("value"))
    )


def _issued(frame: pl.DataFrame) -> dict[tuple[str, int], dict[str, object]]:
    """Per (site, lead day): date, AQI, band AQI, level, primary and the values with band."""
    centre, low, high = (_cases(frame, c) for c in ("value", "lower", "upper"))
    keyed = {}
    for row in centre.iter_rows(named=True):
        keyed[(row["station"], row["lead_day"])] = {"date": row["date"], "aqi": row["aqi"],
                                                    "level": row["level"],
                                                    "primary": row["primary"] or ""}  # fmt: skip
    for name, table in (("aqi_low", low), ("aqi_high", high)):
        for row in table.iter_rows(named=True):
            keyed[(row["station"], row["lead_day"])][name] = row["aqi"]
    for row in frame.iter_rows(named=True):
        case = keyed[(row["station"], row["lead_day"])]
        values = case.setdefault("values", [])
        assert isinstance(values, list)
        values.append((row["pollutant"], row["value"], row["lower"], row["upper"]))
    return keyed


def run(db: Database, principal: Principal, issued_on: date | None = None) -> RunReport:
    """Issue the forecasts of ``issued_on`` (default today) at :data:`ISSUE_HOUR` for every
    station and city ``principal`` sees; a day already issued is left as it is."""
    issued_on = issued_on or clock.today()
    authorize(principal, "create", FORECAST_KIND)
    with db.transaction(principal) as session:
        done = session.scalar(
            select(ForecastDay.id).where(ForecastDay.issued_on == issued_on).limit(1)
        )
    if done is not None:
        return RunReport(issued_on, 0, 0, 0, 0, already_issued=True)
    issued = datetime.combine(issued_on, datetime.min.time()) + timedelta(hours=ISSUE_HOUR)
    stations = visible_stations(db, principal, None)
    trained = reused = station_count = city_count = 0
    for (province,), members in stations.group_by(
        pl.col("city").str.slice(0, 2), maintain_order=True
    ):
        model_id, model, fresh = _model(db, principal, _province(str(province)), members, issued)
        trained, reused = trained + fresh, reused + (not fresh)
        wide = hourly_frame(
            db, principal, members, issued_on - timedelta(days=FEATURE_DAYS), issued_on
        ).filter(pl.col("time") <= issued)
        cases = pl.DataFrame(
            {"station": members["station"], "issue_day": [issued_on] * members.height}
        )
        predicted = engine.predict(model, wide, no_met(model.stations), cases)
        if predicted.is_empty():
            continue
        city_of = members.select("station", "city", "county")
        per_city = (
            predicted.join(city_of, on="station")
            .group_by("city", "issued", "lead_day", "date", "pollutant")
            .agg(pl.col("value", "lower", "upper").mean())
            .rename({"city": "station"})
            .sort("station", "lead_day", "pollutant")
        )
        recent = wide.filter(pl.col("time") > issued - timedelta(days=SHAPE_DAYS)).join(
            city_of.select("station", "city"), on="station"
        )
        city_hourly = recent.group_by("city", "time").agg(
            pl.col(p).mean() for p in air_engine.POLLUTANTS if p in recent.columns
        )
        city_days = _cases(per_city, "value").rename({"station": "city"})
        hours = _city_hourly_aqi(diurnal_shape(city_hourly), city_days)
        station_cases = _issued(predicted)
        city_cases = _issued(per_city)
        regions = dict(zip(city_of["station"], city_of["county"], strict=True))
        cities = dict(zip(city_of["station"], city_of["city"], strict=True))
        with db.transaction(principal, action="forecast.run") as session:
            for kind, found in (("station", station_cases), ("city", city_cases)):
                for (site, lead), case in sorted(found.items()):
                    city = site if kind == "city" else cities[site]
                    hourly = []
                    if kind == "city":
                        day_hours = hours.filter(
                            (pl.col("city") == site) & (pl.col("date") == case["date"])
                        ).sort("time")
                        hourly = [
                            [t.replace(tzinfo=BEIJING).isoformat(), a]
                            for t, a in day_hours.select("time", "aqi").iter_rows()
                            if a is not None
                        ]
                    day = ForecastDay(
                        model_id=model_id,
                        site_kind=kind,
                        site_code=site,
                        city_code=city,
                        region_code=city if kind == "city" else regions[site],
                        issued_on=issued_on,
                        issued_at=issued.replace(tzinfo=BEIJING),
                        date=case["date"],
                        lead_day=lead,
                        aqi=case.get("aqi"),
                        aqi_low=case.get("aqi_low"),
                        aqi_high=case.get("aqi_high"),
                        level=case.get("level"),
                        primary=case["primary"],
                        hourly_aqi=hourly,
                    )
                    session.add(day)
                    session.flush()
                    values = case["values"]
                    assert isinstance(values, list)
                    for pollutant, value, lower, upper in values:
                        session.add(
                            ForecastValue(
                                day_id=day.id,
                                region_code=day.region_code,
                                pollutant=pollutant,
                                value=value,
                                lower=lower,
                                upper=upper,
                            )
                        )
        station_count += len({s for s, _ in station_cases})
        city_count += len({c for c, _ in city_cases})
    return RunReport(issued_on, trained, reused, station_count, city_count, already_issued=False)


def city_daily_forecast(
    db: Database, principal: Principal, city_code: str, issued_on: date | None = None
) -> list[CityForecastDay]:
    """The city's daily forecast of its latest issue on or before ``issued_on`` (default today),
    lead days 1-3; empty when none was issued."""
    authorize(principal, "read", FORECAST_KIND, city_code)
    limit = issued_on or clock.today()
    with db.transaction(principal) as session:
        latest = session.scalar(
            select(ForecastDay.issued_on)
            .where(ForecastDay.site_kind == "city", ForecastDay.site_code == city_code)
            .where(ForecastDay.issued_on <= limit)
            .order_by(ForecastDay.issued_on.desc())
            .limit(1)
        )
        if latest is None:
            return []
        rows = session.scalars(
            select(ForecastDay)
            .where(ForecastDay.site_kind == "city", ForecastDay.site_code == city_code)
            .where(ForecastDay.issued_on == latest, ForecastDay.aqi.is_not(None))
            .order_by(ForecastDay.lead_day)
        ).all()
        return [
            CityForecastDay(
                date=row.date,
                lead_day=row.lead_day,
                aqi=int(row.aqi or 0),
                aqi_low=int(row.aqi_low if row.aqi_low is not None else row.aqi or 0),
                aqi_high=int(row.aqi_high if row.aqi_high is not None else row.aqi or 0),
                level=int(row.level or 0),
                primary=tuple(p for p in row.primary.split(";") if p),
                hourly_aqi=[(datetime.fromisoformat(t), int(a)) for t, a in row.hourly_aqi],
            )
            for row in rows
        ]
