"""Bad input met by the fuzzer, as a client sends it: each class answers a 4xx problem+json with
a Chinese message naming the parameter, and the bounds are in the OpenAPI schema."""

from __future__ import annotations

import re

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from httpx2 import Response
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy.exc import IntegrityError

from ecogov.platform.db import Database
from ecogov.platform.errors import InputError
from ecogov.platform.exports import attachment
from ecogov.platform.params import (
    ID_MAX,
    YEAR_MAX,
    YEAR_MIN,
    check_region_code,
    check_year,
    parse_id,
)
from ecogov.platform.scope import Role
from ecogov.sources.demo import demo_uscc
from tests.helpers import login, make_user

CHINESE = re.compile(r"[\u4e00-\u9fff]")
ENTERPRISE = {
    "uscc": demo_uscc(7, "330106"),
    "name": "西湖测试印染有限公司",
    "industry_code": "C1713",
    "industry": "棉印染精加工",
    "region_code": "330106",
}


def _problem(response: Response, status: int) -> dict[str, object]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert isinstance(body, dict)
    assert CHINESE.search(str(body["detail"])), body
    return body


def _officer(client: TestClient, db: Database) -> dict[str, str]:
    make_user(db, "zj", Role.PROVINCE_OFFICER, "330000")
    return {"X-CSRF-Token": login(client, "zj")}


def test_ids_beyond_64_bits_are_refused(client: TestClient, db: Database) -> None:
    _officer(client, db)
    for path in (
        f"/api/v1/plans/{2**63}",
        f"/api/v1/plans/tasks/{2**64}",
        f"/api/v1/plans/drafts/{2**63}",
        f"/api/v1/sources/enterprises/{2**63}",
        f"/api/v1/hj212/commands/{2**70}",
        f"/plans/evidence/{2**63}",
    ):
        body = _problem(client.get(path), 422)
        assert "路径参数" in str(body["detail"]), body
    body = _problem(client.get("/api/v1/plans/tasks", params={"plan": 2**63}), 422)
    assert "plan" in str(body["detail"])
    assert client.get(f"/api/v1/plans/{ID_MAX}").status_code == 404
    _problem(client.get(f"/api/v1/plans/{ID_MAX + 1}"), 422)
    # a page's hand-typed filter refuses it as well
    assert client.get("/plans/tasks", params={"plan": str(2**63)}).status_code == 422


def test_years_out_of_range_are_refused(client: TestClient, db: Database) -> None:
    _officer(client, db)
    body = _problem(
        client.get("/api/v1/plans/scorecard", params={"region": "330000", "year": -528253}), 422
    )
    assert "year" in str(body["detail"])
    assert str(YEAR_MIN) in str(body["detail"])
    errors = body["errors"]
    assert isinstance(errors, list)
    assert len(errors) == 1
    assert (errors[0]["where"], errors[0]["parameter"]) == ("查询参数", "year")
    assert "不小于" in errors[0]["message"]
    _problem(client.get("/air/stations/SIM0103", params={"year": -136}), 422)
    _problem(client.get("/plans/scorecard", params={"year": -5}), 422)
    _problem(client.get("/api/v1/air/stations/SIM0103/calendar", params={"year": 99999}), 422)


def test_region_codes_are_checked(client: TestClient, db: Database) -> None:
    _officer(client, db)
    for path, params in (
        ("/api/v1/plans/tasks", {"region": "null"}),
        ("/api/v1/plans/rectifications", {"region": "abc"}),
        ("/api/v1/plans/targets", {"region": "3300"}),
        ("/api/v1/sources/enterprises", {"region": "abc"}),
    ):
        body = _problem(client.get(path, params=params), 422)
        assert "区划代码" in str(body["detail"]), body
    _problem(client.get("/api/v1/regions/abc"), 422)


def test_english_is_second(client: TestClient, db: Database) -> None:
    _officer(client, db)
    response = client.get("/api/v1/plans/tasks", params={"region": "abc", "lang": "en"})
    assert response.status_code == 422
    assert response.json()["detail"].startswith("Invalid input: query parameter region")


def test_duplicates_are_conflicts(client: TestClient, db: Database) -> None:
    headers = _officer(client, db)
    created = client.post("/api/v1/sources/enterprises", json=ENTERPRISE, headers=headers)
    assert created.status_code == 201, created.text
    ent = created.json()["enterprise_id"]
    meter = {"code": "M1", "line": "production", "running_kw": 5}
    url = f"/api/v1/sources/enterprises/{ent}/meters"
    assert client.post(url, json=meter, headers=headers).status_code == 201
    _problem(client.post(url, json=meter, headers=headers), 409)
    outlet = client.post(
        f"/api/v1/sources/enterprises/{ent}/outlets",
        json={"code": "DW001", "medium": "water"},
        headers=headers,
    ).json()
    device = client.post(
        f"/api/v1/sources/outlets/{outlet['id']}/devices",
        json={"mn": "330106000000000000000042", "pw": "123456"},
        headers=headers,
    ).json()
    factor = {"factor_code": "w01018", "unit": "mg/L", "range_high": 500}
    url = f"/api/v1/sources/devices/{device['id']}/factors"
    assert client.post(url, json=factor, headers=headers).status_code == 201
    _problem(client.post(url, json=factor, headers=headers), 409)


def test_a_constraint_no_service_checks_is_a_conflict(client: TestClient, db: Database) -> None:
    app = client.app
    assert isinstance(app, FastAPI)

    @app.get("/api/v1/test-integrity")
    def clash() -> None:
        raise IntegrityError("INSERT …", {}, Exception("UNIQUE constraint failed"))

    _problem(client.get("/api/v1/test-integrity"), 409)


