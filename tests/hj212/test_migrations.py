"""hj212_0002 turns hj212_record into an ordinary table on SQLite; rows survive both ways.
hj212_0003 indexes the raw archive by arrival time instead of by device."""

from __future__ import annotations

from alembic import command
from sqlalchemy import inspect, text

from ecogov.platform.db import Database
from ecogov.platform.migrate import alembic_config, upgrade


def _records(db: Database) -> list[tuple[object, ...]]:
    with db.engine.connect() as connection:
        return [tuple(row) for row in connection.execute(text("SELECT * FROM hj212_record"))]


def _clustered(db: Database) -> bool:
    """Whether SQLite stores hj212_record WITHOUT ROWID (always False elsewhere)."""
    if db.backend != "sqlite":
        return False
    with db.engine.connect() as connection:
        sql = connection.execute(
            text("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'hj212_record'")
        ).scalar_one()
    return "WITHOUT ROWID" in str(sql).upper()


def test_hj212_0002_downgrade_and_upgrade_keep_the_records(db: Database) -> None:
    with db.engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO hj212_record (mn, cn, data_time, st, qn, cp, received_at, revisions) "
                "VALUES ('88888880000001', '2061', 1767196800, '32', '20260101000000000', "
                "'DataTime=20260101000000;w01018-Avg=42.0,w01018-Flag=N', 1767200400, 0)"
            )
        )
    stored = _records(db)
    assert not _clustered(db)
    command.downgrade(alembic_config(db.engine), "hj212_0001")
    assert _records(db) == stored
    assert _clustered(db) == (db.backend == "sqlite")
    upgrade(db.engine)
    assert _records(db) == stored
    assert not _clustered(db)


def _archive_indexes(db: Database) -> set[str]:
    return {str(index["name"]) for index in inspect(db.engine).get_indexes("hj212_archive")}


def test_hj212_0003_moves_the_archive_index_both_ways(db: Database) -> None:
    assert _archive_indexes(db) == {"ix_hj212_archive_received_at"}
    command.downgrade(alembic_config(db.engine), "hj212_0002")
    assert _archive_indexes(db) == {"ix_hj212_archive_mn"}
    upgrade(db.engine)
    assert _archive_indexes(db) == {"ix_hj212_archive_received_at"}
