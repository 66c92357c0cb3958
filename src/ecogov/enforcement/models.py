"""Enforcement records (执法监管): the inspection-object directory, the inspector pool, verifiable
draws and the tasks they make, inspections and their findings, penalty cases and their
documents, credit evaluations with traced points, and credit-repair requests.

Every table is region-scoped (officers see their region and below); tables about one enterprise
are also enterprise-scoped (an enterprise user sees only its own record). Rows belong to the
resource kinds of :mod:`ecogov.enforcement.access`.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Integer,
    LargeBinary,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from ecogov.platform.models import (
    Base,
    EnterpriseScoped,
    IdMixin,
    RegionScoped,
    UTCDateTime,
    utcnow,
)

CATEGORIES = ("key", "general", "special")
"""Supervision category of a directory object: 重点 / 一般 / 特殊 (GOVERNANCE.md §2.2 DR-CODE)."""
DRAW_STATUSES = ("planned", "hash_published", "drawn", "published")
"""A draw: planned → sha256(seed) published → drawn → seed and result published."""
FINDING_ACTIONS = ("none", "rectification", "case")
"""What a finding led to: nothing yet, a rectification item (alerts inbox), or a penalty case."""

RECORDS = "enforcement.records"
POOL = "enforcement.pool"
REPAIRS = "enforcement.repairs"
RISK = "enforcement.risk"


def _in(column: str, values: tuple[str, ...]) -> str:
    """SQL of a CHECK that ``column`` takes one of ``values``."""
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class InspectionObject(IdMixin, RegionScoped, EnterpriseScoped, Base):
    """An entry of the inspection-object directory (随机抽查对象名录库): an enterprise of the
    sources registry, its supervision category, and the credit grade and risk score the draw
    stratifies by (copied in when they are computed)."""

    __tablename__ = "enf_object"
    __resource_kind__ = RECORDS
    __table_args__ = (
        UniqueConstraint("enterprise_id"),
        CheckConstraint(_in("category", CATEGORIES), name="category"),
    )

    enterprise_id: Mapped[int | None] = mapped_column(
        Integer, ForeignKey("enterprise.enterprise_id"), index=True
    )
    name: Mapped[str] = mapped_column(String(128))
    industry_code: Mapped[str] = mapped_column(String(8))
    category: Mapped[str] = mapped_column(String(8))
    credit_grade: Mapped[str | None] = mapped_column(String(16))
    risk_score: Mapped[float | None] = mapped_column(Float)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Inspector(IdMixin, RegionScoped, Base):
    """An entry of the inspector pool (执法人员名录库): an enforcement officer with a law-
    enforcement certificate, optionally linked to a user account (an officer who logs in and
    sees their tasks). ``former_workplaces`` and ``conflicts`` hold enterprise ids the
    avoidance rules (回避, 处罚办法 Art. 6) keep them away from."""

    __tablename__ = "enf_inspector"
    __resource_kind__ = POOL
    __table_args__ = (UniqueConstraint("certificate_no"),)

    name: Mapped[str] = mapped_column(String(32))
    certificate_no: Mapped[str] = mapped_column(String(32))
    unit: Mapped[str] = mapped_column(String(64))
    qualifications: Mapped[list[str]] = mapped_column(JSON, default=list)
    former_workplaces: Mapped[list[int]] = mapped_column(JSON, default=list)
    conflicts: Mapped[list[int]] = mapped_column(JSON, default=list)
    user_id: Mapped[int | None] = mapped_column(Integer, index=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Draw(IdMixin, RegionScoped, Base):
    """A double-random draw (双随机): its rules (a rules-file override), the sha256 of its seed
    published before the draw, the seed revealed after it, and the result (the engine's
    document) anyone can re-run from the published directory and pool.

    ``seed`` stays secret (never shown) until ``seed_revealed_at``."""

    __tablename__ = "enf_draw"
    __resource_kind__ = RECORDS
    __table_args__ = (CheckConstraint(_in("status", DRAW_STATUSES), name="status"),)

    title: Mapped[str] = mapped_column(String(128))
    status: Mapped[str] = mapped_column(String(16), default="planned")
    rules: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    seed: Mapped[str] = mapped_column(String(128))
    seed_sha256: Mapped[str] = mapped_column(String(64))
    hash_published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    drawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    seed_revealed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    task_days: Mapped[int] = mapped_column(Integer)
    publish_days: Mapped[int] = mapped_column(Integer)
    publish_due: Mapped[date | None] = mapped_column(Date)
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    inputs: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    """The directory, pool and previous teams the draw ran on, as the published files hold
    them (``objects``, ``inspectors``: lists of rows; ``previous``: enterprise → team)."""
    created_by: Mapped[str] = mapped_column(String(64))


class InspectionTask(IdMixin, RegionScoped, EnterpriseScoped, Base):
    """An inspection task made by a draw (or by hand): an object, a pair of inspectors, a due
    date."""

    __tablename__ = "enf_task"
    __resource_kind__ = RECORDS

    draw_id: Mapped[int | None] = mapped_column(Integer, ForeignKey("enf_draw.id"), index=True)
    object_id: Mapped[int] = mapped_column(Integer, ForeignKey("enf_object.id"), index=True)
    inspector_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    due: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default="open")


class Checklist(IdMixin, Base):
    """A checklist (检查表) for an industry (GB/T 4754 code prefix, ``*`` for any) and a check
    type: its items as data, each ``{"key", "text"}``."""

    __tablename__ = "enf_checklist"
    __resource_kind__ = RECORDS
    __scope_exempt__ = True
    __table_args__ = (UniqueConstraint("industry_prefix", "check_type"),)

    industry_prefix: Mapped[str] = mapped_column(String(8))
    check_type: Mapped[str] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(String(128))
    items: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)


class Inspection(IdMixin, RegionScoped, EnterpriseScoped, Base):
    """An on-site inspection (现场检查) of a task: the checklist answers (item key → ``ok`` /
    ``problem`` / ``na``), where it was made, by whom."""

    __tablename__ = "enf_inspection"
    __resource_kind__ = RECORDS

    task_id: Mapped[int] = mapped_column(Integer, ForeignKey("enf_task.id"), index=True)
    checklist_id: Mapped[int] = mapped_column(Integer, ForeignKey("enf_checklist.id"))
    answers: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    lon: Mapped[float | None] = mapped_column(Float)
    lat: Mapped[float | None] = mapped_column(Float)
    inspected_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    recorded_by: Mapped[str] = mapped_column(String(64))
    note: Mapped[str | None] = mapped_column(Text)


class InspectionPhoto(IdMixin, RegionScoped, EnterpriseScoped, Base):
    """A photo taken during an inspection (name as uploaded, content and its sha256)."""

    __tablename__ = "enf_photo"
    __resource_kind__ = RECORDS

    inspection_id: Mapped[int] = mapped_column(Integer, ForeignKey("enf_inspection.id"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(64))
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary)


class Finding(IdMixin, RegionScoped, EnterpriseScoped, Base):
    """A problem found in an inspection; ``action`` and ``ref`` say what it led to (a
    rectification item ``rectification:12`` or a case ``case:3``)."""

    __tablename__ = "enf_finding"
    __resource_kind__ = RECORDS
    __table_args__ = (CheckConstraint(_in("action", FINDING_ACTIONS), name="action"),)

    inspection_id: Mapped[int] = mapped_column(Integer, ForeignKey("enf_inspection.id"), index=True)
    item_key: Mapped[str | None] = mapped_column(String(32))
    description: Mapped[str] = mapped_column(Text)
    severity: Mapped[str] = mapped_column(String(8))
    action: Mapped[str] = mapped_column(String(16), default="none")
    ref: Mapped[str | None] = mapped_column(String(32))


class PenaltyCase(IdMixin, RegionScoped, EnterpriseScoped, Base):
    """An administrative penalty case (行政处罚案件) moving through the case machine of
    :mod:`ecogov.enforcement.cases`; the ``*_due`` dates are its statutory clocks."""

    __tablename__ = "enf_case"
    __resource_kind__ = RECORDS

    case_no: Mapped[str] = mapped_column(String(32), unique=True)
    title: Mapped[str] = mapped_column(String(256))
    state: Mapped[str] = mapped_column(String(16), default="filed")
    finding_id: Mapped[int | None] = mapped_column(Integer, ForeignKey("enf_finding.id"))
    legal_basis: Mapped[str | None] = mapped_column(Text)
    fine_yuan: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    filed_on: Mapped[date] = mapped_column(Date)
    decision_due: Mapped[date | None] = mapped_column(Date)
    decided_on: Mapped[date | None] = mapped_column(Date)
    service_due: Mapped[date | None] = mapped_column(Date)
    served_on: Mapped[date | None] = mapped_column(Date)
    payment_due: Mapped[date | None] = mapped_column(Date)
    closed_on: Mapped[date | None] = mapped_column(Date)
    published: Mapped[bool] = mapped_column(Boolean, default=False)
    filed_by: Mapped[str] = mapped_column(String(64))
    extensions: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    """How many approved extensions of the decision limit (案件办理期限延长) the case has."""
    extended_days: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    """Days those extensions added to ``decision_due``."""


class CaseEvent(IdMixin, RegionScoped, EnterpriseScoped, Base):
    """One move of a case (or a clock running out): who, from, to, why."""

    __tablename__ = "enf_case_event"
    __resource_kind__ = RECORDS

    case_id: Mapped[int] = mapped_column(Integer, ForeignKey("enf_case.id"), index=True)
    move: Mapped[str] = mapped_column(String(32))
    from_state: Mapped[str] = mapped_column(String(16))
    to_state: Mapped[str] = mapped_column(String(16))
    actor: Mapped[str] = mapped_column(String(64))
    note: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class DailyPenalty(IdMixin, RegionScoped, EnterpriseScoped, Base):
    """The daily continuous penalty (按日连续处罚) decided on a case: the original fine, the
    re-inspection rounds (``[{"order_served", "violation_found"}]`` as ISO dates) and what
    :func:`ecogov.standards.enforcement.penalty.daily_penalty` computed from them."""

    __tablename__ = "enf_daily_penalty"
    __resource_kind__ = RECORDS

    case_id: Mapped[int] = mapped_column(Integer, ForeignKey("enf_case.id"), index=True)
    """One per case: recording again corrects it (:func:`ecogov.enforcement.cases.
    record_daily_penalty`)."""
    original_fine_yuan: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    rounds: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    discharge_stopped: Mapped[bool] = mapped_column(Boolean, default=False)
    days: Mapped[int] = mapped_column(Integer)
    amount_yuan: Mapped[Decimal] = mapped_column(Numeric(16, 2))
    basis: Mapped[str] = mapped_column(Text)
    recorded_by: Mapped[str] = mapped_column(String(64))


class CaseDocument(IdMixin, RegionScoped, EnterpriseScoped, Base):
    """A document of a case (立案审批表, 询问笔录, 告知书, 处罚决定书, 送达回证 …)."""

    __tablename__ = "enf_case_document"
    __resource_kind__ = RECORDS

    case_id: Mapped[int] = mapped_column(Integer, ForeignKey("enf_case.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(64))
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    added_by: Mapped[str] = mapped_column(String(64))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class CreditEvaluation(IdMixin, RegionScoped, EnterpriseScoped, Base):
    """An enterprise's credit grade (企业环境信用评价) as computed by a rule set on a day."""

    __tablename__ = "enf_credit"
    __resource_kind__ = RECORDS

    rules: Mapped[str] = mapped_column(String(64))
    grade: Mapped[str] = mapped_column(String(16))
    score: Mapped[float | None] = mapped_column(Float)
    evaluated_on: Mapped[date] = mapped_column(Date)
    current: Mapped[bool] = mapped_column(Boolean, default=True)


