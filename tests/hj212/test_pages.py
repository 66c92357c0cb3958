"""The device page and the receiver status page."""

from __future__ import annotations

from fastapi.testclient import TestClient

from ecogov.platform.db import Database
from ecogov.platform.scope import SYSTEM, Role
from ecogov.sources import service as sources
from tests.helpers import login, make_user
from tests.hj212.support import make_devices, store_hours


def test_device_page_shows_data_exceedances_and_findings(client: TestClient, db: Database) -> None:
    (device,) = make_devices(db, 1)
    sources.set_permit_limit(
        db, SYSTEM, device.outlet_id, factor_code="w01018", limit_value=50, unit="mg/L"
    )
    store_hours(db, device, ["30.0", "75.0", "40.0"])
    make_user(db, "qiye", Role.ENTERPRISE, enterprise_id=device.enterprise_id)
    login(client, "qiye")
    page = client.get(f"/hj212/devices/{device.mn}")
    assert page.status_code == 200
    assert "2026-03-01 09:00" in page.text  # the newest hour first
    assert "75.0 mg/L" in page.text  # the exceedance's peak
    assert "数据缺失" in page.text  # 30 days judged, 3 hours reported
    assert client.get("/hj212/devices/330106FFFFFFFFFFFFFFFFFF").status_code == 404
    assert client.get("/hj212").status_code == 403  # the receiver page is for officers


def test_status_page_for_admins_lists_rejects(client: TestClient, db: Database) -> None:
    make_user(db, "admin", Role.ADMIN)
    login(client, "admin")
    page = client.get("/hj212")
    assert page.status_code == 200
    assert 'id="receiver-table"' in page.text
