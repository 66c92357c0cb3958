"""The Content-Security-Policy in a real headless Chromium: pages still draw their charts and
maps (inline scripts carry the nonce), Swagger UI renders from our own files, and a script
injected without the nonce does not run. Screenshots land in ``test-artifacts/``."""

from __future__ import annotations

import pytest

from ecogov.accounts import service
from ecogov.accounts.demo import DEMO_LOGINS
from ecogov.platform.db import Database
from ecogov.platform.errors import AuthenticationRequired
from ecogov.platform.scope import SYSTEM
from ecogov.platform.throttle import LoginThrottleRules, ThrottleRule
from tests.web.test_browser import ARTIFACTS, CHROMIUM, CHROMIUM_FLAGS
from tests.web.test_browser import live_server as live_server

pytestmark = pytest.mark.browser

INJECT = """() => {
    const s = document.createElement("script");
    s.textContent = "window.__injected = 1";
    document.body.appendChild(s);
    return window.__injected === undefined;
}"""


def test_pages_render_their_charts_under_the_policy(live_server: str) -> None:
    if CHROMIUM is None:
        pytest.skip("Chromium is not installed (Debian package `chromium`)")
    from playwright.sync_api import sync_playwright

    officer = next(login for login in DEMO_LOGINS if login.username == "zhejiang")
    ARTIFACTS.mkdir(exist_ok=True)
    violations: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.on(
            "console",
            lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None,
        )
        page.goto(f"{live_server}/login")
        page.fill("input[name=username]", officer.username)
        page.fill("input[name=password]", officer.password)
        page.click("#login-form button[type=submit]")

        page.wait_for_selector('#region-map[data-ready="330000"]', timeout=20_000)
        assert page.locator("#region-map canvas").count() >= 1
        page.screenshot(path=str(ARTIFACTS / "csp-command-centre.png"), full_page=True)

        links = page.eval_on_selector_all("nav.mainnav a", "as => as.map(a => a.href)")
        assert len(links) >= 5
        for link in links:  # every page of the menu loads without a refused script or style
            page.goto(link)
            page.wait_for_load_state("networkidle")
        assert violations == [], violations

        page.goto(f"{live_server}/air")  # an inline script, run through its nonce
        page.wait_for_selector('#air-map[data-ready="1"]', timeout=20_000)
        assert page.locator("#air-map canvas").count() >= 1
        assert violations == []  # nothing of ours was refused
        assert page.evaluate(INJECT), "a script without the nonce ran"
        injected = len(violations)
        page.screenshot(path=str(ARTIFACTS / "csp-air-map.png"), full_page=True)

        page.goto(f"{live_server}/api/v1/docs")  # Swagger UI without internet
        page.wait_for_selector(".swagger-ui .info .title", timeout=20_000)
        assert "ecogov" in page.inner_text(".swagger-ui .info .title")
        page.screenshot(path=str(ARTIFACTS / "api-docs-offline.png"))
        browser.close()
    assert injected == 1  # the browser refused the injected script, and nothing else after it
    assert len(violations) == injected, violations


def test_admin_lifts_a_login_limit_with_the_button(live_server: str, db: Database) -> None:
    """Defect 14: an admin unlocks an account from the users page."""
    if CHROMIUM is None:
        pytest.skip("Chromium is not installed (Debian package `chromium`)")
    from playwright.sync_api import sync_playwright

    slow = ThrottleRule(
        free_failures=3, first_seconds=600, max_seconds=900, forget_after_seconds=3600
    )
    rules = LoginThrottleRules(pair=slow)
    for _ in range(3):
        with pytest.raises(AuthenticationRequired):
            service.login(db, "hangzhou", "guess-0000", 1, client="203.0.113.9", rules=rules)
    admin = next(login for login in DEMO_LOGINS if login.username == "admin")
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.goto(f"{live_server}/login?next=/users")
        page.fill("input[name=username]", admin.username)
        page.fill("input[name=password]", admin.password)
        page.click("#login-form button[type=submit]")
        page.wait_for_selector('form[action="/users/hangzhou/unlock"] button')
        page.screenshot(path=str(ARTIFACTS / "users-login-limit.png"), full_page=True)
        page.click('form[action="/users/hangzhou/unlock"] button')
        page.wait_for_selector("p.notice")
        assert "已解除 hangzhou 的登录限制" in page.inner_text("p.notice")
        assert page.locator('form[action="/users/hangzhou/unlock"]').count() == 0
        page.screenshot(path=str(ARTIFACTS / "users-login-limit-lifted.png"), full_page=True)
        browser.close()
    assert service.throttled_accounts(db, SYSTEM) == {}
