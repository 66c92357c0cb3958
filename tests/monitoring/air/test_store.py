"""The hourly store: both read paths (key lookups for few stations, range scan for many)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl
import pytest
from alembic import command
from sqlalchemy import insert, inspect, select, text

from ecogov.monitoring.air import store
from ecogov.monitoring.air.models import AirStation
from ecogov.platform.db import Database
from ecogov.platform.migrate import alembic_config, upgrade
from ecogov.platform.scope import SYSTEM

HOURS = 72
BASE = 1_735_660_800  # 2025-01-01 00:00 Beijing [Unix s]


@pytest.fixture
def filled(db: Database, tmp_path: Path) -> tuple[Database, list[int]]:
    """Twelve stations with three days of hours, some station-hours missing."""
    with db.transaction(SYSTEM) as session:
        session.execute(
            insert(AirStation),
            [
                {"code": f"T{i:03d}", "name": f"站{i}", "region_code": "330106",
                 "city_code": "330100", "kind": "national", "source": "test"}
                for i in range(12)
            ],
        )  # fmt: skip
        ids = list(session.scalars(select(AirStation.id).order_by(AirStation.id)))
    rng = np.random.default_rng(3)
    rows = pl.DataFrame(
        {
            "ts": np.repeat(BASE + 3600 * np.arange(HOURS), len(ids)),
            "station_id": np.tile(ids, HOURS),
            **{column: rng.uniform(0, 100, HOURS * len(ids)) for column in store.VALUES},
            "qc": np.zeros(HOURS * len(ids), dtype=np.int64),
        }
    ).filter(pl.int_range(pl.len()) % 7 != 3)
    with db.transaction(SYSTEM) as session:
        store.upsert_hourly(session.connection(), rows)
    return db, ids


def _read(
    db: Database, ids: list[int], first: int, last: int, lookup: bool, mp: pytest.MonkeyPatch
) -> pl.DataFrame:
    """Read through the lookup path (factor 0 makes n·0 < count) or the scan path."""
    mp.setattr(store, "LOOKUP_FACTOR", 0 if lookup else 10_000)
    with db.engine.connect() as connection:
        return store.read_hourly(connection, ids, first, last).sort("ts", "station_id")


@pytest.mark.parametrize(
    ("picked", "first", "last"),
    [
        ([0], BASE, BASE + 3600 * (HOURS - 1)),
        ([1, 5], BASE + 1800, BASE + 3600 * 10),  # a start between hours rounds up
        ([2, 3, 4], BASE + 3600 * 5, BASE + 3600 * 5),  # one hour
        ([7], BASE - 86_400, BASE + 3600 * 2),  # range reaching before the data
        (list(range(12)), BASE, BASE + 3600 * 30),
    ],
)
def test_lookup_and_scan_read_the_same_rows(
    filled: tuple[Database, list[int]],
    picked: list[int],
    first: int,
    last: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    db, ids = filled
    chosen = [ids[i] for i in picked]
    lookup = _read(db, chosen, first, last, True, monkeypatch)
    scan = _read(db, chosen, first, last, False, monkeypatch)
    assert lookup.equals(scan)
    assert not lookup.is_empty()
    assert set(lookup["station_id"].to_list()) <= set(chosen)
    assert lookup["ts"].is_between(first, last).all()


def test_empty_range_and_no_stations_read_nothing(
    filled: tuple[Database, list[int]], monkeypatch: pytest.MonkeyPatch
) -> None:
    db, ids = filled
    assert _read(db, ids[:1], BASE + 7200, BASE, True, monkeypatch).is_empty()
    assert _read(db, [], BASE, BASE + 7200, True, monkeypatch).is_empty()


def test_air_0002_downgrade_and_upgrade_keep_the_rows(
    filled: tuple[Database, list[int]],
) -> None:
    """air_0002 rebuilds the SQLite table (drops index and foreign key); rows survive both ways."""
    db, _ = filled

    def stored() -> int:
        with db.engine.connect() as connection:
            return int(connection.execute(text("SELECT count(*) FROM air_hourly")).scalar_one())

    count = stored()
    command.downgrade(alembic_config(db.engine), "air_0001")
    assert stored() == count
    indexes = inspect(db.engine).get_indexes("air_hourly")
    assert [index["name"] for index in indexes] == ["ix_air_hourly_station_id"]
    upgrade(db.engine)
    assert stored() == count
    assert not inspect(db.engine).get_foreign_keys("air_hourly")
    assert not inspect(db.engine).get_indexes("air_hourly")


def test_hours_that_look_new_but_were_stored_meanwhile_change_nothing(
    filled: tuple[Database, list[int]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A concurrent import stored the hours after the range count: PostgreSQL's direct COPY is
    undone (savepoint) and the merge, like SQLite's upsert, changes nothing."""
    db, _ = filled
    with db.engine.connect() as connection:
        stored = store.read_hourly(connection, _ids(db), BASE, BASE + 3600 * HOURS)
    monkeypatch.setattr(store, "_count_range", lambda connection, first, last: 0)
    with db.transaction(SYSTEM) as session:
        if db.backend == "postgresql":
            assert not store._copy_new(session.connection(), stored)
        counts = store.upsert_hourly(session.connection(), stored)
    assert counts == store.UpsertCounts(inserted=0, updated=0)
    with db.engine.connect() as connection:
        again = store.read_hourly(connection, _ids(db), BASE, BASE + 3600 * HOURS)
    assert again.sort("ts", "station_id").equals(stored.sort("ts", "station_id"))


def _ids(db: Database) -> list[int]:
    with db.transaction(SYSTEM) as session:
        return list(session.scalars(select(AirStation.id)))
