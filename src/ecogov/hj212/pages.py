"""HJ 212 pages: a device's latest data, exceedances and findings; the receiver's status."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import HTMLResponse

from ecogov.hj212 import commands, service
from ecogov.hj212.access import REJECTS
from ecogov.hj212.alerts import factor_name
from ecogov.hj212.status import read_status
from ecogov.platform.db import Database
from ecogov.platform.http import get_database, require_user
from ecogov.platform.permissions import allowed
from ecogov.platform.scope import Principal
from ecogov.platform.templating import render
from ecogov.sources.service import enterprise_name
from ecogov.standards.timebase import BEIJING


def router() -> APIRouter:
    """Page routes of the HJ 212 domain."""
    pages = APIRouter()

    @pages.get("/hj212/devices/{mn}", response_class=HTMLResponse)
    def device_page(
        request: Request,
        mn: str,
        db: Database = Depends(get_database),
        principal: Principal = Depends(require_user),
    ) -> HTMLResponse:
        """在线监控: a device's latest hourly means with a chart of the last 7 days against its
        permit limits, exceedances, findings and commands."""
        overview = service.device_overview(db, principal, mn)
        recent = commands.list_commands(db, principal, mn, limit=10)
        codes = {
            *overview.factors,
            *(e.factor for e in overview.exceedances),
            *(f.factor for f in overview.findings if f.factor),
        }
        context = {
            "o": overview,
            "commands": recent,
            "chart": jsonable_encoder(overview.chart),
            "factor_names": {code: factor_name(code) for code in codes},
            "enterprise_name": enterprise_name(db, principal, overview.enterprise_id),
        }
        return render(request, "hj212/device.html", context)

    @pages.get("/hj212", response_class=HTMLResponse)
    def status_page(
        request: Request,
        db: Database = Depends(get_database),
        principal: Principal = Depends(require_user),
    ) -> HTMLResponse:
        """数据接收状态: each receiver's connections, packet rate and rejects by reason; times in
        Beijing time, as on every page."""
        rejects = (
            service.rejects(db, principal, limit=50) if allowed(principal, "read", REJECTS) else []
        )
        return render(
            request,
            "hj212/status.html",
            {"receivers": read_status(db, principal), "rejects": rejects, "beijing": BEIJING},
        )

    return pages
