"""The big screen page (thin): ``/bigscreen?region=…&refresh=…``, full screen, dark."""

from __future__ import annotations

from typing import Annotated, Final

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from ecogov.bigscreen import service
from ecogov.bigscreen.access import BIGSCREEN
from ecogov.monitoring.air.maplayers import STATIONS_LAYER
from ecogov.platform import clock, maps
from ecogov.platform.db import Database
from ecogov.platform.http import get_database, require_user, shown_region
from ecogov.platform.params import OptionalRegionQuery
from ecogov.platform.permissions import authorize
from ecogov.platform.scope import Principal
from ecogov.platform.templating import language_of, render
from ecogov.regions import service as regions

REFRESH_SECONDS: Final = 30.0
"""How often the wall asks for a new snapshot unless its address says (``?refresh=10``)."""
FASTEST, SLOWEST = 0.05, 3600.0
"""Bounds of ``refresh`` [s]; tests run 10 minutes of refreshes in a minute at the fastest."""

Db = Annotated[Database, Depends(get_database)]
User = Annotated[Principal, Depends(require_user)]


def router() -> APIRouter:
    """Page routes of the big screen."""
    pages = APIRouter()

    @pages.get("/bigscreen", response_class=HTMLResponse)
    def bigscreen(
        request: Request,
        db: Db,
        principal: User,
        region: OptionalRegionQuery = None,
        refresh: Annotated[float, Query(ge=FASTEST, le=SLOWEST)] = REFRESH_SECONDS,
    ) -> HTMLResponse:
        """指挥中心大屏 of a region for a 1920×1080 wall, polling its snapshot every
        ``refresh`` seconds."""
        chosen = region or shown_region(request, principal)
        authorize(principal, "read", BIGSCREEN, chosen)
        regions.ensure_visible(principal, chosen)
        language = language_of(request)
        map_config = maps.MapConfig(
            region=chosen,
            language=language,
            layers=(maps.LayerChoice(STATIONS_LAYER, visible=True, features=[]),),
            layer_legends=maps.legends(clock.today()),
            theme="dark",
        )
        settings = {
            "snapshot": f"/api/v1/bigscreen?region={chosen}",
            "refresh": refresh,
            "tickerRows": service.TICKER_ROWS,
            "rankingRows": service.RANKING_ROWS,
            "targetRows": service.TARGET_ROWS,
        }
        return render(
            request,
            "bigscreen/screen.html",
            {
                "region": regions.get_region(db, principal, chosen),
                "map_config": map_config,
                "settings": settings,
            },
        )

    return pages
