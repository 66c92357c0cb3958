"""The ``aqi_table`` contract and the CNEMC acceptance test (files are read by the air domain:
tests/monitoring/air/test_long_reader.py)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import polars as pl
import pytest

from ecogov.engine.air import AQI_TABLE_COLUMNS, EngineInputError, aqi_table
from tests.engine.cnemc import long_frame, published, stations_with_aqi
from tests.standards.test_cnemc_snapshot import STATIONS_WITH_AQI

T0 = datetime(2025, 7, 1, 1)


def long(rows: list[tuple[str, datetime, str, float]]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=["station", "time", "pollutant", "value"], orient="row")


# --- THE acceptance test: every published AQI of the CNEMC snapshot -------------------------------


@pytest.mark.shared
def test_every_published_cnemc_aqi_is_reproduced(shared_dir: Path) -> None:
    stations = stations_with_aqi(shared_dir)
    assert len(stations) == STATIONS_WITH_AQI
    table = aqi_table(long_frame(stations), kind="hourly", edition="auto")
    expected = published(stations)
    assert table.height == len(expected)
    differences = []
    for row in table.iter_rows(named=True):
        truth = expected[row["station"]]
        primary = frozenset(filter(None, row["primary_pollutants"].split(";")))
        if (row["aqi"], row["category"], primary) != truth:
            differences.append((row["station"], truth, row["aqi"], row["category"], primary))
    assert differences == []
    assert set(table["level"].unique()) <= set(range(1, 7))


# --- the contract -------------------------------------------------------------------------------


def test_hourly_table_columns_and_o3_8h() -> None:
    rows = [("A", T0 + timedelta(hours=h), "O3", 100.0 + h) for h in range(8)]
    rows += [("A", T0 + timedelta(hours=7), "PM2.5", 80.0), ("B", T0, "CO", 2.2)]
    table = aqi_table(long(rows), kind="hourly", edition="2012")
    assert table.columns == list(AQI_TABLE_COLUMNS)
    assert table.schema["time"] == pl.Datetime("us")
    last = table.filter(pl.col("station") == "A").row(-1, named=True)
    # O3 8-hour mean 103.5 → IAQI 53: reported, but never part of the AQI (published practice)
    assert (last["iaqi_O3_8H"], last["iaqi_O3_1H"], last["iaqi_PM2.5"]) == (53, 34, 107)
    assert (last["aqi"], last["level"], last["category"], last["primary_pollutants"]) == (
        107,
        3,
        "轻度污染",
        "PM2.5",
    )
    co = table.filter(pl.col("station") == "B").row(0, named=True)
    assert (co["iaqi_CO"], co["aqi"], co["primary_pollutants"]) == (22, 22, "")  # 2.2 mg/m³ 1h


def test_daily_table() -> None:
    hours = [T0 + timedelta(hours=h) for h in range(24)]
    rows = [("A", t, "PM2.5", 75.0) for t in hours] + [("A", t, "CO", 2.2) for t in hours]
    table = aqi_table(long(rows), kind="daily", edition="auto")
    assert table.columns == list(AQI_TABLE_COLUMNS)
    row = table.row(0, named=True)
    assert (row["time"], row["iaqi_PM2.5"], row["iaqi_CO"], row["aqi"]) == (
        date(2025, 7, 1),
        100,
        55,
        100,
    )
    assert row["iaqi_O3_1H"] is None  # no O3 data


def test_2026_incomplete_reports_at_or_below_100_are_not_published() -> None:
    t = datetime(2026, 7, 1, 1)
    table = aqi_table(long([("A", t, "PM2.5", 60.0), ("B", t, "PM2.5", 61.0)]), "hourly", "auto")
    a, b = table.rows(named=True)
    assert (a["aqi"], a["category"], a["primary_pollutants"], a["iaqi_PM2.5"]) == (
        None,
        None,
        None,
        100,
    )
    assert (b["aqi"], b["level"], b["primary_pollutants"]) == (101, 3, "PM2.5")


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([("A", T0, "PM25", 1.0)], "pollutant 'PM25' is not one of SO2"),
        ([("A", T0 + timedelta(minutes=30), "SO2", 1.0)], "is not on the hour"),
        ([("A", T0, "SO2", -1.0)], "value -1.0 is negative"),
        ([("A", T0, "SO2", 1.0), ("A", T0, "SO2", 2.0)], "appears twice for station A"),
        ([("A", T0, "CO", 2e6)], "outside 0-1000000 mg/m³"),
    ],
)
def test_bad_long_input(rows: list[tuple[str, datetime, str, float]], message: str) -> None:
    with pytest.raises(EngineInputError, match=message):
        aqi_table(long(rows), "hourly", "auto")
