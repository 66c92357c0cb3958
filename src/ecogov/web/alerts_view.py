"""The alerts inbox on the web: JSON API under ``/api/v1/alerts`` (with the map layer's GeoJSON)
and the inbox and alert pages. Thin: the rules are in :mod:`ecogov.platform.alerts`."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Any

from fastapi import APIRouter, Depends, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import BaseModel, Field

from ecogov.platform import alerts
from ecogov.platform.alerts import AlertView, ConversionRequest, InboxFilter, RuleChange
from ecogov.platform.clock import beijing_time
from ecogov.platform.db import Database
from ecogov.platform.errors import InputError, NotFound, PermissionDenied
from ecogov.platform.http import get_database, require_user, selected_region
from ecogov.platform.params import ID_MAX, ID_MIN, REGION_PATTERN, Day
from ecogov.platform.plugins import region_directory
from ecogov.platform.scope import Principal
from ecogov.platform.templating import language_of, render
from ecogov.standards.timebase import beijing_wall

AlertId = Path(ge=ID_MIN, le=ID_MAX, description="预警编号 / alert id")
SEVERITY_PATTERN = r"^(blue|yellow|orange|red)$"
STATUS_PATTERN = r"^(open|acknowledged|converted|closed|dismissed|active)$"


def as_json(view: AlertView) -> dict[str, Any]:
    """An alert for the JSON API, times in Beijing time (ISO 8601 with offset)."""
    row = asdict(view)
    for key in ("window_start", "window_end", "first_seen", "last_seen"):
        row[key] = beijing_wall(getattr(view, key)).isoformat(timespec="seconds")
    row["severity_name"] = alerts.SEVERITY[view.severity].name_zh
    row["status_name"] = alerts.STATUSES[view.status][0]
    kind = alerts.kinds().get(view.kind)
    row["kind_name"] = kind.name_zh if kind else view.kind
    row["url"] = f"/alerts/{view.id}"
    return row


class ConvertBody(BaseModel):
    """An officer's conversion: optional deadline (Beijing day) and responsible unit."""

    deadline: Day | None = None
    unit_name: str | None = Field(None, max_length=128)
    converter: str = Field("rectification", max_length=32)


class RuleBody(BaseModel):
    """An auto-conversion rule's fields (all optional when changing one)."""

    kind_pattern: str | None = Field(None, max_length=64)
    min_severity: str | None = Field(None, pattern=SEVERITY_PATTERN)
    converter: str | None = Field(None, max_length=32)
    region_code: str | None = Field(None, pattern=REGION_PATTERN)
    deadline_days: int | None = Field(None, ge=1, le=365)
    enabled: bool | None = None
    source: str | None = Field(None, max_length=2000)


class NoteBody(BaseModel):
    """A note with an acknowledgement, or the reason for a dismissal."""

    note: str | None = Field(None, max_length=2000)


def _filter(
    region: str | None = Query(None, pattern=REGION_PATTERN, description="region code (6 digits)"),
    kind: str | None = Query(None, max_length=64, description="kind, or a prefix like hj212.*"),
    severity: str | None = Query(None, pattern=SEVERITY_PATTERN),
    at_least: bool = Query(False, description="this severity and above"),
    status: str | None = Query(None, pattern=STATUS_PATTERN),
    page: int = Query(1, ge=1, le=alerts.MAX_PAGE),
    per_page: int = Query(25, ge=1, le=200),
) -> InboxFilter:
    return InboxFilter(region, kind or None, severity, at_least, status, page, per_page)


