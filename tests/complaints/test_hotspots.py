"""The hot-spot layer ``complaints`` of the one map component: complaints with a point by
category and period, within the reader's region, without identity or text; shown on the
ledger page with its legend."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from fastapi.testclient import TestClient

from ecogov.complaints import service
from ecogov.platform.db import Database
from ecogov.platform.scope import SYSTEM, Principal, Role
from tests.helpers import login, make_user

COUNTY = Principal("xh", Role.COUNTY_OFFICER, user_id=11, region_code="330106")


def _file(db: Database, region: str, category: str, month: int, point: bool = True) -> int:
    new = service.NewComplaint(
        region_code=region,
        category=category,
        text="夜间异味扰民",
        address=f"{region}-{category}-{month}",
        lon=120.1 + month / 100 if point else None,
        lat=30.2 if point else None,
        name="赵六",
        phone="13600000000",
        received_at=datetime(2025, month, 10, 2, tzinfo=UTC),
    )
    return service.file_complaint(db, SYSTEM, new).id


def test_hotspot_layer_by_category_period_and_region(client: TestClient, db: Database) -> None:
    odour_march = _file(db, "330106", "odour", 3)
    odour_july = _file(db, "330106", "odour", 7)
    noise_march = _file(db, "330106", "noise", 3)
    _file(db, "330106", "odour", 4, point=False)  # no point: not on the map
    _file(db, "330102", "odour", 3)  # another county: outside the officer's region
    make_user(db, "xihu", Role.COUNTY_OFFICER, region_code="330106")
    login(client, "xihu")

    def ids(query: str) -> list[int]:
        answer = client.get(f"/complaints/hotspots.geojson?region=330106{query}")
        assert answer.status_code == 200, answer.text
        assert "赵六" not in answer.text
        assert "13600000000" not in answer.text
        assert "夜间异味扰民" not in answer.text
        return [f["properties"]["id"] for f in answer.json()["features"]]

    assert ids("") == [odour_march, odour_july, noise_march]
    assert ids("&category=odour") == [odour_march, odour_july]
    assert ids("&category=odour&period=2025-Q1") == [odour_march]
    assert ids("&period=2025-03") == [odour_march, noise_march]
    assert client.get("/complaints/hotspots.geojson?category=smoke").status_code == 422
    assert client.get("/complaints/hotspots.geojson?period=2025-13").status_code == 422

    page = client.get("/complaints?category=odour&period=2025-Q1")
    assert page.status_code == 200
    assert "信访投诉热点" in page.text
    assert "complaints_category" in page.text
    config = json.loads(page.text.split('id="complaints-map-config">')[1].split("</script>")[0])
    (layer,) = [choice for choice in config["layers"] if choice["key"] == "complaints"]
    assert layer["url"] == (
        "/complaints/hotspots.geojson?region=330106&category=odour&period=2025-Q1"
    )
    assert layer["visible"]
