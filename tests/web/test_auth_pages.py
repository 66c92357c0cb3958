"""Login, logout, CSRF and role checks as a browser or API client meets them."""

from __future__ import annotations

from fastapi.testclient import TestClient

from ecogov.platform.db import Database
from ecogov.platform.scope import Role
from tests.helpers import PASSWORD, csrf_from, login, make_user


def test_pages_redirect_anonymous_users_to_login(client: TestClient) -> None:
    response = client.get("/", headers={"accept": "text/html"}, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/"


def test_api_answers_401_problem_json_when_not_logged_in(client: TestClient) -> None:
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["title"] == "需要登录"
    assert client.get("/api/v1/me?lang=en").json()["title"] == "Authentication required"


def test_login_sets_a_secure_http_only_session_cookie(db: Database, client: TestClient) -> None:
    make_user(db, "zj", Role.PROVINCE_OFFICER, "330000")
    token = csrf_from(client.get("/login").text)
    response = client.post(
        "/login",
        data={"username": "zj", "password": PASSWORD, "csrf_token": token, "next": "/"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    cookie = response.headers["set-cookie"]
    assert "ecogov_session=" in cookie
    assert "HttpOnly" in cookie
    assert "samesite=lax" in cookie.lower()
    assert client.get("/api/v1/me").json()["region_code"] == "330000"


def test_wrong_password_is_refused_and_audited(db: Database, client: TestClient) -> None:
    make_user(db, "zj", Role.PROVINCE_OFFICER, "330000")
    make_user(db, "root", Role.ADMIN)
    token = csrf_from(client.get("/login").text)
    response = client.post(
        "/login", data={"username": "zj", "password": "wrong-pass", "csrf_token": token}
    )
    assert response.status_code == 401
    assert "用户名或密码错误" in response.text
    login(client, "root")
    actions = [row["action"] for row in client.get("/api/v1/audit").json()]
    assert "auth.login_failed" in actions
    assert "auth.login" in actions


def test_login_without_csrf_token_is_refused(db: Database, client: TestClient) -> None:
    make_user(db, "zj", Role.PROVINCE_OFFICER, "330000")
    client.get("/login")
    response = client.post("/login", data={"username": "zj", "password": PASSWORD})
    assert response.status_code == 403
    assert "CSRF" in response.text


def test_forged_csrf_token_is_refused(db: Database, client: TestClient) -> None:
    make_user(db, "zj", Role.PROVINCE_OFFICER, "330000")
    client.get("/login")
    response = client.post(
        "/login", data={"username": "zj", "password": PASSWORD, "csrf_token": "0" * 64}
    )
    assert response.status_code == 403


def test_post_without_any_cookie_is_refused(client: TestClient) -> None:
    response = client.post("/logout")
    assert response.status_code == 403


def test_api_writes_need_the_csrf_header(db: Database, client: TestClient) -> None:
    make_user(db, "root", Role.ADMIN)
    token = login(client, "root")
    body = {"username": "nb", "password": PASSWORD, "role": "city_officer", "region_code": "330200"}
    assert client.post("/api/v1/users", json=body).status_code == 403
    created = client.post("/api/v1/users", json=body, headers={"X-CSRF-Token": token})
    assert created.status_code == 201, created.text
    assert created.json()["region_code"] == "330200"


def test_officers_cannot_create_accounts(db: Database, client: TestClient) -> None:
    make_user(db, "zj", Role.PROVINCE_OFFICER, "330000")
    token = login(client, "zj")
    body = {
        "username": "x1",
        "password": PASSWORD,
        "role": "county_officer",
        "region_code": "330106",
    }
    response = client.post("/api/v1/users", json=body, headers={"X-CSRF-Token": token})
    assert response.status_code == 403


def test_logout_ends_the_session(db: Database, client: TestClient) -> None:
    make_user(db, "zj", Role.PROVINCE_OFFICER, "330000")
    token = login(client, "zj")
    response = client.post("/logout", data={"csrf_token": token}, follow_redirects=False)
    assert response.status_code == 303
    assert client.get("/api/v1/me").status_code == 401


def test_stolen_cookie_is_useless_after_logout(db: Database, client: TestClient) -> None:
    make_user(db, "zj", Role.PROVINCE_OFFICER, "330000")
    token = login(client, "zj")
    stolen = client.cookies.get("ecogov_session")
    client.post("/logout", data={"csrf_token": token})
    client.cookies.set("ecogov_session", stolen or "")
    assert client.get("/api/v1/me").status_code == 401


def test_open_redirect_after_login_is_neutralised(db: Database, client: TestClient) -> None:
    make_user(db, "zj", Role.PROVINCE_OFFICER, "330000")
    token = csrf_from(client.get("/login").text)
    response = client.post(
        "/login",
        data={
            "username": "zj",
            "password": PASSWORD,
            "csrf_token": token,
            "next": "//evil.example/",
        },
        follow_redirects=False,
    )
    assert response.headers["location"] == "/"
