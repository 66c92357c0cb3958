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
from ecogov.platform.permissions import authorize
from ecogov.platform.scope import Principal
from ecogov.platform.uploads import base_name
from ecogov.regions.service import get_region

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

    The period is read from the title (``（2018-2022）``), else ``year``, else this year;
    ``year`` also ends the period when given.
    """
    authorize(principal, "create", PLANS)
    if len(text) > MAX_TEXT_CHARS:
        raise InputError(f"the plan text is longer than {MAX_TEXT_CHARS} characters")
    region = get_region(db, principal, region_code)
    try:
        draft = parse_plan(text, year=year, region=region.name)
    except EmptyDocument as exc:
        raise InputError(f"{source_name or 'the pasted text'}: {exc}") from exc
    start, end = title_period(draft.title) or (year or today.year,) * 2
    end = year or end
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
        raise NotFound(f"plan draft {draft_id} does not exist")
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
        raise InputError("title: a plan needs a title")
    if not 1949 <= start_year <= end_year <= 2100:
        raise InputError(f"period {start_year}–{end_year}: years in order between 1949 and 2100")
    for index, target in enumerate(draft.targets, start=1):
        where = f"target {index}"
        if target.indicator is not None and not INDICATOR_KEY.match(target.indicator):
            raise InputError(f"{where}: indicator {target.indicator!r} is not a key like air.x")
        if target.comparator is not None and target.comparator not in COMPARATORS:
            raise InputError(f"{where}: comparator {target.comparator!r} is not >=, <= or =")
        if target.indicator and (target.comparator is None or target.value is None):
            raise InputError(f"{where}: a bound target needs a comparator and a value")
        if target.year is not None and not 1949 <= target.year <= 2100:
            raise InputError(f"{where}: year {target.year} is out of range")
    for section in draft.sections:
        for task in section.tasks:
            for label, value in (("start", task.start), ("due", task.due)):
                try:
                    service.period_date(value, end=label == "due")
                except InputError as exc:
                    raise InputError(f"task {task.number}: {label}: {exc}") from None


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
            raise Conflict(f"plan draft {draft_id} is {record.status}: it can no longer change")
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
            raise Conflict(f"plan draft {draft_id} is already {record.status}")
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
        raise InputError(f"expected {len(draft.targets)} targets, got {len(edits)}: reload")
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
        raise InputError(f"the draft has no section {section_index + 1}")
    section = draft.sections[section_index]
    if len(edits) != len(section.tasks):
        raise InputError(f"expected {len(section.tasks)} tasks, got {len(edits)}: reload")
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
