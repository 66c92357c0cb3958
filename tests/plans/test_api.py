"""The plans JSON API: ledgers, workflow actions with evidence, sign-offs, scope and roles."""

from __future__ import annotations

from datetime import date, timedelta

from fastapi.testclient import TestClient

from ecogov.plans import service
from ecogov.platform.db import Database
from ecogov.platform.scope import Role
from tests.helpers import login, make_user
from tests.plans.support import small_plan, task_ids


def _as(
    client: TestClient, db: Database, username: str, role: Role, region: str | None
) -> dict[str, str]:
    """Log ``client`` in as a new user; the CSRF header for its API writes."""
    make_user(db, username, role, region, enterprise_id=7 if role is Role.ENTERPRISE else None)
    return {"X-CSRF-Token": login(client, username)}


def test_task_closed_loop_through_the_api(db: Database, client: TestClient) -> None:
    yesterday = service.beijing_today() - timedelta(days=1)
    plan = small_plan(db, "330106", [("1", yesterday.isoformat(), ("区治水办",))])
    service.escalate(db, service.beijing_today())
    task = task_ids(db, plan)["1"]
    xh = _as(client, db, "xh", Role.COUNTY_OFFICER, "330106")

    overdue = client.get("/api/v1/plans/tasks", params={"status": "overdue", "unit": "区治水办"})
    assert [row["id"] for row in overdue.json()] == [task]
    detail = client.get(f"/api/v1/plans/tasks/{task}").json()
    assert detail["task"]["status"] == "overdue"
    assert [m["name"] for m in detail["moves"]] == ["request_closure"]
    assert detail["moves"][0]["blocked"]  # no evidence yet

    refused = client.post(
        f"/api/v1/plans/tasks/{task}/actions/request_closure", json={}, headers=xh
    )
    assert refused.status_code == 409
    assert refused.headers["content-type"] == "application/problem+json"
    report = client.post(
        f"/api/v1/plans/tasks/{task}/reports",
        data={"text": "已完成清淤"},
        files=[("files", ("清淤照片.jpg", b"\xff\xd8 jpeg", "image/jpeg"))],
        headers=xh,
    )
    assert report.status_code == 201
    moved = client.post(f"/api/v1/plans/tasks/{task}/actions/request_closure", json={}, headers=xh)
    assert moved.json() == {"status": "closure_requested"}
    own = client.post(f"/api/v1/plans/tasks/{task}/actions/close", json={}, headers=xh)
    assert own.status_code == 403

    hz = _as(client, db, "hz", Role.CITY_OFFICER, "330100")
    rejected = client.post(
        f"/api/v1/plans/tasks/{task}/actions/reject_closure", json={}, headers=hz
    )
    assert rejected.status_code == 409  # a rejection needs its note
    closed = client.post(
        f"/api/v1/plans/tasks/{task}/actions/close", json={"note": "核实"}, headers=hz
    )
    assert closed.json() == {"status": "closed"}
    evidence = client.get(f"/api/v1/plans/tasks/{task}").json()["reports"][0]["evidence"][0]
    assert client.get(f"/plans/evidence/{evidence['id']}").content == b"\xff\xd8 jpeg"
    unknown = client.post(f"/api/v1/plans/tasks/{task}/actions/finish", json={}, headers=hz)
    assert unknown.status_code == 409


def test_scope_and_roles(db: Database, client: TestClient) -> None:
    plan = small_plan(db, "330106", [("1", "2026-12-31", ("区治水办",))])
    task = task_ids(db, plan)["1"]
    other = _as(client, db, "sc", Role.COUNTY_OFFICER, "330102")
    assert client.get("/api/v1/plans/tasks").json() == []
    assert client.get(f"/api/v1/plans/tasks/{task}").status_code == 404
    acted = client.post(f"/api/v1/plans/tasks/{task}/actions/start", json={}, headers=other)
    assert acted.status_code == 404  # another county's task does not exist for this officer
    reported = client.post(f"/api/v1/plans/tasks/{task}/reports", data={"text": "x"}, headers=other)
    assert reported.status_code == 404

    enterprise = _as(client, db, "ent", Role.ENTERPRISE, None)
    for path in ("/api/v1/plans", "/api/v1/plans/tasks", "/api/v1/plans/rectifications"):
        assert client.get(path).status_code == 403
    refused = client.post(f"/api/v1/plans/tasks/{task}/actions/start", json={}, headers=enterprise)
    assert refused.status_code == 403
    assert client.get("/plans", headers={"accept": "text/html"}).status_code == 403

    leader = _as(client, db, "ld", Role.LEADER, "330000")
    assert [row["id"] for row in client.get("/api/v1/plans/tasks").json()] == [task]
    started = client.post(f"/api/v1/plans/tasks/{task}/actions/start", json={}, headers=leader)
    assert started.status_code == 403

    client.cookies.clear()
    assert client.get("/api/v1/plans/tasks").status_code == 401


