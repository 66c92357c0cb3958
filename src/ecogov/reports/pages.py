"""The officers' reports page (zh-CN first): choose a region, a month and a report, generate it,
download it as Word or PDF; the generated reports below (the one table mechanism). Thin: the
form calls the service; a refusal shows the page again with the reason and its 4xx status."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ecogov.platform.db import Database
from ecogov.platform.errors import EcogovError
from ecogov.platform.http import get_database, require_user, selected_region
from ecogov.platform.params import IdPath
from ecogov.platform.permissions import authorize
from ecogov.platform.plugins import region_directory
from ecogov.platform.scope import Principal
from ecogov.platform.tables import Choice, SortKey, TableSpec, table_page
from ecogov.platform.templating import render
from ecogov.reports import service
from ecogov.reports.access import REPORTS
from ecogov.reports.api import respond
from ecogov.reports.models import KINDS

Db = Annotated[Database, Depends(get_database)]
User = Annotated[Principal, Depends(require_user)]

GENERATED = TableSpec(
    name="reports",
    sorts=(
        SortKey("generated", "reports.generated_at", lambda r: r.generated_at),
        SortKey("period", "reports.period", lambda r: r.period),
    ),
    choices=(Choice("kind", "reports.kind", lambda r: r.kind, "reports.kind."),),
    search=lambda r: f"{r.region_name} {r.period}",
    default_sort="-generated",
)


def router() -> APIRouter:
    """Page routes of the reports domain."""
    pages = APIRouter()

    def page(
        request: Request, db: Database, user: Principal, error: str = "", status: int = 200
    ) -> HTMLResponse:
        authorize(user, "read", REPORTS)
        context = {
            "t": table_page(GENERATED, service.reports(db, user), request),
            "regions": region_directory().switchable(db, user),
            "region": selected_region(request, user),
            "period": service.previous_month(),
            "kinds": KINDS,
            "error": error,
        }
        return render(request, "reports/reports.html", context, status)

    @pages.get("/reports", response_class=HTMLResponse)
    def reports(request: Request, db: Db, user: User) -> HTMLResponse:
        """The form and the generated reports."""
        return page(request, db, user)

    @pages.post("/reports", response_model=None)
    def generate(
        request: Request,
        db: Db,
        user: User,
        region: Annotated[str, Form(max_length=6)],
        period: Annotated[str, Form(max_length=10)],
        kind: Annotated[str, Form(max_length=16)] = "monthly",
    ) -> Response:
        """Generate the report; back to the list with it on top."""
        try:
            service.generate(db, user, kind, region, period)
        except EcogovError as exc:
            return page(request, db, user, str(exc), exc.status_code)
        return RedirectResponse("/reports", status_code=303)

    @pages.get("/reports/{report_id}/download", response_model=None)
    def download(db: Db, user: User, report_id: IdPath, format: str = "docx") -> Response:
        """A generated report as Word, PDF or JSON."""
        return respond(db, user, report_id, format)

    return pages
