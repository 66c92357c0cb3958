"""Stations and cities not attaining GB 3095 reach the alerts inbox and the ledger."""

from __future__ import annotations

import pytest

from ecogov.monitoring.air import demo, evaluation
from ecogov.monitoring.air.alerts import severity_of
from ecogov.platform import alerts
from ecogov.platform.db import Database
from ecogov.platform.scope import SYSTEM
from tests.platform.alerts_support import CITY, county, full_loop


@pytest.fixture
def air_demo(db: Database) -> Database:
    """The simulated Zhejiang stations with a short stretch of hours."""
    demo.load(db, hours=24 * 40)
    return db


def test_station_exceedance_alert_loop(air_demo: Database) -> None:
    closed = full_loop(
        air_demo,
        "air.station_exceedance",
        "330106",
        lambda: evaluation.evaluate(air_demo, SYSTEM, "2025-01", "station"),
    )
    assert closed.site_code == "SIM0103"
    assert closed.evidence["period"] == "2025-01"
    assert closed.evidence["failing_items"]
    assert closed.severity == severity_of(closed.evidence["heavy_days"])
    assert closed.link == "/air/stations/SIM0103"


def test_city_alerts_only_from_an_evaluation_that_sees_the_whole_city(air_demo: Database) -> None:
    evaluation.evaluate(air_demo, county("330106"), "2025-01", "city")
    city_kind = alerts.InboxFilter(kind="air.city_exceedance")
    assert alerts.inbox(air_demo, SYSTEM, city_kind).total == 0
    evaluation.evaluate(air_demo, CITY, "2025-01", "city")
    found = alerts.inbox(air_demo, SYSTEM, city_kind).alerts
    assert [a.site_code for a in found] == ["330100"]
    assert found[0].region_code == "330100"


def test_severity_follows_heavy_pollution_days() -> None:
    assert [severity_of(days) for days in (0, 1, 2, 3, 4, 9)] == [
        "blue",
        "yellow",
        "yellow",
        "orange",
        "red",
        "red",
    ]
