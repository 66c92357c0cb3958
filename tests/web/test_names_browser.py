"""Issue 14 defect 7 at the level it was met: in headless Chromium the demo's users open the pages
where codes used to stand alone and read names beside them — factor codes (``非甲烷总烃(a24088)``),
region codes (``西湖区（330106）``), escalation steps (``通报批评（4）``) and enterprise ids (the
enterprise's name).

One served demo (logins, pollution sources, the HJ 212 history, the plans) for the whole module;
screenshots land in ``test-artifacts/names-*.png``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

import pytest
from sqlalchemy import select

from ecogov.accounts.demo import load as load_demo_accounts
from ecogov.hj212 import demo as hj212_demo
from ecogov.plans import demo as plans_demo
from ecogov.plans.models import Task
from ecogov.plans.workflow import ESCALATION_STEPS
from ecogov.platform.alerts import Alert
from ecogov.platform.db import Database
from ecogov.platform.scope import SYSTEM
from ecogov.sources import demo as sources_demo
from ecogov.standards.hj212.codes import factor_label
from tests.browser import ARTIFACTS, CHROMIUM, chromium, log_in, serve_module
from tests.conftest import SHARED_DIR
from tests.hj212.test_demo import NOW

pytestmark = pytest.mark.browser

COUNTY, COUNTY_NAME = "330106", "西湖区"
XIHU = f"{COUNTY_NAME}（{COUNTY}）"
FACTOR_CELL = re.compile(r"[^\s(（]+\([a-w]\d{5}\)")
"""A factor as the pages name it: its Chinese name with the HJ 212 code beside."""
BARE_FACTOR = re.compile(r"(?<![(\w])[a-w]\d{5}(?![)\w])")
"""An HJ 212 factor code standing alone (not inside the parentheses beside its name)."""
BARE_REGION = re.compile(r"(?<![（\d])33\d{4}(?![）\d])")
"""A Zhejiang region code standing alone (not inside the parentheses beside its name)."""


@dataclass(frozen=True)
class Demo:
    """The served demo and the records the pages are opened on."""

    url: str
    mn: str
    enterprise_id: int
    enterprise_name: str
    factor: str
    task_id: int
    task_step: int


@pytest.fixture(scope="module")
def demo(migrated: Database) -> Iterator[Demo]:
    """Logins, sources, the HJ 212 history (with its alerts) and the plans demo, served once."""
    if migrated.backend != "sqlite":
        pytest.skip("the browser flow runs once, on the embedded database")
    if CHROMIUM is None:
        pytest.skip("Chromium is not installed (Debian package `chromium`; .ci/run installs it)")
    if not SHARED_DIR.is_dir():
        pytest.skip("../shared (the plans' seeds) not found")
    loaded: list[Demo] = []
    with serve_module(migrated, lambda: loaded.append(_load(migrated))) as url:
        yield replace(loaded[0], url=url)


def _load(db: Database) -> Demo:
    """Load the demos and pick the records the pages are opened on (the URL comes later)."""
    load_demo_accounts(db)
    sources_demo.load(db)
    hj212_demo.load(db, now=NOW)
    plans_demo.load(db)
    with db.transaction(SYSTEM) as session:
        alert = session.scalars(
            select(Alert)
            .where(Alert.kind == "hj212.exceedance", Alert.region_code == COUNTY)
            .order_by(Alert.id)
        ).first()
        task = session.scalars(
            select(Task).where(Task.escalation_step == 4).order_by(Task.id)
        ).first()
        assert alert is not None, "no HJ 212 exceedance alert of 西湖区 in the demo"
        assert alert.site_code is not None
        assert alert.enterprise_id is not None
        assert task is not None, "no task at the 通报批评 step in the plans demo"
        return Demo(
            url="",
            mn=alert.site_code,
            enterprise_id=alert.enterprise_id,
            enterprise_name=alert.site_name or "",
            factor=str(alert.evidence["factor"]),
            task_id=task.id,
            task_step=task.escalation_step,
        )


@pytest.fixture(scope="module")
def browser(demo: Demo) -> Iterator[Any]:
    """One headless Chromium for the module; each test opens its own logged-in context."""
    with chromium() as launched:
        yield launched


def _page_of(browser: Any, demo: Demo, username: str) -> Any:
    """A fresh page logged in as ``username``."""
    page = browser.new_context(viewport={"width": 1400, "height": 900}).new_page()
    log_in(page, demo.url, username)
    return page


def _shot(page: Any, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"names-{name}.png"), full_page=True)


def _text(page: Any, selector: str) -> str:
    return str(page.locator(selector).inner_text())


def test_enterprise_and_device_pages_name_factors_regions_and_the_enterprise(
    browser: Any, demo: Demo
) -> None:
    page = _page_of(browser, demo, "xihu")
    page.goto(f"{demo.url}/sources/enterprises/{demo.enterprise_id}")
    assert _text(page, "#enterprise-region") == XIHU
    permits = _text(page, "#outlet-table tbody")
    assert factor_label(demo.factor) in permits
    assert FACTOR_CELL.search(permits)
    assert not BARE_FACTOR.search(permits), permits
    _shot(page, "enterprise")

    page.click(f"a[href='/hj212/devices/{demo.mn}']")
    page.wait_for_url(f"**/hj212/devices/{demo.mn}")
    assert _text(page, "#device-enterprise") == demo.enterprise_name  # not the enterprise id
    headers = page.locator("#hourly-table thead th").all_inner_texts()
    assert headers[0] == "数据时间"
    assert len(headers) > 1
    assert all(FACTOR_CELL.fullmatch(header) for header in headers[1:]), headers
    assert factor_label(demo.factor) in headers
    exceedances = _text(page, "#exceedance-table tbody")
    assert factor_label(demo.factor) in exceedances
    assert not BARE_FACTOR.search(exceedances), exceedances
    _shot(page, "device")
    page.context.close()


def test_alerts_name_the_factor_the_region_and_the_enterprise(browser: Any, demo: Demo) -> None:
    page = _page_of(browser, demo, "xihu")
    page.click("nav.mainnav a[href='/alerts']")
    page.wait_for_url("**/alerts")
    page.select_option("#filter-kind", "hj212.exceedance")
    page.click("#alerts-filters button[type=submit]")
    page.wait_for_url("**kind=hj212.exceedance**")
    rows = page.locator("#alerts-table tbody tr[data-alert]")
    assert rows.count() > 0
    for cells in (row.locator("td").all_inner_texts() for row in rows.all()):
        assert cells[3] == COUNTY_NAME  # the region by its name, not 330106
        assert FACTOR_CELL.search(cells[2]), cells[2]
        assert not BARE_FACTOR.search(cells[2]), cells[2]
    first = rows.first
    alert_id = first.get_attribute("data-alert")
    title = first.locator("td").nth(2).inner_text()
    _shot(page, "alerts-inbox")

    first.locator("a").click()
    page.wait_for_url(f"**/alerts/{alert_id}")
    summary = _pairs(page, "#alert-summary")
    assert summary["区域"] == XIHU
    enterprise = summary["点位/对象"].rsplit(" ", 1)[0]
    assert title.startswith(enterprise)  # the enterprise by its name
    evidence = _pairs(page, "#alert-evidence")
    assert evidence["因子名称"] == factor_label(evidence["监测因子"])
    assert evidence["因子名称"] in title
    assert evidence["均值类型名称"] in {"小时均值", "日均值"}
    assert evidence["评价依据名称"] in {"实测", "折算"}  # not only measured/converted
    _shot(page, "alert-detail")
    page.context.close()


def _pairs(page: Any, table: str) -> dict[str, str]:
    """A two-column table of a page (header cell, value cell) as a mapping."""
    return dict(
        zip(
            page.locator(f"{table} th").all_inner_texts(),
            page.locator(f"{table} td").all_inner_texts(),
            strict=True,
        )
    )


def test_rectification_pages_name_regions_and_escalation_steps(browser: Any, demo: Demo) -> None:
    page = _page_of(browser, demo, "xihu")
    page.click("nav.mainnav a[href='/plans/rectification']")
    page.wait_for_url("**/plans/rectification")
    ledger = page.locator("#item-ledger tbody tr").all_inner_texts()
    assert ledger
    assert all(XIHU in row for row in ledger), ledger
    options = page.locator("#item-region option").all_inner_texts()
    assert XIHU in options  # the region picker of a new item names its regions
    assert all(re.fullmatch(r"\S+（33\d{4}）", option) for option in options), options
    _shot(page, "rectification-ledger")

    page.locator("#item-ledger tbody tr a").first.click()
    page.wait_for_url("**/plans/rectification/*")
    step = int(page.get_attribute("#escalation-step", "data-step") or 0)
    assert step > 0  # the demo's overdue item has been escalated
    assert _text(page, "#escalation-step") == f"{ESCALATION_STEPS[step - 1]}（{step}）"
    assert _text(page, "#item-region") == XIHU
    _shot(page, "rectification-item")
    page.context.close()


def test_command_centre_and_task_name_escalation_steps_and_regions(
    browser: Any, demo: Demo
) -> None:
    page = _page_of(browser, demo, "zhejiang")
    switcher = page.locator("#region-switcher option").all_inner_texts()
    assert "浙江省" in switcher
    assert "杭州市" in switcher
    assert not any(BARE_REGION.search(option) for option in switcher), switcher
    rows = page.locator("#escalations tbody tr")
    assert rows.count() > 0
    for text in rows.all_inner_texts():
        assert any(name in text for name in ESCALATION_STEPS), text
        assert not BARE_REGION.search(text), text  # the notified region too: 杭州市（330100）
    page.locator("#panel-escalations").scroll_into_view_if_needed()
    _shot(page, "command-centre")

    page.goto(f"{demo.url}/plans/task/{demo.task_id}")
    assert _text(page, "#escalation-step") == f"通报批评（{demo.task_step}）"
    region = page.locator("#item-region")
    code = region.get_attribute("data-region")
    assert code is not None
    assert re.fullmatch(rf"\S+（{code}）", region.inner_text())
    history = page.locator("#history tr[data-kind=escalation] td:last-child").all_inner_texts()
    assert len(history) == demo.task_step - 1  # steps 2, 3 and 4 were reached
    for line in history:  # the step beside its name, the days overdue said as days
        reached = re.fullmatch(r"(\S+)（(\d)）· 逾期 \d+ 天", line)
        assert reached, line
        assert ESCALATION_STEPS[int(reached[2]) - 1] == reached[1], line
    _shot(page, "task")

    page.goto(f"{demo.url}/regions")
    listed = {
        cells[0]: cells
        for cells in (
            row.locator("td").all_inner_texts()
            for row in page.locator("#region-table tbody tr").all()
        )
    }
    assert listed["330100"][1] == "杭州市"  # the code beside its name
    _shot(page, "regions")
    page.context.close()


def test_users_list_names_regions_and_enterprises(browser: Any, demo: Demo) -> None:
    page = _page_of(browser, demo, "admin")
    page.goto(f"{demo.url}/users")
    users = {
        row.locator("td").first.inner_text(): row.locator("td").all_inner_texts()
        for row in page.locator("#users-table tbody tr").all()
    }
    assert XIHU in users["xihu"]
    enterprise = users["qiye"][4]
    assert re.fullmatch(r".+有限公司（模拟）（\d+）", enterprise), enterprise
    _shot(page, "users")
    page.context.close()
