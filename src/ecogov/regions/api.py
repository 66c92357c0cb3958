"""Regions JSON API. Deliberately public: GB/T 2260 codes, names and boundaries are public
reference data that public pages (rankings, maps) need too."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends

from ecogov.platform.db import Database
from ecogov.platform.http import current_principal, get_database
from ecogov.platform.params import OptionalRegionQuery, RegionPath
from ecogov.platform.scope import Principal
from ecogov.regions import service


def router() -> APIRouter:
    """Routes under ``/api/v1/regions``."""
    api = APIRouter(prefix="/regions", tags=["regions"])

    @api.get("")
    def list_regions(
        parent: OptionalRegionQuery = None,
        db: Database = Depends(get_database),
        principal: Principal = Depends(current_principal),
    ) -> list[service.RegionView]:
        """Children of ``parent`` (provinces when omitted)."""
        return service.list_regions(db, principal, parent)

    @api.get("/{code}")
    def get_region(
        code: RegionPath,
        db: Database = Depends(get_database),
        principal: Principal = Depends(current_principal),
    ) -> service.RegionView:
        """One region."""
        return service.get_region(db, principal, code)

    @api.get("/{code}/children.geojson")
    def children_geojson(
        code: RegionPath,
        db: Database = Depends(get_database),
        principal: Principal = Depends(current_principal),
    ) -> dict[str, Any]:
        """GeoJSON of the region's children, for the map."""
        return service.children_geojson(db, principal, code)

    @api.get("/{code}/self.geojson")
    def self_geojson(
        code: RegionPath,
        db: Database = Depends(get_database),
        principal: Principal = Depends(current_principal),
    ) -> dict[str, Any]:
        """GeoJSON of the region itself."""
        return service.region_geojson(db, principal, code)

    return api
