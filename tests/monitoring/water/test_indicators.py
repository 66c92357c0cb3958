"""The ``water.*`` indicators plan targets bind to."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from ecogov.monitoring.water import service
from ecogov.monitoring.water.indicators import INDICATORS
from ecogov.platform import clock
from ecogov.platform.db import Database
from ecogov.platform.indicators import StoredIndicatorValue, registry, value_of
from ecogov.platform.scope import SYSTEM

REGISTRY = """code,name,water_name,water_body,basin,region_code,target_class,drinking_source
HZ1,闸口,钱塘江,river,钱塘江,330102,II,no
HZ2,九溪,钱塘江,river,钱塘江,330106,III,yes
HZ3,古荡,运河,river,运河,330106,IV,no
NB1,姚江大闸,姚江,river,甬江,330205,III,yes
"""
DATA = """section,time,parameter,value
HZ1,2025-05-10,TP,0.25
HZ2,2025-05-10,TP,0.05
HZ2,2025-05-10,锰,0.2
HZ3,2025-05-10,NH3-N,2.5
NB1,2025-05-10,TP,0.1
"""


@pytest.fixture
def water(db: Database) -> Database:
    service.import_files(db, SYSTEM, "sections", [("sections.csv", REGISTRY.encode())])
    service.import_files(db, SYSTEM, "long", [("data.csv", DATA.encode())])
    return db


def _values(db: Database, region: str, year: int) -> dict[str, float | None]:
    found = {}
    for indicator in INDICATORS:
        assert indicator.compute is not None
        value = indicator.compute(db, region, year)
        found[indicator.key] = None if value is None else value.value
    return found


def test_the_indicators_are_registered_for_the_plans() -> None:
    keys = {indicator.key for indicator in INDICATORS}
    assert keys == {
        "water.share_I_III",
        "water.count_worse_than_V",
        "water.assessed_section_compliance",
        "water.drinking_source_compliance",
    }
    assert keys <= set(registry())


def test_values_for_a_province_a_city_and_a_county(water: Database) -> None:
    assert _values(water, "330000", 2025) == {
        "water.share_I_III": 50.0,  # HZ2 (III) and NB1 (II) of four
        "water.count_worse_than_V": 1.0,  # HZ3, ammonia 2.5
        "water.assessed_section_compliance": 50.0,  # HZ2 and NB1 meet their targets
        "water.drinking_source_compliance": 50.0,  # HZ2 fails on manganese
    }
    assert _values(water, "330106", 2025) == {
        "water.share_I_III": 50.0,
        "water.count_worse_than_V": 1.0,
        "water.assessed_section_compliance": 50.0,
        "water.drinking_source_compliance": 0.0,
    }
    assert _values(water, "330200", 2025)["water.share_I_III"] == 100.0
    assert all(value is None for value in _values(water, "330000", 2023).values())


def test_coverage(water: Database) -> None:
    share = INDICATORS[0].compute
    assert share is not None
    value = share(water, "330000", 2025)
    assert value is not None
    assert (value.expected, value.valid, value.year) == (4, 4, 2025)
    assert value.partial is (clock.today().year == 2025)


def _stored_rows(db: Database) -> dict[tuple[str, str, int], tuple[int, float]]:
    c = StoredIndicatorValue.__table__.c
    with db.engine.connect() as connection:
        rows = connection.execute(
            select(c.indicator, c.region_code, c.year, c.data_version, c.value)
        ).all()
    return {(key, region, year): (version, value) for key, region, year, version, value in rows}


def test_stored_values_equal_the_computed_ones_and_an_import_refreshes_them(
    water: Database,
) -> None:
    """Issue 14: the value a target page reads is stored, equals the evaluation, and the next
    import computes it afresh (pages never evaluate a year of data)."""
    share = INDICATORS[0]
    compute = share.compute
    assert compute is not None
    with clock.frozen(date(2026, 3, 1)):
        assert value_of(water, share, "330000", 2025) == compute(water, "330000", 2025)
        assert _stored_rows(water) == {
            ("water.share_I_III", "330000", 2025): (service.stored_version(water), 50.0)
        }
        worse = "section,time,parameter,value\nNB1,2025-06-10,NH3-N,2.5\nNB1,2025-07-10,TP,0.1\n"
        service.import_files(water, SYSTEM, "long", [("more.csv", worse.encode())])
        # NB1's annual mean of ammonia is now class V: one good section of four left
        assert _stored_rows(water) == {
            ("water.share_I_III", "330000", 2025): (service.stored_version(water), 25.0)
        }
        fresh = compute(water, "330000", 2025)
        assert value_of(water, share, "330000", 2025) == fresh
        assert fresh is not None
        assert fresh.value == 25.0
