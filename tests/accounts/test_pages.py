"""The admin's account pages (issue 14, defect 11): forms with CSRF tokens and Chinese labels;
refused forms shown again with the reason in Chinese (never raw JSON); non-admins get 403."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from ecogov.accounts.models import User
from ecogov.platform.db import Database
from ecogov.platform.scope import SYSTEM, Role
from tests.helpers import PASSWORD, csrf_from, login, make_user

HTML = {"accept": "text/html"}
NEW_PASSWORD = "new-secret-42"


def _admin(db: Database, client: TestClient) -> str:
    make_user(db, "root", Role.ADMIN)
    return login(client, "root")


def _user(db: Database, username: str) -> User | None:
    with db.transaction(SYSTEM) as session:
        user = session.scalar(select(User).where(User.username == username))
        if user is not None:
            session.expunge(user)
        return user


def _audited(client: TestClient) -> list[str]:
    return [row["action"] for row in client.get("/api/v1/audit").json()]


def test_new_user_form_offers_roles_regions_by_level_in_chinese(
    db: Database, client: TestClient
) -> None:
    _admin(db, client)
    page = client.get("/users/new", headers=HTML)
    assert page.status_code == 200
    html = page.text
    assert 'name="csrf_token"' in html
    for label in ("用户名", "姓名/单位", "角色", "所属区划", "初始密码", "县级用户"):
        assert label in html
    assert '<optgroup label="县级" data-level="county">' in html
    assert '<optgroup label="地市级" data-level="city">' in html
    assert '<script src="/static/accounts/user_form.js" defer></script>' in html
    assert re.search(r'<option value="330106"[^>]*>西湖区', html)
    assert 'value="public"' not in html  # the public role is for anonymous visitors
    listing = client.get("/users", headers=HTML).text
    assert 'href="/users/new"' in listing
    assert 'href="/users/root/edit"' in listing


def test_admin_creates_a_county_officer_through_the_form(db: Database, client: TestClient) -> None:
    token = _admin(db, client)
    form = {
        "csrf_token": token,
        "username": "xihu",
        "display_name": "西湖区分局",
        "role": "county_officer",
        "region_code": "330106",
        "enterprise_id": "",
        "password": PASSWORD,
        "password_confirm": PASSWORD,
    }
    done = client.post("/users/new", data=form, headers=HTML, follow_redirects=False)
    assert done.status_code == 303
    assert done.headers["location"] == "/users?done=created&username=xihu"
    listing = client.get(done.headers["location"], headers=HTML).text
    assert "已创建用户 xihu" in listing
    assert "西湖区（330106）" in listing  # the region by its name, not only its code
    created = _user(db, "xihu")
    assert created is not None
    assert (created.role, created.region_code) == ("county_officer", "330106")
    assert "users.create" in _audited(client)


@pytest.mark.parametrize(
    ("fields", "chinese"),
    [
        ({"role": "county_officer", "region_code": "330100"}, "县级用户须选择县级区划"),
        ({"role": "city_officer", "region_code": "330106"}, "市级用户须选择地市级区划"),
        ({"role": "province_officer", "region_code": ""}, "必须选择所属区划"),
        ({"role": "enterprise", "region_code": ""}, "必须选择所属企业"),
        ({"role": "enterprise", "region_code": "330106", "enterprise_id": "1"}, "不要选择区划"),
        ({"role": "county_officer", "region_code": "330106", "enterprise_id": "2"}, "不属于企业"),
        ({"role": "county_officer", "region_code": "330106", "password_confirm": "x"}, "不一致"),
        ({"role": "county_officer", "region_code": "330106", "username": "a b"}, "不含空格"),
    ],
)
def test_refused_new_user_form_is_shown_again_in_chinese(
    db: Database, client: TestClient, fields: dict[str, str], chinese: str
) -> None:
    token = _admin(db, client)
    form = {
        "csrf_token": token,
        "username": "u1",
        "display_name": "试用",
        "enterprise_id": "",
        "password": PASSWORD,
        "password_confirm": PASSWORD,
        **fields,
    }
    refused = client.post("/users/new", data=form, headers=HTML)
    assert refused.status_code == 422
    assert refused.headers["content-type"].startswith("text/html")
    assert 'id="form-error"' in refused.text
    assert chinese in refused.text
    assert 'value="试用"' in refused.text  # what the admin typed is kept
    assert PASSWORD not in refused.text  # passwords are never echoed
    assert _user(db, form["username"]) is None


def test_duplicate_username_is_refused_on_the_form(db: Database, client: TestClient) -> None:
    token = _admin(db, client)
    form = {
        "csrf_token": token,
        "username": "root",
        "role": "admin",
        "password": PASSWORD,
        "password_confirm": PASSWORD,
    }
    refused = client.post("/users/new", data=form, headers=HTML)
    assert refused.status_code == 409
    assert "用户 root 已存在" in refused.text


def test_admin_edits_an_account_through_the_form(db: Database, client: TestClient) -> None:
    token = _admin(db, client)
    make_user(db, "hz", Role.CITY_OFFICER, "330100")
    page = client.get("/users/hz/edit", headers=HTML)
    assert page.status_code == 200
    assert re.search(r'<option value="330100" selected>', page.text)
    assert 'action="/users/hz/password"' in page.text
    form = {
        "csrf_token": token,
        "display_name": "西湖区分局",
        "role": "county_officer",
        "region_code": "330106",
        "enterprise_id": "",
    }
    done = client.post("/users/hz/edit", data=form, headers=HTML, follow_redirects=False)
    assert done.status_code == 303
    changed = _user(db, "hz")
    assert changed is not None
    assert (changed.display_name, changed.role, changed.region_code) == (
        "西湖区分局",
        "county_officer",
        "330106",
    )
    bad = client.post("/users/hz/edit", data={**form, "role": "city_officer"}, headers=HTML)
    assert bad.status_code == 422
    assert "市级用户须选择地市级区划" in bad.text
    assert "users.update" in _audited(client)


def test_admin_disables_and_enables_through_the_form(db: Database, client: TestClient) -> None:
    token = _admin(db, client)
    make_user(db, "hz", Role.CITY_OFFICER, "330100")
    disable = client.post(
        "/users/hz/active", data={"csrf_token": token, "active": "0"}, headers=HTML
    )
    assert disable.status_code == 200
    assert "已停用用户 hz" in disable.text
    user = _user(db, "hz")
    assert user is not None
    assert not user.active
    edit = client.get("/users/hz/edit", headers=HTML).text
    assert 'name="active" value="1"' in edit
    client.post("/users/hz/active", data={"csrf_token": token, "active": "1"}, headers=HTML)
    user = _user(db, "hz")
    assert user is not None
    assert user.active
    own = client.post("/users/root/active", data={"csrf_token": token, "active": "0"}, headers=HTML)
    assert own.status_code == 409
    assert "不能停用自己的账号" in own.text
    assert {"users.disable", "users.enable"} <= set(_audited(client))


def test_admin_resets_a_password_through_the_form(db: Database, client: TestClient) -> None:
    token = _admin(db, client)
    make_user(db, "hz", Role.CITY_OFFICER, "330100")
    officer = TestClient(client.app, base_url="http://testserver")
    login(officer, "hz")
    short = {"csrf_token": token, "password": "short", "password_confirm": "short"}
    refused = client.post("/users/hz/password", data=short, headers=HTML)
    assert refused.status_code == 422
    assert 'id="password-error"' in refused.text
    assert "密码至少需要 8 个字符" in refused.text
    good = {"csrf_token": token, "password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD}
    done = client.post("/users/hz/password", data=good, headers=HTML)
    assert "已重置用户 hz 的密码" in done.text
    assert officer.get("/api/v1/me").status_code == 401  # sessions ended
    login(officer, "hz", NEW_PASSWORD)
    assert "users.reset_password" in _audited(client)


def test_forms_without_csrf_token_are_refused(db: Database, client: TestClient) -> None:
    _admin(db, client)
    make_user(db, "hz", Role.CITY_OFFICER, "330100")
    refused = client.post("/users/hz/active", data={"active": "0"}, headers=HTML)
    assert refused.status_code == 403
    user = _user(db, "hz")
    assert user is not None
    assert user.active


@pytest.mark.parametrize(
    ("role", "region", "enterprise"),
    [
        (Role.PROVINCE_OFFICER, "330000", None),
        (Role.COUNTY_OFFICER, "330106", None),
        (Role.LEADER, "330000", None),
        (Role.ENTERPRISE, None, 1),
    ],
)
def test_non_admins_get_403_on_every_account_page(
    db: Database, client: TestClient, role: Role, region: str | None, enterprise: int | None
) -> None:
    make_user(db, "someone", role, region, enterprise)
    make_user(db, "target", Role.COUNTY_OFFICER, "330106")
    token = login(client, "someone")
    assert 'href="/users"' not in client.get("/", headers=HTML).text  # not in the menu
    for path in ("/users", "/users/new", "/users/target/edit"):
        assert client.get(path, headers=HTML).status_code == 403
    posts = {
        "/users/new": {"username": "x", "role": "admin", "password": PASSWORD},
        "/users/target/edit": {"role": "county_officer", "region_code": "330106"},
        "/users/target/active": {"active": "0"},
        "/users/target/password": {"password": PASSWORD, "password_confirm": PASSWORD},
    }
    for path, data in posts.items():
        refused = client.post(path, data={"csrf_token": token, **data}, headers=HTML)
        assert refused.status_code == 403, path
        assert "管理员" in refused.text
    target = _user(db, "target")
    assert target is not None
    assert target.active
    assert csrf_from(client.get("/", headers=HTML).text)


def test_edit_form_keeps_an_enterprise_missing_from_the_register(
    db: Database, client: TestClient
) -> None:
    token = _admin(db, client)
    make_user(db, "qy", Role.ENTERPRISE, enterprise_id=7)
    page = client.get("/users/qy/edit", headers=HTML).text
    assert '<option value="7" selected>7（不在企业名录中）</option>' in page
    form = {"csrf_token": token, "display_name": "", "role": "enterprise", "enterprise_id": "7"}
    saved = client.post("/users/qy/edit", data=form, headers=HTML, follow_redirects=False)
    assert saved.status_code == 303  # an unchanged enterprise is not checked again
    kept = _user(db, "qy")
    assert kept is not None
    assert (kept.enterprise_id, kept.display_name) == (7, "qy")
