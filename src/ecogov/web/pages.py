"""Core pages: the command-centre home (指挥中心) with the region map, the audit browser,
language and region switching."""

from __future__ import annotations

import itertools
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, StreamingResponse

from ecogov.platform import audit, maps
from ecogov.platform.db import Database
from ecogov.platform.exports import DOWNLOAD_RESPONSES
from ecogov.platform.http import (
    LANGUAGE_COOKIE,
    REGION_COOKIE,
    get_database,
    require_user,
    shown_region,
)
from ecogov.platform.i18n import pick_language
from ecogov.platform.params import RegionQuery
from ecogov.platform.plugins import HomeContext, HomePanel, domains, region_directory
from ecogov.platform.scope import Principal
from ecogov.platform.templating import language_of, render
from ecogov.web import audit_view

ONE_YEAR = 365 * 24 * 3600


def home_panels() -> list[HomePanel]:
    """Every domain's command-centre panels."""
    return [draw for domain in domains() for draw in domain.home_panels]


def _back(request: Request) -> str:
    referer = request.headers.get("referer", "/")
    return referer if referer.startswith(str(request.base_url)) else "/"


def router() -> APIRouter:
    """Core page routes."""
    pages = APIRouter()

    @pages.get("/", response_class=HTMLResponse)
    def home(
        request: Request,
        db: Database = Depends(get_database),
        principal: Principal = Depends(require_user),
    ) -> HTMLResponse:
        """指挥中心: the map of the selected region with its subdivisions."""
        code = shown_region(request, principal)
        regions = region_directory()
        regions.ensure_visible(principal, code)
        language = language_of(request)
        context = HomeContext(db, principal, code, language)
        panels = [panel for draw in home_panels() if (panel := draw(context)) is not None]
        return render(
            request,
            "home.html",
            {
                "region": regions.get(db, principal, code),
                "trail": regions.lineage(db, principal, code),
                "children": regions.children(db, principal, code),
                "top": principal.region_code,
                "panels": sorted(panels, key=lambda panel: panel.order),
                "map_config": maps.config(principal, code, language, drill="/?region={code}"),
            },
        )

    @pages.get("/lang/{language}")
    def switch_language(request: Request, language: str) -> RedirectResponse:
        """Remember the chosen language (zh or en) and go back."""
        response = RedirectResponse(_back(request), status_code=303)
        response.set_cookie(
            LANGUAGE_COOKIE, pick_language(language), max_age=ONE_YEAR, samesite="lax"
        )
        return response

    @pages.get("/switch-region")
    def switch_region(
        region: RegionQuery, principal: Principal = Depends(require_user)
    ) -> RedirectResponse:
        """Select the region the pages show (only regions within the user's scope)."""
        region_directory().ensure_visible(principal, region)
        response = RedirectResponse(f"/?region={region}", status_code=303)
        response.set_cookie(REGION_COOKIE, region, samesite="lax", httponly=True)
        return response

    @pages.get("/audit", response_class=HTMLResponse)
    def audit_page(
        request: Request,
        flt: audit_view.AuditFilter = Depends(),
        db: Database = Depends(get_database),
        principal: Principal = Depends(require_user),
    ) -> HTMLResponse:
        """Browse and filter the audit log (admins), one page at a time."""
        page = audit_view.page_of(db, principal, flt, language_of(request))
        query = {k: v for k, v in request.query_params.items() if k != "page"}
        return render(
            request,
            "audit.html",
            {"page": page, "filter": flt, "query": urlencode(query), "dumps": audit.dumps},
        )

    @pages.get("/audit.csv", responses=DOWNLOAD_RESPONSES)
    def audit_csv(
        request: Request,
        flt: audit_view.AuditFilter = Depends(),
        db: Database = Depends(get_database),
        principal: Principal = Depends(require_user),
    ) -> StreamingResponse:
        """Every entry of the filtered audit log as CSV, streamed."""
        chunks = audit_view.csv_chunks(db, principal, flt, language_of(request))
        first = next(chunks)  # refusals and bad filters surface before the response starts
        return StreamingResponse(
            itertools.chain([first], chunks),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="audit-log.csv"'},
        )

    return pages
