"""The command-centre home, region switching, language, audit browser, health and API docs."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from ecogov.platform.db import Database
from ecogov.platform.migrate import head_revisions
from ecogov.platform.scope import Role
from ecogov.platform.settings import Settings
from tests.helpers import login, make_user


def _child_codes(html: str) -> list[str]:
    table = html.split('id="children-table"', 1)[1].split("</table>", 1)[0]
    return re.findall(r'data-code="(\d{6})"', table)


def test_health_is_public(db: Database, client: TestClient) -> None:
    body = client.get("/api/v1/health").json()
    assert body["status"] == "ok"
    assert body["schema"] == list(head_revisions(db.engine))


def test_openapi_docs_are_served(client: TestClient) -> None:
    spec = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/regions" in spec["paths"]
    assert client.get("/api/v1/docs").status_code == 200


def test_province_officer_sees_the_eleven_cities(db: Database, client: TestClient) -> None:
    make_user(db, "zj", Role.PROVINCE_OFFICER, "330000")
    login(client, "zj")
    html = client.get("/").text
    assert 'data-region="330000"' in html
    assert _child_codes(html) == [f"33{n:02d}00" for n in range(1, 12)]
    assert "指挥中心" in html


def test_drilling_into_a_city_lists_its_counties(db: Database, client: TestClient) -> None:
    make_user(db, "zj", Role.PROVINCE_OFFICER, "330000")
    login(client, "zj")
    codes = _child_codes(client.get("/?region=330100").text)
    assert "330106" in codes
    assert all(code.startswith("3301") for code in codes)
    assert len(codes) == 13


def test_county_officer_cannot_look_at_another_county(db: Database, client: TestClient) -> None:
    make_user(db, "xh", Role.COUNTY_OFFICER, "330106")
    login(client, "xh")
    assert 'data-region="330106"' in client.get("/").text
    # an out-of-scope region in the URL falls back to the officer's own region
    assert 'data-region="330106"' in client.get("/?region=330102").text
    refused = client.get("/switch-region?region=330102", headers={"accept": "text/html"})
    assert refused.status_code == 404


def test_region_switcher_offers_only_the_scope(db: Database, client: TestClient) -> None:
    make_user(db, "hz", Role.CITY_OFFICER, "330100")
    login(client, "hz")
    html = client.get("/").text
    switcher = html.split('id="region-switcher"', 1)[1].split("</select>", 1)[0]
    options = re.findall(r'value="(\d{6})"', switcher)
    assert options[0] == "330100"
    assert all(code.startswith("3301") for code in options)
    response = client.get("/switch-region?region=330106", follow_redirects=False)
    assert response.status_code == 303
    assert 'data-region="330106"' in client.get("/").text


def test_the_admins_switcher_opens_on_the_home_province(
    db: Database, client: TestClient, settings: Settings
) -> None:
    make_user(db, "root", Role.ADMIN)
    login(client, "root")
    html = client.get("/").text
    switcher = html.split('id="region-switcher"', 1)[1].split("</select>", 1)[0]
    selected = re.findall(r'value="(\d{6})" selected', switcher)
    home = settings.boundary_province_codes[0]
    assert home != "110000"  # not the first option, 北京市, which a browser shows unselected
    assert selected == [home]
    assert f'data-region="{home}"' in html  # the page shows the region the switcher names


def test_english_is_switchable(db: Database, client: TestClient) -> None:
    make_user(db, "zj", Role.PROVINCE_OFFICER, "330000")
    login(client, "zj")
    client.get("/lang/en", follow_redirects=False)
    html = client.get("/").text
    assert "Command centre" in html
    assert 'lang="en"' in html


def test_admin_browses_and_exports_the_audit_log(db: Database, client: TestClient) -> None:
    make_user(db, "root", Role.ADMIN)
    make_user(db, "nb", Role.CITY_OFFICER, "330200")
    login(client, "root")
    page = client.get("/audit?action=users.create")
    assert page.status_code == 200
    assert page.text.count("users.create") >= 2
    csv_text = client.get("/audit.csv?entity=users").text
    assert csv_text.startswith("\ufeff编号,时间,操作人,角色,操作,操作代码")
    assert "nb" in csv_text


def test_audit_log_is_admin_only(db: Database, client: TestClient) -> None:
    make_user(db, "zj", Role.PROVINCE_OFFICER, "330000")
    login(client, "zj")
    assert client.get("/api/v1/audit").status_code == 403
    assert client.get("/audit", headers={"accept": "text/html"}).status_code == 403


def test_bad_query_parameter_is_a_clear_422(db: Database, client: TestClient) -> None:
    make_user(db, "root", Role.ADMIN)
    login(client, "root")
    response = client.get("/api/v1/audit?since=yesterday")
    assert response.status_code == 422
    assert "YYYY-MM-DD" in response.json()["detail"]
    assert client.get("/api/v1/regions?parent=33").status_code == 422


def test_navigation_shows_admin_entries_to_admins_only(db: Database, client: TestClient) -> None:
    make_user(db, "root", Role.ADMIN)
    make_user(db, "zj", Role.PROVINCE_OFFICER, "330000")
    login(client, "zj")
    assert 'href="/audit"' not in client.get("/").text
    client.cookies.clear()
    login(client, "root")
    html = client.get("/").text
    assert 'href="/audit"' in html
    assert 'href="/users"' in html
