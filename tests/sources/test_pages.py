"""The source map and the enterprise page, as a browser gets them."""

from __future__ import annotations

from fastapi.testclient import TestClient

from ecogov.platform.db import Database
from ecogov.platform.scope import SYSTEM, Role
from ecogov.regions.service import region_names
from ecogov.sources import service
from ecogov.standards.hj212.codes import factor_label
from tests.helpers import login, make_user
from tests.sources.test_service import enterprise


def test_map_list_and_enterprise_page(client: TestClient, db: Database) -> None:
    created = enterprise(db)
    outlet = service.add_outlet(
        db, SYSTEM, created.enterprise_id, code="DA001", name="锅炉", medium="gas"
    )
    service.register_device(db, SYSTEM, outlet.id, mn="330106000000000000000077", pw="123456")
    service.set_permit_limit(
        db, SYSTEM, outlet.id, factor_code="a21026", limit_value=35, unit="mg/m³", basis="converted"
    )
    assert client.get("/sources", follow_redirects=False).status_code in (303, 401)
    make_user(db, "hz", Role.CITY_OFFICER, "330100")
    login(client, "hz")
    listed = client.get("/sources")
    assert listed.status_code == 200
    assert created.name in listed.text
    assert 'id="source-map"' in listed.text
    assert created.name not in client.get("/sources", params={"q": "不存在"}).text
    page = client.get(f"/sources/enterprises/{created.enterprise_id}").text
    assert created.uscc in page
    assert 'href="/hj212/devices/330106000000000000000077"' in page
    # issue 14 defect 7: the factor and the region by name, their codes beside
    named = f"{factor_label('a21026')}</span> ≤ 35.0 mg/m³ （小时均值，折算）"
    assert named.startswith("二氧化硫(a21026)")
    assert named in page
    region = created.region_code
    name = region_names(db, SYSTEM, [region])[region]
    assert f'data-region="{region}">{name}（{region}）' in page
    assert "123456" not in page  # never the device password
