"""The audit browser as an admin meets it: Chinese text as text, Chinese names of actions and
roles, one page at a time, and an export of every matching entry however many there are."""

from __future__ import annotations

import csv
import io

from fastapi.testclient import TestClient

from ecogov.platform import audit
from ecogov.platform.db import Database
from ecogov.platform.scope import SYSTEM, Role
from ecogov.web.audit_view import PAGE_SIZE, action_label
from tests.helpers import login, make_user


def _events(db: Database, count: int) -> None:
    with db.transaction(SYSTEM) as session:
        for number in range(count):
            audit.record(
                session,
                "regions.load",
                entity="region",
                entity_id=str(number),
                details={"说明": f"双随机第{number}批", "n": number},
            )


def test_chinese_text_is_shown_as_text_not_escapes(db: Database, client: TestClient) -> None:
    make_user(db, "root", Role.ADMIN)
    _events(db, 1)
    login(client, "root")
    html = client.get("/audit?action=regions.").text
    assert "双随机第0批" in html
    assert "\\u53cc" not in html
    assert "载入行政区划" in html  # the action's Chinese name, its code beside it
    assert "regions.load" in html


def test_the_browser_pages_and_the_export_holds_everything(
    db: Database, client: TestClient
) -> None:
    make_user(db, "root", Role.ADMIN)
    total = 4 * PAGE_SIZE + 7 + 1000  # more than one export batch and far more than a page
    _events(db, total)
    login(client, "root")
    first = client.get("/audit?action=regions.load").text
    assert f"{total}" in first
    assert first.count("<tr>") == PAGE_SIZE + 1  # header row + one page
    pages = -(-total // PAGE_SIZE)
    last = client.get(f"/audit?action=regions.load&page={pages}").text
    assert last.count("<tr>") == total - (pages - 1) * PAGE_SIZE + 1
    assert 'rel="next"' in first
    assert 'rel="next"' not in last
    beyond = client.get(f"/audit?action=regions.load&page={pages + 5}").text
    assert f"{pages} / {pages}" in beyond

    response = client.get("/audit.csv?action=regions.load")
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.text.lstrip("\ufeff"))))
    assert len(rows) == total
    assert {row["对象编号"] for row in rows} == {str(n) for n in range(total)}
    assert rows[0]["操作"] == "载入行政区划"
    assert rows[0]["角色"] == "平台管理员"


def test_actions_are_named_in_both_languages(db: Database) -> None:
    assert action_label("users.create") == "新建用户"
    assert action_label("users.create", "en") == "Create user"
    assert action_label("plans.task.request_closure") == "重点任务流转 · 申请销号"
    assert action_label("plan_task.update") == "修改 重点任务"
    assert action_label("unknown_code") == "unknown_code"


def test_the_export_neutralises_formulas(db: Database, client: TestClient) -> None:
    make_user(db, "root", Role.ADMIN)
    with db.transaction(SYSTEM) as session:
        audit.record(session, "regions.load", entity="region", entity_id="=HYPERLINK(1)")
    login(client, "root")
    rows = list(csv.reader(io.StringIO(client.get("/audit.csv").text.lstrip("\ufeff"))))
    cells = [cell for row in rows[1:] for cell in row]
    assert "=HYPERLINK(1)" not in cells
    assert any(cell.endswith("=HYPERLINK(1)") for cell in cells)
