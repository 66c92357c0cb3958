"""Source pages: the source map with the enterprise list (污染源一张图), and an enterprise's page
with its outlets, devices, permit limits and meters."""

from __future__ import annotations

from typing import Final

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from ecogov.platform import maps
from ecogov.platform.db import Database
from ecogov.platform.http import get_database, get_settings_of, require_user, selected_region
from ecogov.platform.params import IdPath
from ecogov.platform.scope import Principal
from ecogov.platform.tables import Choice, SortKey, TableSpec, fetched_page
from ecogov.platform.templating import language_of, render
from ecogov.regions.service import region_names
from ecogov.sources import service
from ecogov.sources.models import KEY_LEVELS
from ecogov.standards.hj212.codes import factor_label

ENTERPRISE_TABLE: Final = TableSpec(
    name="enterprises",
    sorts=(
        SortKey("name", "sources.enterprise", lambda e: e.name),
        SortKey("industry", "sources.industry", lambda e: e.industry_code),
        SortKey("level", "sources.key_level", lambda e: KEY_LEVELS.index(e.key_level)),
    ),
    choices=(Choice("level", "sources.key_level", lambda e: e.key_level, "sources.level."),),
    search=lambda e: f"{e.name} {e.uscc}",
    sizes=(20, 50, 100),
    default_size=20,
)
"""The enterprise list beside the source map: paged in the database (thousands of rows)."""


def router() -> APIRouter:
    """Page routes of the sources domain."""
    pages = APIRouter()

    @pages.get("/sources", response_class=HTMLResponse)
    def sources_page(
        request: Request,
        db: Database = Depends(get_database),
        principal: Principal = Depends(require_user),
    ) -> HTMLResponse:
        """污染源一张图: the visible enterprises of the selected region on the map and listed, a
        page at a time (``q``: part of the name or the credit code; ``level``; ``sort``)."""
        region = selected_region(request, principal)
        table = fetched_page(
            ENTERPRISE_TABLE,
            request,
            lambda query: service.page_enterprises(db, principal, region, query),
            {"level": KEY_LEVELS},
        )
        shown = region or get_settings_of(request).boundary_province_codes[0]
        map_config = maps.config(
            principal,
            shown,
            language_of(request),
            drill="/sources?region={code}",
            visible={"enterprises"},
        )
        return render(
            request,
            "sources/map.html",
            {"table": table, "region": shown, "map_config": map_config},
        )

    @pages.get("/sources/enterprises/{enterprise_id}", response_class=HTMLResponse)
    def enterprise_page(
        request: Request,
        enterprise_id: IdPath,
        db: Database = Depends(get_database),
        principal: Principal = Depends(require_user),
    ) -> HTMLResponse:
        """An enterprise: registry data, outlets with their devices and permit limits, meters."""
        detail = service.get_enterprise(db, principal, enterprise_id)
        devices = {device.outlet_id: device for device in detail.devices}
        permits: dict[int, list[service.PermitView]] = {}
        for permit in detail.permits:
            permits.setdefault(permit.outlet_id, []).append(permit)
        region = detail.enterprise.region_code
        return render(
            request,
            "sources/enterprise.html",
            {
                "detail": detail,
                "devices": devices,
                "permits": permits,
                "region_name": region_names(db, principal, [region]).get(region, region),
                "factor_names": {
                    permit.factor_code: factor_label(permit.factor_code)
                    for permit in detail.permits
                },
            },
        )

    return pages
