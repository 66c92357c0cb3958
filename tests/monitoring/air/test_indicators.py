"""Air indicators for plan targets: values from the engine, and they follow the data."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from ecogov.monitoring.air import demo, evaluation
from ecogov.monitoring.air.daily import store_hours
from ecogov.monitoring.air.indicators import INDICATORS, clear_cache
from ecogov.platform import clock
from ecogov.platform.db import Database
from ecogov.platform.indicators import value_of
from ecogov.platform.scope import SYSTEM

BY_KEY = {indicator.key: indicator for indicator in INDICATORS}


@pytest.fixture
def air_demo(db: Database) -> Database:
    """Simulated stations with the first 35 days of 2025 (hour-ending labels)."""
    demo.load(db, hours=24 * 35)
    clear_cache()
    return db


def test_indicators_are_declared_with_units_and_direction() -> None:
    assert {
        "air.pm25_annual_mean",
        "air.good_day_ratio",
        "air.heavy_pollution_days",
        "air.county_pm25_attainment_share",
        "air.city_rank",
    } <= set(BY_KEY)
    assert BY_KEY["air.good_day_ratio"].higher_is_better
    assert not BY_KEY["air.pm25_annual_mean"].higher_is_better
    assert BY_KEY["air.pm25_annual_mean"].unit == "µg/m³"


def test_city_value_equals_the_evaluation(air_demo: Database) -> None:
    compute = BY_KEY["air.good_day_ratio"].compute
    assert compute is not None
    value = compute(air_demo, "330100", 2025)
    table = evaluation.evaluate(air_demo, SYSTEM, "2025", "city", "330100")
    assert value is not None
    assert value.value == table["good_day_ratio"][0]
    assert value.valid is not None
    assert value.valid <= 35


def test_province_value_is_the_mean_over_its_cities(air_demo: Database) -> None:
    compute = BY_KEY["air.pm25_annual_mean"].compute
    assert compute is not None
    value = compute(air_demo, "330000", 2025)
    cities = evaluation.evaluate(air_demo, SYSTEM, "2025", "city", "330000")
    assert value is not None
    assert cities.height == 11
    assert value.value == round(float(cities["pm25_mean"].mean()), 1)  # type: ignore[arg-type]


def test_rank_and_county_share(air_demo: Database) -> None:
    rank = BY_KEY["air.city_rank"].compute
    share = BY_KEY["air.county_pm25_attainment_share"].compute
    assert rank is not None
    assert share is not None
    ranked = rank(air_demo, "330100", 2025)
    assert ranked is not None
    assert 1 <= ranked.value <= 11
    assert rank(air_demo, "330000", 2025) is None
    county_share = share(air_demo, "330000", 2025)
    assert county_share is not None
    assert 0 <= county_share.value <= 100


def test_changing_the_data_changes_the_value(air_demo: Database) -> None:
    compute = BY_KEY["air.good_day_ratio"].compute
    assert compute is not None
    before = compute(air_demo, "330100", 2025)
    assert before is not None
    with air_demo.engine.begin() as connection:
        hours = pl.read_database(
            "SELECT h.ts, h.station_id, h.so2, h.no2, h.co, h.o3, h.pm10, h.pm25, h.qc "
            "FROM air_hourly h JOIN air_station s ON s.id = h.station_id "
            "WHERE s.city_code = '330100'",
            connection,
        )
        polluted = hours.with_columns(pl.lit(180.0).alias("pm25"), pl.lit(260.0).alias("pm10"))
        store_hours(connection, polluted)
    clear_cache()
    after = compute(air_demo, "330100", 2025)
    assert after is not None
    assert after.value < before.value
    assert after.value == 0.0


def test_the_stored_value_follows_the_data_in_any_process(air_demo: Database) -> None:
    """Issue 14: the value pages read is stored; writing hours raises the air data's version,
    so the next read computes afresh, without this process's cache being cleared (another
    process may have written them)."""
    indicator = BY_KEY["air.good_day_ratio"]
    assert indicator.compute is not None
    with clock.frozen(date(2026, 3, 1)):
        before = value_of(air_demo, indicator, "330100", 2025)
        assert before == indicator.compute(air_demo, "330100", 2025)
        with air_demo.engine.begin() as connection:
            hours = pl.read_database(
                "SELECT h.ts, h.station_id, h.so2, h.no2, h.co, h.o3, h.pm10, h.pm25, h.qc "
                "FROM air_hourly h JOIN air_station s ON s.id = h.station_id "
                "WHERE s.city_code = '330100'",
                connection,
            )
            polluted = hours.with_columns(pl.lit(180.0).alias("pm25"), pl.lit(260.0).alias("pm10"))
            store_hours(connection, polluted)
        after = value_of(air_demo, indicator, "330100", 2025)
        assert after == indicator.compute(air_demo, "330100", 2025)
    assert before is not None
    assert after is not None
    assert (before.value > 0.0, after.value) == (True, 0.0)
