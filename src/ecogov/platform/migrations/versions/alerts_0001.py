"""The alerts inbox: alerts and the auto-conversion rules (with the default red-alert rule).

Revision ID: alerts_0001
Revises: 0003_accounts
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "alerts_0001"
down_revision = "0003_accounts"
branch_labels = ("alerts",)
depends_on = None

DEFAULT_RULE_SOURCE = (
    "红色预警即时立案整改：《中华人民共和国突发事件应对法》第四十二条（红色为最高预警级别）；"
    "问题“入库上图、闭环管控”。Red alerts open a rectification item at once."
)


def upgrade() -> None:
    op.create_table(
        "alert",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("region_code", sa.String(6), nullable=False),
        sa.Column("kind", sa.String(64), nullable=False),
        sa.Column("severity", sa.String(8), nullable=False),
        sa.Column("title", sa.String(256), nullable=False),
        sa.Column("enterprise_id", sa.Integer()),
        sa.Column("site_code", sa.String(64)),
        sa.Column("site_name", sa.String(128)),
        sa.Column("lon", sa.Float()),
        sa.Column("lat", sa.Float()),
        sa.Column("window_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("window_end", sa.DateTime(timezone=True), nullable=False),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.Column("link", sa.String(256)),
        sa.Column("dedupe_key", sa.String(160), nullable=False),
        sa.Column("open_key", sa.String(160)),
        sa.Column("occurrences", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("first_seen", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen", sa.DateTime(timezone=True), nullable=False),
        sa.Column("converted_ref", sa.String(64)),
        sa.Column("handled_by", sa.String(64)),
        sa.Column("note", sa.Text()),
        sa.Column("closed_at", sa.DateTime(timezone=True)),
        sa.PrimaryKeyConstraint("id", name="pk_alert"),
        sa.UniqueConstraint("open_key", name="uq_alert_open_key"),
    )
    for column in (
        "region_code",
        "kind",
        "severity",
        "enterprise_id",
        "window_end",
        "dedupe_key",
        "status",
        "last_seen",
        "converted_ref",
    ):
        op.create_index(f"ix_alert_{column}", "alert", [column])
    rules = op.create_table(
        "alert_rule",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("kind_pattern", sa.String(64), nullable=False),
        sa.Column("min_severity", sa.String(8), nullable=False),
        sa.Column("converter", sa.String(32), nullable=False),
        sa.Column("region_code", sa.String(6)),
        sa.Column("deadline_days", sa.Integer(), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_alert_rule"),
    )
    op.bulk_insert(
        rules,
        [
            {
                "kind_pattern": "*",
                "min_severity": "red",
                "converter": "rectification",
                "region_code": None,
                "deadline_days": 30,
                "enabled": True,
                "source": DEFAULT_RULE_SOURCE,
            }
        ],
    )


def downgrade() -> None:
    op.drop_table("alert_rule")
    op.drop_table("alert")
