"""Regions: administrative divisions with their GB/T 2260 codes and boundaries.

Revision ID: 0002_regions
Revises: 0001_platform
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_regions"
down_revision = "0001_platform"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "region",
        sa.Column("code", sa.String(6), nullable=False),
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("level", sa.String(8), nullable=False),
        sa.Column("parent_code", sa.String(6)),
        sa.Column("center_lon", sa.Float()),
        sa.Column("center_lat", sa.Float()),
        sa.Column("boundary", sa.Text()),
        sa.PrimaryKeyConstraint("code", name="pk_region"),
        sa.ForeignKeyConstraint(
            ["parent_code"], ["region.code"], name="fk_region_parent_code_region"
        ),
    )
    op.create_index("ix_region_level", "region", ["level"])
    op.create_index("ix_region_parent_code", "region", ["parent_code"])


def downgrade() -> None:
    op.drop_table("region")
