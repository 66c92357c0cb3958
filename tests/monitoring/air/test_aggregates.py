"""Issue 20, item 1: the station-day and city-day aggregates are maintained incrementally by
every write of hours, and after any sequence of imports, re-imports and late data they equal
the engine's result computed afresh from the stored hours."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal
from sqlalchemy import select, text

from ecogov.engine import air as engine
from ecogov.monitoring.air import daily, demo, store
from ecogov.monitoring.air.models import AirCityDaily, AirDaily, AirStation
from ecogov.platform.db import Database
from ecogov.platform.scope import SYSTEM
from ecogov.standards.timebase import BEIJING

FIRST = date(2026, 2, 27)
"""The first day of the property test: its days straddle the HJ 633-2026 edition change."""
DAYS = 4


def _station_map(db: Database) -> pl.DataFrame:
    """Every registered station: ``station_id``, ``station`` (its id as text), ``city``."""
    with db.engine.connect() as connection:
        rows = connection.execute(select(AirStation.id, AirStation.city_code)).all()
    frame = pl.DataFrame(
        [tuple(r) for r in rows], schema={"station_id": pl.Int64, "city": pl.String}, orient="row"
    )
    return frame.with_columns(station=pl.col("station_id").cast(pl.String))


@pytest.fixture
def stations(db: Database) -> list[int]:
    """The simulated Zhejiang stations, registered without data; two of Hangzhou and two of
    Ningbo are written to."""
    demo._stations(db)
    by_city = _station_map(db).sort("station_id")
    hangzhou = by_city.filter(pl.col("city") == "330100")["station_id"].to_list()[:2]
    ningbo = by_city.filter(pl.col("city") == "330200")["station_id"].to_list()[:2]
    return [*hangzhou, *ningbo]


def _hours(station: int, day: int, start: int, length: int, value: float, qc: int) -> pl.DataFrame:
    """``length`` hours of one station from hour-ending ``start`` of day ``FIRST + day``."""
    base = datetime(FIRST.year, FIRST.month, FIRST.day, tzinfo=BEIJING) + timedelta(days=day)
    stamps = [int((base + timedelta(hours=start + 1 + i)).timestamp()) for i in range(length)]
    values = {column: [value * (1 + i % 3) for i in range(length)] for column in store.VALUES}
    return pl.DataFrame(
        {"ts": stamps, "station_id": [station] * length, **values, "qc": [qc] * length},
        schema=store.SCHEMA,
    )


def _write(db: Database, rows: pl.DataFrame) -> None:
    with db.transaction(SYSTEM) as session:
        daily.store_hours(session.connection(), rows)


def _stored_aqi(db: Database, model: type[AirDaily] | type[AirCityDaily]) -> dict[Any, Any]:
    key = model.station_id if model is AirDaily else model.city_code  # type: ignore[union-attr]
    with db.engine.connect() as connection:
        rows = connection.execute(select(key, model.day, model.aqi)).all()
    return {(str(k), d): a for k, d, a in rows}


def _assert_equal_to_fresh(db: Database) -> None:
    """Every stored station-day and city-day equals the engine's result from all stored hours."""
    stations = _station_map(db)
    first, last = date(2000, 1, 1), date(2100, 12, 31)
    start, end = daily.day_range(first, last)
    with db.engine.connect() as connection:
        hours = store.read_hourly(connection, stations["station_id"].to_list(), start, end)
        stored = daily.read(connection, stations, first, last)
        cities = daily.read_cities(connection, stations["city"].unique().to_list(), first, last)
    if hours.is_empty():
        assert stored.is_empty()
        assert cities.is_empty()
        return
    wide = daily.wide_hourly(hours, stations.select("station_id", "station"))
    # the engine fills the days between a station's first and last with empty ones; the store
    # holds the days that have hours
    held = wide.select("station", date=(pl.col("time") - pl.duration(hours=1)).dt.date()).unique()
    fresh = engine.daily_values(wide).join(held, on=["station", "date"], how="semi")
    fresh_cities = engine.city_daily_values(fresh, stations.select("station", "city"))
    # the exact columns (numerators, denominators, counts) equal to the last digit; the float
    # value is stored as num / den, the engine's fresh float may differ in the last bit
    assert_frame_equal(stored, fresh, check_exact=False, rel_tol=1e-14, abs_tol=0)
    assert_frame_equal(cities, fresh_cities, check_exact=False, rel_tol=1e-14, abs_tol=0)
    for model, frame, key in ((AirDaily, fresh, "station"), (AirCityDaily, fresh_cities, "city")):
        scored = engine.daily_aqi(frame).select(key, "date", "aqi").iter_rows()
        assert _stored_aqi(db, model) == {(str(k), d): a for k, d, a in scored}


def _reset(db: Database) -> None:
    with db.engine.begin() as connection:
        for table in ("air_hourly", "air_daily", "air_city_daily"):
            connection.execute(text(f"DELETE FROM {table}"))


OPERATION = st.tuples(
    st.integers(0, 3),  # station
    st.integers(0, DAYS - 1),  # day (a later operation on an earlier day is late data)
    st.integers(0, 23),  # first hour
    st.integers(1, 30),  # hours (may run into the next day)
    st.sampled_from([0.0, 12.0, 75.0, 310.0]),  # value
    st.sampled_from([0, 0, 1 << 5, 0b111111]),  # qc: valid, PM2.5 flagged, all flagged
    st.booleans(),  # written twice (a re-import)
)


