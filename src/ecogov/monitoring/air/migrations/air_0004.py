"""Air: stored city daily values (air_city_daily) and the daily AQI of every station-day and
city-day, computed at import

The city evaluation (province indicators, the city table and its rank) averaged the stations'
daily values into city daily values on every request, and the emergency review scored them; the
city-days are now stored with their AQI, recomputed with the station-days they come from in the
import's transaction (issue 20, item 1). The values of the hours already stored are computed
here once (``daily.rebuild``, also ``ecogov air aggregates rebuild``).

Revision ID: air_0004
Revises: air_0003
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "air_0004"
down_revision = "air_0003"
branch_labels = None
depends_on = None

VALUES = ("_num", "_den", "_n_valid", "_n_expected")
"""Endings of the stored value columns of ``air_daily``, which a city-day holds too."""


def upgrade() -> None:
    with op.batch_alter_table("air_daily") as batch:
        batch.add_column(sa.Column("aqi", sa.SmallInteger()))
    station_days = sa.Table("air_daily", sa.MetaData(), autoload_with=op.get_bind())
    op.create_table(
        "air_city_daily",
        sa.Column("city_code", sa.String(6), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        *(
            sa.Column(column.name, column.type, nullable=column.nullable)
            for column in station_days.columns
            if column.name.endswith(VALUES)
        ),
        sa.Column("aqi", sa.SmallInteger()),
        sa.PrimaryKeyConstraint("city_code", "day", name="pk_air_city_daily"),
    )
    from ecogov.monitoring.air import daily

    daily.rebuild(op.get_bind())


def downgrade() -> None:
    op.drop_table("air_city_daily")
    with op.batch_alter_table("air_daily") as batch:
        batch.drop_column("aqi")
