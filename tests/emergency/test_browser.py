"""The emergency pages in headless Chromium as Hangzhou's city officer: the warnings list with
the level in force, a lifted warning's trail and review, a suggested warning published through
its form, the reduction list, and the water early-warning list. Screenshots in
``test-artifacts/``."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from ecogov.accounts.demo import load as load_demo_accounts
from ecogov.emergency import service
from ecogov.monitoring.air import demo as air_demo
from ecogov.monitoring.water.models import Observation
from ecogov.platform.db import Database
from ecogov.platform.scope import SYSTEM
from ecogov.platform.settings import Settings
from ecogov.sources.demo import demo_uscc
from ecogov.standards.timebase import BEIJING
from ecogov.web.app import create_app
from tests.browser import ARTIFACTS, CHROMIUM, chromium, log_in, serve_url
from tests.emergency.test_review import START, _forecast
from tests.emergency.test_warnings import CITY, forecast
from tests.hj212.support import make_devices, store_hours
from tests.monitoring.water.test_earlywarning import _section, seasonal

pytestmark = pytest.mark.browser


@pytest.fixture
def live_server(db: Database, settings: Settings) -> Iterator[tuple[str, int]]:
    if db.backend != "sqlite":
        pytest.skip("the browser flow runs once, on the embedded database")
    if CHROMIUM is None:
        pytest.skip("Chromium is not installed (Debian package `chromium`)")
    load_demo_accounts(db)
    air_demo.load(db, hours=24 * 25)
    device = make_devices(db, 1, "330106")[0]
    start = datetime.combine(START, datetime.min.time(), BEIJING)
    store_hours(db, device, ["40"] * 24, start - timedelta(days=3))
    store_hours(db, device, ["12"] * 24, start + timedelta(hours=2))
    uscc = demo_uscc(90_001, "330106")
    table = (
        "统一社会信用代码,预警级别,限产比例,减排措施,减排因子\n"
        f"{uscc},黄色,30,印染生产线限产30%,w01018\n{uscc},橙色,50,印染生产线限产50%,w01018\n"
    )
    service.import_measures(db, CITY, "清单.csv", table.encode())
    lifted = service.suggest(db, CITY, "330100", _forecast)
    assert lifted is not None
    service.decide(db, CITY, lifted, "publish", "会商后发布黄色预警", "yellow")
    service.decide(db, CITY, lifted, "adjust", "PM2.5预报上升，升级为橙色", "orange")
    service.decide(db, CITY, lifted, "lift", "连续36小时低于黄色预警条件")
    current = service.suggest(db, CITY, "330100", forecast(230, 280, 260))
    assert current is not None
    section_id = _section(db)
    with db.transaction(SYSTEM) as session:
        for day, value in seasonal(36, 0.6, 0.15, 0.1, noise=0.05):
            at = datetime(day.year, day.month, 10, tzinfo=UTC)
            session.add(
                Observation(section_id=section_id, parameter="w21003", value=value, time=at)
            )
    with serve_url(create_app(settings, db)) as url:
        yield url, lifted


def test_the_city_officer_decides_and_reviews(live_server: tuple[str, int]) -> None:
    url, lifted = live_server
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        log_in(page, url, "hangzhou")
        assert page.locator('nav a[href="/emergency"]').count() >= 1
        page.goto(f"{url}/emergency")
        page.screenshot(path=str(ARTIFACTS / "emergency-list.png"), full_page=True)
        assert page.locator("#suggest-form").is_visible()  # the forecast domain is installed
        page.goto(f"{url}/emergency/{lifted}")
        assert page.locator("#review-emissions").is_visible()
        page.screenshot(path=str(ARTIFACTS / "emergency-lifted.png"), full_page=True)
        page.goto(f"{url}/emergency")
        page.click("#warnings-table tr[data-id]:first-child a")
        page.fill('input[data-note="publish"]', "指挥部会商，发布橙色预警")
        page.select_option('select[data-level-for="publish"]', "orange")
        page.click('button[data-move="publish"]')
        page.wait_for_selector('#warning-state[data-state="published"]')
        page.screenshot(path=str(ARTIFACTS / "emergency-published.png"), full_page=True)
        page.goto(f"{url}/emergency")
        assert page.locator('#in-force [data-level="orange"]').count() == 1
        page.screenshot(path=str(ARTIFACTS / "emergency-in-force.png"), full_page=True)
        page.goto(f"{url}/emergency/reductions")
        page.screenshot(path=str(ARTIFACTS / "emergency-reductions.png"), full_page=True)
        page.goto(f"{url}/water/early-warning")
        assert page.locator('#early-warning-table tr[data-code="T01"]').count() == 1
        page.screenshot(path=str(ARTIFACTS / "water-early-warning.png"), full_page=True)
