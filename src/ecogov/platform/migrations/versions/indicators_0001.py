"""Stored indicator values: an indicator's value per region and year, computed from one version
of its source data (issue 14: pages read them instead of evaluating a year of data), and the
write counters of the sources that have no import run to version them.

Revision ID: indicators_0001
Revises: 0001_platform
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "indicators_0001"
down_revision = "0001_platform"
branch_labels = ("indicators",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "indicator_value",
        sa.Column("indicator", sa.String(length=64), nullable=False),
        sa.Column("region_code", sa.String(length=6), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("data_version", sa.Integer(), nullable=False),
        sa.Column("computed_on", sa.Date(), nullable=False),
        sa.Column("has_value", sa.Boolean(), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("partial", sa.Boolean(), nullable=False),
        sa.Column("elapsed_fraction", sa.Float(), nullable=False),
        sa.Column("expected", sa.Integer(), nullable=True),
        sa.Column("valid", sa.Integer(), nullable=True),
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_indicator_value")),
        sa.UniqueConstraint(
            "indicator", "region_code", "year", name=op.f("uq_indicator_value_indicator")
        ),
    )

    op.create_table(
        "data_version",
        sa.Column("source", sa.String(length=32), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("source", name=op.f("pk_data_version")),
    )


def downgrade() -> None:
    op.drop_table("data_version")
    op.drop_table("indicator_value")
