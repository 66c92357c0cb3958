"""Demo data of the air domain: simulated stations and hourly data for Zhejiang (模拟数据).

Every station code starts with ``SIM`` and every name ends with （模拟）: nothing here is a
measurement. The series have what analysts look for: a seasonal cycle (PM high in winter, O3 in
summer), diurnal cycles (NO2 rush hours, O3 afternoon peak), a few winter PM episodes that reach
heavy pollution, city-to-city differences, and ~2 % missing hours.
"""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import polars as pl
from sqlalchemy import select

from ecogov.monitoring.air import daily, evaluation
from ecogov.monitoring.air.models import AirStation
from ecogov.platform import audit
from ecogov.platform.db import Database
from ecogov.platform.scope import SYSTEM
from ecogov.regions.models import Region
from ecogov.standards.timebase import BEIJING_OFFSET_S

DEMO_START = datetime(2025, 1, 1, 1, tzinfo=UTC)  # first hour ending 2025-01-01 09:00 Beijing
DEMO_END = datetime(2026, 11, 21, 16, tzinfo=UTC)  # last hour ending 2026-11-22 00:00 Beijing
STATIONS_PER_CITY = 4
CITY_PM_FACTOR = {  # relative PM level by city: north-west inland higher, islands cleaner
    "330100": 1.15,
    "330200": 0.95,
    "330300": 0.9,
    "330400": 1.2,
    "330500": 1.15,
    "330600": 1.1,
    "330700": 1.15,
    "330800": 1.1,
    "330900": 0.65,
    "331000": 0.85,
    "331100": 0.75,
}


def _stations(db: Database, count: int = STATIONS_PER_CITY) -> list[AirStation]:
    """Register ``count`` simulated stations in each Zhejiang city, one per county in code
    order (a city with fewer counties gets a second station in its first counties)."""
    with db.transaction(SYSTEM, action="air.demo.stations") as session:
        existing = {s.code: s for s in session.scalars(select(AirStation))}
        counties = session.scalars(
            select(Region)
            .where(
                Region.level == "county",
                Region.code.startswith("33"),
                Region.center_lon.is_not(None),
            )
            .order_by(Region.code)
        ).all()
        per_city: dict[str, list[Region]] = {}
        for county in counties:
            assert county.parent_code is not None
            per_city.setdefault(county.parent_code, []).append(county)
        stations: list[AirStation] = []
        for city, places in sorted(per_city.items()):
            for index in range(count):
                county = places[index % len(places)]
                round_ = "" if index < len(places) else f"{index // len(places) + 1}号"
                code = f"SIM{city[2:4]}{index + 1:02d}"
                station = existing.get(code) or AirStation(
                    code=code,
                    name=f"{county.name}{round_}站（模拟）",
                    region_code=county.code,
                    city_code=city,
                    network_city=None,
                    lon=county.center_lon,
                    lat=county.center_lat,
                    kind="simulated",
                    source="demo",
                )
                session.add(station)
                stations.append(station)
        session.flush()
        return stations


