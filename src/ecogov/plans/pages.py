"""Plans pages (规划任务、整改清单): plan list and plan page, upload and review of drafts, the task
ledger with Excel export/import, task and rectification pages with their workflow buttons, the
rectification ledger, the unit scorecard and manual indicator reporting.

Handlers are thin: they read the form, call a service and render. A refused form is shown again
with the reason (and the matching 4xx status).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Final

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup, escape
from starlette.datastructures import FormData

from ecogov.plans import drafts, excel, indicators, queries, scorecard, service, tracking
from ecogov.plans.access import PLANS
from ecogov.plans.api import evidence_files
from ecogov.plans.service import ORIGINS
from ecogov.plans.targets import COMPARATORS
from ecogov.plans.workflow import ESCALATION_STEPS, RECTIFICATION, TASK
from ecogov.platform import clock
from ecogov.platform.db import Database
from ecogov.platform.errors import EcogovError, InputError, NotFound
from ecogov.platform.exports import DOWNLOAD_RESPONSES, FILE_RESPONSES, attachment
from ecogov.platform.http import get_database, get_settings_of, require_user, selected_region
from ecogov.platform.i18n import Catalogue, both, register
from ecogov.platform.indicators import Indicator, registry
from ecogov.platform.params import IdPath, OptionalYearQuery, parse_id
from ecogov.platform.permissions import authorize
from ecogov.platform.readers import read_document
from ecogov.platform.scope import Principal
from ecogov.platform.tables import SortKey, TableSpec, table_page
from ecogov.platform.templating import render
from ecogov.regions import service as regions

ERRORS: Final[Catalogue] = {
    "plans.error.not_number": ("{where}：{text!r} 不是数字", "{where}: {text!r} is not a number"),
    "plans.error.not_finite": (
        "{where}：{text!r} 不是有限数值",
        "{where}: {text!r} is not a finite number",
    ),
    "plans.error.not_year": (
        "{where}：{text!r} 不是形如 2026 的年份",
        "{where}: {text!r} is not a year like 2026",
    ),
    "plans.error.not_date": (
        "{where}：{text!r} 不是 YYYY-MM-DD 格式的日期",
        "{where}: {text!r} is not a date YYYY-MM-DD",
    ),
    "plans.error.no_deadline": (
        "整改期限：整改事项须有整改期限",
        "deadline: a rectification item needs its deadline",
    ),
    "plans.error.value_needs_year": (
        "填报值须有年份和数值",
        "a reported value needs its year and value",
    ),
}
register(ERRORS)

Db = Annotated[Database, Depends(get_database)]
User = Annotated[Principal, Depends(require_user)]
SUBJECTS = ("task", "rectification")
STYLESHEET = Path(__file__).resolve().parent / "static" / "plans.css"
DOWNLOAD_TYPES = (
    "image/png",
    "image/jpeg",
    "image/gif",
    "image/webp",
    "application/pdf",
    "text/plain",
)
"""Evidence types served as what they are; anything else (HTML, SVG, scripts) as bytes."""
OFFICE_TYPES = (
    "application/vnd.openxmlformats-officedocument.",
    "application/vnd.ms-",
    "application/msword",
)


async def form_data(request: Request) -> FormData:
    """The submitted form (fields named by index, as the review page names them)."""
    return await request.form()


FormValues = Annotated[FormData, Depends(form_data)]


def _region(request: Request, principal: Principal) -> str:
    """The region the pages show: the switcher's choice, else the first map province."""
    code = (
        selected_region(request, principal) or get_settings_of(request).boundary_province_codes[0]
    )
    regions.ensure_visible(principal, code)
    return code


def _see_other(path: str) -> RedirectResponse:
    return RedirectResponse(path, status_code=303)


