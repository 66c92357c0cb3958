"""Waste: parties, facilities, licences, plans, ledgers, manifests (versions, timeline,
serials), cross-province approvals, money documents and GPS tracks.

Revision ID: waste_0001
Revises: sources_0001
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "waste_0001"
down_revision = "sources_0001"
branch_labels = ("waste",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "waste_manifest_serial",
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("city_code", sa.String(length=4), nullable=False),
        sa.Column("last_serial", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("year", "city_code", name="pk_waste_manifest_serial"),
    )
    op.create_table(
        "waste_party",
        sa.Column("party_code", sa.String(length=40), nullable=False),
        sa.Column("enterprise_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=128), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("management_class", sa.String(length=16), nullable=True),
        sa.Column("small_generator", sa.Boolean(), nullable=False),
        sa.Column("collection_cycle_days", sa.Integer(), nullable=True),
        sa.Column("transport_licence_no", sa.String(length=40), nullable=True),
        sa.Column("vehicles", sa.JSON(), nullable=False),
        sa.Column("simulated", sa.Boolean(), nullable=False),
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("region_code", sa.String(length=6), nullable=False),
        sa.CheckConstraint(
            "kind IN ('generator', 'carrier', 'receiver', 'collector')",
            name=op.f("ck_waste_party_kind"),
        ),
        sa.CheckConstraint(
            "management_class IS NULL OR management_class IN ('key', 'simplified', 'registration')",
            name=op.f("ck_waste_party_management_class"),
        ),
        sa.CheckConstraint(
            "collection_cycle_days IS NULL OR collection_cycle_days > 0",
            name=op.f("ck_waste_party_cycle"),
        ),
        sa.ForeignKeyConstraint(
            ["enterprise_id"],
            ["enterprise.enterprise_id"],
            name=op.f("fk_waste_party_enterprise_id_enterprise"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_waste_party")),
        sa.UniqueConstraint("enterprise_id", "kind", name=op.f("uq_waste_party_enterprise_id")),
        sa.UniqueConstraint("party_code", name=op.f("uq_waste_party_party_code")),
    )
    op.create_index("ix_waste_party_enterprise_id", "waste_party", ["enterprise_id"])
    op.create_index("ix_waste_party_region_code", "waste_party", ["region_code"])

    op.create_table(
        "waste_facility",
        sa.Column("facility_code", sa.String(length=40), nullable=False),
        sa.Column("party_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("capacity_t", sa.Float(), nullable=False),
        sa.Column("kinds_allowed", sa.JSON(), nullable=False),
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("region_code", sa.String(length=6), nullable=False),
        sa.Column("enterprise_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "kind IN ('storage', 'utilisation', 'disposal')", name=op.f("ck_waste_facility_kind")
        ),
        sa.CheckConstraint("capacity_t > 0", name=op.f("ck_waste_facility_capacity")),
        sa.ForeignKeyConstraint(
            ["party_id"], ["waste_party.id"], name=op.f("fk_waste_facility_party_id_waste_party")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_waste_facility")),
        sa.UniqueConstraint("facility_code", name=op.f("uq_waste_facility_facility_code")),
    )
    op.create_index("ix_waste_facility_enterprise_id", "waste_facility", ["enterprise_id"])
    op.create_index("ix_waste_facility_party_id", "waste_facility", ["party_id"])
    op.create_index("ix_waste_facility_region_code", "waste_facility", ["region_code"])

    op.create_table(
        "waste_licence",
        sa.Column("licence_no", sa.String(length=40), nullable=False),
        sa.Column("party_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("waste_code", sa.String(length=12), nullable=False),
        sa.Column("annual_capacity_t", sa.Float(), nullable=True),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=False),
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("region_code", sa.String(length=6), nullable=False),
        sa.Column("enterprise_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "kind IN ('operation', 'transport')", name=op.f("ck_waste_licence_kind")
        ),
        sa.CheckConstraint(
            "annual_capacity_t IS NULL OR annual_capacity_t > 0",
            name=op.f("ck_waste_licence_annual_capacity"),
        ),
        sa.CheckConstraint("valid_to >= valid_from", name=op.f("ck_waste_licence_validity")),
        sa.ForeignKeyConstraint(
            ["party_id"], ["waste_party.id"], name=op.f("fk_waste_licence_party_id_waste_party")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_waste_licence")),
        sa.UniqueConstraint("licence_no", "waste_code", name=op.f("uq_waste_licence_licence_no")),
    )
    op.create_index("ix_waste_licence_enterprise_id", "waste_licence", ["enterprise_id"])
    op.create_index("ix_waste_licence_licence_no", "waste_licence", ["licence_no"])
    op.create_index("ix_waste_licence_party_id", "waste_licence", ["party_id"])
    op.create_index("ix_waste_licence_region_code", "waste_licence", ["region_code"])

    op.create_table(
        "waste_money_document",
        sa.Column("doc_code", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("payer_id", sa.Integer(), nullable=False),
        sa.Column("payee_id", sa.Integer(), nullable=False),
        sa.Column("payer_enterprise_id", sa.Integer(), nullable=False),
        sa.Column("payee_enterprise_id", sa.Integer(), nullable=False),
        sa.Column("manifest_no", sa.String(length=14), nullable=True),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("amount_yuan", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("quantity_t", sa.Float(), nullable=True),
        sa.Column("waste_code", sa.String(length=12), nullable=True),
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("region_code", sa.String(length=6), nullable=False),
        sa.CheckConstraint(
            "kind IN ('contract', 'invoice', 'payment')", name=op.f("ck_waste_money_document_kind")
        ),
        sa.CheckConstraint("amount_yuan >= 0", name=op.f("ck_waste_money_document_amount")),
        sa.CheckConstraint(
            "quantity_t IS NULL OR quantity_t >= 0", name=op.f("ck_waste_money_document_quantity")
        ),
        sa.ForeignKeyConstraint(
            ["payee_id"],
            ["waste_party.id"],
            name=op.f("fk_waste_money_document_payee_id_waste_party"),
        ),
        sa.ForeignKeyConstraint(
            ["payer_id"],
            ["waste_party.id"],
            name=op.f("fk_waste_money_document_payer_id_waste_party"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_waste_money_document")),
        sa.UniqueConstraint("doc_code", name=op.f("uq_waste_money_document_doc_code")),
    )
    op.create_index("ix_waste_money_document_manifest_no", "waste_money_document", ["manifest_no"])
    op.create_index(
        "ix_waste_money_document_payee_enterprise_id",
        "waste_money_document",
        ["payee_enterprise_id"],
    )
    op.create_index("ix_waste_money_document_payee_id", "waste_money_document", ["payee_id"])
    op.create_index(
        "ix_waste_money_document_payer_enterprise_id",
        "waste_money_document",
        ["payer_enterprise_id"],
    )
    op.create_index("ix_waste_money_document_payer_id", "waste_money_document", ["payer_id"])
    op.create_index("ix_waste_money_document_region_code", "waste_money_document", ["region_code"])

    op.create_table(
        "waste_plan",
        sa.Column("party_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("waste_code", sa.String(length=12), nullable=False),
        sa.Column("planned_t", sa.Float(), nullable=False),
        sa.Column("receiver_id", sa.Integer(), nullable=True),
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("region_code", sa.String(length=6), nullable=False),
        sa.Column("enterprise_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("planned_t >= 0", name=op.f("ck_waste_plan_planned")),
        sa.ForeignKeyConstraint(
            ["party_id"], ["waste_party.id"], name=op.f("fk_waste_plan_party_id_waste_party")
        ),
        sa.ForeignKeyConstraint(
            ["receiver_id"], ["waste_party.id"], name=op.f("fk_waste_plan_receiver_id_waste_party")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_waste_plan")),
        sa.UniqueConstraint("party_id", "year", "waste_code", name=op.f("uq_waste_plan_party_id")),
    )
    op.create_index("ix_waste_plan_enterprise_id", "waste_plan", ["enterprise_id"])
    op.create_index("ix_waste_plan_party_id", "waste_plan", ["party_id"])
    op.create_index("ix_waste_plan_region_code", "waste_plan", ["region_code"])

    op.create_table(
        "waste_transfer_approval",
        sa.Column("approval_no", sa.String(length=40), nullable=False),
        sa.Column("generator_id", sa.Integer(), nullable=False),
        sa.Column("receiver_id", sa.Integer(), nullable=False),
        sa.Column("destination_region_code", sa.String(length=6), nullable=False),
        sa.Column("waste_code", sa.String(length=12), nullable=False),
        sa.Column("approved_t", sa.Float(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=False),
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("region_code", sa.String(length=6), nullable=False),
        sa.Column("enterprise_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("approved_t > 0", name=op.f("ck_waste_transfer_approval_approved")),
        sa.CheckConstraint(
            "valid_to >= valid_from", name=op.f("ck_waste_transfer_approval_validity")
        ),
        sa.ForeignKeyConstraint(
            ["generator_id"],
            ["waste_party.id"],
            name=op.f("fk_waste_transfer_approval_generator_id_waste_party"),
        ),
        sa.ForeignKeyConstraint(
            ["receiver_id"],
            ["waste_party.id"],
            name=op.f("fk_waste_transfer_approval_receiver_id_waste_party"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_waste_transfer_approval")),
        sa.UniqueConstraint("approval_no", name=op.f("uq_waste_transfer_approval_approval_no")),
    )
    op.create_index(
        "ix_waste_transfer_approval_enterprise_id", "waste_transfer_approval", ["enterprise_id"]
    )
    op.create_index(
        "ix_waste_transfer_approval_generator_id", "waste_transfer_approval", ["generator_id"]
    )
    op.create_index(
        "ix_waste_transfer_approval_region_code", "waste_transfer_approval", ["region_code"]
    )

    op.create_table(
        "waste_ledger_entry",
        sa.Column("entry_code", sa.String(length=40), nullable=False),
        sa.Column("party_id", sa.Integer(), nullable=False),
        sa.Column("facility_id", sa.Integer(), nullable=True),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("waste_code", sa.String(length=12), nullable=False),
        sa.Column("stage", sa.String(length=12), nullable=False),
        sa.Column("quantity_t", sa.Float(), nullable=False),
        sa.Column("entered_amount", sa.Float(), nullable=False),
        sa.Column("entered_unit", sa.String(length=2), nullable=False),
        sa.Column("batch", sa.String(length=40), nullable=True),
        sa.Column("manifest_no", sa.String(length=14), nullable=True),
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("region_code", sa.String(length=6), nullable=False),
        sa.Column("enterprise_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("entered_unit IN ('t', 'kg')", name=op.f("ck_waste_ledger_entry_unit")),
        sa.CheckConstraint(
            (
                "stage IN ('generated', 'stored_in', 'stored_out', 'utilised', "
                "'disposed', 'handed_over')"
            ),
            name=op.f("ck_waste_ledger_entry_stage"),
        ),
        sa.CheckConstraint("quantity_t > 0", name=op.f("ck_waste_ledger_entry_quantity")),
        sa.ForeignKeyConstraint(
            ["facility_id"],
            ["waste_facility.id"],
            name=op.f("fk_waste_ledger_entry_facility_id_waste_facility"),
        ),
        sa.ForeignKeyConstraint(
            ["party_id"],
            ["waste_party.id"],
            name=op.f("fk_waste_ledger_entry_party_id_waste_party"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_waste_ledger_entry")),
        sa.UniqueConstraint("entry_code", name=op.f("uq_waste_ledger_entry_entry_code")),
    )
    op.create_index("ix_waste_ledger_entry_day", "waste_ledger_entry", ["day"])
    op.create_index("ix_waste_ledger_entry_enterprise_id", "waste_ledger_entry", ["enterprise_id"])
    op.create_index("ix_waste_ledger_entry_manifest_no", "waste_ledger_entry", ["manifest_no"])
    op.create_index("ix_waste_ledger_entry_party_id", "waste_ledger_entry", ["party_id"])
    op.create_index("ix_waste_ledger_entry_region_code", "waste_ledger_entry", ["region_code"])
    op.create_index("ix_waste_ledger_entry_waste_code", "waste_ledger_entry", ["waste_code"])

    op.create_table(
        "waste_manifest",
        sa.Column("manifest_no", sa.String(length=14), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("row_version", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=24), nullable=False),
        sa.Column("generator_id", sa.Integer(), nullable=False),
        sa.Column("carrier_id", sa.Integer(), nullable=False),
        sa.Column("receiver_id", sa.Integer(), nullable=False),
        sa.Column("destination_region_code", sa.String(length=6), nullable=False),
        sa.Column("waste_code", sa.String(length=12), nullable=False),
        sa.Column("shipped_t", sa.Float(), nullable=False),
        sa.Column("received_t", sa.Float(), nullable=True),
        sa.Column("packaging", sa.String(length=32), nullable=True),
        sa.Column("vehicle", sa.String(length=16), nullable=True),
        sa.Column("discrepancy", sa.String(length=12), nullable=True),
        sa.Column("discrepancy_note", sa.Text(), nullable=True),
        sa.Column("approval_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("signed_out_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("picked_up_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("accepted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("confirm_due", sa.Date(), nullable=True),
        sa.Column("late_alerted", sa.Boolean(), nullable=False),
        sa.Column("idempotency_key", sa.String(length=64), nullable=True),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("generator_enterprise_id", sa.Integer(), nullable=False),
        sa.Column("carrier_enterprise_id", sa.Integer(), nullable=False),
        sa.Column("receiver_enterprise_id", sa.Integer(), nullable=False),
        sa.Column("region_code", sa.String(length=6), nullable=False),
        sa.CheckConstraint(
            "discrepancy IS NULL OR discrepancy IN ('quantity', 'code', 'packaging')",
            name=op.f("ck_waste_manifest_discrepancy"),
        ),
        sa.CheckConstraint(
            (
                "status IN ('draft', 'signed_out', 'in_transit', 'delivered', "
                "'received', 'received_discrepancy', 'rejected', 'closed', "
                "'under_correction', 'corrected', 'cancelled')"
            ),
            name=op.f("ck_waste_manifest_status"),
        ),
        sa.CheckConstraint("shipped_t > 0", name=op.f("ck_waste_manifest_shipped")),
        sa.ForeignKeyConstraint(
            ["approval_id"],
            ["waste_transfer_approval.id"],
            name=op.f("fk_waste_manifest_approval_id_waste_transfer_approval"),
        ),
        sa.ForeignKeyConstraint(
            ["carrier_id"],
            ["waste_party.id"],
            name=op.f("fk_waste_manifest_carrier_id_waste_party"),
        ),
        sa.ForeignKeyConstraint(
            ["generator_id"],
            ["waste_party.id"],
            name=op.f("fk_waste_manifest_generator_id_waste_party"),
        ),
        sa.ForeignKeyConstraint(
            ["receiver_id"],
            ["waste_party.id"],
            name=op.f("fk_waste_manifest_receiver_id_waste_party"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_waste_manifest")),
        sa.UniqueConstraint("idempotency_key", name=op.f("uq_waste_manifest_idempotency_key")),
        sa.UniqueConstraint("manifest_no", name=op.f("uq_waste_manifest_manifest_no")),
    )
    op.create_index(
        "ix_waste_manifest_carrier_enterprise_id", "waste_manifest", ["carrier_enterprise_id"]
    )
    op.create_index("ix_waste_manifest_carrier_id", "waste_manifest", ["carrier_id"])
    op.create_index("ix_waste_manifest_content_hash", "waste_manifest", ["content_hash"])
    op.create_index(
        "ix_waste_manifest_generator_enterprise_id", "waste_manifest", ["generator_enterprise_id"]
    )
    op.create_index("ix_waste_manifest_generator_id", "waste_manifest", ["generator_id"])
    op.create_index(
        "ix_waste_manifest_receiver_enterprise_id", "waste_manifest", ["receiver_enterprise_id"]
    )
    op.create_index("ix_waste_manifest_receiver_id", "waste_manifest", ["receiver_id"])
    op.create_index("ix_waste_manifest_region_code", "waste_manifest", ["region_code"])
    op.create_index("ix_waste_manifest_status", "waste_manifest", ["status"])

    op.create_table(
        "waste_manifest_event",
        sa.Column("manifest_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("move", sa.String(length=32), nullable=False),
        sa.Column("from_state", sa.String(length=24), nullable=True),
        sa.Column("to_state", sa.String(length=24), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("generator_enterprise_id", sa.Integer(), nullable=False),
        sa.Column("carrier_enterprise_id", sa.Integer(), nullable=False),
        sa.Column("receiver_enterprise_id", sa.Integer(), nullable=False),
        sa.Column("region_code", sa.String(length=6), nullable=False),
        sa.ForeignKeyConstraint(
            ["manifest_id"],
            ["waste_manifest.id"],
            name=op.f("fk_waste_manifest_event_manifest_id_waste_manifest"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_waste_manifest_event")),
    )
    op.create_index(
        "ix_waste_manifest_event_carrier_enterprise_id",
        "waste_manifest_event",
        ["carrier_enterprise_id"],
    )
    op.create_index(
        "ix_waste_manifest_event_generator_enterprise_id",
        "waste_manifest_event",
        ["generator_enterprise_id"],
    )
    op.create_index("ix_waste_manifest_event_manifest_id", "waste_manifest_event", ["manifest_id"])
    op.create_index(
        "ix_waste_manifest_event_receiver_enterprise_id",
        "waste_manifest_event",
        ["receiver_enterprise_id"],
    )
    op.create_index("ix_waste_manifest_event_region_code", "waste_manifest_event", ["region_code"])

    op.create_table(
        "waste_manifest_version",
        sa.Column("manifest_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("generator_enterprise_id", sa.Integer(), nullable=False),
        sa.Column("carrier_enterprise_id", sa.Integer(), nullable=False),
        sa.Column("receiver_enterprise_id", sa.Integer(), nullable=False),
        sa.Column("region_code", sa.String(length=6), nullable=False),
        sa.ForeignKeyConstraint(
            ["manifest_id"],
            ["waste_manifest.id"],
            name=op.f("fk_waste_manifest_version_manifest_id_waste_manifest"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_waste_manifest_version")),
        sa.UniqueConstraint(
            "manifest_id", "version", name=op.f("uq_waste_manifest_version_manifest_id")
        ),
    )
    op.create_index(
        "ix_waste_manifest_version_carrier_enterprise_id",
        "waste_manifest_version",
        ["carrier_enterprise_id"],
    )
    op.create_index(
        "ix_waste_manifest_version_generator_enterprise_id",
        "waste_manifest_version",
        ["generator_enterprise_id"],
    )
    op.create_index(
        "ix_waste_manifest_version_manifest_id", "waste_manifest_version", ["manifest_id"]
    )
    op.create_index(
        "ix_waste_manifest_version_receiver_enterprise_id",
        "waste_manifest_version",
        ["receiver_enterprise_id"],
    )
    op.create_index(
        "ix_waste_manifest_version_region_code", "waste_manifest_version", ["region_code"]
    )

    op.create_table(
        "waste_track_point",
        sa.Column("manifest_id", sa.Integer(), nullable=False),
        sa.Column("ts", sa.BigInteger(), nullable=False),
        sa.Column("lon", sa.Float(), nullable=False),
        sa.Column("lat", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["manifest_id"],
            ["waste_manifest.id"],
            name=op.f("fk_waste_track_point_manifest_id_waste_manifest"),
        ),
        sa.PrimaryKeyConstraint("manifest_id", "ts", name="pk_waste_track_point"),
    )


def downgrade() -> None:
    op.drop_table("waste_track_point")
    op.drop_index("ix_waste_manifest_version_region_code", table_name="waste_manifest_version")
    op.drop_index(
        "ix_waste_manifest_version_receiver_enterprise_id", table_name="waste_manifest_version"
    )
    op.drop_index("ix_waste_manifest_version_manifest_id", table_name="waste_manifest_version")
    op.drop_index(
        "ix_waste_manifest_version_generator_enterprise_id", table_name="waste_manifest_version"
    )
    op.drop_index(
        "ix_waste_manifest_version_carrier_enterprise_id", table_name="waste_manifest_version"
    )

    op.drop_table("waste_manifest_version")
    op.drop_index("ix_waste_manifest_event_region_code", table_name="waste_manifest_event")
    op.drop_index(
        "ix_waste_manifest_event_receiver_enterprise_id", table_name="waste_manifest_event"
    )
    op.drop_index("ix_waste_manifest_event_manifest_id", table_name="waste_manifest_event")
    op.drop_index(
        "ix_waste_manifest_event_generator_enterprise_id", table_name="waste_manifest_event"
    )
    op.drop_index(
        "ix_waste_manifest_event_carrier_enterprise_id", table_name="waste_manifest_event"
    )

    op.drop_table("waste_manifest_event")
    op.drop_index("ix_waste_manifest_status", table_name="waste_manifest")
    op.drop_index("ix_waste_manifest_region_code", table_name="waste_manifest")
    op.drop_index("ix_waste_manifest_receiver_id", table_name="waste_manifest")
    op.drop_index("ix_waste_manifest_receiver_enterprise_id", table_name="waste_manifest")
    op.drop_index("ix_waste_manifest_generator_id", table_name="waste_manifest")
    op.drop_index("ix_waste_manifest_generator_enterprise_id", table_name="waste_manifest")
    op.drop_index("ix_waste_manifest_content_hash", table_name="waste_manifest")
    op.drop_index("ix_waste_manifest_carrier_id", table_name="waste_manifest")
    op.drop_index("ix_waste_manifest_carrier_enterprise_id", table_name="waste_manifest")

    op.drop_table("waste_manifest")
    op.drop_index("ix_waste_ledger_entry_waste_code", table_name="waste_ledger_entry")
    op.drop_index("ix_waste_ledger_entry_region_code", table_name="waste_ledger_entry")
    op.drop_index("ix_waste_ledger_entry_party_id", table_name="waste_ledger_entry")
    op.drop_index("ix_waste_ledger_entry_manifest_no", table_name="waste_ledger_entry")
    op.drop_index("ix_waste_ledger_entry_enterprise_id", table_name="waste_ledger_entry")
    op.drop_index("ix_waste_ledger_entry_day", table_name="waste_ledger_entry")

    op.drop_table("waste_ledger_entry")
    op.drop_index("ix_waste_transfer_approval_region_code", table_name="waste_transfer_approval")
    op.drop_index("ix_waste_transfer_approval_generator_id", table_name="waste_transfer_approval")
    op.drop_index("ix_waste_transfer_approval_enterprise_id", table_name="waste_transfer_approval")

    op.drop_table("waste_transfer_approval")
    op.drop_index("ix_waste_plan_region_code", table_name="waste_plan")
    op.drop_index("ix_waste_plan_party_id", table_name="waste_plan")
    op.drop_index("ix_waste_plan_enterprise_id", table_name="waste_plan")

    op.drop_table("waste_plan")
    op.drop_index("ix_waste_money_document_region_code", table_name="waste_money_document")
    op.drop_index("ix_waste_money_document_payer_id", table_name="waste_money_document")
    op.drop_index("ix_waste_money_document_payer_enterprise_id", table_name="waste_money_document")
    op.drop_index("ix_waste_money_document_payee_id", table_name="waste_money_document")
    op.drop_index("ix_waste_money_document_payee_enterprise_id", table_name="waste_money_document")
    op.drop_index("ix_waste_money_document_manifest_no", table_name="waste_money_document")

    op.drop_table("waste_money_document")
    op.drop_index("ix_waste_licence_region_code", table_name="waste_licence")
    op.drop_index("ix_waste_licence_party_id", table_name="waste_licence")
    op.drop_index("ix_waste_licence_licence_no", table_name="waste_licence")
    op.drop_index("ix_waste_licence_enterprise_id", table_name="waste_licence")

    op.drop_table("waste_licence")
    op.drop_index("ix_waste_facility_region_code", table_name="waste_facility")
    op.drop_index("ix_waste_facility_party_id", table_name="waste_facility")
    op.drop_index("ix_waste_facility_enterprise_id", table_name="waste_facility")

    op.drop_table("waste_facility")
    op.drop_index("ix_waste_party_region_code", table_name="waste_party")
    op.drop_index("ix_waste_party_enterprise_id", table_name="waste_party")

    op.drop_table("waste_party")
    op.drop_table("waste_manifest_serial")
