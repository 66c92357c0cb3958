"""Source registry logic: enterprises, outlets, devices, analyser channels, permit limits, meters.

Reads see what the caller's scope allows (the session guard filters every query). Changes are
made by officers (within their region) and admins only; enterprise users and leaders read.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any, Final, TypeVar

from sqlalchemy import Select, case, func, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from ecogov.platform.db import Database
from ecogov.platform.errors import Conflict, InputError, NotFound
from ecogov.platform.i18n import Catalogue, both, register, translate
from ecogov.platform.models import Base
from ecogov.platform.permissions import authorize
from ecogov.platform.scope import Principal, region_prefix
from ecogov.platform.sqltext import contains
from ecogov.platform.tables import TableQuery
from ecogov.regions.models import Region
from ecogov.sources.access import DEVICE_SECRETS, REGISTRY
from ecogov.sources.meters import meter_source
from ecogov.sources.models import (
    AVERAGING,
    BASES,
    KEY_LEVELS,
    LINES,
    MEDIA,
    Device,
    DeviceFactor,
    Enterprise,
    Outlet,
    PermitLimit,
    PowerMeter,
)
from ecogov.sources.protocols import DEFAULT_PROFILE, profile_named
from ecogov.standards.gb32100 import InvalidCreditCode, validate_uscc
from ecogov.standards.hj212.codes import lookup_factor
from ecogov.standards.hj212.rules import check_header_value

ERRORS: Final[Catalogue] = {
    "sources.what.enterprise": ("企业", "enterprise"),
    "sources.what.outlet": ("排放口", "outlet"),
    "sources.what.device": ("监测设备", "device"),
    "sources.what.meter": ("电表", "meter"),
    "sources.what.key_level": ("重点排污单位级别", "key level"),
    "sources.what.medium": ("排放介质", "medium"),
    "sources.what.averaging": ("限值时段", "averaging"),
    "sources.what.basis": ("限值基准", "basis"),
    "sources.what.line": ("产线", "line"),
    "sources.error.not_found": (
        "{what} {key} 不存在或不在权限范围内",
        "{what_en} {key} does not exist or is outside your scope",
    ),
    "sources.error.code": (
        "{what}编号 {code!r} 应为 1–16 位字母、数字、“-”或“_”",
        "{what_en} code {code!r} must be 1–16 letters, digits, '-' or '_'",
    ),
    "sources.error.lon_lat": (
        "经度和纬度应同时填写或同时不填",
        "give both lon and lat, or neither",
    ),
    "sources.error.position": (
        "位置 ({lon}, {lat}) 不是 WGS-84 经纬度",
        "position ({lon}, {lat}) is not WGS-84 degrees",
    ),
    "sources.error.choice": (
        "{what} {value!r} 应为以下之一：{allowed}",
        "{what_en} {value!r} is not one of {allowed}",
    ),
    "sources.error.name": ("企业须有名称", "an enterprise needs a name"),
    "sources.error.industry": (
        "行业代码 {code!r} 不是 GB/T 4754-2017 代码（如 C2614）",
        "industry code {code!r} is not a GB/T 4754-2017 code such as C2614",
    ),
    "sources.error.region": ("区域 {code} 不存在", "region {code} does not exist"),
    "sources.error.uscc_taken": (
        "统一社会信用代码为 {uscc} 的企业已登记",
        "an enterprise with credit code {uscc} is already registered",
    ),
    "sources.error.outlet_taken": (
        "企业 {id} 已有编号为 {code} 的排放口",
        "enterprise {id} already has an outlet {code}",
    ),
    "sources.error.mn_taken": (
        "MN 为 {mn} 的设备已登记",
        "a device with MN {mn} is already registered",
    ),
    "sources.error.factor": (
        "{code!r} 不是 HJ 212 监测因子代码（附录 B）",
        "{code!r} is not an HJ 212 factor code (Appendix B)",
    ),
    "sources.error.range": ("量程 {low}–{high} 为空", "measuring range {low}–{high} is empty"),
    "sources.error.detection": (
        "检出限 {limit} 超出量程",
        "detection limit {limit} lies outside the measuring range",
    ),
    "sources.error.limit": ("限值 {limit} 应为正数", "limit {limit} must be positive"),
    "sources.error.running": (
        "运行功率阈值 {kw} kW 应为正数",
        "running threshold {kw} kW must be positive",
    ),
    "sources.error.outlet_owner": (
        "排放口 {id} 属于其他企业",
        "outlet {id} belongs to another enterprise",
    ),
    "sources.error.no_device": (
        "MN 为 {mn} 的设备不存在或不在权限范围内",
        "device MN={mn} does not exist or is outside your scope",
    ),
    "sources.error.no_key_unit": (
        "企业 {id} 不在重点排污单位名录中",
        "enterprise {id} is not a listed key polluter",
    ),
}
register(ERRORS)

INDUSTRY_CODE = re.compile(r"[A-T]\d{2,4}")
"""GB/T 4754-2017: section letter, then division (2), group (3) or class (4) digits."""
CODE = re.compile(r"[0-9A-Za-z_-]{1,16}")
SYSTEM_CODE_OF_MEDIUM = {"gas": "31", "water": "32"}
"""HJ 212 Table 5: 31 大气环境污染源, 32 地表水体环境污染源."""

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

_Row = TypeVar("_Row", bound=Base)
_View = TypeVar("_View", bound="DataclassInstance")


@dataclass(frozen=True)
class EnterpriseView:
    """An enterprise as pages, the API and the CLI show it."""

    enterprise_id: int
    uscc: str
    name: str
    industry_code: str
    industry: str
    region_code: str
    lon: float | None
    lat: float | None
    key_level: str
    permit_number: str | None
    simulated: bool


@dataclass(frozen=True)
class NewEnterprise:
    """What registering an enterprise needs."""

    uscc: str
    name: str
    industry_code: str
    industry: str
    region_code: str
    key_level: str = "general"
    lon: float | None = None
    lat: float | None = None
    permit_number: str | None = None


@dataclass(frozen=True)
class OutletView:
    """A discharge outlet (排放口)."""

    id: int
    enterprise_id: int
    code: str
    name: str
    medium: str
    lon: float | None
    lat: float | None


@dataclass(frozen=True)
class DeviceView:
    """A data logger, without its password."""

    id: int
    enterprise_id: int
    outlet_id: int
    mn: str
    profile: str
    system_code: str
    active: bool


@dataclass(frozen=True)
class DeviceFactorView:
    """An analyser channel: factor, measuring range and detection limit [``unit``]."""

    id: int
    device_id: int
    factor_code: str
    unit: str
    range_low: float
    range_high: float
    detection_limit: float | None


@dataclass(frozen=True)
class PermitView:
    """A permit limit of one outlet and factor."""

    id: int
    outlet_id: int
    factor_code: str
    limit_value: float
    unit: str
    averaging: str
    basis: str


@dataclass(frozen=True)
class MeterView:
    """An electricity meter of a production or treatment line."""

    id: int
    enterprise_id: int
    code: str
    name: str
    line: str
    outlet_id: int | None
    source: str
    running_kw: float


@dataclass(frozen=True)
class EnterpriseDetail:
    """An enterprise with everything registered under it."""

    enterprise: EnterpriseView
    outlets: list[OutletView]
    devices: list[DeviceView]
    factors: list[DeviceFactorView]
    permits: list[PermitView]
    meters: list[MeterView]


@dataclass(frozen=True)
class DeviceCredential:
    """What the HJ 212 receiver needs to authenticate a device (MN + PW) and parse its packets."""

    device_id: int
    mn: str
    pw: str
    profile: str
    system_code: str
    enterprise_id: int
    region_code: str


def _view(row: Base, view: type[_View]) -> _View:
    """A view dataclass filled from the same-named attributes of ``row``."""
    return view(**{field.name: getattr(row, field.name) for field in fields(view)})


def _what(what: str) -> dict[str, str]:
    """The name of ``what`` (``outlet``, ``key_level`` …) for a message: zh-CN and English."""
    key = f"sources.what.{what}"
    return {"what": translate(key), "what_en": translate(key, "en")}


def _one(session: Session, model: type[_Row], key: int, what: str) -> _Row:
    """The row of ``model`` with primary key ``key`` that the caller may see, or ``NotFound``."""
    row = session.get(model, key)
    if row is None:
        raise NotFound(both("sources.error.not_found", **_what(what), key=key))
    return row


def _scope_of(parent: Enterprise | Outlet | Device) -> dict[str, Any]:
    """The scope columns a row registered under ``parent`` copies from it."""
    return {"enterprise_id": parent.enterprise_id, "region_code": parent.region_code}


def _create(
    db: Database,
    principal: Principal,
    action: str,
    build: Callable[[Session], _Row],
    view: type[_View],
) -> _View:
    """Add the row ``build`` makes, in one transaction audited as ``action``; the row's view.

    ``build`` looks up the row's parent within the caller's scope (:func:`_one`) and may refuse
    the row (``Conflict``, ``InputError``); the session guard checks the insert.
    """
    with db.transaction(principal, action=action) as session:
        row = build(session)
        session.add(row)
        session.flush()
        return _view(row, view)


def _code_and_name(what: str, code: str, name: str) -> dict[str, str]:
    """The checked ``code`` of an outlet or meter and its ``name`` (the code when blank)."""
    if not CODE.fullmatch(code):
        raise InputError(both("sources.error.code", **_what(what), code=code))
    return {"code": code, "name": name.strip() or code}


def _check_position(lon: float | None, lat: float | None) -> None:
    if (lon is None) != (lat is None):
        raise InputError(both("sources.error.lon_lat"))
    if lon is not None and lat is not None and not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise InputError(both("sources.error.position", lon=lon, lat=lat))


def _check_choice(name: str, value: str, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        raise InputError(
            both("sources.error.choice", **_what(name), value=value, allowed=", ".join(allowed))
        )


def credit_code(code: str) -> str:
    """``code`` normalised when it is a valid unified social credit code (GB 32100-2015), else
    ``InputError`` saying which rule it breaks."""
    try:
        return validate_uscc(code)
    except InvalidCreditCode as error:
        raise InputError(str(error)) from error


def _check_enterprise(session: Session, new: NewEnterprise) -> str:
    """Validate a new enterprise; returns its normalised credit code."""
    uscc = credit_code(new.uscc)
    if not new.name.strip():
        raise InputError(both("sources.error.name"))
    if not INDUSTRY_CODE.fullmatch(new.industry_code):
        raise InputError(both("sources.error.industry", code=new.industry_code))
    _check_choice("key_level", new.key_level, KEY_LEVELS)
    _check_position(new.lon, new.lat)
    if session.get(Region, new.region_code) is None:
        raise InputError(both("sources.error.region", code=new.region_code))
    if session.scalar(select(func.count()).where(Enterprise.uscc == uscc)):
        raise Conflict(both("sources.error.uscc_taken", uscc=uscc))
    return uscc


def create_enterprise(db: Database, principal: Principal, new: NewEnterprise) -> EnterpriseView:
    """Register an enterprise (officers within their region, admins)."""
    authorize(principal, "create", REGISTRY)

    def build(session: Session) -> Enterprise:
        return Enterprise(
            uscc=_check_enterprise(session, new),
            name=new.name.strip(),
            industry_code=new.industry_code,
            industry=new.industry.strip(),
            region_code=new.region_code,
            lon=new.lon,
            lat=new.lat,
            key_level=new.key_level,
            permit_number=new.permit_number,
            simulated=False,
        )

    return _create(db, principal, "sources.enterprise.create", build, EnterpriseView)


def _enterprises(region: str | None, query: str | None) -> Select[Enterprise]:
    """The enterprises within ``region`` matching ``query`` (part of the name, or the whole
    credit code); the caller's scope applies when the statement runs."""
    stmt = select(Enterprise)
    if region is not None:
        stmt = stmt.where(Enterprise.region_code.startswith(region_prefix(region)))
    if query:
        needle = query.strip()
        stmt = stmt.where(contains(Enterprise.name, needle) | (Enterprise.uscc == needle.upper()))
    return stmt


