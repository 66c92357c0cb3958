"""Account management through the JSON API (issue 14, defect 11): admins create, edit, disable
and enable accounts and reset passwords; everyone else gets 403; bad combinations get 422 with a
Chinese problem+json."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from ecogov.platform.db import Database
from ecogov.platform.scope import Role
from tests.helpers import PASSWORD, login, make_user

NEW_PASSWORD = "new-secret-42"


def _admin(db: Database, client: TestClient) -> dict[str, str]:
    make_user(db, "root", Role.ADMIN)
    return {"X-CSRF-Token": login(client, "root")}


def _audited(client: TestClient, headers: dict[str, str]) -> list[str]:
    return [row["action"] for row in client.get("/api/v1/audit", headers=headers).json()]


def _problem(response: Any, status: int) -> str:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    detail = response.json()["detail"]
    assert isinstance(detail, str)
    return detail


def test_admin_creates_a_county_officer(db: Database, client: TestClient) -> None:
    headers = _admin(db, client)
    body = {
        "username": "xihu",
        "password": PASSWORD,
        "role": "county_officer",
        "display_name": "西湖区生态环境分局",
        "region_code": "330106",
    }
    created = client.post("/api/v1/users", json=body, headers=headers)
    assert created.status_code == 201, created.text
    assert created.json()["region_code"] == "330106"
    assert client.get("/api/v1/users/xihu", headers=headers).json()["display_name"] == (
        "西湖区生态环境分局"
    )
    assert "users.create" in _audited(client, headers)


@pytest.mark.parametrize(
    ("role", "region", "enterprise", "chinese"),
    [
        ("county_officer", "330100", None, "县级区划"),
        ("city_officer", "330106", None, "地市级区划"),
        ("province_officer", "330100", None, "省级区划"),
        ("county_officer", None, None, "必须选择所属区划"),
        ("county_officer", "330106", 3, "不属于企业"),
        ("enterprise", None, None, "必须选择所属企业"),
        ("admin", "330000", None, "不限于某个区域"),
        ("leader", "990000", None, "不存在"),
    ],
)
def test_bad_role_region_combinations_are_422_in_chinese(
    db: Database,
    client: TestClient,
    role: str,
    region: str | None,
    enterprise: int | None,
    chinese: str,
) -> None:
    headers = _admin(db, client)
    body = {
        "username": "u1",
        "password": PASSWORD,
        "role": role,
        "region_code": region,
        "enterprise_id": enterprise,
    }
    detail = _problem(client.post("/api/v1/users", json=body, headers=headers), 422)
    assert chinese in detail
    assert detail.index(chinese) < detail.index("（")  # zh-CN first, English after
    assert client.get("/api/v1/users/u1", headers=headers).status_code == 404


def test_admin_edits_an_account(db: Database, client: TestClient) -> None:
    headers = _admin(db, client)
    make_user(db, "hz", Role.CITY_OFFICER, "330100")
    edit = {"display_name": "杭州市局", "role": "county_officer", "region_code": "330106"}
    changed = client.put("/api/v1/users/hz", json=edit, headers=headers)
    assert changed.status_code == 200, changed.text
    assert changed.json()["role"] == "county_officer"
    assert changed.json()["display_name"] == "杭州市局"
    assert "users.update" in _audited(client, headers)
    bad = {"role": "city_officer", "region_code": "330106"}
    assert "地市级区划" in _problem(client.put("/api/v1/users/hz", json=bad, headers=headers), 422)
    missing = client.put("/api/v1/users/nobody", json=edit, headers=headers)
    assert "不存在" in _problem(missing, 404)


def test_admin_disables_and_enables_an_account(db: Database, client: TestClient) -> None:
    headers = _admin(db, client)
    make_user(db, "hz", Role.CITY_OFFICER, "330100")
    officer = TestClient(client.app, base_url="http://testserver")
    login(officer, "hz")
    assert officer.get("/api/v1/me").status_code == 200
    disabled = client.post("/api/v1/users/hz/disable", headers=headers)
    assert disabled.json()["active"] is False
    assert officer.get("/api/v1/me").status_code == 401  # the session ended
    assert client.post("/api/v1/users/hz/enable", headers=headers).json()["active"] is True
    login(officer, "hz")
    assert {"users.disable", "users.enable"} <= set(_audited(client, headers))


def test_admin_cannot_disable_themself(db: Database, client: TestClient) -> None:
    headers = _admin(db, client)
    assert "不能停用自己的账号" in _problem(
        client.post("/api/v1/users/root/disable", headers=headers), 409
    )


def test_password_reset_ends_sessions_and_the_new_password_works(
    db: Database, client: TestClient
) -> None:
    headers = _admin(db, client)
    make_user(db, "hz", Role.CITY_OFFICER, "330100")
    officer = TestClient(client.app, base_url="http://testserver")
    login(officer, "hz")
    short = client.post("/api/v1/users/hz/password", json={"password": "short"}, headers=headers)
    assert short.status_code == 422
    reset = client.post(
        "/api/v1/users/hz/password", json={"password": NEW_PASSWORD}, headers=headers
    )
    assert reset.status_code == 200, reset.text
    assert reset.json() == {"username": "hz", "sessions_ended": 1}
    assert officer.get("/api/v1/me").status_code == 401
    login(officer, "hz", NEW_PASSWORD)
    audit = client.get("/api/v1/audit", headers=headers).json()
    resets = [row for row in audit if row["action"] == "users.reset_password"]
    assert resets
    assert NEW_PASSWORD not in str(audit)


@pytest.mark.parametrize(
    ("role", "region", "enterprise"),
    [
        (Role.PROVINCE_OFFICER, "330000", None),
        (Role.COUNTY_OFFICER, "330106", None),
        (Role.LEADER, "330000", None),
        (Role.ENTERPRISE, None, 1),
    ],
)
def test_only_admins_manage_accounts(
    db: Database, client: TestClient, role: Role, region: str | None, enterprise: int | None
) -> None:
    make_user(db, "someone", role, region, enterprise)
    make_user(db, "target", Role.COUNTY_OFFICER, "330106")
    headers = {"X-CSRF-Token": login(client, "someone")}
    edit = {"role": "county_officer", "region_code": "330106"}
    refused = [
        client.post(
            "/api/v1/users",
            json={"username": "x", "password": PASSWORD, "role": "admin"},
            headers=headers,
        ),
        client.get("/api/v1/users/target", headers=headers),
        client.put("/api/v1/users/target", json=edit, headers=headers),
        client.post("/api/v1/users/target/disable", headers=headers),
        client.post("/api/v1/users/target/enable", headers=headers),
        client.post(
            "/api/v1/users/target/password", json={"password": NEW_PASSWORD}, headers=headers
        ),
    ]
    for response in refused:
        assert "管理员" in _problem(response, 403)
