"""End to end in headless Chromium: the 西湖区 county officer opens the alerts inbox, opens an
alert of the county, converts it into a rectification item and follows it to the ledger.
Screenshots land in ``test-artifacts/``."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest
import uvicorn

from ecogov.accounts.demo import DEMO_LOGINS
from ecogov.accounts.demo import load as load_demo_accounts
from ecogov.platform.db import Database
from ecogov.platform.settings import Settings
from ecogov.web.app import create_app
from tests.web.test_alerts import _publish
from tests.web.test_browser import ARTIFACTS, CHROMIUM, CHROMIUM_FLAGS, _free_port

pytestmark = pytest.mark.browser
PASSWORDS = {login.username: login.password for login in DEMO_LOGINS}


@pytest.fixture
def county_alert(db: Database) -> int:
    """An open alert of 西湖区 (330106) and one of 上城区 (330102), with the demo logins."""
    if db.backend != "sqlite":
        pytest.skip("the browser flow runs once, on the embedded database")
    if CHROMIUM is None:
        pytest.skip("Chromium is not installed (Debian package `chromium`)")
    load_demo_accounts(db)
    _publish(db, "330102", "browser:other")
    return _publish(db, "330106", "browser:xihu")


@pytest.fixture
def live_server(county_alert: int, db: Database, settings: Settings) -> Iterator[str]:
    """The platform on a free loopback port."""
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(settings, db), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline:
            pytest.fail("test server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


def test_county_officer_converts_an_alert_in_the_browser(
    live_server: str, county_alert: int
) -> None:
    from playwright.sync_api import expect, sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.goto(f"{live_server}/login")
        page.fill("input[name=username]", "xihu")
        page.fill("input[name=password]", PASSWORDS["xihu"])
        page.click("#login-form button[type=submit]")
        page.wait_for_url(f"{live_server}/")

        page.click("nav.mainnav a[href='/alerts']")
        page.wait_for_url("**/alerts")
        rows = page.locator("#alerts-table tbody tr[data-alert]")
        expect(rows).to_have_count(1)  # the county's own alert only
        expect(rows.first).to_have_attribute("data-alert", str(county_alert))
        expect(rows.first).to_contain_text("橙色预警")
        page.screenshot(path=str(ARTIFACTS / "alerts-inbox-county.png"), full_page=True)

        rows.first.locator("a").click()
        page.wait_for_url(f"**/alerts/{county_alert}")
        expect(page.locator("#alert-status")).to_have_text("待处理")
        page.fill("#convert-form input[name=unit_name]", "杭州市生态环境局西湖分局")
        page.click("#convert")
        page.wait_for_url(f"**/alerts/{county_alert}")
        expect(page.locator("#alert-status")).to_have_text("已转整改")
        page.screenshot(path=str(ARTIFACTS / "alerts-converted.png"), full_page=True)

        page.click("#alert-item")
        page.wait_for_url("**/plans/rectification/*")
        expect(page.locator("body")).to_contain_text("杭州市生态环境局西湖分局")
        page.screenshot(path=str(ARTIFACTS / "alerts-rectification-item.png"), full_page=True)
        browser.close()
