"""Sources JSON API under ``/api/v1/sources``: the enterprise registry and the source map.

Every endpoint needs a login; the scope guard limits officers to their region and enterprise
users to their own enterprise. Changes are for officers and admins.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Final

import polars as pl
from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field

from ecogov.platform.db import Database
from ecogov.platform.errors import InputError
from ecogov.platform.http import get_database, require_user
from ecogov.platform.i18n import Catalogue, both, register
from ecogov.platform.params import IdField, IdPath, Instant, OptionalRegionQuery, RegionField
from ecogov.platform.scope import Principal
from ecogov.sources import meters, service
from ecogov.sources.protocols import DEFAULT_PROFILE
from ecogov.standards.timebase import BEIJING, as_beijing

ERRORS: Final[Catalogue] = {
    "sources.error.until_before_since": (
        "截止时间 until 早于起始时间 since",
        "until is before since",
    ),
}
register(ERRORS)

Db = Annotated[Database, Depends(get_database)]
User = Annotated[Principal, Depends(require_user)]


class EnterpriseIn(BaseModel):
    """A new enterprise (排污单位)."""

    uscc: str = Field(description="统一社会信用代码 (GB 32100-2015)")
    name: str
    industry_code: str = Field(description="GB/T 4754-2017 code, e.g. C2614")
    industry: str
    region_code: RegionField
    key_level: str = "general"
    lon: float | None = None
    lat: float | None = None
    permit_number: str | None = None


class OutletIn(BaseModel):
    """A new discharge outlet (排放口)."""

    code: str
    name: str = ""
    medium: str = Field(description="gas or water")
    lon: float | None = None
    lat: float | None = None


class DeviceIn(BaseModel):
    """A data logger to register at an outlet."""

    mn: str
    pw: str
    profile: str = DEFAULT_PROFILE
    system_code: str | None = None


class FactorIn(BaseModel):
    """An analyser channel of a device."""

    factor_code: str
    unit: str
    range_high: float
    range_low: float = 0.0
    detection_limit: float | None = None


class PermitIn(BaseModel):
    """A permit limit for one factor of an outlet."""

    factor_code: str
    limit_value: float
    unit: str
    averaging: str = "hourly"
    basis: str = "measured"


class MeterIn(BaseModel):
    """An electricity meter of a production or treatment line."""

    code: str
    name: str = ""
    line: str = Field(description="production or treatment")
    running_kw: float
    outlet_id: IdField | None = None
    source: str = "table"


class ReadingIn(BaseModel):
    """One meter reading: end of the interval (Beijing time when no offset) and mean power."""

    time: Instant
    power_kw: float


def router() -> APIRouter:
    """Routes under ``/api/v1/sources``."""
    api = APIRouter(prefix="/sources", tags=["sources"])

    @api.get("/enterprises")
    def list_enterprises(
        db: Db,
        principal: User,
        region: OptionalRegionQuery = None,
        q: str | None = Query(None, description="part of the name, or the credit code"),
        limit: int = Query(500, ge=1, le=5000),
    ) -> list[service.EnterpriseView]:
        """Enterprises in the caller's scope."""
        return service.list_enterprises(db, principal, region, q, limit)

    @api.post("/enterprises", status_code=201)
    def create_enterprise(body: EnterpriseIn, db: Db, principal: User) -> service.EnterpriseView:
        """Register an enterprise (officers within their region, admins)."""
        return service.create_enterprise(db, principal, service.NewEnterprise(**body.model_dump()))

    @api.get("/enterprises/{enterprise_id}")
    def get_enterprise(enterprise_id: IdPath, db: Db, principal: User) -> service.EnterpriseDetail:
        """An enterprise with its outlets, devices (never their passwords), permits and meters."""
        return service.get_enterprise(db, principal, enterprise_id)

    @api.post("/enterprises/{enterprise_id}/outlets", status_code=201)
    def add_outlet(
        enterprise_id: IdPath, body: OutletIn, db: Db, principal: User
    ) -> service.OutletView:
        """Register a discharge outlet."""
        return service.add_outlet(db, principal, enterprise_id, **body.model_dump())

    @api.post("/outlets/{outlet_id}/devices", status_code=201)
    def register_device(
        outlet_id: IdPath, body: DeviceIn, db: Db, principal: User
    ) -> service.DeviceView:
        """Register the HJ 212 data logger of an outlet."""
        return service.register_device(db, principal, outlet_id, **body.model_dump())

    @api.post("/devices/{device_id}/factors", status_code=201)
    def add_factor(
        device_id: IdPath, body: FactorIn, db: Db, principal: User
    ) -> service.DeviceFactorView:
        """Register an analyser channel with its measuring range."""
        return service.add_device_factor(db, principal, device_id, **body.model_dump())

    @api.put("/outlets/{outlet_id}/permits")
    def set_permit(
        outlet_id: IdPath, body: PermitIn, db: Db, principal: User
    ) -> service.PermitView:
        """Set the permit limit of an outlet for a factor and averaging period."""
        return service.set_permit_limit(db, principal, outlet_id, **body.model_dump())

    @api.post("/enterprises/{enterprise_id}/meters", status_code=201)
    def add_meter(
        enterprise_id: IdPath, body: MeterIn, db: Db, principal: User
    ) -> service.MeterView:
        """Register an electricity meter."""
        return service.add_meter(db, principal, enterprise_id, **body.model_dump())

    @api.post("/meters/{meter_id}/readings")
    def store_readings(
        meter_id: IdPath, body: list[ReadingIn], db: Db, principal: User
    ) -> dict[str, int]:
        """Store readings of a table-source meter (idempotent)."""
        frame = pl.DataFrame(
            {
                "ts": [int(as_beijing(r.time).timestamp()) for r in body],
                "power_kw": [r.power_kw for r in body],
            },
            schema=meters.READING_SCHEMA,
        )
        return {"changed": meters.store_readings(db, principal, meter_id, frame)}

    @api.get("/meters/{meter_id}/readings")
    def read_readings(
        meter_id: IdPath,
        db: Db,
        principal: User,
        since: Annotated[Instant, Query(description="first instant")],
        until: Annotated[Instant, Query(description="last instant")],
    ) -> list[dict[str, Any]]:
        """Readings of a meter from its source, times in Beijing time."""
        first, last = as_beijing(since), as_beijing(until)
        if last < first:
            raise InputError(both("sources.error.until_before_since"))
        frame = meters.read_readings(db, principal, meter_id, first, last)
        return [
            {"time": datetime.fromtimestamp(ts, BEIJING).isoformat(), "power_kw": power}
            for ts, power in frame.iter_rows()
        ]

    @api.get("/map")
    def source_map(db: Db, principal: User, region: OptionalRegionQuery = None) -> dict[str, Any]:
        """GeoJSON points of the visible enterprises (the source map, 污染源一张图)."""
        return service.enterprise_map(db, principal, region)

    return api
