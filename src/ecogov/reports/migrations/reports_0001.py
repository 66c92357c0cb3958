"""Reports: the record of generated monthly reports and ranking announcements.

Revision ID: reports_0001
Revises: 0003_accounts
Create Date: 2026-12-20
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "reports_0001"
down_revision = "0003_accounts"
branch_labels = ("reports",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "generated_report",
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.Column("layout", sa.String(length=64), nullable=False),
        sa.Column("trigger", sa.String(length=16), nullable=False),
        sa.Column("generated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("generated_by", sa.String(length=64), nullable=False),
        sa.Column("figures", sa.JSON(), nullable=False),
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("region_code", sa.String(length=6), nullable=False),
        sa.CheckConstraint("kind IN ('monthly', 'ranking')", name=op.f("ck_generated_report_kind")),
        sa.CheckConstraint(
            "trigger IN ('demand', 'schedule')", name=op.f("ck_generated_report_trigger")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_generated_report")),
    )
    op.create_index(
        op.f("ix_generated_report_period"), "generated_report", ["period"], unique=False
    )
    op.create_index(
        op.f("ix_generated_report_generated_at"), "generated_report", ["generated_at"], unique=False
    )
    op.create_index(
        op.f("ix_generated_report_region_code"), "generated_report", ["region_code"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_generated_report_region_code"), table_name="generated_report")
    op.drop_index(op.f("ix_generated_report_generated_at"), table_name="generated_report")
    op.drop_index(op.f("ix_generated_report_period"), table_name="generated_report")
    op.drop_table("generated_report")