def list_enterprises(
    db: Database,
    principal: Principal,
    region: str | None = None,
    query: str | None = None,
    limit: int = 500,
) -> list[EnterpriseView]:
    """Enterprises in the caller's scope, optionally within ``region`` and matching ``query``
    (part of the name or the credit code), by name."""
    with db.transaction(principal) as session:
        stmt = _enterprises(region, query).order_by(Enterprise.name).limit(limit)
        return [_view(row, EnterpriseView) for row in session.scalars(stmt)]


ENTERPRISE_SORTS: Final[dict[str, Any]] = {
    "name": Enterprise.name,
    "industry": Enterprise.industry_code,
    "level": case({level: n for n, level in enumerate(KEY_LEVELS)}, value=Enterprise.key_level),
    "region": Enterprise.region_code,
}
"""Columns the enterprise table sorts by (key levels from 国控 down)."""


def page_enterprises(
    db: Database, principal: Principal, region: str | None, table: TableQuery
) -> tuple[list[EnterpriseView], int]:
    """One page of the enterprise table (:func:`list_enterprises`' rows, sorted, searched and
    filtered by key level as ``table`` asks, in the database) and how many match."""
    stmt = _enterprises(region, table.search or None)
    level = table.chosen.get("level")
    if level is not None:
        stmt = stmt.where(Enterprise.key_level == level)
    column = ENTERPRISE_SORTS[table.sort_column or "name"]
    order = column.desc() if table.descending else column.asc()
    with db.transaction(principal) as session:
        total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
        page = stmt.order_by(order, Enterprise.name, Enterprise.enterprise_id)
        rows = session.scalars(page.offset(table.offset).limit(table.size))
        return [_view(row, EnterpriseView) for row in rows], total


