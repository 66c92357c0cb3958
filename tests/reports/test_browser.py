"""The reports page in headless Chromium as the Zhejiang province officer: choose the province,
January 2025 and the monthly report, generate it, see it listed, download it as Word and PDF.
Screenshots in ``test-artifacts/``."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from docx import Document

from ecogov.accounts.demo import load as load_demo_accounts
from ecogov.platform.db import Database
from ecogov.platform.settings import Settings
from ecogov.web.app import create_app
from tests.browser import ARTIFACTS, CHROMIUM, chromium, log_in, serve_url

pytestmark = pytest.mark.browser


@pytest.fixture
def live_server(db: Database, settings: Settings) -> Iterator[str]:
    if db.backend != "sqlite":
        pytest.skip("the browser flow runs once, on the embedded database")
    if CHROMIUM is None:
        pytest.skip("Chromium is not installed (Debian package `chromium`)")
    from ecogov.monitoring.air import demo as air_demo
    from ecogov.monitoring.water import demo as water_demo

    load_demo_accounts(db)
    air_demo.load(db, hours=24 * 40)
    water_demo.load(db)
    with serve_url(create_app(settings, db)) as url:
        yield url


def test_province_officer_generates_and_downloads_the_monthly_report(live_server: str) -> None:
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 900}, accept_downloads=True)
        log_in(page, live_server, "zhejiang")
        page.click("a[href='/reports']")
        page.wait_for_url(f"{live_server}/reports")
        assert page.locator("#reports-table tbody td").first.inner_text() == "还没有生成报告"
        page.select_option("#report-region", "330000")
        page.select_option("#report-period", "2025-01")
        page.select_option("#report-kind", "monthly")
        page.click("#report-generate")
        page.wait_for_url(f"{live_server}/reports")
        row = page.locator("#reports-table tbody tr").first
        assert "环境质量月报" in row.inner_text()
        assert "2025-01" in row.inner_text()
        page.screenshot(path=str(ARTIFACTS / "reports-page.png"), full_page=True)
        with page.expect_download() as word:
            row.locator("a.download-docx").click()
        content = Path(word.value.path()).read_bytes()
        assert len(Document(io.BytesIO(content)).inline_shapes) == 3
        with page.expect_download() as pdf:
            row.locator("a.download-pdf").click()
        assert Path(pdf.value.path()).read_bytes().startswith(b"%PDF-")
        page.close()
