"""The public portal's pages under ``/portal``: no login, GET only, cacheable, rate limited."""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Literal

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.responses import HTMLResponse

from ecogov.monitoring.air.maplayers import STATIONS_LAYER, station_features
from ecogov.platform import clock, maps
from ecogov.platform.db import Database
from ecogov.platform.http import get_database, get_settings_of
from ecogov.platform.params import IdPath
from ecogov.platform.ratelimit import limit
from ecogov.platform.tables import TableQuery, fetched_page
from ecogov.platform.templating import language_of
from ecogov.portal import schemas, service
from ecogov.portal.api import ENTERPRISE_TABLE, RATE_RULE
from ecogov.portal.responses import page_answer
from ecogov.sources.disclosure import DISCLOSED_LEVELS

PUBLIC_STATIONS = replace(STATIONS_LAYER, url="/api/v1/public/air/latest", link=None)
"""The stations layer of the one map, its points given inline by the page."""


def _map(request: Request, published: service.Published) -> maps.MapConfig:
    latest = published.record.model_dump()
    day = latest["time"].date() if latest["time"] else clock.today()
    return maps.MapConfig(
        region=get_settings_of(request).boundary_province_codes[0],
        language=language_of(request),
        layers=(
            maps.LayerChoice(
                PUBLIC_STATIONS, visible=True, features=station_features(latest["stations"])
            ),
        ),
        layer_legends=maps.legends(day),
    )


def router() -> APIRouter:
    """Page routes of the portal."""
    pages = APIRouter(prefix="/portal", dependencies=[Depends(limit(RATE_RULE))])

    @pages.get("", response_class=HTMLResponse)
    def home(request: Request, db: Database = Depends(get_database)) -> Response:
        """门户首页: the real-time AQI map of the stations and the cities' real-time ranking."""
        latest = service.air_latest(db)
        now = service.air_ranking(db, "now")
        context = {
            "latest": latest.record,
            "ranking": now.record,
            "map_config": _map(request, latest),
        }
        return page_answer(request, "portal/home.html", context, [latest, now])

    @pages.get("/air", response_class=HTMLResponse)
    def air(
        request: Request,
        tab: Literal["now", "day", "month", "year"] = "now",
        period: str | None = Query(None, max_length=7),
        db: Database = Depends(get_database),
    ) -> Response:
        """城市空气质量排名: real-time, daily, monthly and annual tabs."""
        found = (
            service.air_ranking(db, tab)
            if tab in ("now", "day")
            else service.air_index_ranking(db, tab, period)
        )
        context = {"tab": tab, "ranking": found.record}
        return page_answer(request, "portal/air.html", context, [found])

    @pages.get("/water", response_class=HTMLResponse)
    def water(request: Request, db: Database = Depends(get_database)) -> Response:
        """地表水断面水质 and drinking-water sources."""
        found = service.water_sections(db)
        return page_answer(request, "portal/water.html", {"water": found.record}, [found])

    @pages.get("/enterprises", response_class=HTMLResponse)
    def enterprises(request: Request, db: Database = Depends(get_database)) -> Response:
        """重点排污单位信息公开: key polluters, searched and paged in the database."""
        shown: list[service.Published] = []

        def fetch(query: TableQuery) -> tuple[list[Any], int]:
            found = service.enterprises(db, query)
            shown[:] = [found]
            record = found.record
            assert isinstance(record, schemas.Enterprises)
            return record.enterprises, record.total

        table = fetched_page(ENTERPRISE_TABLE, request, fetch, {"level": DISCLOSED_LEVELS})
        return page_answer(request, "portal/enterprises.html", {"table": table}, shown)

    @pages.get("/enterprises/{enterprise_id}", response_class=HTMLResponse)
    def disclosure(
        request: Request, enterprise_id: IdPath, db: Database = Depends(get_database)
    ) -> Response:
        """A key polluter's disclosure page: online data chart, limits, credit, penalties,
        inspections and rectification progress."""
        found = service.disclosure(db, enterprise_id)
        d = found.record.model_dump(mode="json")
        return page_answer(request, "portal/disclosure.html", {"d": d}, [found])

    @pages.get("/draws", response_class=HTMLResponse)
    def draws(request: Request, db: Database = Depends(get_database)) -> Response:
        """双随机抽查公开: the draws as published."""
        found = service.draws(db)
        return page_answer(request, "portal/draws.html", {"found": found.record}, [found])

    return pages
