"""Read models of the enforcement pages and API: an enterprise's compliance history (ECHO-style:
inspections with their findings, cases, credit over time), the region dashboard for a period
(cases filed in it) with the inspectors' workload, and the map layer of the directory."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select

from ecogov.enforcement import cases, credit
from ecogov.enforcement.access import ENFORCEMENT, INSPECTOR_POOL
from ecogov.enforcement.models import (
    Draw,
    Finding,
    Inspection,
    InspectionObject,
    InspectionTask,
    Inspector,
)
from ecogov.platform.clock import beijing_time
from ecogov.platform.clock import today as clock_today
from ecogov.platform.db import Database
from ecogov.platform.errors import NotFound
from ecogov.platform.permissions import allowed, authorize
from ecogov.platform.scope import Principal, region_prefix
from ecogov.sources.models import Enterprise
from ecogov.standards.enforcement.draw import CATEGORY_ALIASES, UNRATED
from ecogov.standards.periods import Period


@dataclass(frozen=True)
class InspectionEntry:
    """An inspection of the history, with its findings (description, severity, what it led to)."""

    id: int
    inspected_at: str
    recorded_by: str
    answers: dict[str, str]
    findings: tuple[tuple[int, str, str, str | None], ...]
    """(id, description, severity, what it led to)"""


@dataclass(frozen=True)
class History:
    """An enterprise's compliance history (合规记录)."""

    enterprise_id: int
    name: str
    region_code: str
    category: str
    grade: str | None
    inspections: tuple[InspectionEntry, ...]
    cases: tuple[cases.LedgerRow, ...]
    credit: tuple[credit.GradeHistory, ...]


def history(db: Database, principal: Principal, enterprise_id: int) -> History:
    """The history of an enterprise in the directory (an enterprise user: its own only)."""
    authorize(principal, "read", ENFORCEMENT)
    with db.transaction(principal) as session:
        target = session.scalar(
            select(InspectionObject).where(InspectionObject.enterprise_id == enterprise_id)
        )
        if target is None:
            raise NotFound(f"名录库中没有企业 {enterprise_id}（not in the directory）")
        entries = []
        for inspection in session.scalars(
            select(Inspection)
            .where(Inspection.enterprise_id == enterprise_id)
            .order_by(Inspection.inspected_at.desc())
        ):
            found = session.scalars(
                select(Finding).where(Finding.inspection_id == inspection.id).order_by(Finding.id)
            )
            entries.append(
                InspectionEntry(
                    inspection.id,
                    beijing_time(inspection.inspected_at),
                    inspection.recorded_by,
                    dict(inspection.answers),
                    tuple((f.id, f.description, f.severity, f.ref) for f in found),
                )
            )
        facts = (target.name, target.region_code, target.category, target.credit_grade)
    own_cases = tuple(r for r in cases.ledger(db, principal) if r.enterprise_id == enterprise_id)
    grades = tuple(credit.history(db, principal, enterprise_id))
    return History(enterprise_id, *facts, tuple(entries), own_cases, grades)


@dataclass(frozen=True)
class Workload:
    """One inspector's open and done tasks."""

    inspector_id: int
    name: str
    unit: str
    open: int
    done: int
    overdue: int


@dataclass(frozen=True)
class Dashboard:
    """The region dashboard: cases by state and late, draws, and the inspectors' workload."""

    cases_by_state: dict[str, int]
    late_cases: int
    draws: tuple[tuple[int, str, str, date | None], ...]
    workload: tuple[Workload, ...]
    ledger: tuple[cases.LedgerRow, ...]


def _filed_in(row: cases.LedgerRow, period: Period | None) -> bool:
    return period is None or period.first <= row.filed_on <= period.last


def dashboard(db: Database, principal: Principal, period: Period | None = None) -> Dashboard:
    """What the principal's region looks like today (every count within their scope); the
    cases are those filed in ``period`` (立案日期; all when None)."""
    authorize(principal, "read", ENFORCEMENT)
    today = clock_today()
    ledger = tuple(r for r in cases.ledger(db, principal) if _filed_in(r, period))
    by_state = Counter(r.state for r in ledger)
    late = sum(1 for r in ledger if r.clock is not None and r.clock.days_left < 0)
    with db.transaction(principal) as session:
        draws = tuple(
            (d.id, d.title, d.status, d.publish_due)
            for d in session.scalars(select(Draw).order_by(Draw.id.desc()).limit(20))
        )
        tasks = session.scalars(select(InspectionTask)).all()
        people = (
            session.scalars(select(Inspector).order_by(Inspector.id)).all()
            if allowed(principal, "read", INSPECTOR_POOL)
            else []
        )
        workload = []
        for person in people:
            mine = [t for t in tasks if person.id in t.inspector_ids]
            workload.append(
                Workload(
                    person.id,
                    person.name,
                    person.unit,
                    sum(1 for t in mine if t.status != "done"),
                    sum(1 for t in mine if t.status == "done"),
                    sum(1 for t in mine if t.status != "done" and t.due < today),
                )
            )
    states = {s: by_state.get(s, 0) for s in cases.CASE.states}
    return Dashboard(states, late, draws, tuple(workload), ledger)


def map_features(
    db: Database, principal: Principal, region: str | None, period: Period | None = None
) -> list[dict[str, Any]]:
    """The directory's enterprises with a position as GeoJSON points: the current credit grade
    (``category``), open cases and cases filed in ``period`` (the dashboard's map layer)."""
    authorize(principal, "read", ENFORCEMENT)
    ledger = cases.ledger(db, principal)
    open_cases = Counter(r.enterprise_id for r in ledger if r.state != "closed")
    in_period = Counter(r.enterprise_id for r in ledger if _filed_in(r, period))
    with db.transaction(principal) as session:
        query = select(InspectionObject, Enterprise.lon, Enterprise.lat).join(
            Enterprise, Enterprise.enterprise_id == InspectionObject.enterprise_id
        )
        if region:
            query = query.where(InspectionObject.region_code.startswith(region_prefix(region)))
        rows = session.execute(query.order_by(InspectionObject.id)).all()
    return [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [lon, lat]},
            "properties": {
                "id": target.enterprise_id,
                "name": target.name,
                "category": target.credit_grade or UNRATED,
                "category_name": CATEGORY_ALIASES[target.category][2],
                "open_cases": open_cases.get(target.enterprise_id, 0),
                "period_cases": in_period.get(target.enterprise_id, 0),
            },
        }
        for target, lon, lat in rows
        if lon is not None and lat is not None
    ]