class CreditPoint(IdMixin, RegionScoped, EnterpriseScoped, Base):
    """One traced point of an evaluation: the indicator, the points it moved, and the evidence
    record it rests on (``case:3``, ``finding:7``, ``hj212.exceedance:12`` …)."""

    __tablename__ = "enf_credit_point"
    __resource_kind__ = RECORDS

    evaluation_id: Mapped[int] = mapped_column(Integer, ForeignKey("enf_credit.id"), index=True)
    indicator: Mapped[str] = mapped_column(String(64))
    points: Mapped[float] = mapped_column(Float)
    evidence_ref: Mapped[str] = mapped_column(String(64))
    veto: Mapped[bool] = mapped_column(Boolean, default=False)


class CreditRepair(IdMixin, RegionScoped, EnterpriseScoped, Base):
    """A credit-repair request (信用修复): the enterprise asks after rectification; officers
    review it on the repair machine of :mod:`ecogov.enforcement.credit`."""

    __tablename__ = "enf_credit_repair"
    __resource_kind__ = REPAIRS

    evaluation_id: Mapped[int] = mapped_column(Integer, ForeignKey("enf_credit.id"), index=True)
    state: Mapped[str] = mapped_column(String(16), default="requested")
    reason: Mapped[str] = mapped_column(Text)
    requested_by: Mapped[str] = mapped_column(String(64))
    decided_by: Mapped[str | None] = mapped_column(String(64))
    note: Mapped[str | None] = mapped_column(Text)
