"""Issue 17 item 1, key polluters' disclosure: anyone reads a key unit's facts, permit limits,
online hourly data against them with exceedances, and the state of the rectification items its
inspections' findings led to — through the disclosure kinds of the permission table, while the
registry itself stays closed to the public and general enterprises are not listed."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient

from ecogov.enforcement import draws, inspections
from ecogov.hj212 import disclosure as online
from ecogov.hj212.models import Record
from ecogov.platform.db import Database
from ecogov.platform.errors import NotFound, PermissionDenied
from ecogov.platform.permissions import allowed, scoped_read
from ecogov.platform.scope import ANONYMOUS, SYSTEM
from ecogov.platform.settings import Settings
from ecogov.portal import service
from ecogov.sources import service as sources
from ecogov.sources.access import REGISTRY
from ecogov.sources.disclosure import key_unit
from tests.conftest import TEST_SECRET
from tests.enforcement.support import COUNTY, INSPECTOR_B, checklist, enterprise, first_two, pool
from tests.hj212.support import Registered, store_hours
from tests.portal.test_portal import _diff

LIMIT = 50.0
CODS = ["30.0", "75.0", "80.0", "40.0", "20.0"]
"""Hourly COD means: hours 2 and 3 above the limit — one event of two hours, peak 80."""


@dataclass(frozen=True)
class KeyUnit:
    firm: int
    general: int
    device: Registered
    ref: str


@pytest.fixture
def key_unit_data(db: Database) -> KeyUnit:
    firm = enterprise(db, 1, level="provincial")
    general = enterprise(db, 2)
    draws.sync_directory(db, COUNTY, "330106")
    pool(db)
    checklist(db)
    draw_id = draws.create_draw(db, COUNTY, "330106", "抽查", {})
    draws.publish_hash(db, COUNTY, draw_id)
    draws.run_draw(db, COUNTY, draw_id, first_two)
    (task,) = draws.my_tasks(db, INSPECTOR_B)
    finding = inspections.NewFinding("废水处理设施未正常运行", "orange", "facility")
    answers = {"permit": "ok", "facility": "problem"}
    inspections.record(
        db, INSPECTOR_B, inspections.NewInspection(task.id, "routine", answers, [finding])
    )
    assert task.enterprise_id == firm, "the drawer takes the first object of the directory"
    (found,) = inspections.findings_of(db, COUNTY, firm)
    ref = inspections.to_rectification(db, COUNTY, found.id, deadline_days=15)
    outlet = sources.add_outlet(db, SYSTEM, firm, code="DW001", name="总排口", medium="water")
    mn = "330106" + "0" * 17 + "1"
    device = sources.register_device(db, SYSTEM, outlet.id, mn=mn, pw="123456")
    sources.set_permit_limit(
        db, SYSTEM, outlet.id, factor_code="w01018", limit_value=LIMIT, unit="mg/L"
    )
    registered = Registered(mn, "123456", "32", device.id, firm, outlet.id)
    store_hours(db, registered, CODS)
    return KeyUnit(firm, general, registered, ref)


@pytest.fixture
def portal(db: Database, key_unit_data: KeyUnit) -> Iterator[TestClient]:
    from ecogov.web.app import create_app

    service.clear()
    settings = Settings(database_url=db.url, secret_key=TEST_SECRET, boundary_provinces="330000")
    with TestClient(create_app(settings, db)) as client:
        yield client
    service.clear()


def test_the_public_reads_disclosures_but_not_the_registry(
    db: Database, key_unit_data: KeyUnit
) -> None:
    assert allowed(ANONYMOUS, "read", "sources.disclosure")
    assert allowed(ANONYMOUS, "read", "hj212.disclosure")
    assert allowed(ANONYMOUS, "read", "plans.rectification_disclosure")
    assert not allowed(ANONYMOUS, "read", REGISTRY)
    for kind in ("sources.disclosure", "hj212.disclosure", "plans.rectification_disclosure"):
        assert not allowed(ANONYMOUS, "create", kind)
    with pytest.raises(NotFound):  # the registry hides its rows from the public
        sources.get_enterprise(db, ANONYMOUS, key_unit_data.firm)
    with pytest.raises(PermissionDenied), scoped_read(db, ANONYMOUS, REGISTRY):
        pass
    entry, limits = key_unit(db, ANONYMOUS, key_unit_data.firm)
    assert (entry.key_level, [(lim.outlet_code, lim.limit_value) for lim in limits]) == (
        "provincial",
        [("DW001", LIMIT)],
    )


def test_online_data_are_judged_without_publishing_alerts(
    db: Database, key_unit_data: KeyUnit
) -> None:
    from ecogov.platform import alerts

    (outlet,) = online.key_unit_online(db, ANONYMOUS, key_unit_data.firm)
    (event,) = outlet.exceedances
    assert (event.factor, event.hours, event.peak, event.limit) == ("w01018", 2.0, 80.0, LIMIT)
    (cod,) = [f for f in outlet.chart.factors if f.code == "w01018"]
    assert [p[1] for p in cod.points] == [float(v) for v in CODS]
    assert cod.limit == LIMIT
    assert online.key_unit_online(db, ANONYMOUS, key_unit_data.general) == []
    with db.transaction(SYSTEM) as session:
        assert session.query(Record).count() == len(CODS)
        kinds = {a.kind for a in session.query(alerts.Alert)}
    assert not any(kind.startswith("hj212.") for kind in kinds), "a look publishes no alert"


def test_enterprise_list_is_paged_and_holds_key_units_only(
    portal: TestClient, key_unit_data: KeyUnit
) -> None:
    body = portal.get("/api/v1/public/enterprises").json()
    assert (body["total"], body["page"], body["size"]) == (1, 1, 20)
    assert [e["enterprise_id"] for e in body["enterprises"]] == [key_unit_data.firm]
    assert portal.get("/api/v1/public/enterprises?q=不存在").json()["total"] == 0
    assert portal.get("/api/v1/public/enterprises?level=national").json()["total"] == 0
    assert portal.get("/api/v1/public/enterprises?sort=-region").status_code == 200
    refused = portal.get("/api/v1/public/enterprises?sort=secret")
    assert refused.status_code == 422
    assert refused.headers["content-type"].startswith("application/problem+json")
    general = portal.get(f"/api/v1/public/enterprises/{key_unit_data.general}")
    assert general.status_code == 404
    assert "重点排污单位" in general.json()["detail"]
    page = portal.get("/portal/enterprises?q=测试印染", headers={"accept": "text/html"})
    assert page.status_code == 200
    assert f"/portal/enterprises/{key_unit_data.firm}" in page.text
    assert "enterprises-count" in page.text


def test_disclosure_holds_its_declared_fields_online_data_and_rectification_state(
    portal: TestClient, key_unit_data: KeyUnit
) -> None:
    openapi = portal.get("/api/v1/openapi.json").json()
    definitions = openapi["components"]["schemas"]
    path = f"/api/v1/public/enterprises/{key_unit_data.firm}"
    response = portal.get(path)
    assert response.status_code == 200, response.text
    declared = openapi["paths"]["/api/v1/public/enterprises/{enterprise_id}"]["get"]
    schema = declared["responses"]["200"]["content"]["application/json"]["schema"]
    body: dict[str, Any] = response.json()
    _diff(body, schema, definitions, path)
    listing = portal.get("/api/v1/public/enterprises").json()
    listed = openapi["paths"]["/api/v1/public/enterprises"]["get"]["responses"]["200"]
    _diff(listing, listed["content"]["application/json"]["schema"], definitions, "list")
    text = response.text
    for secret in (key_unit_data.device.mn, "123456", "检查员", "xh"):
        assert secret not in text, secret
    (outlet,) = body["online"]
    assert outlet["outlet_code"] == "DW001"
    assert [e["peak"] for e in outlet["exceedances"]] == [80.0]
    ((finding,),) = [i["findings"] for i in body["inspections"]]
    assert finding["rectification"]["state"] == "assigned"
    assert finding["rectification"]["state_name"] == "已交办"
    page = portal.get(f"/portal/enterprises/{key_unit_data.firm}", headers={"accept": "text/html"})
    assert page.status_code == 200
    assert 'class="hourly-chart-data"' in page.text
    assert 'data-state="assigned"' in page.text
    assert "已交办" in page.text
