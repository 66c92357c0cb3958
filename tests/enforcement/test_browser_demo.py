"""The enforcement demo walked in headless Chromium: the county officer's dashboard (period
picker, map by credit grade, ledger with the overdue case), the case with its daily continuous
penalty, the draw with its published files; the inspector's tasks on a phone. Screenshots land
in ``test-artifacts/``."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ecogov.accounts import demo as accounts_demo
from ecogov.enforcement import demo
from ecogov.platform.db import Database
from ecogov.sources import demo as sources_demo
from tests.browser import ARTIFACTS, CHROMIUM, chromium, log_in, serve_module

pytestmark = pytest.mark.browser


@pytest.fixture
def server(db: Database) -> Iterator[str]:
    if db.backend != "sqlite":
        pytest.skip("the browser walk runs once, on the embedded database")
    if CHROMIUM is None:
        pytest.skip("Chromium is not installed")

    def load() -> None:
        accounts_demo.load(db)
        sources_demo.load(db)
        demo.load(db)

    with serve_module(db, load) as url:
        yield url


def test_officer_and_inspector_walk_the_demo(server: str) -> None:
    from playwright.sync_api import expect

    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        log_in(page, server, "xihu")
        page.goto(f"{server}/enforcement")
        expect(page.locator("#enf-map canvas").first).to_be_visible(timeout=15000)
        page.wait_for_timeout(1500)
        expect(page.locator("#late-cases")).not_to_have_text("0")
        page.screenshot(path=str(ARTIFACTS / "enforcement-demo-dashboard.png"), full_page=True)
        page.locator("#case-ledger tr:has-text('按日连续处罚') a").first.click()
        expect(page.locator("#daily-penalty")).to_be_visible()
        expect(page.locator("#daily-days")).to_have_text("12")
        page.screenshot(path=str(ARTIFACTS / "enforcement-demo-case.png"), full_page=True)
        page.goto(f"{server}/enforcement")
        page.click("#draw-list a")
        expect(page.locator("#draw-files a")).to_have_count(6)
        page.screenshot(path=str(ARTIFACTS / "enforcement-demo-draw.png"), full_page=True)

        phone = browser.new_page(viewport={"width": 390, "height": 844})
        log_in(phone, server, "zhifa1", "zhifa1-demo")
        phone.goto(f"{server}/enforcement")
        expect(phone.locator("#my-tasks a").first).to_be_visible()
        phone.screenshot(path=str(ARTIFACTS / "enforcement-demo-inspector.png"), full_page=True)
