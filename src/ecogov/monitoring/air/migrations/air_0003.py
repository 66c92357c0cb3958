"""Air: stored station daily values (air_daily), computed at import

The province air report read a year of hours (and the year before) and computed the station
daily values on every request (3–4.5 s on first load, issue 14 defect 8). The daily values of
every station-day are now stored, recomputed by each import of hours in its transaction; the
evaluation reads them. Existing hours are computed once by air_0004.

Revision ID: air_0003
Revises: air_0002
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "air_0003"
down_revision = "air_0002"
branch_labels = None
depends_on = None

PREFIXES = ("so2", "no2", "co", "o3_1h", "o3_8h", "pm10", "pm25")
"""Column prefixes of the daily indicators (as ``models.DAILY_COLUMNS`` at this revision)."""


def _indicator_columns(prefix: str) -> list[sa.Column[int]]:
    """Exact value (numerator, denominator) and valid and expected counts of one indicator."""
    return [
        sa.Column(f"{prefix}_num", sa.BigInteger()),
        sa.Column(f"{prefix}_den", sa.BigInteger()),
        sa.Column(f"{prefix}_n_valid", sa.SmallInteger(), nullable=False),
        sa.Column(f"{prefix}_n_expected", sa.SmallInteger(), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "air_daily",
        sa.Column("station_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        *(column for prefix in PREFIXES for column in _indicator_columns(prefix)),
        sa.PrimaryKeyConstraint("station_id", "day", name="pk_air_daily"),
        sa.ForeignKeyConstraint(
            ["station_id"],
            ["air_station.id"],
            name="fk_air_daily_station_id_air_station",
            ondelete="CASCADE",
        ),
    )
    # The hours already stored are computed by air_0004 (with the code of the head revision,
    # which also writes the city-days and the daily AQI that air_0004 adds).


def downgrade() -> None:
    op.drop_table("air_daily")
