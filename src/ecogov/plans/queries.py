"""Reading plans, tasks and rectification items (台账): ledgers with filters, an item with its
history and the moves the reader may make, and what the command centre counts.

Every function reads as the given principal, so the scope guard limits rows to the user's region
and below; enterprises and the public are refused (the ``plans.plan`` row of the permission table).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Final

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, selectinload

from ecogov.plans.access import PLANS
from ecogov.plans.models import (
    Escalation,
    Evidence,
    KeyProject,
    Notification,
    Plan,
    ProgressReport,
    RectificationItem,
    SignOff,
    Target,
    Task,
    TaskUnit,
    Unit,
    WorkflowEvent,
)
from ecogov.plans.service import (
    PAUSED,
    MoveOption,
    available_moves,
    load_subject,
    may_sign_off,
)
from ecogov.plans.workflow import RECTIFICATION, TASK
from ecogov.platform.db import Database
from ecogov.platform.errors import InputError, NotFound
from ecogov.platform.i18n import Catalogue, both, register
from ecogov.platform.permissions import authorize
from ecogov.platform.scope import Principal, region_prefix

ERRORS: Final[Catalogue] = {
    "plans.error.status": (
        "状态 {status!r} 应为以下之一：{allowed}",
        "status {status!r} is not one of {allowed}",
    ),
}
register(ERRORS)

LEDGER_LIMIT: Final = 2000
"""At most this many rows per ledger page; filters narrow it down."""


# --- plans -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanSummary:
    """A plan with the counts a list shows."""

    id: int
    title: str
    region_code: str
    issuer: str | None
    start_year: int
    end_year: int
    tasks: int
    closed: int
    overdue: int
    targets: int


@dataclass(frozen=True)
class ProjectView:
    """A key project (重点工程)."""

    number: str | None
    name: str
    content: str | None
    units: str | None
    start_year: int | None
    end_year: int | None
    status: str


def _counts(session: Session, plan_ids: Sequence[int], today: date) -> dict[int, list[int]]:
    """Per plan: [tasks, closed, overdue]."""
    counts: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])
    rows = session.execute(
        select(Task.plan_id, Task.status, Task.due).where(Task.plan_id.in_(plan_ids))
    ).all()
    for plan_id, status, due in rows:
        entry = counts[plan_id]
        entry[0] += 1
        entry[1] += status == "closed"
        entry[2] += is_overdue("task", status, due, today)
    return counts


def _summaries(session: Session, plans: Sequence[Plan], today: date) -> list[PlanSummary]:
    ids = [plan.id for plan in plans]
    counts = _counts(session, ids, today)
    targets: dict[int, int] = dict(
        session.execute(
            select(Target.plan_id, func.count())
            .where(Target.plan_id.in_(ids))
            .group_by(Target.plan_id)
        ).all()
    )
    return [
        PlanSummary(
            id=p.id,
            title=p.title,
            region_code=p.region_code,
            issuer=p.issuer,
            start_year=p.start_year,
            end_year=p.end_year,
            tasks=counts[p.id][0],
            closed=counts[p.id][1],
            overdue=counts[p.id][2],
            targets=targets.get(p.id, 0),
        )
        for p in plans
    ]


def list_plans(
    db: Database, principal: Principal, region_code: str | None, today: date
) -> list[PlanSummary]:
    """Plans of a region and the regions below it (all plans in scope when None)."""
    authorize(principal, "read", PLANS)
    with db.transaction(principal) as session:
        stmt = select(Plan).order_by(Plan.region_code, Plan.id)
        if region_code:
            stmt = stmt.where(Plan.region_code.startswith(region_prefix(region_code)))
        return _summaries(session, session.scalars(stmt).all(), today)


def get_plan(db: Database, principal: Principal, plan_id: int, today: date) -> PlanSummary:
    """One plan with its counts."""
    authorize(principal, "read", PLANS)
    with db.transaction(principal) as session:
        plan = session.get(Plan, plan_id)
        if plan is None:
            raise NotFound(both("plans.error.no_plan", id=plan_id))
        return _summaries(session, [plan], today)[0]


def plan_projects(db: Database, principal: Principal, plan_id: int) -> list[ProjectView]:
    """The key projects of a plan."""
    authorize(principal, "read", PLANS)
    with db.transaction(principal) as session:
        rows = session.scalars(
            select(KeyProject).where(KeyProject.plan_id == plan_id).order_by(KeyProject.id)
        ).all()
        return [
            ProjectView(p.number, p.name, p.content, p.units, p.start_year, p.end_year, p.status)
            for p in rows
        ]


# --- tasks -------------------------------------------------------------------------------------


def is_overdue(subject: str, status: str, due: date | None, today: date) -> bool:
    """Past its deadline and neither done nor waiting for the level above to check it."""
    return due is not None and due < today and status not in PAUSED[subject]


@dataclass(frozen=True)
class TaskFilter:
    """Filters of the task ledger: plan, lead unit (牵头单位), status, due dates (inclusive),
    region (and below)."""

    plan: int | None = None
    unit: str | None = None
    status: str | None = None
    due_from: date | None = None
    due_to: date | None = None
    region: str | None = None


@dataclass(frozen=True)
class TaskRow:
    """A line of the task ledger (任务台账)."""

    id: int
    plan_id: int
    plan_title: str
    region_code: str
    number: str
    section: str | None
    text: str
    lead_units: tuple[str, ...]
    co_units: tuple[str, ...]
    start: date | None
    due: date | None
    status: str
    escalation_step: int
    closed_at: datetime | None
    progress: str | None

    def overdue(self, today: date) -> bool:
        """Whether the task is overdue on ``today``."""
        return is_overdue("task", self.status, self.due, today)

    def overdue_days(self, today: date) -> int | None:
        """Days past the deadline on ``today`` (逾期天数), None when not overdue."""
        if self.due is None or not self.overdue(today):
            return None
        return (today - self.due).days


def latest_progress(session: Session, subject: str, ids: Sequence[int]) -> dict[int, str]:
    """The text of the newest progress report of each item."""
    newest = (
        select(func.max(ProgressReport.id))
        .where(ProgressReport.subject == subject, ProgressReport.subject_id.in_(ids))
        .group_by(ProgressReport.subject_id)
    )
    rows = session.execute(
        select(ProgressReport.subject_id, ProgressReport.text).where(ProgressReport.id.in_(newest))
    ).all()
    return dict(rows)


def _task_rows(session: Session, tasks: Sequence[Task]) -> list[TaskRow]:
    progress = latest_progress(session, "task", [task.id for task in tasks])
    return [
        TaskRow(
            id=task.id,
            plan_id=task.plan_id,
            plan_title=task.plan.title,
            region_code=task.region_code,
            number=task.number,
            section=task.section,
            text=task.text,
            lead_units=tuple(u.unit.name for u in task.units if u.role == "lead"),
            co_units=tuple(u.unit.name for u in task.units if u.role == "co"),
            start=task.start,
            due=task.due,
            status=task.status,
            escalation_step=task.escalation_step,
            closed_at=task.closed_at,
            progress=progress.get(task.id),
        )
        for task in tasks
    ]


def _task_query(flt: TaskFilter) -> Select[Task]:
    """The ledger's SELECT for a filter."""
    if flt.status and flt.status not in TASK.states:
        raise InputError(
            both("plans.error.status", status=flt.status, allowed=", ".join(TASK.states))
        )
    stmt = (
        select(Task)
        .options(
            selectinload(Task.plan),
            selectinload(Task.units).selectinload(TaskUnit.unit),
        )
        .order_by(Task.plan_id, Task.id)
    )
    if flt.plan is not None:
        stmt = stmt.where(Task.plan_id == flt.plan)
    if flt.region:
        stmt = stmt.where(Task.region_code.startswith(region_prefix(flt.region)))
    if flt.status:
        stmt = stmt.where(Task.status == flt.status)
    if flt.due_from:
        stmt = stmt.where(Task.due >= flt.due_from)
    if flt.due_to:
        stmt = stmt.where(Task.due <= flt.due_to)
    if flt.unit:
        led = (
            select(TaskUnit.task_id)
            .join(Unit)
            .where(TaskUnit.role == "lead", Unit.name == flt.unit.strip())
        )
        stmt = stmt.where(Task.id.in_(led))
    return stmt


