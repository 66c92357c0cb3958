"""The file-import rejects ledger: import runs and the rows they rejected.

Revision ID: readers_0001
Revises: 0003_accounts
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "readers_0001"
down_revision = "0003_accounts"
branch_labels = ("readers",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "import_run",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("region_code", sa.String(6), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("domain", sa.String(32), nullable=False),
        sa.Column("fmt", sa.String(32), nullable=False),
        sa.Column("file", sa.String(255), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("rows_read", sa.Integer(), nullable=False),
        sa.Column("rows_rejected", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_import_run"),
    )
    for column in ("region_code", "at", "domain"):
        op.create_index(f"ix_import_run_{column}", "import_run", [column])
    op.create_table(
        "import_reject",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("region_code", sa.String(6), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("file", sa.String(255), nullable=False),
        sa.Column("row", sa.Integer(), nullable=False),
        sa.Column("column", sa.String(128)),
        sa.Column("value", sa.String(255)),
        sa.Column("reason_zh", sa.String(500), nullable=False),
        sa.Column("reason_en", sa.String(500), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["import_run.id"],
            name="fk_import_reject_run_id_import_run",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_import_reject"),
    )
    for column in ("region_code", "run_id"):
        op.create_index(f"ix_import_reject_{column}", "import_reject", [column])


def downgrade() -> None:
    op.drop_table("import_reject")
    op.drop_table("import_run")
