"""The forecast pages in headless Chromium as Hangzhou's city officer on the demo: the map with
the forecast layer and the city cards, a city's 72-hour chart with its band series, and the
verification table. Screenshots in ``test-artifacts/``."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ecogov.accounts.demo import load as load_demo_accounts
from ecogov.forecast import demo as forecast_demo
from ecogov.monitoring.air import demo as air_demo
from ecogov.platform.db import Database
from ecogov.platform.settings import Settings
from ecogov.web.app import create_app
from tests.browser import ARTIFACTS, CHROMIUM, chromium, log_in, serve_url

pytestmark = pytest.mark.browser


@pytest.fixture
def live_server(db: Database, settings: Settings) -> Iterator[str]:
    if db.backend != "sqlite":
        pytest.skip("the browser flow runs once, on the embedded database")
    if CHROMIUM is None:
        pytest.skip("Chromium is not installed (Debian package `chromium`)")
    load_demo_accounts(db)
    air_demo.load(db, hours=24 * 40)
    forecast_demo.load(db)
    with serve_url(create_app(settings, db)) as url:
        yield url


def test_the_city_officer_reads_map_chart_and_verification(live_server: str) -> None:
    url = live_server
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        log_in(page, url, "hangzhou")
        assert page.locator('nav a[href="/forecast"]').count() >= 1
        page.goto(f"{url}/forecast")
        page.wait_for_selector("#forecast-map[data-ready][data-layer-forecast]")
        assert int(page.locator("#forecast-map").get_attribute("data-layer-forecast") or 0) > 0
        assert page.locator('.forecast-card[data-city="330100"] tr[data-lead-day]').count() == 3
        assert page.locator('#forecast-nav a[href="/emergency"]').count() == 1
        page.screenshot(path=str(ARTIFACTS / "forecast-map.png"), full_page=True)
        page.click('.forecast-card[data-city="330100"] h3 a')
        page.wait_for_selector("body[data-charts-ready]")
        series = page.locator("#forecast-chart").get_attribute("data-series") or ""
        assert {"band-base", "band", "value", "observed"} <= set(series.split())
        page.click('#pollutant-selector button[data-pollutant="O3"]')
        assert page.locator("#forecast-chart").get_attribute("data-pollutant") == "O3"
        assert page.locator("#daily-table tr[data-lead-day]").count() == 3
        page.screenshot(path=str(ARTIFACTS / "forecast-city.png"), full_page=True)
        page.goto(f"{url}/forecast/verification")
        assert page.locator('#verification-table tr[data-model="forecast"]').count() >= 3
        assert page.locator('#verification-table tr[data-model="persistence"]').count() >= 3
        page.screenshot(path=str(ARTIFACTS / "forecast-verification.png"), full_page=True)
