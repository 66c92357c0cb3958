"""Air pages and API through the web app: map, station, report, exports, scope."""

from __future__ import annotations

import io

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from ecogov.monitoring.air import demo
from ecogov.platform.db import Database
from ecogov.platform.scope import Role
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
    assert client.get("/air/stations/SIM0101?year=2025").status_code == 200


def test_report_and_exports(air_demo: Database, client: TestClient) -> None:
    make_user(air_demo, "zj", Role.PROVINCE_OFFICER, "330000")
    login(client, "zj")
    rows = client.get("/api/v1/air/evaluation?period=2025-01&by=city").json()
    assert len(rows) == 11
    assert sorted(row["rank"] for row in rows)[0] == 1
    assert "综合指数" in client.get("/air/report?period=2025-01").text
    csv_text = client.get("/air/report.csv?period=2025-01&by=city").content.decode("utf-8-sig")
    assert csv_text.startswith("city,name,valid_days")
    workbook = load_workbook(io.BytesIO(client.get("/air/report.xlsx?period=2025-01").content))
    sheet = workbook.worksheets[0]
    assert sheet.max_row == 12
    assert client.get("/air/report.pdf?period=2025-01").status_code == 422


def test_air_api_needs_login(client: TestClient) -> None:
    assert client.get("/api/v1/air/latest").status_code == 401
    assert client.get("/api/v1/air/evaluation?period=2025").status_code == 401
