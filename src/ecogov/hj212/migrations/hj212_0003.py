"""HJ 212: the raw archive indexed by arrival time instead of by device

``ix_hj212_archive_mn`` (mn, received_at) put every archived frame of 2,000 devices at a scattered
place of the index: 6 µs of a receiver's commit per frame on SQLite (10.2 µs a row with it, 4.4
without, in batches of 200 over 300,000 rows), a sixth of all the receiver's work per packet.
No read uses it: a device's data are read from hj212_record, and the archive is searched by the
time a frame came in. An index on ``received_at`` only grows at its end (0.9 µs a row) and serves
that search; a device's frames are then the rows of the window with its MN.

Revision ID: hj212_0003
Revises: hj212_0002
Create Date: 2026-11-22
"""

from __future__ import annotations

from alembic import op

revision = "hj212_0003"
down_revision = "hj212_0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_hj212_archive_mn", table_name="hj212_archive")
    op.create_index("ix_hj212_archive_received_at", "hj212_archive", ["received_at"])


def downgrade() -> None:
    op.drop_index("ix_hj212_archive_received_at", table_name="hj212_archive")
    op.create_index("ix_hj212_archive_mn", "hj212_archive", ["mn", "received_at"])
