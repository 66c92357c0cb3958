"""hj212_0002 turns hj212_record into an ordinary table on SQLite; rows survive both ways.
hj212_0003 moves the raw archive's frames into segments, one per commit, and back.
hj212_0004 compresses new segments with LZ4 on PostgreSQL; every segment stays readable."""

from __future__ import annotations

from alembic import command
from sqlalchemy import inspect, text

from ecogov.hj212.archive import unpack
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


def _tables(db: Database) -> set[str]:
    return set(inspect(db.engine).get_table_names())


def test_hj212_0003_moves_archived_frames_into_segments_and_back(db: Database) -> None:
    command.downgrade(alembic_config(db.engine), "hj212_0002")
    assert "hj212_archive_segment" not in _tables(db)
    frames = [
        (1767200400000 + n, "127.0.0.1:5000", f"8888888000000{n % 3}", "2061", None, "stored", raw)
        for n, raw in enumerate([b"##0001a1234\r\n", b"", b"\x00\xff garbage"] * 700)
    ]
    columns = "received_at, peer, mn, cn, qn, outcome, raw"
    mark = "%s" if db.backend == "postgresql" else "?"
    with db.engine.begin() as connection:
        connection.exec_driver_sql(
            f"INSERT INTO hj212_archive ({columns}) VALUES ({', '.join([mark] * 7)})", frames
        )
    upgrade(db.engine)
    assert "hj212_archive" not in _tables(db)
    with db.engine.connect() as connection:
        segments = connection.execute(
            text("SELECT frames, entries, data FROM hj212_archive_segment ORDER BY id")
        ).all()
    assert [row[0] for row in segments] == [1000, 1000, 100]
    moved = [
        (f.received_at, f.peer, f.mn, f.cn, f.qn, f.outcome, f.raw)
        for row in segments
        for f in unpack(row[1], bytes(row[2]))
    ]
    assert moved == frames
    command.downgrade(alembic_config(db.engine), "hj212_0002")
    with db.engine.connect() as connection:
        back = connection.execute(text(f"SELECT {columns} FROM hj212_archive ORDER BY id")).all()
    assert [(*row[:6], bytes(row[6])) for row in back] == frames
    upgrade(db.engine)


def _compression(db: Database) -> dict[str, str]:
    """PostgreSQL: the compression method set on each column of hj212_archive_segment that
    has one (``l`` for LZ4)."""
    with db.engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT attname, attcompression FROM pg_attribute "
                "WHERE attrelid = 'hj212_archive_segment'::regclass AND attcompression <> ''"
            )
        ).all()
    return {str(name): str(method) for name, method in rows}


def test_hj212_0004_compresses_the_archive_with_lz4_on_postgresql(db: Database) -> None:
    segment = {"entries": "[" + ",".join(['[1,"127.0.0.1:5000","8888",null]'] * 400) + "]"}
    row = {**segment, "data": b"##0101QN=20260101000000000;ST=32;CN=2061\r\n" * 400}
    insert = text(
        "INSERT INTO hj212_archive_segment (received_from, received_to, frames, entries, data) "
        "VALUES (1, 2, 400, :entries, :data)"
    )
    with db.engine.begin() as connection:
        connection.execute(insert, row)
    if db.backend == "postgresql":
        assert _compression(db) == {"entries": "l", "data": "l"}
    command.downgrade(alembic_config(db.engine), "hj212_0003")
    if db.backend == "postgresql":
        assert _compression(db) == {}
    with db.engine.begin() as connection:
        connection.execute(insert, row)
    upgrade(db.engine)
    with db.engine.begin() as connection:
        connection.execute(insert, row)
        stored = connection.execute(text("SELECT entries, data FROM hj212_archive_segment")).all()
    assert [(entries, bytes(data)) for entries, data in stored] == [
        (row["entries"], row["data"])
    ] * 3
    if db.backend == "postgresql":
        with db.engine.connect() as connection:
            methods = connection.execute(
                text("SELECT pg_column_compression(data) FROM hj212_archive_segment ORDER BY id")
            ).scalars()
            assert list(methods) == ["lz4", "pglz", "lz4"]
