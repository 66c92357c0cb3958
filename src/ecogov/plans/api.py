"""Plans JSON API under ``/api/v1/plans``: plans and their targets with status, the task and
rectification ledgers, workflow actions, progress reports with evidence, sign-offs, drafts under
review, the unit scorecard, escalations, notifications and indicators.

Every endpoint needs a login; enterprises and the public get 403, and the scope guard limits
every read and write to the caller's region and below.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import datetime, timedelta
from typing import Annotated, Any, Final

from fastapi import APIRouter, Depends, File, Form, Query, UploadFile
from pydantic import BaseModel

from ecogov.plans import drafts, indicators, queries, scorecard, service, tracking
from ecogov.plans.access import PLANS
from ecogov.plans.importer import PlanDraft
from ecogov.platform import clock
from ecogov.platform.db import Database
from ecogov.platform.errors import InputError
from ecogov.platform.http import get_database, require_user
from ecogov.platform.i18n import Catalogue, both, register
from ecogov.platform.indicators import registry
from ecogov.platform.params import (
    Day,
    IdPath,
    IdQuery,
    OptionalRegionQuery,
    OptionalYearQuery,
    RegionField,
    RegionQuery,
    YearField,
)
from ecogov.platform.permissions import authorize
from ecogov.platform.scope import Principal
from ecogov.standards.timebase import BEIJING

ERRORS: Final[Catalogue] = {
    "plans.error.notifications_region": (
        "请指定要查看督办通知的区域",
        "name the region whose notifications to read",
    ),
}
register(ERRORS)

Db = Annotated[Database, Depends(get_database)]
User = Annotated[Principal, Depends(require_user)]
SUBJECT_PATHS = {"tasks": "task", "rectifications": "rectification"}


class ActionIn(BaseModel):
    """A workflow move's note (required by reject_closure and reopen)."""

    note: str | None = None


class ItemIn(BaseModel):
    """A new rectification item with its four lists (四张清单)."""

    region_code: RegionField
    problem: str
    origin: str
    origin_ref: str | None = None
    target: str
    measures: str
    deadline: Day
    unit: str | None = None


class ManualValueIn(BaseModel):
    """A value of a manually reported indicator with its evidence."""

    indicator: str
    region_code: RegionField
    year: YearField
    value: float
    evidence: str


class DraftIn(BaseModel):
    """A plan's text to parse into a draft for a region."""

    region_code: RegionField
    text: str
    source_name: str | None = None
    year: YearField | None = None


class DraftEdit(BaseModel):
    """A reviewed draft (the importer's JSON contract) and its period."""

    draft: dict[str, Any]
    start_year: YearField | None = None
    end_year: YearField | None = None


def task_filter(
    plan: IdQuery = None,
    unit: str | None = None,
    status: str | None = None,
    due_from: Annotated[Day | None, Query()] = None,
    due_to: Annotated[Day | None, Query()] = None,
    region: OptionalRegionQuery = None,
) -> queries.TaskFilter:
    """The task ledger's filter from the query string, with typed bounds."""
    return queries.TaskFilter(plan, unit, status, due_from, due_to, region)


def item_filter(
    status: str | None = None,
    origin: str | None = None,
    region: OptionalRegionQuery = None,
    open_only: bool = False,
) -> queries.ItemFilter:
    """The rectification ledger's filter from the query string, with typed bounds."""
    return queries.ItemFilter(status, origin, region, open_only)


def evidence_files(files: list[UploadFile]) -> list[service.EvidenceFile]:
    """Uploaded files as evidence (empty file inputs of a form are skipped)."""
    found: list[service.EvidenceFile] = []
    for upload in files:
        content = upload.file.read()
        if upload.filename or content:
            found.append(
                service.EvidenceFile(
                    upload.filename or "evidence",
                    upload.content_type or "application/octet-stream",
                    content,
                )
            )
    return found


