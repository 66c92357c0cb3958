"""End to end in headless Chromium, the issue's scenario: a county officer publishes a draw's
hash, runs the draw and reveals the seed; an inspector records an inspection with a finding on
the mobile form; the officer turns the finding into a case; a second officer (not the filer)
notifies and decides; the case is served, executed and closed within its clocks; the
enterprise's history shows every step. Screenshots land in ``test-artifacts/``."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from ecogov.enforcement import cases, draws, inspections
from ecogov.enforcement.models import InspectionObject
from ecogov.engine.enforcement.draw import seed_hash
from ecogov.platform.db import Database
from ecogov.platform.scope import SYSTEM, Role
from ecogov.platform.settings import Settings
from ecogov.web.app import create_app
from tests.browser import ARTIFACTS, CHROMIUM, CHROMIUM_FLAGS, log_in, serve_url
from tests.enforcement.support import enterprise
from tests.helpers import PASSWORD, make_user

pytestmark = pytest.mark.browser


@pytest.fixture
def firm(db: Database) -> int:
    """One special-supervision enterprise of 西湖区, two officers, two inspectors, a checklist."""
    if db.backend != "sqlite":
        pytest.skip("the browser flow runs once, on the embedded database")
    if CHROMIUM is None:
        pytest.skip("Chromium is not installed")
    firm = enterprise(db, 1)
    draws.sync_directory(db, SYSTEM, "330106")
    with db.transaction(SYSTEM) as session:
        object_id = session.scalars(select(InspectionObject.id)).one()
    draws.set_category(db, SYSTEM, object_id, "special")
    make_user(db, "xh", Role.COUNTY_OFFICER, "330106")
    make_user(db, "xh2", Role.COUNTY_OFFICER, "330106")
    for name in ("ia", "ib"):
        user = make_user(db, name, Role.COUNTY_OFFICER, "330106")
        new = draws.NewInspector(
            "330106", f"检查员{name}", f"ZJ-{name}", "西湖分局", user_id=user.id
        )
        draws.add_inspector(db, SYSTEM, new)
    inspections.add_checklist(
        db, SYSTEM, "*", "routine", "日常检查表", [("permit", "持证排污"), ("facility", "设施运行")]
    )
    return firm


@pytest.fixture
def live_server(firm: int, db: Database, settings: Settings) -> Iterator[str]:
    """The platform on a free loopback port."""
    with serve_url(create_app(settings, db)) as url:
        yield url


def test_draw_inspection_case_in_the_browser(
    live_server: str, firm: int, db: Database, tmp_path: Path
) -> None:
    from playwright.sync_api import Page, expect, sync_playwright

    def as_user(page: Page, username: str) -> None:
        page.context.clear_cookies()
        log_in(page, live_server, username, PASSWORD)

    def shot(page: Page, name: str) -> None:
        page.screenshot(path=str(ARTIFACTS / f"enforcement-{name}.png"), full_page=True)

    photo = tmp_path / "现场.jpg"
    photo.write_bytes(b"\xff\xd8\xff\xe0 simulated photo")
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})

        as_user(page, "xh")
        page.goto(f"{live_server}/enforcement")
        page.fill("#new-draw input[name=title]", "2026年第二季度双随机抽查")
        page.click("#new-draw button")
        expect(page.locator("#draw-status")).to_have_text("待公布哈希")
        page.click("#draw-next button")
        expect(page.locator("#draw-status")).to_have_text("已公布种子哈希")
        digest = page.locator("#seed-hash").inner_text()
        assert len(digest) == 64
        page.click("#draw-next button")
        expect(page.locator("#draw-status")).to_have_text("已抽取")
        expect(page.locator("#seed")).to_have_text("—")
        page.click("#draw-next button")
        expect(page.locator("#draw-status")).to_have_text("已公开结果和种子")
        seed = page.locator("#seed").inner_text()
        assert seed_hash(seed) == digest
        shot(page, "draw")

        page.set_viewport_size({"width": 390, "height": 844})  # the inspector's phone
        as_user(page, "ia")
        page.goto(f"{live_server}/enforcement")
        page.click("#my-tasks a")
        page.check("fieldset[data-item=facility] input[value=problem]")
        page.fill("textarea[name=finding]", "污染防治设施未正常运行")
        page.select_option("select[name=severity]", "orange")
        page.set_input_files("input[name=photo]", str(photo))
        shot(page, "inspection-form")
        page.click("#inspection-form button[type=submit]")
        page.wait_for_url(f"**/enforcement/enterprises/{firm}")

        page.set_viewport_size({"width": 1280, "height": 900})
        as_user(page, "xh")
        page.goto(f"{live_server}/enforcement/enterprises/{firm}")
        page.click("button[data-to=case]")
        expect(page.locator("#case-state")).to_have_attribute("data-state", "filed")
        for move in ("investigate", "submit_review"):
            page.click(f"button[data-move={move}]")
        expect(page.locator("#case-state")).to_have_attribute("data-state", "reviewing")
        case_url = page.url
        case_id = int(case_url.rsplit("/", 1)[1])
        for kind in ("decision", "service_receipt", "execution"):
            cases.add_document(db, SYSTEM, case_id, kind, f"{kind}.pdf", "application/pdf", b"%PDF")

        as_user(page, "xh2")
        page.goto(case_url)
        page.click("button[data-move=notify]")
        page.fill("input[name=fine_yuan]", "100000")
        page.fill("input[name=legal_basis]", "《中华人民共和国水污染防治法》第八十三条")
        page.click("button[data-move=decide]")
        expect(page.locator("#case-state")).to_have_attribute("data-state", "decided")
        for move in ("serve", "execute", "close"):
            page.click(f"button[data-move={move}]")
        expect(page.locator("#case-state")).to_have_attribute("data-state", "closed")
        shot(page, "case")

        page.goto(f"{live_server}/enforcement/enterprises/{firm}")
        expect(page.locator("#inspection-history")).to_contain_text("污染防治设施未正常运行")
        expect(page.locator("#case-history")).to_contain_text("结案")
        shot(page, "history")
        page.goto(f"{live_server}/enforcement")
        expect(page.locator("#case-ledger")).to_contain_text("结案")
        shot(page, "dashboard")
        browser.close()
