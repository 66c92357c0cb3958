"""The import rejects page (导入拒收记录): every import run in the user's region and the rows it
rejected, filterable by run and domain, exportable as CSV or Excel; the same as JSON under
``/api/v1/imports``."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response

from ecogov.platform import rejects
from ecogov.platform.db import Database
from ecogov.platform.errors import InputError
from ecogov.platform.exports import DOWNLOAD_RESPONSES, download_spec
from ecogov.platform.http import get_database, require_user
from ecogov.platform.params import IdQuery
from ecogov.platform.scope import Principal
from ecogov.platform.templating import render
from ecogov.standards.timebase import BEIJING

SHOWN_REJECTS = 500
"""Rejects listed on the page (the exports hold them all)."""

RunFilter = IdQuery
DomainFilter = Annotated[str | None, Query(max_length=32, pattern=r"^[a-z0-9_]*$")]


def router() -> APIRouter:
    """The rejects page and its exports."""
    pages = APIRouter()

    @pages.get("/imports/rejects", response_class=HTMLResponse)
    def rejects_page(
        request: Request,
        run: RunFilter = None,
        domain: DomainFilter = None,
        db: Database = Depends(get_database),
        principal: Principal = Depends(require_user),
    ) -> HTMLResponse:
        """Import runs (newest first) and the rejected rows of one run or of all."""
        runs = rejects.runs(db, principal, domain=domain or None)
        rows = rejects.rejects(db, principal, run_id=run, limit=SHOWN_REJECTS).to_dicts()
        return render(
            request,
            "imports/rejects.html",
            {
                "runs": runs,
                "beijing": BEIJING,
                "rejects": rows,
                "run": run,
                "domain": domain or "",
                "domains": sorted({r.domain for r in runs} | ({domain} if domain else set())),
            },
        )

    @pages.get("/imports/rejects.{fmt}", responses=DOWNLOAD_RESPONSES)
    def rejects_export(
        fmt: str,
        run: RunFilter = None,
        db: Database = Depends(get_database),
        principal: Principal = Depends(require_user),
    ) -> Response:
        """The rejected rows (of one run, or every run in scope) as CSV or Excel."""
        if fmt not in ("csv", "xlsx"):
            raise InputError(f"格式 {fmt!r} 应为 csv 或 xlsx / format {fmt!r} is not csv or xlsx")
        frame = rejects.rejects(db, principal, run_id=run)
        name = f"import-rejects-{run}" if run else "import-rejects"
        return download_spec(frame, rejects.REJECT_SPEC, fmt, name)

    return pages


def api_router() -> APIRouter:
    """``/imports/runs`` and ``/imports/rejects`` as JSON (mounted under ``/api/v1``)."""
    api = APIRouter(prefix="/imports", tags=["imports"])

    @api.get("/runs")
    def list_runs(
        domain: DomainFilter = None,
        limit: Annotated[int, Query(ge=1, le=5000)] = 200,
        db: Database = Depends(get_database),
        principal: Principal = Depends(require_user),
    ) -> list[rejects.RunView]:
        """Import runs in the user's region and below, newest first."""
        return rejects.runs(db, principal, domain=domain or None, limit=limit)

    @api.get("/rejects")
    def list_rejects(
        run: RunFilter = None,
        limit: Annotated[int, Query(ge=1, le=100_000)] = 1000,
        db: Database = Depends(get_database),
        principal: Principal = Depends(require_user),
    ) -> list[dict[str, Any]]:
        """Rejected rows (of one run, or of every run in scope), newest run first."""
        return rejects.rejects(db, principal, run_id=run, limit=limit).to_dicts()

    return api
