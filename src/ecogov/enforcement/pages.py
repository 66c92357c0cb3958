"""Enforcement pages (zh-CN first): the region dashboard with the case ledger and the inspectors'
workload, the draw page (publish hash → draw → publish seed and result), the case page with its
moves and clock, and an enterprise's compliance history (ECHO-style). Thin: forms call the
services; a refusal shows the page again with the reason and its 4xx status."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, Final

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData
from starlette.datastructures import UploadFile as StarletteUpload

from ecogov.enforcement import cases, credit, draws, inspections, risk, service
from ecogov.enforcement.access import ENFORCEMENT, RISK_SCORES
from ecogov.enforcement.maplayers import CREDIT_KEY, CREDIT_LAYER
from ecogov.platform import maps
from ecogov.platform.clock import today as clock_today
from ecogov.platform.db import Database
from ecogov.platform.errors import EcogovError, InputError, NotFound
from ecogov.platform.http import get_database, require_user, selected_region, shown_region
from ecogov.platform.maps import feature_collection
from ecogov.platform.params import IdPath
from ecogov.platform.periods import parse_period
from ecogov.platform.permissions import allowed
from ecogov.platform.scope import Principal
from ecogov.platform.templating import language_of, render
from ecogov.standards.enforcement.penalty import Round
from ecogov.standards.enforcement.rules import NATIONAL_RULES
from ecogov.standards.periods import Period

Db = Annotated[Database, Depends(get_database)]
User = Annotated[Principal, Depends(require_user)]
Refused = Callable[[str, int], HTMLResponse]
RegionQuery = Annotated[str, Query(pattern=r"^(\d{6})?$")]
INDICATOR_NAMES = {
    **{i.key: i.name_zh for i in NATIONAL_RULES.credit.indicators},
    **{v.key: v.name_zh for v in NATIONAL_RULES.credit.vetoes},
}
"""Chinese names of the credit indicators and veto items, for the traced points."""


def _submit(step: Callable[[], str], refused: Refused) -> Response:
    """Run a form's service call and redirect (303) to the path it returns, or show the page
    again with the refusal."""
    try:
        path = step()
    except EcogovError as exc:
        return refused(str(exc), exc.status_code)
    return RedirectResponse(path, status_code=303)


def _fine(text: str) -> Decimal:
    try:
        return Decimal(text.strip() or "x")
    except InvalidOperation:
        raise InputError(f"罚款金额“{text}”不是数字（the fine is not a number）") from None


def router() -> APIRouter:
    """Page routes of the enforcement domain."""
    pages = APIRouter()

    def dashboard_page(
        request: Request,
        db: Database,
        user: Principal,
        error: str = "",
        status: int = 200,
        period_text: str | None = None,
    ) -> HTMLResponse:
        period = _period(period_text)
        region = selected_region(request, user) or REGION_ALL
        map_config = maps.config(
            user,
            region,
            language_of(request),
            drill="/enforcement?region={code}",
            visible={CREDIT_KEY},
            urls={CREDIT_KEY: f"{CREDIT_LAYER.url}&period={period.label}"},
        )
        return render(
            request,
            "enforcement/dashboard.html",
            {
                "board": service.dashboard(db, user, period),
                "period": period,
                "map_config": map_config,
                "states": cases.STATES,
                "error": error,
                "may_act": allowed(user, "advance", ENFORCEMENT),
                "region_code": user.region_code or "",
            },
            status,
        )

    @pages.get("/enforcement", response_class=HTMLResponse)
    def dashboard(
        request: Request,
        db: Db,
        user: User,
        period: Annotated[str | None, Query(max_length=32)] = None,
    ) -> HTMLResponse:
        """The region dashboard for a period (default: this year): the map of the directory by
        credit grade, cases filed in the period by stage, late cases, draws, workload, ledger."""
        return dashboard_page(request, db, user, period_text=period)

    @pages.get("/enforcement/my-tasks", response_class=HTMLResponse)
    def my_tasks(request: Request, db: Db, user: User) -> HTMLResponse:
        """The user's own inspection tasks, a part of the desk its page fetches (empty for a
        user who is not an inspector of the pool)."""
        context = {"my_tasks": draws.my_tasks(db, user)}
        return render(request, "enforcement/my_tasks.html", context, per_user=True)

    @pages.get("/enforcement/map/objects.geojson", include_in_schema=False)
    def objects_layer(
        db: Db,
        user: User,
        region: Annotated[str | None, Query(pattern=r"^\d{6}$")] = None,
        period: Annotated[str | None, Query(max_length=32)] = None,
    ) -> dict[str, Any]:
        """The map layer of the directory by credit grade (GeoJSON)."""
        return feature_collection(service.map_features(db, user, region, _period(period)))

    def draw_page(
        request: Request,
        db: Database,
        user: Principal,
        draw_id: int,
        error: str = "",
        status: int = 200,
    ) -> HTMLResponse:
        view = draws.view(db, user, draw_id)
        context: dict[str, Any] = {
            "draw": view,
            "error": error,
            "may_act": allowed(user, "update", ENFORCEMENT, view),
            "files": draws.DRAW_FILES,
            "revealed_files": draws.REVEALED_FILES,
        }
        return render(request, "enforcement/draw.html", context, status)

    @pages.get("/enforcement/draws/{draw_id}", response_class=HTMLResponse)
    def draw(request: Request, draw_id: IdPath, db: Db, user: User) -> HTMLResponse:
        """A draw: hash, draw, seed and result, with the next step's button."""
        return draw_page(request, db, user, draw_id)

    @pages.post("/enforcement/draws", response_model=None)
    def new_draw(
        request: Request,
        db: Db,
        user: User,
        title: Annotated[str, Form(max_length=128)],
        region_code: Annotated[str, Form(pattern=r"^\d{6}$")],
    ) -> Response:
        """Plan a draw under the national rules; opens its page."""

        def step() -> str:
            return f"/enforcement/draws/{draws.create_draw(db, user, region_code, title, {})}"

        return _submit(
            step, lambda message, status: dashboard_page(request, db, user, message, status)
        )

    @pages.post("/enforcement/draws/{draw_id}/{step_name}", response_model=None)
    def draw_step(
        request: Request, draw_id: IdPath, step_name: str, db: Db, user: User
    ) -> Response:
        """One step of a draw: ``publish-hash``, ``run`` or ``publish-result``."""
        steps: dict[str, Callable[[], object]] = {
            "publish-hash": lambda: draws.publish_hash(db, user, draw_id),
            "run": lambda: draws.run_draw(db, user, draw_id),
            "publish-result": lambda: draws.publish_result(db, user, draw_id),
        }

        def step() -> str:
            if step_name not in steps:
                raise InputError(f"未知的抽查步骤“{step_name}”（unknown step）")
            steps[step_name]()
            return f"/enforcement/draws/{draw_id}"

        return _submit(
            step, lambda message, status: draw_page(request, db, user, draw_id, message, status)
        )

    def case_page(
        request: Request,
        db: Database,
        user: Principal,
        case_id: int,
        error: str = "",
        status: int = 200,
    ) -> HTMLResponse:
        found = [r for r in cases.ledger(db, user) if r.id == case_id]
        if not found:
            raise NotFound(f"未找到案件 {case_id}（no case {case_id}）")
        row = found[0]
        events = cases.events(db, user, case_id)
        moves = [m for m in cases.CASE.moves_from(row.state) if m.actor != "system"]
        return render(
            request,
            "enforcement/case.html",
            {
                "case": row,
                "daily": cases.daily_penalty_of(db, user, case_id),
                "daily_allowed": row.state in cases.DAILY_PENALTY_STATES,
                "may_extend": any(m.name.startswith(cases.EXTEND) for m in moves),
                "events": events,
                "moves": moves,
                "machine": cases.CASE,
                "documents": cases.DOCUMENTS,
                "error": error,
                "may_act": allowed(user, "advance", ENFORCEMENT, row),
            },
            status,
        )

    @pages.get("/enforcement/cases/{case_id}", response_class=HTMLResponse)
    def case(request: Request, case_id: IdPath, db: Db, user: User) -> HTMLResponse:
        """A case: its stage, clock, moves, documents and history."""
        return case_page(request, db, user, case_id)

    @pages.post("/enforcement/cases/{case_id}/moves/{action}", response_model=None)
    def move(
        request: Request,
        case_id: IdPath,
        action: str,
        db: Db,
        user: User,
        note: Annotated[str, Form(max_length=2000)] = "",
        fine_yuan: Annotated[str, Form(max_length=20)] = "",
        legal_basis: Annotated[str, Form(max_length=2000)] = "",
        extension_days: Annotated[int | None, Form(ge=1, le=366)] = None,
    ) -> Response:
        """Make a move of the case; a decision takes its fine and legal basis, an extension its
        days."""

        def step() -> str:
            decision = cases.Decision(_fine(fine_yuan), legal_basis) if action == "decide" else None
            cases.act(db, user, case_id, action, note.strip() or None, decision, extension_days)
            return f"/enforcement/cases/{case_id}"

        return _submit(
            step, lambda message, status: case_page(request, db, user, case_id, message, status)
        )

    @pages.post("/enforcement/cases/{case_id}/documents", response_model=None)
    def document(
        request: Request,
        case_id: IdPath,
        db: Db,
        user: User,
        form: Annotated[FormData, Depends(_form)],
    ) -> Response:
        """Attach a document (文书) to the case."""

        def step() -> str:
            upload = form.get("file")
            if not isinstance(upload, StarletteUpload) or not upload.filename:
                raise InputError("请选择要上传的文书文件（choose a file）")
            cases.add_document(
                db,
                user,
                case_id,
                str(form.get("kind") or ""),
                upload.filename,
                upload.content_type or "application/octet-stream",
                upload.file.read(),
            )
            return f"/enforcement/cases/{case_id}"

        return _submit(
            step, lambda message, status: case_page(request, db, user, case_id, message, status)
        )

    @pages.post("/enforcement/cases/{case_id}/daily-penalty", response_model=None)
    def daily_penalty(
        request: Request,
        case_id: IdPath,
        db: Db,
        user: User,
        rounds: Annotated[str, Form(max_length=4000)],
        original_fine_yuan: Annotated[str, Form(max_length=20)] = "",
        discharge_stopped: Annotated[bool, Form()] = False,
    ) -> Response:
        """Record the case's daily continuous penalty from its rounds (one per line)."""

        def step() -> str:
            fine = _fine(original_fine_yuan) if original_fine_yuan.strip() else None
            cases.record_daily_penalty(
                db, user, case_id, _rounds(rounds), fine, discharge_stopped=discharge_stopped
            )
            return f"/enforcement/cases/{case_id}"

        return _submit(
            step, lambda message, status: case_page(request, db, user, case_id, message, status)
        )

    @pages.get("/enforcement/enterprises/{enterprise_id}", response_class=HTMLResponse)
    def history(request: Request, enterprise_id: IdPath, db: Db, user: User) -> HTMLResponse:
        """An enterprise's compliance history: credit, inspections and findings, cases."""
        return render(
            request,
            "enforcement/history.html",
            {
                "history": service.history(db, user, enterprise_id),
                "may_act": allowed(user, "advance", ENFORCEMENT),
                "states": cases.STATES,
                "today": clock_today(),
                "indicators": INDICATOR_NAMES,
                "risk": (
                    risk.explain(db, user, enterprise_id)
                    if allowed(user, "read", RISK_SCORES)
                    else None
                ),
            },
        )

    def risk_page(
        request: Request, db: Database, user: Principal, region: str, error: str = "",
        status: int = 200,
    ) -> HTMLResponse:  # fmt: skip
        context = {
            "rows": risk.top(db, user, region),
            "region": region,
            "error": error,
            "may_refresh": allowed(user, "update", RISK_SCORES),
        }
        return render(request, "enforcement/risk.html", context, status)

    @pages.get("/enforcement/risk", response_class=HTMLResponse)
    def top_risk(request: Request, db: Db, user: User, region: RegionQuery = "") -> HTMLResponse:
        """The region's top-risk list (重点监管对象清单), ranked by the directory's risk score."""
        return risk_page(request, db, user, region or shown_region(request, user))

    @pages.post("/enforcement/risk", response_model=None)
    def refresh_risk(
        request: Request,
        db: Db,
        user: User,
        region: Annotated[str, Form(pattern=r"^\d{6}$")],
    ) -> Response:
        """Grade the region's directory from the platform's records and rank it again."""

        def step() -> str:
            credit.evaluate_region(db, user, region)
            return f"/enforcement/risk?region={region}"

        return _submit(
            step, lambda message, status: risk_page(request, db, user, region, message, status)
        )

    def task_page(
        request: Request,
        db: Database,
        user: Principal,
        task_id: int,
        error: str = "",
        status: int = 200,
    ) -> HTMLResponse:
        form = inspections.task_form(db, user, task_id, CHECK_TYPE)
        return render(request, "enforcement/task.html", {"form": form, "error": error}, status)

    @pages.get("/enforcement/tasks/{task_id}", response_class=HTMLResponse)
    def task(request: Request, task_id: IdPath, db: Db, user: User) -> HTMLResponse:
        """A task with its checklist: the mobile inspection form."""
        return task_page(request, db, user, task_id)

    @pages.post("/enforcement/tasks/{task_id}/inspection", response_model=None)
    def inspect(
        request: Request,
        task_id: IdPath,
        db: Db,
        user: User,
        form: Annotated[FormData, Depends(_form)],
    ) -> Response:
        """Record the inspection (answers, a finding, a photo, the position)."""

        def step() -> str:
            new = _inspection(task_id, form)
            inspections.record(db, user, new)
            target = inspections.task_form(db, user, task_id, CHECK_TYPE)
            return f"/enforcement/enterprises/{target.enterprise_id}"

        return _submit(
            step, lambda message, status: task_page(request, db, user, task_id, message, status)
        )

    @pages.post("/enforcement/findings/{finding_id}/{target}", response_model=None)
    def finding_to(
        request: Request,
        finding_id: IdPath,
        target: str,
        db: Db,
        user: User,
        title: Annotated[str, Form(max_length=256)] = "",
    ) -> Response:
        """Turn a finding into a case (opens it) or a rectification item (back to history)."""

        def step() -> str:
            if target == "case":
                return f"/enforcement/cases/{inspections.to_case(db, user, finding_id, title)}"
            if target == "rectification":
                ref = inspections.to_rectification(db, user, finding_id)
                return f"/plans/rectification/{ref.split(':', 1)[1]}"
            raise InputError(f"问题只能转为 case 或 rectification（unknown target {target!r}）")

        return _submit(
            step, lambda message, status: dashboard_page(request, db, user, message, status)
        )

    return pages