def test_rectification_sign_off_and_the_reading_endpoints(db: Database, client: TestClient) -> None:
    hz = _as(client, db, "hz", Role.CITY_OFFICER, "330100")
    created = client.post(
        "/api/v1/plans/rectifications",
        json={
            "region_code": "330100",
            "problem": "某河段黑臭",
            "origin": "complaint",
            "target": "消除黑臭",
            "measures": "截污纳管",
            "deadline": (date.today() - timedelta(days=2)).isoformat(),
            "unit": "市治水办",
        },
        headers=hz,
    )
    assert created.status_code == 201
    item = created.json()["id"]
    bad = client.post(
        "/api/v1/plans/rectifications",
        json={"region_code": "330100", "problem": "p", "origin": "rumour", "target": "t",
              "measures": "m", "deadline": "2026-12-31"},
        headers=hz,
    )  # fmt: skip
    assert bad.status_code == 422
    assert "origin" in bad.json()["detail"]
    client.post(
        f"/api/v1/plans/rectifications/{item}/reports",
        data={"text": "整改完成"},
        files=[("files", ("x.pdf", b"%PDF", "application/pdf"))],
        headers=hz,
    )
    client.post(f"/api/v1/plans/rectifications/{item}/actions/request_closure", json={}, headers=hz)

    zj = _as(client, db, "zj", Role.PROVINCE_OFFICER, "330000")
    verified = client.post(
        f"/api/v1/plans/rectifications/{item}/actions/verify", json={}, headers=zj
    )
    assert verified.json() == {"status": "verified"}
    assert client.post(f"/api/v1/plans/rectifications/{item}/sign-offs", headers=zj).json() == {
        "status": "verified"
    }
    ld = _as(client, db, "ld", Role.LEADER, "330000")
    assert client.get(f"/api/v1/plans/rectifications/{item}").json()["can_sign_off"] is True
    assert client.post(f"/api/v1/plans/rectifications/{item}/sign-offs", headers=ld).json() == {
        "status": "closed"
    }
    closed = client.get("/api/v1/plans/rectifications", params={"status": "closed"}).json()
    assert [(row["id"], len(row["signoffs"])) for row in closed] == [(item, 2)]

    assert client.get("/api/v1/plans/rectifications", params={"status": "lost"}).status_code == 422
    scores = client.get("/api/v1/plans/scorecard", params={"region": "330100"}).json()
    assert [(s["unit"], s["closed"], s["total"]) for s in scores] == [("市治水办", 1, 1)]
    keys = {i["key"] for i in client.get("/api/v1/plans/indicators").json()}
    assert "soil.contaminated_site_safe_use_rate" in keys
    shading = client.get(
        "/api/v1/plans/indicators/map",
        params={"indicator": "soil.contaminated_site_safe_use_rate", "region": "330100"},
    ).json()
    assert len(shading) == 13
    assert client.get("/api/v1/plans/escalations", params={"region": "330100"}).json() == []
    assert client.get("/api/v1/plans/notifications").json() == []


def test_evidence_keeps_only_the_base_name_of_an_uploaded_path(
    db: Database, client: TestClient
) -> None:
    """Defect 19: a client-sent ``../../x.txt`` was stored with its path."""
    plan = small_plan(db, "330106", [("1", None, ("区治水办",))])
    task = task_ids(db, plan)["1"]
    xh = _as(client, db, "xh", Role.COUNTY_OFFICER, "330106")
    names = ["../../x.txt", "..\\..\\windows\\照片.jpg", "/etc/passwd", ".."]
    files = [("files", (name, b"content", "text/plain")) for name in names]
    report = client.post(
        f"/api/v1/plans/tasks/{task}/reports", data={"text": "整改中"}, files=files, headers=xh
    )
    assert report.status_code == 201, report.text
    evidence = client.get(f"/api/v1/plans/tasks/{task}").json()["reports"][0]["evidence"]
    assert sorted(e["filename"] for e in evidence) == sorted(
        ["x.txt", "照片.jpg", "passwd", "evidence"]
    )
