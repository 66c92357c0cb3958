"""Unit scorecard for assessment (考核): how each unit delivers what it leads.

For a region (and the regions below it) and a year, a unit's work is every task it leads
(牵头单位) and every rectification item it is responsible for, whose deadline falls in that year:

* ``decided`` — work closed, or past its deadline: its punctuality is known;
* on-time rate = closed no later than the deadline (Beijing date) / decided;
* closure rate = closed / all;
* overdue = past the deadline and neither closed nor waiting for the level above to check it.

A rate is None when its denominator is zero.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from ecogov.plans.access import PLANS
from ecogov.plans.models import RectificationItem, Task, TaskUnit, Unit
from ecogov.plans.queries import is_overdue
from ecogov.platform.db import Database
from ecogov.platform.permissions import authorize
from ecogov.platform.scope import Principal, region_prefix
from ecogov.standards.timebase import BEIJING


@dataclass
class UnitScore:
    """A unit's delivery in a year."""

    unit: str
    region_code: str
    total: int = 0
    decided: int = 0
    closed: int = 0
    on_time: int = 0
    overdue: int = 0

    @property
    def on_time_rate(self) -> float | None:
        """Share of decided work closed by its deadline (0–1)."""
        return self.on_time / self.decided if self.decided else None

    @property
    def closure_rate(self) -> float | None:
        """Share of all work closed (0–1)."""
        return self.closed / self.total if self.total else None


@dataclass(frozen=True)
class _Work:
    """One task or item as the scorecard counts it."""

    subject: str
    unit: str
    region_code: str
    status: str
    due: date
    closed_at: datetime | None


def _count(work: Iterable[_Work], today: date) -> list[UnitScore]:
    scores: dict[tuple[str, str], UnitScore] = {}
    for w in work:
        score = scores.setdefault((w.region_code, w.unit), UnitScore(w.unit, w.region_code))
        closed = w.status == "closed"
        score.total += 1
        score.closed += closed
        score.decided += closed or w.due < today
        score.on_time += (
            closed and w.closed_at is not None and w.closed_at.astimezone(BEIJING).date() <= w.due
        )
        score.overdue += is_overdue(w.subject, w.status, w.due, today)
    return [scores[key] for key in sorted(scores)]


def scorecard(
    db: Database, principal: Principal, region_code: str, year: int, today: date
) -> list[UnitScore]:
    """The scorecard of every unit of a region and below for the work due in ``year``."""
    authorize(principal, "read", PLANS)
    first, last = date(year, 1, 1), date(year, 12, 31)
    prefix = region_prefix(region_code)
    with db.transaction(principal) as session:
        tasks = session.execute(
            select(Unit.name, Task.region_code, Task.status, Task.due, Task.closed_at)
            .join(TaskUnit, TaskUnit.task_id == Task.id)
            .join(Unit, Unit.id == TaskUnit.unit_id)
            .where(
                TaskUnit.role == "lead",
                Task.due.between(first, last),
                Task.region_code.startswith(prefix),
            )
        ).all()
        items = session.execute(
            select(
                Unit.name,
                RectificationItem.region_code,
                RectificationItem.status,
                RectificationItem.deadline,
                RectificationItem.closed_at,
            )
            .join(Unit, Unit.id == RectificationItem.unit_id)
            .where(
                RectificationItem.deadline.between(first, last),
                RectificationItem.region_code.startswith(prefix),
            )
        ).all()
    work = [
        _Work("task", unit, region, status, due, closed_at)
        for unit, region, status, due, closed_at in tasks
        if due is not None  # the query asks for a due date in the year; this tells mypy
    ]
    work += [_Work("rectification", *row) for row in items]
    return _count(work, today)