def task_ledger(db: Database, principal: Principal, flt: TaskFilter) -> list[TaskRow]:
    """Tasks matching the filter, in plan and document order."""
    authorize(principal, "read", PLANS)
    with db.transaction(principal) as session:
        tasks = session.scalars(_task_query(flt).limit(LEDGER_LIMIT)).all()
        return _task_rows(session, tasks)


def unit_names(db: Database, principal: Principal, region_code: str | None) -> list[str]:
    """Names of the units leading tasks in a region and below (the ledger's unit filter)."""
    authorize(principal, "read", PLANS)
    with db.transaction(principal) as session:
        stmt = (
            select(Unit.name)
            .join(TaskUnit, TaskUnit.unit_id == Unit.id)
            .where(TaskUnit.role == "lead")
            .distinct()
            .order_by(Unit.name)
        )
        if region_code:
            stmt = stmt.where(Unit.region_code.startswith(region_prefix(region_code)))
        return list(session.scalars(stmt))


# --- one task or rectification item ------------------------------------------------------------


@dataclass(frozen=True)
class EvidenceView:
    """An evidence file's description (its content is downloaded separately)."""

    id: int
    filename: str
    content_type: str
    size: int


@dataclass(frozen=True)
class ReportView:
    """A progress report with its evidence files."""

    id: int
    at: datetime
    author: str
    text: str
    evidence: tuple[EvidenceView, ...]


