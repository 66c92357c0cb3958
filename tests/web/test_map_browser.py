"""The one map component in headless Chromium, on the demo data, as the demo's users met it.

* Every map page (command centre, air, water, sources) opens without a console error for the
  province, city and county officers (defect 2: the county's indicator map printed
  ``TypeError: Cannot read properties of null (reading '0')``).
* Names typed in by users reach tooltips as text (defect 15): enterprises, stations and
  sections of Xihu District renamed ``<img src=x onerror=alert(…)>`` are hovered on the maps by
  every officer with a dialog listener; no dialog opens and no such image appears.

Screenshots land in ``test-artifacts/`` (map-<user>-<page>.png).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import update

from ecogov.accounts.demo import DEMO_LOGINS
from ecogov.accounts.demo import load as load_demo_accounts
from ecogov.monitoring.air import demo as air_demo
from ecogov.monitoring.air.models import AirStation
from ecogov.monitoring.water import demo as water_demo
from ecogov.monitoring.water.models import Section
from ecogov.plans import demo as plans_demo
from ecogov.platform.db import Database
from ecogov.platform.scope import SYSTEM
from ecogov.platform.settings import Settings
from ecogov.sources import demo as sources_demo
from ecogov.sources.models import Enterprise
from ecogov.web.app import create_app
from tests.browser import ARTIFACTS, CHROMIUM, CHROMIUM_FLAGS, serve_url

pytestmark = pytest.mark.browser
PASSWORDS = {login.username: login.password for login in DEMO_LOGINS}
OFFICERS = ("zhejiang", "hangzhou", "xihu")
MAP_PAGES = {"/": "region-map", "/air": "air-map", "/water": "water-map", "/sources": "source-map"}
XSS = "<img src=x onerror=alert('{}')>"
COUNTY = "330106"


@pytest.fixture
def demo_server(db: Database, settings: Settings, shared_dir: Path) -> Iterator[str]:
    """The demo (accounts, air, sources, water, plans) served on a free port, with Xihu's
    enterprises, stations and sections renamed to script-bearing names."""
    if db.backend != "sqlite":
        pytest.skip("the browser flow runs once, on the embedded database")
    if CHROMIUM is None:
        pytest.skip("Chromium is not installed (Debian package `chromium`; .ci/run installs it)")
    load_demo_accounts(db)
    air_demo.load(db, hours=24 * 3)
    sources_demo.load(db)
    water_demo.load(db)
    plans_demo.load(db)
    with db.transaction(SYSTEM) as session:
        for model, label in (
            (Enterprise, "enterprise"),
            (AirStation, "station"),
            (Section, "section"),
        ):
            session.execute(
                update(model).where(model.region_code == COUNTY).values(name=XSS.format(label))
            )
        session.execute(
            update(Enterprise)
            .where(Enterprise.region_code == COUNTY)
            .values(industry=XSS.format("industry"))
        )
    with serve_url(create_app(settings, db)) as url:
        yield url


POINT_OF = """([mapId, layer, label]) => {
    const map = ecogovMaps[mapId];
    const series = map.chart.getOption().series;
    const index = series.findIndex((s) => s.id === "layer-" + layer);
    if (index < 0) { return null; }
    const found = series[index].data.find((d) => String(d.props.name).includes(label));
    if (!found) { return null; }
    return map.chart.convertToPixel({ seriesIndex: index }, found.value);
}"""


def _hover(page: Any, map_id: str, layer: str, label: str) -> str | None:
    """Hover the first point of ``layer`` whose name holds ``label``; the tooltip's HTML."""
    page.wait_for_timeout(1500)  # the symbols' entry animation, the page's late layout
    point = page.evaluate(POINT_OF, [map_id, layer, label])
    if point is None:
        return None
    page.locator(f"#{map_id}").scroll_into_view_if_needed()
    box = page.locator(f"#{map_id}").bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + point[0] - 6, box["y"] + point[1])
    page.mouse.move(box["x"] + point[0], box["y"] + point[1], steps=5)
    page.wait_for_timeout(600)
    tooltip = page.locator(f"#{map_id} div").filter(has_text="onerror")
    return tooltip.first.inner_html() if tooltip.count() else ""


AREA_OF = """([mapId, code]) => {
    const chart = ecogovMaps[mapId].chart;
    const area = chart.getOption().series[0].data.find((d) => d.code === code);
    return chart.convertToPixel({ seriesIndex: 0 }, area.center);
}"""

ALERT_LAYER = """() => ecogovMaps["region-map"].addLayer({
    key: "runtime-alerts", title: "告警（测试）", legend: "alert_level", visible: true,
    legendData: { key: "alert_level", title: "告警级别",
                  items: [{ key: "red", label: "红色", colour: "#d7263d",
                            lower: null, upper: null }] },
    features: [{ type: "Feature", geometry: { type: "Point", coordinates: [120.15, 30.28] },
                 properties: { id: 7, name: "<img src=x onerror=alert('alert')>",
                               category: "red", kind: "超标" } }],
    tooltip: [["类型", "kind"]], link: "/alerts/{id}",
})"""


