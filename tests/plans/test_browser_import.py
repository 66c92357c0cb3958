"""Plan import end to end in headless Chromium (issue 19's acceptance): an officer uploads a Word
copy and a PDF copy of corpus documents through the upload page, the review screen shows each
extracted target's confidence (doubtful ones first, in Chinese and in English) with its value
marked in the source sentence, and the committed plan stores the labelled targets. Screenshots
land in ``test-artifacts/``."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from ecogov.accounts.demo import load as load_demo_accounts
from ecogov.plans.corpus import Document, documents, score
from ecogov.plans.importer import PlanDraft
from ecogov.plans.importer.draft import Target
from ecogov.plans.models import Target as StoredTarget
from ecogov.platform.db import Database
from ecogov.platform.i18n import translate
from ecogov.platform.scope import SYSTEM
from ecogov.platform.settings import Settings
from ecogov.web.app import create_app
from tests.browser import ARTIFACTS, CHROMIUM, CHROMIUM_FLAGS, log_in, serve_url
from tests.plans.documents import docx_bytes, pdf_bytes

pytestmark = pytest.mark.browser

CORPUS = Path(__file__).parent / "corpus"
BY_NUMBER = {document.name[:3]: document for document in documents(CORPUS)}


@pytest.fixture
def live_server(db: Database, settings: Settings) -> Iterator[str]:
    """The platform with the demo accounts on a free loopback port."""
    if db.backend != "sqlite":
        pytest.skip("the browser flow runs once, on the embedded database")
    if CHROMIUM is None:
        pytest.skip("Chromium is not installed (Debian package `chromium`; .ci/run installs it)")
    load_demo_accounts(db)
    with serve_url(create_app(settings, db)) as url:
        yield url


def _paragraphs(document: Document) -> list[str]:
    return [line for line in document.text.splitlines() if line.strip()]


def _stored(db: Database, plan_id: int) -> PlanDraft:
    """The committed plan's targets, as a draft the corpus scorer can judge."""
    with db.transaction(SYSTEM) as session:
        rows = session.scalars(select(StoredTarget).where(StoredTarget.plan_id == plan_id)).all()
        targets = tuple(
            Target(
                row.indicator,
                row.comparator,
                row.value,
                row.unit,
                row.scope_text,
                row.year,
                row.text,
            )
            for row in rows
        )
    return PlanDraft(title=None, targets=targets)


@pytest.mark.parametrize(
    ("number", "suffix", "year"), [("014", "docx", ""), ("007", "pdf", "2022")]
)
def test_a_corpus_document_imported_through_the_page_is_reviewed_and_committed(
    live_server: str, db: Database, tmp_path: Path, number: str, suffix: str, year: str
) -> None:
    from playwright.sync_api import expect, sync_playwright

    document = BY_NUMBER[number]
    build = docx_bytes if suffix == "docx" else pdf_bytes
    upload = tmp_path / f"{document.source['title']}.{suffix}"
    upload.write_bytes(build(_paragraphs(document)))
    shot = f"plans-import-{number}-{suffix}"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        log_in(page, live_server, "zhejiang")

        page.goto(f"{live_server}/plans/drafts/new")
        page.set_input_files("#file", str(upload))
        page.select_option("#year", year)
        page.click("#upload-form button[type=submit]")
        page.wait_for_url("**/plans/drafts/*")
        expect(page.locator("#draft-status")).to_contain_text(upload.name)

        # without a period in the title the plan runs to its latest target deadline
        deadline = max(label["year"] for label in document.labels["targets"])
        expect(page.locator("#end_year")).to_have_value(str(deadline))

        # doubtful targets first, each with its confidence and its value marked in the sentence
        rows = page.locator("#targets tbody tr[data-target]")
        confidences = [rows.nth(i).get_attribute("data-confidence") for i in range(rows.count())]
        assert "high" in confidences, confidences
        assert "low" in confidences, confidences
        assert confidences == sorted(confidences, key=lambda level: level != "low")
        for language in ("zh", "en"):
            for level in ("low", "high"):
                cells = page.locator(f"#targets td.plans-confidence-{level}")
                expect(cells.first).to_have_text(
                    translate(f"plans.draft.confidence.{level}", language)
                )
            page.screenshot(path=str(ARTIFACTS / f"{shot}-{language}.png"), full_page=True)
            page.click("a[href^='/lang/']")
            page.wait_for_load_state()
        marked = page.locator("#targets tr[data-target] mark")
        assert marked.count() >= 1
        row = marked.first.locator("xpath=ancestor::tr")
        value = row.locator("input[name$='-value']").input_value()
        assert marked.first.inner_text() == value
        unbound = page.locator("#targets tr.plans-unbound")
        expect(unbound.first.locator("optgroup")).to_have_count(1)

        if not page.input_value("#title"):  # the PDF copy names no title: the reviewer gives one
            page.fill("#title", document.source["title"])
            page.click("#meta-form button[type=submit]")
            expect(page.locator("#title")).to_have_value(document.source["title"])
        page.click("#commit-form button[type=submit]")
        page.wait_for_url(re.compile(r"/plans/\d+$"))
        page.screenshot(path=str(ARTIFACTS / f"{shot}-plan.png"), full_page=True)
        plan_id = int(page.url.rsplit("/", 1)[1])
        browser.close()

    counts = score(_stored(db, plan_id), document.labels)
    assert (counts.recall, counts.precision) == (1.0, 1.0)
