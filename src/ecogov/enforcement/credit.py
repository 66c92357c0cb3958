"""Credit evaluations (企业环境信用评价) stored with every point traced to its evidence, and
credit repair (信用修复) as a workflow.

The grade is computed by the stateless engine (``ecogov enforcement credit``, rules as data);
:func:`record_evaluation` stores one result: the grade, the score, and each point with the
evidence record it rests on, so a page can say why. The new evaluation becomes the enterprise's
current one and its grade is copied to the inspection-object directory, which the draw
stratifies by (差别化抽查, GOVERNANCE.md §2.1 consequences, §2.2).

:func:`evaluate` grades enterprises of the directory from the platform's own records
(:mod:`ecogov.enforcement.evidence`) under the rules' evidence mappings, stores a new evaluation
only when the grade, score or points changed, and writes the risk scores. It runs again whenever
the evidence changes: alerts about an enterprise published or dismissed (:func:`on_alerts`, an
alerts-inbox listener), a case decided, served, executed or closed, a repair approved.

Repair: the enterprise asks (requested), an officer of its region other than the requester
approves or rejects it (four-eyes); an approved repair forgives the records the evaluation
rested on (up to its day), and the enterprise is graded again without them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Final

from sqlalchemy import select, update

from ecogov.enforcement import risk
from ecogov.enforcement.access import CREDIT_REPAIRS, ENFORCEMENT, RISK_SCORES
from ecogov.enforcement.evidence import EvidenceQuery, collect, frame, record_kind, url_of
from ecogov.enforcement.files import configured_rules
from ecogov.enforcement.models import CreditEvaluation, CreditPoint, CreditRepair, InspectionObject
from ecogov.engine.enforcement.credit import rate
from ecogov.plans.workflow import Actor
from ecogov.platform.alerts import AlertView
from ecogov.platform.clock import today as clock_today
from ecogov.platform.db import Database
from ecogov.platform.errors import InputError, NotFound
from ecogov.platform.permissions import authorize
from ecogov.platform.scope import SYSTEM, Principal, region_prefix
from ecogov.platform.statemachine import Machine, Move, check_move
from ecogov.sources.models import Enterprise
from ecogov.standards.enforcement.credit import map_evidence
from ecogov.standards.enforcement.rules import RuleSet


@dataclass(frozen=True)
class TracedPoint:
    """One point of a grade: the indicator, the points, the evidence it rests on, a veto item."""

    indicator: str
    points: float
    evidence_ref: str
    veto: bool = False

    @property
    def url(self) -> str | None:
        """The page of the evidence record (None when no collector links its kind)."""
        return url_of(self.evidence_ref)


@dataclass(frozen=True)
class Evaluation:
    """A computed grade of one enterprise under a rule set (an engine result row)."""

    enterprise_id: int
    rules: str
    grade: str
    score: float | None
    points: Sequence[TracedPoint]


def record_evaluation(db: Database, evaluation: Evaluation, on: date) -> int:
    """Store an evaluation as the enterprise's current one (the previous ones are kept as
    history) and copy its grade to the directory; returns its id. Run as the system: grades are
    computed from the platform's records, not entered."""
    if not evaluation.grade.strip():
        raise InputError("信用等级不能为空（a grade is needed）")
    with db.transaction(SYSTEM, action="enforcement.credit.evaluate") as session:
        enterprise = session.get(Enterprise, evaluation.enterprise_id)
        if enterprise is None:
            raise NotFound(f"未找到企业 {evaluation.enterprise_id}（no such enterprise）")
        session.execute(
            update(CreditEvaluation)
            .where(CreditEvaluation.enterprise_id == enterprise.enterprise_id)
            .values(current=False)
        )
        scope = {"region_code": enterprise.region_code, "enterprise_id": enterprise.enterprise_id}
        row = CreditEvaluation(
            **scope,
            rules=evaluation.rules,
            grade=evaluation.grade,
            score=evaluation.score,
            evaluated_on=on,
            current=True,
        )
        session.add(row)
        session.flush()
        for point in evaluation.points:
            session.add(
                CreditPoint(
                    **scope,
                    evaluation_id=row.id,
                    indicator=point.indicator,
                    points=point.points,
                    evidence_ref=point.evidence_ref,
                    veto=point.veto,
                )
            )
        session.execute(
            update(InspectionObject)
            .where(InspectionObject.enterprise_id == enterprise.enterprise_id)
            .values(credit_grade=evaluation.grade)
        )
        return row.id