@settings(
    max_examples=10,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(operations=st.lists(OPERATION, min_size=1, max_size=5))
def test_aggregates_equal_the_engine_from_scratch_after_any_imports(
    db: Database, stations: list[int], operations: list[tuple[int, int, int, int, float, int, bool]]
) -> None:
    _reset(db)
    for station, day, start, length, value, qc, again in operations:
        rows = _hours(stations[station], day, start, length, value, qc)
        for _ in range(2 if again else 1):
            _write(db, rows)
    _assert_equal_to_fresh(db)


def _rows_of(db: Database, model: type[AirDaily] | type[AirCityDaily]) -> dict[Any, Any]:
    with db.engine.connect() as connection:
        found = connection.execute(select(model.__table__)).all()
    return {(row[0], row[1]): tuple(row) for row in found}


def test_late_hours_change_exactly_their_station_day_and_city_day(
    db: Database, stations: list[int]
) -> None:
    for station in stations:
        for day in range(3):
            _write(db, _hours(station, day, 0, 24, 30.0, 0))
    before = {model: _rows_of(db, model) for model in (AirDaily, AirCityDaily)}
    late = _hours(stations[0], 1, 5, 3, 300.0, 0)  # three hours of day 1 at one station
    _write(db, late)
    after = {model: _rows_of(db, model) for model in (AirDaily, AirCityDaily)}
    changed = {
        model: {key for key in after[model] if after[model][key] != before[model].get(key)}
        for model in after
    }
    late_day = FIRST + timedelta(days=1)
    assert changed[AirDaily] == {(stations[0], late_day)}
    assert changed[AirCityDaily] == {("330100", late_day)}
    assert before[AirDaily].keys() == after[AirDaily].keys()
    _assert_equal_to_fresh(db)


def test_a_repeated_import_changes_no_aggregate(db: Database, stations: list[int]) -> None:
    rows = pl.concat([_hours(station, 0, 0, 30, 40.0, 0) for station in stations])
    _write(db, rows)
    before = {model: _rows_of(db, model) for model in (AirDaily, AirCityDaily)}
    _write(db, rows)
    assert {model: _rows_of(db, model) for model in (AirDaily, AirCityDaily)} == before


@given(stamps=st.lists(st.integers(1_700_000_000 // 3600, 1_900_000_000 // 3600), min_size=1))
def test_the_affected_days_hold_every_hour_written(stamps: list[int]) -> None:
    """Hour-ending stamps: D 01:00 … D+1 00:00 Beijing are day D; the affected range is the
    smallest holding them all."""
    rows = pl.DataFrame({"station_id": [7] * len(stamps), "ts": [s * 3600 for s in stamps]})
    keys = daily.affected(rows)
    assert keys is not None
    ids, first, last = keys
    days = {(datetime.fromtimestamp(s * 3600, BEIJING) - timedelta(hours=1)).date() for s in stamps}
    assert ids == [7]
    assert (first, last) == (min(days), max(days))
    start, end = daily.day_range(first, last)
    assert start <= min(stamps) * 3600
    assert max(stamps) * 3600 <= end


def test_no_rows_affect_nothing() -> None:
    assert daily.affected(pl.DataFrame(schema=store.SCHEMA)) is None


def test_a_new_station_restates_its_city_days(db: Database, stations: list[int]) -> None:
    """A city's value counts its stations (``n_expected``): registering one recomputes them."""
    _write(db, _hours(stations[0], 0, 0, 24, 30.0, 0))
    with db.transaction(SYSTEM) as session:
        station = session.scalars(select(AirStation).where(AirStation.id == stations[0])).one()
        session.add(
            AirStation(
                code="TEST-NEW",
                name="新站",
                region_code=station.region_code,
                city_code=station.city_code,
                source="test",
            )
        )
        session.flush()
        daily.registered(session.connection(), [station.city_code])
    _assert_equal_to_fresh(db)


def test_rebuild_recomputes_every_aggregate_and_is_idempotent(
    db: Database, stations: list[int]
) -> None:
    for station in stations:
        _write(db, _hours(station, 0, 0, 48, 55.0, 0))
    expected = {model: _rows_of(db, model) for model in (AirDaily, AirCityDaily)}
    with db.engine.begin() as connection:
        connection.execute(text("DELETE FROM air_city_daily"))
        connection.execute(text("UPDATE air_daily SET pm25_num = 1"))
    for _ in range(2):
        with db.transaction(SYSTEM) as session:
            assert daily.rebuild(session.connection()) == len(expected[AirDaily])
        assert {model: _rows_of(db, model) for model in expected} == expected
    with db.transaction(SYSTEM) as session:
        assert daily.rebuild(session.connection(), FIRST, FIRST) == len(stations)
    assert {model: _rows_of(db, model) for model in expected} == expected


def test_the_rebuild_command_recomputes_and_refuses_an_inverted_window(
    db: Database, stations: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from ecogov.monitoring.air.cli import app

    _write(db, _hours(stations[0], 0, 0, 24, 20.0, 0))
    expected = {model: _rows_of(db, model) for model in (AirDaily, AirCityDaily)}
    with db.engine.begin() as connection:
        connection.execute(text("DELETE FROM air_city_daily"))
        connection.execute(text("DELETE FROM air_daily"))
    monkeypatch.setattr("ecogov.monitoring.air.cli.database", lambda: db)
    done = CliRunner().invoke(app(), ["aggregates", "rebuild", "--period", "2026"])
    assert done.exit_code == 0, done.output
    assert "已重算 1 个站点日" in done.output
    assert {model: _rows_of(db, model) for model in expected} == expected
    refused = CliRunner().invoke(
        app(), ["aggregates", "rebuild", "--period", "2026-03-02..2026-03-01"]
    )
    assert refused.exit_code != 0
    assert "范围的起点晚于终点" in str(refused.exception or refused.output)