def _drill_and_plug_a_layer(page: Any, server: str) -> None:
    """The province officer clicks Hangzhou on the air map and lands on Hangzhou's air map;
    on the command centre a layer plugged in at runtime (the alerts hook) joins the switcher."""
    page.goto(f"{server}/air?region=330000")
    page.wait_for_selector("#air-map[data-ready='330000']", timeout=30_000)
    page.wait_for_timeout(800)
    x, y = page.evaluate(AREA_OF, ["air-map", "330100"])
    box = page.locator("#air-map").bounding_box()
    assert box is not None
    with page.expect_navigation():
        page.mouse.click(box["x"] + x, box["y"] + y)
    page.wait_for_selector("#air-map[data-ready='330100']", timeout=30_000)
    assert "region=330100" in page.url
    page.screenshot(path=str(ARTIFACTS / "map-zhejiang-air-drilled-330100.png"), full_page=True)

    page.goto(f"{server}/?region=330100")
    page.wait_for_selector("#region-map[data-ready]", timeout=30_000)
    page.evaluate(ALERT_LAYER)
    page.wait_for_selector("#region-map[data-layer-runtime-alerts='1']")
    assert page.locator("#region-map-layers input[data-layer=runtime-alerts]").is_checked()
    assert page.locator("#region-map-legends [data-legend=alert_level]").is_visible()
    html = _hover(page, "region-map", "runtime-alerts", "alert")
    assert html is not None
    assert "&lt;img src=x" in html
    page.screenshot(path=str(ARTIFACTS / "map-zhejiang-alerts-hook.png"))


def test_map_pages_without_console_errors_and_tooltips_escape_names(demo_server: str) -> None:
    from playwright.sync_api import ConsoleMessage, Dialog, sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    dialogs: list[str] = []
    errors: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        url = (message.location or {}).get("url", "")
        if message.type == "error" and not url.endswith("favicon.ico"):
            errors.append(f"{message.text} ({url})")

    def on_dialog(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    hovered: dict[str, list[str]] = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        for username in OFFICERS:
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.on("console", on_console)
            page.on("pageerror", lambda error: errors.append(f"{error}"))
            page.on("dialog", on_dialog)
            page.goto(f"{demo_server}/login")
            page.fill("input[name=username]", username)
            page.fill("input[name=password]", PASSWORDS[username])
            page.click("#login-form button[type=submit]")
            page.wait_for_url(f"{demo_server}/")
            for path, map_id in MAP_PAGES.items():
                page.goto(f"{demo_server}{path}")
                page.wait_for_selector(f"#{map_id}[data-ready]", timeout=30_000)
                if path == "/":
                    page.wait_for_selector("#plans-map[data-ready]", timeout=30_000)
                    for layer in ("stations", "sections", "enterprises"):
                        page.check(f"#region-map-layers input[data-layer={layer}]")
                        page.wait_for_selector(f"#region-map[data-layer-{layer}]")
                page.wait_for_timeout(300)
                name = path.strip("/") or "home"
                page.screenshot(path=str(ARTIFACTS / f"map-{username}-{name}.png"), full_page=True)
                assert not page.locator(f"#{map_id} [data-error], #{map_id}[data-error]").count()
            # on the pages of Xihu, hover a station, a section and an enterprise by name
            for path, map_id, layer, label in (
                (f"/air?region={COUNTY}", "air-map", "stations", "station"),
                (f"/water?region={COUNTY}", "water-map", "sections", "section"),
                (f"/sources?region={COUNTY}", "source-map", "enterprises", "enterprise"),
            ):
                page.goto(f"{demo_server}{path}")
                page.wait_for_selector(f"#{map_id}[data-ready]", timeout=30_000)
                html = _hover(page, map_id, layer, label)
                if html is not None:
                    hovered.setdefault(username, []).append(layer)
                    assert "&lt;img src=x onerror=" in html, html
                    assert "<img" not in html, html
                    page.screenshot(path=str(ARTIFACTS / f"map-{username}-hover-{layer}.png"))
                assert page.evaluate("() => document.querySelectorAll('img[src=x]').length") == 0
            if username == "zhejiang":
                _drill_and_plug_a_layer(page, demo_server)
            page.close()
        browser.close()
    assert errors == []
    assert dialogs == []
    # Xihu has enterprises and sections in the demo: each officer hovered at least those
    for username in OFFICERS:
        assert {"enterprises", "sections"} <= set(hovered.get(username, [])), hovered
