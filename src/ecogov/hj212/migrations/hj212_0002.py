"""HJ 212: hj212_record as an ordinary (rowid) table on SQLite

Clustered on (MN, CN, DataTime), every upload of 2,000 devices landed on a different page of
~330-byte rows, and each commit rewrote (and synced) that many pages. Stored in arrival order,
with the key in its own narrow index, a batch touches a few table pages and small index pages:
a receiver's batch of 150 uploads commits in 32-37 µs per upload instead of 65-90. PostgreSQL
tables are heaps already: nothing changes there.

Revision ID: hj212_0002
Revises: hj212_0001
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "hj212_0002"
down_revision = "hj212_0001"
branch_labels = None
depends_on = None

COLUMNS = "mn, cn, data_time, st, qn, cp, received_at, revisions"


def _rebuild(*, with_rowid: bool) -> None:
    """Copy hj212_record into a new table of the other storage kind (SQLite only)."""
    if op.get_bind().dialect.name != "sqlite":
        return
    op.create_table(
        "hj212_record_new",
        sa.Column("mn", sa.String(24), nullable=False),
        sa.Column("cn", sa.String(4), nullable=False),
        sa.Column("data_time", sa.BigInteger(), nullable=False),
        sa.Column("st", sa.String(2), nullable=False),
        sa.Column("qn", sa.String(20)),
        sa.Column("cp", sa.Text(), nullable=False),
        sa.Column("received_at", sa.BigInteger(), nullable=False),
        sa.Column("revisions", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("mn", "cn", "data_time", name="pk_hj212_record"),
        sqlite_with_rowid=with_rowid,
    )
    op.execute(f"INSERT INTO hj212_record_new ({COLUMNS}) SELECT {COLUMNS} FROM hj212_record")
    op.drop_table("hj212_record")
    op.rename_table("hj212_record_new", "hj212_record")


def upgrade() -> None:
    _rebuild(with_rowid=True)


def downgrade() -> None:
    _rebuild(with_rowid=False)
