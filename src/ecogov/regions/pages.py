"""Region pages: the division tree (行政区划) with codes, for officers and admins."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from ecogov.platform.db import Database
from ecogov.platform.http import get_database, require_user
from ecogov.platform.params import OptionalRegionQuery
from ecogov.platform.scope import Principal
from ecogov.platform.templating import render
from ecogov.regions import service


def router() -> APIRouter:
    """Page routes of the regions domain."""
    pages = APIRouter()

    @pages.get("/regions", response_class=HTMLResponse)
    def regions_page(
        request: Request,
        parent: OptionalRegionQuery = None,
        db: Database = Depends(get_database),
        principal: Principal = Depends(require_user),
    ) -> HTMLResponse:
        """Children of a region in a table, with the path back up."""
        start = parent or principal.region_code
        if start is not None:
            service.ensure_visible(principal, start)
        children = service.list_regions(db, principal, start)
        trail = service.lineage(db, principal, start) if start else []
        return render(
            request,
            "regions/list.html",
            {"children": children, "trail": trail, "parent": start},
        )

    return pages