@dataclass(frozen=True)
class HistoryEntry:
    """One line of an item's history: a workflow move, a report, an escalation or a sign-off."""

    at: datetime
    kind: str
    actor: str
    text: str
    from_state: str | None = None
    to_state: str | None = None


@dataclass(frozen=True)
class SignOffView:
    """A sign-off (签字) on a rectification item."""

    signer: str
    role: str
    at: datetime


@dataclass(frozen=True)
class ItemRow:
    """A line of the rectification ledger (四张清单: problem, target, measures, deadline and
    responsible unit)."""

    id: int
    region_code: str
    problem: str
    origin: str
    origin_ref: str | None
    target: str
    measures: str
    deadline: date
    unit: str | None
    status: str
    escalation_step: int
    created_at: datetime
    closed_at: datetime | None
    signoffs: tuple[SignOffView, ...]

    def overdue(self, today: date) -> bool:
        """Whether the item is overdue on ``today``."""
        return is_overdue("rectification", self.status, self.deadline, today)


@dataclass(frozen=True)
class Detail:
    """A task or rectification item with its reports, history and the reader's moves."""

    subject: str
    task: TaskRow | None
    item: ItemRow | None
    reports: tuple[ReportView, ...]
    history: tuple[HistoryEntry, ...]
    moves: tuple[MoveOption, ...]
    can_sign_off: bool


def _reports(session: Session, subject: str, subject_id: int) -> list[ReportView]:
    reports = session.scalars(
        select(ProgressReport)
        .where(ProgressReport.subject == subject, ProgressReport.subject_id == subject_id)
        .order_by(ProgressReport.id)
    ).all()
    files: dict[int, list[EvidenceView]] = defaultdict(list)
    evidence = session.execute(
        select(
            Evidence.id, Evidence.report_id, Evidence.filename, Evidence.content_type, Evidence.size
        )
        .where(Evidence.report_id.in_([r.id for r in reports]))
        .order_by(Evidence.id)
    ).all()
    for evidence_id, report_id, filename, content_type, size in evidence:
        files[report_id].append(EvidenceView(evidence_id, filename, content_type, size))
    return [ReportView(r.id, r.created_at, r.author, r.text, tuple(files[r.id])) for r in reports]


def _history(
    session: Session, subject: str, subject_id: int, reports: Iterable[ReportView]
) -> list[HistoryEntry]:
    entries = [
        HistoryEntry(e.at, "move", e.actor, e.note or "", e.from_state, e.to_state)
        for e in session.scalars(
            select(WorkflowEvent).where(
                WorkflowEvent.subject == subject, WorkflowEvent.subject_id == subject_id
            )
        )
    ]
    entries += [HistoryEntry(r.at, "report", r.author, r.text) for r in reports]
    entries += [
        HistoryEntry(
            e.at, "escalation", "system", f"{e.step_name}（{e.step}）· 逾期 {e.days_overdue} 天"
        )
        for e in session.scalars(
            select(Escalation).where(
                Escalation.subject == subject, Escalation.subject_id == subject_id
            )
        )
    ]
    if subject == "rectification":
        entries += [
            HistoryEntry(s.at, "signoff", s.signer, s.role)
            for s in session.scalars(select(SignOff).where(SignOff.item_id == subject_id))
        ]
    return sorted(entries, key=lambda entry: entry.at)