def api_router() -> APIRouter:
    """Routes under ``/api/v1/alerts``."""
    api = APIRouter(prefix="/alerts", tags=["alerts"])

    @api.get("")
    def list_alerts(
        flt: InboxFilter = Depends(_filter),
        db: Database = Depends(get_database),
        principal: Principal = Depends(require_user),
    ) -> dict[str, Any]:
        """The inbox: alerts within the caller's region, most severe and newest first."""
        found = alerts.inbox(db, principal, flt)
        return {
            "total": found.total,
            "page": found.page,
            "pages": found.pages,
            "per_page": found.per_page,
            "items": [as_json(view) for view in found.alerts],
        }

    @api.get("/map.geojson")
    def alerts_geojson(
        region: str | None = Query(None, pattern=REGION_PATTERN),
        db: Database = Depends(get_database),
        principal: Principal = Depends(require_user),
    ) -> dict[str, Any]:
        """Active alerts as GeoJSON for the map's alerts layer."""
        return alerts.geojson(db, principal, region)

    @api.get("/kinds")
    def alert_kinds(principal: Principal = Depends(require_user)) -> dict[str, Any]:
        """The kinds, severities and statuses, with their Chinese and English names."""
        alerts.require_reader(principal)
        return {
            "kinds": [asdict(kind) for kind in alerts.kinds().values()],
            "severities": [asdict(severity) for severity in alerts.SEVERITIES],
            "statuses": [
                {"key": key, "name_zh": zh, "name_en": en}
                for key, (zh, en) in alerts.STATUSES.items()
            ],
        }

    @api.get("/rules")
    def alert_rules(
        db: Database = Depends(get_database), principal: Principal = Depends(require_user)
    ) -> list[dict[str, Any]]:
        """The auto-conversion rules with their sources."""
        return [
            {
                "id": rule.id,
                "kind_pattern": rule.kind_pattern,
                "min_severity": rule.min_severity,
                "converter": rule.converter,
                "region_code": rule.region_code,
                "deadline_days": rule.deadline_days,
                "enabled": rule.enabled,
                "source": rule.source,
            }
            for rule in alerts.rules(db, principal)
        ]

    @api.post("/rules", status_code=201)
    def add_alert_rule(
        body: RuleBody,
        db: Database = Depends(get_database),
        principal: Principal = Depends(require_user),
    ) -> dict[str, int]:
        """Add an auto-conversion rule (admins)."""
        return {"id": alerts.add_rule(db, principal, RuleChange(**body.model_dump()))}

    @api.patch("/rules/{rule_id}")
    def update_alert_rule(
        body: RuleBody,
        rule_id: int = Path(ge=ID_MIN, le=ID_MAX),
        db: Database = Depends(get_database),
        principal: Principal = Depends(require_user),
    ) -> dict[str, int]:
        """Change an auto-conversion rule, e.g. ``{"enabled": false}`` (admins)."""
        alerts.update_rule(db, principal, rule_id, RuleChange(**body.model_dump()))
        return {"id": rule_id}

    @api.get("/{alert_id}")
    def get_alert(
        alert_id: int = AlertId,
        db: Database = Depends(get_database),
        principal: Principal = Depends(require_user),
    ) -> dict[str, Any]:
        """One alert with its evidence."""
        return as_json(alerts.get(db, principal, alert_id))

    @api.post("/{alert_id}/convert")
    def convert_alert(
        body: ConvertBody,
        alert_id: int = AlertId,
        db: Database = Depends(get_database),
        principal: Principal = Depends(require_user),
    ) -> dict[str, Any]:
        """Turn the alert into a rectification item (转为整改事项)."""
        request = ConversionRequest(deadline=body.deadline, unit_name=body.unit_name or None)
        ref = alerts.convert(db, principal, alert_id, body.converter, request)
        view = alerts.get(db, principal, alert_id)
        return {"ref": ref, "link": view.converted_link, "alert": as_json(view)}

    @api.post("/{alert_id}/acknowledge")
    def acknowledge_alert(
        body: NoteBody,
        alert_id: int = AlertId,
        db: Database = Depends(get_database),
        principal: Principal = Depends(require_user),
    ) -> dict[str, Any]:
        """Acknowledge the alert (确认)."""
        return {"status": alerts.acknowledge(db, principal, alert_id, body.note)}

    @api.post("/{alert_id}/dismiss")
    def dismiss_alert(
        body: NoteBody,
        alert_id: int = AlertId,
        db: Database = Depends(get_database),
        principal: Principal = Depends(require_user),
    ) -> dict[str, Any]:
        """Dismiss the alert as a false alarm, with the reason (排除)."""
        return {"status": alerts.dismiss(db, principal, alert_id, body.note or "")}

    return api


def _region_names(db: Database, principal: Principal, codes: set[str]) -> dict[str, str]:
    names: dict[str, str] = {}
    for code in codes:
        try:
            names[code] = region_directory().get(db, principal, code).name
        except (NotFound, PermissionDenied):  # a region outside the registry shows its code
            names[code] = code
    return names