def _item_routes(api: APIRouter, path: str, subject: str) -> None:
    """Routes of one task or rectification item: detail, workflow moves, progress reports."""

    @api.get(f"/{path}/{{item_id:int}}", name=f"plans-{subject}-detail")
    def item_detail(db: Db, user: User, item_id: IdPath) -> queries.Detail:
        """The item with its reports, history and the moves the caller may make."""
        return queries.detail(db, user, subject, item_id)

    @api.post(f"/{path}/{{item_id:int}}/actions/{{action}}", name=f"plans-{subject}-act")
    def act(db: Db, user: User, item_id: IdPath, action: str, body: ActionIn) -> dict[str, str]:
        """Make a workflow move (start, request_closure, close, verify, reopen …)."""
        return {"status": service.act(db, user, subject, item_id, action, body.note)}

    @api.post(f"/{path}/{{item_id:int}}/reports", status_code=201, name=f"plans-{subject}-report")
    def report(
        db: Db,
        user: User,
        item_id: IdPath,
        text: Annotated[str, Form()],
        files: Annotated[list[UploadFile] | None, File()] = None,
    ) -> dict[str, int]:
        """A progress report (进展情况) with evidence files (multipart form)."""
        evidence = evidence_files(files or [])
        return {"id": service.add_report(db, user, subject, item_id, text, evidence)}


