"""Surface water: stored period means (water_period_mean), computed at import

Evaluating a period read its raw observations and the year before's on every request (1.1–1.6 s
for the demo's water pages, issue 14 defect 8). The means of every month, quarter and year of
each section are now stored, recomputed by each observation import in its transaction; the
evaluation reads them. Existing observations are averaged once by water_0003.

Revision ID: water_0002
Revises: water_0001
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "water_0002"
down_revision = "water_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "water_period_mean",
        sa.Column("period", sa.String(7), nullable=False),
        sa.Column("section_id", sa.Integer(), nullable=False),
        sa.Column("parameter", sa.String(8), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("months", sa.SmallInteger(), nullable=False),
        sa.PrimaryKeyConstraint("period", "section_id", "parameter", name="pk_water_period_mean"),
        sa.ForeignKeyConstraint(
            ["section_id"],
            ["water_section.id"],
            name="fk_water_period_mean_section_id_water_section",
            ondelete="CASCADE",
        ),
    )
    op.create_index("ix_water_period_mean_section_id", "water_period_mean", ["section_id"])
    # The observations already stored are averaged by water_0003 (with the code of the head
    # revision, which also writes the sample counts that water_0003 adds).


def downgrade() -> None:
    op.drop_table("water_period_mean")
