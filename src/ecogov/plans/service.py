"""Plans logic: committing reviewed drafts, moving tasks and rectification items through their
workflows (and which moves a user may make now), sign-offs, evidence, escalating what is overdue.
Reading ledgers is :mod:`ecogov.plans.queries`; the scorecard :mod:`ecogov.plans.scorecard`."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Final

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from ecogov.plans.access import PLANS
from ecogov.plans.importer import PlanDraft
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
from ecogov.plans.workflow import (
    DEFAULT_ESCALATION_DAYS,
    ESCALATION_STEPS,
    RECTIFICATION,
    REQUIRED_SIGNOFFS,
    TASK,
    Actor,
    Machine,
    check_move,
    due_moves,
)
from ecogov.platform import alerts
from ecogov.platform.db import Database
from ecogov.platform.errors import Conflict, InputError, NotFound, PermissionDenied
from ecogov.platform.i18n import Catalogue, both, register
from ecogov.platform.models import utcnow
from ecogov.platform.params import check_region_code
from ecogov.platform.permissions import authorize
from ecogov.platform.scope import SYSTEM, Principal, region_prefix
from ecogov.platform.uploads import base_name

ERRORS: Final[Catalogue] = {
    "plans.error.date": (
        "日期 {text!r} 应为 YYYY、YYYY-MM 或 YYYY-MM-DD",
        "date {text!r} is not YYYY, YYYY-MM or YYYY-MM-DD",
    ),
    "plans.error.plan_title": ("规划须有标题", "a plan needs a title"),
    "plans.error.backwards": (
        "规划期 {start}–{end} 起止颠倒",
        "plan period {start}–{end} runs backwards",
    ),
    "plans.error.subject": ("未知的办理对象 {subject!r}", "unknown subject {subject!r}"),
    "plans.error.no_item": ("{subject} {id} 不存在", "{subject} {id} does not exist"),
    "plans.error.report_text": ("进展报告须有文字说明", "a progress report needs text"),
    "plans.error.file_too_large": ("{name}：超过 {limit} MB", "{name}: larger than {limit} MB"),
    "plans.error.file_empty": ("{name}：文件为空", "{name}: empty file"),
    "plans.error.no_evidence_file": ("佐证材料 {id} 不存在", "evidence file {id} does not exist"),
    "plans.error.item_field": (
        "整改事项须填写{label}",
        "a rectification item needs its {label_en}",
    ),
    "plans.error.origin": (
        "来源 {origin!r} 应为以下之一：{allowed}",
        "origin {origin!r} is not one of {allowed}",
    ),
    "plans.error.escalation_ints": (
        "督办天数 {text!r} 应为逗号分隔的整数",
        "escalation days {text!r} must be comma-separated integers",
    ),
    "plans.error.escalation_rising": (
        "督办天数 {text!r} 应为 {count} 个递增的数（第 2–6 级）",
        "escalation days {text!r} must be {count} rising numbers (steps 2–6)",
    ),
}
register(ERRORS)

MAX_EVIDENCE_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class EvidenceFile:
    """An uploaded evidence file."""

    filename: str
    content_type: str
    content: bytes


def _unit(session: Session, region_code: str, name: str, cache: dict[str, Unit]) -> Unit:
    """The unit called ``name`` in ``region_code``, created on first use."""
    clean = " ".join(name.split())
    if clean in cache:
        return cache[clean]
    unit = session.scalar(select(Unit).where(Unit.region_code == region_code, Unit.name == clean))
    if unit is None:
        unit = Unit(region_code=region_code, name=clean)
        session.add(unit)
    cache[clean] = unit
    return unit


@dataclass(frozen=True)
class PlanMeta:
    """What a reviewer adds to a parsed draft before committing it."""

    region_code: str
    start_year: int
    end_year: int
    issuer: str | None = None
    source_name: str | None = None
    source_text: str | None = None


def period_date(text: str | None, *, end: bool) -> date | None:
    """A date from an ISO date of any precision (``2022``, ``2022-06``, ``2022-06-15``): the
    period's last day when ``end`` (a deadline), else its first day."""
    if not text:
        return None
    parts = text.split("-")
    try:
        year = int(parts[0])
        if len(parts) == 1:
            return date(year, 12, 31) if end else date(year, 1, 1)
        first = date(year, int(parts[1]), 1)
        if len(parts) == 2:
            if not end:
                return first
            following = date(year + first.month // 12, first.month % 12 + 1, 1)
            return following - timedelta(days=1)
        return first.replace(day=int(parts[2]))
    except ValueError:
        raise InputError(both("plans.error.date", text=text)) from None


def commit_plan(db: Database, principal: Principal, draft: PlanDraft, meta: PlanMeta) -> int:
    """Store a reviewed plan with its targets, tasks (and their units) and key projects.

    Tasks without a deadline are due at the end of the plan period.
    """
    with db.transaction(principal, action="plans.commit") as session:
        return add_plan(session, draft, meta).id


def add_plan(session: Session, draft: PlanDraft, meta: PlanMeta) -> Plan:
    """:func:`commit_plan` inside a transaction the caller holds (a draft's commit)."""
    title = (draft.title or "").strip()
    if not title:
        raise InputError(both("plans.error.plan_title"))
    if meta.start_year > meta.end_year:
        raise InputError(both("plans.error.backwards", start=meta.start_year, end=meta.end_year))
    region = meta.region_code
    plan = Plan(
        title=title,
        issuer=meta.issuer,
        region_code=region,
        start_year=meta.start_year,
        end_year=meta.end_year,
        source_name=meta.source_name,
        source_text=meta.source_text,
    )
    session.add(plan)
    session.flush()
    units: dict[str, Unit] = {}
    for section in draft.sections:
        for item in section.tasks:
            task = Task(
                plan_id=plan.id,
                region_code=region,
                number=item.number,
                text=item.text,
                section=section.title,
                start=period_date(item.start, end=False),
                due=period_date(item.due, end=True) or date(meta.end_year, 12, 31),
                status=TASK.initial,
            )
            task.units = [
                TaskUnit(region_code=region, unit=_unit(session, region, name, units), role=role)
                for role, names in (("lead", item.lead_units), ("co", item.co_units))
                for name in names
            ]
            session.add(task)
    for target in draft.targets:
        session.add(
            Target(
                plan_id=plan.id,
                region_code=region,
                indicator=target.indicator,
                comparator=target.comparator,
                value=target.value,
                unit=target.unit,
                year=target.year or meta.end_year,
                scope_text=target.scope,
                text=target.text,
            )
        )
    for project in draft.projects:
        session.add(
            KeyProject(
                plan_id=plan.id,
                region_code=region,
                number=project.number,
                name=project.name,
                content=project.content,
                units="、".join(project.units),
                start_year=project.start_year,
                end_year=project.end_year,
            )
        )
    session.flush()
    return plan


# --- workflows ---------------------------------------------------------------------------------

SUBJECTS: dict[str, tuple[Machine, type[Task | RectificationItem]]] = {
    "task": (TASK, Task),
    "rectification": (RECTIFICATION, RectificationItem),
}


def _paused(machine: Machine) -> tuple[str, ...]:
    overdue = machine.move("mark_overdue")
    return tuple(s for s in machine.states if s not in overdue.sources | {overdue.target})


PAUSED: dict[str, tuple[str, ...]] = {name: _paused(m) for name, (m, _) in SUBJECTS.items()}
"""States in which an item past its deadline is not overdue (its table's overdue clock does not
run there and it is not overdue): done, or waiting for the level above to check it."""


def load_subject(session: Session, subject: str, subject_id: int) -> Task | RectificationItem:
    """The task or rectification item ``subject_id`` (NotFound when absent or out of scope)."""
    if subject not in SUBJECTS:
        raise InputError(both("plans.error.subject", subject=subject))
    item = session.get(SUBJECTS[subject][1], subject_id)
    if not isinstance(item, Task | RectificationItem):
        raise NotFound(both("plans.error.no_item", subject=subject, id=subject_id))
    return item


def _has_evidence(session: Session, subject: str, subject_id: int) -> bool:
    count = session.scalar(
        select(func.count(Evidence.id))
        .join(ProgressReport, ProgressReport.id == Evidence.report_id)
        .where(ProgressReport.subject == subject, ProgressReport.subject_id == subject_id)
    )
    return bool(count)


def _closure_requester(session: Session, subject: str, subject_id: int) -> str | None:
    return session.scalar(
        select(WorkflowEvent.actor)
        .where(
            WorkflowEvent.subject == subject,
            WorkflowEvent.subject_id == subject_id,
            WorkflowEvent.to_state == "closure_requested",
        )
        .order_by(WorkflowEvent.id.desc())
        .limit(1)
    )


def _record_move(
    session: Session,
    principal: Principal,
    subject: str,
    item: Task | RectificationItem,
    target: str,
    note: str | None,
) -> None:
    session.add(
        WorkflowEvent(
            region_code=item.region_code,
            subject=subject,
            subject_id=item.id,
            from_state=item.status,
            to_state=target,
            actor=principal.username,
            actor_role=str(principal.role),
            note=note,
        )
    )
    was_closed = item.status == "closed"
    item.status = target
    item.closed_at = utcnow() if target == "closed" else None
    if subject == "rectification" and was_closed != (target == "closed"):
        alerts.settle(session, f"rectification:{item.id}", closed=target == "closed")


def add_report(
    db: Database,
    principal: Principal,
    subject: str,
    subject_id: int,
    text: str,
    files: Sequence[EvidenceFile] = (),
) -> int:
    """A progress report (进展情况) with evidence files, by the officers doing the work."""
    authorize(principal, "create", PLANS)
    with db.transaction(principal, action=f"plans.{subject}.report") as session:
        item = load_subject(session, subject, subject_id)
        return add_report_to(session, principal, subject, item, text, files)


def add_report_to(
    session: Session,
    principal: Principal,
    subject: str,
    item: Task | RectificationItem,
    text: str,
    files: Sequence[EvidenceFile] = (),
) -> int:
    """:func:`add_report` on an item already loaded in the caller's transaction."""
    if not text.strip():
        raise InputError(both("plans.error.report_text"))
    for file in files:
        if len(file.content) > MAX_EVIDENCE_BYTES:
            raise InputError(
                both(
                    "plans.error.file_too_large",
                    name=file.filename,
                    limit=MAX_EVIDENCE_BYTES // 2**20,
                )
            )
        if not file.content:
            raise InputError(both("plans.error.file_empty", name=file.filename))
    if item.status == "closed":
        title = SUBJECTS[subject][0].title[0]
        raise Conflict(
            f"该{title}已销号，请先重新打开再提交进展"
            f"（{subject} {item.id} is closed: reopen it first）"
        )
    report = ProgressReport(
        region_code=item.region_code,
        subject=subject,
        subject_id=item.id,
        author=principal.username,
        text=text.strip(),
    )
    session.add(report)
    session.flush()
    for file in files:
        session.add(
            Evidence(
                region_code=item.region_code,
                report_id=report.id,
                filename=base_name(file.filename, "evidence"),
                content_type=file.content_type,
                size=len(file.content),
                sha256=hashlib.sha256(file.content).hexdigest(),
                content=file.content,
            )
        )
    return report.id


def act(
    db: Database,
    principal: Principal,
    subject: str,
    subject_id: int,
    action: str,
    note: str | None = None,
) -> str:
    """Make the workflow move ``action`` on a task or rectification item; returns the new state.

    Refused (Conflict / PermissionDenied, with the reason) when the state machine does not allow
    it from the current state, the principal may not make it, or its evidence or note is missing.
    Sign-offs go through :func:`sign_off`.
    """
    authorize(principal, "advance", PLANS)
    machine = SUBJECTS[subject][0] if subject in SUBJECTS else None
    if machine is None:
        raise InputError(both("plans.error.subject", subject=subject))
    if machine.move(action).actor == Actor.SIGNER:
        raise Conflict(
            f"“{machine.move_name(action)}”须经两人双签字销号，请使用“签字”"
            f"（'{action}' happens by two sign-offs: use sign-off）"
        )
    with db.transaction(principal, action=f"plans.{subject}.{action}") as session:
        item = load_subject(session, subject, subject_id)
        move = check_move(
            machine,
            action,
            item.status,
            principal,
            item.region_code,
            has_evidence=_has_evidence(session, subject, item.id),
            note=note,
            closure_requested_by=_closure_requester(session, subject, item.id),
        )
        _record_move(session, principal, subject, item, move.target, note)
        return move.target


def sign_off(db: Database, principal: Principal, item_id: int) -> str:
    """Sign a verified rectification item off; the second sign-off from a different role closes
    it (验收销号). Returns the item's state afterwards."""
    authorize(principal, "sign", PLANS)
    with db.transaction(principal, action="plans.rectification.sign_off") as session:
        item = load_subject(session, "rectification", item_id)
        roles = _check_sign_off(session, principal, item)
        session.add(
            SignOff(
                region_code=item.region_code,
                item_id=item.id,
                signer=principal.username,
                role=str(principal.role),
            )
        )
        if len(roles) + 1 >= REQUIRED_SIGNOFFS:
            _record_move(session, principal, "rectification", item, "closed", "双签字销号")
        return item.status


def _check_sign_off(
    session: Session, principal: Principal, item: Task | RectificationItem
) -> set[str]:
    """The roles that signed ``item`` so far, if ``principal`` may add a sign-off; else a
    refusal (not verified, not a signer, or the same person or role again)."""
    check_move(
        RECTIFICATION,
        "close",
        item.status,
        principal,
        item.region_code,
        has_evidence=True,
        note=None,
        closure_requested_by=None,
    )
    roles = set(session.scalars(select(SignOff.role).where(SignOff.item_id == item.id)))
    signers = set(session.scalars(select(SignOff.signer).where(SignOff.item_id == item.id)))
    if str(principal.role) in roles or principal.username in signers:
        raise Conflict(
            "第二个签字须由不同人员、不同角色作出"
            "（the second sign-off must come from a different person and role）"
        )
    return roles


FORM_NOTE = "(asked for by the form)"


@dataclass(frozen=True)
class MoveOption:
    """A workflow move offered to a user; ``blocked`` says why it cannot be made yet."""

    name: str
    needs_note: bool
    blocked: str | None = None


def available_moves(
    session: Session, principal: Principal, subject: str, item: Task | RectificationItem
) -> list[MoveOption]:
    """The moves ``principal`` may make on ``item`` now, as the state machine's own check
    decides, plus those only missing their evidence (with the reason). The scheduler's move is
    never offered; a verified item's closing is :func:`may_sign_off`."""
    machine = SUBJECTS[subject][0]
    evidence = _has_evidence(session, subject, item.id)
    requester = _closure_requester(session, subject, item.id)
    options: list[MoveOption] = []
    for move in machine.moves:
        if move.actor in (Actor.SYSTEM, Actor.SIGNER) or item.status not in move.sources:
            continue
        try:
            check_move(
                machine,
                move.name,
                item.status,
                principal,
                item.region_code,
                has_evidence=evidence,
                note=FORM_NOTE,  # the note is typed with the move; its absence is no obstacle
                closure_requested_by=requester,
            )
        except PermissionDenied:
            continue
        except Conflict as exc:
            options.append(MoveOption(move.name, move.needs_note, str(exc)))
            continue
        options.append(MoveOption(move.name, move.needs_note))
    return options


def may_sign_off(session: Session, principal: Principal, item: RectificationItem) -> bool:
    """Whether ``principal`` may sign ``item`` off now."""
    try:
        _check_sign_off(session, principal, item)
    except (Conflict, PermissionDenied):
        return False
    return True


def evidence_file(db: Database, principal: Principal, evidence_id: int) -> EvidenceFile:
    """An evidence file to download (only within the principal's scope)."""
    authorize(principal, "read", PLANS)
    with db.transaction(principal) as session:
        evidence = session.get(Evidence, evidence_id)
        if evidence is None:
            raise NotFound(both("plans.error.no_evidence_file", id=evidence_id))
        return EvidenceFile(evidence.filename, evidence.content_type, evidence.content)


def create_item(
    db: Database,
    principal: Principal,
    *,
    region_code: str,
    problem: str,
    origin: str,
    target: str,
    measures: str,
    deadline: date,
    unit_name: str | None,
    origin_ref: str | None = None,
) -> int:
    """Register a problem as a rectification item with its four lists (建档立案)."""
    authorize(principal, "create", PLANS)
    for label, label_en, value in (
        ("问题描述", "problem", problem),
        ("整改目标", "target", target),
        ("整改措施", "measures", measures),
    ):
        if not value.strip():
            raise InputError(both("plans.error.item_field", label=label, label_en=label_en))
    if origin not in ORIGINS:
        raise InputError(both("plans.error.origin", origin=origin, allowed=", ".join(ORIGINS)))
    check_region_code(region_code, "区划代码 region_code")
    with db.transaction(principal, action="plans.rectification.create") as session:
        unit = _unit(session, region_code, unit_name, {}) if unit_name else None
        item = RectificationItem(
            region_code=region_code,
            problem=problem.strip(),
            origin=origin,
            origin_ref=origin_ref,
            target=target.strip(),
            measures=measures.strip(),
            deadline=deadline,
            unit=unit,
            status=RECTIFICATION.initial,
        )
        session.add(item)
        session.flush()
        return item.id


ORIGINS = ("inspection", "complaint", "alert", "target", "other")
"""Where a rectification item comes from: inspection feedback (督察反馈), complaint (信访投诉),
an alert of any subsystem (预警), an off-track target (目标预警), or other."""


# --- escalation --------------------------------------------------------------------------------


def _thresholds(text: str) -> tuple[int, ...]:
    try:
        days = tuple(int(part) for part in text.split(",") if part.strip())
    except ValueError:
        raise InputError(both("plans.error.escalation_ints", text=text)) from None
    if len(days) != len(ESCALATION_STEPS) - 1 or list(days) != sorted(days):
        raise InputError(
            both("plans.error.escalation_rising", text=text, count=len(ESCALATION_STEPS) - 1)
        )
    return days


def escalation_step(days_overdue: int, thresholds: Sequence[int]) -> int:
    """The step (1–6) an item reaches after ``days_overdue`` days (step 1: assigned)."""
    return 1 + sum(1 for limit in thresholds if days_overdue >= limit)


def notified_region(region_code: str, step: int) -> str:
    """Who hears of a step: the level above for steps 2–4, two levels above for 5–6
    (capped at the province)."""
    prefix = region_prefix(region_code)
    levels_up = 1 if step <= 4 else 2
    for _ in range(levels_up):
        if len(prefix) == 6:
            prefix = prefix[:4]
        elif len(prefix) == 4:
            prefix = prefix[:2]
    return prefix.ljust(6, "0")


def escalate(db: Database, today: date) -> list[str]:
    """Mark open items past their deadline overdue and raise their escalation step; each new step
    gets an escalation record and a notification to the level above. Idempotent per day."""
    messages: list[str] = []
    with db.transaction(SYSTEM, action="plans.escalate") as session:
        tasks = session.scalars(
            select(Task)
            .options(selectinload(Task.plan))
            .where(Task.due < today, Task.status.not_in(PAUSED["task"]))
        ).all()
        for task in tasks:
            thresholds = _thresholds(task.plan.escalation_days)
            messages += _escalate_one(session, "task", task, task.due, today, thresholds)
        items = session.scalars(
            select(RectificationItem).where(
                RectificationItem.deadline < today,
                RectificationItem.status.not_in(PAUSED["rectification"]),
            )
        ).all()
        for item in items:
            messages += _escalate_one(
                session, "rectification", item, item.deadline, today, DEFAULT_ESCALATION_DAYS
            )
    return messages


def _escalate_one(
    session: Session,
    subject: str,
    item: Task | RectificationItem,
    due: date | None,
    today: date,
    thresholds: Sequence[int],
) -> list[str]:
    assert due is not None
    machine = SUBJECTS[subject][0]
    for timed in due_moves(machine, [item], today, state_of=lambda i: str(i.status)):
        note = f"已超过完成时限 {due.isoformat()}，系统标记逾期"
        _record_move(session, SYSTEM, subject, item, timed.move.target, note)
    days = (today - due).days
    step = escalation_step(days, thresholds)
    messages = []
    while item.escalation_step < step:
        item.escalation_step = max(item.escalation_step + 1, 2)
        name = ESCALATION_STEPS[item.escalation_step - 1]
        region = notified_region(item.region_code, item.escalation_step)
        session.add(
            Escalation(
                region_code=item.region_code,
                subject=subject,
                subject_id=item.id,
                step=item.escalation_step,
                step_name=name,
                days_overdue=days,
                notified_region=region,
            )
        )
        text = f"{name}：{machine.title[0]} {item.id} 已逾期 {days} 天（{item.region_code}）"
        session.add(
            Notification(region_code=region, message=text, link=f"/plans/{subject}/{item.id}")
        )
        messages.append(text)
    return messages


# --- reading ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class OverdueItem:
    """A rectification item past its deadline and not closed: what it came from (its
    ``origin_ref``, e.g. ``alert:12``), its deadline and state."""

    id: int
    origin_ref: str
    problem: str
    deadline: date
    status: str


def overdue_items(
    db: Database, principal: Principal, origin_refs: Sequence[str], as_of: date
) -> list[OverdueItem]:
    """The items made from ``origin_refs`` whose deadline passed before ``as_of`` and that are
    not closed (the evidence of a credit rating: 整改逾期), by deadline."""
    authorize(principal, "read", PLANS)
    if not origin_refs:
        return []
    with db.transaction(principal) as session:
        rows = session.scalars(
            select(RectificationItem)
            .where(
                RectificationItem.origin_ref.in_(list(origin_refs)),
                RectificationItem.deadline < as_of,
                RectificationItem.status != "closed",
            )
            .order_by(RectificationItem.deadline, RectificationItem.id)
        )
        return [
            OverdueItem(i.id, i.origin_ref or "", i.problem, i.deadline, i.status) for i in rows
        ]