def router() -> APIRouter:
    """Routes under ``/api/v1/plans``."""
    api = APIRouter(prefix="/plans", tags=["plans"])

    @api.get("")
    def list_plans(
        db: Db, user: User, region: OptionalRegionQuery = None
    ) -> list[queries.PlanSummary]:
        """Plans of a region and below (every plan in scope without ``region``)."""
        return queries.list_plans(db, user, region, clock.today())

    @api.get("/indicators")
    def list_indicators(user: User) -> list[dict[str, Any]]:
        """Every indicator targets may bind to, from every domain."""
        authorize(user, "read", PLANS)
        return [
            {
                "key": i.key,
                "name_zh": i.name_zh,
                "name_en": i.name_en,
                "unit": i.unit,
                "higher_is_better": i.higher_is_better,
                "aggregation": i.aggregation.value,
                "manual": i.manual,
            }
            for i in registry().values()
        ]

    @api.get("/indicators/map")
    def indicator_map(
        db: Db,
        user: User,
        indicator: str,
        region: RegionQuery,
        year: OptionalYearQuery = None,
    ) -> list[tracking.RegionValue]:
        """An indicator's value for each subdivision of a region (this year by default)."""
        when = year or clock.today().year
        return tracking.children_values(db, user, region, indicator, when)

    @api.get("/indicators/manual")
    def manual_values(db: Db, user: User, region: RegionQuery) -> list[indicators.ManualValueView]:
        """Manually reported values of a region and below."""
        return indicators.reported_values(db, user, region)

    @api.post("/indicators/manual", status_code=201)
    def report_manual_value(db: Db, user: User, body: ManualValueIn) -> dict[str, int]:
        """Report (or correct) a manual indicator's value with its evidence."""
        value_id = indicators.report_value(
            db,
            user,
            key=body.indicator,
            region_code=body.region_code,
            year=body.year,
            value=body.value,
            evidence=body.evidence,
            today=clock.today(),
        )
        return {"id": value_id}

    @api.get("/targets")
    def region_targets(db: Db, user: User, region: RegionQuery) -> list[tracking.TargetView]:
        """Targets of a region's plans with their status, latest value, trend and projection."""
        return tracking.region_targets(db, user, region, clock.today())

    @api.get("/tasks")
    def task_ledger(
        db: Db, user: User, flt: Annotated[queries.TaskFilter, Depends(task_filter)]
    ) -> list[queries.TaskRow]:
        """The task ledger (任务台账) with filters: plan, unit, status, due range, region."""
        return queries.task_ledger(db, user, flt)

    @api.get("/rectifications")
    def item_ledger(
        db: Db, user: User, flt: Annotated[queries.ItemFilter, Depends(item_filter)]
    ) -> list[queries.ItemRow]:
        """The rectification ledger (四张清单) with filters: status, origin, region."""
        return queries.item_ledger(db, user, flt)

    @api.post("/rectifications", status_code=201)
    def create_item(db: Db, user: User, body: ItemIn) -> dict[str, int]:
        """Register a problem as a rectification item (建档立案)."""
        item_id = service.create_item(
            db,
            user,
            region_code=body.region_code,
            problem=body.problem,
            origin=body.origin,
            origin_ref=body.origin_ref,
            target=body.target,
            measures=body.measures,
            deadline=body.deadline,
            unit_name=body.unit,
        )
        return {"id": item_id}

    for path, subject in SUBJECT_PATHS.items():
        _item_routes(api, path, subject)

    @api.post("/rectifications/{item_id:int}/sign-offs")
    def sign_off(db: Db, user: User, item_id: IdPath) -> dict[str, str]:
        """Sign a verified item off; the second sign-off closes it (验收销号)."""
        return {"status": service.sign_off(db, user, item_id)}

    @api.get("/scorecard")
    def unit_scorecard(
        db: Db,
        user: User,
        region: RegionQuery,
        year: OptionalYearQuery = None,
    ) -> list[dict[str, Any]]:
        """On-time rate, closure rate and overdue count of each unit (考核)."""
        today = clock.today()
        scores = scorecard.scorecard(db, user, region, year or today.year, today)
        return [
            {**asdict(s), "on_time_rate": s.on_time_rate, "closure_rate": s.closure_rate}
            for s in scores
        ]

    @api.get("/escalations")
    def escalations(
        db: Db,
        user: User,
        region: RegionQuery,
        since: Annotated[
            Day | None, Query(description="first Beijing day; default a week ago")
        ] = None,
    ) -> list[queries.EscalationView]:
        """Escalation steps reached by items of a region and below (六步法)."""
        today = clock.today()
        first = since or today - timedelta(days=7)
        start = datetime(first.year, first.month, first.day, tzinfo=BEIJING)
        return queries.escalations_since(db, user, region, start, today)

    @api.get("/notifications")
    def notifications(
        db: Db, user: User, region: OptionalRegionQuery = None
    ) -> list[queries.NotificationView]:
        """Messages to the officers of a region (the caller's own by default)."""
        code = region or user.region_code
        if code is None:
            raise InputError(both("plans.error.notifications_region"))
        return queries.notifications(db, user, code)

    @api.post("/drafts", status_code=201)
    def upload_draft(db: Db, user: User, body: DraftIn) -> dict[str, int]:
        """Parse a plan's text into a draft to review."""
        draft_id = drafts.upload(
            db,
            user,
            region_code=body.region_code,
            text=body.text,
            source_name=body.source_name,
            year=body.year,
            today=clock.today(),
        )
        return {"id": draft_id}

    @api.get("/drafts/{draft_id:int}")
    def get_draft(db: Db, user: User, draft_id: IdPath) -> drafts.DraftView:
        """A draft with its parsed content (the importer's JSON contract under ``draft``)."""
        return drafts.get_draft(db, user, draft_id)

    @api.put("/drafts/{draft_id:int}")
    def edit_draft(db: Db, user: User, draft_id: IdPath, body: DraftEdit) -> dict[str, str]:
        """Replace a draft under review with the reviewer's version."""
        edited = PlanDraft.from_json(json.dumps(body.draft, ensure_ascii=False))
        drafts.save(db, user, draft_id, edited, start_year=body.start_year, end_year=body.end_year)
        return {"status": "review"}

    @api.post("/drafts/{draft_id:int}/commit")
    def commit_draft(db: Db, user: User, draft_id: IdPath) -> dict[str, int]:
        """Store a reviewed draft as a plan."""
        return {"plan_id": drafts.commit(db, user, draft_id)}

    @api.get("/{plan_id:int}")
    def plan_detail(db: Db, user: User, plan_id: IdPath) -> dict[str, Any]:
        """A plan with its counts, targets (with status) and key projects."""
        today = clock.today()
        return {
            "plan": queries.get_plan(db, user, plan_id, today),
            "targets": tracking.plan_targets(db, user, plan_id, today),
            "projects": queries.plan_projects(db, user, plan_id),
        }

    return api