@dataclass(frozen=True)
class GradeHistory:
    """An evaluation and its traced points, for the compliance-history page."""

    id: int
    rules: str
    grade: str
    score: float | None
    evaluated_on: date
    current: bool
    points: tuple[TracedPoint, ...]


def history(db: Database, principal: Principal, enterprise_id: int) -> list[GradeHistory]:
    """Every evaluation of an enterprise, newest first, with its points."""
    authorize(principal, "read", ENFORCEMENT)
    with db.transaction(principal) as session:
        evaluations = session.scalars(
            select(CreditEvaluation)
            .where(CreditEvaluation.enterprise_id == enterprise_id)
            .order_by(CreditEvaluation.evaluated_on.desc(), CreditEvaluation.id.desc())
        ).all()
        found = []
        for evaluation in evaluations:
            points = session.scalars(
                select(CreditPoint)
                .where(CreditPoint.evaluation_id == evaluation.id)
                .order_by(CreditPoint.id)
            ).all()
            traced = tuple(
                TracedPoint(p.indicator, p.points, p.evidence_ref, p.veto) for p in points
            )
            found.append(
                GradeHistory(
                    evaluation.id,
                    evaluation.rules,
                    evaluation.grade,
                    evaluation.score,
                    evaluation.evaluated_on,
                    evaluation.current,
                    traced,
                )
            )
        return found


# --- repair ---------------------------------------------------------------------------------------

REPAIR: Final = Machine[str](
    subject="credit_repair",
    title=("信用修复申请", "Credit repair"),
    initial="requested",
    states=("requested", "approved", "rejected"),
    moves=(
        Move("approve", frozenset({"requested"}), "approved", Actor.EXECUTOR.value, four_eyes=True),
        Move(
            "reject",
            frozenset({"requested"}),
            "rejected",
            Actor.EXECUTOR.value,
            needs_note=True,
            four_eyes=True,
        ),
    ),
    state_names={
        "requested": ("已申请", "Requested"),
        "approved": ("已修复", "Approved"),
        "rejected": ("不予修复", "Rejected"),
    },
    move_names={"approve": ("准予修复", "Approve"), "reject": ("不予修复", "Reject")},
    finals=frozenset({"approved", "rejected"}),
)
"""Credit repair: requested → approved | rejected, decided by an officer of the region who did
not ask for it."""


def request_repair(db: Database, principal: Principal, evaluation_id: int, reason: str) -> int:
    """Ask for the repair of an evaluation after rectification (the enterprise, or an officer
    on its behalf); returns the request's id."""
    if not reason.strip():
        raise InputError("信用修复申请须说明整改情况（a repair request needs its reason）")
    with db.transaction(principal, action="enforcement.credit.repair.request") as session:
        evaluation = session.get(CreditEvaluation, evaluation_id)
        if evaluation is None:
            raise NotFound(f"未找到信用评价 {evaluation_id}（no evaluation {evaluation_id}）")
        authorize(principal, "create", CREDIT_REPAIRS, evaluation)
        row = CreditRepair(
            region_code=evaluation.region_code,
            enterprise_id=evaluation.enterprise_id,
            evaluation_id=evaluation.id,
            reason=reason.strip(),
            requested_by=principal.username,
        )
        session.add(row)
        session.flush()
        return row.id


def decide_repair(
    db: Database, principal: Principal, repair_id: int, action: str, note: str | None = None
) -> str:
    """Approve or reject a repair request (on :data:`REPAIR`); returns its new state."""
    authorize(principal, "advance", CREDIT_REPAIRS)
    with db.transaction(principal, action=f"enforcement.credit.repair.{action}") as session:
        repair = session.get(CreditRepair, repair_id)
        if repair is None:
            raise NotFound(f"未找到信用修复申请 {repair_id}（no repair request {repair_id}）")
        move = check_move(
            REPAIR,
            action,
            repair.state,
            principal,
            repair.region_code,
            note=note,
            requested_by=repair.requested_by,
        )
        repair.state = move.target
        repair.decided_by = principal.username
        repair.note = note
        enterprise_id = repair.enterprise_id
    if move.target == "approved" and enterprise_id is not None:
        evaluate(db, [enterprise_id])
    return move.target


# --- grading from the platform's records ----------------------------------------------------------


def _current_points(evaluation: CreditEvaluation | None, points: Iterable[CreditPoint]) -> object:
    if evaluation is None:
        return None
    traced = sorted((p.indicator, round(p.points, 6), p.evidence_ref, p.veto) for p in points)
    return (evaluation.rules, evaluation.grade, evaluation.score, traced)


