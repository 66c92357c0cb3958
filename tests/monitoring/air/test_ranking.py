"""Issue 14, defect 12: the real-time and daily city ranking (实时排名, 日排名) beside the period
ranking — official figures of the province's cities, whoever looks."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta
from typing import Any

import polars as pl
import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import select

from ecogov.monitoring.air import demo, ranking
from ecogov.monitoring.air.daily import store_hours
from ecogov.monitoring.air.evaluation import clear_daily_cache
from ecogov.monitoring.air.models import POLLUTANT_COLUMNS, AirStation
from ecogov.platform.db import Database
from ecogov.platform.scope import SYSTEM, Principal, Role
from ecogov.standards.timebase import BEIJING
from tests.helpers import login, make_user

HOUR = datetime(2025, 3, 2, 15, tzinfo=BEIJING)  # HJ 633-2012: incomplete reports are published
DAY = date(2025, 3, 2)
ZHEJIANG = Principal("zj", Role.PROVINCE_OFFICER, region_code="330000")


def _stations(db: Database) -> dict[str, list[int]]:
    """Register the simulated Zhejiang stations (no data); station ids by city."""
    demo._stations(db)
    with db.transaction(SYSTEM) as session:
        rows = session.execute(
            select(AirStation.city_code, AirStation.id).order_by(AirStation.code)
        ).all()
    by_city: dict[str, list[int]] = {}
    for city, station_id in rows:
        by_city.setdefault(city, []).append(station_id)
    return by_city


def _store(db: Database, values: dict[int, dict[str, float]], hours: list[datetime]) -> None:
    """Store the same 1-hour values of each station at every one of ``hours``."""
    rows = [
        {
            "ts": int(hour.timestamp()),
            "station_id": station_id,
            **{column: pollutants.get(code) for code, column in POLLUTANT_COLUMNS.items()},
            "qc": 0,
        }
        for station_id, pollutants in values.items()
        for hour in hours
    ]
    schema = {
        "ts": pl.Int64,
        "station_id": pl.Int64,
        **dict.fromkeys(POLLUTANT_COLUMNS.values(), pl.Float64),
        "qc": pl.Int64,
    }
    with db.transaction(SYSTEM) as session:
        store_hours(session.connection(), pl.DataFrame(rows, schema=schema))
    clear_daily_cache()


@pytest.fixture
def scenario(db: Database) -> Database:
    """Hangzhou: 2 of 4 stations report PM2.5 40 and 45 (mean 42.5 → AQI 60); Ningbo: 42 and 43
    (mean 42.5 → AQI 60, a tie); Wenzhou: PM2.5 10 (→ 15); every other city silent. Stored for
    the 24 hours of ``DAY`` (the last one, ``DAY``+1 00:00, is the latest hour)."""
    ids = _stations(db)
    values = {
        ids["330100"][0]: {"PM2.5": 40.0, "NO2": 20.0, "CO": 0.7},
        ids["330100"][1]: {"PM2.5": 45.0, "NO2": 30.0, "CO": 0.8},
        ids["330200"][0]: {"PM2.5": 42.0},
        ids["330200"][1]: {"PM2.5": 43.0},
        ids["330300"][0]: {"PM2.5": 10.0},
    }
    start = datetime(DAY.year, DAY.month, DAY.day, 1, tzinfo=BEIJING)
    _store(db, values, [start + timedelta(hours=h) for h in range(24)])
    return db


def _by_city(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {row["city"]: row for row in rows}


@pytest.mark.parametrize("kind", ["now", "day"])
def test_ties_share_a_rank_silent_cities_come_last_with_their_coverage(
    scenario: Database, kind: str
) -> None:
    province = ZHEJIANG
    found = (
        ranking.ranking_now(scenario, province)
        if kind == "now"
        else ranking.ranking_day(scenario, province, day=DAY)
    )
    if kind == "now":
        assert found.time == datetime(DAY.year, DAY.month, DAY.day + 1, tzinfo=BEIJING)
    assert found.day == DAY
    rows = found.rows
    assert len(rows) == 11  # every city of Zhejiang
    assert [row["city"] for row in rows[:3]] == ["330300", "330100", "330200"]
    assert [row["rank"] for row in rows[:3]] == [1, 2, 2]  # equal AQIs share a rank
    cities = _by_city(rows)
    hangzhou = cities["330100"]
    # PM2.5 (40 + 45) / 2 = 42.5 → 50 + 50/40 · 7.5 = 59.4 → 60 (real-time: 1-hour PM on the
    # 24-hour breakpoints; daily: the 24-hour mean)
    assert (hangzhou["aqi"], hangzhou["level"], hangzhou["category"]) == (60, 2, "良")
    assert hangzhou["colour"] == "#FFFF00"
    assert hangzhou["primary"] == ["PM2.5"]
    assert (hangzhou["pm25"], hangzhou["no2"], hangzhou["co"]) == (42, 25, 0.8)  # half to even
    assert (hangzhou["stations_reporting"], hangzhou["stations_expected"]) == (2, 4)
    assert cities["330200"]["aqi"] == 60
    # Wenzhou: PM2.5 10 → 10/35 · 50 = 14.3 → 15; 优: no primary pollutant
    assert (cities["330300"]["aqi"], cities["330300"]["primary"]) == (15, [])
    silent = [row for row in rows if row["city"] not in ("330100", "330200", "330300")]
    assert len(silent) == 8
    assert all(row["rank"] is None and row["aqi"] is None for row in silent)
    assert all((row["stations_reporting"], row["stations_expected"]) == (0, 4) for row in silent)
    assert rows[3:] == sorted(silent, key=lambda row: row["city"])


def test_an_incomplete_report_of_2026_at_or_below_100_is_not_ranked(db: Database) -> None:
    ids = _stations(db)
    hour = datetime(2026, 5, 1, 10, tzinfo=BEIJING)
    _store(db, {ids["330100"][0]: {"PM2.5": 30.0}}, [hour])  # AQI ≤ 100, five pollutants missing
    province = ZHEJIANG
    hangzhou = _by_city(ranking.ranking_now(db, province).rows)["330100"]
    assert (hangzhou["rank"], hangzhou["aqi"]) == (None, None)  # HJ 633-2026 §5.3.1: NA
    assert hangzhou["stations_reporting"] == 1


def test_no_stations_no_rows(db: Database) -> None:
    province = ZHEJIANG
    assert ranking.ranking_now(db, province).rows == []
    assert ranking.ranking_day(db, province, day=DAY).rows == []


def _json(client: TestClient, path: str, **params: str) -> dict[str, Any]:
    response = client.get(path, params=params)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def test_county_officer_sees_the_official_ranking_of_the_provinces_cities(
    scenario: Database, client: TestClient
) -> None:
    make_user(scenario, "zj", Role.PROVINCE_OFFICER, "330000")
    make_user(scenario, "xh", Role.COUNTY_OFFICER, "330106")
    login(client, "zj")
    province = {
        kind: _json(client, f"/api/v1/air/ranking/{kind}", day=DAY.isoformat())["cities"]
        for kind in ("now", "day")
    }
    client.cookies.clear()
    login(client, "xh")
    for kind in ("now", "day"):
        county = _json(client, f"/api/v1/air/ranking/{kind}", day=DAY.isoformat())["cities"]
        assert county == province[kind]  # the same official figures, all 11 cities
        assert len(county) == 11
    page = client.get("/air/ranking", params={"tab": "day", "day": DAY.isoformat()})
    assert page.status_code == 200
    html = page.text
    for text in ("实时排名", "日排名", "月度排名", "年度排名", "杭州市", "细颗粒物(PM2.5)", "2/4"):
        assert text in html, text
    assert 'href="/air/report?period=2025-03&amp;by=city"' in html
    assert 'href="/air/report?period=2025&amp;by=city"' in html
    assert 'href="/air/ranking.csv?tab=day&amp;day=2025-03-02"' in html
    now_page = client.get("/air/ranking")
    assert now_page.status_code == 200
    assert "2025-03-03 00:00" in now_page.text


def test_exports_have_chinese_headers_and_published_values(
    scenario: Database, client: TestClient
) -> None:
    make_user(scenario, "xh", Role.COUNTY_OFFICER, "330106")
    login(client, "xh")
    response = client.get("/air/ranking.csv", params={"tab": "day", "day": DAY.isoformat()})
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 11
    first, second = rows[0], rows[1]
    assert (first["排名"], first["城市"], first["AQI"], first["空气质量类别"]) == (
        "1",
        "温州市",
        "15",
        "优",
    )
    assert second["城市"] == "杭州市"
    assert (second["首要污染物"], second["报送站点数/应报站点数"], second["CO(mg/m³)"]) == (
        "细颗粒物(PM2.5)",
        "2/4",
        "0.8",
    )
    assert second["时间"] == DAY.isoformat()
    excel = client.get("/air/ranking.xlsx", params={"tab": "now"})
    assert excel.status_code == 200
    sheet = load_workbook(io.BytesIO(excel.content)).active
    assert sheet is not None
    header = [cell.value for cell in sheet[1]]
    assert header[:4] == ["时间", "排名", "城市", "行政区划代码"]
    assert sheet.cell(2, 1).value == "2025-03-03 00:00"


def test_a_day_out_of_range_is_a_chinese_4xx(scenario: Database, client: TestClient) -> None:
    make_user(scenario, "xh", Role.COUNTY_OFFICER, "330106")
    login(client, "xh")
    for day in ("1900-01-01", "9999-12-31"):
        response = client.get("/api/v1/air/ranking/day", params={"day": day})
        assert response.status_code == 422
        assert "应在 1949–2100 年之间" in response.text  # the one rule for days
    assert client.get("/api/v1/air/ranking/day", params={"day": "2025-13-01"}).status_code == 422


def test_default_day_is_yesterday_or_the_last_day_with_data(scenario: Database) -> None:
    province = ZHEJIANG
    # the data end on DAY (its last hour is DAY+1 00:00), long before yesterday
    assert ranking.default_day(scenario, province) == min(ranking.yesterday(), DAY)
    assert ranking.ranking_day(scenario, province).day == DAY
    # one more hour (DAY+1 01:00): DAY+1 is not complete, DAY stays the default
    ids = _stations(scenario)
    _store(scenario, {ids["330100"][0]: {"PM2.5": 1.0}}, [HOUR.replace(day=3, hour=1)])
    assert ranking.default_day(scenario, province) == DAY
