"""The platform's own evidence about enterprises (issue 16 items 1 and 5): every record the credit
grade and the risk score rest on, gathered through the owning domains' scoped services.

A collector (:data:`Collector`) returns the records of some enterprises in a period as
:class:`EvidenceRecord` — a kind the rules map to a credit indicator and a risk kind
(``credit.evidence`` of the rules, :data:`ecogov.standards.enforcement.credit.EVIDENCE_MAPPINGS`),
a reference (``alert:12``) and the URL of the record's page. Today's collectors:

* the alerts inbox — HJ 212 exceedances and data-quality findings, the waste checks' findings,
  and any other domain's alerts about an enterprise (dismissed false alarms left out);
* this domain's penalty cases — the decision, and a payment past due on a case not closed;
* the plans ledger — rectification items made from the enterprise's alerts, past their deadline.

Complaints (信访投诉) add theirs with :func:`register_collector` (kind ``complaints.verified``)
without this module naming that domain; the alert a verified complaint publishes (so the grade
follows at once) is then left to that collector, not counted twice.

Records already forgiven by an approved credit repair (信用修复) are left out: a repair covers the
records its evaluation rested on, up to that evaluation's day; a newer occurrence counts again.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Final

import polars as pl
from sqlalchemy import select

from ecogov.enforcement.models import CreditEvaluation, CreditPoint, CreditRepair, PenaltyCase
from ecogov.engine.enforcement.credit import EVIDENCE_SCHEMA
from ecogov.plans import service as plans
from ecogov.plans.alerts import item_link
from ecogov.platform import alerts
from ecogov.platform.db import Database
from ecogov.platform.scope import Principal
from ecogov.standards.enforcement.credit import EvidenceMapping, map_evidence
from ecogov.standards.timebase import BEIJING

__all__ = [
    "COLLECTORS",
    "Collector",
    "EvidenceQuery",
    "EvidenceRecord",
    "collect",
    "frame",
    "record_kind",
    "register_collector",
    "url_of",
]

PERIOD_DAYS: Final = 365
"""The evaluation period ending on the day of evaluation (one year, as the annual national
rating; a design default)."""
EPOCH: Final = datetime(2000, 1, 1, tzinfo=BEIJING)
"""Earlier than any alert: rectification items of old alerts may still be overdue."""


@dataclass(frozen=True)
class EvidenceQuery:
    """Whose records, dated within [start, end] (Beijing days)."""

    enterprise_ids: tuple[int, ...]
    start: date
    end: date

    @classmethod
    def year_to(cls, enterprise_ids: Sequence[int], on: date) -> EvidenceQuery:
        """The records of the :data:`PERIOD_DAYS` days ending on ``on``."""
        return cls(tuple(enterprise_ids), on - timedelta(days=PERIOD_DAYS - 1), on)


@dataclass(frozen=True)
class EvidenceRecord:
    """One record an enterprise's grade or risk may rest on."""

    enterprise_id: int
    kind: str
    """What it is, matched by the rules' evidence mappings (``hj212.exceedance``, ``waste.m1``,
    ``enforcement.penalty`` …)."""
    ref: str
    """``alert:12``, ``case:3``, ``rectification:5``: a point of a grade is traced to it."""
    url: str
    on: date
    count: float
    title: str


Collector = Callable[[Database, Principal, EvidenceQuery], list[EvidenceRecord]]
"""(database, principal, query) → the records of the query's enterprises in its period."""

_OWNED_KINDS: set[str] = set()
"""Alert kinds a registered collector reports from their own records (not as alerts)."""

_LINKS: dict[str, Callable[[str], str | None]] = {
    "alert": lambda ref: f"/alerts/{ref.split(':', 1)[1]}",
    "case": lambda ref: f"/enforcement/cases/{ref.split(':', 1)[1]}",
    "rectification": item_link,
}


def url_of(ref: str) -> str | None:
    """The page of the record ``ref`` (None for a reference no collector links)."""
    link = _LINKS.get(ref.split(":", 1)[0])
    return link(ref) if link is not None and ":" in ref else None


def _bounds(query: EvidenceQuery) -> tuple[datetime, datetime]:
    start = datetime.combine(query.start, time.min, BEIJING)
    return start, datetime.combine(query.end + timedelta(days=1), time.min, BEIJING)


def _day(moment: datetime) -> date:
    return moment.astimezone(BEIJING).date()


def record_kind(alert: alerts.AlertView) -> str:
    """The evidence kind of an alert: its kind, and the check that found it when it has one
    (``hj212.finding:missing``), so rules can tell an offline device from falsified data."""
    check = alert.evidence.get("check")
    return f"{alert.kind}:{check}" if isinstance(check, str) and check else alert.kind


def alert_records(db: Database, principal: Principal, query: EvidenceQuery) -> list[EvidenceRecord]:
    """The enterprises' alerts of the period, one record each counting its occurrences (not
    those of a kind a registered collector reports from its own records)."""
    start, end = _bounds(query)
    return [
        EvidenceRecord(
            alert.enterprise_id,
            record_kind(alert),
            f"alert:{alert.id}",
            f"/alerts/{alert.id}",
            min(_day(alert.window_end), query.end),
            float(alert.occurrences),
            alert.title,
        )
        for alert in alerts.of_enterprises(db, principal, query.enterprise_ids, start, end)
        if alert.enterprise_id is not None and alert.kind not in _OWNED_KINDS
    ]


