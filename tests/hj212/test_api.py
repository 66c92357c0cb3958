"""The HJ 212 API: device records within scope, reverse commands, status, rejects ledger."""

from __future__ import annotations

from fastapi.testclient import TestClient

from ecogov.platform.db import Database
from ecogov.platform.scope import SYSTEM, Role
from ecogov.sources import service as sources
from tests.helpers import login, make_user
from tests.hj212.support import Client, make_devices, running_receiver, store_hours, upload


def test_records_commands_status_and_rejects(client: TestClient, db: Database) -> None:
    device, other = make_devices(db, 2)
    with running_receiver(db) as receiver:
        sender = Client(receiver.port)
        sender.send(upload(device) + upload(device, pw="999999"))
        sender.replies(2)
        sender.close()
    make_user(db, "qiye", Role.ENTERPRISE, enterprise_id=device.enterprise_id)
    token = login(client, "qiye")
    (record,) = client.get(f"/api/v1/hj212/devices/{device.mn}/records").json()
    assert record["data_time"] == "2026-03-01T08:00:00+08:00"
    assert record["values"]["w01018"] == {"Avg": 40.1, "Flag": "N"}
    assert client.get(f"/api/v1/hj212/devices/{device.mn}/records?cn=2011").json() == []
    assert client.get("/api/v1/hj212/devices/330106FFFFFFFFFFFFFFFFFF/records").status_code == 404
    refused = client.post(
        f"/api/v1/hj212/devices/{device.mn}/commands",
        json={"cn": "1011"},
        headers={"X-CSRF-Token": token},
    )
    assert refused.status_code == 403
    assert client.get("/api/v1/hj212/rejects").status_code == 403
    assert client.get("/api/v1/hj212/status").status_code == 403
    client.cookies.clear()
    make_user(db, "hz", Role.CITY_OFFICER, "330100")
    token = login(client, "hz")
    sent = client.post(
        f"/api/v1/hj212/devices/{other.mn}/commands",
        json={"cn": "2061", "begin": "2026-03-01T08:00:00", "end": "2026-03-01T12:00:00"},
        headers={"X-CSRF-Token": token},
    )
    assert sent.status_code == 201, sent.text
    assert sent.json()["params"] == {"BeginTime": "20260301080000", "EndTime": "20260301120000"}
    assert client.get(f"/api/v1/hj212/commands/{sent.json()['id']}").json()["state"] == "queued"
    (status,) = client.get("/api/v1/hj212/status").json()
    assert status["rejects_by_reason"] == {"wrong-pw": 1}
    client.cookies.clear()
    make_user(db, "admin", Role.ADMIN)
    login(client, "admin")
    (reject,) = client.get("/api/v1/hj212/rejects").json()
    assert (reject["reason"], reject["mn"]) == ("wrong-pw", device.mn)


def test_device_chart_within_scope(client: TestClient, db: Database) -> None:
    (device,) = make_devices(db, 1)
    sources.set_permit_limit(
        db, SYSTEM, device.outlet_id, factor_code="w01018", limit_value=50, unit="mg/L"
    )
    store_hours(db, device, ["30.0", "75.0", "40.0"])
    url = f"/api/v1/hj212/devices/{device.mn}/chart"
    assert client.get(url).status_code == 401
    make_user(db, "nb", Role.CITY_OFFICER, "330200")  # Ningbo: the device is in Hangzhou
    login(client, "nb")
    assert client.get(url).status_code == 404
    client.cookies.clear()
    make_user(db, "qiye", Role.ENTERPRISE, enterprise_id=device.enterprise_id)
    login(client, "qiye")
    chart = client.get(url, params={"days": 1}).json()
    assert (chart["since"], chart["until"]) == (
        "2026-02-28T11:00:00+08:00",
        "2026-03-01T11:00:00+08:00",
    )
    cod = chart["factors"][0]
    assert (cod["code"], cod["limit"], cod["unit"]) == ("w01018", 50.0, "mg/L")
    assert [point[1] for point in cod["points"]] == [30.0, 75.0, 40.0]
    assert cod["exceedances"] == [["2026-03-01T09:00:00+08:00", "2026-03-01T10:00:00+08:00"]]
    assert client.get(url, params={"days": 0}).status_code == 422
