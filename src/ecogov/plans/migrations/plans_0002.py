"""plans: drafts of uploaded plans under review

Revision ID: plans_0002
Revises: plans_0001
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "plans_0002"
down_revision = "plans_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "plan_draft",
        sa.Column("title", sa.String(length=256), nullable=True),
        sa.Column("source_name", sa.String(length=256), nullable=True),
        sa.Column("source_text", sa.Text(), nullable=False),
        sa.Column("draft_json", sa.Text(), nullable=False),
        sa.Column("start_year", sa.Integer(), nullable=False),
        sa.Column("end_year", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=True),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("region_code", sa.String(length=6), nullable=False),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["plan.id"], name=op.f("fk_plan_draft_plan_id_plan"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_draft")),
    )
    with op.batch_alter_table("plan_draft", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_plan_draft_region_code"), ["region_code"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_plan_draft_status"), ["status"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("plan_draft", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plan_draft_status"))
        batch_op.drop_index(batch_op.f("ix_plan_draft_region_code"))
    op.drop_table("plan_draft")
