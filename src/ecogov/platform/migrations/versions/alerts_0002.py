"""The default red-alert rule's source text zh-CN first with its English gloss in brackets, as
every other user-visible text (issue 14, defect 3); a rule an admin edited keeps its text.

Revision ID: alerts_0002
Revises: alerts_0001
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "alerts_0002"
down_revision = "alerts_0001"
branch_labels = None
depends_on = None

_BASIS = (
    "红色预警即时立案整改：《中华人民共和国突发事件应对法》第四十二条（红色为最高预警级别）；"
    "问题“入库上图、闭环管控”"
)
OLD_SOURCE = _BASIS + "。Red alerts open a rectification item at once."
NEW_SOURCE = _BASIS + "（red alerts open a rectification item at once）。"


def _replace(old: str, new: str) -> None:
    rule = sa.table("alert_rule", sa.column("source", sa.Text()))
    op.execute(rule.update().where(rule.c.source == old).values(source=new))


def upgrade() -> None:
    _replace(OLD_SOURCE, NEW_SOURCE)


def downgrade() -> None:
    _replace(NEW_SOURCE, OLD_SOURCE)