def pages_router() -> APIRouter:
    """The inbox and alert pages."""
    pages = APIRouter()

    @pages.get("/alerts", response_class=HTMLResponse)
    def inbox_page(
        request: Request,
        kind: str | None = Query(None, max_length=64),
        severity: str | None = Query(None, pattern=r"^(blue|yellow|orange|red)?$"),
        status: str | None = Query(
            "active", pattern=r"^(open|acknowledged|converted|closed|dismissed|active)?$"
        ),
        page: int = Query(1, ge=1, le=alerts.MAX_PAGE),
        db: Database = Depends(get_database),
        principal: Principal = Depends(require_user),
    ) -> HTMLResponse:
        """预警收件箱: the alerts of the selected region and below, with filters and pages."""
        alerts.require_reader(principal)
        region = selected_region(request, principal)
        flt = InboxFilter(
            region=region,
            kind=kind or None,
            severity=severity or None,
            status=status or None,
            page=page,
        )
        found = alerts.inbox(db, principal, flt)
        codes = {a.region_code for a in found.alerts} | ({region} if region else set())
        names = _region_names(db, principal, codes)
        return render(
            request,
            "alerts/inbox.html",
            {
                "found": found,
                "filter": flt,
                "kinds": alerts.kinds(),
                "severities": alerts.SEVERITIES,
                "statuses": alerts.STATUSES,
                "region_names": names,
                "region": region,
                "local": beijing_time,
                "en": language_of(request) == "en",
            },
        )

    @pages.get("/alerts/{alert_id}", response_class=HTMLResponse)
    def alert_page(
        request: Request,
        alert_id: int = AlertId,
        db: Database = Depends(get_database),
        principal: Principal = Depends(require_user),
    ) -> HTMLResponse:
        """One alert: evidence, link to the data, and the officer's actions."""
        view = alerts.get(db, principal, alert_id)
        names = _region_names(db, principal, {view.region_code})
        return render(
            request,
            "alerts/detail.html",
            {
                "alert": view,
                "kind": alerts.kinds().get(view.kind),
                "severity": alerts.SEVERITY[view.severity],
                "statuses": alerts.STATUSES,
                "region_name": names[view.region_code],
                "local": beijing_time,
                "can_handle": _can_handle(principal),
                "label": lambda key: alerts.evidence_label(key, language_of(request)),
                "code_fields": alerts.CODE_EVIDENCE,
                "convertible": view.status in alerts.CONVERTIBLE_STATUSES,
                "en": language_of(request) == "en",
            },
        )

    @pages.post("/alerts/{alert_id}/convert", response_model=None)
    def convert_form(
        alert_id: int = AlertId,
        deadline: str = Form(""),
        unit_name: str = Form("", max_length=128),
        db: Database = Depends(get_database),
        principal: Principal = Depends(require_user),
    ) -> RedirectResponse:
        """The "转为整改事项" button."""
        request = ConversionRequest(deadline=_day(deadline), unit_name=unit_name.strip() or None)
        alerts.convert(db, principal, alert_id, "rectification", request)
        return RedirectResponse(f"/alerts/{alert_id}", status_code=303)

    @pages.post("/alerts/{alert_id}/acknowledge", response_model=None)
    def acknowledge_form(
        alert_id: int = AlertId,
        note: str = Form("", max_length=2000),
        db: Database = Depends(get_database),
        principal: Principal = Depends(require_user),
    ) -> RedirectResponse:
        """The "确认" button."""
        alerts.acknowledge(db, principal, alert_id, note)
        return RedirectResponse(f"/alerts/{alert_id}", status_code=303)

    @pages.post("/alerts/{alert_id}/dismiss", response_model=None)
    def dismiss_form(
        alert_id: int = AlertId,
        note: str = Form("", max_length=2000),
        db: Database = Depends(get_database),
        principal: Principal = Depends(require_user),
    ) -> RedirectResponse:
        """The "排除" button (with its reason)."""
        alerts.dismiss(db, principal, alert_id, note)
        return RedirectResponse(f"/alerts/{alert_id}", status_code=303)

    return pages


def _can_handle(principal: Principal) -> bool:
    try:
        alerts.require_handler(principal)
    except PermissionDenied:
        return False
    return True


def _day(text: str) -> date | None:
    if not text.strip():
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError as exc:
        raise InputError(
            f"整改期限“{text}”不是有效日期（YYYY-MM-DD） (deadline is not a date)"
        ) from exc
