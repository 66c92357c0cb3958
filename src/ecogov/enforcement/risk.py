"""Risk scores for off-site targeting (非现场执法; issue 16 item 5) from the platform's evidence.

The score of a directory object is the engine's (:func:`ecogov.engine.enforcement.risk.
risk_scores`): per risk kind ``weight × min(events, cap)`` over the records of
:mod:`ecogov.enforcement.evidence` the rules map to that kind, plus the points of its credit grade.
It is written into the directory (``risk_score``), where the draw's reserved top-risk share reads
it (``draw.reserved_share``) and the top-risk list ranks it; an enterprise's page explains it
(which records, how many points).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

import polars as pl
from sqlalchemy import select

from ecogov.enforcement.access import RISK_SCORES
from ecogov.enforcement.evidence import EvidenceQuery, EvidenceRecord, collect, frame, url_of
from ecogov.enforcement.files import configured_rules
from ecogov.enforcement.models import InspectionObject
from ecogov.engine.enforcement.risk import risk_scores
from ecogov.platform.clock import today as clock_today
from ecogov.platform.db import Database
from ecogov.platform.errors import NotFound
from ecogov.platform.permissions import authorize
from ecogov.platform.scope import SYSTEM, Principal, region_prefix
from ecogov.standards.enforcement.draw import UNRATED
from ecogov.standards.enforcement.rules import NATIONAL_RULES, RuleSet

__all__ = ["Explanation", "RiskItem", "RiskRow", "explain", "score", "top", "write_scores"]


def score(
    records: Sequence[EvidenceRecord],
    grades: Mapping[int, str | None],
    rules: RuleSet = NATIONAL_RULES,
) -> pl.DataFrame:
    """The engine's explained scores of the enterprises ``grades`` names (enterprise id →
    credit grade) from ``records``: one row per enterprise and kind (``explained``)."""
    objects = pl.DataFrame(
        [(str(e), "", g or UNRATED) for e, g in grades.items()],
        schema={"enterprise_id": pl.String, "region": pl.String, "grade": pl.String},
        orient="row",
    )
    evidence = frame(records, rules.credit.evidence, risk=True)
    return risk_scores(objects, evidence, rules.targeting).explained


def write_scores(
    db: Database,
    records: Sequence[EvidenceRecord],
    grades: Mapping[int, str | None],
    rules: RuleSet = NATIONAL_RULES,
) -> dict[int, float]:
    """Compute and write the risk scores of the enterprises of ``grades`` into the directory
    (audited as the system); returns them."""
    explained = score(records, grades, rules)
    totals = {int(e): 0.0 for e in grades}
    for row in explained.iter_rows(named=True):
        totals[int(row["enterprise_id"])] += float(row["points"])
    with db.transaction(SYSTEM, action="enforcement.risk.refresh") as session:
        for target in session.scalars(
            select(InspectionObject).where(InspectionObject.enterprise_id.in_(list(totals)))
        ):
            assert target.enterprise_id is not None
            new = round(totals[target.enterprise_id], 6)
            if target.risk_score != new:
                target.risk_score = new
    return totals


@dataclass(frozen=True)
class RiskItem:
    """One line of an explained score: the kind, its events, points and the records."""

    kind: str
    name_zh: str
    events: float
    points: float
    records: tuple[tuple[str, str | None], ...]
    """(reference, URL of its page)"""


@dataclass(frozen=True)
class Explanation:
    """An enterprise's risk score today and what makes it up."""

    enterprise_id: int
    name: str
    grade: str | None
    score: float
    items: tuple[RiskItem, ...]
    start: date
    end: date


def explain(db: Database, principal: Principal, enterprise_id: int) -> Explanation:
    """Why an enterprise of the directory has its risk score: computed now from the records of
    the last year the principal may read (officers and leaders of its region)."""
    authorize(principal, "read", RISK_SCORES)
    with db.transaction(principal) as session:
        target = session.scalar(
            select(InspectionObject).where(InspectionObject.enterprise_id == enterprise_id)
        )
        if target is None:
            raise NotFound(f"名录库中没有企业 {enterprise_id}（not in the directory）")
        authorize(principal, "read", RISK_SCORES, target)
        name, grade = target.name, target.credit_grade
    query = EvidenceQuery.year_to([enterprise_id], clock_today())
    rules = configured_rules()
    explained = score(collect(db, principal, query), {enterprise_id: grade}, rules)
    names = {w.kind: w.name_zh for w in rules.targeting.weights}
    items = tuple(
        RiskItem(
            row["kind"],
            names.get(row["kind"], "信用等级"),
            float(row["events"]),
            float(row["points"]),
            tuple((ref, url_of(ref)) for ref in row["evidence_ids"]),
        )
        for row in explained.sort("points", descending=True).iter_rows(named=True)
    )
    total = round(sum(i.points for i in items), 6)
    return Explanation(enterprise_id, name, grade, total, items, query.start, query.end)


@dataclass(frozen=True)
class RiskRow:
    """A line of the top-risk list (重点监管对象清单)."""

    rank: int
    enterprise_id: int
    name: str
    region_code: str
    category: str
    grade: str | None
    score: float


def top(db: Database, principal: Principal, region_code: str, limit: int = 50) -> list[RiskRow]:
    """The region's directory ranked by the risk score written into it (highest first, ties
    by enterprise id); objects never scored are left out."""
    authorize(principal, "read", RISK_SCORES, region_code)
    with db.transaction(principal) as session:
        rows = session.scalars(
            select(InspectionObject)
            .where(
                InspectionObject.active,
                InspectionObject.risk_score.is_not(None),
                InspectionObject.region_code.startswith(region_prefix(region_code)),
            )
            .order_by(InspectionObject.risk_score.desc(), InspectionObject.enterprise_id)
            .limit(limit)
        ).all()
        return [
            RiskRow(
                rank,
                o.enterprise_id or 0,
                o.name,
                o.region_code,
                o.category,
                o.credit_grade,
                o.risk_score or 0.0,
            )
            for rank, o in enumerate(rows, start=1)
        ]
