"""End to end in headless Chromium: an officer opens the command centre, opens an overdue task,
uploads evidence and requests closure; the province verifies and closes it; the task's history and
the admin's audit log show each step. Screenshots land in ``test-artifacts/``."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from ecogov.accounts.demo import load as load_demo_accounts
from ecogov.plans import service
from ecogov.platform import clock
from ecogov.platform.db import Database
from ecogov.platform.settings import Settings
from ecogov.web.app import create_app
from tests.browser import ARTIFACTS, CHROMIUM, CHROMIUM_FLAGS, PASSWORDS, serve_url
from tests.plans.support import small_plan, task_ids

pytestmark = pytest.mark.browser


@pytest.fixture
def overdue_task(db: Database) -> int:
    """An overdue, escalated task of Hangzhou (330100)."""
    if db.backend != "sqlite":
        pytest.skip("the browser flow runs once, on the embedded database")
    if CHROMIUM is None:
        pytest.skip("Chromium is not installed (Debian package `chromium`; .ci/run installs it)")
    load_demo_accounts(db)
    today = clock.today()
    plan = small_plan(
        db, "330100", [("二.7", (today - timedelta(days=20)).isoformat(), ("杭州市生态环境局",))]
    )
    service.escalate(db, today)
    return task_ids(db, plan)["二.7"]


@pytest.fixture
def live_server(overdue_task: int, db: Database, settings: Settings) -> Iterator[str]:
    """The platform on a free loopback port (as tests/web/test_browser.py serves it)."""
    with serve_url(create_app(settings, db)) as url:
        yield url


def test_overdue_task_closed_loop_in_the_browser(
    live_server: str, overdue_task: int, tmp_path: Path
) -> None:
    from playwright.sync_api import Page, expect, sync_playwright

    def log_in(page: Page, username: str) -> None:
        page.goto(f"{live_server}/login")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", PASSWORDS[username])
        page.click("#login-form button[type=submit]")
        page.wait_for_selector("#region-map")

    def log_out(page: Page) -> None:
        page.click("form[action='/logout'] button")
        page.wait_for_url("**/login")

    evidence = tmp_path / "整改照片.jpg"
    evidence.write_bytes(b"\xff\xd8\xff\xe0 simulated photo")
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport={"width": 1400, "height": 900})

        # the city officer opens the command centre and the overdue task from its panel
        log_in(page, "hangzhou")
        overdue = page.locator(f"#overdue-by-unit a.overdue-task[data-task='{overdue_task}']")
        expect(overdue).to_be_visible()
        page.wait_for_selector("#plans-map[data-ready]", timeout=20_000)
        page.screenshot(path=str(ARTIFACTS / "plans-command-centre.png"), full_page=True)
        overdue.click()
        page.wait_for_url(f"**/plans/task/{overdue_task}")
        expect(page.locator("h1 [data-state]")).to_have_attribute("data-state", "overdue")
        expect(page.locator("#move-request_closure")).to_be_disabled()

        # uploads evidence with a progress report, then requests closure
        page.fill("#report-text", "已完成锅炉低氮改造，附现场照片")
        page.set_input_files("#report-files", str(evidence))
        page.click("#report-form button[type=submit]")
        expect(page.locator("#report-list a.evidence")).to_have_text("整改照片.jpg")
        page.click("#move-request_closure")
        expect(page.locator("h1 [data-state]")).to_have_attribute("data-state", "closure_requested")
        page.screenshot(path=str(ARTIFACTS / "plans-task-closure-requested.png"), full_page=True)
        log_out(page)

        # the province officer checks it and closes it
        log_in(page, "zhejiang")
        page.goto(f"{live_server}/plans/task/{overdue_task}")
        page.click("#move-close")
        expect(page.locator("h1 [data-state]")).to_have_attribute("data-state", "closed")
        moves = page.locator("#history tr[data-kind=move]")
        expect(moves).to_have_count(3)
        assert [moves.nth(i).get_attribute("data-to") for i in range(3)] == [
            "overdue",
            "closure_requested",
            "closed",
        ]
        page.screenshot(path=str(ARTIFACTS / "plans-task-closed.png"), full_page=True)
        log_out(page)

        # the admin's audit log holds every step, with who made it
        log_in(page, "admin")
        page.goto(f"{live_server}/audit?action=plans.")
        table = page.inner_text("#audit-table")
        for actor, action in (
            ("system", "plans.escalate"),
            ("hangzhou", "plans.task.report"),
            ("hangzhou", "plans.task.request_closure"),
            ("zhejiang", "plans.task.close"),
        ):
            assert f"{actor}\t{action}" in table, (actor, action)
        page.screenshot(path=str(ARTIFACTS / "plans-audit-log.png"), full_page=True)
        browser.close()
