"""The command-centre panels and the plans pages, as an officer sees them."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from ecogov.plans import service, tracking
from ecogov.plans.importer import Target
from ecogov.plans.pages import download_type
from ecogov.plans.workflow import ESCALATION_STEPS
from ecogov.platform import clock
from ecogov.platform.db import Database
from ecogov.platform.exports import attachment
from ecogov.platform.indicators import Indicator, IndicatorValue
from ecogov.platform.scope import Role
from tests.helpers import login, make_user
from tests.plans.support import CITY, COUNTY, GOOD_DAYS_TARGET, FakeAirEngine, small_plan, task_ids


def _overdue_plan(db: Database) -> int:
    """A plan of 330100 with an overdue task (escalated) and a rectification item of 330106."""
    today = clock.today()
    plan = small_plan(
        db,
        "330100",
        [("1", (today - timedelta(days=3)).isoformat(), ("市治水办",)), ("2", None, ())],
        [GOOD_DAYS_TARGET, Target(None, None, None, None, None, 2026, "水环境质量稳中向好")],
    )
    service.escalate(db, today)
    service.create_item(
        db,
        CITY,
        region_code="330106",
        problem="某河段黑臭",
        origin="complaint",
        target="消除黑臭",
        measures="清淤",
        deadline=today + timedelta(days=30),
        unit_name="区治水办",
    )
    return plan


def test_command_centre_panels(
    db: Database, client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = FakeAirEngine()
    year = clock.today().year
    engine.values[("330100", year)] = IndicatorValue(80.0, year, partial=True, elapsed_fraction=0.9)
    fake: dict[str, Indicator] = {"air.good_day_ratio": engine.indicator()}
    monkeypatch.setattr(tracking, "registry", lambda: fake)
    plan = _overdue_plan(db)
    task = task_ids(db, plan)["1"]
    make_user(db, "hz", Role.CITY_OFFICER, "330100")
    login(client, "hz")
    home = client.get("/").text
    for panel in (
        "panel-targets",
        "panel-overdue",
        "panel-items",
        "panel-escalations",
        "panel-map",
    ):
        assert f'id="{panel}"' in home, panel
    targets = home.split('id="panel-targets"', 1)[1].split("</table>", 1)[0]
    assert 'data-indicator="air.good_day_ratio" data-status="at_risk"' in targets
    assert "80 %" in targets
    assert "1 条文字目标尚未绑定指标" in home
    overdue = home.split('id="panel-overdue"', 1)[1].split("</table>", 1)[0]
    assert 'data-unit="市治水办"' in overdue
    assert f'href="/plans/task/{task}"' in overdue
    assert "某河段黑臭" in home.split('id="panel-items"', 1)[1]
    assert "书面督办" in home.split('id="panel-escalations"', 1)[1]
    # issue 14 defect 7: regions by name, code beside
    assert 'data-region="330100">杭州市（330100）</div>' in overdue
    escalations = home.split('id="panel-escalations"', 1)[1].split("</table>", 1)[0]
    assert 'data-region="330100">杭州市（330100）</span>' in escalations
    assert 'id="plans-map-indicator"' in home

    client.get("/lang/en")
    assert "Overdue tasks by lead unit" in client.get("/").text


def test_enterprises_see_no_plans_panels(db: Database, client: TestClient) -> None:
    _overdue_plan(db)
    make_user(db, "ent", Role.ENTERPRISE, None, enterprise_id=3)
    login(client, "ent")
    home = client.get("/").text
    assert "panel-" not in home
    assert "/plans" not in home  # no navigation entry either


def test_plan_ledger_and_task_pages(db: Database, client: TestClient) -> None:
    plan = _overdue_plan(db)
    task = task_ids(db, plan)["1"]
    make_user(db, "hz", Role.CITY_OFFICER, "330100")
    token = login(client, "hz")
    listed = client.get("/plans").text
    assert "测试工作要点" in listed
    assert '<td data-region="330100">杭州市（330100）</td>' in listed  # issue 14 defect 7
    page = client.get(f"/plans/{plan}").text
    assert '<span data-region="330100">杭州市（330100）</span>' in page
    assert 'data-status="unbound"' in page
    assert f'href="/plans/task/{task}"' in page
    ledger = client.get("/plans/tasks", params={"status": "overdue", "unit": "市治水办"}).text
    assert re.findall(r'data-task="(\d+)"', ledger) == [str(task)]
    assert 'id="export-xlsx"' not in ledger  # export needs a plan chosen
    assert 'id="export-xlsx"' in client.get("/plans/tasks", params={"plan": plan}).text
    bad = client.get(
        "/plans/tasks", params={"due_from": "yesterday"}, headers={"accept": "text/html"}
    )
    assert bad.status_code == 422

    item = client.get(f"/plans/task/{task}").text
    assert 'id="move-request_closure"' in item
    assert "disabled" in item.split('id="move-request_closure"', 1)[1].split(">", 1)[0]
    refused = client.post(f"/plans/task/{task}/actions/request_closure", data={"csrf_token": token})
    assert refused.status_code == 409
    assert 'id="form-error"' in refused.text
    sent = client.post(
        f"/plans/task/{task}/reports",
        data={"csrf_token": token, "text": "已完成清淤"},
        files={"files": ("现场照片.jpg", b"\xff\xd8", "image/jpeg")},
        follow_redirects=False,
    )
    assert sent.status_code == 303
    moved = client.post(
        f"/plans/task/{task}/actions/request_closure",
        data={"csrf_token": token},
        follow_redirects=True,
    )
    assert 'data-state="closure_requested"' in moved.text
    assert "现场照片.jpg" in moved.text
    assert 'data-to="closure_requested"' in moved.text
    assert 'id="move-close"' not in moved.text  # not by the one who asked for it


def test_rectification_scorecard_and_indicator_pages(db: Database, client: TestClient) -> None:
    make_user(db, "hz", Role.CITY_OFFICER, "330100")
    token = login(client, "hz")
    form = {
        "csrf_token": token,
        "region_code": "330106",
        "problem": "夜间施工噪声扰民",
        "origin": "complaint",
        "target": "夜间施工噪声达标",
        "measures": "限制夜间施工时段",
        "deadline": "",
        "unit": "区城管局",
    }
    refused = client.post("/plans/rectification", data=form)
    assert refused.status_code == 422
    assert "deadline" in refused.text
    assert "夜间施工噪声扰民" in refused.text  # the form keeps what was typed
    created = client.post(
        "/plans/rectification", data={**form, "deadline": "2026-12-31"}, follow_redirects=True
    )
    assert "夜间施工噪声扰民" in created.text
    assert 'id="move-start"' in created.text
    assert "区城管局" in client.get("/plans/rectification").text
    scores = client.get("/plans/scorecard?year=2026").text
    assert 'data-unit="区城管局"' in scores
    assert '<td data-region="330106">西湖区（330106）</td>' in scores  # issue 14 defect 7

    bad = client.post(
        "/plans/indicators",
        data={"csrf_token": token, "indicator": "soil.contaminated_site_safe_use_rate",
              "region_code": "330100", "year": "2026", "value": "95", "evidence": ""},
    )  # fmt: skip
    assert bad.status_code == 422
    assert "evidence" in bad.text
    good = client.post(
        "/plans/indicators",
        data={"csrf_token": token, "indicator": "soil.contaminated_site_safe_use_rate",
              "region_code": "330100", "year": "2026", "value": "95", "evidence": "年度报告"},
        follow_redirects=True,
    )  # fmt: skip
    assert 'data-indicator="soil.contaminated_site_safe_use_rate"' in good.text
    assert "污染地块安全利用率" in good.text
    assert '<td data-region="330100">杭州市（330100）</td>' in good.text


def test_a_county_officer_works_on_its_item(db: Database, client: TestClient) -> None:
    item = service.create_item(
        db,
        CITY,
        region_code="330106",
        problem="某河段黑臭",
        origin="inspection",
        target="消除黑臭",
        measures="清淤",
        deadline=clock.today() + timedelta(days=9),
        unit_name="区治水办",
    )
    service.add_report(db, COUNTY, "rectification", item, "已完成", [])
    make_user(db, "xh", Role.COUNTY_OFFICER, "330106")
    token = login(client, "xh")
    started = client.post(
        f"/plans/rectification/{item}/actions/start",
        data={"csrf_token": token},
        follow_redirects=True,
    )
    assert 'data-state="in_progress"' in started.text
    assert client.get("/plans/rectification/999").status_code == 404


def test_evidence_downloads_are_attachments_of_harmless_types() -> None:
    assert download_type("image/jpeg") == "image/jpeg"
    assert download_type("application/vnd.ms-excel") == "application/vnd.ms-excel"
    assert download_type("text/html; charset=utf-8") == "application/octet-stream"
    assert download_type("image/svg+xml") == "application/octet-stream"
    header = attachment('现场 "照片".jpg')
    assert header.startswith('attachment; filename="')
    assert "filename*=UTF-8''%E7%8E%B0%E5%9C%BA%20%22%E7%85%A7%E7%89%87%22.jpg" in header


def test_item_page_names_the_escalation_step_and_the_region(
    db: Database, client: TestClient
) -> None:
    """Issue 14 defect 7: 书面督办（2）, not 2; 杭州市（330100）, not 330100."""
    plan = _overdue_plan(db)
    task = task_ids(db, plan)["1"]
    make_user(db, "hz", Role.CITY_OFFICER, "330100")
    login(client, "hz")
    page = client.get(f"/plans/task/{task}").text
    step = re.search(r'<td id="escalation-step" data-step="(\d+)">([^<]*)</td>', page)
    assert step is not None
    number = int(step.group(1))
    assert number >= 1  # the overdue task was escalated
    assert step.group(2) == f"{ESCALATION_STEPS[number - 1]}（{number}）"
    region = re.search(r'<td id="item-region" data-region="330100">([^<]*)</td>', page)
    assert region is not None
    assert region.group(1) == "杭州市（330100）"


def test_rectification_ledger_names_the_region(db: Database, client: TestClient) -> None:
    """Issue 14 defect 7: the ledger shows 西湖区（330106）, not 330106."""
    _overdue_plan(db)
    make_user(db, "hz", Role.CITY_OFFICER, "330100")
    login(client, "hz")
    ledger = client.get("/plans/rectification").text
    assert '<div class="plans-muted" data-region="330106">西湖区（330106）</div>' in ledger
