"""The waste demo: a simulated province year on the demo enterprises, loaded fast, with an alert
of every check rule in the inbox, the carrier and receiver logins, and idempotent reloads."""

from __future__ import annotations

import time

from sqlalchemy import func, select

from ecogov.accounts.service import login
from ecogov.engine.waste import RULES
from ecogov.platform.alerts import Alert
from ecogov.platform.db import Database
from ecogov.platform.scope import SYSTEM
from ecogov.sources import demo as sources_demo
from ecogov.waste import demo
from ecogov.waste.models import Manifest, ManifestEvent, WasteParty


def test_demo_year_loads_with_an_alert_of_every_rule(db: Database) -> None:
    sources_demo.load(db)
    started = time.monotonic()
    lines = demo.load(db)
    elapsed = time.monotonic() - started
    print(f"waste demo load: {elapsed:.1f} s — {lines[0]}")
    assert elapsed < 30
    with db.transaction(SYSTEM) as session:
        manifests = session.scalar(select(func.count()).select_from(Manifest))
        events = session.scalar(select(func.count()).select_from(ManifestEvent))
        kinds = set(session.scalars(select(Alert.kind).where(Alert.kind.like("waste.%"))))
        first = session.scalar(select(WasteParty).where(WasteParty.party_code == "G000001"))
    assert manifests is not None
    assert manifests > 3000
    assert events is not None
    assert events > 4 * manifests
    assert kinds == {f"waste.{rule}" for rule in RULES}
    assert first is not None
    _, qiye = login(db, *sources_demo.DEMO_USER, session_hours=1)
    assert qiye.enterprise_id == first.enterprise_id
    for kind, (username, password) in demo.DEMO_USERS.items():
        _, user = login(db, username, password, session_hours=1)
        with db.transaction(SYSTEM) as session:
            party = session.scalar(
                select(WasteParty).where(
                    WasteParty.enterprise_id == user.enterprise_id, WasteParty.kind == kind
                )
            )
        assert party is not None
    again = demo.load(db)
    assert "already loaded" in again[0]
    with db.transaction(SYSTEM) as session:
        assert session.scalar(select(func.count()).select_from(Manifest)) == manifests
