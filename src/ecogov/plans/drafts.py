"""Reviewing an uploaded plan before it becomes data (规划草稿审核): upload → edit → commit.

The uploaded text is parsed by the importer into a :class:`PlanDraft`, kept as its JSON contract
in a ``plan_draft`` row; a reviewer corrects the plan period, binds or fixes targets and sets
units and deadlines of tasks; committing stores the plan (:func:`service.add_plan`) in the same
transaction that marks the draft committed. Every step is audited (the ORM does it).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from difflib import SequenceMatcher
from typing import Final

from sqlalchemy import select
from sqlalchemy.orm import Session

from ecogov.plans import service
from ecogov.plans.access import PLANS
from ecogov.plans.importer import EmptyDocument, PlanDraft, Section, Target, parse_plan
from ecogov.plans.importer.dates import title_period
from ecogov.plans.models import PlanDraftRecord
from ecogov.plans.targets import COMPARATORS
from ecogov.platform.db import Database
from ecogov.platform.errors import Conflict, InputError, NotFound
from ecogov.platform.i18n import Catalogue, both, register
from ecogov.platform.indicators import Indicator
from ecogov.platform.permissions import authorize
from ecogov.platform.scope import Principal
from ecogov.platform.uploads import base_name
from ecogov.regions.service import get_region

ERRORS: Final[Catalogue] = {
    "plans.error.text_too_long": (
        "规划文本超过 {limit} 个字符",
        "the plan text is longer than {limit} characters",
    ),
    "plans.error.pasted_text": ("粘贴的文本", "the pasted text"),
    "plans.error.no_draft": ("规划草稿 {id} 不存在", "plan draft {id} does not exist"),
    "plans.error.no_title": ("标题：规划须有标题", "title: a plan needs a title"),
    "plans.error.period": (
        "规划期 {start}–{end}：年份须按先后顺序且在 1949 至 2100 之间",
        "period {start}–{end}: years in order between 1949 and 2100",
    ),
    "plans.error.target_indicator": (
        "第 {index} 个目标：指标 {indicator!r} 不是形如 air.x 的指标代码",
        "target {index}: indicator {indicator!r} is not a key like air.x",
    ),
    "plans.error.target_comparator": (
        "第 {index} 个目标：比较符 {comparator!r} 应为 >=、<= 或 =",
        "target {index}: comparator {comparator!r} is not >=, <= or =",
    ),
    "plans.error.target_bound": (
        "第 {index} 个目标：有约束的目标须有比较符和数值",
        "target {index}: a bound target needs a comparator and a value",
    ),
    "plans.error.target_year": (
        "第 {index} 个目标：年份 {year} 超出范围",
        "target {index}: year {year} is out of range",
    ),
    "plans.error.draft_closed": (
        "规划草稿 {id} 的状态为 {status}，已不能修改",
        "plan draft {id} is {status}: it can no longer change",
    ),
    "plans.error.draft_done": (
        "规划草稿 {id} 的状态已是 {status}",
        "plan draft {id} is already {status}",
    ),
    "plans.error.target_count": (
        "应有 {expected} 个目标，收到 {got} 个，请刷新页面",
        "expected {expected} targets, got {got}: reload",
    ),
    "plans.error.no_section": ("草稿没有第 {number} 节", "the draft has no section {number}"),
    "plans.error.task_count": (
        "应有 {expected} 项任务，收到 {got} 项，请刷新页面",
        "expected {expected} tasks, got {got}: reload",
    ),
}
register(ERRORS)

MAX_TEXT_CHARS: Final = 2_000_000
"""A plan document longer than this is refused (the longest seed is ≈ 100 000 characters)."""
INDICATOR_KEY: Final = re.compile(r"^[a-z][a-z0-9_]*\.[A-Za-z0-9_]+$")
UNIT_SEPARATORS: Final = re.compile(r"[、，,;；\n]+")


@dataclass(frozen=True)
class DraftView:
    """A draft under review (or committed) with its parsed content."""

    id: int
    region_code: str
    title: str | None
    source_name: str | None
    start_year: int
    end_year: int
    status: str
    plan_id: int | None
    created_by: str
    created_at: datetime
    draft: PlanDraft


def _view(record: PlanDraftRecord) -> DraftView:
    return DraftView(
        id=record.id,
        region_code=record.region_code,
        title=record.title,
        source_name=record.source_name,
        start_year=record.start_year,
        end_year=record.end_year,
        status=record.status,
        plan_id=record.plan_id,
        created_by=record.created_by,
        created_at=record.created_at,
        draft=PlanDraft.from_json(record.draft_json),
    )


def upload(
    db: Database,
    principal: Principal,
    *,
    region_code: str,
    text: str,
    source_name: str | None,
    year: int | None,
    today: date,
) -> int:
    """Parse an uploaded plan for a region into a draft to review; returns the draft's id.

    The period is read from the title (``（2018-2022）``; ``year`` then ends it when given),
    else it runs from ``year`` (else the earliest target deadline, else this year) to the
    latest target deadline.
    """
    authorize(principal, "create", PLANS)
    if len(text) > MAX_TEXT_CHARS:
        raise InputError(both("plans.error.text_too_long", limit=MAX_TEXT_CHARS))
    region = get_region(db, principal, region_code)
    try:
        draft = parse_plan(text, year=year, region=region.name)
    except EmptyDocument as exc:
        raise InputError(f"{source_name or both('plans.error.pasted_text')}：{exc}") from exc
    period = title_period(draft.title)
    if period:
        start, end = period[0], year or period[1]
    else:
        deadlines = [target.year for target in draft.targets if target.year is not None]
        start = year or min(deadlines, default=today.year)
        end = max([start, *deadlines])
    with db.transaction(principal, action="plans.draft.upload") as session:
        record = PlanDraftRecord(
            region_code=region.code,
            title=draft.title,
            source_name=base_name(source_name) if source_name else None,
            source_text=text,
            draft_json=draft.to_json(),
            start_year=min(start, end),
            end_year=end,
            status="review",
            created_by=principal.username,
        )
        session.add(record)
        session.flush()
        return record.id


def _record(session: Session, draft_id: int) -> PlanDraftRecord:
    record = session.get(PlanDraftRecord, draft_id)
    if record is None:
        raise NotFound(both("plans.error.no_draft", id=draft_id))
    return record


def get_draft(db: Database, principal: Principal, draft_id: int) -> DraftView:
    """One draft with its parsed content."""
    authorize(principal, "read", PLANS)
    with db.transaction(principal) as session:
        return _view(_record(session, draft_id))


def drafts_under_review(db: Database, principal: Principal) -> list[DraftView]:
    """Drafts not yet committed, newest first."""
    authorize(principal, "read", PLANS)
    with db.transaction(principal) as session:
        rows = session.scalars(
            select(PlanDraftRecord)
            .where(PlanDraftRecord.status == "review")
            .order_by(PlanDraftRecord.id.desc())
        ).all()
        return [_view(row) for row in rows]


def validate(draft: PlanDraft, start_year: int, end_year: int) -> None:
    """Refuse a draft that cannot be committed, naming the first bad field."""
    if not (draft.title or "").strip():
        raise InputError(both("plans.error.no_title"))
    if not 1949 <= start_year <= end_year <= 2100:
        raise InputError(both("plans.error.period", start=start_year, end=end_year))
    for index, target in enumerate(draft.targets, start=1):
        if target.indicator is not None and not INDICATOR_KEY.match(target.indicator):
            raise InputError(
                both("plans.error.target_indicator", index=index, indicator=target.indicator)
            )
        if target.comparator is not None and target.comparator not in COMPARATORS:
            raise InputError(
                both("plans.error.target_comparator", index=index, comparator=target.comparator)
            )
        if target.indicator and (target.comparator is None or target.value is None):
            raise InputError(both("plans.error.target_bound", index=index))
        if target.year is not None and not 1949 <= target.year <= 2100:
            raise InputError(both("plans.error.target_year", index=index, year=target.year))
    for section in draft.sections:
        for task in section.tasks:
            for label, value in (("开始时间 start", task.start), ("完成时限 due", task.due)):
                try:
                    service.period_date(value, end=label == "due")
                except InputError as exc:
                    raise InputError(f"任务 {task.number}：{label}：{exc}") from None


def save(
    db: Database,
    principal: Principal,
    draft_id: int,
    draft: PlanDraft,
    *,
    start_year: int | None = None,
    end_year: int | None = None,
) -> None:
    """Replace a draft under review with the reviewer's edited version (and period)."""
    authorize(principal, "update", PLANS)
    with db.transaction(principal, action="plans.draft.edit") as session:
        record = _record(session, draft_id)
        if record.status != "review":
            raise Conflict(both("plans.error.draft_closed", id=draft_id, status=record.status))
        start = record.start_year if start_year is None else start_year
        end = record.end_year if end_year is None else end_year
        validate(draft, start, end)
        record.title = draft.title
        record.draft_json = draft.to_json()
        record.start_year, record.end_year = start, end


