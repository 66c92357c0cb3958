"""The alerts inbox through the web app: API, pages, CSRF, scope, the map layer, bad input."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient

from ecogov.platform import alerts
from ecogov.platform.alerts import AlertDraft, AlertRule
from ecogov.platform.db import Database
from ecogov.platform.scope import SYSTEM, Principal, Role
from tests.helpers import login, make_user


def _publish(db: Database, region: str = "330106", key: str = "web:1") -> int:
    start = datetime(2026, 3, 1, tzinfo=UTC)
    (alert_id,) = alerts.publish(
        db,
        [
            AlertDraft(
                kind="water.below_target",
                severity="orange",
                title="闸口断面 2025 水质III类，未达II类目标",
                region_code=region,
                window_start=start,
                window_end=start + timedelta(days=30),
                dedupe_key=key,
                evidence={"class": "III", "target": "II"},
                link="/water/sections/HZ1",
                site_code="HZ1",
                site_name="闸口",
                lon=120.17,
                lat=30.21,
            )
        ],
    ).created
    return alert_id


def test_county_officer_inbox_detail_and_convert_by_the_page(
    db: Database, client: TestClient
) -> None:
    alert_id = _publish(db)
    _publish(db, "330102", "web:2")
    make_user(db, "xh", Role.COUNTY_OFFICER, "330106")
    token = login(client, "xh")
    page = client.get("/alerts")
    assert page.status_code == 200
    assert "预警收件箱" in page.text
    assert "橙色预警" in page.text
    assert "断面水质未达目标" in page.text
    assert "西湖区" in page.text
    assert f'data-alert="{alert_id}"' in page.text
    assert page.text.count("data-alert=") == 1  # not the other county's
    detail = client.get(f"/alerts/{alert_id}")
    assert "转为整改事项" in detail.text
    assert 'href="/water/sections/HZ1"' in detail.text
    assert "<th>水质类别</th><td>III</td>" in detail.text  # evidence fields by their names

    refused = client.post(f"/alerts/{alert_id}/convert", data={}, follow_redirects=False)
    assert refused.status_code == 403
    done = client.post(
        f"/alerts/{alert_id}/convert",
        data={"csrf_token": token, "deadline": "2026-12-31", "unit_name": ""},
        follow_redirects=False,
    )
    assert done.status_code == 303
    view = client.get(f"/api/v1/alerts/{alert_id}").json()
    assert view["status"] == "converted"
    assert view["status_name"] == "已转整改"
    assert view["converted_link"].startswith("/plans/rectification/")
    item = client.get(view["converted_link"])
    assert item.status_code == 200
    assert "2026-12-31" in item.text
    assert f'href="/alerts/{alert_id}"' in item.text  # the item links back to its alert
    assert "预警收件箱 · 西湖区" in client.get("/alerts").text


def test_api_list_filters_convert_and_map_layer(db: Database, client: TestClient) -> None:
    alert_id = _publish(db)
    make_user(db, "hz", Role.CITY_OFFICER, "330100")
    token = login(client, "hz")
    listed = client.get("/api/v1/alerts", params={"severity": "orange", "status": "open"}).json()
    assert listed["total"] == 1
    (row,) = listed["items"]
    assert (row["id"], row["kind_name"], row["severity_name"]) == (
        alert_id,
        "断面水质未达目标",
        "橙色预警",
    )
    assert row["window_start"].endswith("+08:00")
    geo = client.get("/api/v1/alerts/map.geojson", params={"region": "330100"}).json()
    assert geo["type"] == "FeatureCollection"
    assert geo["features"][0]["geometry"]["coordinates"] == [120.17, 30.21]
    kinds = client.get("/api/v1/alerts/kinds").json()
    assert {s["key"] for s in kinds["severities"]} == {"blue", "yellow", "orange", "red"}
    assert client.get("/api/v1/alerts/rules").json()[0]["min_severity"] == "red"
    converted = client.post(
        f"/api/v1/alerts/{alert_id}/convert",
        json={"unit_name": "西湖区治水办"},
        headers={"X-CSRF-Token": token},
    )
    assert converted.status_code == 200, converted.text
    assert converted.json()["ref"].startswith("rectification:")
    again = client.post(
        f"/api/v1/alerts/{alert_id}/convert", json={}, headers={"X-CSRF-Token": token}
    )
    assert again.status_code == 409
    assert "已转整改" in again.json()["detail"]


def test_bad_input_is_a_chinese_4xx(db: Database, client: TestClient) -> None:
    make_user(db, "xh", Role.COUNTY_OFFICER, "330106")
    token = login(client, "xh")
    for path in (
        "/api/v1/alerts?region=abc",
        "/api/v1/alerts?severity=purple",
        "/api/v1/alerts?page=0",
        f"/api/v1/alerts/{2**64}",
        "/api/v1/alerts/0",
    ):
        assert client.get(path).status_code == 422, path
    missing = client.get("/api/v1/alerts/999999")
    assert missing.status_code == 404
    assert "不在您的管辖范围内" in missing.json()["detail"]
    dismissed = client.post(
        "/api/v1/alerts/999999/dismiss", json={"note": ""}, headers={"X-CSRF-Token": token}
    )
    assert dismissed.status_code in (404, 422)


def test_enterprise_users_and_anonymous_callers_have_no_inbox(
    db: Database, client: TestClient
) -> None:
    _publish(db)
    assert client.get("/api/v1/alerts").status_code == 401
    make_user(db, "qy", Role.ENTERPRISE, enterprise_id=1)
    login(client, "qy")
    assert client.get("/api/v1/alerts").status_code == 403
    assert client.get("/api/v1/alerts/map.geojson").status_code == 403
    assert 'href="/alerts"' not in client.get("/").text  # no menu entry either


def test_admins_add_and_switch_off_rules(db: Database, client: TestClient) -> None:
    make_user(db, "root", Role.ADMIN)
    token = login(client, "root")
    headers = {"X-CSRF-Token": token}
    body = {"kind_pattern": "water.*", "min_severity": "orange", "source": "测试：水质预警规则"}
    created = client.post("/api/v1/alerts/rules", json=body, headers=headers)
    assert created.status_code == 201, created.text
    rule_id = created.json()["id"]
    try:
        converted = alerts.get(db, make_principal(), _publish(db))
        assert converted.status == "converted"  # orange water alert: converted by the new rule
        off = client.patch(
            f"/api/v1/alerts/rules/{rule_id}", json={"enabled": False}, headers=headers
        )
        assert off.status_code == 200
        assert alerts.get(db, make_principal(), _publish(db, key="web:9")).status == "open"
        bad = client.post(
            "/api/v1/alerts/rules",
            json={"kind_pattern": "*", "converter": "nothing", "source": "x"},
            headers=headers,
        )
        assert bad.status_code == 422
        assert "转办方式" in bad.json()["detail"]
        assert (
            client.patch("/api/v1/alerts/rules/99999", json={}, headers=headers).status_code == 404
        )
    finally:
        with db.transaction(SYSTEM) as session:
            rule = session.get(AlertRule, rule_id)
            if rule is not None:
                session.delete(rule)


def test_officers_do_not_change_rules(db: Database, client: TestClient) -> None:
    make_user(db, "hz", Role.CITY_OFFICER, "330100")
    token = login(client, "hz")
    refused = client.post(
        "/api/v1/alerts/rules",
        json={"kind_pattern": "*", "min_severity": "blue", "source": "越权"},
        headers={"X-CSRF-Token": token},
    )
    assert refused.status_code == 403
    assert "管理员" in refused.json()["detail"]


def make_principal() -> Principal:
    """The 西湖区 county officer, reading through the service."""
    return Principal("xh", Role.COUNTY_OFFICER, region_code="330106")
