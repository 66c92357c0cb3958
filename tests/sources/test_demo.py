"""The simulated Zhejiang registry: size, shape, labels, speed, idempotence and its login."""

from __future__ import annotations

import time

from sqlalchemy import func, select

from ecogov.accounts.service import login
from ecogov.platform.db import Database
from ecogov.platform.scope import SYSTEM
from ecogov.sources import demo
from ecogov.sources.models import Device, Enterprise, Outlet, PermitLimit
from ecogov.sources.protocols import PROFILES
from ecogov.standards.gb32100 import validate_uscc
from ecogov.standards.hj212.rules import check_header_value


def test_demo_registry(db: Database) -> None:
    started = time.monotonic()
    lines = demo.load(db)
    assert time.monotonic() - started < 20
    assert "2000 enterprises" in lines[0]
    assert "模拟" in lines[0]
    with db.transaction(SYSTEM) as session:
        enterprises = list(session.scalars(select(Enterprise).order_by(Enterprise.enterprise_id)))
        devices = list(session.scalars(select(Device)))
        media = dict(
            session.execute(select(Outlet.medium, func.count()).group_by(Outlet.medium)).all()
        )
        bases = set(session.scalars(select(PermitLimit.basis).distinct()))
    assert len(enterprises) == demo.ENTERPRISES
    assert all(e.name.endswith("（模拟）") and e.simulated for e in enterprises)
    assert all(validate_uscc(e.uscc) == e.uscc for e in enterprises)
    assert {e.region_code[:2] for e in enterprises} == {"33"}
    assert media["water"] > 1000
    assert media["gas"] > 500
    assert bases == {"converted", "measured"}
    assert len({d.mn for d in devices}) == len(devices)
    for device in devices:
        profile = PROFILES[device.profile]
        assert check_header_value("MN", device.mn, profile) is None
    again = demo.load(db)
    assert "already loaded" in again[0]
    username, password = demo.DEMO_USER
    _, user = login(db, username, password, session_hours=1)
    assert user.enterprise_id == enterprises[0].enterprise_id


def test_demo_registry_of_another_size(db: Database) -> None:
    """The benchmarks ask for a province's size; the registry keeps its shape at any size."""
    lines = demo.load(db, enterprises=60)
    assert "60 enterprises" in lines[0]
    with db.transaction(SYSTEM) as session:
        enterprises = session.scalar(select(func.count()).select_from(Enterprise))
        outlets = session.scalar(select(func.count()).select_from(Outlet))
    assert enterprises == 60
    assert outlets is not None
    assert outlets >= 60