def _text(form: FormData, name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


def _number(text: str, where: str) -> float | None:
    """A decimal from a form field (empty: None)."""
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        raise InputError(both("plans.error.not_number", where=where, text=text)) from None
    if not math.isfinite(value):
        raise InputError(both("plans.error.not_finite", where=where, text=text))
    return value


def _year(text: str, where: str) -> int | None:
    """A year from a form field (empty: None)."""
    if not text:
        return None
    if not text.isdigit() or len(text) != 4:
        raise InputError(both("plans.error.not_year", where=where, text=text))
    return int(text)


def _day(text: str | None, where: str) -> date | None:
    """A date from a form or query field (empty: None)."""
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InputError(both("plans.error.not_date", where=where, text=text)) from None


def indicator_options(current: list[str | None] | None = None) -> list[Indicator]:
    """Indicators a target may bind to (the registry), plus any key already used that no domain
    declares (kept so a reviewer sees it, shown without a name)."""
    known = registry()
    extra = sorted({key for key in current or [] if key and key not in known})
    missing = [Indicator(key, key, key, "", True) for key in extra]
    return sorted(known.values(), key=lambda i: i.key) + missing


def _highlight(text: str, value: float | None) -> Markup:
    """``text`` escaped, the first place it writes ``value`` marked (<mark>) for the reviewer."""
    shown = "" if value is None else (f"{value:g}" if isinstance(value, float) else str(value))
    index = text.find(shown) if shown else -1
    if index < 0:
        return escape(text)
    end = index + len(shown)
    return (
        escape(text[:index])
        + Markup("<mark>")
        + escape(shown)
        + Markup("</mark>")
        + escape(text[end:])
    )


@dataclass(frozen=True)
class PageError:
    """A refused form: the message and the status the page is shown with."""

    message: str
    status: int


def _submit(step: Callable[[], str], refused: Callable[[PageError], HTMLResponse]) -> Response:
    """Run a form's service call and redirect (303) to the path it returns; when the service
    refuses, show the form's page again with the reason (and the matching 4xx status)."""
    try:
        path = step()
    except EcogovError as exc:
        return refused(PageError(str(exc), exc.status_code))
    return _see_other(path)


def _form_values(form: FormData) -> dict[str, str]:
    """The submitted fields, trimmed, without the CSRF token (to show a refused form again)."""
    return {key: _text(form, key) for key in form if key != "csrf_token"}


def _task_filter(request: Request, region: str) -> queries.TaskFilter:
    """The ledger's filter from the query string (empty fields mean no filter)."""
    query = request.query_params
    plan = query.get("plan") or ""
    return queries.TaskFilter(
        plan=parse_id(plan, "规划编号 plan") if plan else None,
        unit=query.get("unit") or None,
        status=query.get("status") or None,
        due_from=_day(query.get("due_from"), "due from"),
        due_to=_day(query.get("due_to"), "due to"),
        region=region,
    )


def router() -> APIRouter:
    """Page routes of the plans domain."""
    pages = APIRouter()

    @pages.get("/plans/assets/plans.css", include_in_schema=False)
    def stylesheet() -> Response:
        """The plans pages' stylesheet (deliberately public: style only, no data)."""
        return Response(STYLESHEET.read_bytes(), media_type="text/css; charset=utf-8")

    _plan_pages(pages)
    _draft_pages(pages)
    _ledger_pages(pages)
    for subject in SUBJECTS:
        _item_pages(pages, subject)
    _rectification_pages(pages)
    _indicator_pages(pages)
    return pages


# --- plans -------------------------------------------------------------------------------------


def _plan_pages(pages: APIRouter) -> None:
    @pages.get("/plans", response_class=HTMLResponse)
    def plan_list(request: Request, db: Db, user: User) -> HTMLResponse:
        """Plans of the selected region and below, drafts under review, notifications."""
        region = _region(request, user)
        today = clock.today()
        plans = queries.list_plans(db, user, region, today)
        under_review = drafts.drafts_under_review(db, user)
        codes = [p.region_code for p in plans] + [d.region_code for d in under_review]
        return render(
            request,
            "plans/list.html",
            {
                "region": regions.get_region(db, user, region),
                "plans": plans,
                "drafts": under_review,
                "notifications": queries.notifications(db, user, region),
                "region_names": regions.region_names(db, user, [c for c in codes if c]),
            },
        )

    @pages.get("/plans/{plan_id:int}", response_class=HTMLResponse)
    def plan_page(request: Request, plan_id: IdPath, db: Db, user: User) -> HTMLResponse:
        """A plan: targets with traffic lights and trends, tasks by section, key projects."""
        today = clock.today()
        tasks = queries.task_ledger(db, user, queries.TaskFilter(plan=plan_id))
        sections: dict[str, list[queries.TaskRow]] = {}
        for task in tasks:
            sections.setdefault(task.section or "", []).append(task)
        plan = queries.get_plan(db, user, plan_id, today)
        return render(
            request,
            "plans/plan.html",
            {
                "plan": plan,
                "region_names": regions.region_names(db, user, [plan.region_code]),
                "targets": tracking.plan_targets(db, user, plan_id, today),
                "sections": sections,
                "projects": queries.plan_projects(db, user, plan_id),
                "today": today,
            },
        )

    @pages.get("/plans/scorecard", response_class=HTMLResponse)
    def scorecard_page(
        request: Request, db: Db, user: User, year: OptionalYearQuery = None
    ) -> HTMLResponse:
        """On-time rate, closure rate and overdue count of each unit (考核)."""
        region = _region(request, user)
        today = clock.today()
        chosen = year or today.year
        scores = scorecard.scorecard(db, user, region, chosen, today)
        return render(
            request,
            "plans/scorecard.html",
            {
                "region": regions.get_region(db, user, region),
                "year": chosen,
                "scores": scores,
                "region_names": regions.region_names(db, user, [s.region_code for s in scores]),
            },
        )


# --- drafts ------------------------------------------------------------------------------------


def _draft_pages(pages: APIRouter) -> None:
    def upload_form(
        request: Request, db: Database, user: Principal, error: PageError | None = None
    ) -> HTMLResponse:
        return render(
            request,
            "plans/draft_new.html",
            {
                "regions": regions.switchable_regions(db, user),
                "selected": _region(request, user),
                "error": error,
            },
            status_code=error.status if error else 200,
        )

    @pages.get("/plans/drafts/new", response_class=HTMLResponse)
    def new_draft(request: Request, db: Db, user: User) -> HTMLResponse:
        """Upload a plan (a text file or pasted text) to review."""
        authorize(user, "create", PLANS)
        return upload_form(request, db, user)

    @pages.post("/plans/drafts", response_model=None)
    def upload(
        request: Request,
        db: Db,
        user: User,
        region_code: Annotated[str, Form()],
        text: Annotated[str, Form()] = "",
        year: Annotated[str, Form()] = "",
        file: Annotated[UploadFile | None, File()] = None,
    ) -> Response:
        """Parse the uploaded plan into a draft and open its review page."""

        def step() -> str:
            content, name = text, None
            if file is not None and file.filename:
                content, name = read_document(file.file.read(), file.filename), file.filename
            draft_id = drafts.upload(
                db,
                user,
                region_code=region_code,
                text=content,
                source_name=name,
                year=_year(year, "年份 year"),
                today=clock.today(),
            )
            return f"/plans/drafts/{draft_id}"

        return _submit(step, lambda error: upload_form(request, db, user, error))

    def review(
        request: Request,
        db: Database,
        user: Principal,
        draft_id: int,
        error: PageError | None = None,
    ) -> HTMLResponse:
        view = drafts.get_draft(db, user, draft_id)
        known = list(registry().values())
        return render(
            request,
            "plans/draft.html",
            {
                "view": view,
                "region_names": regions.region_names(db, user, [view.region_code]),
                "indicators": indicator_options([t.indicator for t in view.draft.targets]),
                "order": drafts.review_order(view.draft),
                "suggestions": {
                    i: drafts.suggest_indicators(t.text, known)
                    for i, t in enumerate(view.draft.targets)
                    if not t.indicator
                },
                "highlight": _highlight,
                "comparators": COMPARATORS,
                "error": error,
            },
            status_code=error.status if error else 200,
        )

    @pages.get("/plans/drafts/{draft_id:int}", response_class=HTMLResponse)
    def draft_page(request: Request, draft_id: IdPath, db: Db, user: User) -> HTMLResponse:
        """Review a draft: period, targets (bind indicators), sections and tasks."""
        return review(request, db, user, draft_id)

    def edit(
        request: Request,
        db: Database,
        user: Principal,
        draft_id: int,
        change: Callable[[drafts.DraftView], None],
        anchor: str,
    ) -> Response:
        def step() -> str:
            change(drafts.get_draft(db, user, draft_id))
            return f"/plans/drafts/{draft_id}#{anchor}"

        return _submit(step, lambda error: review(request, db, user, draft_id, error))

    @pages.post("/plans/drafts/{draft_id:int}/meta", response_model=None)
    def save_meta(
        request: Request, draft_id: IdPath, db: Db, user: User, form: FormValues
    ) -> Response:
        """Save the title and the plan period."""

        def change(view: drafts.DraftView) -> None:
            start = _year(_text(form, "start_year"), "起始年 start year") or view.start_year
            end = _year(_text(form, "end_year"), "终止年 end year") or view.end_year
            title = _text(form, "title") or None
            edited = replace(view.draft, title=title)
            drafts.save(db, user, draft_id, edited, start_year=start, end_year=end)

        return edit(request, db, user, draft_id, change, "meta")

    @pages.post("/plans/drafts/{draft_id:int}/targets", response_model=None)
    def save_targets(
        request: Request, draft_id: IdPath, db: Db, user: User, form: FormValues
    ) -> Response:
        """Save the reviewer's targets (indicator, comparator, value, unit, year, drop)."""

        def change(view: drafts.DraftView) -> None:
            edits = [
                drafts.TargetEdit(
                    indicator=_text(form, f"target-{i}-indicator") or None,
                    comparator=_text(form, f"target-{i}-comparator") or None,
                    value=_number(
                        _text(form, f"target-{i}-value"), f"目标 {i + 1} 数值 target {i + 1} value"
                    ),
                    unit=_text(form, f"target-{i}-unit") or None,
                    year=_year(
                        _text(form, f"target-{i}-year"), f"目标 {i + 1} 年份 target {i + 1} year"
                    ),
                    drop=bool(form.get(f"target-{i}-drop")),
                )
                for i in range(len(view.draft.targets))
            ]
            drafts.save(db, user, draft_id, drafts.with_targets(view.draft, edits))

        return edit(request, db, user, draft_id, change, "targets")

    @pages.post("/plans/drafts/{draft_id:int}/sections/{index:int}", response_model=None)
    def save_section(
        request: Request, draft_id: IdPath, index: int, db: Db, user: User, form: FormValues
    ) -> Response:
        """Save the units and dates of one section's tasks."""

        def change(view: drafts.DraftView) -> None:
            if not 0 <= index < len(view.draft.sections):
                raise NotFound(both("plans.error.no_section", number=index + 1))
            edits = [
                drafts.TaskEdit(
                    lead_units=_text(form, f"task-{j}-lead"),
                    co_units=_text(form, f"task-{j}-co"),
                    start=_text(form, f"task-{j}-start") or None,
                    due=_text(form, f"task-{j}-due") or None,
                )
                for j in range(len(view.draft.sections[index].tasks))
            ]
            drafts.save(db, user, draft_id, drafts.with_tasks(view.draft, index, edits))

        return edit(request, db, user, draft_id, change, f"section-{index}")

    @pages.post("/plans/drafts/{draft_id:int}/commit", response_model=None)
    def commit(request: Request, draft_id: IdPath, db: Db, user: User) -> Response:
        """Store the reviewed draft as a plan and open the plan."""
        return _submit(
            lambda: f"/plans/{drafts.commit(db, user, draft_id)}",
            lambda error: review(request, db, user, draft_id, error),
        )


# --- task ledger -------------------------------------------------------------------------------


def _document_order(row: queries.TaskRow) -> tuple[int, int, str]:
    """A task's place in its plan: the plan, then the number after the section (``二.15``)."""
    tail = row.number.rsplit(".", 1)[-1]
    return (row.plan_id, int(tail) if tail.isdecimal() else 0, row.number)


def _task_table(today: date) -> TableSpec:
    """The ledger's paging, sorting and search (the plan, unit, status and due filters are the
    ledger's own query); ``-overdue`` puts the longest overdue first."""
    return TableSpec(
        name="tasks",
        sorts=(
            SortKey("number", "plans.col.number", _document_order),
            SortKey("task", "plans.col.task", lambda row: row.text),
            SortKey("lead", "plans.col.lead", lambda row: "、".join(row.lead_units) or None),
            SortKey("due", "plans.col.due", lambda row: row.due),
            SortKey("status", "plans.status", lambda row: TASK.states.index(row.status)),
            SortKey("overdue", "plans.col.overdue_days", lambda row: row.overdue_days(today)),
        ),
        search=lambda row: " ".join(
            (row.number, row.text, row.plan_title, *row.lead_units, *row.co_units)
        ),
    )


def _ledger_pages(pages: APIRouter) -> None:
    def ledger(
        request: Request,
        db: Database,
        user: Principal,
        flt: queries.TaskFilter,
        error: PageError | None = None,
        imported: excel.ImportResult | None = None,
    ) -> HTMLResponse:
        region = flt.region or _region(request, user)
        rows = queries.task_ledger(db, user, flt)
        return render(
            request,
            "plans/tasks.html",
            {
                "region": regions.get_region(db, user, region),
                "filter": flt,
                "table": table_page(_task_table(clock.today()), rows, request),
                "plans": queries.list_plans(db, user, region, clock.today()),
                "unit_names": queries.unit_names(db, user, region),
                "states": TASK.states,
                "today": clock.today(),
                "error": error,
                "imported": imported,
            },
            status_code=error.status if error else 200,
        )

    @pages.get("/plans/tasks", response_class=HTMLResponse)
    def task_ledger(request: Request, db: Db, user: User) -> HTMLResponse:
        """The task ledger (任务台账) with filters: plan, unit, status, due range."""
        query = request.query_params
        imported = None
        reported, unchanged = query.get("reported", ""), query.get("unchanged", "")
        if reported.isdecimal() and unchanged.isdecimal():
            imported = excel.ImportResult(int(reported), int(unchanged))
        flt = _task_filter(request, _region(request, user))
        return ledger(request, db, user, flt, imported=imported)

    @pages.get("/plans/{plan_id:int}/tasks.xlsx", responses=DOWNLOAD_RESPONSES)
    def export(request: Request, plan_id: IdPath, db: Db, user: User) -> Response:
        """The plan's ledger (as filtered) as the Excel sheet bureaus exchange."""
        flt = _task_filter(request, _region(request, user))
        return excel.export_tasks(db, user, plan_id, flt, clock.today())

    @pages.post("/plans/{plan_id:int}/tasks/import", response_model=None)
    def import_sheet(
        request: Request,
        plan_id: IdPath,
        db: Db,
        user: User,
        file: Annotated[UploadFile, File()],
    ) -> Response:
        """Update the progress (进展情况) of the plan's tasks from an Excel sheet, by 序号."""

        def step() -> str:
            result = excel.import_progress(
                db, user, plan_id, file.file.read(), file.filename or "upload.xlsx"
            )
            return (
                f"/plans/tasks?plan={plan_id}"
                f"&reported={result.reported}&unchanged={result.unchanged}"
            )

        def refused(error: PageError) -> HTMLResponse:
            flt = queries.TaskFilter(plan=plan_id, region=_region(request, user))
            return ledger(request, db, user, flt, error=error)

        return _submit(step, refused)


# --- a task or rectification item --------------------------------------------------------------


def _item_pages(pages: APIRouter, subject: str) -> None:
    base = f"/plans/{subject}/{{item_id:int}}"

    def item_page(
        request: Request,
        db: Database,
        user: Principal,
        item_id: int,
        error: PageError | None = None,
    ) -> HTMLResponse:
        detail = queries.detail(db, user, subject, item_id)
        row = detail.task or detail.item
        region = row.region_code if row is not None else None
        return render(
            request,
            "plans/item.html",
            {
                "detail": detail,
                "escalation_steps": ESCALATION_STEPS,
                "region_names": regions.region_names(db, user, [region] if region else []),
                "today": clock.today(),
                "error": error,
            },
            status_code=error.status if error else 200,
        )

    def move(
        request: Request,
        db: Database,
        user: Principal,
        item_id: int,
        change: Callable[[], object],
        anchor: str = "",
    ) -> Response:
        def step() -> str:
            change()
            return f"/plans/{subject}/{item_id}{anchor}"

        return _submit(step, lambda error: item_page(request, db, user, item_id, error))

    @pages.get(base, response_class=HTMLResponse, name=f"plans-{subject}")
    def show(request: Request, item_id: IdPath, db: Db, user: User) -> HTMLResponse:
        """The item: details, workflow buttons, report form, reports and history."""
        return item_page(request, db, user, item_id)

    @pages.post(f"{base}/actions/{{action}}", response_model=None, name=f"plans-{subject}-act")
    def act(
        request: Request,
        item_id: IdPath,
        action: str,
        db: Db,
        user: User,
        note: Annotated[str, Form()] = "",
    ) -> Response:
        """Make a workflow move, then show the item again."""
        return move(
            request,
            db,
            user,
            item_id,
            lambda: service.act(db, user, subject, item_id, action, note.strip() or None),
        )

    @pages.post(f"{base}/reports", response_model=None, name=f"plans-{subject}-report")
    def report(
        request: Request,
        item_id: IdPath,
        db: Db,
        user: User,
        text: Annotated[str, Form()] = "",
        files: Annotated[list[UploadFile] | None, File()] = None,
    ) -> Response:
        """Add a progress report with evidence files, then show the item again."""

        def change() -> None:
            evidence = evidence_files(files or [])
            service.add_report(db, user, subject, item_id, text, evidence)

        return move(request, db, user, item_id, change, "#reports")

    if subject == "rectification":

        @pages.post(f"{base}/sign-off", response_model=None)
        def sign(request: Request, item_id: IdPath, db: Db, user: User) -> Response:
            """Sign a verified item off (the second sign-off closes it)."""
            return move(request, db, user, item_id, lambda: service.sign_off(db, user, item_id))


# --- rectification ledger, evidence, manual indicators ----------------------------------------


def _rectification_pages(pages: APIRouter) -> None:
    def ledger(
        request: Request,
        db: Database,
        user: Principal,
        error: PageError | None = None,
        form: dict[str, str] | None = None,
    ) -> HTMLResponse:
        region = _region(request, user)
        query = request.query_params
        flt = queries.ItemFilter(
            status=query.get("status") or None, origin=query.get("origin") or None, region=region
        )
        rows = queries.item_ledger(db, user, flt)
        return render(
            request,
            "plans/rectification.html",
            {
                "region": regions.get_region(db, user, region),
                "regions": regions.switchable_regions(db, user),
                "filter": flt,
                "rows": rows,
                "region_names": regions.region_names(db, user, [r.region_code for r in rows]),
                "states": RECTIFICATION.states,
                "origins": ORIGINS,
                "today": clock.today(),
                "error": error,
                "form": form or {},
            },
            status_code=error.status if error else 200,
        )

    @pages.get("/plans/rectification", response_class=HTMLResponse)
    def item_ledger(request: Request, db: Db, user: User) -> HTMLResponse:
        """The rectification ledger (四张清单) with filters and the form for a new item."""
        return ledger(request, db, user)

    @pages.post("/plans/rectification", response_model=None)
    def create(request: Request, db: Db, user: User, form: FormValues) -> Response:
        """Register a problem (建档立案) and open its page."""
        values = _form_values(form)

        def step() -> str:
            deadline = _day(values.get("deadline"), "deadline")
            if deadline is None:
                raise InputError(both("plans.error.no_deadline"))
            item_id = service.create_item(
                db,
                user,
                region_code=values.get("region_code", ""),
                problem=values.get("problem", ""),
                origin=values.get("origin", ""),
                origin_ref=values.get("origin_ref") or None,
                target=values.get("target", ""),
                measures=values.get("measures", ""),
                deadline=deadline,
                unit_name=values.get("unit") or None,
            )
            return f"/plans/rectification/{item_id}"

        return _submit(step, lambda error: ledger(request, db, user, error, values))

    @pages.get("/plans/evidence/{evidence_id:int}", responses=FILE_RESPONSES)
    def evidence(evidence_id: IdPath, db: Db, user: User) -> Response:
        """Download an evidence file (always as an attachment, never rendered in the page)."""
        found = service.evidence_file(db, user, evidence_id)
        return Response(
            found.content,
            media_type=download_type(found.content_type),
            headers={
                "Content-Disposition": attachment(found.filename),
                "X-Content-Type-Options": "nosniff",
            },
        )


def download_type(content_type: str) -> str:
    """The media type an uploaded file is served with: its own when harmless, else bytes."""
    base = content_type.split(";", 1)[0].strip().lower()
    return (
        base
        if base in DOWNLOAD_TYPES or base.startswith(OFFICE_TYPES)
        else "application/octet-stream"
    )


def _indicator_pages(pages: APIRouter) -> None:
    def page(
        request: Request,
        db: Database,
        user: Principal,
        error: PageError | None = None,
        form: dict[str, Any] | None = None,
    ) -> HTMLResponse:
        region = _region(request, user)
        values = indicators.reported_values(db, user, region)
        return render(
            request,
            "plans/indicators.html",
            {
                "region": regions.get_region(db, user, region),
                "regions": regions.switchable_regions(db, user),
                "manual": indicators.MANUAL_INDICATORS,
                "names": indicators.MANUAL_BY_KEY,
                "values": values,
                "region_names": regions.region_names(db, user, [v.region_code for v in values]),
                "year": clock.today().year,
                "error": error,
                "form": form or {},
            },
            status_code=error.status if error else 200,
        )

    @pages.get("/plans/indicators", response_class=HTMLResponse)
    def manual_values(request: Request, db: Db, user: User) -> HTMLResponse:
        """Manually reported indicator values of the region and the form to report one."""
        return page(request, db, user)

    @pages.post("/plans/indicators", response_model=None)
    def report_value(request: Request, db: Db, user: User, form: FormValues) -> Response:
        """Report a manual indicator's value with its evidence."""
        values = _form_values(form)

        def step() -> str:
            value = _number(values.get("value", ""), "数值 value")
            year = _year(values.get("year", ""), "year")
            if value is None or year is None:
                raise InputError(both("plans.error.value_needs_year"))
            indicators.report_value(
                db,
                user,
                key=values.get("indicator", ""),
                region_code=values.get("region_code", ""),
                year=year,
                value=value,
                evidence=values.get("evidence", ""),
                today=clock.today(),
            )
            return "/plans/indicators"

        return _submit(step, lambda error: page(request, db, user, error, values))