@dataclass(frozen=True)
class Graded:
    """What a grading run did: each enterprise's grade, and those given a new evaluation."""

    grades: dict[int, str]
    changed: tuple[int, ...]


def evaluate(
    db: Database,
    enterprise_ids: Iterable[int],
    on: date | None = None,
    rules: RuleSet | None = None,
) -> Graded:
    """Grade the enterprises of the directory among ``enterprise_ids`` from the platform's records
    of the year ending ``on`` (today) under ``rules`` (the configured ones,
    :func:`~ecogov.enforcement.files.configured_rules`) and write their risk scores.
    A new evaluation is recorded (audited, the previous kept as history) only when the grade,
    score or traced points differ from the current one. Runs as the system."""
    day = on or clock_today()
    rules = rules or configured_rules()
    with db.transaction(SYSTEM) as session:
        graded = sorted(
            e
            for e in session.scalars(
                select(InspectionObject.enterprise_id).where(
                    InspectionObject.enterprise_id.in_(list(set(enterprise_ids)))
                )
            )
            if e is not None
        )
    if not graded:
        return Graded({}, ())
    query = EvidenceQuery.year_to(graded, day)
    records = collect(db, SYSTEM, query)
    method = rules.credit
    result = rate(
        frame(records, method.evidence),
        method,
        start=query.start,
        end=query.end,
        enterprises=[str(e) for e in graded],
    )
    traces: dict[int, list[TracedPoint]] = {}
    # Every record is kept, also one that found its indicator's points already gone (0): the
    # evaluation shows all it saw, and a repair forgives all of it.
    for row in result.trace.iter_rows(named=True):
        traces.setdefault(int(row["enterprise_id"]), []).append(
            TracedPoint(
                row["indicator"], -float(row["deducted"]), row["evidence_id"], row["kind"] == "veto"
            )
        )
    grades: dict[int, str] = {}
    changed: list[int] = []
    for row in result.grades.iter_rows(named=True):
        enterprise_id = int(row["enterprise_id"])
        points = traces.get(enterprise_id, [])
        evaluation = Evaluation(enterprise_id, method.name[:64], row["grade"], row["score"], points)
        grades[enterprise_id] = evaluation.grade
        if _changed(db, evaluation):
            record_evaluation(db, evaluation, day)
            changed.append(enterprise_id)
    risk.write_scores(db, records, dict(grades), rules)
    return Graded(grades, tuple(changed))


def _changed(db: Database, evaluation: Evaluation) -> bool:
    with db.transaction(SYSTEM) as session:
        current = session.scalar(
            select(CreditEvaluation).where(
                CreditEvaluation.enterprise_id == evaluation.enterprise_id,
                CreditEvaluation.current,
            )
        )
        points: Iterable[CreditPoint] = (
            session.scalars(select(CreditPoint).where(CreditPoint.evaluation_id == current.id))
            if current is not None
            else []
        )
        before = _current_points(current, points)
    traced = sorted(
        (p.indicator, round(p.points, 6), p.evidence_ref, p.veto) for p in evaluation.points
    )
    return before != (evaluation.rules, evaluation.grade, evaluation.score, traced)


def on_alerts(db: Database, published: Sequence[AlertView]) -> None:
    """The alerts-inbox listener: alerts about enterprises that count as credit evidence were
    published or dismissed, so those enterprises are graded again."""
    mappings = configured_rules().credit.evidence
    touched = {
        a.enterprise_id
        for a in published
        if a.enterprise_id is not None and map_evidence(mappings, record_kind(a)) is not None
    }
    if touched:
        evaluate(db, touched)


def evaluate_region(db: Database, principal: Principal, region_code: str | None = None) -> Graded:
    """Grade every active enterprise of a region's directory (all regions the principal may
    update without one) and write their risk scores; the evaluations are recorded as the
    system. An officer asks from the top-risk page; ``ecogov enforcement regrade`` runs it
    daily, so what only time changes (a rectification item past its deadline, a payment past
    due) reaches the grade. Idempotent: with no change of evidence it records nothing new."""
    authorize(principal, "update", RISK_SCORES, region_code)
    with db.transaction(principal) as session:
        rows = select(InspectionObject.enterprise_id).where(InspectionObject.active)
        if region_code is not None:
            rows = rows.where(InspectionObject.region_code.startswith(region_prefix(region_code)))
        ids = [e for e in session.scalars(rows) if e is not None]
    return evaluate(db, ids)