def _owned(
    session: Session, view: type[_View], owner: InstrumentedAttribute[int], key: int, order: Any
) -> list[_View]:
    """Views of the rows whose ``owner`` column (an ``enterprise_id``) is ``key``, in ``order``."""
    stmt = select(owner.class_).where(owner == key).order_by(order)
    return [_view(row, view) for row in session.scalars(stmt)]


def enterprise_name(db: Database, principal: Principal, enterprise_id: int) -> str:
    """The name of one enterprise in the principal's scope (pages show it instead of its id)."""
    with db.transaction(principal) as session:
        return _one(session, Enterprise, enterprise_id, "enterprise").name


def get_enterprise(db: Database, principal: Principal, enterprise_id: int) -> EnterpriseDetail:
    """One enterprise with its outlets, devices, analyser channels, permit limits and meters."""
    with db.transaction(principal) as session:
        enterprise = _one(session, Enterprise, enterprise_id, "enterprise")
        return EnterpriseDetail(
            enterprise=_view(enterprise, EnterpriseView),
            outlets=_owned(session, OutletView, Outlet.enterprise_id, enterprise_id, Outlet.code),
            devices=_owned(session, DeviceView, Device.enterprise_id, enterprise_id, Device.mn),
            factors=_owned(
                session,
                DeviceFactorView,
                DeviceFactor.enterprise_id,
                enterprise_id,
                DeviceFactor.id,
            ),
            permits=_owned(
                session, PermitView, PermitLimit.enterprise_id, enterprise_id, PermitLimit.id
            ),
            meters=_owned(
                session, MeterView, PowerMeter.enterprise_id, enterprise_id, PowerMeter.code
            ),
        )


