"""Regions JSON API: public reference data with every field of a region."""

from __future__ import annotations

from dataclasses import asdict

from fastapi.testclient import TestClient

from ecogov.platform.db import Database
from ecogov.platform.scope import ANONYMOUS
from ecogov.regions import service


def test_regions_are_public_with_every_field(db: Database, client: TestClient) -> None:
    hangzhou = client.get("/api/v1/regions/330100").json()
    assert hangzhou == asdict(service.get_region(db, ANONYMOUS, "330100"))
    assert set(hangzhou) == {
        "code",
        "name",
        "level",
        "parent_code",
        "center_lon",
        "center_lat",
        "has_boundary",
    }
    cities = client.get("/api/v1/regions", params={"parent": "330000"}).json()
    assert [c["code"] for c in cities] == [f"33{n:02d}00" for n in range(1, 12)]
    assert cities[0] == hangzhou