def _item_rows(session: Session, items: Sequence[RectificationItem]) -> list[ItemRow]:
    signed: dict[int, list[SignOffView]] = defaultdict(list)
    for sign in session.scalars(
        select(SignOff).where(SignOff.item_id.in_([i.id for i in items])).order_by(SignOff.id)
    ):
        signed[sign.item_id].append(SignOffView(sign.signer, sign.role, sign.at))
    return [
        ItemRow(
            id=i.id,
            region_code=i.region_code,
            problem=i.problem,
            origin=i.origin,
            origin_ref=i.origin_ref,
            target=i.target,
            measures=i.measures,
            deadline=i.deadline,
            unit=i.unit.name if i.unit else None,
            status=i.status,
            escalation_step=i.escalation_step,
            created_at=i.created_at,
            closed_at=i.closed_at,
            signoffs=tuple(signed[i.id]),
        )
        for i in items
    ]


def detail(db: Database, principal: Principal, subject: str, subject_id: int) -> Detail:
    """A task or rectification item with everything its page shows."""
    authorize(principal, "read", PLANS)
    with db.transaction(principal) as session:
        item = load_subject(session, subject, subject_id)
        reports = _reports(session, subject, item.id)
        history = _history(session, subject, item.id, reports)
        moves = available_moves(session, principal, subject, item)
        if isinstance(item, Task):
            return Detail(
                subject,
                _task_rows(session, [item])[0],
                None,
                tuple(reports),
                tuple(history),
                tuple(moves),
                can_sign_off=False,
            )
        return Detail(
            subject,
            None,
            _item_rows(session, [item])[0],
            tuple(reports),
            tuple(history),
            tuple(moves),
            can_sign_off=may_sign_off(session, principal, item),
        )


# --- rectification ledger ----------------------------------------------------------------------


@dataclass(frozen=True)
class ItemFilter:
    """Filters of the rectification ledger (``open_only``: every state but closed)."""

    status: str | None = None
    origin: str | None = None
    region: str | None = None
    open_only: bool = False


def item_ledger(db: Database, principal: Principal, flt: ItemFilter) -> list[ItemRow]:
    """Rectification items matching the filter, nearest deadline first."""
    authorize(principal, "read", PLANS)
    if flt.status and flt.status not in RECTIFICATION.states:
        raise InputError(
            both("plans.error.status", status=flt.status, allowed=", ".join(RECTIFICATION.states))
        )
    with db.transaction(principal) as session:
        stmt = (
            select(RectificationItem)
            .options(selectinload(RectificationItem.unit))
            .order_by(RectificationItem.deadline, RectificationItem.id)
        )
        if flt.status:
            stmt = stmt.where(RectificationItem.status == flt.status)
        if flt.origin:
            stmt = stmt.where(RectificationItem.origin == flt.origin)
        if flt.open_only:
            stmt = stmt.where(RectificationItem.status != "closed")
        if flt.region:
            stmt = stmt.where(RectificationItem.region_code.startswith(region_prefix(flt.region)))
        return _item_rows(session, session.scalars(stmt.limit(LEDGER_LIMIT)).all())


# --- what the command centre counts ------------------------------------------------------------


@dataclass(frozen=True)
class ItemCounts:
    """Rectification items of a region and below: open (not closed) by state, and how many of
    them are overdue on the day counted."""

    open: int
    overdue: int
    by_status: dict[str, int]


def item_counts(db: Database, principal: Principal, region_code: str, today: date) -> ItemCounts:
    """Open and overdue rectification items under ``region_code``, counted in the database."""
    authorize(principal, "read", PLANS, region_code)
    under = RectificationItem.region_code.startswith(region_prefix(region_code))
    is_open = RectificationItem.status != "closed"
    late = RectificationItem.deadline < today
    with db.transaction(principal) as session:
        rows = session.execute(
            select(
                RectificationItem.status,
                func.count(RectificationItem.id),
                func.count(RectificationItem.id).filter(late),
            )
            .where(under, is_open)
            .group_by(RectificationItem.status)
        ).all()
    by_status = {status: 0 for status in RECTIFICATION.states if status != "closed"}
    overdue = 0
    for status, count, past in rows:
        by_status[status] = count
        overdue += 0 if status in PAUSED["rectification"] else past
    return ItemCounts(sum(by_status.values()), overdue, by_status)


@dataclass(frozen=True)
class UnitOverdue:
    """A unit with its overdue tasks (as lead unit)."""

    unit: str
    region_code: str
    tasks: tuple[TaskRow, ...]


