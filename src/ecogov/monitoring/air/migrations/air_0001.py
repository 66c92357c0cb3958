"""Air monitoring: stations, hourly observations (wide, clustered by time), QC flags.

Revision ID: air_0001
Revises: 0003_accounts
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "air_0001"
down_revision = "0003_accounts"
branch_labels = ("air",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "air_station",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("code", sa.String(16), nullable=False),
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("region_code", sa.String(6), nullable=False),
        sa.Column("city_code", sa.String(6), nullable=False),
        sa.Column("network_city", sa.String(32)),
        sa.Column("lon", sa.Float()),
        sa.Column("lat", sa.Float()),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("source", sa.String(32), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_air_station"),
        sa.UniqueConstraint("code", name="uq_air_station_code"),
        sa.ForeignKeyConstraint(
            ["city_code"], ["region.code"], name="fk_air_station_city_code_region"
        ),
    )
    op.create_index("ix_air_station_region_code", "air_station", ["region_code"])
    op.create_index("ix_air_station_city_code", "air_station", ["city_code"])
    op.create_table(
        "air_hourly",
        sa.Column("ts", sa.BigInteger(), nullable=False),
        sa.Column("station_id", sa.Integer(), nullable=False),
        sa.Column("so2", sa.Float()),
        sa.Column("no2", sa.Float()),
        sa.Column("co", sa.Float()),
        sa.Column("o3", sa.Float()),
        sa.Column("pm10", sa.Float()),
        sa.Column("pm25", sa.Float()),
        sa.Column("qc", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("ts", "station_id", name="pk_air_hourly"),
        sa.ForeignKeyConstraint(
            ["station_id"], ["air_station.id"], name="fk_air_hourly_station_id_air_station"
        ),
        # SQLite: cluster the rows on the key, so imports in time order append.
        sqlite_with_rowid=False,
    )
    op.create_index("ix_air_hourly_station_id", "air_hourly", ["station_id", "ts"])
    op.create_table(
        "air_flag",
        sa.Column("station_id", sa.Integer(), nullable=False),
        sa.Column("ts", sa.BigInteger(), nullable=False),
        sa.Column("pollutant", sa.String(8), nullable=False),
        sa.Column("flag", sa.String(16), nullable=False),
        sa.PrimaryKeyConstraint("station_id", "ts", "pollutant", name="pk_air_flag"),
        sa.ForeignKeyConstraint(
            ["station_id"], ["air_station.id"], name="fk_air_flag_station_id_air_station"
        ),
    )


def downgrade() -> None:
    op.drop_table("air_flag")
    op.drop_table("air_hourly")
    op.drop_table("air_station")
