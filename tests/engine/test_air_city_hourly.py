"""City hourly values (the real-time city report): the mean of the city's stations, then HJ 633."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ecogov.engine.air import EngineInputError, city_hourly_values, hourly_aqi, wide_from_long
from tests.engine.cnemc import long_frame, published, stations_with_aqi

POLLUTANTS = ("SO2", "NO2", "CO", "O3", "PM10", "PM2.5")
T = datetime(2025, 6, 1, 15)
SCHEMA = pl.Schema(
    {"station": pl.String(), "time": pl.Datetime("us"), **dict.fromkeys(POLLUTANTS, pl.Float64())}
)


def hourly(rows: list[dict[str, Any]]) -> pl.DataFrame:
    """A wide hourly frame at hour ``T`` from rows of station and some pollutants."""
    full = [{"time": T, **dict.fromkeys(POLLUTANTS), **row} for row in rows]
    return pl.DataFrame(full, schema=SCHEMA)


STATIONS = pl.DataFrame(
    {"station": ["a1", "a2", "a3", "b1"], "city": ["A", "A", "A", "B"]},
)


def test_city_value_is_the_mean_of_the_reporting_stations_by_hand() -> None:
    frame = hourly(
        [
            {"station": "a1", "PM2.5": 40.0, "SO2": 9.0, "CO": 0.7},
            {"station": "a2", "PM2.5": 45.0, "CO": 0.8},
            # a3 is silent this hour: it is expected but not reporting
            {"station": "b1", "PM2.5": 20.0, "O3": 100.0},
        ]
    )
    city = city_hourly_values(frame, STATIONS)
    a = city.filter(pl.col("station") == "A").row(0, named=True)
    assert a["PM2.5"] == 42.5  # (40 + 45) / 2
    assert a["SO2"] == 9.0  # one station reported SO2
    assert a["CO"] == 0.75
    assert a["O3"] is None
    assert (a["PM2.5_n_valid"], a["SO2_n_valid"], a["O3_n_valid"]) == (2, 1, 0)
    assert (a["stations_reporting"], a["stations_expected"]) == (2, 3)
    report = hourly_aqi(city).sort("station")
    # PM2.5 42.5 on the 24-hour breakpoints (35 → 50, 75 → 100): 50 + 50/40 · 7.5 = 59.375 → 60
    assert report.filter(pl.col("station") == "A")["aqi"].item() == 60
    # B: PM2.5 20 → 20/35 · 50 = 28.57 → 29; O3 1-hour 100 → 50/160 · 100 = 31.25 → 32
    b = report.filter(pl.col("station") == "B").row(0, named=True)
    assert (b["iaqi_PM2.5"], b["iaqi_O3_1H"], b["aqi"]) == (29, 32, 32)


def test_means_are_read_at_the_engine_resolution_half_to_even() -> None:
    frame = hourly(
        [
            {"station": "a1", "NO2": 10.0},
            {"station": "a2", "NO2": 10.0},
            {"station": "a3", "NO2": 11.0},
        ]
    )
    city = city_hourly_values(frame, STATIONS)
    assert city["NO2"].item() == 10.333  # 31 / 3 = 10.3333… at 0.001


def test_a_station_without_a_city_is_refused() -> None:
    with pytest.raises(EngineInputError, match="x9"):
        city_hourly_values(hourly([{"station": "x9", "NO2": 1.0}]), STATIONS)


def test_cnemc_snapshot_cities(shared_dir: Path) -> None:
    """On the real 2018-02-20 07:00 snapshot: a city with one station publishes that station's
    AQI, and no city scores above its worst station (IAQI is monotone in the concentration)."""
    stations = stations_with_aqi(shared_dir)
    by_station = published(stations)
    city_of = {s["stationcode"]: s["area"] for s in stations}
    mapping = pl.DataFrame({"station": list(city_of), "city": list(city_of.values())})
    city = hourly_aqi(city_hourly_values(wide_from_long(long_frame(stations)), mapping))
    aqi = dict(zip(city["station"], city["aqi"], strict=True))
    members: dict[str, list[str]] = defaultdict(list)
    for code, name in city_of.items():
        members[name].append(code)
    single = [name for name, codes in members.items() if len(codes) == 1]
    assert single  # the snapshot has single-station cities
    for name in single:
        assert aqi[name] == by_station[members[name][0]].aqi, name
    assert len(aqi) == len(members) > 300
    for name, codes in members.items():
        assert aqi[name] <= max(by_station[c].aqi for c in codes), name


values = st.one_of(st.none(), st.integers(0, 1000).map(float))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(values, values, values), min_size=1, max_size=6))
def test_city_mean_and_aqi_bounds_of_random_stations(stations: list[tuple[Any, ...]]) -> None:
    """The city value is the mean of the reporting stations; its AQI lies between the AQIs the
    lowest and the highest station values would give (IAQI is monotone)."""
    rows = [
        {"station": f"s{i}", "PM2.5": pm25, "NO2": no2, "O3": o3}
        for i, (pm25, no2, o3) in enumerate(stations)
    ]
    mapping = pl.DataFrame({"station": [r["station"] for r in rows], "city": "C"})
    city = city_hourly_values(hourly(rows), mapping).row(0, named=True)
    for column, index in (("PM2.5", 0), ("NO2", 1), ("O3", 2)):
        present = [s[index] for s in stations if s[index] is not None]
        assert city[f"{column}_n_valid"] == len(present)
        expected = round(sum(present) / len(present), 3) if present else None
        assert city[column] == pytest.approx(expected) if present else city[column] is None
    reporting = sum(any(v is not None for v in s) for s in stations)
    assert (city["stations_reporting"], city["stations_expected"]) == (reporting, len(stations))
    aqi = hourly_aqi(city_hourly_values(hourly(rows), mapping))["aqi"].item()
    per_station = hourly_aqi(hourly(rows))["aqi"].drop_nulls().to_list()
    if per_station:
        assert aqi is not None
        assert aqi <= max(per_station)
    else:
        assert aqi is None
