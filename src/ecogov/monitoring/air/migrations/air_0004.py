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
    with op.batch_alter_table("air_daily") as batch:
        batch.add_column(sa.Column("aqi", sa.SmallInteger()))
    op.create_table(
        "air_city_daily",
        sa.Column("city_code", sa.String(6), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        *(column for prefix in PREFIXES for column in _indicator_columns(prefix)),
        sa.Column("aqi", sa.SmallInteger()),
        sa.PrimaryKeyConstraint("city_code", "day", name="pk_air_city_daily"),
    )
    from ecogov.monitoring.air import daily

    daily.rebuild(op.get_bind())


def downgrade() -> None:
    op.drop_table("air_city_daily")
    with op.batch_alter_table("air_daily") as batch:
        batch.drop_column("aqi")
