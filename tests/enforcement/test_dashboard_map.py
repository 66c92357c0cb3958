"""The region dashboard's period picker (the one period grammar: cases filed in the period) and
its map (the one map component: the directory by credit grade, open cases in the tooltip)."""

from __future__ import annotations

import json
import re
from datetime import date

from fastapi.testclient import TestClient

from ecogov.enforcement import cases, draws
from ecogov.platform.clock import frozen
from ecogov.platform.db import Database
from ecogov.platform.scope import SYSTEM, Role
from ecogov.sources.models import Enterprise
from tests.enforcement.support import COUNTY, enterprise
from tests.helpers import login, make_user


def _setup(db: Database) -> int:
    make_user(db, "xh", Role.COUNTY_OFFICER, "330106")
    firm = enterprise(db, 1)
    with db.transaction(SYSTEM) as session:
        row = session.get(Enterprise, firm)
        assert row is not None
        row.lon, row.lat = 120.13, 30.26
    draws.sync_directory(db, SYSTEM, "330106")
    with frozen(date(2026, 2, 10)):
        cases.file_case(db, COUNTY, cases.NewCase(firm, "一季度立案"))
    with frozen(date(2026, 8, 3)):
        cases.file_case(db, COUNTY, cases.NewCase(firm, "三季度立案"))
    return firm


def test_the_period_picks_the_cases_and_the_map_shows_grades(
    client: TestClient, db: Database
) -> None:
    firm = _setup(db)
    login(client, "xh")
    with frozen(date(2026, 9, 1)):
        q1 = client.get("/enforcement?period=2026-Q1")
        year = client.get("/enforcement")
    assert q1.status_code == 200
    assert "一季度立案" in q1.text
    assert "三季度立案" not in q1.text
    assert 'value="2026-Q1" selected' in q1.text
    assert "三季度立案" in year.text
    assert "一季度立案" in year.text
    config = re.search(r'<script type="application/json"[^>]*>(.*?)</script>', q1.text, re.S)
    assert config is not None
    layers = {layer["key"]: layer for layer in json.loads(config.group(1))["layers"]}
    credit = layers["enf_credit"]
    assert credit["visible"]
    assert credit["url"].endswith("region=330106&period=2026-Q1")
    assert "enf_credit_grade" in json.loads(config.group(1))["legends"]
    points = client.get(credit["url"]).json()["features"]
    (point,) = points
    assert point["properties"]["id"] == firm
    assert point["properties"]["category"] == "unrated"
    assert (point["properties"]["open_cases"], point["properties"]["period_cases"]) == (2, 1)
    bad = client.get("/enforcement?period=2026-13")
    assert bad.status_code in (400, 422)
