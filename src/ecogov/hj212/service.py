"""Reading what the receiver stored: device records, the raw archive, the rejects ledger,
simulation targets.

The bulk tables are outside the session guard, so every read starts by finding the device in
the caller's scope (an enterprise user reads only its own devices' data); the rejects ledger,
which holds frames of unknown devices too, is for admins.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from types import SimpleNamespace
from typing import Any, Final

from sqlalchemy import select
from sqlalchemy.orm import Session

from ecogov.hj212.access import REJECTS
from ecogov.hj212.alerts import device_subject, publish_findings
from ecogov.hj212.archive import ArchivedFrame, unpack
from ecogov.hj212.exceedance import ExceedanceView, exceedances, records_frame
from ecogov.hj212.frames import factor_frame
from ecogov.hj212.jsonview import cp_area, factor_values
from ecogov.hj212.models import ArchiveSegment, Record, Reject
from ecogov.hj212.quality import Channel, CheckInput, Finding, Meter, Rules, run_checks
from ecogov.hj212.record_archive import read_records
from ecogov.hj212.simulator import SimulatedDevice
from ecogov.platform import clock
from ecogov.platform.db import Database
from ecogov.platform.errors import InputError
from ecogov.platform.i18n import Catalogue, both, register
from ecogov.platform.permissions import authorize
from ecogov.platform.scope import Principal
from ecogov.sources.meters import meter_source
from ecogov.sources.models import Device, DeviceFactor, PermitLimit, PowerMeter
from ecogov.sources.service import device_credentials, find_device
from ecogov.standards.hj212.codes import UNIT_SYMBOLS, lookup_factor
from ecogov.standards.timebase import BEIJING

ERRORS: Final[Catalogue] = {
    "hj212.error.window": (
        "截止时间 {until} 不晚于起始时间 {since}",
        "until {until} is not after since {since}",
    ),
    "hj212.error.devices": (
        "需要 {count} 台设备，已登记 {registered} 台",
        "{count} devices asked for, {registered} registered",
    ),
    "hj212.error.days": ("天数 {days} 应在 1 至 366 之间", "days {days} is not between 1 and 366"),
}
register(ERRORS)


@dataclass(frozen=True)
class RecordView:
    """A stored upload: its key, QN, factor values and how often a resend revised it."""

    mn: str
    cn: str
    data_time: datetime
    qn: str | None
    values: dict[str, dict[str, Any]]
    revisions: int
    received_at: datetime


@dataclass(frozen=True)
class RejectView:
    """A rejects-ledger entry."""

    id: int
    received_at: datetime
    peer: str
    mn: str | None
    cn: str | None
    qn: str | None
    reason: str
    detail: str


def _beijing(unix_seconds: float) -> datetime:
    return datetime.fromtimestamp(unix_seconds, BEIJING)


def records(
    db: Database,
    principal: Principal,
    mn: str,
    *,
    cn: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int = 10_000,
) -> list[RecordView]:
    """Records of the device ``mn`` (in the caller's scope) by DataTime, optionally of one CN
    and with ``since ≤ DataTime < until``, from the store and the archive of older months."""
    if since is not None and until is not None and until <= since:
        raise InputError(
            both("hj212.error.window", until=until.isoformat(), since=since.isoformat())
        )
    first = None if since is None else int(since.timestamp())
    last = None if until is None else int(until.timestamp())
    with db.transaction(principal) as session:
        find_device(session, mn)
        found = read_records(session, mn, cn=cn, first=first, last=last, limit=limit)
    return [record_view(SimpleNamespace(**row)) for row in found.iter_rows(named=True)]


def enterprise_hourly(
    db: Database, principal: Principal, enterprise_id: int, since: datetime, until: datetime
) -> dict[str, list[float]]:
    """The hourly (2061) values of every device of an enterprise (in the caller's scope) with
    ``since ≤ DataTime < until``, per factor: the hour's emission amount (``Cou``) where the
    device reports one, else its mean concentration (``Avg``) — what "did the emissions drop"
    compares."""
    with db.transaction(principal) as session:
        mns = list(session.scalars(select(Device.mn).where(Device.enterprise_id == enterprise_id)))
    found: dict[str, list[float]] = {}
    for mn in mns:
        for record in records(db, principal, mn, cn="2061", since=since, until=until):
            for code, fields in record.values.items():
                value = fields.get("Cou", fields.get("Avg"))
                if isinstance(value, int | float):
                    found.setdefault(code, []).append(float(value))
    return found


def record_view(row: Any) -> RecordView:
    """The view of a stored record (a :class:`Record` or a row selecting its columns)."""
    return RecordView(
        mn=row.mn,
        cn=row.cn,
        data_time=_beijing(row.data_time),
        qn=row.qn,
        values=factor_values(cp_area(row.cp)),
        revisions=row.revisions,
        received_at=_beijing(row.received_at / 1000),
    )


def archived_frames(
    db: Database,
    principal: Principal,
    mn: str,
    since: datetime,
    until: datetime,
    *,
    limit: int = 10_000,
) -> list[ArchivedFrame]:
    """The frames the device ``mn`` (in the caller's scope) sent with ``since ≤ received <
    until``, as received, oldest first: the raw archive (原始报文) of a device."""
    if until <= since:
        raise InputError(
            both("hj212.error.window", until=until.isoformat(), since=since.isoformat())
        )
    first, last = int(since.timestamp() * 1000), int(until.timestamp() * 1000)
    stmt = (
        select(ArchiveSegment.entries, ArchiveSegment.data)
        .where(ArchiveSegment.received_to >= first, ArchiveSegment.received_from < last)
        .order_by(ArchiveSegment.id)
    )
    found: list[ArchivedFrame] = []
    with db.transaction(principal) as session:
        find_device(session, mn)
        for entries, data in session.execute(stmt):
            found += (
                frame
                for frame in unpack(entries, data)
                if frame.mn == mn and first <= frame.received_at < last
            )
            if len(found) >= limit:
                break
    return found[:limit]


def rejects(
    db: Database,
    principal: Principal,
    *,
    since: datetime | None = None,
    reason: str | None = None,
    mn: str | None = None,
    limit: int = 200,
) -> list[RejectView]:
    """The newest rejects-ledger entries, filtered (admins only)."""
    authorize(principal, "read", REJECTS)
    stmt = select(Reject).order_by(Reject.id.desc()).limit(limit)
    if since is not None:
        stmt = stmt.where(Reject.received_at >= int(since.timestamp() * 1000))
    if reason is not None:
        stmt = stmt.where(Reject.reason == reason)
    if mn is not None:
        stmt = stmt.where(Reject.mn == mn)
    with db.transaction(principal) as session:
        return [
            RejectView(
                id=row.id,
                received_at=_beijing(row.received_at / 1000),
                peer=row.peer,
                mn=row.mn,
                cn=row.cn,
                qn=row.qn,
                reason=row.reason,
                detail=row.detail,
            )
            for row in session.scalars(stmt)
        ]


def simulation_devices(db: Database, principal: Principal, count: int) -> list[SimulatedDevice]:
    """The first ``count`` active registered devices (by MN), for the simulator."""
    credentials = device_credentials(db, principal)
    if len(credentials) < count:
        raise InputError(both("hj212.error.devices", count=count, registered=len(credentials)))
    return [SimulatedDevice(c.mn, c.pw, c.system_code) for c in credentials[:count]]


def _meter(session: Session, device: Device, line: str, first: int, last: int) -> Meter | None:
    """The readings (``first ≤ ts ≤ last``, stamped at the end of each interval) of the meter on
    ``line`` of the device's enterprise — for treatment, the one serving the device's outlet
    when there is one — from the meter's source."""
    meters = list(
        session.scalars(
            select(PowerMeter)
            .where(PowerMeter.enterprise_id == device.enterprise_id, PowerMeter.line == line)
            .order_by(PowerMeter.code)
        )
    )
    meters.sort(key=lambda meter: meter.outlet_id != device.outlet_id)
    if not meters:
        return None
    meter = meters[0]
    readings = meter_source(meter.source).read(session.connection(), meter.id, first, last)
    return Meter(readings, meter.running_kw)


def quality_findings(
    db: Database,
    principal: Principal,
    mn: str,
    first: datetime,
    last: datetime,
    rules: Rules | None = None,
) -> list[Finding]:
    """The data-quality and fraud checks on the device ``mn``'s hourly data between two
    instants, with its analyser channels and its enterprise's electricity meters."""
    start, end = int(first.timestamp()), int(last.timestamp())
    if end <= start:
        raise InputError(
            both("hj212.error.window", until=last.isoformat(), since=first.isoformat())
        )
    with db.transaction(principal) as session:
        device = find_device(session, mn)
        subject = device_subject(session, device)
        channels = {
            row.factor_code: Channel(row.range_low, row.range_high, row.detection_limit)
            for row in session.scalars(
                select(DeviceFactor).where(DeviceFactor.device_id == device.id)
            )
        }
        data = CheckInput(
            mn=mn,
            hourly=factor_frame(records_frame(session, mn, "2061", start, end)),
            first=start,
            last=end,
            channels=channels,
            production=_meter(session, device, "production", start + 1, end),
            treatment=_meter(session, device, "treatment", start + 1, end),
        )
    findings = run_checks(data, rules)
    publish_findings(db, subject, findings)
    return findings


CHART_DAYS = 7
"""How many days of hourly means the device page charts, back from the newest one."""


@dataclass(frozen=True)
class FactorSeries:
    """One factor's hourly (2061) means for a chart, against the outlet's hourly permit limit.

    ``field`` is the plotted field: ``ZsAvg`` (折算) when the limit applies to converted values,
    else ``Avg``. ``points`` are ``(DataTime ISO 8601, value, flag)``; a ``None`` value marks a
    gap of missing hours (the line breaks there). ``exceedances`` are the hourly exceedance
    events as ``(start, end)`` ISO 8601 instants.
    """

    code: str
    name_zh: str
    name_en: str
    unit: str
    field: str
    limit: float | None
    points: list[tuple[str, float | None, str | None]]
    exceedances: list[tuple[str, str]]


@dataclass(frozen=True)
class HourlyChart:
    """The hourly means of a device's factors with ``since ≤ DataTime < until`` (Beijing)."""

    mn: str
    since: datetime
    until: datetime
    factors: list[FactorSeries]


@dataclass(frozen=True)
class HourlyLimit:
    """An hourly permit limit of one factor: value [unit] on the converted or measured basis."""

    value: float
    unit: str
    basis: str


HourlyLimits = dict[str, HourlyLimit]
"""Hourly permit limits by factor code."""


def _factor_unit(code: str) -> str:
    """The Appendix B default concentration unit symbol of a factor, or ''."""
    factor = lookup_factor(code)
    if factor is None:
        return ""
    return UNIT_SYMBOLS.get(factor.concentration_unit, factor.concentration_unit)


def chart_series(
    hourly: list[RecordView],
    limits: HourlyLimits,
    events: list[ExceedanceView],
) -> list[FactorSeries]:
    """Per factor (by code) the points of its hourly means, its limit and exceedance periods.

    Values flagged other than N are kept with their flag, so a chart can show them apart.
    """
    codes = sorted({code for record in hourly for code in record.values})
    found: list[FactorSeries] = []
    for code in codes:
        limit = limits.get(code)
        field = "ZsAvg" if limit is not None and limit.basis == "converted" else "Avg"
        points: list[tuple[str, float | None, str | None]] = []
        previous: datetime | None = None
        for record in hourly:
            value = record.values.get(code, {}).get(field)
            if not isinstance(value, int | float):
                continue
            if previous is not None and record.data_time - previous > timedelta(hours=1):
                points.append(((previous + timedelta(hours=1)).isoformat(), None, None))
            flag = record.values[code].get("Flag")
            points.append((record.data_time.isoformat(), float(value), flag))
            previous = record.data_time
        if not points:
            continue
        factor = lookup_factor(code)
        found.append(
            FactorSeries(
                code=code,
                name_zh=factor.name.zh if factor else code,
                name_en=factor.name.en if factor else code,
                unit=limit.unit if limit is not None else _factor_unit(code),
                field=field,
                limit=limit.value if limit is not None else None,
                points=points,
                exceedances=[
                    (event.start.isoformat(), event.end.isoformat())
                    for event in events
                    if event.factor == code and event.averaging == "hourly"
                ],
            )
        )
    return found


def _hourly_limits(session: Session, device: Device) -> HourlyLimits:
    """The hourly permit limits of the device's outlet, by factor code."""
    stmt = select(PermitLimit).where(
        PermitLimit.outlet_id == device.outlet_id, PermitLimit.averaging == "hourly"
    )
    return {
        row.factor_code: HourlyLimit(row.limit_value, row.unit, row.basis)
        for row in session.scalars(stmt)
    }


def _newest_hour_end(session: Session, mn: str) -> datetime | None:
    """The end of the device's newest hourly (2061) record, or None without any."""
    newest = session.scalar(
        select(Record.data_time)
        .where(Record.mn == mn, Record.cn == "2061")
        .order_by(Record.data_time.desc())
        .limit(1)
    )
    return None if newest is None else _beijing(newest + 3600)


def _window(db: Database, principal: Principal, mn: str) -> tuple[int, datetime, HourlyLimits]:
    """The device's enterprise id, the end of its newest hour (now without data: old and demo
    data are judged and charted up to their own end, not the wall clock), and its hourly
    permit limits."""
    with db.transaction(principal) as session:
        device = find_device(session, mn)
        until = _newest_hour_end(session, mn) or clock.now()
        return device.enterprise_id, until, _hourly_limits(session, device)


def chart_window(
    mn: str,
    until: datetime,
    days: int,
    hourly: list[RecordView],
    limits: HourlyLimits,
    events: list[ExceedanceView],
) -> HourlyChart:
    """The chart of the ``days`` days up to ``until`` from records and events that may reach
    further back."""
    since = until - timedelta(days=days)
    charted = [record for record in hourly if record.data_time >= since]
    recent = [event for event in events if event.end > since]
    return HourlyChart(mn, since, until, chart_series(charted, limits, recent))


def hourly_chart(
    db: Database, principal: Principal, mn: str, days: int = CHART_DAYS
) -> HourlyChart:
    """The device's hourly means over the ``days`` days up to its newest hourly record, with
    its hourly limits and exceedances."""
    if not 1 <= days <= 366:
        raise InputError(both("hj212.error.days", days=days))
    _, until, limits = _window(db, principal, mn)
    since = until - timedelta(days=days)
    hourly = records(db, principal, mn, cn="2061", since=since, until=until)
    events = exceedances(db, principal, mn, since, until)
    return chart_window(mn, until, days, hourly, limits, events)


@dataclass(frozen=True)
class DeviceOverview:
    """What the device page shows: its registry ids, its latest hourly records, the last
    30 days' exceedance events and quality findings, and the chart of the last 7 days."""

    mn: str
    enterprise_id: int
    latest: list[RecordView]
    factors: list[str]
    exceedances: list[ExceedanceView]
    findings: list[Finding]
    chart: HourlyChart | None = None


def device_overview(db: Database, principal: Principal, mn: str, days: int = 30) -> DeviceOverview:
    """A device's latest 24 hourly records, its judgement over the last ``days`` days and the
    chart of its last :data:`CHART_DAYS` days (counted back from its latest hourly record, so
    old data are judged too)."""
    enterprise_id, until, limits = _window(db, principal, mn)
    since = until - timedelta(days=days)
    chart_days = min(days, CHART_DAYS)
    shown = _shown_since(db, principal, mn, since, until, until - timedelta(days=chart_days))
    hourly = records(db, principal, mn, cn="2061", since=shown, until=until)
    events = exceedances(db, principal, mn, since, until)
    return DeviceOverview(
        mn=mn,
        enterprise_id=enterprise_id,
        latest=hourly[-LATEST:][::-1],
        factors=sorted({code for record in hourly[-LATEST:] for code in record.values}),
        exceedances=events,
        findings=quality_findings(db, principal, mn, since, until),
        chart=chart_window(mn, until, chart_days, hourly, limits, events),
    )


LATEST: Final = 24
"""The device page lists this many latest hourly records."""


def _shown_since(
    db: Database,
    principal: Principal,
    mn: str,
    since: datetime,
    until: datetime,
    chart_since: datetime,
) -> datetime:
    """The earliest time the device page shows a record of (the chart's start, or the time of
    the :data:`LATEST`-th newest hourly record within ``since``…``until`` when that is earlier):
    only those records are read and decoded, not the whole judged window (issue 14)."""
    stmt = (
        select(Record.data_time)
        .where(
            Record.mn == mn,
            Record.cn == "2061",
            Record.data_time >= int(since.timestamp()),
            Record.data_time < int(until.timestamp()),
        )
        .order_by(Record.data_time.desc())
        .offset(LATEST - 1)
        .limit(1)
    )
    with db.transaction(principal) as session:
        oldest_latest = session.scalar(stmt)
    if oldest_latest is None:
        return since  # fewer than LATEST records: all of them are listed
    return min(chart_since, _beijing(oldest_latest))
