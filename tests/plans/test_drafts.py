"""The review flow through the pages and the API: upload → edit → commit, every step audited,
bad input shown on the form."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy import select

from ecogov.plans.models import Plan, PlanDraftRecord, Target
from ecogov.plans.models import Task as TaskRow
from ecogov.platform.audit import AuditEntry
from ecogov.platform.db import Database
from ecogov.platform.scope import SYSTEM, Role
from tests.helpers import csrf_from, login, make_user

PLAN_TEXT = """2026年西湖区生态环境工作要点
一、主要目标
到2026年，全区空气质量优良天数比率达到90%以上，PM2.5平均浓度控制在30微克/立方米以内，水环境质量持续稳中向好。
二、重点任务
1.推进工业废气治理。完成10家企业挥发性有机物治理。
2.推进河道综合整治。2026年6月底前完成5条河道清淤。
"""


def _upload(
    client: TestClient,
    token: str,
    text: str = "",
    files: dict[str, tuple[str, bytes]] | None = None,
) -> int:
    """Upload a plan (pasted text or a file) for 330106; the new draft's id."""
    response = client.post(
        "/plans/drafts",
        data={"csrf_token": token, "region_code": "330106", "text": text},
        files=files,
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    match = re.fullmatch(r"/plans/drafts/(\d+)", response.headers["location"])
    assert match
    return int(match.group(1))


def test_upload_review_edit_and_commit(db: Database, client: TestClient) -> None:
    make_user(db, "xh", Role.COUNTY_OFFICER, "330106")
    token = login(client, "xh")
    draft_id = _upload(client, token, files={"file": ("plan.txt", PLAN_TEXT.encode("gb18030"))})
    review = client.get(f"/plans/drafts/{draft_id}").text
    assert "2026年西湖区生态环境工作要点" in review
    assert " · 西湖区（330106） · " in review  # the region by name (issue 14 defect 7)
    assert review.count('class="plans-unbound"') == 1  # the text target, highlighted
    assert 'id="commit-form"' in review

    # bind the text target, correct a value, drop nothing
    targets = {
        "csrf_token": token,
        "target-0-indicator": "air.good_day_ratio",
        "target-0-comparator": ">=",
        "target-0-value": "92",
        "target-0-unit": "%",
        "target-0-year": "2026",
        "target-1-indicator": "air.pm25_annual_mean",
        "target-1-comparator": "<=",
        "target-1-value": "30",
        "target-1-unit": "µg/m³",
        "target-1-year": "2026",
        "target-2-indicator": "",
        "target-2-drop": "1",
    }
    saved = client.post(f"/plans/drafts/{draft_id}/targets", data=targets, follow_redirects=False)
    assert saved.status_code == 303
    section = {
        "csrf_token": token,
        "task-0-lead": "区生态环境分局、区经信局",
        "task-0-co": "",
        "task-0-due": "2026-09-30",
        "task-1-lead": "区治水办",
        "task-1-co": "区农业农村局",
        "task-1-due": "2026-06",
    }
    saved = client.post(
        f"/plans/drafts/{draft_id}/sections/1", data=section, follow_redirects=False
    )
    assert saved.status_code == 303
    meta = {
        "csrf_token": token,
        "title": "2026年西湖区生态环境工作要点",
        "start_year": "2026",
        "end_year": "2026",
    }
    assert (
        client.post(f"/plans/drafts/{draft_id}/meta", data=meta, follow_redirects=False).status_code
        == 303
    )

    committed = client.post(
        f"/plans/drafts/{draft_id}/commit", data={"csrf_token": token}, follow_redirects=False
    )
    assert committed.status_code == 303
    plan_path = committed.headers["location"]
    page = client.get(plan_path).text
    assert "区生态环境分局" in page
    assert "2026-09-30" in page
    with db.transaction(SYSTEM) as session:
        plan = session.scalars(select(Plan)).one()
        targets_stored = session.scalars(select(Target).order_by(Target.id)).all()
        tasks = session.scalars(select(TaskRow).order_by(TaskRow.id)).all()
        record = session.scalars(select(PlanDraftRecord)).one()
        actions = set(session.scalars(select(AuditEntry.action)))
    assert plan_path == f"/plans/{plan.id}"
    assert plan.region_code == "330106"
    assert [(t.indicator, t.value) for t in targets_stored] == [
        ("air.good_day_ratio", 92),
        ("air.pm25_annual_mean", 30),
    ]
    assert [str(t.due) for t in tasks] == ["2026-09-30", "2026-06-30"]
    assert record.status == "committed"
    assert record.plan_id == plan.id
    assert {"plans.draft.upload", "plans.draft.edit", "plans.draft.commit"} <= actions

    again = client.post(f"/plans/drafts/{draft_id}/commit", data={"csrf_token": token})
    assert again.status_code == 409
    assert "already committed" in again.text


def test_bad_input_is_shown_on_the_form(db: Database, client: TestClient) -> None:
    make_user(db, "xh", Role.COUNTY_OFFICER, "330106")
    token = login(client, "xh")
    empty = client.post(
        "/plans/drafts", data={"csrf_token": token, "region_code": "330106", "text": " "}
    )
    assert empty.status_code == 422
    assert 'id="form-error"' in empty.text
    assert "empty" in empty.text
    draft_id = _upload(client, token, text=PLAN_TEXT)
    bad_value = client.post(
        f"/plans/drafts/{draft_id}/targets",
        data={
            "csrf_token": token,
            "target-0-indicator": "air.good_day_ratio",
            "target-0-value": "九十",
        },
    )
    assert bad_value.status_code == 422
    assert "目标 1 数值" in bad_value.text
    bad_due = client.post(
        f"/plans/drafts/{draft_id}/sections/1",
        data={"csrf_token": token, "task-0-due": "2026-13"},
    )
    assert bad_due.status_code == 422
    assert "任务 二.1：完成时限" in bad_due.text
    outside = client.post(
        "/plans/drafts", data={"csrf_token": token, "region_code": "330102", "text": PLAN_TEXT}
    )
    assert outside.status_code in (403, 404)


def test_the_api_edits_a_draft_as_json(db: Database, client: TestClient) -> None:
    make_user(db, "hz", Role.CITY_OFFICER, "330100")
    login(client, "hz")
    token = csrf_from(client.get("/plans").text)
    headers = {"X-CSRF-Token": token}
    created = client.post(
        "/api/v1/plans/drafts",
        json={"region_code": "330100", "text": PLAN_TEXT, "source_name": "要点.txt"},
        headers=headers,
    )
    assert created.status_code == 201
    draft_id = created.json()["id"]
    body = client.get(f"/api/v1/plans/drafts/{draft_id}").json()
    draft = body["draft"]
    assert draft["targets"][2]["indicator"] is None
    draft["targets"] = draft["targets"][:2]
    draft["sections"][1]["tasks"][0]["lead_units"] = ["市生态环境局"]
    edited = client.put(
        f"/api/v1/plans/drafts/{draft_id}", json={"draft": draft, "end_year": 2027}, headers=headers
    )
    assert edited.status_code == 200, edited.text
    broken = client.put(
        f"/api/v1/plans/drafts/{draft_id}", json={"draft": {"title": "x"}}, headers=headers
    )
    assert broken.status_code == 422
    assert broken.headers["content-type"] == "application/problem+json"
    committed = client.post(f"/api/v1/plans/drafts/{draft_id}/commit", headers=headers)
    plan = client.get(f"/api/v1/plans/{committed.json()['plan_id']}").json()
    assert plan["plan"]["end_year"] == 2027
    assert len(plan["targets"]) == 2


def test_a_draft_keeps_only_the_base_name_of_its_source(db: Database, client: TestClient) -> None:
    """Defect 19: names sent with a path (``../../x``) were stored with it."""
    make_user(db, "hz", Role.CITY_OFFICER, "330100")
    login(client, "hz")
    headers = {"X-CSRF-Token": csrf_from(client.get("/plans").text)}
    created = client.post(
        "/api/v1/plans/drafts",
        json={"region_code": "330100", "text": PLAN_TEXT, "source_name": "..\\..\\x/要点.txt"},
        headers=headers,
    )
    assert created.status_code == 201, created.text
    draft = client.get(f"/api/v1/plans/drafts/{created.json()['id']}").json()
    assert draft["source_name"] == "要点.txt"


def test_unbound_targets_get_ranked_indicator_suggestions() -> None:
    from ecogov.plans.drafts import suggest_indicators
    from ecogov.platform.indicators import registry

    known = list(registry().values())
    keys = [i.key for i in suggest_indicators("地级及以上城市空气质量优良天数比率达到80%", known)]
    assert keys[:1] == ["air.good_day_ratio"]
    assert suggest_indicators("xyz", known) == []


def test_review_order_puts_doubtful_targets_first() -> None:
    from ecogov.plans.drafts import review_order
    from ecogov.plans.importer import parse_plan

    draft = parse_plan("到2025年，森林覆盖率达到45%以上，人均公园绿地面积达到16.7%。", year=2021)
    order = review_order(draft)
    assert [draft.targets[i].confidence for i in order] == ["low", "high"]
