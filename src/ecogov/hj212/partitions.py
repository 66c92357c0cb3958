"""The monthly partitions of the record store on PostgreSQL (hj212_0005): created ahead of time,
listed, and dropped once their month is archived (retention).

``hj212_record`` is range-partitioned on ``data_time`` [Unix s] by Beijing month, one partition
``hj212_record_pYYYYMM`` per month plus ``hj212_record_default`` for any month not created yet.
Creating a month moves the rows the DEFAULT partition holds of it into the new partition (a
partition cannot be created over rows the DEFAULT holds). SQLite keeps one table: it has no
partitions, and retention there only archives.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Final

from sqlalchemy import Connection, text

from ecogov.hj212.months import bounds, month_at, shifted
from ecogov.hj212.record_archive import ArchivedMonth, archive_before
from ecogov.platform import audit, clock
from ecogov.platform.db import Database
from ecogov.platform.errors import Conflict
from ecogov.platform.i18n import Catalogue, both, register
from ecogov.platform.periods import Period
from ecogov.platform.scope import Principal
from ecogov.standards.periods import period_of

PARENT: Final = "hj212_record"
DEFAULT: Final = "hj212_record_default"
_NAME: Final = re.compile(r"^hj212_record_p(\d{4})(\d{2})$")
BRIN_INDEX: Final = "ix_hj212_record_data_time"
"""The parent's BRIN index on data_time, created by migration hj212_0005 on PostgreSQL only."""


def outside_the_models(object_: Any, name: str | None, type_: str) -> bool:
    """Whether a schema object belongs to the partition maintenance rather than to the models
    (Alembic's ``include_object`` sees them on PostgreSQL): the monthly and default partitions,
    their indexes, and the parent's PostgreSQL-only BRIN index."""

    def partition(table: str | None) -> bool:
        return table == DEFAULT or (table is not None and _NAME.match(table) is not None)

    if type_ == "table":
        return partition(name)
    if type_ == "index":
        return name == BRIN_INDEX or partition(
            getattr(getattr(object_, "table", None), "name", None)
        )
    return False


ERRORS: Final[Catalogue] = {
    "hj212.error.partition_rows": (
        "分区 {name} 仍有 {rows} 条未归档的数据，不能删除",
        "partition {name} still holds {rows} unarchived rows: not dropped",
    ),
}
register(ERRORS)


@dataclass(frozen=True)
class PartitionView:
    """A partition of the store: its table, its month (None for the DEFAULT), its bounds
    [Unix s] and PostgreSQL's estimate of its rows (as of its last analyse; 0 before one)."""

    name: str
    month: str | None
    lower: int | None
    upper: int | None
    rows_estimate: int


@dataclass(frozen=True)
class Maintenance:
    """What a maintenance run did: partitions created, months archived, partitions dropped, and
    the partitions there are afterwards."""

    created: list[str]
    archived: list[ArchivedMonth]
    dropped: list[str]
    partitions: list[PartitionView]


def is_partitioned(connection: Connection) -> bool:
    """Whether the store is a partitioned table (PostgreSQL after hj212_0005)."""
    if connection.dialect.name != "postgresql":
        return False
    kind = connection.scalar(
        text("SELECT relkind FROM pg_class WHERE oid = 'hj212_record'::regclass")
    )
    return bool(kind == "p")


def partition_name(month: Period) -> str:
    """The table of a month's partition: ``hj212_record_p202603``."""
    return f"{PARENT}_p{month.start:%Y%m}"


def partitions(connection: Connection) -> list[PartitionView]:
    """The partitions, by month (the DEFAULT last), with estimated row counts (counting a
    month of a province's uploads would read all of it)."""
    listed = connection.execute(
        text(
            "SELECT c.relname, greatest(c.reltuples, 0)::bigint FROM pg_inherits i "
            "JOIN pg_class c ON c.oid = i.inhrelid "
            "WHERE i.inhparent = 'hj212_record'::regclass ORDER BY c.relname"
        )
    ).all()
    found: list[PartitionView] = []
    for name, rows in listed:
        match = _NAME.match(name)
        if match is None:
            found.append(PartitionView(name, None, None, None, int(rows)))
            continue
        month = period_of("month", date(int(match[1]), int(match[2]), 1))
        lower, upper = bounds(month)
        found.append(PartitionView(name, month.label, lower, upper, int(rows)))
    return sorted(found, key=lambda view: (view.month is None, view.name))


def create_partition(connection: Connection, month: Period) -> bool:
    """Create the partition of ``month`` unless it exists, taking over the rows the DEFAULT
    partition holds of it; whether it was created."""
    name = partition_name(month)
    if connection.scalar(text("SELECT to_regclass(:name)"), {"name": name}) is not None:
        return False
    lower, upper = bounds(month)
    connection.execute(text(f"CREATE TABLE {name} (LIKE {PARENT} INCLUDING ALL)"))
    connection.execute(
        text(
            f"WITH moved AS (DELETE FROM {DEFAULT} WHERE data_time >= :lower "
            f"AND data_time < :upper RETURNING *) INSERT INTO {name} SELECT * FROM moved"
        ),
        {"lower": lower, "upper": upper},
    )
    connection.execute(
        text(f"ALTER TABLE {PARENT} ATTACH PARTITION {name} FOR VALUES FROM ({lower}) TO ({upper})")
    )
    return True


def drop_partition(connection: Connection, view: PartitionView) -> None:
    """Drop an emptied (archived) month's partition; refuses one that still holds rows."""
    rows = int(connection.scalar(text(f"SELECT count(*) FROM {view.name}")) or 0)
    if rows:
        raise Conflict(both("hj212.error.partition_rows", name=view.name, rows=rows))
    connection.execute(text(f"DROP TABLE {view.name}"))


def maintain(
    db: Database,
    principal: Principal,
    *,
    ahead: int = 2,
    retain_months: int | None = None,
    archive_dir: Path | None = None,
) -> Maintenance:
    """Create the partitions of this month and the ``ahead`` months after it; with
    ``retain_months``, archive to ``archive_dir`` every month before the last ``retain_months``
    whole months (this one not counted) and drop their emptied partitions. On SQLite only the
    archiving happens."""
    current = month_at(clock.now())
    archived: list[ArchivedMonth] = []
    if retain_months is not None:
        assert archive_dir is not None, "retention archives before it drops"
        archived = archive_before(db, principal, shifted(current, -retain_months), archive_dir)
    created: list[str] = []
    dropped: list[str] = []
    with db.transaction(principal, "hj212.partitions") as session:
        connection = session.connection()
        if not is_partitioned(connection):
            return Maintenance([], archived, [], [])
        for offset in range(ahead + 1):
            month = shifted(current, offset)
            if create_partition(connection, month):
                created.append(partition_name(month))
        if retain_months is not None:
            cutoff = bounds(shifted(current, -retain_months))[0]
            for view in partitions(connection):
                if view.upper is not None and view.upper <= cutoff:
                    drop_partition(connection, view)
                    dropped.append(view.name)
        if created or dropped:
            audit.record(
                session,
                "hj212.partitions",
                entity=PARENT,
                details={"created": created, "dropped": dropped},
            )
        return Maintenance(created, archived, dropped, partitions(connection))
