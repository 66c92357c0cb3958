"""Issue 14, defect 11 (second half): surface-water quality is public data, readable by every
logged-in role; the enterprise user's menu offers 水环境 and the page opens (it used to 404
with "region 330000 is outside your scope")."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from ecogov.monitoring.water import service
from ecogov.platform.db import Database
from ecogov.platform.errors import PermissionDenied
from ecogov.platform.scope import SYSTEM, Principal, Role
from ecogov.sources import service as sources
from ecogov.sources.demo import demo_uscc
from ecogov.sources.service import NewEnterprise
from tests.helpers import login, make_user
from tests.monitoring.water.test_pages import DATA, REGISTRY


@pytest.fixture
def water(db: Database) -> Database:
    """Three Hangzhou sections with two years of data, and one enterprise."""
    service.import_files(db, SYSTEM, "sections", [("sections.csv", REGISTRY.encode())])
    service.import_files(db, SYSTEM, "long", [("data.csv", DATA.encode())])
    return db


def _enterprise_user(db: Database) -> None:
    firm = sources.create_enterprise(
        db,
        SYSTEM,
        NewEnterprise(
            uscc=demo_uscc(1, "330106"),
            name="测试印染有限公司",
            industry_code="C1713",
            industry="棉印染精加工",
            region_code="330106",
        ),
    )
    make_user(db, "qy", Role.ENTERPRISE, enterprise_id=firm.enterprise_id)


def test_enterprise_user_opens_water_from_the_menu(water: Database, client: TestClient) -> None:
    _enterprise_user(water)
    login(client, "qy")
    home = client.get("/").text
    assert '<a href="/water"' in home  # the menu offers it …
    assert '<a href="/air"' in home
    assert '<a href="/plans"' not in home  # … and only what the role may open
    assert '<a href="/audit"' not in home
    page = client.get("/water?period=2025", headers={"accept": "text/html"})
    assert page.status_code == 200, page.text  # … and it opens
    assert "outside your scope" not in page.text
    codes = [s["code"] for s in client.get("/api/v1/water/sections").json()]
    assert codes == ["HZ1", "HZ2", "HZ3"]
    rows = client.get("/api/v1/water/evaluation", params={"period": "2025"}).json()["rows"]
    assert [r["section"] for r in rows] == ["HZ1", "HZ2", "HZ3"]
    # reading is not changing: the enterprise may not import water data
    firm = Principal("qy", Role.ENTERPRISE, enterprise_id=1)
    with pytest.raises(
        PermissionDenied, match="只有生态环境部门工作人员和管理员可以导入地表水数据"
    ):
        service.import_files(water, firm, "long", [("data.csv", DATA.encode())])


def test_every_menu_entry_opens_for_the_role(water: Database, client: TestClient) -> None:
    _enterprise_user(water)
    make_user(water, "xh", Role.COUNTY_OFFICER, "330106")
    make_user(water, "ld", Role.LEADER, "330000")
    for username in ("qy", "xh", "ld"):
        client.cookies.clear()
        login(client, username)
        home = client.get("/").text
        links = sorted(
            set(
                re.findall(
                    r'<a href="(/[a-z0-9/]*)"',
                    home.split('<nav class="mainnav">')[1].split("</nav>")[0],
                )
            )
        )
        assert links
        for link in links:
            status = client.get(link, headers={"accept": "text/html"}).status_code
            assert status == 200, (username, link, status)


def test_county_officer_sees_the_official_city_figures(water: Database, client: TestClient) -> None:
    make_user(water, "hz", Role.CITY_OFFICER, "330100")
    make_user(water, "xh", Role.COUNTY_OFFICER, "330106")
    params = {"period": "2025", "by": "city"}
    login(client, "hz")
    city_view = client.get("/api/v1/water/evaluation", params=params).json()["rows"]
    client.cookies.clear()
    login(client, "xh")
    county_view = client.get("/api/v1/water/evaluation", params=params).json()["rows"]
    assert [row["city"] for row in county_view] == ["330100"]
    assert county_view == city_view  # the city's figures, computed from all three sections
    assert county_view[0]["sections"] == 3
    # the county officer still opens only the county's sections
    sections = client.get("/api/v1/water/evaluation", params={"period": "2025"}).json()["rows"]
    assert [row["section"] for row in sections] == ["HZ2", "HZ3"]
