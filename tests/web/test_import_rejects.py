"""The import rejects page (导入拒收记录): runs and rejected rows in the user's region, filtered
by run, exported as CSV and Excel; reached from the water import page."""

from __future__ import annotations

import io

from fastapi.testclient import TestClient
from openpyxl import load_workbook

from ecogov.monitoring.water import service
from ecogov.platform import rejects
from ecogov.platform.db import Database
from ecogov.platform.scope import SYSTEM, Role
from tests.helpers import login, make_user

REGISTRY = """code,name,water_name,water_body,basin,region_code,target_class
HZ1,闸口,钱塘江,river,钱塘江,330102,II
NB1,三江口,甬江,river,甬江,330203,III
"""
BAD = b"section,time,parameter,value\nHZ1,2025-06-10,TP,0.03\nHZ1,2025-06-10,TN,x\n"


def _upload(client: TestClient, token: str, name: str, skip: bool) -> int:
    data = {"kind": "long", "csrf_token": token}
    if skip:
        data["skip_bad_rows"] = "true"
    return client.post("/water/import/form", data=data, files={"files": (name, BAD)}).status_code


def test_rejects_are_browsable_and_exportable(db: Database, client: TestClient) -> None:
    service.import_files(db, SYSTEM, "sections", [("sections.csv", REGISTRY.encode())])
    make_user(db, "hz", Role.CITY_OFFICER, "330100")
    token = login(client, "hz")
    form = client.get("/water/import/form").text
    assert 'href="/imports/rejects?domain=water"' in form
    assert 'name="skip_bad_rows"' in form
    assert _upload(client, token, "refused.csv", skip=False) == 422
    assert _upload(client, token, "partial.csv", skip=True) == 200

    page = client.get("/imports/rejects")
    assert page.status_code == 200
    html = page.text
    assert "导入拒收记录" in html
    assert "已拒收" in html
    assert "部分导入" in html
    assert "refused.csv" in html
    assert "partial.csv" in html
    assert "“x”不是数字" in html

    hz = [r for r in rejects.runs(db, SYSTEM) if r.actor == "hz"]
    assert [(r.file, r.status, r.region_code) for r in hz] == [
        ("partial.csv", "partial", "330100"),
        ("refused.csv", "refused", "330100"),
    ]
    one = client.get(f"/imports/rejects?run={hz[1].id}").text
    assert one.count("“x”不是数字") == 1
    english = client.get(f"/imports/rejects?run={hz[1].id}&lang=en").text
    assert "&#39;x&#39; is not a number" in english

    csv = client.get(f"/imports/rejects.csv?run={hz[1].id}")
    assert csv.status_code == 200
    assert csv.headers["content-type"].startswith("text/csv")
    lines = csv.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "导入批次,文件,行号,列,值,原因,Reason"
    assert lines[1] == f"{hz[1].id},refused.csv,3,value,x,“x”不是数字,'x' is not a number"
    xlsx = client.get("/imports/rejects.xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.content)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("导入批次", "文件", "行号")
    assert len(rows) == 3  # both runs' rejected row
    assert client.get("/imports/rejects.pdf").status_code == 422

    api_runs = client.get("/api/v1/imports/runs?domain=water").json()
    assert [(r["file"], r["status"]) for r in api_runs] == [
        ("partial.csv", "partial"),
        ("refused.csv", "refused"),
    ]
    api_rejects = client.get(f"/api/v1/imports/rejects?run={hz[1].id}").json()
    assert api_rejects == [
        {
            "run_id": hz[1].id,
            "file": "refused.csv",
            "row": 3,
            "column": "value",
            "value": "x",
            "reason_zh": "“x”不是数字",
            "reason_en": "'x' is not a number",
        }
    ]


def test_rejects_of_another_region_are_invisible(db: Database, client: TestClient) -> None:
    service.import_files(db, SYSTEM, "sections", [("sections.csv", REGISTRY.encode())])
    make_user(db, "hz", Role.CITY_OFFICER, "330100")
    make_user(db, "nb", Role.CITY_OFFICER, "330200")
    assert _upload(client, login(client, "hz"), "hz.csv", skip=False) == 422
    [run] = [r for r in rejects.runs(db, SYSTEM) if r.file == "hz.csv"]
    client.cookies.clear()
    login(client, "nb")
    assert "hz.csv" not in client.get("/imports/rejects").text
    assert client.get(f"/imports/rejects?run={run.id}").status_code == 404
    assert client.get(f"/imports/rejects.csv?run={run.id}").status_code == 404
    assert client.get(f"/api/v1/imports/rejects?run={run.id}").status_code == 404
    assert client.get("/api/v1/imports/runs").json() == []
    assert client.get("/imports/rejects?run=-1").status_code == 422
    assert client.get("/imports/rejects?run=99999999999999999999").status_code == 422


def test_an_enterprise_user_reads_no_rejects(db: Database, client: TestClient) -> None:
    make_user(db, "ent", Role.ENTERPRISE, None, enterprise_id=1)
    login(client, "ent")
    assert client.get("/imports/rejects").status_code == 403
    assert client.get("/api/v1/imports/runs").status_code == 403
    client.cookies.clear()
    assert client.get("/api/v1/imports/rejects").status_code == 401
