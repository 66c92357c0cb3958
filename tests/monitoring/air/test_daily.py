"""Stored station daily values: refreshed by every write of hours in its transaction, equal to
the daily values computed afresh from the hours, and what the evaluation reads."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest
from alembic import command
from polars.testing import assert_frame_equal
from sqlalchemy import text

from ecogov.engine import air as engine
from ecogov.monitoring.air import daily, demo, evaluation, store
from ecogov.platform.db import Database
from ecogov.platform.migrate import alembic_config, upgrade
from ecogov.platform.scope import SYSTEM, Principal

FIRST, LAST = date(2025, 1, 1), date(2025, 2, 5)
"""The days of the demo's first 840 hours (2025-01-01 09:00 … 2025-02-05 08:00 Beijing)."""


@pytest.fixture
def air_demo(db: Database) -> Database:
    """Simulated stations with the first 35 days of 2025."""
    demo.load(db, hours=24 * 35)
    return db


def _fresh(
    db: Database, principal: Principal, stations: pl.DataFrame, first: date, last: date
) -> pl.DataFrame:
    """The daily values computed from the stored hours, as the evaluation did before."""
    hourly = evaluation.hourly_frame(db, principal, stations, first, last)
    return pl.DataFrame() if hourly.is_empty() else engine.daily_values(hourly)


def _fresh_cities(
    db: Database, principal: Principal, cities: list[str], first: date, last: date
) -> pl.DataFrame:
    """The city daily values computed from the stored hours of all the cities' stations."""
    stations = evaluation.official_stations(db, principal, cities)
    stations = stations.filter(pl.col("city").is_in(cities))
    days = _fresh(db, principal, stations, first, last)
    return days if days.is_empty() else engine.city_daily_values(days, stations)


def _stored(db: Database, first: date = FIRST, last: date = LAST) -> pl.DataFrame:
    """The stored daily values as the evaluation reads them (not the 30 s cached ones)."""
    evaluation.clear_daily_cache()
    stations = evaluation.visible_stations(db, SYSTEM, None)
    return evaluation.station_daily_values(db, SYSTEM, stations, first, last)


def _computed(db: Database, first: date = FIRST, last: date = LAST) -> pl.DataFrame:
    return _fresh(db, SYSTEM, evaluation.visible_stations(db, SYSTEM, None), first, last)


def _count(db: Database) -> int:
    with db.engine.connect() as connection:
        return int(connection.execute(text("SELECT count(*) FROM air_daily")).scalar_one())


def test_demo_load_stores_the_daily_values_of_every_station_day(air_demo: Database) -> None:
    stations = evaluation.visible_stations(air_demo, SYSTEM, None)
    assert _count(air_demo) == stations.height * 36
    assert_frame_equal(_stored(air_demo), _computed(air_demo), check_exact=True)
    january = (date(2025, 1, 10), date(2025, 1, 31))
    assert_frame_equal(_stored(air_demo, *january), _computed(air_demo, *january))


def test_rewritten_hours_refresh_their_days_and_a_repeat_changes_nothing(
    air_demo: Database,
) -> None:
    station, code = evaluation.visible_stations(air_demo, SYSTEM, None).row(0)[:2]
    start, _ = daily.day_range(date(2025, 1, 20), date(2025, 1, 20))
    with air_demo.engine.connect() as connection:
        hours = store.read_hourly(connection, [station], start, start + 11 * 3600)
    lowered = hours.with_columns(pl.lit(1.0).alias("pm25"))
    count = _count(air_demo)

    def pm25() -> float:
        day = _stored(air_demo).filter(
            pl.col("date") == date(2025, 1, 20), pl.col("station") == code
        )
        return float(day["PM2.5"].item())

    before = pm25()
    for _ in range(2):
        with air_demo.transaction(SYSTEM) as session:
            daily.store_hours(session.connection(), lowered)
        assert _count(air_demo) == count
        assert_frame_equal(_stored(air_demo), _computed(air_demo), check_exact=True)
    assert pm25() < before  # half the day's hours lowered to 1 µg/m³


def test_evaluations_from_the_stored_values_equal_those_from_the_hours(
    air_demo: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whole tables by station and by city (with change rate and rank), a county's view too."""
    # a station silent for two days in the middle of the month (no stored day: the engine's
    # fresh grid has two empty days), and one whose hours stop early
    ids = evaluation.visible_stations(air_demo, SYSTEM, None)["station_id"].to_list()
    gap, stop = (date(2025, 1, 12), date(2025, 1, 13)), (date(2025, 1, 25), LAST)
    with air_demo.transaction(SYSTEM) as session:
        connection = session.connection()
        for station, days in ((ids[0], gap), (ids[1], stop)):
            start, end = daily.day_range(*days)
            connection.execute(
                text("DELETE FROM air_hourly WHERE station_id = :s AND ts BETWEEN :a AND :b"),
                {"s": station, "a": start, "b": end},
            )
            assert daily.refresh(connection, [station], *days) == 0
    evaluation.clear_daily_cache()
    cases: list[tuple[str, evaluation.Grouping, str | None]] = [
        ("2025-01", "station", None),
        ("2025-01", "city", None),
        ("2025", "city", "330100"),
    ]
    stored = [evaluation.evaluate(air_demo, SYSTEM, *case) for case in cases]
    monkeypatch.setattr(evaluation, "station_daily_values", _fresh)
    monkeypatch.setattr(evaluation, "city_daily_values", _fresh_cities)
    computed = [evaluation.evaluate(air_demo, SYSTEM, *case) for case in cases]
    assert all(not table.is_empty() for table in stored)
    for mine, theirs in zip(stored, computed, strict=True):
        assert_frame_equal(mine, theirs, check_exact=True)


def test_the_migration_computes_the_hours_already_stored(air_demo: Database) -> None:
    count = _count(air_demo)
    command.downgrade(alembic_config(air_demo.engine), "air_0002")
    upgrade(air_demo.engine)
    assert _count(air_demo) == count
    assert_frame_equal(_stored(air_demo), _computed(air_demo), check_exact=True)


def test_nothing_stored_reads_an_empty_frame(db: Database) -> None:
    assert _stored(db).is_empty()
    with db.transaction(SYSTEM) as session:
        assert daily.refresh(session.connection(), [], FIRST, LAST) == 0
