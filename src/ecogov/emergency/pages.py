"""Emergency pages (zh-CN first): the warnings list with the banner of the levels in force and the
"suggest from the forecast" action, a warning's page with its forecast, decision trail, the
officer's move forms and the reduction list with each unit's task, and the reduction list with
its import form. Thin: forms call the service; a refusal shows the page again with the reason
and its 4xx status."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ecogov.emergency import review, service
from ecogov.emergency.access import REDUCTION_KIND, WARNING_KIND
from ecogov.emergency.api import suggest_from_forecast
from ecogov.emergency.workflow import WARNING
from ecogov.plans.workflow import RECTIFICATION
from ecogov.platform.db import Database
from ecogov.platform.errors import EcogovError
from ecogov.platform.http import get_database, require_user
from ecogov.platform.i18n import translate
from ecogov.platform.params import IdPath
from ecogov.platform.permissions import allowed
from ecogov.platform.scope import Principal
from ecogov.platform.tables import Choice, SortKey, TableSpec, table_page
from ecogov.platform.templating import language_of, render
from ecogov.regions.service import region_names
from ecogov.standards.warnings import default_criteria

Db = Annotated[Database, Depends(get_database)]
User = Annotated[Principal, Depends(require_user)]

WARNINGS_TABLE = TableSpec(
    name="warnings",
    sorts=(
        SortKey("starts", "emergency.col.period", lambda w: w.starts_on),
        SortKey("issued", "emergency.col.issued", lambda w: w.issued_on),
    ),
    choices=(
        Choice("city", "emergency.col.city", lambda w: w.region_code),
        Choice("state", "emergency.col.state", lambda w: w.state, "emergency.state."),
        Choice("level", "emergency.col.level", lambda w: w.level, "emergency.level."),
    ),
    default_sort="-starts",
)


def _text(form: Any, key: str) -> str | None:
    value = form.get(key)
    return value.strip() or None if isinstance(value, str) else None


def router() -> APIRouter:
    """Page routes of the emergency domain."""
    pages = APIRouter()

    def list_page(
        request: Request, db: Database, user: Principal, error: str = "", status: int = 200
    ) -> HTMLResponse:
        rows = service.warnings(db, user)
        context = {
            "t": table_page(WARNINGS_TABLE, rows, request),
            "in_force": service.in_force(db, user),
            "names": region_names(db, user, [w.region_code for w in rows]),
            "may_suggest": allowed(user, "create", WARNING_KIND),
            "has_forecast": service.forecast_source() is not None,
            "home": user.region_code or "",
            "error": error,
            "notice": request.query_params.get("notice") == "none",
            "editions": _edition_names(request),
        }
        return render(request, "emergency/list.html", context, status)

    @pages.get("/emergency", response_class=HTMLResponse)
    def warnings(request: Request, db: Db, user: User) -> HTMLResponse:
        """The warnings of the user's region by city and state; the levels in force on top."""
        return list_page(request, db, user)

    @pages.post("/emergency/suggest", response_model=None)
    async def suggest(request: Request, db: Db, user: User) -> Response:
        """Suggest a warning for the city from the installed forecast; to the warning's page,
        or back to the list saying no level holds."""
        form = await request.form()
        try:
            found = suggest_from_forecast(db, user, _text(form, "city_code") or "")
        except EcogovError as exc:
            return list_page(request, db, user, str(exc), exc.status_code)
        target = f"/emergency/{found}" if found is not None else "/emergency?notice=none"
        return RedirectResponse(target, status_code=303)

    @pages.get("/emergency/reductions", response_class=HTMLResponse)
    def reductions(request: Request, db: Db, user: User) -> HTMLResponse:
        """The emergency-reduction list of the user's scope with its import form."""
        return reductions_page(request, db, user)

    def reductions_page(
        request: Request,
        db: Database,
        user: Principal,
        summary: str = "",
        error: str = "",
        status: int = 200,
    ) -> HTMLResponse:
        context = {
            "rows": service.reduction_list(db, user),
            "may_import": allowed(user, "import", REDUCTION_KIND),
            "summary": summary,
            "error": error,
        }
        return render(request, "emergency/reductions.html", context, status)

    @pages.post("/emergency/reductions/import", response_class=HTMLResponse)
    def import_list(
        request: Request,
        db: Db,
        user: User,
        upload: Annotated[UploadFile, File(alias="file")],
        skip_bad_rows: Annotated[bool, Form()] = False,
    ) -> HTMLResponse:
        """Import the list; show what changed, or why nothing did."""
        name = upload.filename or "应急减排清单.xlsx"
        try:
            result = service.import_measures(
                db, user, name, upload.file.read(), skip_bad_rows=skip_bad_rows
            )
        except EcogovError as exc:
            return reductions_page(request, db, user, error=str(exc), status=exc.status_code)
        counts = asdict(result)
        counts["errors"] = len(result.errors)
        summary = translate("emergency.import.done", language_of(request)).format(
            file=name, **counts
        )
        return reductions_page(request, db, user, summary=summary)

    def warning_page(
        request: Request,
        db: Database,
        user: Principal,
        warning_id: int,
        error: str = "",
        status: int = 200,
    ) -> HTMLResponse:
        view = service.get(db, user, warning_id)
        context = {
            "w": view,
            "city": region_names(db, user, [view.region_code]).get(view.region_code, ""),
            "machine": WARNING,
            "items": RECTIFICATION,
            "moves": [m.name for m in WARNING.moves_from(view.state)],
            "may_act": allowed(user, "advance", WARNING_KIND, view),
            "reductions": service.reduction_list(db, user, view.region_code, view.level),
            "tasks": service.tasks_of(db, user, warning_id),
            "review": review.review(db, user, warning_id) if view.state == "lifted" else None,
            "error": error,
            "editions": _edition_names(request),
        }
        return render(request, "emergency/warning.html", context, status)

    @pages.get("/emergency/{warning_id}", response_class=HTMLResponse)
    def warning(request: Request, warning_id: IdPath, db: Db, user: User) -> HTMLResponse:
        """A warning: its forecast and reason, the decision trail, the moves open now, and the
        reduction list of its level with each unit's task."""
        return warning_page(request, db, user, warning_id)

    @pages.post("/emergency/{warning_id}/moves/{action}", response_model=None)
    async def move(
        request: Request, warning_id: IdPath, action: str, db: Db, user: User
    ) -> Response:
        """Make a move with the officer's note; back to the warning's page."""
        form = await request.form()
        try:
            service.decide(db, user, warning_id, action, _text(form, "note"), _text(form, "level"))
        except EcogovError as exc:
            return warning_page(request, db, user, warning_id, str(exc), exc.status_code)
        return RedirectResponse(f"/emergency/{warning_id}", status_code=303)

    return pages


def _edition_names(request: Request) -> dict[str, str]:
    """The criteria editions' names in the page's language (the key of an unknown edition shows
    as it is)."""
    chinese = language_of(request) != "en"
    return {
        key: edition.name_zh if chinese else edition.name_en
        for key, edition in default_criteria().editions.items()
    }