PERIOD_KINDS: Final = ("year", "quarter", "month")
REGION_ALL: Final = "100000"
"""The map's region for a user without one (an admin): the country."""


def _period(text: str | None) -> Period:
    """The dashboard's period (the one period grammar; default: this year)."""
    if not text:
        return parse_period(str(clock_today().year), PERIOD_KINDS, allow_range=False)
    return parse_period(text, PERIOD_KINDS, allow_range=False)


CHECK_TYPE = "routine"
"""The check type the inspection page offers (日常检查)."""


async def _form(request: Request) -> FormData:
    return await request.form()


def _inspection(task_id: int, form: FormData) -> inspections.NewInspection:
    """The inspection a submitted task form describes."""
    answers = {
        key.removeprefix("answer-"): str(value)
        for key, value in form.items()
        if key.startswith("answer-")
    }
    text = str(form.get("finding") or "").strip()
    findings = [inspections.NewFinding(text, str(form.get("severity") or "yellow"))] if text else []
    photos = []
    upload = form.get("photo")
    if isinstance(upload, StarletteUpload) and upload.filename:
        content = upload.file.read()
        photos.append(
            inspections.Photo(upload.filename, upload.content_type or "image/jpeg", content)
        )
    return inspections.NewInspection(
        task_id,
        CHECK_TYPE,
        answers,
        findings,
        photos,
        _coordinate(form, "lon"),
        _coordinate(form, "lat"),
    )


def _rounds(text: str) -> list[Round]:
    """Rounds typed one per line as ``order served, violation found`` (YYYY-MM-DD)."""
    rounds = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.replace("，", ",").split(",")]
        try:
            served, found = (date.fromisoformat(p) for p in parts)
        except ValueError:
            raise InputError(
                f"第 {number} 行“{line.strip()}”应为“送达日,发现日”（YYYY-MM-DD,YYYY-MM-DD）"
                f"（line {number}: expected two dates）"
            ) from None
        rounds.append(Round(served, found))
    return rounds


def _coordinate(form: FormData, name: str) -> float | None:
    text = str(form.get(name) or "").strip()
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        raise InputError(f"经纬度“{text}”不是数字（{name} is not a number）") from None