def commit(db: Database, principal: Principal, draft_id: int) -> int:
    """Store a reviewed draft as a plan; returns the plan's id."""
    authorize(principal, "create", PLANS)
    with db.transaction(principal, action="plans.draft.commit") as session:
        record = _record(session, draft_id)
        if record.status != "review":
            raise Conflict(both("plans.error.draft_done", id=draft_id, status=record.status))
        draft = PlanDraft.from_json(record.draft_json)
        validate(draft, record.start_year, record.end_year)
        meta = service.PlanMeta(
            region_code=record.region_code,
            start_year=record.start_year,
            end_year=record.end_year,
            source_name=record.source_name,
            source_text=record.source_text,
        )
        plan = service.add_plan(session, draft, meta)
        record.status = "committed"
        record.plan_id = plan.id
        return plan.id


# --- edits from the review page ----------------------------------------------------------------


@dataclass(frozen=True)
class TargetEdit:
    """A reviewer's version of one target (``drop``: remove it)."""

    indicator: str | None
    comparator: str | None
    value: float | None
    unit: str | None
    year: int | None
    drop: bool = False


@dataclass(frozen=True)
class TaskEdit:
    """A reviewer's version of one task's units and dates."""

    lead_units: str
    co_units: str
    start: str | None
    due: str | None


