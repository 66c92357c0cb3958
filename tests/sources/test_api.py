"""The sources API as a browser script or another system calls it."""

from __future__ import annotations

from fastapi.testclient import TestClient

from ecogov.platform.db import Database
from ecogov.platform.scope import Role
from ecogov.sources.demo import demo_uscc
from tests.helpers import login, make_user

ENTERPRISE = {
    "uscc": demo_uscc(7, "330106"),
    "name": "西湖测试印染有限公司",
    "industry_code": "C1713",
    "industry": "棉印染精加工",
    "region_code": "330106",
    "lon": 120.13,
    "lat": 30.26,
}


def test_registry_through_the_api(client: TestClient, db: Database) -> None:
    assert client.get("/api/v1/sources/enterprises").status_code == 401
    make_user(db, "hz", Role.CITY_OFFICER, "330100")
    token = login(client, "hz")
    headers = {"X-CSRF-Token": token}
    created = client.post("/api/v1/sources/enterprises", json=ENTERPRISE, headers=headers)
    assert created.status_code == 201, created.text
    enterprise_id = created.json()["enterprise_id"]
    outlet = client.post(
        f"/api/v1/sources/enterprises/{enterprise_id}/outlets",
        json={"code": "DW001", "name": "总排口", "medium": "water"},
        headers=headers,
    ).json()
    device = client.post(
        f"/api/v1/sources/outlets/{outlet['id']}/devices",
        json={"mn": "330106000000000000000042", "pw": "123456"},
        headers=headers,
    )
    assert device.status_code == 201
    assert "pw" not in device.json()
    permit = client.put(
        f"/api/v1/sources/outlets/{outlet['id']}/permits",
        json={"factor_code": "w01018", "limit_value": 200, "unit": "mg/L", "averaging": "daily"},
        headers=headers,
    )
    assert permit.json()["averaging"] == "daily"
    detail = client.get(f"/api/v1/sources/enterprises/{enterprise_id}").json()
    assert [d["mn"] for d in detail["devices"]] == ["330106000000000000000042"]
    assert detail["permits"][0]["limit_value"] == 200
    points = client.get("/api/v1/sources/map", params={"region": "330100"}).json()
    assert points["features"][0]["geometry"]["coordinates"] == [120.13, 30.26]


def test_bad_input_is_a_problem_saying_what(client: TestClient, db: Database) -> None:
    make_user(db, "admin", Role.ADMIN)
    token = login(client, "admin")
    bad = {**ENTERPRISE, "uscc": "91350100M000100Y44"}
    response = client.post("/api/v1/sources/enterprises", json=bad, headers={"X-CSRF-Token": token})
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert "check character" in response.json()["detail"]


def test_enterprise_users_read_their_own_only(client: TestClient, db: Database) -> None:
    make_user(db, "admin", Role.ADMIN)
    token = login(client, "admin")
    headers = {"X-CSRF-Token": token}
    ids = [
        client.post(
            "/api/v1/sources/enterprises",
            json={**ENTERPRISE, "uscc": demo_uscc(n, "330106")},
            headers=headers,
        ).json()["enterprise_id"]
        for n in (1, 2)
    ]
    client.cookies.clear()
    make_user(db, "qiye", Role.ENTERPRISE, enterprise_id=ids[0])
    token = login(client, "qiye")
    listed = client.get("/api/v1/sources/enterprises").json()
    assert [e["enterprise_id"] for e in listed] == [ids[0]]
    assert client.get(f"/api/v1/sources/enterprises/{ids[1]}").status_code == 404
    refused = client.post(
        f"/api/v1/sources/enterprises/{ids[0]}/outlets",
        json={"code": "DW002", "medium": "water"},
        headers={"X-CSRF-Token": token},
    )
    assert refused.status_code == 403


def test_search_wildcards_match_literally(client: TestClient, db: Database) -> None:
    """Defect 19: ``%`` and ``_`` in the search box matched every enterprise in scope."""
    make_user(db, "hz", Role.CITY_OFFICER, "330100")
    headers = {"X-CSRF-Token": login(client, "hz")}
    for number, name in ((7, "西湖测试印染有限公司"), (8, "百分之百_100%环保科技")):
        body = {**ENTERPRISE, "uscc": demo_uscc(number, "330106"), "name": name}
        created = client.post("/api/v1/sources/enterprises", json=body, headers=headers)
        assert created.status_code == 201, created.text

    def names(query: str) -> list[str]:
        found = client.get("/api/v1/sources/enterprises", params={"q": query})
        assert found.status_code == 200, found.text
        return [row["name"] for row in found.json()]

    assert names("%") == ["百分之百_100%环保科技"]
    assert names("_") == ["百分之百_100%环保科技"]
    assert names("\\") == []
    assert names("测试%印染") == []
    assert names("印染") == ["西湖测试印染有限公司"]