def test_non_latin1_never_reaches_a_header(client: TestClient, db: Database) -> None:
    _officer(client, db)
    _problem(client.get("/switch-region", params={"region": "浙江省"}), 422)
    _problem(client.get("/switch-region", params={"region": "33010€"}), 422)
    client.cookies.clear()
    page = client.get(
        "/water/sections/断面€", headers={"accept": "text/html"}, follow_redirects=False
    )
    assert page.status_code == 303
    assert page.headers["location"].startswith("/login?next=/water/sections/%E6%96%AD")


def test_bounds_are_in_the_openapi_schema(client: TestClient) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    plan = schema["paths"]["/api/v1/plans/{plan_id}"]["get"]
    (plan_id,) = plan["parameters"]
    assert (plan_id["schema"]["minimum"], plan_id["schema"]["maximum"]) == (1, ID_MAX)
    problem = plan["responses"]["422"]["content"]["application/problem+json"]["schema"]
    assert problem == {"$ref": "#/components/schemas/Problem"}
    scorecard = schema["paths"]["/api/v1/plans/scorecard"]["get"]["parameters"]
    year = next(p for p in scorecard if p["name"] == "year")["schema"]["anyOf"][0]
    assert (year["minimum"], year["maximum"]) == (YEAR_MIN, YEAR_MAX)
    region = next(p for p in scorecard if p["name"] == "region")
    assert region["schema"]["pattern"] == r"^\d{6}$"
    assert "区划代码" in region["description"]
    assert "HTTPValidationError" not in schema["components"]["schemas"]


@given(st.text(max_size=30))
def test_parse_id_accepts_only_ids_a_key_can_hold(text: str) -> None:
    if not re.fullmatch(r"\s*[0-9]+\s*", text) or not 1 <= int(text) <= ID_MAX:
        with pytest.raises(InputError, match=CHINESE):
            parse_id(text, "编号")
    else:
        value = parse_id(text, "编号")
        assert 1 <= value <= ID_MAX
        assert str(value) == text.strip().lstrip("0")


@given(
    st.integers(min_value=-(2**70), max_value=2**70) | st.sampled_from([0, 1, ID_MAX, ID_MAX + 1])
)
def test_parse_id_edges(number: int) -> None:
    inside = 1 <= number <= ID_MAX
    try:
        assert parse_id(str(number), "编号") == number
        assert inside
    except InputError:
        assert not inside


@given(st.text(max_size=8))
def test_region_codes_are_six_ascii_digits(code: str) -> None:
    try:
        assert check_region_code(code) == code
    except InputError:
        assert not re.fullmatch(r"[0-9]{6}", code)
    else:
        assert re.fullmatch(r"[0-9]{6}", code)


@given(st.integers())
def test_years_within_bounds(year: int) -> None:
    try:
        assert check_year(year) == year
        assert YEAR_MIN <= year <= YEAR_MAX
    except InputError:
        assert not YEAR_MIN <= year <= YEAR_MAX


@given(st.text(max_size=40))
def test_download_names_fit_a_header(name: str) -> None:
    header = attachment(name)
    header.encode("latin-1")
    assert "\r" not in header
    assert "\n" not in header


def test_a_form_region_code_is_checked_by_the_service(client: TestClient, db: Database) -> None:
    make_user(db, "admin", Role.ADMIN)
    token = login(client, "admin")
    form = {
        "region_code": "abc",
        "problem": "河道垃圾",
        "origin": "inspection",
        "target": "清理",
        "measures": "巡查",
        "deadline": "2026-12-31",
        "csrf_token": token,
    }
    page = client.post("/plans/rectification", data=form, headers={"accept": "text/html"})
    assert page.status_code == 422
    assert "区划代码" in page.text


def test_a_page_shows_what_is_wrong(client: TestClient, db: Database) -> None:
    _officer(client, db)
    page = client.get("/plans/scorecard?year=-136", headers={"accept": "text/html"})
    assert page.status_code == 422
    assert page.headers["content-type"].startswith("text/html")
    assert "查询参数 year" in page.text


def test_days_instants_and_periods_stay_within_the_calendar(
    client: TestClient, db: Database
) -> None:
    headers = _officer(client, db)
    for path in (
        "/api/v1/plans/escalations?region=330000&since=0001-01-01",
        "/api/v1/plans/tasks?due_to=9999-12-31",
        "/api/v1/hj212/devices/X/findings?since=0001-01-01T00:00:00&until=2026-01-01T00:00:00",
        "/api/v1/hj212/rejects?since=0001-01-01T00:00:00%2B14:00",
        "/api/v1/sources/meters/1/readings?since=2026-01-01&until=9999-12-31T23:59:59-12:00",
    ):
        body = _problem(client.get(path), 422)
        assert "1949–2100" in str(body["detail"]), body
    for path in (
        "/api/v1/water/evaluation?period=0001",
        "/api/v1/air/evaluation?period=9999-12",
        "/water?period=0001",
        "/air/report?period=0001-01",
    ):
        body = _problem(client.get(path), 422)
        assert "时段" in str(body["detail"]), body  # the one period grammar's own message
    reading = [{"time": "0001-01-01T00:00:00+14:00", "power_kw": 1}]
    _problem(client.post("/api/v1/sources/meters/1/readings", json=reading, headers=headers), 422)
