"""The monthly partitions of the record store on PostgreSQL: the migration keeps every row, the
key keeps resends idempotent across partitions, partitions are created ahead (taking over rows
the DEFAULT held), listed, and archived then dropped past retention."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import text
from typer.testing import CliRunner

from ecogov.hj212.cli import app
from ecogov.hj212.partitions import (
    DEFAULT,
    PartitionView,
    drop_partition,
    maintain,
    partitions,
)
from ecogov.hj212.record_archive import read_manifest
from ecogov.platform import clock
from ecogov.platform.db import Database
from ecogov.platform.errors import Conflict
from ecogov.platform.migrate import alembic_config, upgrade
from ecogov.platform.scope import SYSTEM
from ecogov.standards.timebase import BEIJING
from tests.hj212.support import make_devices, store_hours

NOW = datetime(2026, 11, 20, 10, tzinfo=BEIJING)


@pytest.fixture
def pg(db: Database) -> Iterator[Database]:
    """The PostgreSQL test database, its partitions other than the DEFAULT dropped after."""
    if db.backend != "postgresql":
        pytest.skip("SQLite keeps hj212_record as one table: there are no partitions")
    yield db
    with db.engine.begin() as connection:
        for view in partitions(connection):
            if view.month is not None:
                connection.execute(text(f"DROP TABLE {view.name}"))


def _where(db: Database) -> dict[str, int]:
    """Rows by the partition holding them."""
    with db.engine.connect() as connection:
        rows = connection.execute(
            text("SELECT tableoid::regclass::text, count(*) FROM hj212_record GROUP BY 1")
        )
        return {str(name): int(count) for name, count in rows}


def test_created_ahead_listed_and_idempotent(pg: Database) -> None:
    with clock.frozen(NOW):
        done = maintain(pg, SYSTEM, ahead=2)
        again = maintain(pg, SYSTEM, ahead=2)
    assert done.created == ["hj212_record_p202611", "hj212_record_p202612", "hj212_record_p202701"]
    assert again.created == []
    with pg.engine.connect() as connection:
        indexes = connection.scalars(
            text("SELECT indexdef FROM pg_indexes WHERE tablename = 'hj212_record_p202612'")
        ).all()
    assert sorted(index.split(" USING ")[1] for index in indexes) == [
        "brin (data_time) WITH (autosummarize='on')",
        "btree (mn, cn, data_time)",
    ]
    assert [view.name for view in again.partitions] == [*done.created, DEFAULT]
    november = again.partitions[0]
    assert november.month == "2026-11"
    assert november.lower == int(datetime(2026, 11, 1, tzinfo=BEIJING).timestamp())
    assert november.upper == int(datetime(2026, 12, 1, tzinfo=BEIJING).timestamp())


def test_rows_of_a_month_without_partition_go_to_default_then_move(pg: Database) -> None:
    (device,) = make_devices(pg, 1)
    store_hours(pg, device, ["40"] * 3, start=NOW)
    assert _where(pg) == {DEFAULT: 3}
    with clock.frozen(NOW):
        maintain(pg, SYSTEM, ahead=0)
    assert _where(pg) == {"hj212_record_p202611": 3}


def test_resends_stay_idempotent_across_partitions(pg: Database) -> None:
    """The key (mn, cn, data_time) holds the partition key: a resend lands in the partition of
    its DataTime and updates the one row there."""
    (device,) = make_devices(pg, 1)
    with clock.frozen(NOW):
        maintain(pg, SYSTEM, ahead=1)
    end_of_month = datetime(2026, 11, 30, 22, tzinfo=BEIJING)
    store_hours(pg, device, ["40", "41", "42", "43"], start=end_of_month)
    store_hours(pg, device, ["40", "41", "42", "43"], start=end_of_month)
    store_hours(pg, device, ["40", "41", "99", "43"], start=end_of_month)
    assert _where(pg) == {"hj212_record_p202611": 2, "hj212_record_p202612": 2}
    with pg.engine.connect() as connection:
        revisions = connection.execute(
            text("SELECT data_time, revisions FROM hj212_record ORDER BY data_time")
        ).all()
    assert [count for _, count in revisions] == [0, 0, 1, 0]


def test_retention_archives_then_drops(pg: Database, tmp_path: Path) -> None:
    (device,) = make_devices(pg, 1)
    old = datetime(2026, 6, 30, 23, tzinfo=BEIJING)
    with clock.frozen(old):
        maintain(pg, SYSTEM, ahead=1)
    store_hours(pg, device, ["40", "41", "42"], start=old)  # June and July
    store_hours(pg, device, ["50"], start=NOW - timedelta(days=40))  # October
    with clock.frozen(NOW):
        done = maintain(pg, SYSTEM, ahead=0, retain_months=3, archive_dir=tmp_path)
    # The last 3 whole months (August to October) and November are kept
    assert [month.month for month in done.archived] == ["2026-06", "2026-07"]
    assert done.dropped == ["hj212_record_p202606", "hj212_record_p202607"]
    assert [view.name for view in done.partitions] == ["hj212_record_p202611", DEFAULT]
    assert _where(pg) == {DEFAULT: 1}
    assert sorted(read_manifest(tmp_path)) == ["2026-06", "2026-07"]


def test_a_partition_holding_rows_is_not_dropped(pg: Database) -> None:
    (device,) = make_devices(pg, 1)
    with clock.frozen(NOW):
        maintain(pg, SYSTEM, ahead=0)
    store_hours(pg, device, ["40"], start=NOW)
    with pg.engine.begin() as connection:
        connection.execute(text("ANALYZE hj212_record_p202611"))
        (view, _) = partitions(connection)
        assert view == PartitionView("hj212_record_p202611", "2026-11", view.lower, view.upper, 1)
        with pytest.raises(Conflict, match="仍有 1 条未归档"):
            drop_partition(connection, view)


def test_migration_keeps_every_row_in_its_month(pg: Database) -> None:
    (device,) = make_devices(pg, 1)
    store_hours(pg, device, ["40", "41"], start=datetime(2026, 1, 31, 23, tzinfo=BEIJING))
    with pg.engine.connect() as connection:
        before = connection.execute(text("SELECT * FROM hj212_record ORDER BY data_time")).all()
    command.downgrade(alembic_config(pg.engine), "hj212_0004")
    with pg.engine.connect() as connection:
        kind = connection.scalar(
            text("SELECT relkind FROM pg_class WHERE relname = 'hj212_record'")
        )
        assert kind == "r"
    upgrade(pg.engine)
    assert _where(pg) == {"hj212_record_p202601": 1, "hj212_record_p202602": 1}
    with pg.engine.connect() as connection:
        after = connection.execute(text("SELECT * FROM hj212_record ORDER BY data_time")).all()
    assert after == before


def test_cli_lists_partitions(pg: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("ecogov.hj212.cli.database", lambda: pg)
    with clock.frozen(NOW):
        result = CliRunner().invoke(app(), ["partitions", "--ahead", "1"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert '"name": "hj212_record_p202611"' in lines[0]
    assert '"status": "created"' in lines[0]
    assert '"name": "hj212_record_default"' in lines[-1]
    assert '"status": "kept"' in lines[-1]


def test_cli_on_sqlite_says_there_is_one_table(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    if db.backend != "sqlite":
        pytest.skip("SQLite's answer")
    monkeypatch.setattr("ecogov.hj212.cli.database", lambda: db)
    result = CliRunner().invoke(app(), ["partitions"])
    assert result.exit_code == 0
    assert "SQLite 存储为单表" in result.output