def simulate(
    station_index: int, city_factor: float, hours: np.ndarray, rng: np.random.Generator
) -> dict[str, np.ndarray]:
    """Hourly 1-hour concentrations of one station [µg/m³; CO mg/m³] at Unix times ``hours``."""
    beijing = hours + BEIJING_OFFSET_S
    day_of_year = (beijing // 86400) % 365.25
    hour = (beijing // 3600) % 24
    winter = np.cos(2 * np.pi * (day_of_year - 15) / 365.25)  # +1 mid-January, −1 mid-July
    noise = _red_noise(len(hours), rng)
    episodes = _episodes(hours, winter, rng)
    rush = 1 + 0.35 * (np.exp(-((hour - 8) ** 2) / 4) + np.exp(-((hour - 19) ** 2) / 6))
    pm25 = city_factor * (24 + 14 * winter) * np.exp(0.35 * noise) * episodes * (0.9 + 0.1 * rush)
    sun = np.clip(np.sin(np.pi * (hour - 6) / 12), 0, None)
    o3 = (38 + 28 * (1 - winter)) * (0.35 + 1.1 * sun) * np.exp(0.15 * noise[::-1])
    series = {
        "pm25": pm25,
        "pm10": pm25 * (1.35 + 0.2 * rng.random(len(hours))) + 5,
        "so2": (6 + 3 * winter + station_index % 3) * np.exp(0.3 * noise),
        "no2": (28 + 10 * winter) * rush * np.exp(0.3 * noise) * (0.8 + 0.1 * (station_index % 4)),
        "o3": o3,
        "co": (0.55 + 0.25 * winter) * np.exp(0.25 * noise) * (0.9 + 0.1 * rush),
    }
    for name, values in series.items():
        digits = 1 if name == "co" else 0
        rounded = np.round(np.clip(values, 0.1 if digits else 1, None), digits)
        rounded[rng.random(len(hours)) < 0.02] = np.nan
        series[name] = rounded
    return series


def _red_noise(length: int, rng: np.random.Generator, memory: float = 0.97) -> np.ndarray:
    """AR(1) noise with unit variance: pollution persists for hours to days."""
    shocks = rng.normal(0, np.sqrt(1 - memory**2), length)
    out = np.empty(length)
    level = 0.0
    for i, shock in enumerate(shocks):
        level = memory * level + shock
        out[i] = level
    return out


def _episodes(hours: np.ndarray, winter: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Multipliers for 3–5-day winter haze episodes (up to ~4× the background)."""
    factor = np.ones(len(hours))
    starts = rng.choice(len(hours), size=6, replace=False)
    for start in starts:
        if winter[start] < 0.5:
            continue
        length = int(rng.integers(72, 120))
        shape = np.sin(np.linspace(0, np.pi, length)) * float(rng.uniform(1.5, 3.2))
        end = min(start + length, len(hours))
        factor[start:end] += shape[: end - start]
    return factor


def load(
    db: Database, hours: int | None = None, stations_per_city: int = STATIONS_PER_CITY
) -> list[str]:
    """Register the simulated stations and store their hourly series (idempotent); ``hours``
    limits the series to its first hours (tests), ``stations_per_city`` sets the network's size
    (the benchmarks ask for a province's)."""
    stations = _stations(db, stations_per_city)
    last = (
        int(DEMO_END.timestamp())
        if hours is None
        else int(DEMO_START.timestamp()) + (hours - 1) * 3600
    )
    hours_ts = np.arange(int(DEMO_START.timestamp()), last + 1, 3600)
    frames = []
    for index, station in enumerate(stations):
        rng = np.random.default_rng(index)
        values = simulate(index, CITY_PM_FACTOR.get(station.city_code, 1.0), hours_ts, rng)
        frames.append(
            pl.DataFrame({"ts": hours_ts, "station_id": station.id, **values, "qc": 0}).fill_nan(
                None
            )
        )
    rows = pl.concat(frames)
    with db.transaction(SYSTEM, action="air.demo.hourly") as session:
        counts = daily.store_hours(session.connection(), rows)
        audit.record(
            session,
            "air.demo.hourly",
            entity="air_hourly",
            details={"inserted": counts.inserted, "updated": counts.updated},
        )
    notes = [f"  air: {len(stations)} simulated stations, {rows.height:,} station-hours (模拟数据)"]
    if hours is None:
        notes.append(publish_demo_alerts(db))
    return notes


DEMO_ALERT_PERIODS = ("2026-01", "2026-10")
"""A winter month and the last complete month of the demo series, evaluated once (in that order,
so alerts persisting into October merge) so the alerts inbox is not empty on first look."""


def publish_demo_alerts(db: Database) -> str:
    """Evaluate the demo months by station and by city (the producers publish the stations and
    cities that do not attain into the alerts inbox)."""
    failing = 0
    for period in DEMO_ALERT_PERIODS:
        for by in ("station", "city"):
            table = evaluation.evaluate(db, SYSTEM, period, by, with_change=False)
            failing += table.filter(~table["attained"]).height
    periods = "、".join(DEMO_ALERT_PERIODS)
    return f"  air alerts: {failing} station- and city-months not attaining in {periods}"
