"""The paged task ledger in headless Chromium (issue 14 defect 8): 50 rows a page instead of
one 36,000 px table, the longest overdue one click away, search and pages by link. Screenshot
in ``test-artifacts/``."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import pytest

from ecogov.accounts.demo import load as load_demo_accounts
from ecogov.plans import service
from ecogov.platform import clock
from ecogov.platform.db import Database
from ecogov.platform.settings import Settings
from ecogov.web.app import create_app
from tests.browser import ARTIFACTS, CHROMIUM, CHROMIUM_FLAGS, log_in, serve_url
from tests.plans.support import small_plan

pytestmark = pytest.mark.browser
TODAY = date(2026, 11, 27)
UNITS = ("市生态环境局", "市治水办", "市住建局", "市农业农村局")


@pytest.fixture
def ledger(db: Database) -> int:
    """A Hangzhou plan of 120 tasks; every ninth is overdue by its number of days."""
    if db.backend != "sqlite":
        pytest.skip("the browser flow runs once, on the embedded database")
    if CHROMIUM is None:
        pytest.skip("Chromium is not installed (Debian package `chromium`; .ci/run installs it)")
    load_demo_accounts(db)
    tasks = [
        (
            str(n),
            (TODAY - timedelta(days=n) if n % 9 == 0 else TODAY + timedelta(days=n)).isoformat(),
            (UNITS[n % len(UNITS)],),
        )
        for n in range(1, 121)
    ]
    with clock.frozen(TODAY):
        plan = small_plan(db, "330100", tasks, title="杭州市2026年治水工作要点")
        service.escalate(db, TODAY)
    return plan


@pytest.fixture
def live_server(ledger: int, db: Database, settings: Settings) -> Iterator[str]:
    with clock.frozen(TODAY), serve_url(create_app(settings, db)) as url:
        yield url


def test_the_task_ledger_pages_sorts_and_searches(live_server: str, ledger: int) -> None:
    from playwright.sync_api import expect, sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        log_in(page, live_server, "hangzhou")
        page.goto(f"{live_server}/plans/tasks?plan={ledger}")
        rows = page.locator("#task-ledger tbody tr")
        count = page.locator("#tasks-count")
        expect(rows).to_have_count(50)
        expect(count).to_contain_text("共 120 条，当前第 1–50 条（第 1/3 页）")
        page.click("#tasks-pager >> text=3")
        expect(rows).to_have_count(20)
        expect(rows.first.locator("td").first).to_have_text("101")
        page.click("#tasks-worst")  # the longest overdue, one click away
        expect(rows.first.locator("td").first).to_have_text("117")
        expect(page.locator("a.sort[data-sort=overdue]")).to_have_attribute(
            "aria-sort", "descending"
        )
        assert "plan=" in page.url  # the ledger's own filter is kept
        page.fill("#tasks-search", "任务11")
        page.select_option("#tasks-size", "25")
        page.click("#tasks-controls button[type=submit]")
        expect(count).to_contain_text("共 11 条")
        expect(rows.first.locator("td").first).to_have_text("117")
        page.goto(f"{live_server}/plans/tasks?plan={ledger}&sort=-overdue")
        page.screenshot(path=str(ARTIFACTS / "defect8-paged-task-ledger.png"), full_page=True)
        height = page.evaluate("document.documentElement.scrollHeight")
        assert height < 9000, height  # was 36,000 px for the demo's 310 tasks
        browser.close()
