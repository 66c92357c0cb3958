"""The CNEMC hourly snapshot of 2018-02-20 07:00 as engine input and published results.

Reuses the snapshot location, station count and primary-pollutant names of
``tests/standards/test_cnemc_snapshot.py``. Feed quirk (../shared/data/README.md): ``o3_24h`` holds
the latest 1-hour O3 value (the column names are shifted); missing values are "-;".
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, NamedTuple

import polars as pl

from tests.standards.test_cnemc_snapshot import MISSING, PRIMARY_NAMES, SNAPSHOT

# Feed property holding the true 1-hour value of each engine pollutant.
ONE_HOUR_PROPERTIES = {
    "SO2": "so2",
    "NO2": "no2",
    "CO": "co",
    "O3": "o3_24h",  # the shifted column: latest 1-hour O3
    "PM10": "pm10",
    "PM2.5": "pm2_5",
}


class Published(NamedTuple):
    """What CNEMC published for one station: AQI, category (quality) and primary pollutants."""

    aqi: int
    category: str
    primary: frozenset[str]


def stations_with_aqi(shared_dir: Path) -> list[dict[str, str]]:
    """Feature properties of every station of the snapshot with a numeric AQI."""
    data: dict[str, Any] = json.loads((shared_dir / SNAPSHOT).read_text(encoding="utf-8"))
    return [f["properties"] for f in data["features"] if f["properties"]["aqi"].strip().isdigit()]


def long_frame(stations: list[dict[str, str]]) -> pl.DataFrame:
    """Long engine input (station, time, pollutant, value) from the true 1-hour values."""
    rows = [
        (props["stationcode"], props["timepoint"], pollutant, float(props[key]))
        for props in stations
        for pollutant, key in ONE_HOUR_PROPERTIES.items()
        if props[key].strip() not in MISSING
    ]
    frame = pl.DataFrame(rows, schema=["station", "time", "pollutant", "value"], orient="row")
    return frame.with_columns(pl.col("time").str.to_datetime(time_unit="us"))


def published(stations: list[dict[str, str]]) -> dict[str, Published]:
    """Published AQI, category and primary pollutants (engine codes) by station code."""

    def primary(raw: str) -> frozenset[str]:
        if raw.strip() in MISSING:
            return frozenset()
        return frozenset(PRIMARY_NAMES[name.strip()].value for name in raw.split(","))

    return {
        props["stationcode"]: Published(
            int(props["aqi"]), props["quality"], primary(props["primarypollutant"])
        )
        for props in stations
    }
