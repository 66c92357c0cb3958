"""In headless Chromium: the demo's county officer opens a device page of the demo history and
sees its chart of hourly means drawn, with exceedances and findings listed, then the receiver
status page in Beijing time. Screenshots land in ``test-artifacts/hj212-demo-device.png`` and
``test-artifacts/hj212-receiver-status.png``."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import timedelta

import pytest
import uvicorn

from ecogov.accounts.demo import DEMO_LOGINS
from ecogov.accounts.demo import load as load_demo_accounts
from ecogov.hj212 import demo, service
from ecogov.hj212.status import StatusView, write_status
from ecogov.platform.db import Database
from ecogov.platform.scope import SYSTEM
from ecogov.platform.settings import Settings
from ecogov.sources import demo as sources_demo
from ecogov.standards.timebase import BEIJING
from ecogov.web.app import create_app
from tests.hj212.test_demo import NOW
from tests.web.test_browser import ARTIFACTS, CHROMIUM, CHROMIUM_FLAGS, _free_port

pytestmark = pytest.mark.browser
PASSWORDS = {login.username: login.password for login in DEMO_LOGINS}
RECEIVER = StatusView(
    listen="127.0.0.1:9212",
    started_at=NOW - timedelta(hours=2),
    updated_at=NOW,
    connections=6,
    packets=1440,
    stored=1440,
    rejected=0,
    packets_per_s=0.2,
    rejects_by_reason={},
)


@pytest.fixture
def judged_device(db: Database) -> str:
    """The MN of a device of 西湖区 with an exceedance and a finding in the demo history."""
    if db.backend != "sqlite":
        pytest.skip("the browser flow runs once, on the embedded database")
    if CHROMIUM is None:
        pytest.skip("Chromium is not installed (Debian package `chromium`; .ci/run installs it)")
    load_demo_accounts(db)
    sources_demo.load(db)
    demo.load(db, now=NOW)
    write_status(db, RECEIVER)
    with db.transaction(SYSTEM) as session:
        featured = [d.mn for d in demo._select_devices(session) if d.featured]
    for mn in featured:
        if mn.startswith(demo.FEATURED_REGION):
            overview = service.device_overview(db, SYSTEM, mn)
            if overview.exceedances and overview.findings:
                return mn
    pytest.fail("no demo device of 西湖区 with an exceedance and a finding")


@pytest.fixture
def live_server(judged_device: str, db: Database, settings: Settings) -> Iterator[str]:
    """The platform on a free loopback port (as tests/web/test_browser.py serves it)."""
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


def test_demo_device_page_has_its_chart_drawn(live_server: str, judged_device: str) -> None:
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
        page.goto(f"{live_server}/hj212/devices/{judged_device}")
        charts = page.locator("#hourly-charts .chart canvas")
        expect(charts.first).to_be_visible(timeout=20_000)
        assert charts.count() >= 1
        expect(page.locator("#exceedance-table tbody tr").first).to_be_visible()
        expect(page.locator("#finding-table tbody tr").first).to_be_visible()
        assert page.locator("#hourly-table tbody tr").count() == 24
        page.wait_for_timeout(500)  # the charts' entry animation
        page.screenshot(path=str(ARTIFACTS / "hj212-demo-device.png"), full_page=True)

        # the receiver status page gives Beijing time, as every other page does
        page.goto(f"{live_server}/hj212")
        updated = page.locator("#receiver-table tbody time")
        expect(updated).to_have_text(NOW.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M:%S"))
        assert (updated.get_attribute("datetime") or "").endswith("+08:00")
        page.screenshot(path=str(ARTIFACTS / "hj212-receiver-status.png"), full_page=True)
        browser.close()
