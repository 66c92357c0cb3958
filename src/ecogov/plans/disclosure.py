"""Rectification progress as disclosed (督察整改公开): the ``plans.rectification_disclosure`` kind.

Given the references a disclosed record links to (an inspection finding's
``rectification:<id>``), anyone reads each item's state, deadline and closing time — not its
measures, unit, people or notes. Reads go through the permission table's scoped path.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from ecogov.plans.access import RECTIFICATION_DISCLOSURE
from ecogov.plans.alerts import REF_PREFIX
from ecogov.plans.models import RectificationItem
from ecogov.plans.workflow import RECTIFICATION
from ecogov.platform.db import Database
from ecogov.platform.permissions import scoped_read
from ecogov.platform.scope import Principal


@dataclass(frozen=True)
class Progress:
    """Where a rectification item stands: its state (code and zh-CN/English names), deadline
    and, once 销号, when it was closed."""

    ref: str
    state: str
    state_name: str
    state_name_en: str
    deadline: date
    closed_at: datetime | None


def _item_id(ref: str) -> int | None:
    number = ref.removeprefix(REF_PREFIX)
    return int(number) if ref.startswith(REF_PREFIX) and number.isdigit() else None


def progress(db: Database, principal: Principal, refs: Iterable[str]) -> dict[str, Progress]:
    """The progress of each rectification item ``refs`` name, by reference (other references,
    such as ``case:3``, and unknown items are left out)."""
    wanted = {ref: number for ref in refs if (number := _item_id(ref)) is not None}
    if not wanted:
        return {}
    with scoped_read(db, principal, RECTIFICATION_DISCLOSURE) as read:
        rows = read.connection.execute(
            select(
                RectificationItem.id,
                RectificationItem.status,
                RectificationItem.deadline,
                RectificationItem.closed_at,
            ).where(RectificationItem.id.in_(set(wanted.values())))
        ).all()
    found = {row.id: row for row in rows}
    return {
        ref: Progress(
            ref,
            row.status,
            RECTIFICATION.state_name(row.status),
            RECTIFICATION.state_name(row.status, "en"),
            row.deadline,
            row.closed_at,
        )
        for ref, number in wanted.items()
        if (row := found.get(number)) is not None
    }
