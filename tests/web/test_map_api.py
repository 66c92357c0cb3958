"""The map component's JSON and the layers' GeoJSON, as the map module reads them."""

from __future__ import annotations

import json
import re
from datetime import date

from fastapi.testclient import TestClient

from ecogov.monitoring.air import demo as air_demo
from ecogov.monitoring.water import service as water
from ecogov.platform.db import Database
from ecogov.platform.scope import SYSTEM, Role
from ecogov.sources.demo import demo_uscc
from ecogov.standards.editions import edition_for
from ecogov.standards.hj633 import LEVELS
from tests.helpers import login, make_user

SECTIONS = """code,name,water_name,water_body,basin,region_code,target_class,drinking_source,lon,lat
HZ1,闸口,钱塘江,river,钱塘江,330102,II,no,120.17,30.21
HZ2,西湖湖心,西湖,lake,钱塘江,330106,III,no,120.14,30.25
"""
SAMPLES = """section,time,parameter,value
HZ1,2025-05-10,TP,0.25
HZ2,2025-05-10,TP,0.02
HZ2,2025-12-10,TP,0.03
"""
ENTERPRISE = {
    "uscc": demo_uscc(9, "330106"),
    "name": "西湖测试印染有限公司",
    "industry_code": "C1713",
    "industry": "棉印染精加工",
    "region_code": "330106",
    "key_level": "provincial",
    "lon": 120.13,
    "lat": 30.26,
}


def _config(html: str, map_id: str) -> dict[str, object]:
    match = re.search(rf'<script type="application/json" id="{map_id}-config">(.*?)</script>', html)
    assert match, f"no configuration of {map_id}"
    found: dict[str, object] = json.loads(match.group(1))
    return found


def test_legends_and_layers_need_a_login_and_come_from_the_standards(
    db: Database, client: TestClient
) -> None:
    assert client.get("/api/v1/map/legends").status_code == 401
    make_user(db, "zj", Role.PROVINCE_OFFICER, "330000")
    login(client, "zj")
    legends = client.get("/api/v1/map/legends", params={"day": "2025-06-01"}).json()
    levels = LEVELS[edition_for(date(2025, 6, 1))]
    assert [item["colour"] for item in legends["aqi"]["items"]] == [lv.hex for lv in levels]
    assert [item["upper"] for item in legends["aqi"]["items"]] == [lv.upper for lv in levels]
    assert legends["water_class"]["items"][-1]["label"] == "劣Ⅴ类"
    layers = client.get("/api/v1/map/layers").json()
    assert [layer["key"] for layer in layers] == [
        "stations",
        "forecast",
        "sections",
        "enterprises",
        "waste_facilities",
        "complaints",
        "enf_credit",
        "alerts",
    ]
    assert all("{region}" in layer["url"] for layer in layers)
    client.get("/lang/en")
    english = client.get("/api/v1/map/legends").json()
    assert english["water_class"]["title"] == "Water class"


def test_layers_answer_geojson_points_with_their_legend_category(
    db: Database, client: TestClient
) -> None:
    air_demo.load(db, hours=24 * 2)
    water.import_files(db, SYSTEM, "sections", [("sections.csv", SECTIONS.encode())])
    water.import_files(db, SYSTEM, "long", [("data.csv", SAMPLES.encode())])
    make_user(db, "hz", Role.CITY_OFFICER, "330100")
    token = login(client, "hz")
    created = client.post(
        "/api/v1/sources/enterprises", json=ENTERPRISE, headers={"X-CSRF-Token": token}
    )
    assert created.status_code == 201, created.text

    stations = client.get("/api/v1/air/latest.geojson", params={"region": "330100"}).json()
    assert stations["type"] == "FeatureCollection"
    assert stations["features"]
    latest = client.get("/api/v1/air/latest", params={"region": "330100"}).json()["stations"]
    levels = {row["code"]: row["level"] for row in latest}
    for feature in stations["features"]:
        props = feature["properties"]
        assert props["category"] == str(levels[props["code"]])
        assert feature["geometry"]["type"] == "Point"

    sections = client.get("/api/v1/water/sections.geojson", params={"period": "2025"}).json()
    by_code = {f["properties"]["code"]: f["properties"] for f in sections["features"]}
    assert set(by_code) == {"HZ1", "HZ2"}
    assert all(props["category"] == props["class"] for props in by_code.values())
    default = client.get("/api/v1/water/sections.geojson").json()  # the newest complete year
    assert {f["properties"]["code"] for f in default["features"]} == {"HZ1", "HZ2"}

    enterprises = client.get("/api/v1/sources/map", params={"region": "330106"}).json()
    (enterprise,) = enterprises["features"]
    assert enterprise["properties"]["category"] == "provincial"


def test_pages_hand_the_map_their_region_and_layers(db: Database, client: TestClient) -> None:
    air_demo.load(db, hours=24 * 2)
    make_user(db, "xh", Role.COUNTY_OFFICER, "330106")
    login(client, "xh")
    air = _config(client.get("/air").text, "air-map")
    assert air["region"] == "330106"
    layers = {layer["key"]: layer for layer in air["layers"]}  # type: ignore[attr-defined]
    assert layers["stations"]["visible"] is True
    assert layers["stations"]["features"] is not None  # the page's stations, inline
    assert layers["enterprises"]["visible"] is False
    home = client.get("/").text
    region = _config(home, "region-map")
    assert region["drill"] == "/?region={code}"
    assert region["boundaries"] == {
        "children": "/api/v1/regions/330106/children.geojson",
        "self": "/api/v1/regions/330106/self.geojson",
    }
    indicator = _config(home, "plans-map")
    assert indicator["layers"] == []
    areas = indicator["areas"]
    assert "target_status" in areas["legends"]  # type: ignore[index]
    assert "{indicator}" in areas["url"]  # type: ignore[index]
