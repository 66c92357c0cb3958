"""The city ranking page in headless Chromium, as a county officer of the demo opens it: the
real-time tab, then the daily tab through the day picker (issue 14, defect 12).

Screenshots land in ``test-artifacts/`` (air-ranking-xihu-now.png, air-ranking-xihu-day.png).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ecogov.accounts.demo import load as load_demo_accounts
from ecogov.monitoring.air import demo as air_demo
from ecogov.platform.db import Database
from ecogov.platform.settings import Settings
from ecogov.web.app import create_app
from tests.browser import ARTIFACTS, CHROMIUM, CHROMIUM_FLAGS, log_in, serve_url

pytestmark = pytest.mark.browser
CITIES = 11  # the simulated Zhejiang cities


@pytest.fixture
def demo_server(db: Database, settings: Settings) -> Iterator[str]:
    """Demo accounts and three days of simulated air data, served on a free port."""
    if db.backend != "sqlite":
        pytest.skip("the browser flow runs once, on the embedded database")
    if CHROMIUM is None:
        pytest.skip("Chromium is not installed (Debian package `chromium`; .ci/run installs it)")
    load_demo_accounts(db)
    air_demo.load(db, hours=24 * 3)  # hours ending 2025-01-01 09:00 … 2025-01-04 08:00
    with serve_url(create_app(settings, db)) as url:
        yield url


def test_county_officer_opens_the_real_time_and_daily_ranking(demo_server: str) -> None:
    from playwright.sync_api import ConsoleMessage, sync_playwright

    errors: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        url = (message.location or {}).get("url", "")
        if message.type == "error" and not url.endswith("favicon.ico"):
            errors.append(f"{message.text} ({url})")

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.on("console", on_console)
            log_in(page, demo_server, "xihu")
            page.goto(f"{demo_server}/air/ranking")
            assert page.locator("#ranking-tabs a.active").inner_text() == "实时排名"
            rows = page.locator("#ranking-table tbody tr")
            assert rows.count() == CITIES  # every city of the province, not only Hangzhou
            assert "2025-01-04 08:00" in page.locator("form.filters").inner_text()
            ranks = [rows.nth(i).locator("td").first.inner_text() for i in range(CITIES)]
            assert ranks[0] == "1"
            assert page.locator("#ranking-table tr[data-city='330100']").count() == 1
            page.screenshot(path=str(ARTIFACTS / "air-ranking-xihu-now.png"), full_page=True)

            page.click("#ranking-tabs >> text=日排名")
            page.wait_for_url("**/air/ranking?tab=day")
            # the last complete day of the data is the default
            assert page.input_value("#ranking-day") == "2025-01-03"
            page.fill("#ranking-day", "2025-01-02")
            page.click("form.filters button[type=submit]")
            page.wait_for_url("**day=2025-01-02")
            assert page.locator("#ranking-table tbody tr").count() == CITIES
            hangzhou = page.locator("#ranking-table tr[data-city='330100'] td")
            assert hangzhou.nth(1).inner_text() == "杭州市"
            assert hangzhou.nth(11).inner_text() == f"{air_demo.STATIONS_PER_CITY}/4"
            page.screenshot(path=str(ARTIFACTS / "air-ranking-xihu-day.png"), full_page=True)
            month = page.locator("#ranking-tabs >> text=月度排名").get_attribute("href")
            assert month == "/air/report?period=2025-01&by=city"
        finally:
            browser.close()
    assert errors == []