def add_outlet(
    db: Database,
    principal: Principal,
    enterprise_id: int,
    *,
    code: str,
    name: str,
    medium: str,
    lon: float | None = None,
    lat: float | None = None,
) -> OutletView:
    """Register a discharge outlet of an enterprise."""
    authorize(principal, "create", REGISTRY)
    labels = _code_and_name("outlet", code, name)
    _check_choice("medium", medium, MEDIA)
    _check_position(lon, lat)

    def build(session: Session) -> Outlet:
        enterprise = _one(session, Enterprise, enterprise_id, "enterprise")
        taken = select(func.count()).where(
            Outlet.enterprise_id == enterprise_id, Outlet.code == code
        )
        if session.scalar(taken):
            raise Conflict(both("sources.error.outlet_taken", id=enterprise_id, code=code))
        return Outlet(
            **_scope_of(enterprise),
            **labels,
            medium=medium,
            lon=lon,
            lat=lat,
        )

    return _create(db, principal, "sources.outlet.create", build, OutletView)


def register_device(
    db: Database,
    principal: Principal,
    outlet_id: int,
    *,
    mn: str,
    pw: str,
    profile: str = DEFAULT_PROFILE,
    system_code: str | None = None,
) -> DeviceView:
    """Register the data logger of an outlet; MN and PW are checked against its profile's rules
    (HJ 212 Table 3), the ST defaults to the outlet's medium (31 gas, 32 water)."""
    authorize(principal, "create", REGISTRY)
    codec_profile = profile_named(profile)
    for key, value in (("MN", mn), ("PW", pw)):
        issue = check_header_value(key, value, codec_profile)
        if issue is not None:
            raise InputError(issue[1])

    def build(session: Session) -> Device:
        outlet = _one(session, Outlet, outlet_id, "outlet")
        st = system_code or SYSTEM_CODE_OF_MEDIUM[outlet.medium]
        issue = check_header_value("ST", st, codec_profile)
        if issue is not None:
            raise InputError(issue[1])
        if session.scalar(select(func.count()).where(Device.mn == mn)):
            raise Conflict(both("sources.error.mn_taken", mn=mn))
        return Device(
            **_scope_of(outlet),
            mn=mn,
            pw=pw,
            profile=profile,
            system_code=st,
            outlet_id=outlet.id,
            active=True,
        )

    return _create(db, principal, "sources.device.register", build, DeviceView)


