"""Surface water: the sample count of every stored period mean (water_period_mean.samples)

A section-month's mean says nothing of how many samples it rests on; the count is now stored
with each mean (for a quarter or a year, the samples of its months), recomputed with the means
by each observation import (issue 20, item 1). The means of the observations already stored are
computed here once (``means.rebuild``).

Revision ID: water_0003
Revises: water_0002
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "water_0003"
down_revision = "water_0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("water_period_mean") as batch:
        batch.add_column(sa.Column("samples", sa.Integer()))
    from ecogov.monitoring.water import means

    means.rebuild(op.get_bind())
    with op.batch_alter_table("water_period_mean") as batch:
        batch.alter_column("samples", existing_type=sa.Integer(), nullable=False)


def downgrade() -> None:
    with op.batch_alter_table("water_period_mean") as batch:
        batch.drop_column("samples")
