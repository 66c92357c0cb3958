"""Key polluters' online data as disclosed to anyone: the ``hj212.disclosure`` kind.

Per outlet of a key unit (重点排污单位): the hourly means of the last :data:`CHART_DAYS` days
against the outlet's hourly permit limits (the same chart as the officers' device page) and the
exceedance events of the last :data:`EVENT_DAYS` days — judged by the same
:func:`~ecogov.hj212.exceedance.judge`, but read-only: a visitor's look publishes no alert.
Outlets are named by their code; no device MN or password and no person is returned. Reads go
through the permission table's scoped path as plain selects.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from types import SimpleNamespace
from typing import Final

from sqlalchemy import Connection, func, select

from ecogov.hj212.access import DISCLOSURE
from ecogov.hj212.exceedance import ExceedanceView, judge, records_frame
from ecogov.hj212.models import Record
from ecogov.hj212.record_archive import read_records
from ecogov.hj212.service import (
    CHART_DAYS,
    HourlyChart,
    HourlyLimit,
    chart_window,
    record_view,
)
from ecogov.platform import clock
from ecogov.platform.db import Database
from ecogov.platform.permissions import scoped_read
from ecogov.platform.scope import Principal
from ecogov.sources.disclosure import DISCLOSED_LEVELS
from ecogov.sources.models import Device, Enterprise, Outlet, PermitLimit
from ecogov.standards.timebase import BEIJING

EVENT_DAYS: Final = 30
"""How many days of exceedance events are disclosed, back from the outlet's newest hour."""


@dataclass(frozen=True)
class OutletOnline:
    """One outlet's disclosed online data: the hourly chart and the exceedance events."""

    outlet_code: str
    outlet_name: str
    medium: str
    chart: HourlyChart
    exceedances: list[ExceedanceView]


def _online(
    connection: Connection, mn: str, outlet_id: int, code: str, name: str, medium: str
) -> OutletOnline:
    newest = connection.scalar(
        select(func.max(Record.data_time)).where(Record.mn == mn, Record.cn == "2061")
    )
    until = clock.now() if newest is None else datetime.fromtimestamp(newest + 3600, BEIJING)
    since = until - timedelta(days=EVENT_DAYS)
    window = int(since.timestamp()), int(until.timestamp())
    permits = connection.execute(
        select(
            PermitLimit.factor_code,
            PermitLimit.limit_value,
            PermitLimit.unit,
            PermitLimit.averaging,
            PermitLimit.basis,
        ).where(PermitLimit.outlet_id == outlet_id)
    ).all()
    events = judge(mn, permits, lambda cn: records_frame(connection, mn, cn, *window))
    hourly = read_records(connection, mn, cn="2061", first=window[0], last=window[1])
    views = [record_view(SimpleNamespace(**row)) for row in hourly.iter_rows(named=True)]
    limits = {
        p.factor_code: HourlyLimit(p.limit_value, p.unit, p.basis)
        for p in permits
        if p.averaging == "hourly"
    }
    chart = chart_window(mn, until, CHART_DAYS, views, limits, events)
    return OutletOnline(code, name, medium, chart, events)


def key_unit_online(db: Database, principal: Principal, enterprise_id: int) -> list[OutletOnline]:
    """The disclosed online data of every monitored outlet of a key polluter (none for an
    enterprise that is not one), by outlet code."""
    with scoped_read(db, principal, DISCLOSURE) as read:
        devices = read.connection.execute(
            select(Device.mn, Outlet.id, Outlet.code, Outlet.name, Outlet.medium)
            .join(Outlet, Outlet.id == Device.outlet_id)
            .join(Enterprise, Enterprise.enterprise_id == Device.enterprise_id)
            .where(
                Device.enterprise_id == enterprise_id,
                Enterprise.key_level.in_(DISCLOSED_LEVELS),
            )
            .order_by(Outlet.code, Device.mn)
        ).all()
        return [_online(read.connection, *device) for device in devices]
