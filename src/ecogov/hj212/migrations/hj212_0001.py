"""HJ 212: online data, raw archive, rejects ledger, split parts, reverse commands, status.

Revision ID: hj212_0001
Revises: sources_0001 (its tables refer to enterprises and devices)
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "hj212_0001"
# Revises sources_0001 rather than naming it in depends_on: Alembic leaves a dependency out of
# the database's recorded heads, so the database would never look "at head" to the platform.
down_revision = "sources_0001"
branch_labels = ("hj212",)
depends_on = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "hj212_record",
        sa.Column("mn", sa.String(24), nullable=False),
        sa.Column("cn", sa.String(4), nullable=False),
        sa.Column("data_time", sa.BigInteger(), nullable=False),
        sa.Column("st", sa.String(2), nullable=False),
        sa.Column("qn", sa.String(20)),
        sa.Column("cp", sa.Text(), nullable=False),
        sa.Column("received_at", sa.BigInteger(), nullable=False),
        sa.Column("revisions", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("mn", "cn", "data_time", name="pk_hj212_record"),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "hj212_archive",
        sa.Column("id", BIG_ID, autoincrement=True, nullable=False),
        sa.Column("received_at", sa.BigInteger(), nullable=False),
        sa.Column("peer", sa.String(64), nullable=False),
        sa.Column("mn", sa.String(24)),
        sa.Column("cn", sa.String(4)),
        sa.Column("qn", sa.String(20)),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("raw", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_hj212_archive"),
    )
    op.create_index("ix_hj212_archive_mn", "hj212_archive", ["mn", "received_at"])
    op.create_table(
        "hj212_reject",
        sa.Column("id", BIG_ID, autoincrement=True, nullable=False),
        sa.Column("received_at", sa.BigInteger(), nullable=False),
        sa.Column("peer", sa.String(64), nullable=False),
        sa.Column("mn", sa.String(24)),
        sa.Column("cn", sa.String(4)),
        sa.Column("qn", sa.String(20)),
        sa.Column("reason", sa.String(32), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("raw", sa.LargeBinary()),
        sa.PrimaryKeyConstraint("id", name="pk_hj212_reject"),
    )
    op.create_index("ix_hj212_reject_received_at", "hj212_reject", ["received_at"])
    op.create_index("ix_hj212_reject_mn", "hj212_reject", ["mn"])
    op.create_index("ix_hj212_reject_reason", "hj212_reject", ["reason"])
    op.create_table(
        "hj212_split_part",
        sa.Column("mn", sa.String(24), nullable=False),
        sa.Column("st", sa.String(2), nullable=False),
        sa.Column("cn", sa.String(4), nullable=False),
        sa.Column("pnum", sa.Integer(), nullable=False),
        sa.Column("data_time", sa.String(17), nullable=False),
        sa.Column("pno", sa.Integer(), nullable=False),
        sa.Column("segment", sa.Text(), nullable=False),
        sa.Column("received_at", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint(
            "mn", "st", "cn", "pnum", "data_time", "pno", name="pk_hj212_split_part"
        ),
    )
    op.create_table(
        "hj212_command",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("region_code", sa.String(6), nullable=False),
        sa.Column("enterprise_id", sa.Integer(), nullable=False),
        sa.Column("device_id", sa.Integer(), nullable=False),
        sa.Column("mn", sa.String(24), nullable=False),
        sa.Column("cn", sa.String(4), nullable=False),
        sa.Column("qn", sa.String(20), nullable=False),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("qn_rtn", sa.Integer()),
        sa.Column("exe_rtn", sa.Integer()),
        sa.Column("response", sa.JSON()),
        sa.Column("requested_by", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True)),
        sa.Column("answered_at", sa.DateTime(timezone=True)),
        sa.Column("finished_at", sa.DateTime(timezone=True)),
        sa.PrimaryKeyConstraint("id", name="pk_hj212_command"),
        sa.UniqueConstraint("mn", "qn", name="uq_hj212_command_mn"),
        sa.ForeignKeyConstraint(
            ["device_id"],
            ["monitoring_device.id"],
            name="fk_hj212_command_device_id_monitoring_device",
        ),
        sa.ForeignKeyConstraint(
            ["enterprise_id"],
            ["enterprise.enterprise_id"],
            name="fk_hj212_command_enterprise_id_enterprise",
        ),
        sa.CheckConstraint(
            "state IN ('queued', 'sent', 'accepted', 'succeeded', 'failed', 'refused', "
            "'timed_out', 'expired')",
            name="ck_hj212_command_state",
        ),
    )
    op.create_index("ix_hj212_command_region_code", "hj212_command", ["region_code"])
    op.create_index("ix_hj212_command_enterprise_id", "hj212_command", ["enterprise_id"])
    op.create_index("ix_hj212_command_mn", "hj212_command", ["mn"])
    op.create_index("ix_hj212_command_state", "hj212_command", ["state"])
    op.create_table(
        "hj212_receiver_status",
        sa.Column("listen", sa.String(64), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("connections", sa.Integer(), nullable=False),
        sa.Column("packets", sa.BigInteger(), nullable=False),
        sa.Column("stored", sa.BigInteger(), nullable=False),
        sa.Column("rejected", sa.BigInteger(), nullable=False),
        sa.Column("packets_per_s", sa.Float(), nullable=False),
        sa.Column("rejects_by_reason", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("listen", name="pk_hj212_receiver_status"),
    )


def downgrade() -> None:
    for table in (
        "hj212_receiver_status",
        "hj212_command",
        "hj212_split_part",
        "hj212_reject",
        "hj212_archive",
        "hj212_record",
    ):
        op.drop_table(table)
