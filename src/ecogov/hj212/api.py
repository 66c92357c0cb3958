"""HJ 212 JSON API under ``/api/v1/hj212``: device records, reverse commands, the receiver's
status and the rejects ledger.

Every endpoint needs a login. Records and commands are limited to the devices in the caller's
scope (an enterprise user sees its own); commands are sent by officers and admins; the rejects
ledger is for admins.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field

from ecogov.hj212 import commands, service
from ecogov.hj212.exceedance import ExceedanceView, exceedances
from ecogov.hj212.quality import Finding
from ecogov.hj212.status import StatusView, read_status
from ecogov.platform.db import Database
from ecogov.platform.http import get_database, require_user
from ecogov.platform.params import IdPath, Instant
from ecogov.platform.scope import Principal
from ecogov.standards.timebase import as_beijing

Db = Annotated[Database, Depends(get_database)]
User = Annotated[Principal, Depends(require_user)]


class CommandIn(BaseModel):
    """A reverse command (see :class:`ecogov.hj212.commands.CommandRequest` for the fields
    each CN needs); times without an offset are Beijing time."""

    cn: str = Field(pattern=r"^\d{4}$", description="1011, 1012, 1061, 1062, 2011, 2012, "
                    "2031, 2041, 2051, 2061, 3011 or 3012")  # fmt: skip
    pol_id: str | None = None
    system_time: Instant | None = None
    rtd_interval: int | None = Field(None, ge=30, le=3600)
    begin: Instant | None = None
    end: Instant | None = None


def _aware(moment: datetime | None) -> datetime | None:
    return None if moment is None else as_beijing(moment)


def router() -> APIRouter:
    """Routes under ``/api/v1/hj212``."""
    api = APIRouter(prefix="/hj212", tags=["hj212"])

    @api.get("/devices/{mn}/records")
    def device_records(
        mn: str,
        db: Db,
        principal: User,
        cn: str | None = Query(None, pattern=r"^\d{4}$", description="2011, 2051, 2061 …"),
        since: Annotated[Instant | None, Query(description="first DataTime")] = None,
        until: Annotated[Instant | None, Query(description="DataTimes before this")] = None,
        limit: int = Query(1000, ge=1, le=100_000),
    ) -> list[service.RecordView]:
        """Stored uploads of a device, by DataTime (Beijing time)."""
        return service.records(
            db, principal, mn, cn=cn, since=_aware(since), until=_aware(until), limit=limit
        )

    @api.get("/devices/{mn}/chart")
    def device_chart(
        mn: str,
        db: Db,
        principal: User,
        days: int = Query(service.CHART_DAYS, ge=1, le=366, description="days back"),
    ) -> service.HourlyChart:
        """Hourly means per factor up to the device's newest hour, with its hourly permit limits
        and exceedance periods (the device page's chart)."""
        return service.hourly_chart(db, principal, mn, days)

    @api.get("/devices/{mn}/exceedances")
    def device_exceedances(
        mn: str,
        db: Db,
        principal: User,
        since: Annotated[Instant, Query(description="from")],
        until: Annotated[Instant, Query(description="until")],
    ) -> list[ExceedanceView]:
        """Exceedance events (超标) of hourly and daily means against the outlet's permit."""
        return exceedances(db, principal, mn, as_beijing(since), as_beijing(until))

    @api.get("/devices/{mn}/findings")
    def device_findings(
        mn: str,
        db: Db,
        principal: User,
        since: Annotated[Instant, Query(description="from")],
        until: Annotated[Instant, Query(description="until")],
    ) -> list[Finding]:
        """Data-quality and fraud findings (default rule set), each with its cause."""
        return service.quality_findings(db, principal, mn, as_beijing(since), as_beijing(until))

    @api.post("/devices/{mn}/commands", status_code=201)
    def send_command(mn: str, body: CommandIn, db: Db, principal: User) -> commands.CommandView:
        """Queue a reverse command; the receiver sends it and tracks it until its 9012."""
        request = commands.CommandRequest(
            cn=body.cn,
            pol_id=body.pol_id,
            system_time=_aware(body.system_time),
            rtd_interval=body.rtd_interval,
            begin=_aware(body.begin),
            end=_aware(body.end),
        )
        return commands.send_command(db, principal, mn, request)

    @api.get("/commands")
    def list_commands(
        db: Db,
        principal: User,
        mn: str | None = None,
        limit: int = Query(100, ge=1, le=1000),
    ) -> list[commands.CommandView]:
        """The newest reverse commands in the caller's scope."""
        return commands.list_commands(db, principal, mn, limit)

    @api.get("/commands/{command_id}")
    def get_command(command_id: IdPath, db: Db, principal: User) -> commands.CommandView:
        """One reverse command and where it stands."""
        return commands.get_command(db, principal, command_id)

    @api.get("/status")
    def receiver_status(db: Db, principal: User) -> list[StatusView]:
        """Each receiver's last status: connections, packets/s, rejects by reason."""
        return read_status(db, principal)

    @api.get("/rejects")
    def list_rejects(
        db: Db,
        principal: User,
        since: Annotated[Instant | None, Query()] = None,
        reason: str | None = None,
        mn: str | None = None,
        limit: int = Query(200, ge=1, le=5000),
    ) -> list[service.RejectView]:
        """The rejects ledger, newest first (admins)."""
        return service.rejects(
            db, principal, since=_aware(since), reason=reason, mn=mn, limit=limit
        )

    return api
