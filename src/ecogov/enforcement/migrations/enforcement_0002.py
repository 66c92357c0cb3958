"""Enforcement: the inputs a draw ran on (kept for its published files), decision-limit
extensions on a case, and daily continuous penalties (按日连续处罚) recorded on a case.

Revision ID: enforcement_0002
Revises: enforcement_0001
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "enforcement_0002"
down_revision = "enforcement_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("enf_draw", schema=None) as batch_op:
        batch_op.add_column(sa.Column("inputs", sa.JSON(), nullable=True))
    with op.batch_alter_table("enf_case", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("extended_days", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(
            sa.Column("extensions", sa.Integer(), nullable=False, server_default="0")
        )
    op.create_table(
        "enf_daily_penalty",
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("original_fine_yuan", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("rounds", sa.JSON(), nullable=False),
        sa.Column("discharge_stopped", sa.Boolean(), nullable=False),
        sa.Column("days", sa.Integer(), nullable=False),
        sa.Column("amount_yuan", sa.Numeric(precision=16, scale=2), nullable=False),
        sa.Column("basis", sa.Text(), nullable=False),
        sa.Column("recorded_by", sa.String(length=64), nullable=False),
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("region_code", sa.String(length=6), nullable=False),
        sa.Column("enterprise_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"], ["enf_case.id"], name=op.f("fk_enf_daily_penalty_case_id_enf_case")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_enf_daily_penalty")),
    )
    with op.batch_alter_table("enf_daily_penalty", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_enf_daily_penalty_case_id"), ["case_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_enf_daily_penalty_enterprise_id"), ["enterprise_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_enf_daily_penalty_region_code"), ["region_code"], unique=False
        )


def downgrade() -> None:
    op.drop_table("enf_daily_penalty")
    with op.batch_alter_table("enf_case", schema=None) as batch_op:
        batch_op.drop_column("extensions")
        batch_op.drop_column("extended_days")
    with op.batch_alter_table("enf_draw", schema=None) as batch_op:
        batch_op.drop_column("inputs")