def penalty_records(
    db: Database, principal: Principal, query: EvidenceQuery
) -> list[EvidenceRecord]:
    """Penalty decisions of the period (dated the decision day) and, for a decided case not
    closed whose payment is past due by the period's end, its non-execution."""
    records: list[EvidenceRecord] = []
    with db.transaction(principal) as session:
        cases = session.scalars(
            select(PenaltyCase)
            .where(
                PenaltyCase.enterprise_id.in_(query.enterprise_ids),
                PenaltyCase.decided_on.is_not(None),
            )
            .order_by(PenaltyCase.id)
        ).all()
        for case in cases:
            owner, decided, due = case.enterprise_id, case.decided_on, case.payment_due
            assert owner is not None
            assert decided is not None
            ref, url = f"case:{case.id}", f"/enforcement/cases/{case.id}"
            title = f"{case.case_no} {case.title}"
            if query.start <= decided <= query.end:
                records.append(
                    EvidenceRecord(owner, "enforcement.penalty", ref, url, decided, 1.0, title)
                )
            if due is not None and case.state != "closed" and query.start <= due < query.end:
                kind = "enforcement.penalty_unexecuted"
                records.append(
                    EvidenceRecord(owner, kind, ref, url, due, 1.0, f"{title}（逾期未缴纳）")
                )
    return records


def rectification_records(
    db: Database, principal: Principal, query: EvidenceQuery
) -> list[EvidenceRecord]:
    """Rectification items made from the enterprises' alerts (any time before the period's
    end), past their deadline within the period and not closed, dated their deadline."""
    _, end = _bounds(query)
    made = alerts.of_enterprises(db, principal, query.enterprise_ids, EPOCH, end)
    owner = {f"alert:{a.id}": a.enterprise_id for a in made if a.enterprise_id is not None}
    return [
        EvidenceRecord(
            owner[item.origin_ref],
            "plans.rectification_overdue",
            f"rectification:{item.id}",
            item_link(f"rectification:{item.id}") or "",
            item.deadline,
            1.0,
            item.problem,
        )
        for item in plans.overdue_items(db, principal, sorted(owner), query.end)
        if query.start <= item.deadline and item.origin_ref in owner
    ]


COLLECTORS: list[Collector] = [alert_records, penalty_records, rectification_records]
"""The collectors the grade and the risk score read (another domain appends its own)."""


def register_collector(
    collector: Collector,
    prefix: str,
    link: Callable[[str], str | None],
    alert_kinds: Sequence[str] = (),
) -> None:
    """Add a collector whose records are referenced ``<prefix>:<id>`` and linked by ``link``
    (the seam for the complaints domain's verified complaints). ``alert_kinds``: the alerts its
    domain publishes about the same records (to wake the credit listener); the alerts collector
    leaves them out."""
    if collector not in COLLECTORS:
        COLLECTORS.append(collector)
    _LINKS[prefix] = link
    _OWNED_KINDS.update(alert_kinds)


def _repaired(db: Database, principal: Principal, query: EvidenceQuery) -> dict[str, date]:
    """References forgiven by an approved repair, and the day up to which they are."""
    with db.transaction(principal) as session:
        rows = session.execute(
            select(CreditPoint.evidence_ref, CreditEvaluation.evaluated_on)
            .join(CreditEvaluation, CreditEvaluation.id == CreditPoint.evaluation_id)
            .join(CreditRepair, CreditRepair.evaluation_id == CreditEvaluation.id)
            .where(
                CreditRepair.state == "approved",
                CreditEvaluation.enterprise_id.in_(query.enterprise_ids),
            )
        ).all()
    forgiven: dict[str, date] = {}
    for ref, day in rows:
        forgiven[ref] = max(day, forgiven.get(ref, day))
    return forgiven


def collect(db: Database, principal: Principal, query: EvidenceQuery) -> list[EvidenceRecord]:
    """Every collector's records of the query, less those an approved repair forgave."""
    if not query.enterprise_ids:
        return []
    forgiven = _repaired(db, principal, query)
    return [
        record
        for collector in COLLECTORS
        for record in collector(db, principal, query)
        if record.ref not in forgiven or record.on > forgiven[record.ref]
    ]


def frame(
    records: Sequence[EvidenceRecord], mappings: tuple[EvidenceMapping, ...], *, risk: bool = False
) -> pl.DataFrame:
    """The records in the engine's evidence layout (:data:`EVIDENCE_SCHEMA`): ``indicator`` is
    the credit indicator the rules map each kind to, or its risk kind when ``risk``; records no
    mapping (or no risk kind) takes are left out; ``source`` is the record's kind."""
    rows = []
    for record in records:
        mapping = map_evidence(mappings, record.kind)
        target = None if mapping is None else (mapping.risk_kind if risk else mapping.indicator)
        if target:
            rows.append(
                (str(record.enterprise_id), target, record.on, record.count, record.ref,
                 record.kind)
            )  # fmt: skip
    return pl.DataFrame(rows, schema=EVIDENCE_SCHEMA, orient="row")
