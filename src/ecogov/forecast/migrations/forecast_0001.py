"""Forecast: trained models, forecast days (daily AQI, level, primary, hourly AQI) and their
daily values with bands.

Revision ID: forecast_0001
Revises: air_0003
Create Date: 2026-12-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "forecast_0001"
down_revision = "air_0003"
branch_labels = ("forecast",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "forecast_model",
        sa.Column("stations", sa.JSON(), nullable=False),
        sa.Column("issue_hour", sa.SmallInteger(), nullable=False),
        sa.Column("train_from", sa.Date(), nullable=False),
        sa.Column("trained_until", sa.DateTime(timezone=True), nullable=False),
        sa.Column("trained_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("scores", sa.JSON(), nullable=False),
        sa.Column("blob", sa.LargeBinary(), nullable=False),
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("region_code", sa.String(length=6), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_forecast_model")),
    )
    op.create_index(
        op.f("ix_forecast_model_region_code"), "forecast_model", ["region_code"], unique=False
    )
    op.create_table(
        "forecast_day",
        sa.Column("model_id", sa.Integer(), nullable=True),
        sa.Column("site_kind", sa.String(length=8), nullable=False),
        sa.Column("site_code", sa.String(length=16), nullable=False),
        sa.Column("city_code", sa.String(length=6), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("lead_day", sa.SmallInteger(), nullable=False),
        sa.Column("aqi", sa.Integer(), nullable=True),
        sa.Column("aqi_low", sa.Integer(), nullable=True),
        sa.Column("aqi_high", sa.Integer(), nullable=True),
        sa.Column("level", sa.SmallInteger(), nullable=True),
        sa.Column("primary", sa.String(length=64), nullable=False),
        sa.Column("hourly_aqi", sa.JSON(), nullable=False),
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("region_code", sa.String(length=6), nullable=False),
        sa.CheckConstraint(
            "site_kind IN ('station', 'city')", name=op.f("ck_forecast_day_site_kind")
        ),
        sa.ForeignKeyConstraint(
            ["model_id"],
            ["forecast_model.id"],
            name=op.f("fk_forecast_day_model_id_forecast_model"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_forecast_day")),
        sa.UniqueConstraint("site_kind", "site_code", "issued_on", "lead_day", name="case"),
    )
    for column in ("model_id", "site_code", "city_code", "issued_on", "region_code"):
        op.create_index(op.f(f"ix_forecast_day_{column}"), "forecast_day", [column], unique=False)
    op.create_table(
        "forecast_value",
        sa.Column("day_id", sa.Integer(), nullable=False),
        sa.Column("pollutant", sa.String(length=8), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("lower", sa.Float(), nullable=False),
        sa.Column("upper", sa.Float(), nullable=False),
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("region_code", sa.String(length=6), nullable=False),
        sa.ForeignKeyConstraint(
            ["day_id"],
            ["forecast_day.id"],
            name=op.f("fk_forecast_value_day_id_forecast_day"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_forecast_value")),
        sa.UniqueConstraint("day_id", "pollutant", name="day_pollutant"),
    )
    for column in ("day_id", "region_code"):
        op.create_index(
            op.f(f"ix_forecast_value_{column}"), "forecast_value", [column], unique=False
        )


def downgrade() -> None:
    op.drop_table("forecast_value")
    op.drop_table("forecast_day")
    op.drop_table("forecast_model")
