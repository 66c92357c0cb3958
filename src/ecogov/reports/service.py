"""Generating the monthly report (环境质量月报) and the ranking announcement (排名通报):
compute the figures (:mod:`ecogov.reports.figures`), record them (audited), and render the
record through its layout as Word or PDF — on demand, or by the monthly schedule for the month
before, once per region and month."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Final

from sqlalchemy import select

from ecogov.platform import clock
from ecogov.platform.db import Database
from ecogov.platform.errors import InputError, NotFound
from ecogov.platform.i18n import both
from ecogov.platform.permissions import authorize
from ecogov.platform.scope import Principal
from ecogov.reports import figures as figure_queries
from ecogov.reports.access import REPORTS
from ecogov.reports.figures import Figures
from ecogov.reports.layout import compose, layout_for
from ecogov.reports.models import KINDS, GeneratedReport
from ecogov.reports.render import render

FORMATS: Final = ("docx", "pdf", "json")
PARTS: Final[dict[str, tuple[str, ...]]] = {"monthly": (), "ranking": ("air",)}
"""The figures each kind needs (empty: all)."""


@dataclass(frozen=True)
class ReportView:
    """A generated report as the list shows it."""

    id: int
    kind: str
    region_code: str
    region_name: str
    period: str
    layout: str
    trigger: str
    generated_at: datetime
    generated_by: str


def _view(row: GeneratedReport) -> ReportView:
    return ReportView(
        row.id,
        row.kind,
        row.region_code,
        row.figures["region_name"],
        row.period,
        row.layout,
        row.trigger,
        row.generated_at,
        row.generated_by,
    )


def _check(kind: str, fmt: str | None = None) -> None:
    if kind not in KINDS:
        raise InputError(both("reports.error.kind", kind=kind))
    if fmt is not None and fmt not in FORMATS:
        raise InputError(both("reports.error.format", format=fmt))


def generate(
    db: Database,
    principal: Principal,
    kind: str,
    region: str,
    period: str,
    trigger: str = "demand",
) -> ReportView:
    """Compute and record the ``kind`` report of ``region`` for ``period`` (``YYYY-MM``)."""
    _check(kind)
    authorize(principal, "create", REPORTS)
    found = figure_queries.monthly(db, principal, region, period, PARTS[kind])
    layout = layout_for(kind, region)
    with db.transaction(principal, f"reports.{trigger}") as session:
        row = GeneratedReport(
            kind=kind,
            region_code=region,
            period=found.period,
            layout=layout.name,
            trigger=trigger,
            generated_at=clock.utcnow(),
            generated_by=principal.username,
            figures=found.as_dict(),
        )
        session.add(row)
        session.flush()
        return _view(row)


def _load(db: Database, principal: Principal, report_id: int) -> GeneratedReport:
    authorize(principal, "read", REPORTS)
    with db.transaction(principal) as session:
        row = session.get(GeneratedReport, report_id) if 0 < report_id < 2**31 else None
        if row is None:
            raise NotFound(both("reports.error.not_found", id=report_id))
        session.expunge(row)
        return row


def figures_of(db: Database, principal: Principal, report_id: int) -> Figures:
    """The figures a generated report printed, with their sources."""
    return Figures.from_dict(_load(db, principal, report_id).figures)


def document(db: Database, principal: Principal, report_id: int, fmt: str) -> tuple[str, bytes]:
    """A generated report as ``docx`` or ``pdf``: its file name and content."""
    _check("monthly", fmt)
    row = _load(db, principal, report_id)
    found = Figures.from_dict(row.figures)
    elements = compose(layout_for(row.kind, row.region_code), found)
    name = f"{row.kind}-{row.region_code}-{row.period}.{fmt}"
    return name, render(elements, fmt)


def reports(db: Database, principal: Principal, region: str | None = None) -> list[ReportView]:
    """The generated reports the principal may read (under ``region``), newest first."""
    authorize(principal, "read", REPORTS)
    with db.transaction(principal) as session:
        stmt = select(GeneratedReport).order_by(
            GeneratedReport.generated_at.desc(), GeneratedReport.id.desc()
        )
        if region:
            stmt = stmt.where(GeneratedReport.region_code == region)
        return [_view(row) for row in session.scalars(stmt.limit(500))]


def previous_month(today: date | None = None) -> str:
    """The month before ``today`` (the platform clock's day): what the schedule reports on."""
    first = (today or clock.today()).replace(day=1)
    return (first - timedelta(days=1)).strftime("%Y-%m")


def schedule(
    db: Database,
    principal: Principal,
    regions: list[str],
    period: str | None = None,
    kinds: tuple[str, ...] = KINDS,
) -> list[ReportView]:
    """The scheduled reports of ``period`` (default: the previous month) for ``regions``:
    generates those not yet scheduled, leaves the rest (running it twice generates nothing).
    Returns the reports generated now."""
    month = figure_queries.parse_month(period or previous_month()).label
    authorize(principal, "create", REPORTS)
    with db.transaction(principal) as session:
        done = {
            (kind, region)
            for kind, region in session.execute(
                select(GeneratedReport.kind, GeneratedReport.region_code).where(
                    GeneratedReport.period == month, GeneratedReport.trigger == "schedule"
                )
            )
        }
    return [
        generate(db, principal, kind, region, month, "schedule")
        for region in regions
        for kind in kinds
        if (kind, region) not in done
    ]
