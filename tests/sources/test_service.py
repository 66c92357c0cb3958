"""The source registry: validation, who may change it, who sees what, and its audit trail."""

from __future__ import annotations

from datetime import datetime

import polars as pl
import pytest
from sqlalchemy import select

from ecogov.platform.audit import AuditEntry
from ecogov.platform.db import Database
from ecogov.platform.errors import Conflict, InputError, NotFound, PermissionDenied
from ecogov.platform.scope import SYSTEM, Principal, Role
from ecogov.sources import meters, service
from ecogov.sources.demo import demo_uscc
from ecogov.sources.service import NewEnterprise
from ecogov.standards.hj212 import HJT212_2005
from ecogov.standards.timebase import BEIJING

HANGZHOU = Principal("hz", Role.CITY_OFFICER, region_code="330100")
NINGBO = Principal("nb", Role.CITY_OFFICER, region_code="330200")
LEADER = Principal("boss", Role.LEADER, region_code="330000")


def enterprise(db: Database, index: int = 1, region: str = "330106") -> service.EnterpriseView:
    return service.create_enterprise(
        db,
        SYSTEM,
        NewEnterprise(
            uscc=demo_uscc(index, region),
            name=f"测试化工{index}有限公司",
            industry_code="C2614",
            industry="有机化学原料制造",
            region_code=region,
            key_level="provincial",
            lon=120.1,
            lat=30.2,
        ),
    )


def owner_of(view: service.EnterpriseView) -> Principal:
    return Principal("qy", Role.ENTERPRISE, enterprise_id=view.enterprise_id)


def test_registering_an_enterprise_checks_its_fields(db: Database) -> None:
    new = NewEnterprise(
        uscc=demo_uscc(1, "330106"),
        name="A",
        industry_code="C2614",
        industry="x",
        region_code="330106",
    )
    created = service.create_enterprise(db, HANGZHOU, new)
    assert created.key_level == "general"
    assert created.simulated is False
    with pytest.raises(Conflict, match="already registered"):
        service.create_enterprise(db, SYSTEM, new)
    for change, message in (
        ({"uscc": "91350100M000100Y44"}, "check character"),
        ({"industry_code": "2614"}, "GB/T 4754"),
        ({"key_level": "vip"}, "key level"),
        ({"region_code": "339999"}, "does not exist"),
        ({"lon": 120.0}, "both lon and lat"),
    ):
        fields = {**new.__dict__, "uscc": demo_uscc(2, "330106"), **change}
        with pytest.raises(InputError, match=message):
            service.create_enterprise(db, SYSTEM, NewEnterprise(**fields))


def test_who_may_register(db: Database) -> None:
    new = NewEnterprise(demo_uscc(3, "330106"), "B", "C2614", "x", "330106")
    with pytest.raises(PermissionDenied):
        service.create_enterprise(db, NINGBO, new)  # outside Ningbo's region
    with pytest.raises(PermissionDenied):
        service.create_enterprise(db, LEADER, new)
    created = enterprise(db)
    with pytest.raises(PermissionDenied):
        service.add_outlet(
            db, owner_of(created), created.enterprise_id, code="DW001", name="", medium="water"
        )


def test_enterprise_users_see_only_their_own_enterprise(db: Database) -> None:
    mine, theirs = enterprise(db, 1), enterprise(db, 2)
    for created in (mine, theirs):
        outlet = service.add_outlet(
            db, SYSTEM, created.enterprise_id, code="DW001", name="总排口", medium="water"
        )
        service.register_device(
            db, SYSTEM, outlet.id, mn=f"330106{created.enterprise_id:018X}", pw="1"
        )
    owner = owner_of(mine)
    assert [e.enterprise_id for e in service.list_enterprises(db, owner)] == [mine.enterprise_id]
    detail = service.get_enterprise(db, owner, mine.enterprise_id)
    assert [d.mn for d in detail.devices] == [f"330106{mine.enterprise_id:018X}"]
    with pytest.raises(NotFound):
        service.get_enterprise(db, owner, theirs.enterprise_id)
    assert len(service.list_enterprises(db, HANGZHOU)) == 2
    assert service.list_enterprises(db, NINGBO) == []
    assert len(service.enterprise_map(db, HANGZHOU)["features"]) == 2


