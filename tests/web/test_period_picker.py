"""The one period picker on the air, water and plans pages: a select, not a free-text box, the
same markup on every page; air and water accept the same spellings of a period."""

from __future__ import annotations

import re
from datetime import date

import pytest
from fastapi.testclient import TestClient

from ecogov.monitoring.air import demo as air_demo
from ecogov.monitoring.water import service as water
from ecogov.platform import clock
from ecogov.platform.db import Database
from ecogov.platform.scope import SYSTEM, Role
from tests.helpers import login, make_user

SECTIONS = """code,name,water_name,water_body,basin,region_code,target_class,drinking_source,lon,lat
HZ1,闸口,钱塘江,river,钱塘江,330102,II,no,120.17,30.21
"""
DATA = """section,time,parameter,value
HZ1,2025-05-10,TP,0.25
HZ1,2024-05-10,TP,0.35
"""
TODAY = date(2026, 12, 6)


PICKER = re.compile(r'<select name="(\w+)"[^>]*class="period-picker"[^>]*>(.*?)</select>', re.S)


def _picker(html: str, name: str) -> tuple[list[str], str | None]:
    """The option values of the picker named ``name`` and the selected one."""
    found = {match.group(1): match.group(2) for match in PICKER.finditer(html)}
    assert name in found, f"no period picker named {name!r}"
    options = re.findall(r'<option value="([^"]*)"', found[name])
    selected = re.findall(r'<option value="([^"]*)" selected', found[name])
    assert len(selected) <= 1
    return options, selected[0] if selected else None


@pytest.fixture
def officer(db: Database, client: TestClient) -> TestClient:
    """The province officer, logged in on 2026-12-06, with air and water data."""
    air_demo.load(db, hours=24 * 40)
    water.import_files(db, SYSTEM, "sections", [("sections.csv", SECTIONS.encode())])
    water.import_files(db, SYSTEM, "long", [("data.csv", DATA.encode())])
    make_user(db, "zj", Role.PROVINCE_OFFICER, "330000")
    login(client, "zj")
    return client


def test_air_and_water_pages_pick_periods_from_the_same_picker(officer: TestClient) -> None:
    with clock.frozen(TODAY):
        air = officer.get("/air/report", params={"period": "2025q1"}).text
        water_page = officer.get("/water", params={"period": "2025q2"}).text
    for html, selected in ((air, "2025-Q1"), (water_page, "2025-Q2")):
        # no free-text box (a hidden field carrying the period through a table's form is fine)
        assert not re.search(r'<input(?![^>]*type="hidden")[^>]*name="period"', html)
        options, chosen = _picker(html, "period")
        assert chosen == selected
        assert options[:3] == ["2026", "2026-Q1", "2026-Q2"]
        assert "2025-07" in options
        assert "2025年第1季度" in html or "2025年第2季度" in html
    assert _picker(air, "period")[0] == _picker(water_page, "period")[0]  # one picker
    assert "综合指数" in air


def test_air_accepts_every_spelling_water_does(officer: TestClient) -> None:
    for text in ("2025-Q1", "2025Q1", "2025q1"):
        air = officer.get("/api/v1/air/evaluation", params={"period": text, "by": "city"})
        assert air.status_code == 200, (text, air.text)
    for text in ("2025-Q2", "2025Q2", "2025-05", "2025"):
        response = officer.get("/api/v1/water/evaluation", params={"period": text})
        assert response.status_code == 200, (text, response.text)


@pytest.mark.parametrize("path", ["/api/v1/air/evaluation", "/api/v1/water/evaluation"])
def test_a_bad_period_is_a_422_in_chinese(officer: TestClient, path: str) -> None:
    response = officer.get(path, params={"period": "2025-13", "by": "city"})
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert "时段“2025-13”无法识别：月份须在 01–12 之间" in response.text


def test_plans_pages_pick_years_with_the_same_picker(officer: TestClient) -> None:
    with clock.frozen(TODAY):
        scorecard = officer.get("/plans/scorecard", params={"year": 2024}).text
        indicators = officer.get("/plans/indicators").text
    options, chosen = _picker(scorecard, "year")
    assert chosen == "2024"
    assert options == [str(year) for year in range(2026, 2018, -1)]
    assert not re.search(r'<input[^>]*name="year"', scorecard)
    options, chosen = _picker(indicators, "year")
    assert chosen == "2026"
    assert 'id="ind-year"' in indicators
    with clock.frozen(TODAY):
        home = officer.get("/").text  # the command centre's indicator map picks its year too
    options, chosen = _picker(home, "year")
    assert (options[0], chosen) == ("2026", "2026")
    assert 'id="plans-map-year"' in home
    assert not re.search(r'<input[^>]*id="plans-map-year"', home)
    with clock.frozen(TODAY):
        upload = officer.get("/plans/drafts/new").text  # an optional plan year, future ones too
    options, chosen = _picker(upload, "year")
    assert (options[:2], chosen) == (["", "2031"], "")
    assert "2026" in options
