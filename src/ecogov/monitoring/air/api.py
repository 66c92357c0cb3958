"""Air JSON API: stations, the latest hour's AQI, a station's series and calendar, evaluations."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query

from ecogov.monitoring.air import evaluation, maplayers, ranking, service, views
from ecogov.platform.db import Database
from ecogov.platform.http import get_database, require_user
from ecogov.platform.maps import feature_collection
from ecogov.platform.params import Day, OptionalRegionQuery, PeriodQuery, YearQuery
from ecogov.platform.scope import Principal


def router() -> APIRouter:
    """Routes under ``/api/v1/air``."""
    api = APIRouter(prefix="/air", tags=["air"])

    @api.get("/stations")
    def stations(
        region: OptionalRegionQuery = None,
        db: Database = Depends(get_database),
        principal: Principal = Depends(require_user),
    ) -> list[service.StationView]:
        """Stations within the caller's scope (and ``region``)."""
        return service.list_stations(db, principal, region)

    @api.get("/latest")
    def latest(
        region: OptionalRegionQuery = None,
        db: Database = Depends(get_database),
        principal: Principal = Depends(require_user),
    ) -> dict[str, Any]:
        """Real-time AQI of every visible station at the latest published hour."""
        found = views.latest(db, principal, region)
        return {"time": found.time, "stations": found.stations}

    @api.get("/latest.geojson")
    def latest_geojson(
        region: OptionalRegionQuery = None,
        db: Database = Depends(get_database),
        principal: Principal = Depends(require_user),
    ) -> dict[str, Any]:
        """The latest hour's AQI of every visible located station as GeoJSON points (the map's
        stations layer; ``category`` is the HJ 633 level)."""
        found = views.latest(db, principal, region)
        return feature_collection(maplayers.station_features(found.stations))

    @api.get("/stations/{code}/series")
    def station_series(
        code: str,
        days: int = Query(14, ge=1, le=92),
        db: Database = Depends(get_database),
        principal: Principal = Depends(require_user),
    ) -> dict[str, Any]:
        """Hourly concentrations and AQI of the station's last ``days`` days."""
        return views.series(db, principal, code, days)

    @api.get("/stations/{code}/calendar")
    def station_calendar(
        code: str,
        year: YearQuery,
        db: Database = Depends(get_database),
        principal: Principal = Depends(require_user),
    ) -> dict[str, Any]:
        """Daily AQI of a year and days per level."""
        return views.calendar(db, principal, code, year)

    @api.get("/evaluation")
    def evaluate(
        period: PeriodQuery,
        by: evaluation.Grouping = Query("city"),
        region: OptionalRegionQuery = None,
        edition: str = Query("auto", pattern=r"^(2012|2026|auto)$"),
        db: Database = Depends(get_database),
        principal: Principal = Depends(require_user),
    ) -> list[dict[str, Any]]:
        """Period statistics, attainment, composite index and (cities) rank and change rate."""
        return evaluation.evaluate(db, principal, period, by, region, edition).to_dicts()

    @api.get("/ranking/now")
    def ranking_now(
        region: OptionalRegionQuery = None,
        db: Database = Depends(get_database),
        principal: Principal = Depends(require_user),
    ) -> dict[str, Any]:
        """Real-time city ranking (实时排名) at the latest hour: official figures of every city
        of the province, best to worst by AQI, with coverage (stations reporting / expected)."""
        return _ranking_json(ranking.ranking_now(db, principal, region))

    @api.get("/ranking/day")
    def ranking_day(
        day: Day | None = Query(None, description="YYYY-MM-DD"),
        region: OptionalRegionQuery = None,
        db: Database = Depends(get_database),
        principal: Principal = Depends(require_user),
    ) -> dict[str, Any]:
        """Daily city ranking (日排名) of ``day`` (default yesterday, or the last day with data)."""
        return _ranking_json(ranking.ranking_day(db, principal, region, day))

    return api


def _ranking_json(found: ranking.CityRanking) -> dict[str, Any]:
    """A ranking as the API returns it."""
    return {"kind": found.kind, "time": found.time, "day": found.day, "cities": found.rows}
