"""waste: the regions a manifest concerns on its versions and events too (origin, carrier's,
receiver's), so officers of each region read them.

Revision ID: waste_0002
Revises: waste_0001
Create Date: 2026-12-20
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "waste_0002"
down_revision = "waste_0001"
branch_labels = None
depends_on = None

_CHILDREN = ("waste_manifest_version", "waste_manifest_event")


def upgrade() -> None:
    # Added with a blank default, filled from the parties, then left without a default (every
    # writer sets them).
    with op.batch_alter_table("waste_manifest") as batch:
        batch.add_column(
            sa.Column("carrier_region_code", sa.String(6), nullable=False, server_default="")
        )
    op.execute(
        "UPDATE waste_manifest SET carrier_region_code = (SELECT p.region_code FROM waste_party p"
        " WHERE p.id = waste_manifest.carrier_id)"
    )
    for table in _CHILDREN:
        with op.batch_alter_table(table) as batch:
            for column in ("destination_region_code", "carrier_region_code"):
                batch.add_column(sa.Column(column, sa.String(6), nullable=False, server_default=""))
        op.execute(
            f"UPDATE {table} SET"
            " destination_region_code = (SELECT m.destination_region_code FROM waste_manifest m"
            f" WHERE m.id = {table}.manifest_id),"
            " carrier_region_code = (SELECT m.carrier_region_code FROM waste_manifest m"
            f" WHERE m.id = {table}.manifest_id)"
        )
    for table in ("waste_manifest", *_CHILDREN):
        with op.batch_alter_table(table) as batch:
            for column in ("destination_region_code", "carrier_region_code"):
                if table != "waste_manifest" or column == "carrier_region_code":
                    batch.alter_column(column, server_default=None)
                batch.create_index(batch.f(f"ix_{table}_{column}"), [column], unique=False)


def downgrade() -> None:
    for table in ("waste_manifest", *_CHILDREN):
        with op.batch_alter_table(table) as batch:
            for column in ("destination_region_code", "carrier_region_code"):
                batch.drop_index(batch.f(f"ix_{table}_{column}"))
                if table != "waste_manifest" or column == "carrier_region_code":
                    batch.drop_column(column)
