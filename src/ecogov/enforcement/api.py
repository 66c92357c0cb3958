"""Enforcement JSON API under ``/api/v1/enforcement`` (thin: the services decide and refuse).

Every endpoint needs a login; the scope guard limits officers to their region and enterprise
users to their own record; errors are problem+json with the Chinese message first.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Any

import polars as pl
from fastapi import APIRouter, Depends, File, Form, Path, Query, UploadFile
from fastapi.responses import Response
from pydantic import BaseModel, Field

from ecogov.enforcement import cases, draws, inspections, service
from ecogov.platform.db import Database
from ecogov.platform.exports import (
    DOWNLOAD_RESPONSES,
    FILE_RESPONSES,
    Column,
    attachment,
    download_spec,
)
from ecogov.platform.http import get_database, require_user
from ecogov.platform.params import IdField, IdPath, RegionField, RegionQuery
from ecogov.platform.scope import Principal
from ecogov.standards.enforcement.penalty import Round

Db = Annotated[Database, Depends(get_database)]
User = Annotated[Principal, Depends(require_user)]
Text = Annotated[str, Field(min_length=1, max_length=2000)]


class DrawIn(BaseModel):
    """A draw to plan: its region, title, rules override and day counts."""

    region_code: RegionField
    title: Annotated[str, Field(min_length=1, max_length=128)]
    rules: dict[str, Any] = Field(default_factory=dict, description="rules-file override")
    task_days: Annotated[int, Field(ge=1, le=366)] = draws.TASK_DAYS_DEFAULT
    publish_days: Annotated[int, Field(ge=1, le=366)] = draws.PUBLISH_DAYS_DEFAULT


class FindingIn(BaseModel):
    """A problem found on site."""

    description: Text
    severity: Annotated[str, Field(pattern="^(blue|yellow|orange|red)$")] = "yellow"
    item_key: Annotated[str | None, Field(max_length=32)] = None


class InspectionIn(BaseModel):
    """An inspection of a task (photos are added on the page)."""

    task_id: IdField
    check_type: Annotated[str, Field(min_length=1, max_length=32)]
    answers: dict[str, str]
    findings: list[FindingIn] = Field(default_factory=list, max_length=100)
    lon: Annotated[float | None, Field(ge=-180, le=180)] = None
    lat: Annotated[float | None, Field(ge=-90, le=90)] = None
    note: Annotated[str | None, Field(max_length=2000)] = None


class CaseIn(BaseModel):
    """A case to file (立案)."""

    enterprise_id: IdField
    title: Annotated[str, Field(min_length=1, max_length=256)]
    legal_basis: Annotated[str | None, Field(max_length=2000)] = None


class MoveIn(BaseModel):
    """A move of a case: its note, for ``decide`` the fine and legal basis, for ``extend`` the
    days (default: the most the rules allow for this extension)."""

    note: Annotated[str | None, Field(max_length=2000)] = None
    extension_days: Annotated[int | None, Field(ge=1, le=366)] = None
    fine_yuan: Annotated[Decimal | None, Field(ge=0, le=Decimal("1e12"), decimal_places=2)] = None
    legal_basis: Annotated[str | None, Field(max_length=2000)] = None


class RoundIn(BaseModel):
    """One re-inspection round: the 责令改正 order served, the re-inspection finding the
    violation still going on (按日连续处罚办法 Art. 17)."""

    order_served: date
    violation_found: date


class DailyPenaltyIn(BaseModel):
    """A daily continuous penalty: the rounds, the original fine (default: the case's fine),
    and whether 限产/停产/查封 stopped the discharge (Art. 20: then none)."""

    rounds: Annotated[list[RoundIn], Field(min_length=1, max_length=50)]
    original_fine_yuan: Annotated[
        Decimal | None, Field(gt=0, le=Decimal("1e12"), decimal_places=2)
    ] = None
    discharge_stopped: bool = False


LEDGER_SPEC = (
    Column("case_no", "案件编号"),
    Column("title", "案件名称"),
    Column("region_code", "行政区划代码"),
    Column("state_name", "办理阶段"),
    Column("filed_on", "立案日期"),
    Column("due", "法定时限事项"),
    Column("end", "时限截止日"),
    Column("days_left", "剩余天数（负数为超期）"),
    Column("fine_yuan", "罚款金额（元）"),
    Column("extended_days", "延长办案期限（日）"),
    Column("daily_days", "按日连续处罚天数"),
    Column("daily_amount_yuan", "按日连续处罚金额（元）"),
)
"""The case ledger (案件台账) as the bureaus keep it."""


def ledger_frame(rows: list[cases.LedgerRow]) -> pl.DataFrame:
    """The ledger rows as the export's frame."""
    return pl.DataFrame(
        {
            "case_no": [r.case_no for r in rows],
            "title": [r.title for r in rows],
            "region_code": [r.region_code for r in rows],
            "state_name": [r.state_name for r in rows],
            "filed_on": [r.filed_on.isoformat() for r in rows],
            "due": [r.clock.due if r.clock else None for r in rows],
            "end": [r.clock.end.isoformat() if r.clock else None for r in rows],
            "days_left": [r.clock.days_left if r.clock else None for r in rows],
            "fine_yuan": [str(r.fine_yuan) if r.fine_yuan is not None else None for r in rows],
            "extended_days": [r.extended_days for r in rows],
            "daily_days": [r.daily_days for r in rows],
            "daily_amount_yuan": [
                None if r.daily_amount_yuan is None else str(r.daily_amount_yuan) for r in rows
            ],
        },
        schema={
            "days_left": pl.Int64,
            "extended_days": pl.Int64,
            "daily_days": pl.Int64,
            **dict.fromkeys(
                (
                    "case_no",
                    "title",
                    "region_code",
                    "state_name",
                    "filed_on",
                    "due",
                    "end",
                    "fine_yuan",
                    "daily_amount_yuan",
                ),
                pl.String,
            ),
        },
    )


def router() -> APIRouter:
    """Routes under ``/api/v1/enforcement``."""
    api = APIRouter(prefix="/enforcement", tags=["enforcement"])

    @api.post("/directory/sync")
    def sync_directory(region: RegionQuery, db: Db, principal: User) -> dict[str, int]:
        """Add the region's enterprises missing from the inspection-object directory."""
        return {"added": draws.sync_directory(db, principal, region)}

    @api.post("/draws", status_code=201)
    def create_draw(body: DrawIn, db: Db, principal: User) -> draws.DrawView:
        """Plan a draw (its seed is made and kept secret)."""
        draw_id = draws.create_draw(
            db,
            principal,
            body.region_code,
            body.title,
            body.rules,
            task_days=body.task_days,
            publish_days=body.publish_days,
        )
        return draws.view(db, principal, draw_id)

    @api.get("/draws/{draw_id}")
    def get_draw(draw_id: IdPath, db: Db, principal: User) -> draws.DrawView:
        """A draw: the hash once published, the seed once revealed."""
        return draws.view(db, principal, draw_id)

    @api.post("/draws/{draw_id}/publish-hash")
    def publish_hash(draw_id: IdPath, db: Db, principal: User) -> draws.DrawView:
        """Publish the sha256 of the seed (before the draw)."""
        draws.publish_hash(db, principal, draw_id)
        return draws.view(db, principal, draw_id)

    @api.post("/draws/{draw_id}/run")
    def run_draw(draw_id: IdPath, db: Db, principal: User) -> draws.DrawView:
        """Run the draw with the engine; tasks are created."""
        draws.run_draw(db, principal, draw_id)
        return draws.view(db, principal, draw_id)

    @api.post("/draws/{draw_id}/publish-result")
    def publish_result(draw_id: IdPath, db: Db, principal: User) -> draws.DrawView:
        """Reveal the seed with the result (一公开)."""
        draws.publish_result(db, principal, draw_id)
        return draws.view(db, principal, draw_id)

    @api.get("/draws/{draw_id}/files/{name}", responses=FILE_RESPONSES)
    def draw_file(
        draw_id: IdPath,
        name: Annotated[str, Path(max_length=32)],
        db: Db,
        principal: User,
    ) -> Response:
        """A file of the draw in the layout ``verify-draw`` reads (docs/enforcement-files.md):
        ``objects.csv``, ``inspectors.csv``, ``rules.toml``, ``previous.json``, and once
        published ``seed.txt`` and ``published.json``."""
        body = draws.draw_file(db, principal, draw_id, name)
        return Response(
            body,
            media_type=draws.DRAW_FILES[name][2],
            headers={"Content-Disposition": attachment(f"draw-{draw_id}-{name}")},
        )

    @api.get("/tasks/mine")
    def my_tasks(db: Db, principal: User) -> list[dict[str, Any]]:
        """The inspection tasks of the inspector linked to the caller's account."""
        return [
            {
                "id": t.id,
                "enterprise_id": t.enterprise_id,
                "due": t.due.isoformat(),
                "status": t.status,
                "inspector_ids": t.inspector_ids,
            }
            for t in draws.my_tasks(db, principal)
        ]

    @api.post("/inspections", status_code=201)
    def record_inspection(body: InspectionIn, db: Db, principal: User) -> dict[str, int]:
        """Record an inspection of a task with its findings."""
        new = inspections.NewInspection(
            body.task_id,
            body.check_type,
            body.answers,
            [inspections.NewFinding(f.description, f.severity, f.item_key) for f in body.findings],
            (),
            body.lon,
            body.lat,
            body.note,
        )
        return {"id": inspections.record(db, principal, new)}

    @api.post("/findings/{finding_id}/case", status_code=201)
    def finding_to_case(
        finding_id: IdPath,
        db: Db,
        principal: User,
        title: Annotated[str, Query(min_length=1, max_length=256)],
    ) -> dict[str, int]:
        """File a penalty case on a finding."""
        return {"case_id": inspections.to_case(db, principal, finding_id, title)}

    @api.post("/findings/{finding_id}/rectification", status_code=201)
    def finding_to_rectification(
        finding_id: IdPath,
        db: Db,
        principal: User,
        deadline_days: Annotated[int, Query(ge=1, le=365)] = 30,
    ) -> dict[str, str]:
        """Open a rectification item on a finding (through the alerts inbox)."""
        return {"ref": inspections.to_rectification(db, principal, finding_id, deadline_days)}

    @api.get("/cases")
    def list_cases(db: Db, principal: User) -> list[cases.LedgerRow]:
        """The case ledger with each case's running clock."""
        return cases.ledger(db, principal)

    @api.get("/cases/export", responses=DOWNLOAD_RESPONSES)
    def export_cases(
        db: Db, principal: User, fmt: Annotated[str, Query(pattern="^(csv|xlsx)$")] = "csv"
    ) -> Response:
        """The case ledger (案件台账) as CSV or xlsx, Chinese headers."""
        frame = ledger_frame(cases.ledger(db, principal))
        return download_spec(frame, LEDGER_SPEC, fmt, "案件台账")

    @api.post("/cases", status_code=201)
    def file_case(body: CaseIn, db: Db, principal: User) -> dict[str, int]:
        """File a case (立案)."""
        new = cases.NewCase(body.enterprise_id, body.title, body.legal_basis)
        return {"id": cases.file_case(db, principal, new)}

    @api.post("/cases/{case_id}/moves/{action}")
    def move_case(
        case_id: IdPath,
        action: Annotated[str, Path(pattern="^[a-z_]{1,32}$")],
        body: MoveIn,
        db: Db,
        principal: User,
    ) -> dict[str, str]:
        """Make a move of the case machine; returns the new state."""
        decision = None
        if body.fine_yuan is not None or body.legal_basis is not None:
            decision = cases.Decision(body.fine_yuan or Decimal(0), body.legal_basis or "")
        state = cases.act(db, principal, case_id, action, body.note, decision, body.extension_days)
        return {"state": state}

    @api.put("/cases/{case_id}/daily-penalty")
    def record_daily_penalty(
        case_id: IdPath, body: DailyPenaltyIn, db: Db, principal: User
    ) -> cases.DailyPenaltyView:
        """Record (or correct) the case's daily continuous penalty (按日连续处罚)."""
        rounds = [Round(r.order_served, r.violation_found) for r in body.rounds]
        return cases.record_daily_penalty(
            db,
            principal,
            case_id,
            rounds,
            body.original_fine_yuan,
            discharge_stopped=body.discharge_stopped,
        )

    @api.get("/cases/{case_id}/daily-penalty")
    def daily_penalty(case_id: IdPath, db: Db, principal: User) -> cases.DailyPenaltyView | None:
        """The case's daily continuous penalty with its computation (null: none recorded)."""
        return cases.daily_penalty_of(db, principal, case_id)

    @api.post("/cases/{case_id}/documents", status_code=201)
    def add_document(
        case_id: IdPath,
        db: Db,
        principal: User,
        kind: Annotated[str, Form(max_length=32)],
        file: Annotated[UploadFile, File()],
    ) -> dict[str, int]:
        """Attach a document (文书) to a case."""
        content = file.file.read()
        name = file.filename or "document"
        kind_id = cases.add_document(
            db,
            principal,
            case_id,
            kind,
            name,
            file.content_type or "application/octet-stream",
            content,
        )
        return {"id": kind_id}

    @api.get("/enterprises/{enterprise_id}/history")
    def enterprise_history(enterprise_id: IdPath, db: Db, principal: User) -> service.History:
        """An enterprise's compliance history (inspections, findings, cases, credit)."""
        return service.history(db, principal, enterprise_id)

    return api
