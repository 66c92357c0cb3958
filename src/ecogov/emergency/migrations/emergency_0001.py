"""Emergency: heavy-pollution warnings, their decision trail and tasks, the emergency-reduction
list.

Revision ID: emergency_0001
Revises: sources_0001
Create Date: 2026-12-20
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "emergency_0001"
down_revision = "sources_0001"
branch_labels = ("emergency",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "emergency_reduction_measure",
        sa.Column("level", sa.String(length=8), nullable=False),
        sa.Column("cut_pct", sa.Float(), nullable=False),
        sa.Column("measures", sa.Text(), nullable=False),
        sa.Column("factors", sa.String(length=128), nullable=False),
        sa.Column("source_file", sa.String(length=256), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("region_code", sa.String(length=6), nullable=False),
        sa.Column("enterprise_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "level IN ('blue', 'yellow', 'orange', 'red')",
            name=op.f("ck_emergency_reduction_measure_level"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_emergency_reduction_measure")),
        sa.UniqueConstraint("enterprise_id", "level", name="enterprise_level"),
    )
    op.create_index(
        op.f("ix_emergency_reduction_measure_enterprise_id"),
        "emergency_reduction_measure",
        ["enterprise_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_emergency_reduction_measure_region_code"),
        "emergency_reduction_measure",
        ["region_code"],
        unique=False,
    )
    op.create_table(
        "emergency_warning",
        sa.Column("level", sa.String(length=8), nullable=False),
        sa.Column("suggested_level", sa.String(length=8), nullable=False),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("edition", sa.String(length=16), nullable=False),
        sa.Column("reason_zh", sa.Text(), nullable=False),
        sa.Column("reason_en", sa.Text(), nullable=False),
        sa.Column("forecast", sa.JSON(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("lifted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("suggested_by", sa.String(length=64), nullable=False),
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("region_code", sa.String(length=6), nullable=False),
        sa.CheckConstraint(
            "level IN ('blue', 'yellow', 'orange', 'red')", name=op.f("ck_emergency_warning_level")
        ),
        sa.CheckConstraint(
            "state IN ('suggested', 'published', 'adjusted', 'lifted', 'rejected')",
            name=op.f("ck_emergency_warning_state"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_emergency_warning")),
    )
    op.create_index(
        op.f("ix_emergency_warning_region_code"), "emergency_warning", ["region_code"], unique=False
    )
    op.create_index(
        op.f("ix_emergency_warning_starts_on"), "emergency_warning", ["starts_on"], unique=False
    )
    op.create_index(
        op.f("ix_emergency_warning_state"), "emergency_warning", ["state"], unique=False
    )
    op.create_table(
        "emergency_warning_event",
        sa.Column("warning_id", sa.Integer(), nullable=False),
        sa.Column("move", sa.String(length=16), nullable=False),
        sa.Column("from_state", sa.String(length=12), nullable=False),
        sa.Column("to_state", sa.String(length=12), nullable=False),
        sa.Column("level_before", sa.String(length=8), nullable=True),
        sa.Column("level_after", sa.String(length=8), nullable=False),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("region_code", sa.String(length=6), nullable=False),
        sa.ForeignKeyConstraint(
            ["warning_id"],
            ["emergency_warning.id"],
            name=op.f("fk_emergency_warning_event_warning_id_emergency_warning"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_emergency_warning_event")),
    )
    op.create_index(
        op.f("ix_emergency_warning_event_region_code"),
        "emergency_warning_event",
        ["region_code"],
        unique=False,
    )
    op.create_index(
        op.f("ix_emergency_warning_event_warning_id"),
        "emergency_warning_event",
        ["warning_id"],
        unique=False,
    )
    op.create_table(
        "emergency_warning_task",
        sa.Column("warning_id", sa.Integer(), nullable=False),
        sa.Column("level", sa.String(length=8), nullable=False),
        sa.Column("alert_id", sa.Integer(), nullable=False),
        sa.Column("item_ref", sa.String(length=64), nullable=False),
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("region_code", sa.String(length=6), nullable=False),
        sa.Column("enterprise_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["warning_id"],
            ["emergency_warning.id"],
            name=op.f("fk_emergency_warning_task_warning_id_emergency_warning"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_emergency_warning_task")),
        sa.UniqueConstraint("warning_id", "enterprise_id", "level", name="once"),
    )
    op.create_index(
        op.f("ix_emergency_warning_task_enterprise_id"),
        "emergency_warning_task",
        ["enterprise_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_emergency_warning_task_region_code"),
        "emergency_warning_task",
        ["region_code"],
        unique=False,
    )
    op.create_index(
        op.f("ix_emergency_warning_task_warning_id"),
        "emergency_warning_task",
        ["warning_id"],
        unique=False,
    )
    # ### end Alembic commands ###


def downgrade() -> None:
    op.drop_index(op.f("ix_emergency_warning_task_warning_id"), table_name="emergency_warning_task")
    op.drop_index(
        op.f("ix_emergency_warning_task_region_code"), table_name="emergency_warning_task"
    )
    op.drop_index(
        op.f("ix_emergency_warning_task_enterprise_id"), table_name="emergency_warning_task"
    )
    op.drop_table("emergency_warning_task")
    op.drop_index(
        op.f("ix_emergency_warning_event_warning_id"), table_name="emergency_warning_event"
    )
    op.drop_index(
        op.f("ix_emergency_warning_event_region_code"), table_name="emergency_warning_event"
    )
    op.drop_table("emergency_warning_event")
    op.drop_index(op.f("ix_emergency_warning_state"), table_name="emergency_warning")
    op.drop_index(op.f("ix_emergency_warning_starts_on"), table_name="emergency_warning")
    op.drop_index(op.f("ix_emergency_warning_region_code"), table_name="emergency_warning")
    op.drop_table("emergency_warning")
    op.drop_index(
        op.f("ix_emergency_reduction_measure_region_code"), table_name="emergency_reduction_measure"
    )
    op.drop_index(
        op.f("ix_emergency_reduction_measure_enterprise_id"),
        table_name="emergency_reduction_measure",
    )
    op.drop_table("emergency_reduction_measure")
    # ### end Alembic commands ###