def test_devices_follow_their_profile_and_hide_their_password(db: Database) -> None:
    created = enterprise(db)
    outlet = service.add_outlet(
        db, SYSTEM, created.enterprise_id, code="DA001", name="", medium="gas"
    )
    with pytest.raises(InputError, match="EPC-96"):
        service.register_device(db, SYSTEM, outlet.id, mn="SD000001", pw="123456")
    legacy = service.register_device(
        db, SYSTEM, outlet.id, mn="SD000001", pw="123456", profile=HJT212_2005.name
    )
    assert legacy.system_code == "31"
    with pytest.raises(Conflict):
        service.register_device(
            db, SYSTEM, outlet.id, mn="SD000001", pw="1", profile=HJT212_2005.name
        )
    with pytest.raises(InputError, match="unknown HJ 212 protocol profile"):
        service.register_device(db, SYSTEM, outlet.id, mn="SD000002", pw="1", profile="HJ 1")
    assert "pw" not in service.DeviceView.__dataclass_fields__
    with db.transaction(SYSTEM) as session:
        entry = session.scalar(
            select(AuditEntry).where(AuditEntry.action == "sources.device.register")
        )
    assert entry is not None
    assert entry.after is not None
    assert entry.after["pw"] == "***"


def test_permits_channels_and_meters(db: Database) -> None:
    created = enterprise(db)
    outlet = service.add_outlet(
        db, SYSTEM, created.enterprise_id, code="DA001", name="", medium="gas"
    )
    first = service.set_permit_limit(
        db,
        HANGZHOU,
        outlet.id,
        factor_code="a21026",
        limit_value=35,
        unit="mg/m³",
        basis="converted",
    )
    again = service.set_permit_limit(
        db, HANGZHOU, outlet.id, factor_code="a21026", limit_value=50, unit="mg/m³"
    )
    assert again.id == first.id
    assert (again.limit_value, again.basis) == (50, "measured")
    with pytest.raises(InputError, match="not an HJ 212 factor code"):
        service.set_permit_limit(db, SYSTEM, outlet.id, factor_code="zz", limit_value=1, unit="")
    with pytest.raises(InputError, match="averaging"):
        service.set_permit_limit(
            db, SYSTEM, outlet.id, factor_code="a21026", limit_value=1, unit="", averaging="weekly"
        )
    device = service.register_device(db, SYSTEM, outlet.id, mn="330106000000000000000009", pw="1")
    channel = service.add_device_factor(
        db, SYSTEM, device.id, factor_code="a21026", unit="mg/m³", range_high=200, detection_limit=3
    )
    assert channel.range_low == 0
    with pytest.raises(InputError, match="outside the measuring range"):
        service.add_device_factor(
            db, SYSTEM, device.id, factor_code="a21002", unit="", range_high=10, detection_limit=20
        )
    meter = service.add_meter(
        db, SYSTEM, created.enterprise_id, code="TM01", name="", line="treatment",
        running_kw=10, outlet_id=outlet.id,
    )  # fmt: skip
    detail = service.get_enterprise(db, SYSTEM, created.enterprise_id)
    assert [m.code for m in detail.meters] == [meter.code]
    assert [p.factor_code for p in detail.permits] == ["a21026"]
    with pytest.raises(InputError, match="no meter reading source"):
        service.add_meter(
            db, SYSTEM, created.enterprise_id, code="X", name="", line="production",
            running_kw=1, source="utility-api",
        )  # fmt: skip


def test_meter_readings_are_idempotent_and_scoped(db: Database) -> None:
    created = enterprise(db)
    meter = service.add_meter(
        db, SYSTEM, created.enterprise_id, code="PM01", name="", line="production", running_kw=50
    )
    start = int(datetime(2026, 3, 1, tzinfo=BEIJING).timestamp())
    readings = pl.DataFrame({"ts": [start + 3600 * i for i in range(24)], "power_kw": [80.0] * 24})
    owner = owner_of(created)
    assert meters.store_readings(db, owner, meter.id, readings) == 24
    assert meters.store_readings(db, owner, meter.id, readings) == 0
    with pytest.raises(PermissionDenied):
        meters.store_readings(db, LEADER, meter.id, readings)
    with pytest.raises(InputError, match="reading 1"):
        meters.store_readings(db, SYSTEM, meter.id, readings.with_columns(power_kw=-1.0))
    first = datetime(2026, 3, 1, 6, tzinfo=BEIJING)
    last = datetime(2026, 3, 1, 9, tzinfo=BEIJING)
    found = meters.read_readings(db, HANGZHOU, meter.id, first, last)
    assert found["ts"].to_list() == [start + 3600 * h for h in (6, 7, 8, 9)]
    with pytest.raises(NotFound):
        meters.read_readings(db, NINGBO, meter.id, first, last)
