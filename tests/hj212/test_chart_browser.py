"""The device chart in headless Chromium (defect 15): a permit unit typed in as markup reaches
the chart's tooltip as text; hovering it opens no dialog and adds no element.
Screenshot: ``test-artifacts/device-chart-escaped-unit.png``."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest
import uvicorn

from ecogov.platform.db import Database
from ecogov.platform.scope import SYSTEM, Role
from ecogov.platform.settings import Settings
from ecogov.sources import service as sources
from ecogov.web.app import create_app
from tests.helpers import PASSWORD, make_user
from tests.hj212.support import Registered, make_devices, store_hours
from tests.web.test_browser import ARTIFACTS, CHROMIUM, CHROMIUM_FLAGS, _free_port

pytestmark = pytest.mark.browser
UNIT = "<i id=xss>u</i>"  # 16 characters: the unit column's width


@pytest.fixture
def device(db: Database) -> Registered:
    """A device with three hours of COD against a limit whose unit is markup."""
    if db.backend != "sqlite":
        pytest.skip("the browser flow runs once, on the embedded database")
    if CHROMIUM is None:
        pytest.skip("Chromium is not installed (Debian package `chromium`; .ci/run installs it)")
    (registered,) = make_devices(db, 1)
    sources.set_permit_limit(
        db, SYSTEM, registered.outlet_id, factor_code="w01018", limit_value=50, unit=UNIT
    )
    store_hours(db, registered, ["30.0", "75.0", "40.0"])
    make_user(db, "hz", Role.CITY_OFFICER, "330100")
    return registered


@pytest.fixture
def live_server(device: Registered, db: Database, settings: Settings) -> Iterator[str]:
    """The platform on a free loopback port."""
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(settings, db), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline:
            pytest.fail("test server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


def test_device_chart_tooltip_shows_a_markup_unit_as_text(
    live_server: str, device: Registered
) -> None:
    from playwright.sync_api import Dialog, sync_playwright

    dialogs: list[str] = []
    errors: list[str] = []

    def on_dialog(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.on("dialog", on_dialog)
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(f"{live_server}/login")
        page.fill("input[name=username]", "hz")
        page.fill("input[name=password]", PASSWORD)
        page.click("#login-form button[type=submit]")
        page.goto(f"{live_server}/hj212/devices/{device.mn}")
        page.wait_for_selector("body[data-charts-ready]", timeout=20_000)
        chart = page.locator("#chart-w01018")
        box = chart.bounding_box()
        assert box is not None
        page.wait_for_timeout(1200)
        # the 09:00 value (75.0), through the chart's own coordinate conversion
        x, y = page.evaluate(
            """() => {
                const chart = echarts.getInstanceByDom(document.getElementById("chart-w01018"));
                return chart.convertToPixel({ seriesIndex: 0 }, ["2026-03-01T09:00:00+08:00", 75]);
            }"""
        )
        page.mouse.move(box["x"] + x - 8, box["y"] + y)
        page.mouse.move(box["x"] + x, box["y"] + y, steps=5)
        tooltip = chart.locator("div").filter(has_text="w01018")
        tooltip.first.wait_for(timeout=5_000)
        html = tooltip.first.inner_html()
        page.screenshot(path=str(ARTIFACTS / "device-chart-escaped-unit.png"))
        assert "&lt;i id=xss&gt;u&lt;/i&gt;" in html
        assert page.locator("#xss").count() == 0
        browser.close()
    assert dialogs == []
    assert errors == []
