"""Defect 10 in headless Chromium: the city officer's command centre counts overdue days on the
clock's day, not on the day the escalation ran. Screenshot in ``test-artifacts/``."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

from ecogov.accounts.demo import load as load_demo_accounts
from ecogov.plans import service
from ecogov.platform import clock
from ecogov.platform.db import Database
from ecogov.platform.settings import Settings
from ecogov.web.app import create_app
from tests.browser import ARTIFACTS, CHROMIUM, CHROMIUM_FLAGS, PASSWORDS, serve_url
from tests.plans.support import CITY

pytestmark = pytest.mark.browser
DEADLINE = date(2026, 10, 31)
ESCALATED_ON = date(2026, 11, 22)
SHOWN_ON = date(2026, 11, 27)


@pytest.fixture
def escalated_item(db: Database) -> int:
    """A rectification item of 330106, due 2026-10-31, escalated on 2026-11-22 (22 days)."""
    if db.backend != "sqlite":
        pytest.skip("the browser flow runs once, on the embedded database")
    if CHROMIUM is None:
        pytest.skip("Chromium is not installed (Debian package `chromium`; .ci/run installs it)")
    load_demo_accounts(db)
    with clock.frozen(ESCALATED_ON):
        item = service.create_item(
            db,
            CITY,
            region_code="330106",
            problem="某河道支流水体发黑发臭",
            origin="inspection",
            target="消除黑臭",
            measures="清淤",
            deadline=DEADLINE,
            unit_name="西湖区治水办",
        )
        service.escalate(db, clock.today())
    return item


@pytest.fixture
def live_server(escalated_item: int, db: Database, settings: Settings) -> Iterator[str]:
    """The platform on a free loopback port, its clock stopped on 2026-11-27."""
    with clock.frozen(SHOWN_ON), serve_url(create_app(settings, db)) as url:
        yield url


def test_the_command_centre_counts_overdue_days_today(
    live_server: str, escalated_item: int
) -> None:
    from playwright.sync_api import expect, sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.goto(f"{live_server}/login")
        page.fill("input[name=username]", "hangzhou")
        page.fill("input[name=password]", PASSWORDS["hangzhou"])
        page.click("#login-form button[type=submit]")
        page.wait_for_selector("#escalations")
        row = page.locator(f"#escalations tr:has(a[href='/plans/rectification/{escalated_item}'])")
        expect(row.first).to_be_visible()
        days = row.first.locator("td[data-days-overdue]")
        expect(days).to_have_text(str((SHOWN_ON - DEADLINE).days))  # 27, not the 22 of 11-22
        expect(days).to_have_attribute("title", f"完成时限 {DEADLINE}")
        page.locator("#panel-escalations").scroll_into_view_if_needed()
        page.screenshot(path=str(ARTIFACTS / "defect10-overdue-days.png"), full_page=True)
        browser.close()
