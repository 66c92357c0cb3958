"""HJ 212: stored device-hour and device-day statistics (hj212_device_stat), computed when
records arrive

Pages and reports that want a device's hourly or daily means, extremes and coverage decoded and
aggregated every hourly record's CP text per request; the statistics are now stored, recomputed
for the hours and days each batch touches in the batch's transaction (issue 20, item 1). The
records already stored are computed here once (``aggregates.rebuild``, also
``ecogov hj212 aggregates rebuild``). The receiver marks the device-days it touched
(hj212_stat_pending) and settles them in its periodic job instead of in every commit.

Revision ID: hj212_0006
Revises: hj212_0005
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "hj212_0006"
down_revision = "hj212_0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "hj212_device_stat",
        sa.Column("mn", sa.String(24), nullable=False),
        sa.Column("span", sa.String(4), nullable=False),
        sa.Column("start", sa.BigInteger(), nullable=False),
        sa.Column("code", sa.String(16), nullable=False),
        sa.Column("avg", sa.Float()),
        sa.Column("min", sa.Float()),
        sa.Column("max", sa.Float()),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("expected", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("mn", "span", "start", "code", name="pk_hj212_device_stat"),
        sa.CheckConstraint("span IN ('hour', 'day')", name="ck_hj212_device_stat_span"),
    )
    op.create_table(
        "hj212_stat_pending",
        sa.Column("mn", sa.String(24), nullable=False),
        sa.Column("start", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("mn", "start", name="pk_hj212_stat_pending"),
    )
    from ecogov.hj212 import aggregates

    aggregates.rebuild(op.get_bind())


def downgrade() -> None:
    op.drop_table("hj212_stat_pending")
    op.drop_table("hj212_device_stat")
