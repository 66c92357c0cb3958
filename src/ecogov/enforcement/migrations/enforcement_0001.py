"""Enforcement: inspection-object directory, inspector pool, draws, tasks, checklists,
inspections, photos, findings, penalty cases with events and documents, credit evaluations with
traced points, credit-repair requests.

Revision ID: enforcement_0001
Revises: hj212_0004
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "enforcement_0001"
down_revision = "hj212_0004"
branch_labels = ("enforcement",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "enf_checklist",
        sa.Column("industry_prefix", sa.String(length=8), nullable=False),
        sa.Column("check_type", sa.String(length=32), nullable=False),
        sa.Column("title", sa.String(length=128), nullable=False),
        sa.Column("items", sa.JSON(), nullable=False),
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_enf_checklist")),
        sa.UniqueConstraint(
            "industry_prefix", "check_type", name=op.f("uq_enf_checklist_industry_prefix")
        ),
    )
    op.create_table(
        "enf_credit",
        sa.Column("rules", sa.String(length=64), nullable=False),
        sa.Column("grade", sa.String(length=16), nullable=False),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("evaluated_on", sa.Date(), nullable=False),
        sa.Column("current", sa.Boolean(), nullable=False),
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("region_code", sa.String(length=6), nullable=False),
        sa.Column("enterprise_id", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_enf_credit")),
    )
    op.create_index(
        op.f("ix_enf_credit_enterprise_id"), "enf_credit", ["enterprise_id"], unique=False
    )
    op.create_index(op.f("ix_enf_credit_region_code"), "enf_credit", ["region_code"], unique=False)
    op.create_table(
        "enf_draw",
        sa.Column("title", sa.String(length=128), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("rules", sa.JSON(), nullable=False),
        sa.Column("seed", sa.String(length=128), nullable=False),
        sa.Column("seed_sha256", sa.String(length=64), nullable=False),
        sa.Column("hash_published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("drawn_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("seed_revealed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("task_days", sa.Integer(), nullable=False),
        sa.Column("publish_days", sa.Integer(), nullable=False),
        sa.Column("publish_due", sa.Date(), nullable=True),
        sa.Column("result", sa.JSON(), nullable=True),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("region_code", sa.String(length=6), nullable=False),
        sa.CheckConstraint(
            "status IN ('planned', 'hash_published', 'drawn', 'published')",
            name=op.f("ck_enf_draw_status"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_enf_draw")),
    )
    op.create_index(op.f("ix_enf_draw_region_code"), "enf_draw", ["region_code"], unique=False)
    op.create_table(
        "enf_inspector",
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("certificate_no", sa.String(length=32), nullable=False),
        sa.Column("unit", sa.String(length=64), nullable=False),
        sa.Column("qualifications", sa.JSON(), nullable=False),
        sa.Column("former_workplaces", sa.JSON(), nullable=False),
        sa.Column("conflicts", sa.JSON(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("region_code", sa.String(length=6), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_enf_inspector")),
        sa.UniqueConstraint("certificate_no", name=op.f("uq_enf_inspector_certificate_no")),
    )
    op.create_index(
        op.f("ix_enf_inspector_region_code"), "enf_inspector", ["region_code"], unique=False
    )
    op.create_index(op.f("ix_enf_inspector_user_id"), "enf_inspector", ["user_id"], unique=False)
    op.create_table(
        "enf_credit_point",
        sa.Column("evaluation_id", sa.Integer(), nullable=False),
        sa.Column("indicator", sa.String(length=64), nullable=False),
        sa.Column("points", sa.Float(), nullable=False),
        sa.Column("evidence_ref", sa.String(length=64), nullable=False),
        sa.Column("veto", sa.Boolean(), nullable=False),
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("region_code", sa.String(length=6), nullable=False),
        sa.Column("enterprise_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["evaluation_id"],
            ["enf_credit.id"],
            name=op.f("fk_enf_credit_point_evaluation_id_enf_credit"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_enf_credit_point")),
    )
    op.create_index(
        op.f("ix_enf_credit_point_enterprise_id"),
        "enf_credit_point",
        ["enterprise_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_enf_credit_point_evaluation_id"),
        "enf_credit_point",
        ["evaluation_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_enf_credit_point_region_code"), "enf_credit_point", ["region_code"], unique=False
    )
    op.create_table(
        "enf_credit_repair",
        sa.Column("evaluation_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("requested_by", sa.String(length=64), nullable=False),
        sa.Column("decided_by", sa.String(length=64), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("region_code", sa.String(length=6), nullable=False),
        sa.Column("enterprise_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["evaluation_id"],
            ["enf_credit.id"],
            name=op.f("fk_enf_credit_repair_evaluation_id_enf_credit"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_enf_credit_repair")),
    )
    op.create_index(
        op.f("ix_enf_credit_repair_enterprise_id"),
        "enf_credit_repair",
        ["enterprise_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_enf_credit_repair_evaluation_id"),
        "enf_credit_repair",
        ["evaluation_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_enf_credit_repair_region_code"), "enf_credit_repair", ["region_code"], unique=False
    )
    op.create_table(
        "enf_object",
        sa.Column("enterprise_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(length=128), nullable=False),
        sa.Column("industry_code", sa.String(length=8), nullable=False),
        sa.Column("category", sa.String(length=8), nullable=False),
        sa.Column("credit_grade", sa.String(length=16), nullable=True),
        sa.Column("risk_score", sa.Float(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("region_code", sa.String(length=6), nullable=False),
        sa.CheckConstraint(
            "category IN ('key', 'general', 'special')", name=op.f("ck_enf_object_category")
        ),
        sa.ForeignKeyConstraint(
            ["enterprise_id"],
            ["enterprise.enterprise_id"],
            name=op.f("fk_enf_object_enterprise_id_enterprise"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_enf_object")),
        sa.UniqueConstraint("enterprise_id", name=op.f("uq_enf_object_enterprise_id")),
    )
    op.create_index(
        op.f("ix_enf_object_enterprise_id"), "enf_object", ["enterprise_id"], unique=False
    )
    op.create_index(op.f("ix_enf_object_region_code"), "enf_object", ["region_code"], unique=False)
    op.create_table(
        "enf_task",
        sa.Column("draw_id", sa.Integer(), nullable=True),
        sa.Column("object_id", sa.Integer(), nullable=False),
        sa.Column("inspector_ids", sa.JSON(), nullable=False),
        sa.Column("due", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("region_code", sa.String(length=6), nullable=False),
        sa.Column("enterprise_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["draw_id"], ["enf_draw.id"], name=op.f("fk_enf_task_draw_id_enf_draw")
        ),
        sa.ForeignKeyConstraint(
            ["object_id"], ["enf_object.id"], name=op.f("fk_enf_task_object_id_enf_object")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_enf_task")),
    )
    op.create_index(op.f("ix_enf_task_draw_id"), "enf_task", ["draw_id"], unique=False)
    op.create_index(op.f("ix_enf_task_enterprise_id"), "enf_task", ["enterprise_id"], unique=False)
    op.create_index(op.f("ix_enf_task_object_id"), "enf_task", ["object_id"], unique=False)
    op.create_index(op.f("ix_enf_task_region_code"), "enf_task", ["region_code"], unique=False)
    op.create_table(
        "enf_inspection",
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("checklist_id", sa.Integer(), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("lon", sa.Float(), nullable=True),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("inspected_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.String(length=64), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("region_code", sa.String(length=6), nullable=False),
        sa.Column("enterprise_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["checklist_id"],
            ["enf_checklist.id"],
            name=op.f("fk_enf_inspection_checklist_id_enf_checklist"),
        ),
        sa.ForeignKeyConstraint(
            ["task_id"], ["enf_task.id"], name=op.f("fk_enf_inspection_task_id_enf_task")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_enf_inspection")),
    )
    op.create_index(
        op.f("ix_enf_inspection_enterprise_id"), "enf_inspection", ["enterprise_id"], unique=False
    )
    op.create_index(
        op.f("ix_enf_inspection_region_code"), "enf_inspection", ["region_code"], unique=False
    )
    op.create_index(op.f("ix_enf_inspection_task_id"), "enf_inspection", ["task_id"], unique=False)
    op.create_table(
        "enf_finding",
        sa.Column("inspection_id", sa.Integer(), nullable=False),
        sa.Column("item_key", sa.String(length=32), nullable=True),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("severity", sa.String(length=8), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("ref", sa.String(length=32), nullable=True),
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("region_code", sa.String(length=6), nullable=False),
        sa.Column("enterprise_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "action IN ('none', 'rectification', 'case')", name=op.f("ck_enf_finding_action")
        ),
        sa.ForeignKeyConstraint(
            ["inspection_id"],
            ["enf_inspection.id"],
            name=op.f("fk_enf_finding_inspection_id_enf_inspection"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_enf_finding")),
    )
    op.create_index(
        op.f("ix_enf_finding_enterprise_id"), "enf_finding", ["enterprise_id"], unique=False
    )
    op.create_index(
        op.f("ix_enf_finding_inspection_id"), "enf_finding", ["inspection_id"], unique=False
    )
    op.create_index(
        op.f("ix_enf_finding_region_code"), "enf_finding", ["region_code"], unique=False
    )
    op.create_table(
        "enf_photo",
        sa.Column("inspection_id", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("content_type", sa.String(length=64), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("region_code", sa.String(length=6), nullable=False),
        sa.Column("enterprise_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["inspection_id"],
            ["enf_inspection.id"],
            name=op.f("fk_enf_photo_inspection_id_enf_inspection"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_enf_photo")),
    )
    op.create_index(
        op.f("ix_enf_photo_enterprise_id"), "enf_photo", ["enterprise_id"], unique=False
    )
    op.create_index(
        op.f("ix_enf_photo_inspection_id"), "enf_photo", ["inspection_id"], unique=False
    )
    op.create_index(op.f("ix_enf_photo_region_code"), "enf_photo", ["region_code"], unique=False)
    op.create_table(
        "enf_case",
        sa.Column("case_no", sa.String(length=32), nullable=False),
        sa.Column("title", sa.String(length=256), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("finding_id", sa.Integer(), nullable=True),
        sa.Column("legal_basis", sa.Text(), nullable=True),
        sa.Column("fine_yuan", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("filed_on", sa.Date(), nullable=False),
        sa.Column("decision_due", sa.Date(), nullable=True),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("service_due", sa.Date(), nullable=True),
        sa.Column("served_on", sa.Date(), nullable=True),
        sa.Column("payment_due", sa.Date(), nullable=True),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("published", sa.Boolean(), nullable=False),
        sa.Column("filed_by", sa.String(length=64), nullable=False),
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("region_code", sa.String(length=6), nullable=False),
        sa.Column("enterprise_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["finding_id"], ["enf_finding.id"], name=op.f("fk_enf_case_finding_id_enf_finding")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_enf_case")),
        sa.UniqueConstraint("case_no", name=op.f("uq_enf_case_case_no")),
    )
    op.create_index(op.f("ix_enf_case_enterprise_id"), "enf_case", ["enterprise_id"], unique=False)
    op.create_index(op.f("ix_enf_case_region_code"), "enf_case", ["region_code"], unique=False)
    op.create_table(
        "enf_case_document",
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("content_type", sa.String(length=64), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("added_by", sa.String(length=64), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("region_code", sa.String(length=6), nullable=False),
        sa.Column("enterprise_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"], ["enf_case.id"], name=op.f("fk_enf_case_document_case_id_enf_case")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_enf_case_document")),
    )
    op.create_index(
        op.f("ix_enf_case_document_case_id"), "enf_case_document", ["case_id"], unique=False
    )
    op.create_index(
        op.f("ix_enf_case_document_enterprise_id"),
        "enf_case_document",
        ["enterprise_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_enf_case_document_region_code"), "enf_case_document", ["region_code"], unique=False
    )
    op.create_table(
        "enf_case_event",
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("move", sa.String(length=32), nullable=False),
        sa.Column("from_state", sa.String(length=16), nullable=False),
        sa.Column("to_state", sa.String(length=16), nullable=False),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("region_code", sa.String(length=6), nullable=False),
        sa.Column("enterprise_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"], ["enf_case.id"], name=op.f("fk_enf_case_event_case_id_enf_case")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_enf_case_event")),
    )
    op.create_index(op.f("ix_enf_case_event_case_id"), "enf_case_event", ["case_id"], unique=False)
    op.create_index(
        op.f("ix_enf_case_event_enterprise_id"), "enf_case_event", ["enterprise_id"], unique=False
    )
    op.create_index(
        op.f("ix_enf_case_event_region_code"), "enf_case_event", ["region_code"], unique=False
    )


def downgrade() -> None:
    op.drop_table("enf_case_event")
    op.drop_table("enf_case_document")
    op.drop_table("enf_case")
    op.drop_table("enf_photo")
    op.drop_table("enf_finding")
    op.drop_table("enf_inspection")
    op.drop_table("enf_task")
    op.drop_table("enf_object")
    op.drop_table("enf_credit_repair")
    op.drop_table("enf_credit_point")
    op.drop_table("enf_inspector")
    op.drop_table("enf_draw")
    op.drop_table("enf_credit")
    op.drop_table("enf_checklist")