def split_units(text: str) -> tuple[str, ...]:
    """Unit names from a list typed as 市环保局、市建设局 (or with commas or semicolons)."""
    return tuple(name.strip() for name in UNIT_SEPARATORS.split(text) if name.strip())


def with_targets(draft: PlanDraft, edits: Sequence[TargetEdit]) -> PlanDraft:
    """The draft with its targets replaced by the edited ones (one edit per target, in order)."""
    if len(edits) != len(draft.targets):
        raise InputError(
            both("plans.error.target_count", expected=len(draft.targets), got=len(edits))
        )
    kept = tuple(
        Target(
            indicator=edit.indicator or None,
            comparator=edit.comparator or None,
            value=edit.value,
            unit=edit.unit or None,
            scope=target.scope,
            year=edit.year,
            text=target.text,
        )
        for target, edit in zip(draft.targets, edits, strict=True)
        if not edit.drop
    )
    return replace(draft, targets=kept)


def with_tasks(draft: PlanDraft, section_index: int, edits: Sequence[TaskEdit]) -> PlanDraft:
    """The draft with the units and dates of one section's tasks replaced."""
    if not 0 <= section_index < len(draft.sections):
        raise InputError(both("plans.error.no_section", number=section_index + 1))
    section = draft.sections[section_index]
    if len(edits) != len(section.tasks):
        raise InputError(
            both("plans.error.task_count", expected=len(section.tasks), got=len(edits))
        )
    tasks = tuple(
        replace(
            task,
            lead_units=split_units(edit.lead_units),
            co_units=split_units(edit.co_units),
            start=edit.start or None,
            due=edit.due or None,
        )
        for task, edit in zip(section.tasks, edits, strict=True)
    )
    sections: list[Section] = list(draft.sections)
    sections[section_index] = replace(section, tasks=tasks)
    return replace(draft, sections=tuple(sections))


SUGGESTIONS: Final = 3


def suggest_indicators(
    text: str, indicators: Sequence[Indicator], limit: int = SUGGESTIONS
) -> list[Indicator]:
    """Indicators of the registry whose Chinese name is most like ``text`` (the target's
    wording), best first, for a reviewer to pick from when the importer bound none: ranked by
    the longest run of characters they share, then by ``difflib``'s similarity ratio."""

    def likeness(indicator: Indicator) -> tuple[int, float]:
        matcher = SequenceMatcher(None, text, indicator.name_zh, autojunk=False)
        longest = matcher.find_longest_match(0, len(text), 0, len(indicator.name_zh)).size
        return longest, matcher.ratio()

    ranked = sorted(indicators, key=likeness, reverse=True)
    return [indicator for indicator in ranked[:limit] if likeness(indicator)[0] >= 2]


def review_order(draft: PlanDraft) -> list[int]:
    """Indices of the draft's targets, doubtful ones (low confidence, unbound) first."""
    return sorted(
        range(len(draft.targets)),
        key=lambda i: (
            draft.targets[i].confidence != "low",
            draft.targets[i].indicator is not None,
        ),
    )
