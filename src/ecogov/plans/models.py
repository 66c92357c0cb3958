"""Plans, targets, tasks, key projects, units and rectification items (规划、目标、任务、整改).

Every row belongs to a region (GB/T 2260), so officers see the plans, tasks and problems of their
region and below. Workflow state lives in ``status`` columns whose allowed moves are the tables in
``ecogov.plans.workflow``; every move is also an ``WorkflowEvent`` row (and, like every change, an
audit-log entry).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Date,
    Float,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ecogov.plans.workflow import DEFAULT_ESCALATION_DAYS
from ecogov.platform.models import Base, IdMixin, RegionScoped, UTCDateTime, utcnow


class Unit(IdMixin, RegionScoped, Base):
    """An organisation that leads or helps with tasks (单位: 市环保局, 市治水办 …)."""

    __tablename__ = "plan_unit"
    __table_args__ = (UniqueConstraint("region_code", "name", name="uq_plan_unit_region_name"),)

    name: Mapped[str] = mapped_column(String(128))


class Plan(IdMixin, RegionScoped, Base):
    """A published plan (规划/工作要点/方案) held as data."""

    __tablename__ = "plan"

    title: Mapped[str] = mapped_column(String(256))
    issuer: Mapped[str | None] = mapped_column(String(128))
    start_year: Mapped[int] = mapped_column(Integer)
    end_year: Mapped[int] = mapped_column(Integer)
    source_name: Mapped[str | None] = mapped_column(String(256))
    source_text: Mapped[str | None] = mapped_column(Text)
    escalation_days: Mapped[str] = mapped_column(
        String(64), default=",".join(str(days) for days in DEFAULT_ESCALATION_DAYS)
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    targets: Mapped[list[Target]] = relationship(back_populates="plan", order_by="Target.id")
    tasks: Mapped[list[Task]] = relationship(back_populates="plan", order_by="Task.id")


class Target(IdMixin, RegionScoped, Base):
    """A quantitative target (目标指标): indicator, comparator, value, unit, deadline year.

    ``indicator`` is None for a sentence nobody has bound to an indicator yet (text target).
    ``region_code`` is the region the indicator is computed for.
    """

    __tablename__ = "plan_target"

    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    indicator: Mapped[str | None] = mapped_column(String(64), index=True)
    comparator: Mapped[str | None] = mapped_column(String(2))
    value: Mapped[float | None] = mapped_column(Float)
    unit: Mapped[str | None] = mapped_column(String(16))
    year: Mapped[int | None] = mapped_column(Integer)
    scope_text: Mapped[str | None] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text)

    plan: Mapped[Plan] = relationship(back_populates="targets")


class Task(IdMixin, RegionScoped, Base):
    """A numbered task (重点任务) with its lead and co-units and time frame."""

    __tablename__ = "plan_task"

    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    number: Mapped[str] = mapped_column(String(32))
    section: Mapped[str | None] = mapped_column(String(256))
    text: Mapped[str] = mapped_column(Text)
    start: Mapped[date | None] = mapped_column(Date)
    due: Mapped[date | None] = mapped_column(Date, index=True)
    status: Mapped[str] = mapped_column(String(24), default="assigned", index=True)
    escalation_step: Mapped[int] = mapped_column(Integer, default=0)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    plan: Mapped[Plan] = relationship(back_populates="tasks")
    units: Mapped[list[TaskUnit]] = relationship(
        back_populates="task", cascade="all, delete-orphan", order_by="TaskUnit.id"
    )


class TaskUnit(IdMixin, RegionScoped, Base):
    """A unit's part in a task: ``lead`` (牵头单位) or ``co`` (配合单位)."""

    __tablename__ = "plan_task_unit"

    task_id: Mapped[int] = mapped_column(ForeignKey("plan_task.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("plan_unit.id"), index=True)
    role: Mapped[str] = mapped_column(String(8))

    task: Mapped[Task] = relationship(back_populates="units")
    unit: Mapped[Unit] = relationship()


class KeyProject(IdMixin, RegionScoped, Base):
    """A key project (重点工程) with its responsible units and start/finish years."""

    __tablename__ = "plan_project"

    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    number: Mapped[str | None] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(256))
    content: Mapped[str | None] = mapped_column(Text)
    units: Mapped[str | None] = mapped_column(String(512))
    start_year: Mapped[int | None] = mapped_column(Integer)
    end_year: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(24), default="planned")


