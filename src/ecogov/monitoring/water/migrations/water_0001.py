"""Surface water: monitoring sections and their observations.

Revision ID: water_0001
Revises: 0003_accounts
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "water_0001"
down_revision = "0003_accounts"
branch_labels = ("water",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "water_section",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("code", sa.String(32), nullable=False),
        sa.Column("name", sa.String(128), nullable=False),
        sa.Column("water_name", sa.String(64), nullable=False),
        sa.Column("water_body", sa.String(8), nullable=False),
        sa.Column("basin", sa.String(64), nullable=False),
        sa.Column("region_code", sa.String(6), nullable=False),
        sa.Column("target_class", sa.SmallInteger(), nullable=False),
        sa.Column("control_level", sa.String(16), nullable=False),
        sa.Column("drinking_source", sa.Boolean(), nullable=False),
        sa.Column("lon", sa.Float()),
        sa.Column("lat", sa.Float()),
        sa.Column("simulated", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_water_section"),
        sa.UniqueConstraint("code", name="uq_water_section_code"),
        sa.ForeignKeyConstraint(
            ["region_code"], ["region.code"], name="fk_water_section_region_code_region"
        ),
        sa.CheckConstraint("target_class BETWEEN 1 AND 5", name="ck_water_section_target_class"),
        sa.CheckConstraint("water_body IN ('river', 'lake')", name="ck_water_section_water_body"),
        sa.CheckConstraint(
            "control_level IN ('national', 'provincial', 'municipal')",
            name="ck_water_section_control_level",
        ),
    )
    op.create_index("ix_water_section_basin", "water_section", ["basin"])
    op.create_index("ix_water_section_region_code", "water_section", ["region_code"])
    op.create_table(
        "water_observation",
        sa.Column("section_id", sa.Integer(), nullable=False),
        sa.Column("time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("parameter", sa.String(8), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("flag", sa.String(4)),
        sa.Column("below_detection", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("section_id", "time", "parameter", name="pk_water_observation"),
        sa.ForeignKeyConstraint(
            ["section_id"],
            ["water_section.id"],
            name="fk_water_observation_section_id_water_section",
            ondelete="CASCADE",
        ),
    )
    op.create_index("ix_water_observation_time", "water_observation", ["time"])


def downgrade() -> None:
    op.drop_table("water_observation")
    op.drop_table("water_section")
