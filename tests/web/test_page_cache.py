"""Logged-in users' pages shown again to the users who see the same rows (ResponseCache):
each replay carries the viewer's own name and CSRF token; another visibility, an
audited change, the end of the lifetime, a page about the user and an ended session are
never answered from the cache."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from ecogov.accounts.service import UserView
from ecogov.platform import audit
from ecogov.platform.db import Database
from ecogov.platform.scope import Role
from ecogov.platform.settings import Settings
from tests.helpers import csrf_from, login, make_user


@pytest.fixture
def app_settings(settings: Settings, tmp_path: Path) -> Settings:
    """The test settings with pages kept, as deployed (the workers' shared folder apart)."""
    return settings.model_copy(update={"page_cache_seconds": 60, "page_cache_dir": tmp_path})


def _client(app_settings: Settings, db: Database) -> TestClient:
    from ecogov.web.app import create_app

    return TestClient(create_app(app_settings, db), base_url="http://testserver")


@pytest.fixture
def clients(app_settings: Settings, db: Database) -> Iterator[tuple[TestClient, TestClient]]:
    """Two browsers of one application (one cache): each logs in as its own user."""
    from ecogov.web.app import create_app

    app = create_app(app_settings, db)
    with (
        TestClient(app, base_url="http://testserver") as first,
        TestClient(app, base_url="http://testserver") as second,
    ):
        yield first, second


def _officers(db: Database, *names: str, region: str = "330106") -> list[UserView]:
    return [make_user(db, name, Role.COUNTY_OFFICER, region) for name in names]


@pytest.fixture
def colleagues(
    db: Database, clients: tuple[TestClient, TestClient]
) -> tuple[TestClient, TestClient, str]:
    """Two county officers of one county logged in, one per browser, and the second's CSRF
    token."""
    _officers(db, "wang", "li")
    first, second = clients
    login(first, "wang")
    return first, second, login(second, "li")


def test_a_page_is_shown_again_to_a_colleague_with_their_own_name_and_token(
    colleagues: tuple[TestClient, TestClient, str],
) -> None:
    first, second, _ = colleagues
    computed = first.get("/?region=330106", headers={"Accept": "*/*"})  # not fetched by the logins
    assert computed.status_code == 200
    assert "age" not in computed.headers
    replayed = second.get("/?region=330106", headers={"Accept": "text/html"})  # another browser
    assert replayed.status_code == 200
    assert "age" in replayed.headers  # not computed again
    assert "x-ecogov-share" not in replayed.headers
    assert "x-ecogov-share" not in computed.headers
    html = replayed.text
    assert '<span class="who">li · ' in html
    assert "wang" not in html
    token = csrf_from(html)
    assert token != csrf_from(computed.text)
    # the replayed token is the viewer's own: a form posted with it is accepted
    logout = second.post("/logout", data={"csrf_token": token}, follow_redirects=False)
    assert logout.status_code == 303


def test_the_csrf_token_of_a_replay_is_the_viewers_session_token(
    colleagues: tuple[TestClient, TestClient, str],
) -> None:
    first, second, own = colleagues
    first.get("/alerts")
    replayed = second.get("/alerts")
    assert "age" in replayed.headers
    assert csrf_from(replayed.text) == own


def test_another_visibility_gets_its_own_page(
    db: Database, clients: tuple[TestClient, TestClient]
) -> None:
    _officers(db, "wang")
    make_user(db, "zhao", Role.COUNTY_OFFICER, "330102")
    first, second = clients
    login(first, "wang")
    login(second, "zhao")
    first.get("/?region=330106")
    other = second.get("/?region=330106")
    assert "age" not in other.headers
    assert 'data-region="330102"' in other.text


def test_an_audited_change_makes_every_kept_page_out_of_date(
    db: Database, colleagues: tuple[TestClient, TestClient, str]
) -> None:
    first, second, _ = colleagues
    first.get("/regions")
    assert "age" in second.get("/regions").headers
    make_user(db, "new-colleague", Role.COUNTY_OFFICER, "330106")  # audited
    assert "age" not in second.get("/regions").headers
    assert "age" in first.get("/regions").headers  # kept again by the request before


def test_signing_in_makes_no_kept_page_out_of_date(
    db: Database, clients: tuple[TestClient, TestClient]
) -> None:
    _officers(db, "wang", "li")
    first, second = clients
    login(first, "wang")
    first.get("/regions")
    login(second, "li")  # audited, as a login
    assert "age" in second.get("/regions").headers


def test_a_kept_page_lives_for_the_configured_seconds(db: Database, app_settings: Settings) -> None:
    _officers(db, "wang")
    short = app_settings.model_copy(update={"page_cache_seconds": 1})
    with _client(short, db) as client:
        login(client, "wang")
        client.get("/regions")
        assert "age" in client.get("/regions").headers
        time.sleep(1.1)
        assert "age" not in client.get("/regions").headers


def test_pages_are_never_kept_when_turned_off(db: Database, client: TestClient) -> None:
    _officers(db, "wang")
    login(client, "wang")
    client.get("/regions")
    assert "age" not in client.get("/regions").headers


def test_a_page_about_the_user_is_never_kept(
    colleagues: tuple[TestClient, TestClient, str],
) -> None:
    first, _, _ = colleagues
    assert first.get("/enforcement/my-tasks").status_code == 200
    assert "age" not in first.get("/enforcement/my-tasks").headers
    first.get("/enforcement")  # the desk fetches that part: the rest is shared
    assert "age" in first.get("/enforcement").headers


def test_an_ended_session_is_never_answered_from_the_cache(
    colleagues: tuple[TestClient, TestClient, str],
) -> None:
    first, second, token = colleagues
    first.get("/regions")
    cookie = second.cookies.get("ecogov_session")
    second.post("/logout", data={"csrf_token": token}, follow_redirects=False)
    second.cookies.set("ecogov_session", cookie or "")
    again = second.get("/regions", follow_redirects=False)
    assert again.status_code in (302, 303, 401)
    assert "age" not in again.headers


def test_answers_of_the_api_are_never_kept(
    colleagues: tuple[TestClient, TestClient, str],
) -> None:
    first, _, _ = colleagues
    first.get("/api/v1/regions")
    assert "age" not in first.get("/api/v1/regions").headers


def test_the_user_is_looked_up_before_routing_only_where_a_page_may_live(
    colleagues: tuple[TestClient, TestClient, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Static files and API reads go straight to the application (which loads the user where
    it needs one): the cache looks the session up for page addresses only."""
    first, _, _ = colleagues
    looked_up: list[str] = []
    real = audit.last_change

    def counting(db: Database) -> int:
        looked_up.append("look")
        return real(db)

    monkeypatch.setattr("ecogov.platform.cache.last_change", counting)
    assert first.get("/static/app.js").status_code == 200
    assert first.get("/api/v1/regions").status_code == 200
    assert looked_up == []
    assert first.get("/regions").status_code == 200
    assert looked_up == ["look"]


def test_a_page_one_worker_computed_is_replayed_by_another(
    db: Database, app_settings: Settings
) -> None:
    _officers(db, "wang", "li")
    with _client(app_settings, db) as first, _client(app_settings, db) as second:  # two apps
        login(first, "wang")
        login(second, "li")
        assert "age" not in first.get("/regions").headers
        replayed = second.get("/regions")
        assert "age" in replayed.headers
        assert '<span class="who">li · ' in replayed.text
