"""The complaints acceptance in headless Chromium: a member of the public files a complaint with
a photo on the portal, the place picked on the map (a typed point outside the bureau's province
refused first), and gets a receipt code; the county officer accepts it and transfers it
to a unit; an officer of the unit checks, handles and answers it; the member looks it up by the
code and sees the answer — and nothing of who complained. Screenshots in ``test-artifacts/``."""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterator
from typing import Any

import pytest

from ecogov.accounts.demo import load as load_demo_accounts
from ecogov.platform.db import Database
from ecogov.platform.scope import Role
from ecogov.platform.settings import Settings
from ecogov.web.app import create_app
from tests.browser import ARTIFACTS, CHROMIUM, chromium, log_in, serve_url
from tests.helpers import PASSWORD, make_user

pytestmark = pytest.mark.browser
ANSWER = "经现场核查，该厂废气处理设施未正常运行，已责令整改并立案调查。"


def _png() -> bytes:
    """A 2×2 grey PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\x00" + b"\x80\x80\x80" * 2 for _ in range(2))
    header = struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


@pytest.fixture
def live_server(db: Database, settings: Settings) -> Iterator[str]:
    if db.backend != "sqlite":
        pytest.skip("the browser flow runs once, on the embedded database")
    if CHROMIUM is None:
        pytest.skip("Chromium is not installed (Debian package `chromium`)")
    load_demo_accounts(db)
    make_user(db, "zhifa", Role.COUNTY_OFFICER, region_code="330106")
    with serve_url(create_app(settings, db)) as url:
        yield url


def _shot(page: Any, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"complaints-{name}.png"), full_page=True)


def _move(page: Any, move: str, **fields: str) -> None:
    form = page.locator(f"#complaint-moves form:has(button[data-move='{move}'])")
    for name, value in fields.items():
        field = form.locator(f"[name={name}]")
        if name in ("verified", "satisfaction"):
            field.select_option(value)
        else:
            field.fill(value)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()


def _fill(page: Any) -> None:
    """The form's fields but the point."""
    page.select_option("#category", "odour")
    page.fill("#region_code", "330106")
    page.fill("#text", "文三路化工厂每晚十点后排放刺鼻气味，窗户关着也能闻到。")
    page.fill("#address", "文三路 100 号")
    page.set_input_files("#photos", {"name": "夜间.png", "mimeType": "image/png", "buffer": _png()})
    page.fill("#name", "张三")
    page.fill("#phone", "13800000000")


def _pick(page: Any, lon: float, lat: float) -> None:
    """Click the picker map where the point (lon, lat) is drawn."""
    page.wait_for_selector("#complaint-map[data-ready] canvas", timeout=60_000)
    x, y = page.evaluate(
        "(point) => ecogovMaps['complaint-map'].chart.convertToPixel({geoIndex: 0}, point)",
        [lon, lat],
    )
    box = page.locator("#complaint-map").bounding_box()
    page.mouse.click(box["x"] + x, box["y"] + y)


def test_public_complaint_from_filing_to_the_answer(live_server: str) -> None:
    from playwright.sync_api import expect

    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
        page.goto(f"{live_server}/portal/complaints/new")
        _fill(page)  # a point typed outside the bureau's province (Shanghai) is refused
        page.fill("#lon", "121.47")
        page.fill("#lat", "31.23")
        with page.expect_navigation():
            page.click("#submit")
        expect(page.locator("#form-error")).to_contain_text("不在浙江省辖区内")

        _fill(page)  # the place picked on the map
        _pick(page, 120.13, 30.28)
        picked = (float(page.input_value("#lon")), float(page.input_value("#lat")))
        assert picked == pytest.approx((120.13, 30.28), abs=0.01)
        marker = page.get_attribute("#complaint-map", "data-picked")
        assert marker == f"{page.input_value('#lon')},{page.input_value('#lat')}"
        _shot(page, "1-public-fills-in")
        with page.expect_navigation():
            page.click("#submit")
        expect(page.locator("#receipt")).to_be_visible()
        code = page.locator("#receipt-code").inner_text()
        number = page.locator("#receipt-no").inner_text()
        assert len(code.replace("-", "")) == 12
        _shot(page, "2-public-gets-code")

        log_in(page, live_server, "xihu")
        page.goto(f"{live_server}/complaints")
        expect(page.locator("#complaints-map canvas").first).to_be_visible()
        page.wait_for_load_state("networkidle")
        _shot(page, "3-ledger-with-hot-spots")
        page.click(f"text={number}")
        state = page.locator("#complaint-state")
        expect(state).to_have_attribute("data-state", "registered")
        expect(page.locator("text=夜间.png")).to_be_visible()
        _move(page, "accept")
        expect(state).to_have_attribute("data-state", "accepted")
        _move(page, "assign", unit_name="西湖区生态环境执法大队")
        expect(state).to_have_attribute("data-state", "assigned")
        _shot(page, "4-county-transferred")

        page.context.clear_cookies()
        log_in(page, live_server, "zhifa", PASSWORD)
        page.goto(f"{live_server}/complaints")
        page.click(f"text={number}")
        _move(page, "check")
        _move(page, "handle", verified="yes", note="夜间突击检查，废气处理设施停运")
        _move(page, "answer", note=ANSWER)
        expect(state).to_have_attribute("data-state", "answered")
        expect(page.locator("#complaint-answer")).to_have_text(ANSWER)
        _shot(page, "5-unit-answered")

        page.context.clear_cookies()
        page.goto(f"{live_server}/portal/complaints/lookup")
        page.fill("input[name=code]", code.lower())
        with page.expect_navigation():
            page.locator("input[name=code]").press("Enter")
        body = page.locator("main").inner_text()
        assert ANSWER in body
        assert "张三" not in body
        assert "13800000000" not in body
        _shot(page, "6-public-sees-answer")
