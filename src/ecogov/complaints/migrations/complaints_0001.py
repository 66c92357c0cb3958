"""Complaints: complaints, their events and photos, the complainants' identity (its own
resource kind), rewards.

Revision ID: complaints_0001
Revises: sources_0001
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "complaints_0001"
down_revision = "sources_0001"
branch_labels = ("complaints",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "complaint",
        sa.Column("no", sa.String(length=24), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("external_no", sa.String(length=64), nullable=True),
        sa.Column("category", sa.String(length=8), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("address", sa.String(length=256), nullable=True),
        sa.Column("lon", sa.Float(), nullable=True),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("anonymous", sa.Boolean(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("accepted_on", sa.Date(), nullable=True),
        sa.Column("extended", sa.Boolean(), nullable=False),
        sa.Column("unit_name", sa.String(length=64), nullable=True),
        sa.Column("cluster_id", sa.Integer(), nullable=True),
        sa.Column("verified", sa.Boolean(), nullable=True),
        sa.Column("answer", sa.Text(), nullable=True),
        sa.Column("answered_on", sa.Date(), nullable=True),
        sa.Column("satisfaction", sa.String(length=16), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("rectification_ref", sa.String(length=64), nullable=True),
        sa.Column("filed_by", sa.String(length=64), nullable=False),
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("region_code", sa.String(length=6), nullable=False),
        sa.Column("enterprise_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "category IN ('air', 'water', 'noise', 'waste', 'odour', 'other')",
            name=op.f("ck_complaint_category"),
        ),
        sa.CheckConstraint(
            "channel IN ('portal', 'phone_12345', 'phone_12369', 'import_12345')",
            name=op.f("ck_complaint_channel"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_complaint")),
        sa.UniqueConstraint("code_hash", name=op.f("uq_complaint_code_hash")),
        sa.UniqueConstraint("external_no", name=op.f("uq_complaint_external_no")),
    )
    op.create_index(op.f("ix_complaint_category"), "complaint", ["category"], unique=False)
    op.create_index(op.f("ix_complaint_cluster_id"), "complaint", ["cluster_id"], unique=False)
    op.create_index(op.f("ix_complaint_due_on"), "complaint", ["due_on"], unique=False)
    op.create_index(
        op.f("ix_complaint_enterprise_id"), "complaint", ["enterprise_id"], unique=False
    )
    op.create_index(op.f("ix_complaint_no"), "complaint", ["no"], unique=False)
    op.create_index(op.f("ix_complaint_received_at"), "complaint", ["received_at"], unique=False)
    op.create_index(op.f("ix_complaint_region_code"), "complaint", ["region_code"], unique=False)
    op.create_index(op.f("ix_complaint_state"), "complaint", ["state"], unique=False)
    op.create_table(
        "complainant_identity",
        sa.Column("complaint_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=True),
        sa.Column("phone", sa.String(length=32), nullable=True),
        sa.Column("email", sa.String(length=128), nullable=True),
        sa.Column("contact_hash", sa.String(length=64), nullable=True),
        sa.Column("client_ip", sa.String(length=64), nullable=True),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("region_code", sa.String(length=6), nullable=False),
        sa.ForeignKeyConstraint(
            ["complaint_id"],
            ["complaint.id"],
            name=op.f("fk_complainant_identity_complaint_id_complaint"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_complainant_identity")),
        sa.UniqueConstraint("complaint_id", name=op.f("uq_complainant_identity_complaint_id")),
    )
    op.create_index(
        op.f("ix_complainant_identity_client_ip"),
        "complainant_identity",
        ["client_ip"],
        unique=False,
    )
    op.create_index(
        op.f("ix_complainant_identity_contact_hash"),
        "complainant_identity",
        ["contact_hash"],
        unique=False,
    )
    op.create_index(
        op.f("ix_complainant_identity_received_at"),
        "complainant_identity",
        ["received_at"],
        unique=False,
    )
    op.create_index(
        op.f("ix_complainant_identity_region_code"),
        "complainant_identity",
        ["region_code"],
        unique=False,
    )
    op.create_table(
        "complaint_event",
        sa.Column("complaint_id", sa.Integer(), nullable=False),
        sa.Column("move", sa.String(length=32), nullable=False),
        sa.Column("from_state", sa.String(length=16), nullable=False),
        sa.Column("to_state", sa.String(length=16), nullable=False),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("region_code", sa.String(length=6), nullable=False),
        sa.ForeignKeyConstraint(
            ["complaint_id"],
            ["complaint.id"],
            name=op.f("fk_complaint_event_complaint_id_complaint"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_complaint_event")),
    )
    op.create_index(
        op.f("ix_complaint_event_complaint_id"), "complaint_event", ["complaint_id"], unique=False
    )
    op.create_index(
        op.f("ix_complaint_event_region_code"), "complaint_event", ["region_code"], unique=False
    )
    op.create_table(
        "complaint_photo",
        sa.Column("complaint_id", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=256), nullable=False),
        sa.Column("content_type", sa.String(length=32), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("region_code", sa.String(length=6), nullable=False),
        sa.ForeignKeyConstraint(
            ["complaint_id"],
            ["complaint.id"],
            name=op.f("fk_complaint_photo_complaint_id_complaint"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_complaint_photo")),
    )
    op.create_index(
        op.f("ix_complaint_photo_complaint_id"), "complaint_photo", ["complaint_id"], unique=False
    )
    op.create_index(
        op.f("ix_complaint_photo_region_code"), "complaint_photo", ["region_code"], unique=False
    )
    op.create_table(
        "complaint_reward",
        sa.Column("complaint_id", sa.Integer(), nullable=False),
        sa.Column("amount_yuan", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=False),
        sa.Column("decided_by", sa.String(length=64), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("region_code", sa.String(length=6), nullable=False),
        sa.ForeignKeyConstraint(
            ["complaint_id"],
            ["complaint.id"],
            name=op.f("fk_complaint_reward_complaint_id_complaint"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_complaint_reward")),
        sa.UniqueConstraint("complaint_id", name=op.f("uq_complaint_reward_complaint_id")),
    )
    op.create_index(
        op.f("ix_complaint_reward_region_code"), "complaint_reward", ["region_code"], unique=False
    )
    # ### end Alembic commands ###


def downgrade() -> None:
    op.drop_index(op.f("ix_complaint_reward_region_code"), table_name="complaint_reward")
    op.drop_table("complaint_reward")
    op.drop_index(op.f("ix_complaint_photo_region_code"), table_name="complaint_photo")
    op.drop_index(op.f("ix_complaint_photo_complaint_id"), table_name="complaint_photo")
    op.drop_table("complaint_photo")
    op.drop_index(op.f("ix_complaint_event_region_code"), table_name="complaint_event")
    op.drop_index(op.f("ix_complaint_event_complaint_id"), table_name="complaint_event")
    op.drop_table("complaint_event")
    op.drop_index(op.f("ix_complainant_identity_region_code"), table_name="complainant_identity")
    op.drop_index(op.f("ix_complainant_identity_received_at"), table_name="complainant_identity")
    op.drop_index(op.f("ix_complainant_identity_contact_hash"), table_name="complainant_identity")
    op.drop_index(op.f("ix_complainant_identity_client_ip"), table_name="complainant_identity")
    op.drop_table("complainant_identity")
    op.drop_index(op.f("ix_complaint_state"), table_name="complaint")
    op.drop_index(op.f("ix_complaint_region_code"), table_name="complaint")
    op.drop_index(op.f("ix_complaint_received_at"), table_name="complaint")
    op.drop_index(op.f("ix_complaint_no"), table_name="complaint")
    op.drop_index(op.f("ix_complaint_enterprise_id"), table_name="complaint")
    op.drop_index(op.f("ix_complaint_due_on"), table_name="complaint")
    op.drop_index(op.f("ix_complaint_cluster_id"), table_name="complaint")
    op.drop_index(op.f("ix_complaint_category"), table_name="complaint")
    op.drop_table("complaint")
    # ### end Alembic commands ###
