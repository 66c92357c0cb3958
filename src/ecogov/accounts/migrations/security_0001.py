"""Login throttling per (client, account), account and client, replacing the per-username lockout.

Revision ID: security_0001
Revises: 0003_accounts
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "security_0001"
down_revision = "0003_accounts"
branch_labels = ("security",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "login_throttle",
        sa.Column("key", sa.String(160), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("username", sa.String(64)),
        sa.Column("client", sa.String(64)),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("last_failure_at", sa.DateTime(timezone=True)),
        sa.Column("blocked_until", sa.DateTime(timezone=True)),
        sa.Column("succeeded_at", sa.DateTime(timezone=True)),
        sa.PrimaryKeyConstraint("key", name="pk_login_throttle"),
    )
    op.create_index("ix_login_throttle_username", "login_throttle", ["username"])
    op.drop_table("login_attempt")


def downgrade() -> None:
    op.create_table(
        "login_attempt",
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True)),
        sa.PrimaryKeyConstraint("username", name="pk_login_attempt"),
    )
    op.drop_index("ix_login_throttle_username", "login_throttle")
    op.drop_table("login_throttle")
