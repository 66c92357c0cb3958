"""HJ 212: a token on each pending device-day (hj212_stat_pending.token)

The receiver settled the device-days its commits marked inside a write transaction that held
its turn to commit: tens of milliseconds every second during which no packet was acknowledged
(ack p99 of 240-490 ms in the ingest benchmark). It now computes the statistics in a read
beside its commits and stores them in a short write that takes only the marks still carrying
the token it read; every mark carries its batch's random token.

Revision ID: hj212_0007
Revises: hj212_0006
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "hj212_0007"
down_revision = "hj212_0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("hj212_stat_pending") as table:
        table.add_column(sa.Column("token", sa.BigInteger(), nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("hj212_stat_pending") as table:
        table.drop_column("token")
