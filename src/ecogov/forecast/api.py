"""Forecast JSON API under ``/api/v1/forecast``: the latest issue of the cities and stations,
the forecast layer of the map, a site's 72-hour chart data and the verification scores. Every
endpoint needs a login; the permission table decides the region."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, Final

from fastapi import APIRouter, Depends, Path, Query

from ecogov.forecast import views
from ecogov.platform.db import Database
from ecogov.platform.http import get_database, require_user
from ecogov.platform.maps import feature_collection
from ecogov.platform.params import OptionalRegionQuery
from ecogov.platform.scope import Principal

Db = Annotated[Database, Depends(get_database)]
User = Annotated[Principal, Depends(require_user)]
SITE_PATHS: Final[dict[str, views.SiteKind]] = {"stations": "station", "cities": "city"}
"""URL segment of each site kind."""
SitePath = Annotated[str, Path(pattern=r"^(stations|cities)$", description="stations or cities")]
CodePath = Annotated[str, Path(pattern=r"^[A-Za-z0-9_.-]{1,16}$", description="站点或城市编码")]
LeadDayQuery = Annotated[int, Query(ge=1, le=3, description="预报时效（天）1-3")]
MonthQuery = Annotated[
    str | None, Query(pattern=r"^\d{4}-(0[1-9]|1[0-2])$", description="月份 YYYY-MM")
]
KindQuery = Annotated[views.SiteKind, Query(description="station or city")]
CodeQuery = Annotated[str | None, Query(max_length=16, description="站点或城市编码")]


@dataclass(frozen=True)
class VerificationFilter:
    """The verification's filters: site kind, region, one site's code, target month."""

    kind: views.SiteKind
    region: str | None
    code: str | None
    month: str | None


def verification_filter(
    kind: KindQuery = "city",
    region: OptionalRegionQuery = None,
    code: CodeQuery = None,
    month: MonthQuery = None,
) -> VerificationFilter:
    """The filters of the query string (validated: a bad one is a 422 saying which)."""
    return VerificationFilter(kind, region, code or None, month)


Filters = Annotated[VerificationFilter, Depends(verification_filter)]


def router() -> APIRouter:
    """Routes under ``/api/v1/forecast``."""
    api = APIRouter(prefix="/forecast", tags=["forecast"])

    @api.get("/cities")
    def cities(db: Db, principal: User, region: OptionalRegionQuery = None) -> list[views.CityCard]:
        """Each city's latest issue (days 1-3: AQI with its band, level, primary pollutant) and
        the level of a heavy-pollution warning in force."""
        return views.city_cards(db, principal, region)

    @api.get("/map.geojson")
    def forecast_map(
        db: Db, principal: User, region: OptionalRegionQuery = None, lead_day: LeadDayQuery = 1
    ) -> dict[str, Any]:
        """Stations and cities with their forecast of ``lead_day`` as GeoJSON points (the map's
        forecast layer; ``category`` is the HJ 633 level)."""
        return feature_collection(views.map_features(db, principal, region, lead_day))

    @api.get("/{site}/{code}")
    def chart(site: SitePath, code: CodePath, db: Db, principal: User) -> views.SiteChart:
        """A site's latest issue with its 72 hours per pollutant (value, band, observed)."""
        return views.site_chart(db, principal, SITE_PATHS[site], code)

    @api.get("/verification")
    def verification(db: Db, principal: User, f: Filters) -> list[dict[str, Any]]:
        """Level and primary-pollutant accuracy, MAE and bias per site, month and lead day,
        beside persistence and climatology on the same cases."""
        return views.verification(db, principal, f.kind, f.region, f.code, f.month).to_dicts()

    return api
