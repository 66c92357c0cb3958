"""The waste API as the parties' systems and the bureau's pages call it: a manifest from creation
to receipt by its three parties, idempotent retries, refusals as problem+json (Chinese), lost
races as 409, and the Excel downloads."""

from __future__ import annotations

import io
from datetime import date

from fastapi.testclient import TestClient
from openpyxl import load_workbook

from ecogov.platform import clock
from ecogov.platform.db import Database
from ecogov.platform.scope import Role
from tests.helpers import login, make_user
from tests.waste.support import CODE, build_chain

API = "/api/v1/waste"


def test_a_manifest_through_the_api(client: TestClient, db: Database) -> None:
    chain = build_chain(db)
    make_user(db, "gen", Role.ENTERPRISE, enterprise_id=chain.generator.enterprise_id)
    make_user(db, "car", Role.ENTERPRISE, enterprise_id=chain.carrier.enterprise_id)
    make_user(db, "rec", Role.ENTERPRISE, enterprise_id=chain.receiver.enterprise_id)
    make_user(db, "out", Role.ENTERPRISE, enterprise_id=chain.outsider_enterprise)
    make_user(db, "xh", Role.COUNTY_OFFICER, "330106")
    body = {
        "generator_id": chain.generator.id,
        "carrier_id": chain.carrier.id,
        "receiver_id": chain.receiver.id,
        "waste_code": CODE,
        "shipped": 2000,
        "unit": "kg",
    }
    with clock.frozen(date(2026, 3, 2)):
        headers = {"X-CSRF-Token": login(client, "gen"), "Idempotency-Key": "erp-0001"}
        first = client.post(f"{API}/manifests", json=body, headers=headers)
        assert first.status_code == 201, first.text
        again = client.post(f"{API}/manifests", json=body, headers=headers)
        assert again.json() == first.json()
        number = first.json()["manifest_no"]
        assert first.json()["shipped_t"] == 2.0
        bad = client.post(f"{API}/manifests", json={**body, "shipped": -1}, headers=headers)
        assert bad.status_code == 422
        moved = client.post(
            f"{API}/manifests/{number}/moves", json={"action": "sign_out"}, headers=headers
        )
        assert moved.json()["status"] == "signed_out"
        stale = client.post(
            f"{API}/manifests/{number}/moves",
            json={"action": "cancel", "note": "x", "expected_version": 1},
            headers=headers,
        )
        assert stale.status_code == 409
        headers = {"X-CSRF-Token": login(client, "rec")}
        refused = client.post(
            f"{API}/manifests/{number}/moves", json={"action": "pick_up"}, headers=headers
        )
        assert refused.status_code == 403
        assert "运输单位" in refused.json()["detail"]
        headers = {"X-CSRF-Token": login(client, "car")}
        for action in ("pick_up", "deliver"):
            step = client.post(
                f"{API}/manifests/{number}/moves",
                json={"action": action, "vehicle": "浙A12345"} if action == "pick_up" else
                {"action": action},
                headers=headers,
            )  # fmt: skip
            assert step.status_code == 200, step.text
        unknown = client.post(
            f"{API}/manifests/{number}/moves", json={"action": "teleport"}, headers=headers
        )
        assert unknown.status_code == 409
        headers = {"X-CSRF-Token": login(client, "rec")}
        received = client.post(
            f"{API}/manifests/{number}/moves",
            json={"action": "receive_with_discrepancy", "received": 1.8, "discrepancy": "quantity",
                  "note": "少 1 桶"},
            headers=headers,
        )  # fmt: skip
        assert received.json()["status"] == "received_discrepancy"
        detail = client.get(f"{API}/manifests/{number}").json()
        assert [e["move"] for e in detail["events"]][-1] == "receive_with_discrepancy"
        assert detail["possible"] == ["close", "request_correction"]
        login(client, "out")
        assert client.get(f"{API}/manifests/{number}").status_code == 404
        assert client.get(f"{API}/manifests/123").status_code == 422
        login(client, "xh")
        assert [m["manifest_no"] for m in client.get(f"{API}/manifests").json()] == [number]
        sheet = client.get(f"{API}/manifests/export", params={"fmt": "xlsx"})
        assert sheet.status_code == 200
        rows = list(load_workbook(io.BytesIO(sheet.content)).active.iter_rows(values_only=True))
        assert rows[0][:3] == ("联单编号", "版本", "状态")
        assert rows[1][:3] == (number, 1, "有差异接收")
        csv_text = client.get(f"{API}/manifests/export", params={"fmt": "csv"}).text
        assert csv_text.lstrip("\ufeff").startswith("联单编号,版本,状态")
        mismatches = client.get(
            f"{API}/reconciliation", params={"start": "2026-03-01", "end": "2026-03-31"}
        ).json()
        assert [(m["kind"], m["manifest_no"]) for m in mismatches] == [
            ("goods_without_payment", number)
        ]
        for path in ("parties", "plans", "ledger", "money"):
            assert client.get(f"{API}/{path}/export").status_code == 200, path
        export = client.get(
            f"{API}/reconciliation/export", params={"start": "2026-03-01", "end": "2026-03-31"}
        )
        assert export.status_code == 200
