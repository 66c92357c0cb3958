"""The task and rectification tables on the platform engine: their overdue clocks on a simulated
clock, their Chinese names, and refusals a county officer reads in Chinese first (defect 3)."""

from __future__ import annotations

import re
from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from ecogov.plans import service
from ecogov.plans.models import WorkflowEvent
from ecogov.plans.workflow import OPEN, RECTIFICATION, TASK, Machine, due_moves
from ecogov.platform.db import Database
from ecogov.platform.errors import Conflict
from ecogov.platform.scope import SYSTEM, Role
from tests.helpers import login, make_user
from tests.plans.support import CITY, COUNTY, EVIDENCE, small_plan, task_ids

CJK = re.compile(r"[\u4e00-\u9fff]")
DAY0 = date(2026, 6, 30)
MACHINES = {"due": TASK, "deadline": RECTIFICATION}


@given(
    attribute=st.sampled_from(sorted(MACHINES)),
    state=st.sampled_from(RECTIFICATION.states),
    due=st.none() | st.integers(-30, 30).map(lambda d: DAY0 + timedelta(days=d)),
    today=st.integers(-30, 30).map(lambda d: DAY0 + timedelta(days=d)),
)
def test_open_items_past_their_deadline_fall_due(
    attribute: str, state: str, due: date | None, today: date
) -> None:
    machine = MACHINES[attribute]
    item = SimpleNamespace(status=state, **{attribute: due})
    fired = due_moves(machine, [item], today, state_of=lambda i: str(i.status))
    overdue = state in OPEN and due is not None and today > due
    assert [(d.move.name, d.move.target) for d in fired] == (
        [("mark_overdue", "overdue")] if overdue else []
    )


@pytest.mark.parametrize("machine", [TASK, RECTIFICATION], ids=["task", "rectification"])
def test_every_state_and_move_has_a_chinese_name(machine: Machine) -> None:
    for language, expect_cjk in (("zh", True), ("en", False)):
        names = [machine.state_name(s, language) for s in machine.states]
        names += [machine.move_name(m.name, language) for m in machine.moves]
        assert all(bool(CJK.search(name)) == expect_cjk for name in names), names
    rows = machine.describe()
    assert [row.move for row in rows] == [m.name for m in machine.moves]
    assert all(CJK.search(row.actor) for row in rows)
    overdue = next(row for row in rows if row.move == "mark_overdue")
    assert overdue.clock == "已交办: 超过完成时限; 推进中: 超过完成时限; 重新打开: 超过完成时限"


def test_escalation_notes_the_deadline_in_chinese(db: Database) -> None:
    plan = small_plan(db, "330106", [("1", "2026-03-31", ("区治水办",))])
    task = task_ids(db, plan)["1"]
    service.escalate(db, date(2026, 4, 2))
    with db.transaction(SYSTEM) as session:
        event = session.scalars(select(WorkflowEvent).where(WorkflowEvent.subject_id == task)).one()
    assert (event.from_state, event.to_state, event.actor) == ("assigned", "overdue", "system")
    assert event.note == "已超过完成时限 2026-03-31，系统标记逾期"


def test_refusals_reach_the_officer_in_chinese_first(db: Database, client: TestClient) -> None:
    plan = small_plan(db, "330106", [("1", "2026-12-31", ("区治水办",))])
    task = task_ids(db, plan)["1"]
    make_user(db, "xh", Role.COUNTY_OFFICER, "330106")
    headers = {"X-CSRF-Token": login(client, "xh")}
    url = f"/api/v1/plans/tasks/{task}/actions"
    refused = client.post(f"{url}/request_closure", json={}, headers=headers)
    assert refused.status_code == 409
    detail = refused.json()["detail"]
    assert detail.startswith("“申请销号”须先提交进展情况并附至少一份佐证材料")
    assert detail.endswith(
        "（'Request closure' needs a progress report with at least one evidence file）"
    )
    wrong = client.post(f"{url}/close", json={}, headers=headers).json()["detail"]
    assert wrong.startswith("重点任务当前为“已交办”，不能“审核销号”：该操作仅适用于“申请销号”状态")
    assert "当前可办理：“开始办理”、“申请销号”" in wrong
    unknown = client.post(f"{url}/fly", json={}, headers=headers)
    assert unknown.status_code == 409
    assert unknown.json()["detail"].startswith("重点任务没有“fly”这一操作")
    with db.transaction(SYSTEM) as session:
        item = service.load_subject(session, "task", task)
        (option,) = [o for o in service.available_moves(session, COUNTY, "task", item) if o.blocked]
    assert option.name == "request_closure"
    assert option.blocked is not None
    assert option.blocked.startswith("“申请销号”须先提交")


def test_reports_on_closed_items_are_refused_in_chinese_first(db: Database) -> None:
    plan = small_plan(db, "330106", [("1", "2026-12-31", ("区治水办",))])
    task = task_ids(db, plan)["1"]
    service.add_report(db, COUNTY, "task", task, "已完成", [EVIDENCE])
    service.act(db, COUNTY, "task", task, "request_closure")
    service.act(db, CITY, "task", task, "close")
    with pytest.raises(Conflict, match="is closed: reopen it first") as refused:
        service.add_report(db, COUNTY, "task", task, "补充材料")
    assert str(refused.value).startswith("该重点任务已销号，请先重新打开再提交进展")


def test_item_page_explains_refusals_in_chinese(db: Database, client: TestClient) -> None:
    plan = small_plan(db, "330106", [("1", "2026-12-31", ("区治水办",))])
    task = task_ids(db, plan)["1"]
    make_user(db, "xh", Role.COUNTY_OFFICER, "330106")
    token = login(client, "xh")
    page = client.get(f"/plans/task/{task}").text
    button = page.split('id="move-request_closure"', 1)[1].split(">", 1)[0]
    assert 'title="“申请销号”须先提交进展情况并附至少一份佐证材料' in button
    refused = client.post(f"/plans/task/{task}/actions/request_closure", data={"csrf_token": token})
    assert refused.status_code == 409
    error = refused.text.split('id="form-error"', 1)[1].split("</", 1)[0]
    assert "“申请销号”须先提交进展情况并附至少一份佐证材料" in error
