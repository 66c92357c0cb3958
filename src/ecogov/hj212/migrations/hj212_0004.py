"""HJ 212: the raw archive's segments compressed with LZ4 on PostgreSQL

A segment holds a whole commit's frames (about 190 KB of bytes and 80 KB of JSON entries for
500 frames), so PostgreSQL compresses both columns when it stores them, by default with pglz:
3.6 ms of the server's CPU per 500-frame segment, 7 µs per archived frame, a tenth of what the
server spends per received packet. LZ4 does it in 0.9 ms and keeps 117 bytes a frame against
pglz's 95 (552 uncompressed; measured on typical 2061 uploads, PostgreSQL 15). Segments already
stored keep their compression; PostgreSQL reads either. A server built without LZ4 keeps pglz.
SQLite stores the columns as they are: nothing changes there.

Revision ID: hj212_0004
Revises: hj212_0003
Create Date: 2026-11-22
"""

from __future__ import annotations

from alembic import op

revision = "hj212_0004"
down_revision = "hj212_0003"
branch_labels = None
depends_on = None

COMPRESSED = ("entries", "data")


def _lz4_available() -> bool:
    """Whether the PostgreSQL server was built with LZ4 (it then lists it as a value of
    ``default_toast_compression``)."""
    enumvals = (
        op.get_bind()
        .exec_driver_sql(
            "SELECT enumvals FROM pg_settings WHERE name = 'default_toast_compression'"
        )
        .scalar()
    )
    return "lz4" in (enumvals or [])


def _compress(method: str) -> None:
    """Set the compression of the segment's large columns (PostgreSQL with LZ4 only)."""
    if op.get_bind().dialect.name != "postgresql" or not _lz4_available():
        return
    changes = ", ".join(f"ALTER COLUMN {column} SET COMPRESSION {method}" for column in COMPRESSED)
    op.execute(f"ALTER TABLE hj212_archive_segment {changes}")


def upgrade() -> None:
    _compress("lz4")


def downgrade() -> None:
    _compress("default")