def _check_factor(code: str) -> None:
    if lookup_factor(code) is None:
        raise InputError(both("sources.error.factor", code=code))


def add_device_factor(
    db: Database,
    principal: Principal,
    device_id: int,
    *,
    factor_code: str,
    unit: str,
    range_high: float,
    range_low: float = 0.0,
    detection_limit: float | None = None,
) -> DeviceFactorView:
    """Register an analyser channel of a device with its measuring range [unit]."""
    authorize(principal, "create", REGISTRY)
    _check_factor(factor_code)
    if not range_low < range_high:
        raise InputError(both("sources.error.range", low=range_low, high=range_high))
    if detection_limit is not None and not range_low <= detection_limit < range_high:
        raise InputError(both("sources.error.detection", limit=detection_limit))

    def build(session: Session) -> DeviceFactor:
        device = _one(session, Device, device_id, "device")
        taken = select(func.count()).where(
            DeviceFactor.device_id == device_id, DeviceFactor.factor_code == factor_code
        )
        if session.scalar(taken):
            raise Conflict(f"设备 {device_id} 已登记因子 {factor_code} 的分析仪通道")
        return DeviceFactor(
            **_scope_of(device),
            factor_code=factor_code,
            unit=unit,
            range_low=range_low,
            range_high=range_high,
            detection_limit=detection_limit,
            device_id=device.id,
        )

    return _create(db, principal, "sources.device_factor.create", build, DeviceFactorView)


