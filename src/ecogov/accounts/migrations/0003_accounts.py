"""Accounts: users, login sessions and failed-login throttling.

Revision ID: 0003_accounts
Revises: 0002_regions
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_accounts"
down_revision = "0002_regions"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("display_name", sa.String(128), nullable=False),
        sa.Column("role", sa.String(32), nullable=False),
        sa.Column("region_code", sa.String(6)),
        sa.Column("enterprise_id", sa.Integer()),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_users"),
        sa.UniqueConstraint("username", name="uq_users_username"),
        sa.ForeignKeyConstraint(
            ["region_code"], ["region.code"], name="fk_users_region_code_region"
        ),
    )
    op.create_index("ix_users_region_code", "users", ["region_code"])
    op.create_index("ix_users_enterprise_id", "users", ["enterprise_id"])
    op.create_table(
        "login_session",
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("token_hash", name="pk_login_session"),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name="fk_login_session_user_id_users", ondelete="CASCADE"
        ),
    )
    op.create_table(
        "login_attempt",
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True)),
        sa.PrimaryKeyConstraint("username", name="pk_login_attempt"),
    )


def downgrade() -> None:
    op.drop_table("login_attempt")
    op.drop_table("login_session")
    op.drop_table("users")
