"""The waste acceptance in headless Chromium: one manifest from creation to signed with a
discrepancy — filled in by the generator, picked up and delivered by the carrier, weighed short
and closed by the receiver — seen by each of the three parties and the county officer; and a
storage-age alert of the checks turned into a rectification item by the county officer.
Screenshots of every step in ``test-artifacts/``."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import polars as pl
import pytest

from ecogov.accounts.demo import load as load_demo_accounts
from ecogov.engine.waste import SCHEMAS, WasteFrames, configure
from ecogov.platform import clock
from ecogov.platform.db import Database
from ecogov.platform.scope import Role
from ecogov.platform.settings import Settings
from ecogov.sources import demo as sources_demo
from ecogov.waste import demo as waste_demo
from ecogov.waste.alerts import check_and_publish
from ecogov.web.app import create_app
from tests.browser import ARTIFACTS, CHROMIUM, CHROMIUM_FLAGS, PASSWORDS, serve_url
from tests.helpers import PASSWORD, make_user
from tests.waste.support import CODE, Chain, build_chain

pytestmark = pytest.mark.browser
USERS = {"gen": "generator", "car": "carrier", "rec": "receiver"}


def _row(table: str, **values: object) -> pl.DataFrame:
    """A one-row frame of a bundle table (columns not given are empty)."""
    schema = SCHEMAS[table]
    return pl.DataFrame({c: [values.get(c)] for c in schema}, schema=dict(schema))


@pytest.fixture
def chain(db: Database) -> Chain:
    """The test chain, a login per party, the demo officers, and a storage-age finding of the
    generator (a batch stored in 400 days ago) published to the inbox."""
    if db.backend != "sqlite":
        pytest.skip("the browser flow runs once, on the embedded database")
    if CHROMIUM is None:
        pytest.skip("Chromium is not installed (Debian package `chromium`; .ci/run installs it)")
    chain = build_chain(db)
    for username, role in USERS.items():
        make_user(db, username, Role.ENTERPRISE, enterprise_id=getattr(chain, role).enterprise_id)
    load_demo_accounts(db)
    today = clock.today()
    frames = WasteFrames.of(
        parties=_row("parties", party_id=chain.generator.party_code, kind="generator",
                     region_code="330106", small_generator=0),
        ledger=_row("ledger", entry_id="E1", party_id=chain.generator.party_code,
                    date=today - timedelta(days=400), waste_code=CODE, stage="stored_in",
                    quantity_t=3.5),
    )  # fmt: skip
    run = check_and_publish(db, frames, configure(), today)
    assert run.findings["rule"].to_list() == ["storage_age"]
    return chain


@pytest.fixture
def live_server(chain: Chain, db: Database, settings: Settings) -> Iterator[str]:
    with serve_url(create_app(settings, db)) as url:
        yield url


def _log_in(page: Any, server: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{server}/login")
    page.fill("input[name=username]", username)
    known = {**PASSWORDS, **dict(waste_demo.DEMO_USERS.values())}
    page.fill("input[name=password]", known.get(username, PASSWORD))
    page.click("#login-form button[type=submit]")
    page.wait_for_url(f"{server}/")


def _shot(page: Any, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"waste-{name}.png"), full_page=True)


def _move(page: Any, move: str, **fields: str) -> None:
    form = page.locator(f"form.move-form[data-move='{move}']")
    for name, value in fields.items():
        field = form.locator(f"[name={name}]")
        if name in ("discrepancy", "vehicle"):
            field.select_option(value)
        else:
            field.fill(value)
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()


def test_manifest_from_creation_to_signed_with_a_discrepancy(
    live_server: str, chain: Chain
) -> None:
    from playwright.sync_api import expect, sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        status = page.locator("#manifest-status")

        _log_in(page, live_server, "gen")
        page.goto(f"{live_server}/waste/parties/{chain.generator.party_code}")
        form = page.locator("#new-manifest")
        form.locator("[name=receiver_id]").select_option(str(chain.receiver.id))
        form.locator("[name=waste_code]").fill(CODE)
        form.locator("[name=shipped]").fill("2000")
        form.locator("[name=unit]").select_option("kg")
        form.locator("[name=packaging]").fill("桶装 200 L × 10")
        _shot(page, "1-generator-fills-in")
        form.locator("button[type=submit]").click()
        page.wait_for_url(f"{live_server}/waste/manifests/*")
        number = page.url.rsplit("/", 1)[1]
        expect(status).to_have_attribute("data-status", "draft")
        expect(page.locator("#manifest-shipped")).to_have_text("2.0")
        _move(page, "sign_out")
        expect(status).to_have_attribute("data-status", "signed_out")
        _shot(page, "2-generator-signed-out")

        _log_in(page, live_server, "car")
        page.goto(f"{live_server}/waste/manifests/{number}")
        _move(page, "pick_up", vehicle="浙A54321")
        expect(status).to_have_attribute("data-status", "in_transit")
        _move(page, "deliver")
        expect(status).to_have_attribute("data-status", "delivered")
        _shot(page, "3-carrier-delivered")

        _log_in(page, live_server, "rec")
        page.goto(f"{live_server}/waste/manifests/{number}")
        expect(page.locator("form.move-form[data-move='close']")).to_have_count(0)
        # a move not offered, submitted anyway (a stale or forged form): refused in Chinese
        with page.expect_navigation():
            page.evaluate(
                "() => { const f = document.querySelector('form.move-form');"
                " f.querySelector('[name=action]').value = 'close'; f.submit(); }"
            )
        expect(page.locator("#move-error")).to_contain_text("联单")
        expect(status).to_have_attribute("data-status", "delivered")
        _shot(page, "4-receiver-refused-out-of-turn")
        page.goto(f"{live_server}/waste/manifests/{number}")
        _move(
            page,
            "receive_with_discrepancy",
            received="1.85",
            discrepancy="quantity",
            note="过磅 1.85 吨，少 0.15 吨；桶 3 渗漏",
        )
        expect(status).to_have_attribute("data-status", "received_discrepancy")
        _move(page, "close")
        expect(status).to_have_attribute("data-status", "closed")
        _shot(page, "5-receiver-closed")

        for user in ("gen", "car", "rec", "xihu"):
            _log_in(page, live_server, user)
            page.goto(f"{live_server}/waste/manifests/{number}")
            expect(status).to_have_attribute("data-status", "closed")
            expect(page.locator("#manifest-received")).to_have_text("1.85")
            expect(page.locator("#manifest-discrepancy")).to_have_text("数量差异")
            expect(page.locator("#manifest-vehicle")).to_have_text("浙A54321")
            timeline = page.locator("#manifest-timeline li")
            expect(timeline).to_have_count(6)
            expect(page.locator("#manifest-timeline")).to_contain_text("少 0.15 吨")
            _shot(page, f"6-seen-by-{user}")

        _log_in(page, live_server, "xihu")
        page.goto(f"{live_server}/alerts?kind=waste.storage_age")
        page.locator("a[href^='/alerts/']").filter(has_text="贮存超期").first.click()
        page.wait_for_url(f"{live_server}/alerts/*")
        _shot(page, "7-storage-age-alert")
        page.locator("#convert").click()
        page.wait_for_load_state()
        expect(page.locator("#alert-item")).to_be_visible()
        page.locator("#alert-item").click()
        page.wait_for_url(f"{live_server}/plans/rectification/*")
        expect(page.locator("body")).to_contain_text("贮存超期")
        _shot(page, "8-rectification-item")
        browser.close()


@pytest.fixture
def demo_server(db: Database, settings: Settings) -> Iterator[str]:
    """The platform with the accounts, sources and waste demos loaded."""
    if db.backend != "sqlite":
        pytest.skip("the browser flow runs once, on the embedded database")
    if CHROMIUM is None:
        pytest.skip("Chromium is not installed (Debian package `chromium`; .ci/run installs it)")
    load_demo_accounts(db)
    sources_demo.load(db)
    waste_demo.load(db)
    with serve_url(create_app(settings, db)) as url:
        yield url


def test_the_demo_region_dashboard(demo_server: str) -> None:
    from playwright.sync_api import expect, sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    year = waste_demo.demo_year()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        _log_in(page, demo_server, "zhejiang")
        page.goto(f"{demo_server}/waste?period={year}")
        expect(page.locator("#waste-sankey canvas")).to_have_count(1)
        expect(page.locator("#waste-map canvas")).to_have_count(1)
        expect(page.locator("#waste-rate")).to_contain_text("%")
        expect(page.locator("#waste-findings tbody tr")).to_have_count(17)
        page.wait_for_timeout(1500)
        _shot(page, "9-region-dashboard")
        page.locator("#waste-generators a").first.click()
        page.wait_for_url(f"{demo_server}/waste/parties/*")
        expect(page.locator("#party-stock .age-bar").first).to_be_visible()
        _shot(page, "10-generator-page")
        _log_in(page, demo_server, "jieshou")
        page.goto(f"{demo_server}/waste/manifests")
        page.locator("#manifest-table a").first.click()
        page.wait_for_url(f"{demo_server}/waste/manifests/*")
        expect(page.locator("#manifest-timeline li")).to_have_count(6)
        _shot(page, "11-receiver-demo-manifest")
        _log_in(page, demo_server, "zhejiang")
        page.goto(f"{demo_server}/alerts?kind=waste.route_deviation")
        page.locator("a[href^='/alerts/']").filter(has_text="路线偏离").first.click()
        page.wait_for_url(f"{demo_server}/alerts/*")
        page.locator("#alert-link").click()
        page.wait_for_url(f"{demo_server}/waste/manifests/*")
        expect(page.locator("#manifest-waste")).to_contain_text(" HW")
        expect(
            page.locator("#manifest-findings tr[data-kind='waste.route_deviation']")
        ).to_have_count(1)
        expect(page.locator("#manifest-track tbody tr").first).to_contain_text(".")
        _shot(page, "12-deviating-manifest")
        browser.close()
