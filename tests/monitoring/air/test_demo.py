"""The simulated air network at the demo's size and at the size the benchmarks ask for."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import select

from ecogov.monitoring.air import demo
from ecogov.monitoring.air.models import AirStation
from ecogov.platform.db import Database
from ecogov.platform.scope import SYSTEM


def _stations(db: Database) -> list[AirStation]:
    with db.transaction(SYSTEM) as session:
        return list(session.scalars(select(AirStation).order_by(AirStation.code)))


def test_demo_network_has_stations_per_city_in_its_counties(db: Database) -> None:
    demo.load(db, hours=24)
    stations = _stations(db)
    per_city = Counter(s.city_code for s in stations)
    assert len(per_city) == 11
    assert set(per_city.values()) == {demo.STATIONS_PER_CITY}
    assert len({s.region_code for s in stations}) == len(stations)  # one per county


def test_a_larger_network_places_more_than_one_station_in_small_cities(db: Database) -> None:
    """Zhoushan has 4 counties: its 6 stations are one per county, then a second (2号) in
    its first two; codes and names stay unique."""
    demo.load(db, hours=24, stations_per_city=6)
    stations = _stations(db)
    assert len(stations) == 66
    assert len({s.code for s in stations}) == len({s.name for s in stations}) == 66
    zhoushan = [s for s in stations if s.city_code == "330900"]
    assert len(zhoushan) == 6
    assert len({s.region_code for s in zhoushan}) == 4
    assert sum("2号站" in s.name for s in zhoushan) == 2
    assert all(s.name.endswith("（模拟）") for s in stations)