def set_permit_limit(
    db: Database,
    principal: Principal,
    outlet_id: int,
    *,
    factor_code: str,
    limit_value: float,
    unit: str,
    averaging: str = "hourly",
    basis: str = "measured",
) -> PermitView:
    """Set (create or change) the permit limit of an outlet for a factor and averaging period."""
    authorize(principal, "update", REGISTRY)
    _check_factor(factor_code)
    _check_choice("averaging", averaging, AVERAGING)
    _check_choice("basis", basis, BASES)
    if not limit_value > 0:
        raise InputError(both("sources.error.limit", limit=limit_value))

    def build(session: Session) -> PermitLimit:
        outlet = _one(session, Outlet, outlet_id, "outlet")
        limit = session.scalar(
            select(PermitLimit).where(
                PermitLimit.outlet_id == outlet_id,
                PermitLimit.factor_code == factor_code,
                PermitLimit.averaging == averaging,
            )
        ) or PermitLimit(
            **_scope_of(outlet),
            outlet_id=outlet.id,
            factor_code=factor_code,
            averaging=averaging,
        )
        limit.limit_value = limit_value
        limit.unit = unit
        limit.basis = basis
        return limit

    return _create(db, principal, "sources.permit.set", build, PermitView)


def add_meter(
    db: Database,
    principal: Principal,
    enterprise_id: int,
    *,
    code: str,
    name: str,
    line: str,
    running_kw: float,
    outlet_id: int | None = None,
    source: str = "table",
) -> MeterView:
    """Register an electricity meter of a production or treatment line."""
    authorize(principal, "create", REGISTRY)
    labels = _code_and_name("meter", code, name)
    _check_choice("line", line, LINES)
    meter_source(source)
    if not running_kw > 0:
        raise InputError(both("sources.error.running", kw=running_kw))

    def build(session: Session) -> PowerMeter:
        enterprise = _one(session, Enterprise, enterprise_id, "enterprise")
        if outlet_id is not None:
            outlet = _one(session, Outlet, outlet_id, "outlet")
            if outlet.enterprise_id != enterprise_id:
                raise InputError(both("sources.error.outlet_owner", id=outlet_id))
        taken = select(func.count()).where(
            PowerMeter.enterprise_id == enterprise_id, PowerMeter.code == code
        )
        if session.scalar(taken):
            raise Conflict(f"企业 {enterprise_id} 已有编号为 {code} 的电表")
        return PowerMeter(
            **_scope_of(enterprise),
            **labels,
            line=line,
            outlet_id=outlet_id,
            source=source,
            running_kw=running_kw,
        )

    return _create(db, principal, "sources.meter.create", build, MeterView)


def find_device(session: Session, mn: str) -> Device:
    """The device with MN ``mn`` within the session's scope, or ``NotFound``."""
    device = session.scalar(select(Device).where(Device.mn == mn))
    if device is None:
        raise NotFound(both("sources.error.no_device", mn=mn))
    return device


def device_credentials(db: Database, principal: Principal) -> list[DeviceCredential]:
    """MN, PW and profile of every active device, for the receiver (admins and the system).

    Read as plain rows, not ORM objects: the receiver refreshes this every few seconds.
    """
    authorize(principal, "read", DEVICE_SECRETS)
    stmt = select(
        Device.id,
        Device.mn,
        Device.pw,
        Device.profile,
        Device.system_code,
        Device.enterprise_id,
        Device.region_code,
    ).where(Device.active.is_(True))
    stmt = stmt.order_by(Device.mn)
    with db.transaction(principal) as session:
        return [DeviceCredential(*row) for row in session.execute(stmt)]


def enterprise_map(db: Database, principal: Principal, region: str | None = None) -> dict[str, Any]:
    """A GeoJSON FeatureCollection of the visible enterprises with a position (the source map),
    each with its id, name, industry, key level (also as ``category``, the map legend's key)
    and region."""
    stmt = select(Enterprise).where(Enterprise.lon.is_not(None))
    if region is not None:
        stmt = stmt.where(Enterprise.region_code.startswith(region_prefix(region)))
    with db.transaction(principal) as session:
        features = [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [row.lon, row.lat]},
                "properties": {
                    "id": row.enterprise_id,
                    "name": row.name,
                    "industry": row.industry,
                    "key_level": row.key_level,
                    "category": row.key_level,
                    "region_code": row.region_code,
                },
            }
            for row in session.scalars(stmt.order_by(Enterprise.enterprise_id))
        ]
    return {"type": "FeatureCollection", "features": features}
