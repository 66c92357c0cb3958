"""The source map and the enterprise page, as a browser gets them."""

from __future__ import annotations

import re

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


def _listed(html: str) -> list[str]:
    body = html.split('id="enterprise-table"', 1)[1].split("</table>", 1)[0]
    return re.findall(r'data-enterprise="(\d+)"', body)


def test_the_enterprise_list_is_paged_in_the_database(client: TestClient, db: Database) -> None:
    """Issue 14 defect 8: the list showed the first 500 of 2,000 demo enterprises on one page."""
    made = [enterprise(db, index) for index in range(1, 26)]
    elsewhere = enterprise(db, 99, region="330205")  # Ningbo: outside the Hangzhou officer
    make_user(db, "hz", Role.CITY_OFFICER, "330100")
    login(client, "hz")
    first = client.get("/sources").text
    by_name = sorted(made, key=lambda e: e.name)
    assert _listed(first) == [str(e.enterprise_id) for e in by_name[:20]]
    assert "共 25 条，当前第 1–20 条（第 1/2 页）" in first
    second = client.get("/sources", params={"page": 2}).text
    assert _listed(second) == [str(e.enterprise_id) for e in by_name[20:]]
    past = client.get("/sources", params={"page": 9}).text
    assert _listed(past) == _listed(second)  # past the last page: the last
    found = client.get("/sources", params={"q": "化工2", "sort": "-name"}).text
    named_2 = [e for e in reversed(by_name) if "化工2" in e.name]  # 化工2, 化工20 … 化工25
    assert _listed(found) == [str(e.enterprise_id) for e in named_2]
    assert "共 7 条" in found
    assert 'id="enterprises-pager"' not in found  # one page: no pager
    ningbo = client.get("/sources", params={"q": "99"}).text
    assert str(elsewhere.enterprise_id) not in _listed(ningbo)
    assert _listed(client.get("/sources", params={"level": "national"}).text) == []
    assert len(_listed(client.get("/sources", params={"level": "provincial"}).text)) == 20
    for params, words in (({"sort": "uscc"}, "排序列"), ({"size": "500"}, "每页行数")):
        refused = client.get("/sources", params=params, headers={"accept": "text/html"})
        assert refused.status_code == 422
        assert words in refused.text
