"""Forecast pages (zh-CN first): the forecast map with the city cards, a station's or city's
72-hour chart with the band and the observations since the issue, and the verification tables
with their CSV/Excel export. Thin: the data comes from :mod:`ecogov.forecast.views`."""

from __future__ import annotations

from typing import Any, Final

import polars as pl
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from ecogov.forecast import maplayers, views
from ecogov.forecast.api import (
    SITE_PATHS,
    CodePath,
    Db,
    Filters,
    LeadDayQuery,
    SitePath,
    User,
)
from ecogov.platform import alerts, clock, maps
from ecogov.platform.exports import DOWNLOAD_RESPONSES, Column, download_spec
from ecogov.platform.http import selected_region, shown_region
from ecogov.platform.scope import Principal
from ecogov.platform.templating import language_of, navigation, render

SCORED: Final = ("PM2.5", "PM10", "O3_8H", "NO2")
"""Pollutants whose MAE and bias the tables show (the export holds every one scored)."""
_PERCENT: Final = 100.0
RELATED: Final = (
    ("emergency", "/emergency", "/emergency"),
    ("water_trend", "/water/early-warning", "/water"),
    ("water_realtime", "/alerts?kind=water.realtime", "/alerts"),
)
"""Pages of the early warning that live elsewhere (heavy-pollution warnings, the water sections'
trend and probability list, the automatic stations' exceedances in the inbox): the sub-nav key,
the link, and the menu entry whose visibility decides whether the user is offered it."""


def related(principal: Principal) -> list[tuple[str, str]]:
    """The (key, link) of each :data:`RELATED` page the principal's menu offers."""
    offered = {item.path for item in navigation(principal)}
    return [(key, link) for key, link, entry in RELATED if entry in offered]


def _percent(value: Any) -> float:
    return round(float(value) * _PERCENT, 1)


def _one_decimal(value: Any) -> float:
    return round(float(value), 1)


def export_spec(table: pl.DataFrame) -> list[Column]:
    """The export's columns: site, month, lead day, model, cases, the accuracies [%] and the
    MAE and bias of every pollutant the table scores."""
    spec = [
        Column("name", "站点/城市", width=14),
        Column("station", "编码"),
        Column("month", "月份"),
        Column("lead_day", "预报时效（天）"),
        Column("model", "预报方法"),
        Column("cases", "样本数"),
        Column("level_accuracy", "AQI级别准确率（%）", _percent),
        Column("primary_cases", "首要污染物样本数"),
        Column("primary_accuracy", "首要污染物准确率（%）", _percent),
    ]
    for column in table.columns:
        for prefix, zh in (("mae_", "平均绝对误差"), ("bias_", "平均偏差")):
            if column.startswith(prefix):
                spec.append(Column(column, f"{column[len(prefix) :]} {zh}", _one_decimal))
    return spec


def router() -> APIRouter:
    """Page routes of the forecast domain."""
    pages = APIRouter()

    @pages.get("/forecast", response_class=HTMLResponse)
    def overview(
        request: Request, db: Db, principal: User, lead_day: LeadDayQuery = 1
    ) -> HTMLResponse:
        """预报地图: stations and cities coloured by their forecast level of the chosen lead day,
        and a card per city with days 1-3 and any warning in force."""
        region = shown_region(request, principal)
        cards = views.city_cards(db, principal, selected_region(request, principal))
        config = maps.config(
            principal,
            region,
            language_of(request),
            drill="/forecast?region={code}" + f"&lead_day={lead_day}",
            visible={maplayers.FORECAST_LAYER_KEY},
            urls={maplayers.FORECAST_LAYER_KEY: maplayers.forecast_url(lead_day)},
        )
        return render(
            request,
            "forecast/overview.html",
            {
                "cards": cards,
                "lead_day": lead_day,
                "map_config": config,
                "levels": views.levels_of(clock.today()),
                "severities": alerts.SEVERITY,
                "en": language_of(request) == "en",
                "related": related(principal),
            },
        )

    @pages.get("/forecast/verification", response_class=HTMLResponse)
    def verification(request: Request, db: Db, principal: User, f: Filters) -> HTMLResponse:
        """预报效果检验: per site, month and lead day the level and primary-pollutant accuracy
        and the daily concentrations' MAE and bias beside persistence and climatology."""
        region = f.region or selected_region(request, principal)
        table = views.verification(db, principal, f.kind, region, f.code, f.month)
        sites = views.latest(db, principal, f.kind, region)
        return render(
            request,
            "forecast/verification.html",
            {
                "rows": table.to_dicts(),
                "pollutants": [p for p in SCORED if f"mae_{p}" in table.columns],
                "kind": f.kind,
                "code": f.code or "",
                "month": f.month or "",
                "sites": sites,
                "query": request.url.query,
                "related": related(principal),
            },
        )

    @pages.get("/forecast/verification.{fmt}", responses=DOWNLOAD_RESPONSES)
    def verification_export(
        request: Request, fmt: str, db: Db, principal: User, f: Filters
    ) -> Response:
        """The verification table as CSV or Excel (Chinese headers)."""
        region = f.region or selected_region(request, principal)
        table = views.verification(db, principal, f.kind, region, f.code, f.month)
        return download_spec(
            table, export_spec(table), fmt, f"forecast-verification-{f.month or 'all'}"
        )

    @pages.get("/forecast/{site}/{code}", response_class=HTMLResponse)
    def site_page(
        request: Request, site: SitePath, code: CodePath, db: Db, principal: User
    ) -> HTMLResponse:
        """A station's or city's 72-hour forecast per pollutant with its band and the observed
        hours since the issue, a pollutant selector and the daily table."""
        chart = views.site_chart(db, principal, SITE_PATHS[site], code)
        return render(
            request,
            "forecast/site.html",
            {
                "chart": chart,
                "site": site,
                "levels": views.levels_of(chart.forecast.days[0].date),
                "en": language_of(request) == "en",
                "related": related(principal),
            },
        )

    return pages
