"""Air pages and API through the web app: map, station, report, exports, scope."""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from ecogov.monitoring.air import demo
from ecogov.platform.db import Database
from ecogov.platform.scope import SYSTEM, Role
from ecogov.regions.service import region_names
from ecogov.standards.rounding import round_gbt8170
from tests.helpers import login, make_user


@pytest.fixture
def air_demo(db: Database) -> Database:
    """The simulated Zhejiang stations with a short stretch of hours."""
    demo.load(db, hours=24 * 40)
    return db


def test_latest_map_lists_stations_with_official_colours(
    air_demo: Database, client: TestClient
) -> None:
    make_user(air_demo, "zj", Role.PROVINCE_OFFICER, "330000")
    login(client, "zj")
    latest = client.get("/api/v1/air/latest?region=330000").json()
    assert len(latest["stations"]) == 44
    first = latest["stations"][0]
    assert first["colour"].startswith("#")
    assert first["category"] in {"优", "良", "轻度污染", "中度污染", "重度污染", "严重污染"}
    page = client.get("/air")
    assert page.status_code == 200
    assert "模拟数据" in page.text


def test_county_officer_sees_only_the_county_stations(
    air_demo: Database, client: TestClient
) -> None:
    make_user(air_demo, "xh", Role.COUNTY_OFFICER, "330106")
    login(client, "xh")
    codes = {s["code"] for s in client.get("/api/v1/air/stations").json()}
    assert codes
    assert all(s["region_code"] == "330106" for s in client.get("/api/v1/air/stations").json())
    other = next(iter({"SIM0201", "SIM0301"} - codes))
    assert client.get(f"/api/v1/air/stations/{other}/series").status_code == 404


def test_station_page_series_and_calendar(air_demo: Database, client: TestClient) -> None:
    make_user(air_demo, "zj", Role.PROVINCE_OFFICER, "330000")
    login(client, "zj")
    series = client.get("/api/v1/air/stations/SIM0101/series?days=3").json()
    assert len(series["time"]) == len(series["aqi"]) == len(series["pollutants"]["PM2.5"])
    calendar = client.get("/api/v1/air/stations/SIM0101/calendar?year=2025").json()
    assert sum(level["days"] for level in calendar["levels"]) == len(calendar["days"])
    page = client.get("/air/stations/SIM0101?year=2025")
    assert page.status_code == 200
    [station] = [s for s in client.get("/api/v1/air/stations").json() if s["code"] == "SIM0101"]
    region = station["region_code"]
    name = region_names(air_demo, SYSTEM, [region])[region]
    assert f'data-region="{region}">{name}（{region}）</span>' in page.text  # defect 7


def test_report_and_exports(air_demo: Database, client: TestClient) -> None:
    make_user(air_demo, "zj", Role.PROVINCE_OFFICER, "330000")
    login(client, "zj")
    rows = client.get("/api/v1/air/evaluation?period=2025-01&by=city").json()
    assert len(rows) == 11
    assert sorted(row["rank"] for row in rows)[0] == 1
    assert "综合指数" in client.get("/air/report?period=2025-01").text
    csv_text = client.get("/air/report.csv?period=2025-01&by=city").content.decode("utf-8-sig")
    assert csv_text.startswith("城市代码,城市,排名,综合指数")
    workbook = load_workbook(io.BytesIO(client.get("/air/report.xlsx?period=2025-01").content))
    sheet = workbook.worksheets[0]
    assert sheet.max_row == 12
    assert client.get("/air/report.pdf?period=2025-01").status_code == 422


def test_air_api_needs_login(client: TestClient) -> None:
    assert client.get("/api/v1/air/latest").status_code == 401
    assert client.get("/api/v1/air/evaluation?period=2025").status_code == 401


def test_report_export_is_what_a_bureau_sends_on(air_demo: Database, client: TestClient) -> None:
    """Issue 14 defect 6: Chinese headers, values rounded per the reporting rules, 达标/未达标."""
    make_user(air_demo, "zj", Role.PROVINCE_OFFICER, "330000")
    login(client, "zj")
    api = {row["city"]: row for row in client.get("/api/v1/air/evaluation?period=2025-01").json()}
    assert "composite_index" in next(iter(api.values()))  # the JSON API stays snake_case
    text = client.get("/air/report.csv?period=2025-01&by=city").content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == len(api)
    for row in rows:
        source = api[row["城市代码"]]
        assert row["城市"] == source["name"]
        index = row["综合指数"]
        assert re.fullmatch(r"\d+\.\d\d", index)
        assert Decimal(index) == round_gbt8170(source["composite_index"], 2)
        assert re.fullmatch(r"\d+", row["PM2.5平均浓度(μg/m³)"])
        assert int(row["PM2.5平均浓度(μg/m³)"]) == round_gbt8170(source["pm25_mean"], 0)
        assert re.fullmatch(r"\d+\.\d", row["CO日均值第95百分位数(mg/m³)"])
        assert re.fullmatch(r"\d+(\.\d)?", row["优良天数比例(%)"])
        assert row["是否达标"] in {"达标", "未达标", ""}
        assert row["是否达标"] == {True: "达标", False: "未达标", None: ""}[source["attained"]]
    stations = client.get("/air/report.xlsx?by=station&period=2025-01")
    sheet = load_workbook(io.BytesIO(stations.content))
    header, first = list(sheet.worksheets[0].iter_rows(values_only=True, max_row=2))
    assert header[:3] == ("站点编码", "站点名称", "综合指数")
    assert isinstance(first[header.index("PM10平均浓度(μg/m³)")], int)
