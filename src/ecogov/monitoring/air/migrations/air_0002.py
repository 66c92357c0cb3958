"""Air: air_hourly without the (station_id, ts) index and without the per-row foreign key

Both cost every imported row extra work that grew with the table: the secondary index made each
national hour 1,700 scattered B-tree inserts (SQLite imports fell to 0.45 M values/s over a
month of files), and PostgreSQL checks a foreign key with a trigger query per row (COPY fell
from 1.25 M to 0.56 M values/s). A station's series is now read by (ts, station_id) lookups on
the clustered key; station ids come only from the import service's code → id mapping, made in
the same transaction, and stations are never deleted. See docs/decisions/air-storage.md.

Revision ID: air_0002
Revises: air_0001
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "air_0002"
down_revision = "air_0001"
branch_labels = None
depends_on = None

FOREIGN_KEY = "fk_air_hourly_station_id_air_station"
COLUMNS = "ts, station_id, so2, no2, co, o3, pm10, pm25, qc"


def _hourly_table(name: str, *constraints: sa.Constraint) -> None:
    op.create_table(
        name,
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
        *constraints,
        sqlite_with_rowid=False,
    )


def _rebuild_sqlite(*constraints: sa.Constraint) -> None:
    """SQLite cannot drop or add a constraint in place: copy into a new table."""
    _hourly_table("air_hourly_new", *constraints)
    op.execute(f"INSERT INTO air_hourly_new ({COLUMNS}) SELECT {COLUMNS} FROM air_hourly")
    op.drop_table("air_hourly")
    op.rename_table("air_hourly_new", "air_hourly")


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _rebuild_sqlite()
    else:
        op.drop_index("ix_air_hourly_station_id", table_name="air_hourly")
        op.drop_constraint(FOREIGN_KEY, "air_hourly", type_="foreignkey")


def downgrade() -> None:
    foreign_key = sa.ForeignKeyConstraint(["station_id"], ["air_station.id"], name=FOREIGN_KEY)
    if op.get_bind().dialect.name == "sqlite":
        _rebuild_sqlite(foreign_key)
    else:
        op.create_foreign_key(FOREIGN_KEY, "air_hourly", "air_station", ["station_id"], ["id"])
    op.create_index("ix_air_hourly_station_id", "air_hourly", ["station_id", "ts"])
