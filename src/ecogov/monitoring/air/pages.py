"""Air pages: the real-time AQI map, station pages, city ranking and period reports."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response

from ecogov.monitoring.air import evaluation, exports, maplayers, ranking, views
from ecogov.platform import clock, maps
from ecogov.platform.db import Database
from ecogov.platform.exports import DOWNLOAD_RESPONSES, download_spec
from ecogov.platform.http import get_database, get_settings_of, require_user, selected_region
from ecogov.platform.params import Day, OptionalPeriodQuery, OptionalYearQuery
from ecogov.platform.scope import Principal
from ecogov.platform.templating import language_of, render
from ecogov.regions.service import region_names


def _default_period() -> str:
    return str(clock.today().year - 1)


def router() -> APIRouter:
    """Page routes of the air domain."""
    pages = APIRouter()

    @pages.get("/air", response_class=HTMLResponse)
    def air_map(
        request: Request,
        db: Database = Depends(get_database),
        principal: Principal = Depends(require_user),
    ) -> HTMLResponse:
        """实时空气质量: every station's AQI at the latest hour on the region map."""
        region = selected_region(request, principal)
        found = views.latest(db, principal, region)
        day = found.time.date() if found.time else clock.today()
        shown = region or get_settings_of(request).boundary_province_codes[0]
        map_config = maps.config(
            principal,
            shown,
            language_of(request),
            when=day,
            drill="/air?region={code}",
            visible={"stations"},
            features={"stations": maplayers.station_features(found.stations)},
        )
        return render(
            request,
            "air/map.html",
            {
                "latest": found,
                "region": shown,
                "map_config": map_config,
            },
        )

    @pages.get("/air/stations/{code}", response_class=HTMLResponse)
    def station_page(
        request: Request,
        code: str,
        year: OptionalYearQuery = None,
        db: Database = Depends(get_database),
        principal: Principal = Depends(require_user),
    ) -> HTMLResponse:
        """A station: hourly series, calendar of daily AQI, days per level."""
        station = views.station(db, principal, code)
        series = views.series(db, principal, code)
        shown = year or (int(series["time"][-1][:4]) if series["time"] else clock.today().year)
        return render(
            request,
            "air/station.html",
            {
                "station": station,
                "region_name": region_names(db, principal, [station["region_code"]]).get(
                    station["region_code"], station["region_code"]
                ),
                "series": series,
                "calendar": views.calendar(db, principal, code, shown),
                "year": shown,
                "aqi_legend": maplayers.aqi_legend(date(min(max(shown, 1), 9999), 12, 31)).as_json(
                    language_of(request)
                ),
            },
        )

    @pages.get("/air/ranking", response_class=HTMLResponse)
    def ranking_page(
        request: Request,
        tab: ranking.Kind = Query("now"),
        day: Day | None = Query(None, description="YYYY-MM-DD"),
        db: Database = Depends(get_database),
        principal: Principal = Depends(require_user),
    ) -> HTMLResponse:
        """城市空气质量排名: real-time and daily city ranking; monthly and annual link to the
        period report (综合指数排名)."""
        region = selected_region(request, principal)
        found = (
            ranking.ranking_now(db, principal, region)
            if tab == "now"
            else ranking.ranking_day(db, principal, region, day)
        )
        shown = found.day or clock.today()
        return render(
            request,
            "air/ranking.html",
            {
                "tab": tab,
                "ranking": found,
                "primary": {
                    row["city"]: ranking.primary_text(row["primary"], language_of(request))
                    for row in found.rows
                },
                "month": f"{shown.year}-{shown.month:02d}",
                "year": str(shown.year),
            },
        )

    @pages.get("/air/ranking.{fmt}")
    def ranking_export(
        request: Request,
        fmt: str,
        tab: ranking.Kind = Query("now"),
        day: Day | None = Query(None, description="YYYY-MM-DD"),
        db: Database = Depends(get_database),
        principal: Principal = Depends(require_user),
    ) -> Response:
        """The real-time or daily city ranking as CSV or Excel (Chinese headers)."""
        region = selected_region(request, principal)
        found = (
            ranking.ranking_now(db, principal, region)
            if tab == "now"
            else ranking.ranking_day(db, principal, region, day)
        )
        stamp = found.time.strftime("%Y%m%d%H") if found.time else str(found.day or "")
        return download_spec(
            ranking.export_frame(found),
            ranking.export_spec(found),
            fmt,
            f"air-ranking-{tab}-{stamp}",
        )

    @pages.get("/air/report", response_class=HTMLResponse)
    def report(
        request: Request,
        period: OptionalPeriodQuery = None,
        by: evaluation.Grouping = Query("city"),
        db: Database = Depends(get_database),
        principal: Principal = Depends(require_user),
    ) -> HTMLResponse:
        """Period report and city ranking (综合指数排名) with CSV/Excel export."""
        chosen = evaluation.parse_period(period or _default_period())
        region = selected_region(request, principal)
        table = evaluation.evaluate(db, principal, chosen.label, by, region)
        return render(
            request,
            "air/report.html",
            {
                "period": chosen,
                "by": by,
                "rows": table.to_dicts(),
                "reported": exports.reported_rows(table, by),
                "columns": table.columns,
            },
        )

    @pages.get("/air/report.{fmt}", responses=DOWNLOAD_RESPONSES)
    def report_export(
        request: Request,
        fmt: str,
        period: OptionalPeriodQuery = None,
        by: evaluation.Grouping = Query("city"),
        db: Database = Depends(get_database),
        principal: Principal = Depends(require_user),
    ) -> Response:
        """The period report as CSV or Excel."""
        chosen = evaluation.parse_period(period or _default_period()).label
        table = evaluation.evaluate(db, principal, chosen, by, selected_region(request, principal))
        return download_spec(table, exports.report_spec(by), fmt, f"air-{by}-{chosen}")

    return pages
