"""HJ 212: hj212_record range-partitioned by month of data_time on PostgreSQL

One heap of every upload since the receiver started grows without end: its key index no longer
fits in memory, and removing an old month is a ``DELETE`` of millions of rows (and a vacuum).
Partitioned by Beijing month of ``data_time`` [Unix s], a read of a window touches only its
months, and an archived month is dropped whole (``ecogov hj212 partitions``). The key stays
(mn, cn, data_time): it holds the partition key, as PostgreSQL requires of a unique constraint
on a partitioned table, so ``ON CONFLICT (mn, cn, data_time)`` keeps resends idempotent. A
DEFAULT partition takes any month not created yet: no upload is ever refused for want of one.
Beside the key, a BRIN index on data_time (48 KiB a month of 432,000 rows) serves the reads by
time alone, such as the devices with data in an hour (66 ms → 3 ms); measured against a btree on
(cn, data_time) in ``docs/decisions/hj212-partitions.md``. Every row is kept: a partition
is made for each month that holds data. SQLite keeps its one table: nothing changes there.

Revision ID: hj212_0005
Revises: hj212_0004
Create Date: 2026-11-23
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from alembic import op

revision = "hj212_0005"
down_revision = "hj212_0004"
branch_labels = None
depends_on = None

BEIJING = ZoneInfo("Asia/Shanghai")
COLUMNS = """
    mn VARCHAR(24) NOT NULL,
    cn VARCHAR(4) NOT NULL,
    data_time BIGINT NOT NULL,
    st VARCHAR(2) NOT NULL,
    qn VARCHAR(20),
    cp TEXT NOT NULL,
    received_at BIGINT NOT NULL,
    revisions INTEGER NOT NULL,
    CONSTRAINT pk_hj212_record PRIMARY KEY (mn, cn, data_time)
"""


def _month_start(year: int, month: int) -> int:
    """Midnight Beijing time of the month's first day [Unix s]."""
    return int(datetime(year, month, 1, tzinfo=BEIJING).timestamp())


def _postgres() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def _set_aside() -> None:
    """Rename the current table (and its key's index) out of the way."""
    op.execute("ALTER TABLE hj212_record RENAME TO hj212_record_old")
    op.execute("ALTER TABLE hj212_record_old RENAME CONSTRAINT pk_hj212_record TO pk_hj212_old")


def upgrade() -> None:
    if not _postgres():
        return
    _set_aside()
    op.execute(f"CREATE TABLE hj212_record ({COLUMNS}) PARTITION BY RANGE (data_time)")
    op.execute(
        "CREATE INDEX ix_hj212_record_data_time ON hj212_record USING brin (data_time) "
        "WITH (autosummarize = on)"
    )
    op.execute("CREATE TABLE hj212_record_default PARTITION OF hj212_record DEFAULT")
    months = op.get_bind().exec_driver_sql(
        "SELECT DISTINCT to_char(to_timestamp(data_time) AT TIME ZONE 'Asia/Shanghai', 'YYYYMM') "
        "FROM hj212_record_old"
    )
    for (label,) in months:
        year, month = int(label[:4]), int(label[4:])
        upper = _month_start(year + month // 12, month % 12 + 1)
        op.execute(
            f"CREATE TABLE hj212_record_p{label} PARTITION OF hj212_record "
            f"FOR VALUES FROM ({_month_start(year, month)}) TO ({upper})"
        )
    op.execute("INSERT INTO hj212_record SELECT * FROM hj212_record_old")
    op.execute("DROP TABLE hj212_record_old")


def downgrade() -> None:
    if not _postgres():
        return
    _set_aside()
    op.execute(f"CREATE TABLE hj212_record ({COLUMNS})")
    op.execute("INSERT INTO hj212_record SELECT * FROM hj212_record_old")
    op.execute("DROP TABLE hj212_record_old")  # its partitions go with it
