"""JSON API of the reports domain (thin): generate a region's monthly report or ranking
announcement and download it as Word, PDF or its figures with their sources (JSON)."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response

from ecogov.platform.db import Database
from ecogov.platform.exports import attachment
from ecogov.platform.http import get_database, require_user
from ecogov.platform.params import IdPath
from ecogov.platform.scope import Principal
from ecogov.reports import service
from ecogov.reports.render import MEDIA_TYPES

Db = Annotated[Database, Depends(get_database)]
User = Annotated[Principal, Depends(require_user)]
Region = Annotated[str, Query(pattern=r"^\d{6}$", description="行政区划代码 (GB/T 2260)")]
Month = Annotated[str, Query(description="月份 YYYY-MM")]
Format = Annotated[str, Query(alias="format", pattern=r"^(docx|pdf|json)$")]


def respond(db: Database, principal: Principal, report_id: int, fmt: str) -> Response:
    """A generated report in ``fmt``: the file, or its figures as JSON."""
    if fmt == "json":
        figures = service.figures_of(db, principal, report_id)
        return Response(
            content=_json({"id": report_id, **figures.as_dict()}), media_type="application/json"
        )
    name, content = service.document(db, principal, report_id, fmt)
    return Response(
        content, media_type=MEDIA_TYPES[fmt], headers={"Content-Disposition": attachment(name)}
    )


def _json(data: dict[str, Any]) -> bytes:
    return json.dumps(data, ensure_ascii=False).encode()


def router() -> APIRouter:
    """API routes of the reports domain."""
    api = APIRouter(tags=["reports"])

    @api.get("/reports/monthly", response_model=None)
    def monthly(
        db: Db, principal: User, region: Region, period: Month, fmt: Format = "json"
    ) -> Response:
        """Generate (and record) the monthly report of ``region`` for ``period``."""
        report = service.generate(db, principal, "monthly", region, period)
        return respond(db, principal, report.id, fmt)

    @api.get("/reports/ranking", response_model=None)
    def ranking(
        db: Db, principal: User, region: Region, period: Month, fmt: Format = "json"
    ) -> Response:
        """Generate (and record) the city ranking announcement of ``region`` for ``period``."""
        report = service.generate(db, principal, "ranking", region, period)
        return respond(db, principal, report.id, fmt)

    @api.get("/reports")
    def generated(
        db: Db, principal: User, region: Annotated[str | None, Query(pattern=r"^\d{6}$")] = None
    ) -> list[service.ReportView]:
        """The generated reports the user may read, newest first."""
        return service.reports(db, principal, region)

    @api.get("/reports/{report_id}", response_model=None)
    def one(db: Db, principal: User, report_id: IdPath, fmt: Format = "json") -> Response:
        """A generated report again, exactly as recorded."""
        return respond(db, principal, report_id, fmt)

    return api
