"""The portal in headless Chromium (issue 17): the AQI map and the city ranking render at a
desktop (1366 px) and a phone width (390 px) with no sideways overflow, and a key polluter's
disclosure page draws its online-data chart.
Screenshots: ``test-artifacts/portal-home-{1366,390}.png``, ``portal-disclosure-{1366,390}.png``.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ecogov.platform import clock
from ecogov.platform.db import Database
from ecogov.platform.settings import Settings
from ecogov.portal import service
from ecogov.web.app import create_app
from tests.browser import ARTIFACTS, CHROMIUM, CHROMIUM_FLAGS, serve_url
from tests.conftest import TEST_SECRET
from tests.portal.test_disclosure import KeyUnit, key_unit_data

pytestmark = pytest.mark.browser
__all__ = ["key_unit_data"]  # the fixture, shared with the API tests
WIDTHS = (1366, 390)
OVERFLOW = "() => document.documentElement.scrollWidth - window.innerWidth"


@pytest.fixture
def live_server(db: Database, key_unit_data: KeyUnit) -> Iterator[str]:
    from ecogov.monitoring.air import demo

    if db.backend != "sqlite":
        pytest.skip("the browser flow runs once, on the embedded database")
    if CHROMIUM is None:
        pytest.skip("Chromium is not installed (Debian package `chromium`; .ci/run installs it)")
    demo.load(db, hours=24 * 3)
    service.clear()
    settings = Settings(database_url=db.url, secret_key=TEST_SECRET, boundary_provinces="330000")
    with clock.frozen(clock.now()), serve_url(create_app(settings, db)) as url:
        yield url
    service.clear()


def test_portal_map_ranking_and_disclosure_chart_render(
    live_server: str, key_unit_data: KeyUnit
) -> None:
    from playwright.sync_api import sync_playwright

    errors: list[str] = []
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        for width in WIDTHS:
            page = browser.new_page(viewport={"width": width, "height": 900})
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.goto(f"{live_server}/portal")
            page.wait_for_selector("#portal-map[data-ready] canvas", timeout=30_000)
            assert int(page.get_attribute("#portal-map", "data-layer-stations") or 0) > 0
            assert page.locator(".portal-side table tbody tr").count() > 1
            assert page.evaluate(OVERFLOW) <= 0, f"home overflows at {width} px"
            page.screenshot(path=str(ARTIFACTS / f"portal-home-{width}.png"), full_page=True)
            page.goto(f"{live_server}/portal/enterprises/{key_unit_data.firm}")
            page.wait_for_selector("body[data-charts-ready]", timeout=20_000)
            assert page.locator("#chart-DW001-w01018 canvas").count() == 1
            assert page.evaluate(OVERFLOW) <= 0, f"disclosure overflows at {width} px"
            assert "已交办" in page.inner_text("#inspections")
            page.screenshot(path=str(ARTIFACTS / f"portal-disclosure-{width}.png"), full_page=True)
            page.close()
        browser.close()
    assert errors == []
