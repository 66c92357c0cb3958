"""The issue's scenario over HTTP: a county officer publishes a draw's hash, runs the draw and
reveals the seed; an inspector records an inspection with a finding; the finding becomes a case;
the case goes through its stages to 结案 on time; the pages and the ledger export show it."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select

from ecogov.enforcement import draws, inspections
from ecogov.enforcement.models import InspectionObject
from ecogov.platform.db import Database
from ecogov.platform.scope import SYSTEM, Role
from tests.enforcement.support import enterprise
from tests.helpers import login, make_user

API = "/api/v1/enforcement"


def _people(db: Database) -> int:
    firm = enterprise(db, 1)
    make_user(db, "xh", Role.COUNTY_OFFICER, "330106")
    make_user(db, "xh2", Role.COUNTY_OFFICER, "330106")
    make_user(db, "qy", Role.ENTERPRISE, enterprise_id=firm)
    for name in ("ia", "ib"):
        user = make_user(db, name, Role.COUNTY_OFFICER, "330106")
        draws.add_inspector(
            db,
            SYSTEM,
            draws.NewInspector("330106", name, f"ZJ-{name}", "西湖分局", user_id=user.id),
        )
    inspections.add_checklist(
        db, SYSTEM, "*", "routine", "日常检查表", [("permit", "持证排污"), ("facility", "设施运行")]
    )
    return firm


def _special(db: Database) -> None:
    with db.transaction(SYSTEM) as session:
        object_id = session.scalar(select(InspectionObject.id))
    assert object_id is not None
    draws.set_category(db, SYSTEM, object_id, "special")


def _form(client: TestClient, path: str, token: str, **fields: str) -> str:
    response = client.post(path, data={"csrf_token": token, **fields}, follow_redirects=False)
    assert response.status_code == 303, response.text
    return str(response.headers["location"])


def test_draw_inspection_case_to_closing(client: TestClient, db: Database) -> None:
    firm = _people(db)
    token = login(client, "xh")
    headers = {"X-CSRF-Token": token}
    synced = client.post(f"{API}/directory/sync?region=330106", headers=headers)
    assert synced.json() == {"added": 1}
    _special(db)  # 特殊监管对象 are all drawn (100 %), so the draw finds this one
    draw_page = _form(client, "/enforcement/draws", token, title="二季度抽查", region_code="330106")
    assert "待公布哈希" in client.get(draw_page).text
    draw_id = int(draw_page.rsplit("/", 1)[1])
    _form(client, f"{draw_page}/publish-hash", token)
    page = client.get(draw_page).text
    assert "已公布种子哈希" in page
    assert 'id="seed">—' in page  # the seed stays secret
    _form(client, f"{draw_page}/run", token)
    _form(client, f"{draw_page}/publish-result", token)
    published = client.get(f"{API}/draws/{draw_id}").json()
    assert published["seed"]
    assert published["result"]["seed"] == published["seed"]
    assert published["seed"] in client.get(draw_page).text

    token = login(client, "ia")
    (task,) = client.get(f"{API}/tasks/mine").json()
    assert 'data-fragment="/enforcement/my-tasks"' in client.get("/enforcement").text
    assert f'data-task="{task["id"]}"' in client.get("/enforcement/my-tasks").text
    form = client.get(f"/enforcement/tasks/{task['id']}").text
    assert "持证排污" in form
    history_page = _form(
        client,
        f"/enforcement/tasks/{task['id']}/inspection",
        token,
        **{"answer-permit": "ok", "answer-facility": "problem"},
        finding="污染防治设施未正常运行",
        severity="orange",
        lon="120.13",
        lat="30.27",
    )
    assert history_page == f"/enforcement/enterprises/{firm}"

    token = login(client, "xh")
    headers = {"X-CSRF-Token": token}
    (finding,) = inspections.findings_of(db, SYSTEM, firm)
    assert f'action="/enforcement/findings/{finding.id}/case"' in client.get(history_page).text
    case_page = _form(
        client, f"/enforcement/findings/{finding.id}/case", token, title="未正常运行污染防治设施案"
    )
    case_id = int(case_page.rsplit("/", 1)[1])
    for move in ("investigate", "submit_review"):
        _form(client, f"{case_page}/moves/{move}", token)
    refused = client.post(f"{case_page}/moves/notify", data={"csrf_token": token})
    assert refused.status_code == 403
    assert "申请人以外" in refused.text  # the filer may not notify: shown on the page

    token = login(client, "xh2")
    headers = {"X-CSRF-Token": token}
    _form(client, f"{case_page}/moves/notify", token)
    for kind in ("decision", "service_receipt", "execution"):
        sent = client.post(
            f"{API}/cases/{case_id}/documents",
            data={"kind": kind},
            files={"file": (f"{kind}.pdf", b"%PDF-1.4", "application/pdf")},
            headers=headers,
        )
        assert sent.status_code == 201, sent.text
    _form(
        client,
        f"{case_page}/moves/decide",
        token,
        fine_yuan="100000",
        legal_basis="《中华人民共和国水污染防治法》第八十三条",
    )
    for move in ("serve", "execute", "close"):
        _form(client, f"{case_page}/moves/{move}", token)
    page = client.get(case_page).text
    assert 'data-state="closed"' in page
    assert "作出处罚决定" in page

    history = client.get(f"/enforcement/enterprises/{firm}").text
    assert "污染防治设施未正常运行" in history
    assert f"case:{case_id}" in history
    assert "结案" in history
    export = client.get(f"{API}/cases/export?fmt=csv")
    assert export.status_code == 200, export.text
    assert "案件编号" in export.content.decode("utf-8-sig")
    dashboard = client.get("/enforcement").text
    assert "案件台账" in dashboard


def test_errors_are_chinese_problems(client: TestClient, db: Database) -> None:
    _people(db)
    token = login(client, "xh")
    headers = {"X-CSRF-Token": token}
    missing = client.post(f"{API}/cases/999/moves/close", json={}, headers=headers)
    assert missing.status_code == 404
    assert missing.headers["content-type"].startswith("application/problem+json")
    assert "未找到案件" in missing.text
    bad = client.post(f"{API}/cases/1/moves/DROP TABLE", json={}, headers=headers)
    assert bad.status_code == 422
    assert client.get(f"{API}/cases/export?fmt=pdf").status_code == 422


def test_an_enterprise_user_sees_its_history_but_no_pool(client: TestClient, db: Database) -> None:
    firm = _people(db)
    draws.sync_directory(db, SYSTEM, "330106")
    login(client, "qy")
    assert client.get(f"/enforcement/enterprises/{firm}").status_code == 200
    assert client.get(f"/enforcement/enterprises/{firm + 1}").status_code == 404
    assert "执法人员工作量" in client.get("/enforcement").text
    assert "ia" not in client.get("/enforcement").text.split("执法人员工作量")[1]