def overdue_by_unit(
    db: Database, principal: Principal, region_code: str, today: date
) -> list[UnitOverdue]:
    """Overdue tasks of a region and below, grouped by lead unit, most overdue units first;
    tasks without a lead unit are grouped under an empty unit name."""
    authorize(principal, "read", PLANS)
    with db.transaction(principal) as session:
        tasks = session.scalars(
            _task_query(TaskFilter(region=region_code)).where(
                Task.due < today, Task.status.not_in(PAUSED["task"])
            )
        ).all()
        rows = _task_rows(session, tasks)
    groups: dict[tuple[str, str], list[TaskRow]] = defaultdict(list)
    for row in rows:
        for unit in row.lead_units or ("",):
            groups[(unit, row.region_code)].append(row)
    found = [UnitOverdue(unit, region, tuple(rows)) for (unit, region), rows in groups.items()]
    return sorted(found, key=lambda group: (-len(group.tasks), group.region_code, group.unit))


@dataclass(frozen=True)
class EscalationView:
    """An escalation step reached, with the item it concerns.

    ``days_overdue`` counts the days past the deadline on the day asked about (the business
    clock's today) while the item is still overdue, and the days at the step once it is no longer
    overdue (done, or awaiting the level above); ``days_at_step`` is the count recorded when the
    step was reached.
    """

    at: datetime
    subject: str
    subject_id: int
    region_code: str
    step: int
    step_name: str
    days_overdue: int
    notified_region: str
    due: date | None
    days_at_step: int


def _deadlines(
    session: Session, rows: Sequence[Escalation]
) -> dict[tuple[str, int], tuple[date | None, str]]:
    """Deadline and status of the tasks and items escalated in ``rows``."""
    found: dict[tuple[str, int], tuple[date | None, str]] = {}
    task_ids = {e.subject_id for e in rows if e.subject == "task"}
    item_ids = {e.subject_id for e in rows if e.subject == "rectification"}
    if task_ids:
        for task_id, due, status in session.execute(
            select(Task.id, Task.due, Task.status).where(Task.id.in_(task_ids))
        ):
            found[("task", task_id)] = (due, status)
    if item_ids:
        for item_id, due, status in session.execute(
            select(
                RectificationItem.id, RectificationItem.deadline, RectificationItem.status
            ).where(RectificationItem.id.in_(item_ids))
        ):
            found[("rectification", item_id)] = (due, status)
    return found


def escalations_since(
    db: Database, principal: Principal, region_code: str, since: datetime, today: date
) -> list[EscalationView]:
    """Escalations of items of a region and below since a moment, newest first, with the days
    overdue counted on ``today`` (the business clock's, :func:`ecogov.platform.clock.today`)."""
    authorize(principal, "read", PLANS)
    with db.transaction(principal) as session:
        rows = session.scalars(
            select(Escalation)
            .where(
                Escalation.at >= since,
                Escalation.region_code.startswith(region_prefix(region_code)),
            )
            .order_by(Escalation.at.desc(), Escalation.id.desc())
            .limit(LEDGER_LIMIT)
        ).all()
        deadlines = _deadlines(session, rows)
        views = []
        for e in rows:
            due, status = deadlines.get((e.subject, e.subject_id), (None, "closed"))
            still_overdue = due is not None and is_overdue(e.subject, status, due, today)
            views.append(
                EscalationView(
                    e.at,
                    e.subject,
                    e.subject_id,
                    e.region_code,
                    e.step,
                    e.step_name,
                    (today - due).days if due is not None and still_overdue else e.days_overdue,
                    e.notified_region,
                    due,
                    e.days_overdue,
                )
            )
        return views


@dataclass(frozen=True)
class NotificationView:
    """A message to the officers of a region."""

    id: int
    region_code: str
    message: str
    link: str | None
    created_at: datetime


def notifications(
    db: Database, principal: Principal, region_code: str, limit: int = 50
) -> list[NotificationView]:
    """The newest messages addressed to a region itself."""
    authorize(principal, "read", PLANS)
    with db.transaction(principal) as session:
        rows = session.scalars(
            select(Notification)
            .where(Notification.region_code == region_code)
            .order_by(Notification.id.desc())
            .limit(limit)
        ).all()
        return [
            NotificationView(n.id, n.region_code, n.message, n.link, n.created_at) for n in rows
        ]
