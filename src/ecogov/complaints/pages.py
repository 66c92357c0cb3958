"""Complaint pages (zh-CN first): the public intake form and receipt-code lookup, the officers'
ledger (the one table mechanism), a complaint's page with its timeline and moves, its photos
(attachments only) and the ledger export without identity fields. Thin: forms call the
service; a refusal shows the page again with the reason and its 4xx status."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from typing import Annotated, Any
from urllib.parse import urlencode

import polars as pl
from fastapi import APIRouter, Depends, File, Form, Path, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import UploadFile as StarletteUpload

from ecogov.complaints import service
from ecogov.complaints.access import COMPLAINANTS, COMPLAINTS
from ecogov.complaints.maplayers import LAYER_KEY
from ecogov.complaints.models import CATEGORIES
from ecogov.complaints.workflow import COMPLAINT, STATES
from ecogov.platform import maps
from ecogov.platform.db import Database
from ecogov.platform.errors import EcogovError, InputError
from ecogov.platform.exports import DOWNLOAD_RESPONSES, Column, attachment, download_spec
from ecogov.platform.http import (
    client_address,
    current_principal,
    get_database,
    get_settings_of,
    require_user,
    selected_region,
)
from ecogov.platform.i18n import translate
from ecogov.platform.params import IdPath, OptionalPeriodQuery
from ecogov.platform.periods import parse_period
from ecogov.platform.permissions import allowed
from ecogov.platform.scope import Principal
from ecogov.platform.tables import Choice, SortKey, TableSpec, table_page
from ecogov.platform.templating import language_of, render

Db = Annotated[Database, Depends(get_database)]
User = Annotated[Principal, Depends(require_user)]
Anyone = Annotated[Principal, Depends(current_principal)]
PHONE_CHANNELS = ("phone_12345", "phone_12369")

LEDGER = TableSpec(
    name="complaints",
    sorts=(
        SortKey("received", "complaints.received_on", lambda r: r.received_on),
        SortKey("due", "complaints.due", lambda r: r.due_on),
        SortKey("no", "complaints.no", lambda r: r.no),
    ),
    choices=(
        Choice("state", "complaints.status", lambda r: r.state, "complaints.state."),
        Choice("category", "complaints.category", lambda r: r.category, "complaints.category."),
        Choice(
            "overdue",
            "complaints.overdue",
            lambda r: "yes" if r.overdue else "no",
            "complaints.yn.",
        ),
    ),
    search=lambda r: f"{r.no} {r.address or ''} {r.unit_name or ''}",
    default_sort="-received",
)
EXPORT_COLUMNS: tuple[tuple[str, Callable[[service.LedgerRow], str]], ...] = (
    ("complaints.no", lambda r: r.no),
    ("complaints.received_on", lambda r: r.received_on.isoformat()),
    ("complaints.channel", lambda r: translate(f"complaints.channel.{r.channel}")),
    ("complaints.category", lambda r: translate(f"complaints.category.{r.category}")),
    ("complaints.region", lambda r: r.region_code),
    ("complaints.address", lambda r: r.address or ""),
    ("complaints.unit", lambda r: r.unit_name or ""),
    ("complaints.status", lambda r: r.state_name),
    ("complaints.due", lambda r: r.due_on.isoformat() if r.due_on else ""),
    ("complaints.overdue", lambda r: "是" if r.overdue else ""),
    ("complaints.verified", lambda r: {None: "", True: "属实", False: "不属实"}[r.verified]),
    ("complaints.satisfaction", lambda r: _satisfaction(r.satisfaction)),
)  # fmt: skip
"""The bureaus' ledger layout (信访投诉台账): no identity field can be among them — the rows
(:class:`ecogov.complaints.service.LedgerRow`) carry none."""


def _satisfaction(value: str | None) -> str:
    return translate(f"complaints.satisfaction.{value}") if value else ""


def _text(form: Any, key: str) -> str | None:
    value = form.get(key)
    return value.strip() or None if isinstance(value, str) else None


def _number(form: Any, key: str) -> float | None:
    text = _text(form, key)
    if text is None:
        return None
    try:
        return float(text)
    except ValueError:
        raise InputError(f"“{text}”不是数字（{key} is not a number）") from None


def router() -> APIRouter:
    """Page routes of the complaints domain."""
    pages = APIRouter()

    def new_page(
        request: Request, error: str = "", status: int = 200, receipt: Any = None
    ) -> HTMLResponse:
        picker = maps.MapConfig(
            region=get_settings_of(request).boundary_province_codes[0],
            language=language_of(request),
            pick=maps.PointPick(lon="lon", lat="lat"),
        )
        context = {
            "categories": CATEGORIES,
            "error": error,
            "receipt": receipt,
            "form": {},
            "map_config": picker,
        }
        return render(request, "complaints/new.html", context, status)

    @pages.get("/portal/complaints/new", response_class=HTMLResponse)
    def new(request: Request) -> HTMLResponse:
        """The public complaint form (no login)."""
        return new_page(request)

    @pages.post("/portal/complaints/new", response_class=HTMLResponse)
    async def file_new(request: Request, db: Db, principal: Anyone) -> HTMLResponse:
        """File the complaint; the page then shows the receipt code once."""
        form = await request.form()
        try:
            photos = [
                service.Photo(f.filename or "photo", await f.read())
                for f in form.getlist("photos")
                if isinstance(f, StarletteUpload) and (f.filename or f.size)
            ]
            new = service.NewComplaint(
                region_code=_text(form, "region_code") or "",
                category=_text(form, "category") or "",
                text=_text(form, "text") or "",
                address=_text(form, "address"),
                lon=_number(form, "lon"),
                lat=_number(form, "lat"),
                photos=photos,
                name=_text(form, "name"),
                phone=_text(form, "phone"),
                email=_text(form, "email"),
            )
            receipt = service.file_complaint(db, principal, new, client_address(request))
        except EcogovError as exc:
            return new_page(request, str(exc), exc.status_code)
        shown = {"no": receipt.no, "code": service.display_code(receipt.code)}
        return new_page(request, receipt=shown, status=201)

    @pages.get("/portal/complaints/lookup", response_class=HTMLResponse)
    def lookup(request: Request, db: Db, code: str = "") -> HTMLResponse:
        """Status and public answer of a complaint by its receipt code (no login)."""
        found, error, status = None, "", 200
        if code.strip():
            try:
                found = service.lookup(db, code)
            except EcogovError as exc:
                error, status = str(exc), exc.status_code
        context = {"found": found, "error": error, "code": code}
        return render(request, "complaints/lookup.html", context, status)

    @pages.get("/complaints", response_class=HTMLResponse)
    def ledger(
        request: Request,
        db: Db,
        user: User,
        category: Annotated[str | None, Query(max_length=8)] = None,
        period: OptionalPeriodQuery = None,
    ) -> HTMLResponse:
        """The complaint ledger of the user's region: filter by state, category, overdue; the
        hot-spot map of the chosen category and period above it."""
        table = table_page(LEDGER, service.ledger(db, user), request)
        region = (
            selected_region(request, user) or get_settings_of(request).boundary_province_codes[0]
        )
        query = urlencode({k: v for k, v in (("category", category), ("period", period)) if v})
        url = f"/complaints/hotspots.geojson?region={{region}}{'&' if query else ''}{query}"
        config = maps.config(
            user, region, language_of(request), visible={LAYER_KEY}, urls={LAYER_KEY: url}
        )
        context = {
            "t": table,
            "map_config": config,
            "period": period or "",
            "categories": CATEGORIES,
        }
        return render(request, "complaints/ledger.html", context)

    @pages.get("/complaints/hotspots.geojson", include_in_schema=False)
    def hotspots(
        db: Db,
        user: User,
        region: Annotated[str | None, Query(pattern="^[0-9]{6}$")] = None,
        category: Annotated[str | None, Query(max_length=8)] = None,
        period: OptionalPeriodQuery = None,
    ) -> dict[str, Any]:
        """The hot-spot layer (GeoJSON): no identity, no text — where, what, when, status."""
        chosen = parse_period(period) if period else None
        rows = service.hotspots(db, user, region, category or None, chosen)
        return maps.feature_collection(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [r.lon, r.lat]},
                "properties": {
                    "name": r.no,
                    "id": r.id,
                    "category": r.category,
                    "received_on": r.received_on.isoformat(),
                    "state_name": r.state_name,
                },
            }
            for r in rows
        )

    @pages.get("/complaints/import", response_class=HTMLResponse)
    def import_form(request: Request, user: User) -> HTMLResponse:
        """The 12345 export upload form (one transaction; skip bad rows on request)."""
        return render(request, "complaints/import.html", {"summary": "", "error": ""})

    @pages.post("/complaints/import", response_class=HTMLResponse)
    def import_upload(
        request: Request,
        db: Db,
        user: User,
        upload: Annotated[UploadFile, File(alias="file")],
        skip_bad_rows: Annotated[bool, Form()] = False,
    ) -> HTMLResponse:
        """Import the file; show what was stored, or why nothing was (the rejects recorded)."""
        name = upload.filename or "12345.xlsx"
        try:
            result = service.import_12345(
                db, user, name, upload.file.read(), skip_bad_rows=skip_bad_rows
            )
        except EcogovError as exc:
            context = {"summary": "", "error": str(exc)}
            return render(request, "complaints/import.html", context, exc.status_code)
        summary = translate("complaints.import.done", language_of(request)).format(
            file=name, **asdict(result)
        )
        return render(request, "complaints/import.html", {"summary": summary, "error": ""})

    def phone_page(request: Request, error: str = "", status: int = 200) -> HTMLResponse:
        context = {"categories": CATEGORIES, "channels": PHONE_CHANNELS, "error": error}
        return render(request, "complaints/phone.html", context, status)

    @pages.get("/complaints/phone", response_class=HTMLResponse)
    def phone_form(request: Request, user: User) -> HTMLResponse:
        """The form an officer logs a 12345/12369 call with."""
        return phone_page(request)

    @pages.post("/complaints/phone", response_model=None)
    async def phone_log(request: Request, db: Db, user: User) -> Response:
        """Register the call as a complaint; on to its page."""
        form = await request.form()
        try:
            new = service.NewComplaint(
                region_code=_text(form, "region_code") or "",
                category=_text(form, "category") or "",
                text=_text(form, "text") or "",
                address=_text(form, "address"),
                lon=_number(form, "lon"),
                lat=_number(form, "lat"),
                name=_text(form, "name"),
                phone=_text(form, "phone"),
                channel=_text(form, "channel") or "",
            )
            receipt = service.file_complaint(db, user, new)
        except EcogovError as exc:
            return phone_page(request, str(exc), exc.status_code)
        return RedirectResponse(f"/complaints/{receipt.id}", status_code=303)

    @pages.get("/complaints/export.{fmt}", responses=DOWNLOAD_RESPONSES)
    def export(fmt: Annotated[str, Path(pattern="^(csv|xlsx)$")], db: Db, user: User) -> Response:
        """The ledger in the bureaus' layout (信访投诉台账, CSV or Excel), without any identity
        field."""
        rows = service.ledger(db, user)
        frame = pl.DataFrame(
            {key: [value(r) for r in rows] for key, value in EXPORT_COLUMNS},
            schema=dict.fromkeys((key for key, _ in EXPORT_COLUMNS), pl.String),
        )
        spec = [Column(key, translate(key)) for key, _ in EXPORT_COLUMNS]
        return download_spec(frame, spec, fmt, "信访投诉台账", title=translate("complaints.ledger"))

    def complaint_page(
        request: Request,
        db: Database,
        user: Principal,
        complaint_id: int,
        error: str = "",
        status: int = 200,
        identity: Any = None,
    ) -> HTMLResponse:
        found = service.view(db, user, complaint_id)
        context = {
            "c": found,
            "machine": COMPLAINT,
            "states": STATES,
            "error": error,
            "identity": identity,
            "may_act": allowed(user, "advance", COMPLAINTS, found.row),
            "may_identify": allowed(user, "read", COMPLAINANTS, found.row),
            "lang": language_of(request),
        }
        return render(request, "complaints/complaint.html", context, status)

    @pages.get("/complaints/{complaint_id}", response_class=HTMLResponse)
    def complaint(request: Request, complaint_id: IdPath, db: Db, user: User) -> HTMLResponse:
        """A complaint: facts, clock, the moves open now, timeline, photos, its case."""
        return complaint_page(request, db, user, complaint_id)

    @pages.post("/complaints/{complaint_id}/identity", response_class=HTMLResponse)
    def identity(request: Request, complaint_id: IdPath, db: Db, user: User) -> HTMLResponse:
        """Show the complainant on the page (audited; handling officers only)."""
        try:
            who = service.identity_of(db, user, complaint_id)
        except EcogovError as exc:
            return complaint_page(request, db, user, complaint_id, str(exc), exc.status_code)
        return complaint_page(request, db, user, complaint_id, identity=who)

    @pages.post("/complaints/{complaint_id}/moves/{action}", response_model=None)
    async def move(
        request: Request, complaint_id: IdPath, action: str, db: Db, user: User
    ) -> Response:
        """Make a move; back to the complaint's page."""
        form = await request.form()
        verified = _text(form, "verified")
        enterprise = _text(form, "enterprise_id")
        try:
            data = service.MoveInput(
                unit_name=_text(form, "unit_name"),
                unit_region=_text(form, "unit_region"),
                verified=None if verified is None else verified == "yes",
                satisfaction=_text(form, "satisfaction"),
                enterprise_id=int(enterprise) if enterprise and enterprise.isdigit() else None,
            )
            service.act(db, user, complaint_id, action, _text(form, "note"), data)
        except EcogovError as exc:
            return complaint_page(request, db, user, complaint_id, str(exc), exc.status_code)
        return RedirectResponse(f"/complaints/{complaint_id}", status_code=303)

    @pages.get("/complaints/photos/{photo_id}")
    def photo(photo_id: IdPath, db: Db, user: User) -> Response:
        """A photo, always as an attachment with its checked image type (never rendered inline
        from our origin, so no stored script can run)."""
        found = service.photo(db, user, photo_id)
        headers = {
            "Content-Disposition": attachment(found.filename),
            "X-Content-Type-Options": "nosniff",
        }
        return Response(found.content, media_type=found.content_type, headers=headers)

    return pages
