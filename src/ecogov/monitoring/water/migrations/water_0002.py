"""Surface water: stored period means (water_period_mean), computed at import

Evaluating a period read its raw observations and the year before's on every request (1.1–1.6 s
for the demo's water pages, issue 14 defect 8). The means of every month, quarter and year of
each section are now stored, recomputed by each observation import in its transaction; the
evaluation reads them. Existing observations are averaged here once.

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
    _backfill(op.get_bind())


def _backfill(connection: sa.Connection) -> None:
    """The means of the observations already stored (every section, every year)."""
    from ecogov.monitoring.water import means
    from ecogov.standards.timebase import BEIJING

    ids = [int(i) for i in connection.execute(sa.text("SELECT id FROM water_section")).scalars()]
    time = means.OBSERVATIONS.c.time
    first, last = connection.execute(sa.select(sa.func.min(time), sa.func.max(time))).one()
    if not ids or first is None:
        return
    years = range(first.astimezone(BEIJING).year, last.astimezone(BEIJING).year + 1)
    means.refresh(connection, ids, list(years))


def downgrade() -> None:
    op.drop_table("water_period_mean")
