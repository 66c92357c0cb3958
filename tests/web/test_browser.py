"""End to end in a real headless Chromium: log in, see Zhejiang's 11 cities, click one, see its
counties. Screenshots land in ``test-artifacts/``."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ecogov.accounts.demo import DEMO_LOGINS
from ecogov.accounts.demo import load as load_demo_accounts
from ecogov.platform.db import Database
from ecogov.platform.settings import Settings
from ecogov.web.app import create_app
from tests.browser import ARTIFACTS, CHROMIUM, CHROMIUM_FLAGS, serve_url

pytestmark = pytest.mark.browser


@pytest.fixture
def live_server(db: Database, settings: Settings) -> Iterator[str]:
    """The platform served on a free loopback port, with the demo accounts."""
    if db.backend != "sqlite":
        pytest.skip("the browser flow runs once, on the embedded database")
    load_demo_accounts(db)
    with serve_url(create_app(settings, db)) as url:
        yield url


def test_officer_logs_in_and_drills_from_province_to_city(live_server: str) -> None:
    if CHROMIUM is None:
        pytest.skip("Chromium is not installed (Debian package `chromium`; .ci/run installs it)")
    from playwright.sync_api import sync_playwright

    officer = next(login for login in DEMO_LOGINS if login.username == "zhejiang")
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.goto(f"{live_server}/")
        assert "/login" in page.url
        page.fill("input[name=username]", officer.username)
        page.fill("input[name=password]", officer.password)
        page.click("#login-form button[type=submit]")

        page.wait_for_selector('#region-map[data-ready="330000"]', timeout=20_000)
        features = page.get_attribute("#region-map", "data-features") or ""
        assert features.split(",") == [f"33{n:02d}00" for n in range(1, 12)]
        assert page.locator("#children-table tbody tr").count() == 11
        page.screenshot(path=str(ARTIFACTS / "command-centre-zhejiang.png"), full_page=True)

        # Click Hangzhou on the map itself, at the pixel of a point inside its boundary.
        x, y = page.evaluate(
            """() => {
                const s = ecogovMap.getOption().series[0].data.find(d => d.code === "330100");
                return ecogovMap.convertToPixel({seriesIndex: 0}, s.center);
            }"""
        )
        box = page.locator("#region-map").bounding_box()
        assert box is not None
        with page.expect_navigation():
            page.mouse.click(box["x"] + x, box["y"] + y)
        page.wait_for_selector('#region-map[data-ready="330100"]', timeout=20_000)
        assert "region=330100" in page.url
        counties = (page.get_attribute("#region-map", "data-features") or "").split(",")
        assert "330106" in counties
        assert len(counties) == 13
        assert all(code.startswith("3301") for code in counties)
        assert "杭州市" in page.inner_text("#trail")
        page.screenshot(path=str(ARTIFACTS / "command-centre-hangzhou.png"), full_page=True)
        browser.close()
