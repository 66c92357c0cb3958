"""Regions from the registry package: codes, hierarchy, boundaries, idempotent loading."""

from __future__ import annotations

from sqlalchemy import func, select

from ecogov.platform.db import Database
from ecogov.platform.scope import ANONYMOUS, SYSTEM
from ecogov.regions import service
from ecogov.regions.models import Region
from tests.conftest import TEST_BOUNDARIES


def test_whole_country_is_loaded(db: Database) -> None:
    provinces = service.list_regions(db, ANONYMOUS)
    assert len(provinces) == 34
    assert {"110000", "330000", "650000", "810000"} <= {p.code for p in provinces}
    with db.transaction(SYSTEM) as session:
        count = session.scalar(select(func.count()).select_from(Region))
    assert count is not None
    assert count > 3000


def test_zhejiang_has_eleven_cities_with_boundaries(db: Database) -> None:
    cities = service.list_regions(db, ANONYMOUS, "330000")
    assert [c.code for c in cities] == [f"33{n:02d}00" for n in range(1, 12)]
    assert cities[0].name == "杭州市"
    assert all(c.has_boundary and c.center_lon and c.center_lat for c in cities)


def test_counties_of_hangzhou(db: Database) -> None:
    counties = service.list_regions(db, ANONYMOUS, "330100")
    names = {c.name for c in counties}
    assert {"西湖区", "上城区", "淳安县", "建德市"} <= names
    assert all(c.level == "county" and c.parent_code == "330100" for c in counties)


def test_boundaries_only_for_the_provinces_in_use(db: Database) -> None:
    assert not service.get_region(db, ANONYMOUS, "440100").has_boundary
    assert service.get_region(db, ANONYMOUS, "330106").has_boundary


def test_geojson_of_children_drives_the_map(db: Database) -> None:
    geo = service.children_geojson(db, ANONYMOUS, "330000")
    assert geo["type"] == "FeatureCollection"
    assert len(geo["features"]) == 11
    hangzhou = geo["features"][0]
    assert hangzhou["properties"]["children"] == 13
    assert hangzhou["geometry"]["type"] in {"Polygon", "MultiPolygon"}
    lon, lat = hangzhou["properties"]["center"]
    assert 118 < lon < 121
    assert 29 < lat < 31


def test_lineage_goes_from_province_to_county(db: Database) -> None:
    assert [r.code for r in service.lineage(db, ANONYMOUS, "330106")] == [
        "330000",
        "330100",
        "330106",
    ]


def test_second_load_changes_nothing(db: Database) -> None:
    report = service.load_registry(db, TEST_BOUNDARIES)
    assert (report.inserted, report.updated) == (0, 0)
    assert report.read > 3000
