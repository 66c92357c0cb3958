"""Reproduce every published AQI of the real CNEMC hourly snapshot of 2018-02-20 07:00.

The feed (../shared/data/cnemc/cnemc-2018-02-20-07.json, see ../shared/data/README.md) is the
national network's real-time publication under HJ 633-2012. For each of the 1,475 stations with a
numeric AQI, the hourly AQI is recomputed from the 1-hour concentrations with the default
(published) real-time method, and the AQI, the category (quality level) and the primary
pollutant(s) must all equal the published values.

Feed quirk (data README): the O3 columns are shifted — ``o3_24h`` holds the latest 1-hour O3
value, ``o3`` the 24-hour maximum of the 1-hour values. Missing values are "-;".
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from ecogov.standards.editions import Edition, edition_for
from ecogov.standards.gb3095 import Indicator
from ecogov.standards.hj633 import AqiReport, HourlyObservation, hourly_aqi

SNAPSHOT = Path("data") / "cnemc" / "cnemc-2018-02-20-07.json"
STATIONS_WITH_AQI = 1475
MISSING = {"-;", ""}

# Names the feed uses for primary pollutants (首要污染物) → canonical indicator codes.
PRIMARY_NAMES = {
    "细颗粒物(PM2.5)": Indicator.PM2_5,
    "颗粒物(PM10)": Indicator.PM10,
    "臭氧1小时": Indicator.O3_1H,
    "臭氧8小时": Indicator.O3_8H,
    "二氧化硫": Indicator.SO2,
    "一氧化碳": Indicator.CO,
    "二氧化氮": Indicator.NO2,
}


def _value(raw: str) -> str | None:
    return None if raw.strip() in MISSING else raw


def _published_primary(raw: str) -> frozenset[Indicator]:
    if raw.strip() in MISSING:
        return frozenset()
    return frozenset(PRIMARY_NAMES[name.strip()] for name in raw.split(","))


def _observation(props: dict[str, str]) -> HourlyObservation:
    return HourlyObservation(
        so2=_value(props["so2"]),
        no2=_value(props["no2"]),
        co=_value(props["co"]),
        o3=_value(props["o3_24h"]),  # the shifted column: latest 1-hour O3
        pm10=_value(props["pm10"]),
        pm2_5=_value(props["pm2_5"]),
        so2_24h_moving=_value(props["so2_24h"]),
    )


def _differences(props: dict[str, str], report: AqiReport) -> list[str]:
    published = (
        int(props["aqi"]),
        props["quality"],
        _published_primary(props["primarypollutant"]),
    )
    computed = (
        report.aqi,
        None if report.level is None else report.level.category_zh,
        frozenset(report.primary_pollutants),
    )
    return [] if computed == published else [f"{props['stationcode']}: {published} != {computed}"]


@pytest.fixture(scope="module")
def features(shared_dir: Path) -> list[dict[str, Any]]:
    data = json.loads((shared_dir / SNAPSHOT).read_text(encoding="utf-8"))
    result: list[dict[str, Any]] = data["features"]
    return result


@pytest.mark.shared
def test_every_published_hourly_aqi_is_reproduced(features: list[dict[str, Any]]) -> None:
    stations = [f["properties"] for f in features if f["properties"]["aqi"].strip().isdigit()]
    assert len(stations) == STATIONS_WITH_AQI
    differences: list[str] = []
    for props in stations:
        label = datetime.fromisoformat(props["timepoint"])  # end of the hour, Beijing time
        edition = edition_for(label, hour_ending=True)
        assert edition is Edition.E2012
        differences += _differences(props, hourly_aqi(_observation(props), edition))
    assert differences == []


@pytest.mark.shared
def test_stations_without_aqi_publish_nothing(features: list[dict[str, Any]]) -> None:
    without = [f["properties"] for f in features if not f["properties"]["aqi"].strip().isdigit()]
    assert len(without) == len(features) - STATIONS_WITH_AQI
    assert {(p["aqi"], p["quality"], p["primarypollutant"]) for p in without} == {("-;",) * 3}