class RectificationItem(IdMixin, RegionScoped, Base):
    """A problem tracked to closure through the four lists (四张清单): target, measures,
    deadline, responsible unit; closed (销号) only after verification and two sign-offs."""

    __tablename__ = "rectification_item"
    __leader_writes__ = frozenset({"update"})  # the second sign-off closes the item

    problem: Mapped[str] = mapped_column(Text)
    origin: Mapped[str] = mapped_column(String(24))
    origin_ref: Mapped[str | None] = mapped_column(String(128))
    target: Mapped[str] = mapped_column(Text)
    measures: Mapped[str] = mapped_column(Text)
    deadline: Mapped[date] = mapped_column(Date, index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("plan_unit.id"))
    status: Mapped[str] = mapped_column(String(24), default="assigned", index=True)
    escalation_step: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    unit: Mapped[Unit | None] = relationship()


class ProgressReport(IdMixin, RegionScoped, Base):
    """A progress report (进展情况) on a task or rectification item, with evidence files."""

    __tablename__ = "plan_report"

    subject: Mapped[str] = mapped_column(String(16))  # "task" or "rectification"
    subject_id: Mapped[int] = mapped_column(Integer, index=True)
    author: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Evidence(IdMixin, RegionScoped, Base):
    """An evidence file (佐证材料) attached to a progress report; kept in the database."""

    __tablename__ = "plan_evidence"

    report_id: Mapped[int] = mapped_column(
        ForeignKey("plan_report.id", ondelete="CASCADE"), index=True
    )
    filename: Mapped[str] = mapped_column(String(256))
    content_type: Mapped[str] = mapped_column(String(128))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary)


class WorkflowEvent(IdMixin, RegionScoped, Base):
    """One state change of a task or rectification item: who moved it, from, to, why."""

    __tablename__ = "plan_event"
    __leader_writes__ = frozenset({"insert"})

    subject: Mapped[str] = mapped_column(String(16))
    subject_id: Mapped[int] = mapped_column(Integer, index=True)
    from_state: Mapped[str] = mapped_column(String(24))
    to_state: Mapped[str] = mapped_column(String(24))
    actor: Mapped[str] = mapped_column(String(64))
    actor_role: Mapped[str] = mapped_column(String(32))
    note: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class SignOff(IdMixin, RegionScoped, Base):
    """A sign-off (签字) on a verified rectification item; two from different roles close it."""

    __tablename__ = "rectification_signoff"
    __leader_writes__ = frozenset({"insert"})
    __table_args__ = (
        UniqueConstraint("item_id", "role", name="uq_rectification_signoff_item_role"),
    )

    item_id: Mapped[int] = mapped_column(
        ForeignKey("rectification_item.id", ondelete="CASCADE"), index=True
    )
    signer: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(32))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Escalation(IdMixin, RegionScoped, Base):
    """A step of the escalation ladder (六步法) reached by an overdue task or item."""

    __tablename__ = "plan_escalation"

    subject: Mapped[str] = mapped_column(String(16))
    subject_id: Mapped[int] = mapped_column(Integer, index=True)
    step: Mapped[int] = mapped_column(Integer)
    step_name: Mapped[str] = mapped_column(String(16))
    days_overdue: Mapped[int] = mapped_column(Integer)
    notified_region: Mapped[str] = mapped_column(String(6))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Notification(IdMixin, RegionScoped, Base):
    """A message to the officers of a region (the next level up, for escalations)."""

    __tablename__ = "notification"

    message: Mapped[str] = mapped_column(Text)
    link: Mapped[str | None] = mapped_column(String(256))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ManualIndicatorValue(IdMixin, RegionScoped, Base):
    """A value of a manually reported indicator (e.g. soil safe-use rate) with its evidence."""

    __tablename__ = "indicator_manual_value"
    __table_args__ = (
        UniqueConstraint(
            "indicator", "region_code", "year", name="uq_indicator_manual_value_indicator"
        ),
    )

    indicator: Mapped[str] = mapped_column(String(64))
    year: Mapped[int] = mapped_column(Integer)
    value: Mapped[float] = mapped_column(Float)
    reported_by: Mapped[str] = mapped_column(String(64))
    evidence: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class PlanDraftRecord(IdMixin, RegionScoped, Base):
    """An uploaded plan under review (规划草稿): its text, the parsed draft as JSON (the
    :class:`~ecogov.plans.importer.PlanDraft` contract) and the period the reviewer set.

    ``status`` is ``review`` until the draft is committed, then ``committed`` with ``plan_id``.
    """

    __tablename__ = "plan_draft"

    title: Mapped[str | None] = mapped_column(String(256))
    source_name: Mapped[str | None] = mapped_column(String(256))
    source_text: Mapped[str] = mapped_column(Text)
    draft_json: Mapped[str] = mapped_column(Text)
    start_year: Mapped[int] = mapped_column(Integer)
    end_year: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16), default="review", index=True)
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("plan.id", ondelete="SET NULL"))
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
