"""Sources: enterprises, outlets, monitoring devices, analyser channels, permit limits, meters.

Revision ID: sources_0001
Revises: 0003_accounts
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "sources_0001"
down_revision = "0003_accounts"
branch_labels = ("sources",)
depends_on = None


def _scope_columns() -> list[sa.Column[object]]:
    """The region and enterprise columns every child table carries."""
    return [
        sa.Column("region_code", sa.String(6), nullable=False),
        sa.Column("enterprise_id", sa.Integer(), nullable=False),
    ]


def _scope_indexes(table: str) -> None:
    op.create_index(f"ix_{table}_region_code", table, ["region_code"])
    op.create_index(f"ix_{table}_enterprise_id", table, ["enterprise_id"])


def _enterprise_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["enterprise_id"],
        ["enterprise.enterprise_id"],
        name=f"fk_{table}_enterprise_id_enterprise",
    )


def upgrade() -> None:
    op.create_table(
        "enterprise",
        sa.Column("enterprise_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("uscc", sa.String(18), nullable=False),
        sa.Column("name", sa.String(128), nullable=False),
        sa.Column("industry_code", sa.String(8), nullable=False),
        sa.Column("industry", sa.String(64), nullable=False),
        sa.Column("region_code", sa.String(6), nullable=False),
        sa.Column("lon", sa.Float()),
        sa.Column("lat", sa.Float()),
        sa.Column("key_level", sa.String(16), nullable=False),
        sa.Column("permit_number", sa.String(32)),
        sa.Column("simulated", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("enterprise_id", name="pk_enterprise"),
        sa.UniqueConstraint("uscc", name="uq_enterprise_uscc"),
        sa.ForeignKeyConstraint(
            ["region_code"], ["region.code"], name="fk_enterprise_region_code_region"
        ),
        sa.CheckConstraint(
            "key_level IN ('national', 'provincial', 'municipal', 'general')",
            name="ck_enterprise_key_level",
        ),
    )
    op.create_index("ix_enterprise_region_code", "enterprise", ["region_code"])
    op.create_index("ix_enterprise_name", "enterprise", ["name"])
    op.create_index("ix_enterprise_industry_code", "enterprise", ["industry_code"])
    op.create_table(
        "outlet",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        *_scope_columns(),
        sa.Column("code", sa.String(16), nullable=False),
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("medium", sa.String(8), nullable=False),
        sa.Column("lon", sa.Float()),
        sa.Column("lat", sa.Float()),
        sa.PrimaryKeyConstraint("id", name="pk_outlet"),
        sa.UniqueConstraint("enterprise_id", "code", name="uq_outlet_enterprise_id"),
        _enterprise_fk("outlet"),
        sa.CheckConstraint("medium IN ('gas', 'water')", name="ck_outlet_medium"),
    )
    _scope_indexes("outlet")
    op.create_table(
        "monitoring_device",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        *_scope_columns(),
        sa.Column("mn", sa.String(24), nullable=False),
        sa.Column("pw", sa.String(6), nullable=False),
        sa.Column("profile", sa.String(64), nullable=False),
        sa.Column("system_code", sa.String(2), nullable=False),
        sa.Column("outlet_id", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_monitoring_device"),
        sa.UniqueConstraint("mn", name="uq_monitoring_device_mn"),
        _enterprise_fk("monitoring_device"),
        sa.ForeignKeyConstraint(
            ["outlet_id"], ["outlet.id"], name="fk_monitoring_device_outlet_id_outlet"
        ),
    )
    _scope_indexes("monitoring_device")
    op.create_index("ix_monitoring_device_outlet_id", "monitoring_device", ["outlet_id"])
    op.create_table(
        "device_factor",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        *_scope_columns(),
        sa.Column("device_id", sa.Integer(), nullable=False),
        sa.Column("factor_code", sa.String(8), nullable=False),
        sa.Column("unit", sa.String(16), nullable=False),
        sa.Column("range_low", sa.Float(), nullable=False),
        sa.Column("range_high", sa.Float(), nullable=False),
        sa.Column("detection_limit", sa.Float()),
        sa.PrimaryKeyConstraint("id", name="pk_device_factor"),
        sa.UniqueConstraint("device_id", "factor_code", name="uq_device_factor_device_id"),
        _enterprise_fk("device_factor"),
        sa.ForeignKeyConstraint(
            ["device_id"],
            ["monitoring_device.id"],
            name="fk_device_factor_device_id_monitoring_device",
        ),
    )
    _scope_indexes("device_factor")
    op.create_table(
        "permit_limit",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        *_scope_columns(),
        sa.Column("outlet_id", sa.Integer(), nullable=False),
        sa.Column("factor_code", sa.String(8), nullable=False),
        sa.Column("limit_value", sa.Float(), nullable=False),
        sa.Column("unit", sa.String(16), nullable=False),
        sa.Column("averaging", sa.String(8), nullable=False),
        sa.Column("basis", sa.String(10), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_permit_limit"),
        sa.UniqueConstraint(
            "outlet_id", "factor_code", "averaging", name="uq_permit_limit_outlet_id"
        ),
        _enterprise_fk("permit_limit"),
        sa.ForeignKeyConstraint(
            ["outlet_id"], ["outlet.id"], name="fk_permit_limit_outlet_id_outlet"
        ),
        sa.CheckConstraint("averaging IN ('hourly', 'daily')", name="ck_permit_limit_averaging"),
        sa.CheckConstraint("basis IN ('converted', 'measured')", name="ck_permit_limit_basis"),
        sa.CheckConstraint("limit_value > 0", name="ck_permit_limit_limit_value"),
    )
    _scope_indexes("permit_limit")
    op.create_index("ix_permit_limit_outlet_id", "permit_limit", ["outlet_id"])
    op.create_table(
        "power_meter",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        *_scope_columns(),
        sa.Column("code", sa.String(32), nullable=False),
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("line", sa.String(12), nullable=False),
        sa.Column("outlet_id", sa.Integer()),
        sa.Column("source", sa.String(32), nullable=False),
        sa.Column("running_kw", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_power_meter"),
        sa.UniqueConstraint("enterprise_id", "code", name="uq_power_meter_enterprise_id"),
        _enterprise_fk("power_meter"),
        sa.ForeignKeyConstraint(
            ["outlet_id"], ["outlet.id"], name="fk_power_meter_outlet_id_outlet"
        ),
        sa.CheckConstraint("line IN ('production', 'treatment')", name="ck_power_meter_line"),
    )
    _scope_indexes("power_meter")
    op.create_table(
        "power_reading",
        sa.Column("meter_id", sa.Integer(), nullable=False),
        sa.Column("ts", sa.BigInteger(), nullable=False),
        sa.Column("power_kw", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("meter_id", "ts", name="pk_power_reading"),
        sa.ForeignKeyConstraint(
            ["meter_id"], ["power_meter.id"], name="fk_power_reading_meter_id_power_meter"
        ),
    )


def downgrade() -> None:
    for table in (
        "power_reading",
        "power_meter",
        "permit_limit",
        "device_factor",
        "monitoring_device",
        "outlet",
        "enterprise",
    ):
        op.drop_table(table)
