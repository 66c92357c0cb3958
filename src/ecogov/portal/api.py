"""The open data API under ``/api/v1/public``: no login, GET only, cacheable, rate limited.

Each route declares its public schema (``response_model``), which is also the allow-list its
body is built from; ``?format=csv`` on a table gives the same rows through the one export
mechanism.
"""

from __future__ import annotations

from typing import Final, Literal

from fastapi import APIRouter, Depends, Query, Request, Response

from ecogov.platform.db import Database
from ecogov.platform.http import get_database
from ecogov.platform.params import Day, IdPath
from ecogov.platform.ratelimit import limit
from ecogov.platform.tables import Choice, SortKey, TableSpec, read_query
from ecogov.portal import schemas, service
from ecogov.portal.downloads import TABLE_RESPONSES, Format, table_answer
from ecogov.portal.responses import json_answer

RATE_RULE = "public"
"""The rule of :mod:`ecogov.platform.ratelimit` every public route counts against."""
ENTERPRISE_TABLE: Final = TableSpec(
    name="enterprises",
    sorts=(
        SortKey("name", "portal.enterprise", lambda e: e.name),
        SortKey("industry", "portal.industry", lambda e: e.industry),
        SortKey("level", "portal.key_level", lambda e: e.key_level),
        SortKey("region", "portal.region", lambda e: e.region_code),
    ),
    choices=(Choice("level", "portal.key_level", lambda e: e.key_level, "sources.level."),),
    search=lambda e: f"{e.name} {e.uscc}",
    sizes=(20, 50, 100),
    default_size=20,
)
"""The key polluters' table (page, API): paged, sorted and searched in the database."""


def router() -> APIRouter:
    """Routes under ``/api/v1/public``."""
    api = APIRouter(prefix="/public", tags=["public"], dependencies=[Depends(limit(RATE_RULE))])

    @api.get("/air/latest", response_model=schemas.LatestAqi)
    def air_latest(request: Request, db: Database = Depends(get_database)) -> Response:
        """Real-time AQI (HJ 633) of every station at the latest published hour."""
        return json_answer(request, service.air_latest(db))

    @api.get("/air/ranking/{kind}", response_model=schemas.AqiRanking, responses=TABLE_RESPONSES)
    def air_ranking(
        request: Request,
        kind: Literal["now", "day"],
        day: Day | None = Query(None, description="YYYY-MM-DD（日排名）"),
        format: Format = "json",
        db: Database = Depends(get_database),
    ) -> Response:
        """Real-time (``now``) or daily (``day``) city ranking, best and worst cities."""
        found = service.air_ranking(db, kind, day if kind == "day" else None)
        return table_answer(request, found, "cities", format, f"air-ranking-{kind}")

    @api.get("/air/index/{kind}", response_model=schemas.IndexRanking, responses=TABLE_RESPONSES)
    def air_index(
        request: Request,
        kind: Literal["month", "year"],
        period: str | None = Query(None, description="2026-10 或 2025", max_length=7),
        format: Format = "json",
        db: Database = Depends(get_database),
    ) -> Response:
        """Monthly or annual city ranking by composite index (HJ 663)."""
        found = service.air_index_ranking(db, kind, period)
        return table_answer(request, found, "cities", format, f"air-index-{kind}")

    @api.get("/water/sections", response_model=schemas.WaterSections, responses=TABLE_RESPONSES)
    def water_sections(
        request: Request, format: Format = "json", db: Database = Depends(get_database)
    ) -> Response:
        """Surface-water sections' class and drinking-water sources' compliance."""
        found = service.water_sections(db)
        return table_answer(request, found, "sections", format, "water-sections")

    @api.get("/enterprises", response_model=schemas.Enterprises, responses=TABLE_RESPONSES)
    def enterprises(
        request: Request,
        q: str | None = Query(None, max_length=64, description="名称或统一社会信用代码"),
        level: Literal["national", "provincial", "municipal"] | None = Query(
            None, description="重点排污单位级别"
        ),
        page: int = Query(1, ge=1, description="页码"),
        size: Literal[20, 50, 100] = Query(20, description="每页条数"),
        sort: str | None = Query(None, description="name、industry、level、region，前加 - 为降序"),
        format: Format = "json",
        db: Database = Depends(get_database),
    ) -> Response:
        """Key polluters (重点排污单位) whose name contains ``q`` (or with that credit code),
        one page at a time."""
        found = service.enterprises(db, read_query(ENTERPRISE_TABLE, request))
        return table_answer(request, found, "enterprises", format, "enterprises")

    @api.get("/enterprises/{enterprise_id}", response_model=schemas.Disclosure)
    def disclosure(
        request: Request, enterprise_id: IdPath, db: Database = Depends(get_database)
    ) -> Response:
        """A key polluter's disclosure: permit limits, online hourly data against them and
        exceedances, credit, decided penalties, inspections and rectification progress."""
        return json_answer(request, service.disclosure(db, enterprise_id))

    @api.get("/draws", response_model=schemas.Draws, responses=TABLE_RESPONSES)
    def draws(
        request: Request, format: Format = "json", db: Database = Depends(get_database)
    ) -> Response:
        """Double-random draws as published (seed hash, then seed and drawn objects)."""
        return table_answer(request, service.draws(db), "draws", format, "draws")

    return api
