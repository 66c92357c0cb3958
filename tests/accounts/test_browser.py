"""Issue 14, defect 11, in a real headless Chromium: the admin creates a county officer from the
users page, resets their password, and the officer logs in with the new one. Screenshots land in
``test-artifacts/``."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ecogov.platform.db import Database
from ecogov.platform.scope import Role
from ecogov.platform.settings import Settings
from ecogov.web.app import create_app
from tests.browser import ARTIFACTS, CHROMIUM, CHROMIUM_FLAGS, log_in, serve_url
from tests.helpers import PASSWORD, make_user

pytestmark = pytest.mark.browser

INITIAL = "first-pass-11"
RESET = "reset-pass-22"


@pytest.fixture
def server(db: Database, settings: Settings) -> Iterator[str]:
    """The platform with one admin account, served on a free loopback port."""
    if db.backend != "sqlite":
        pytest.skip("the browser flow runs once, on the embedded database")
    make_user(db, "root", Role.ADMIN)
    with serve_url(create_app(settings, db)) as url:
        yield url


def test_admin_creates_a_county_officer_resets_the_password_and_they_log_in(
    server: str,
) -> None:
    if CHROMIUM is None:
        pytest.skip("Chromium is not installed (Debian package `chromium`)")
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        admin = browser.new_page(viewport={"width": 1400, "height": 900})
        refused: list[str] = []  # scripts or styles the Content-Security-Policy blocked
        admin.on(
            "console",
            lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None,
        )
        log_in(admin, server, "root", PASSWORD)
        admin.click('nav.mainnav a[href="/users"]')
        admin.click("#new-user")
        admin.wait_for_selector("#user-form")

        # the form offers a county officer the counties only, and no enterprise
        admin.fill("#user-username", "xihu")
        admin.fill("#user-display-name", "西湖区生态环境分局")
        admin.select_option("#user-role", "county_officer")
        assert (
            admin.locator('#user-region optgroup[data-level="city"]').get_attribute("hidden")
            is not None
        )
        assert (
            admin.locator('#user-region optgroup[data-level="county"]').get_attribute("hidden")
            is None
        )
        assert admin.locator("#user-enterprise").is_disabled()
        # a refused form comes back with the reason in Chinese and the fields kept
        admin.select_option("#user-region", "330106")
        admin.fill("#user-password", INITIAL)
        admin.fill("#user-password-confirm", INITIAL + "x")
        admin.click("#user-submit")
        admin.wait_for_selector("#form-error")
        assert "两次输入的密码不一致" in admin.inner_text("#form-error")
        assert admin.input_value("#user-display-name") == "西湖区生态环境分局"
        admin.screenshot(path=str(ARTIFACTS / "users-create-refused.png"), full_page=True)

        admin.select_option("#user-region", "330106")
        admin.fill("#user-password", INITIAL)
        admin.fill("#user-password-confirm", INITIAL)
        admin.click("#user-submit")
        admin.wait_for_selector("#users-done")
        assert "已创建用户 xihu" in admin.inner_text("#users-done")
        row = admin.locator("#users-table tr", has_text="xihu")
        assert "县级用户" in row.inner_text()
        assert "330106" in row.inner_text()
        admin.screenshot(path=str(ARTIFACTS / "users-created.png"), full_page=True)

        row.locator("a.edit-user").click()
        admin.wait_for_selector("#password-form")
        admin.fill("#new-password", RESET)
        admin.fill("#new-password-confirm", RESET)
        admin.screenshot(path=str(ARTIFACTS / "users-edit.png"), full_page=True)
        admin.click("#password-submit")
        admin.wait_for_selector("#users-done")
        assert "已重置用户 xihu 的密码" in admin.inner_text("#users-done")

        officer = browser.new_context().new_page()
        officer.goto(f"{server}/login")
        officer.fill("input[name=username]", "xihu")
        officer.fill("input[name=password]", INITIAL)
        officer.click("#login-form button[type=submit]")
        officer.wait_for_selector("#login-error")  # the initial password no longer works
        log_in(officer, server, "xihu", RESET)
        assert "西湖区" in officer.inner_text("header.topbar")
        officer.screenshot(path=str(ARTIFACTS / "users-officer-logged-in.png"), full_page=True)
        browser.close()
    assert refused == [], refused
