"""Issue 14, defect 1: a city's composite index and rank are the city's official figures,
whoever looks (a county officer and the province see the same)."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from ecogov.monitoring.air import demo
from ecogov.platform.db import Database
from ecogov.platform.scope import Role
from tests.helpers import login, make_user

PERIOD = "2025-01"


@pytest.fixture
def air_demo(db: Database) -> Database:
    """The simulated Zhejiang stations (several per city) with 40 days of hours."""
    demo.load(db, hours=24 * 40)
    return db


def _cities(client: TestClient, **params: str) -> dict[str, dict[str, Any]]:
    response = client.get("/api/v1/air/evaluation", params={"period": PERIOD, **params})
    assert response.status_code == 200, response.text
    return {row["city"]: row for row in response.json()}


def test_county_officer_sees_the_official_city_index_and_rank(
    air_demo: Database, client: TestClient
) -> None:
    make_user(air_demo, "zj", Role.PROVINCE_OFFICER, "330000")
    make_user(air_demo, "xh", Role.COUNTY_OFFICER, "330106")
    login(client, "zj")
    province = _cities(client, region="330000")
    assert len(province) == 11  # every city of Zhejiang, ranked among themselves
    hangzhou = province["330100"]
    assert hangzhou["rank"] > 1  # not the cleanest city of the simulated province
    client.cookies.clear()
    login(client, "xh")
    # the county officer's stations: only the county's (scope limits what they may open)
    stations = client.get("/api/v1/air/stations").json()
    assert {s["region_code"] for s in stations} == {"330106"}
    city_stations = {s["code"] for s in stations}
    assert len(city_stations) < demo.STATIONS_PER_CITY  # fewer than the city's stations
    for params in ({}, {"region": "330106"}):
        county_view = _cities(client, **params)
        assert set(county_view) == {"330100"}
        seen = county_view["330100"]
        for column in ("composite_index", "rank", "pm25_mean", "good_day_ratio", "valid_days"):
            assert seen[column] == hangzhou[column], column
    # by station, the county officer still sees only the county's stations
    rows = client.get("/api/v1/air/evaluation", params={"period": PERIOD, "by": "station"}).json()
    assert {row["station"] for row in rows} == city_stations
