"""plans: plans, targets, tasks, projects, rectification items

Revision ID: plans_0001
Revises: 0003_accounts
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "plans_0001"
down_revision = "0003_accounts"
branch_labels = ("plans",)
depends_on = None


def upgrade() -> None:

    op.create_table(
        "indicator_manual_value",
        sa.Column("indicator", sa.String(length=64), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("reported_by", sa.String(length=64), nullable=False),
        sa.Column("evidence", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("region_code", sa.String(length=6), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_indicator_manual_value")),
        sa.UniqueConstraint(
            "indicator", "region_code", "year", name="uq_indicator_manual_value_indicator"
        ),
    )
    with op.batch_alter_table("indicator_manual_value", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_indicator_manual_value_region_code"), ["region_code"], unique=False
        )

    op.create_table(
        "notification",
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("link", sa.String(length=256), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("region_code", sa.String(length=6), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notification")),
    )
    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_notification_region_code"), ["region_code"], unique=False
        )

    op.create_table(
        "plan",
        sa.Column("title", sa.String(length=256), nullable=False),
        sa.Column("issuer", sa.String(length=128), nullable=True),
        sa.Column("start_year", sa.Integer(), nullable=False),
        sa.Column("end_year", sa.Integer(), nullable=False),
        sa.Column("source_name", sa.String(length=256), nullable=True),
        sa.Column("source_text", sa.Text(), nullable=True),
        sa.Column("escalation_days", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("region_code", sa.String(length=6), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan")),
    )
    with op.batch_alter_table("plan", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_plan_region_code"), ["region_code"], unique=False)

    op.create_table(
        "plan_escalation",
        sa.Column("subject", sa.String(length=16), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("step", sa.Integer(), nullable=False),
        sa.Column("step_name", sa.String(length=16), nullable=False),
        sa.Column("days_overdue", sa.Integer(), nullable=False),
        sa.Column("notified_region", sa.String(length=6), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("region_code", sa.String(length=6), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_escalation")),
    )
    with op.batch_alter_table("plan_escalation", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_plan_escalation_region_code"), ["region_code"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_plan_escalation_subject_id"), ["subject_id"], unique=False
        )

    op.create_table(
        "plan_event",
        sa.Column("subject", sa.String(length=16), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("from_state", sa.String(length=24), nullable=False),
        sa.Column("to_state", sa.String(length=24), nullable=False),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("actor_role", sa.String(length=32), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("region_code", sa.String(length=6), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_event")),
    )
    with op.batch_alter_table("plan_event", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_plan_event_region_code"), ["region_code"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_plan_event_subject_id"), ["subject_id"], unique=False)

    op.create_table(
        "plan_report",
        sa.Column("subject", sa.String(length=16), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("author", sa.String(length=64), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("region_code", sa.String(length=6), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_report")),
    )
    with op.batch_alter_table("plan_report", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_plan_report_region_code"), ["region_code"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_plan_report_subject_id"), ["subject_id"], unique=False)

    op.create_table(
        "plan_unit",
        sa.Column("name", sa.String(length=128), nullable=False),
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("region_code", sa.String(length=6), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_unit")),
        sa.UniqueConstraint("region_code", "name", name="uq_plan_unit_region_name"),
    )
    with op.batch_alter_table("plan_unit", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_plan_unit_region_code"), ["region_code"], unique=False)

    op.create_table(
        "plan_evidence",
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=256), nullable=False),
        sa.Column("content_type", sa.String(length=128), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("region_code", sa.String(length=6), nullable=False),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["plan_report.id"],
            name=op.f("fk_plan_evidence_report_id_plan_report"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_evidence")),
    )
    with op.batch_alter_table("plan_evidence", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_plan_evidence_region_code"), ["region_code"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_plan_evidence_report_id"), ["report_id"], unique=False)

    op.create_table(
        "plan_project",
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=16), nullable=True),
        sa.Column("name", sa.String(length=256), nullable=False),
        sa.Column("content", sa.Text(), nullable=True),
        sa.Column("units", sa.String(length=512), nullable=True),
        sa.Column("start_year", sa.Integer(), nullable=True),
        sa.Column("end_year", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=24), nullable=False),
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("region_code", sa.String(length=6), nullable=False),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["plan.id"], name=op.f("fk_plan_project_plan_id_plan"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_project")),
    )
    with op.batch_alter_table("plan_project", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_plan_project_plan_id"), ["plan_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_plan_project_region_code"), ["region_code"], unique=False
        )

    op.create_table(
        "plan_target",
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("indicator", sa.String(length=64), nullable=True),
        sa.Column("comparator", sa.String(length=2), nullable=True),
        sa.Column("value", sa.Float(), nullable=True),
        sa.Column("unit", sa.String(length=16), nullable=True),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("scope_text", sa.String(length=64), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("region_code", sa.String(length=6), nullable=False),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["plan.id"], name=op.f("fk_plan_target_plan_id_plan"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_target")),
    )
    with op.batch_alter_table("plan_target", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_plan_target_indicator"), ["indicator"], unique=False)
        batch_op.create_index(batch_op.f("ix_plan_target_plan_id"), ["plan_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_plan_target_region_code"), ["region_code"], unique=False
        )

    op.create_table(
        "plan_task",
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=32), nullable=False),
        sa.Column("section", sa.String(length=256), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("start", sa.Date(), nullable=True),
        sa.Column("due", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=24), nullable=False),
        sa.Column("escalation_step", sa.Integer(), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("region_code", sa.String(length=6), nullable=False),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["plan.id"], name=op.f("fk_plan_task_plan_id_plan"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_task")),
    )
    with op.batch_alter_table("plan_task", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_plan_task_due"), ["due"], unique=False)
        batch_op.create_index(batch_op.f("ix_plan_task_plan_id"), ["plan_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_plan_task_region_code"), ["region_code"], unique=False)
        batch_op.create_index(batch_op.f("ix_plan_task_status"), ["status"], unique=False)

    op.create_table(
        "rectification_item",
        sa.Column("problem", sa.Text(), nullable=False),
        sa.Column("origin", sa.String(length=24), nullable=False),
        sa.Column("origin_ref", sa.String(length=128), nullable=True),
        sa.Column("target", sa.Text(), nullable=False),
        sa.Column("measures", sa.Text(), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=24), nullable=False),
        sa.Column("escalation_step", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("region_code", sa.String(length=6), nullable=False),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["plan_unit.id"], name=op.f("fk_rectification_item_unit_id_plan_unit")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rectification_item")),
    )
    with op.batch_alter_table("rectification_item", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_rectification_item_deadline"), ["deadline"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_rectification_item_region_code"), ["region_code"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_rectification_item_status"), ["status"], unique=False)

    op.create_table(
        "plan_task_unit",
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=8), nullable=False),
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("region_code", sa.String(length=6), nullable=False),
        sa.ForeignKeyConstraint(
            ["task_id"],
            ["plan_task.id"],
            name=op.f("fk_plan_task_unit_task_id_plan_task"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["plan_unit.id"], name=op.f("fk_plan_task_unit_unit_id_plan_unit")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_task_unit")),
    )
    with op.batch_alter_table("plan_task_unit", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_plan_task_unit_region_code"), ["region_code"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_plan_task_unit_task_id"), ["task_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_plan_task_unit_unit_id"), ["unit_id"], unique=False)

    op.create_table(
        "rectification_signoff",
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("signer", sa.String(length=64), nullable=False),
        sa.Column("role", sa.String(length=32), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("region_code", sa.String(length=6), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["rectification_item.id"],
            name=op.f("fk_rectification_signoff_item_id_rectification_item"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rectification_signoff")),
        sa.UniqueConstraint("item_id", "role", name="uq_rectification_signoff_item_role"),
    )
    with op.batch_alter_table("rectification_signoff", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_rectification_signoff_item_id"), ["item_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_rectification_signoff_region_code"), ["region_code"], unique=False
        )


def downgrade() -> None:

    with op.batch_alter_table("rectification_signoff", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_rectification_signoff_region_code"))
        batch_op.drop_index(batch_op.f("ix_rectification_signoff_item_id"))

    op.drop_table("rectification_signoff")
    with op.batch_alter_table("plan_task_unit", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plan_task_unit_unit_id"))
        batch_op.drop_index(batch_op.f("ix_plan_task_unit_task_id"))
        batch_op.drop_index(batch_op.f("ix_plan_task_unit_region_code"))

    op.drop_table("plan_task_unit")
    with op.batch_alter_table("rectification_item", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_rectification_item_status"))
        batch_op.drop_index(batch_op.f("ix_rectification_item_region_code"))
        batch_op.drop_index(batch_op.f("ix_rectification_item_deadline"))

    op.drop_table("rectification_item")
    with op.batch_alter_table("plan_task", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plan_task_status"))
        batch_op.drop_index(batch_op.f("ix_plan_task_region_code"))
        batch_op.drop_index(batch_op.f("ix_plan_task_plan_id"))
        batch_op.drop_index(batch_op.f("ix_plan_task_due"))

    op.drop_table("plan_task")
    with op.batch_alter_table("plan_target", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plan_target_region_code"))
        batch_op.drop_index(batch_op.f("ix_plan_target_plan_id"))
        batch_op.drop_index(batch_op.f("ix_plan_target_indicator"))

    op.drop_table("plan_target")
    with op.batch_alter_table("plan_project", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plan_project_region_code"))
        batch_op.drop_index(batch_op.f("ix_plan_project_plan_id"))

    op.drop_table("plan_project")
    with op.batch_alter_table("plan_evidence", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plan_evidence_report_id"))
        batch_op.drop_index(batch_op.f("ix_plan_evidence_region_code"))

    op.drop_table("plan_evidence")
    with op.batch_alter_table("plan_unit", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plan_unit_region_code"))

    op.drop_table("plan_unit")
    with op.batch_alter_table("plan_report", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plan_report_subject_id"))
        batch_op.drop_index(batch_op.f("ix_plan_report_region_code"))

    op.drop_table("plan_report")
    with op.batch_alter_table("plan_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plan_event_subject_id"))
        batch_op.drop_index(batch_op.f("ix_plan_event_region_code"))

    op.drop_table("plan_event")
    with op.batch_alter_table("plan_escalation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plan_escalation_subject_id"))
        batch_op.drop_index(batch_op.f("ix_plan_escalation_region_code"))

    op.drop_table("plan_escalation")
    with op.batch_alter_table("plan", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plan_region_code"))

    op.drop_table("plan")
    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_notification_region_code"))

    op.drop_table("notification")
    with op.batch_alter_table("indicator_manual_value", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_indicator_manual_value_region_code"))

    op.drop_table("indicator_manual_value")
