"""Water pages, exports and API through the web application, with region scope."""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from ecogov.monitoring.water import service
from ecogov.monitoring.water.importers import parse_sections
from ecogov.platform.db import Database
from ecogov.platform.scope import SYSTEM, Role
from ecogov.standards.gb3838 import WaterClass
from ecogov.standards.rounding import round_gbt8170
from ecogov.standards.water_assessment import tli, trophic_state
from tests.helpers import login, make_user

REGISTRY = """code,name,water_name,water_body,basin,region_code,target_class,drinking_source,lon,lat
HZ1,闸口,钱塘江,river,钱塘江,330102,II,no,120.17,30.21
HZ2,西湖湖心,西湖,lake,钱塘江,330106,III,no,120.14,30.25
HZ3,九溪,钱塘江,river,钱塘江,330106,II,yes,120.12,30.20
"""

DATA = """section,time,parameter,value
HZ1,2025-05-10,TP,0.25
HZ2,2025-05-10,TP,0.02
HZ2,2025-05-10,chla,12
HZ2,2025-05-10,透明度,1.1
HZ3,2025-05-10,TP,0.05
HZ3,2025-05-10,锰,0.2
HZ1,2024-05-10,TP,0.35
HZ3,2024-05-10,TP,0.05
"""


@pytest.fixture
def water(db: Database) -> Database:
    """Three sections in two Hangzhou districts with a year of data and the year before."""
    service.import_files(db, SYSTEM, "sections", [("sections.csv", REGISTRY.encode())])
    service.import_files(db, SYSTEM, "long", [("data.csv", DATA.encode())])
    return db


def _codes(html: str, table: str) -> list[str]:
    body = html.split(f'id="{table}"', 1)[1].split("</table>", 1)[0]
    return re.findall(r'data-code="([A-Z0-9]+)"', body)


def test_county_officer_sees_only_their_sections(water: Database, client: TestClient) -> None:
    make_user(water, "xh", Role.COUNTY_OFFICER, "330106")
    login(client, "xh")
    html = client.get("/water?period=2025").text
    assert _codes(html, "section-table") == ["HZ2", "HZ3"]
    assert 'id="water-map"' in html
    assert 'data-region="330106"' in html
    assert "/api/v1/regions/" in html  # the map draws the region boundaries
    assert 'id="simulated-notice"' not in html
    assert '<a href="/water"' in html  # navigation entry
    refused = client.get("/water/sections/HZ1", headers={"accept": "text/html"})
    assert refused.status_code == 404
    assert client.get("/api/v1/water/sections/HZ1").status_code == 404
    assert client.get("/api/v1/water/sections/HZ1/history").status_code == 404
    assert client.get("/api/v1/water/sections/HZ1/observations").status_code == 404
    codes = [s["code"] for s in client.get("/api/v1/water/sections").json()]
    assert codes == ["HZ2", "HZ3"]
    rows = client.get("/api/v1/water/evaluation", params={"period": "2025"}).json()["rows"]
    assert [r["section"] for r in rows] == ["HZ2", "HZ3"]
    outside = client.get("/api/v1/water/evaluation", params={"period": "2025", "region": "330102"})
    assert outside.status_code == 404


def test_overview_totals_colours_and_default_period(water: Database, client: TestClient) -> None:
    make_user(water, "hz", Role.CITY_OFFICER, "330100")
    login(client, "hz")
    html = client.get("/water?period=2025").text
    assert _codes(html, "section-table") == ["HZ1", "HZ2", "HZ3"]
    assert "地表水环境质量" in html
    assert "#d7263d" in html  # 劣V red, from the 2011 method's grade colours
    totals = html.split('id="water-totals"', 1)[1].split("</div>\n</div>", 1)[0]
    assert "66.7%" in totals  # two of three sections in I–III
    assert client.get("/water").status_code == 200  # default period: the newest complete year
    english = client.get("/water?period=2025&lang=en").text
    assert "Surface water quality" in english
    assert "Slightly polluted" in english  # HZ1, class IV: grades are translated too


def test_section_page_series_and_history(water: Database, client: TestClient) -> None:
    make_user(water, "zj", Role.PROVINCE_OFFICER, "330000")
    login(client, "zj")
    html = client.get("/water/sections/HZ2").text
    assert "西湖湖心" in html
    assert 'id="series-chart"' in html
    assert '"w21011": [["2025-05-10", 0.02]]' in html
    assert '<option value="chla">叶绿素a</option>' in html
    history = html.split('id="history-table"', 1)[1].split("</table>", 1)[0]
    assert "2025-05" in history
    assert client.get("/api/v1/water/sections/HZ2/history").json()[0]["class"] == "II"
    observations = client.get("/api/v1/water/sections/HZ2/observations").json()
    assert {o["parameter"] for o in observations} == {"w21011", "chla", "sd"}


@pytest.mark.parametrize(
    ("page", "table", "expected"),
    [("basins", "group-table", "钱塘江"), ("cities", "group-table", "杭州市")],
)
def test_basin_and_city_tables(
    water: Database, client: TestClient, page: str, table: str, expected: str
) -> None:
    make_user(water, "zj", Role.PROVINCE_OFFICER, "330000")
    login(client, "zj")
    html = client.get(f"/water/{page}?period=2025").text
    body = html.split(f'id="{table}"', 1)[1].split("</table>", 1)[0]
    assert expected in body
    assert "平均浓度法" in body  # three sections: graded by mean concentrations


def test_drinking_sources_page(water: Database, client: TestClient) -> None:
    make_user(water, "zj", Role.PROVINCE_OFFICER, "330000")
    login(client, "zj")
    html = client.get("/water/drinking?period=2025").text
    assert _codes(html, "drinking-table") == ["HZ3"]
    assert "不达标" in html
    assert "锰" in html


def test_exports(water: Database, client: TestClient) -> None:
    make_user(water, "zj", Role.PROVINCE_OFFICER, "330000")
    login(client, "zj")
    response = client.get("/water/export/basins.csv?period=2025")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert response.content.startswith("\ufeff".encode())
    assert response.content.decode("utf-8-sig").splitlines()[0].startswith("流域,评价断面数,")
    assert 'filename="water-basins-330000-2025.csv"' in response.headers["content-disposition"]
    workbook = client.get("/water/export/sections.xlsx?period=2025")
    sheet = load_workbook(io.BytesIO(workbook.content)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:2] == ("断面编码", "断面名称")
    assert [row[0] for row in rows[1:]] == ["HZ1", "HZ2", "HZ3"]
    assert client.get("/water/export/nothing.pdf").status_code == 404


def test_api_import_needs_an_officer_and_a_csrf_token(water: Database, client: TestClient) -> None:
    make_user(water, "xh", Role.COUNTY_OFFICER, "330106")
    token = login(client, "xh")
    files = {"files": ("more.csv", b"section,time,parameter,value\nHZ2,2025-06-10,TP,0.03\n")}
    refused = client.post("/api/v1/water/imports/long", files=files)
    assert refused.status_code == 403  # no CSRF token
    response = client.post(
        "/api/v1/water/imports/long", files=files, headers={"X-CSRF-Token": token}
    )
    assert response.status_code == 201, response.text
    assert response.json()["inserted"] == 1
    again = client.post(
        "/api/v1/water/imports/long", files=files, headers={"X-CSRF-Token": token}
    ).json()
    assert (again["inserted"], again["unchanged"]) == (0, 1)
    bad = client.post("/api/v1/water/imports/pdf", files=files, headers={"X-CSRF-Token": token})
    assert bad.status_code == 422
    assert "unknown import format" in bad.json()["detail"]


def test_sections_in_scope_with_every_field(water: Database, client: TestClient) -> None:
    make_user(water, "xh", Role.COUNTY_OFFICER, "330106")
    login(client, "xh")
    sections = client.get("/api/v1/water/sections").json()
    assert [s["code"] for s in sections] == ["HZ2", "HZ3"]
    assert client.get("/api/v1/water/sections/HZ3").json() == {
        "code": "HZ3",
        "name": "九溪",
        "water_name": "钱塘江",
        "water_body": "river",
        "basin": "钱塘江",
        "region_code": "330106",
        "target_class": "II",
        "control_level": "municipal",
        "drinking_source": True,
        "lon": 120.12,
        "lat": 30.2,
        "simulated": False,
    }
    assert client.get("/api/v1/water/sections/HZ1").status_code == 404


def test_import_report_lists_counts_and_rejections(water: Database, client: TestClient) -> None:
    make_user(water, "zj", Role.PROVINCE_OFFICER, "330000")
    token = login(client, "zj")
    data = b"section,time,parameter,value\nHZ2,2025-06-10,TP,0.03\nHZ2,2025-06-10,TN,x\n"
    refused = client.post(
        "/api/v1/water/imports/long",
        files={"files": ("more.csv", data)},
        headers={"X-CSRF-Token": token},
    )
    assert refused.status_code == 422, refused.text
    assert "more.csv 第 3 行，列「value」：“x”不是数字" in refused.text
    response = client.post(
        "/api/v1/water/imports/long",
        files={"files": ("more.csv", data)},
        data={"skip_bad_rows": "true"},
        headers={"X-CSRF-Token": token},
    )
    assert response.status_code == 201, response.text
    assert response.json() == {
        "kind": "long",
        "files": ["more.csv"],
        "read": 2,
        "inserted": 1,
        "updated": 0,
        "unchanged": 0,
        "rejected": 1,
        "rejections": [
            {
                "file": "more.csv",
                "row": 3,
                "column": "value",
                "value": "x",
                "reason_zh": "“x”不是数字",
                "reason_en": "'x' is not a number",
            }
        ],
        "ignored_columns": [],
    }


def test_leaders_read_but_do_not_import(water: Database, client: TestClient) -> None:
    make_user(water, "boss", Role.LEADER, "330000")
    token = login(client, "boss")
    assert client.get("/water?period=2025").status_code == 200
    files = {"files": ("more.csv", b"section,time,parameter,value\nHZ2,2025-06-10,TP,0.03\n")}
    response = client.post(
        "/api/v1/water/imports/long", files=files, headers={"X-CSRF-Token": token}
    )
    assert response.status_code == 403


def test_import_form(water: Database, client: TestClient) -> None:
    make_user(water, "zj", Role.PROVINCE_OFFICER, "330000")
    token = login(client, "zj")
    assert 'id="import-form"' in client.get("/water/import/form").text
    bad = b"section,time,parameter,value\nHZ1,2025-06-10,TP,x\n"
    refused = client.post(
        "/water/import/form",
        data={"kind": "long", "csrf_token": token},
        files={"files": ("june.csv", bad)},
    )
    assert refused.status_code == 422
    assert "june.csv：1 行有错误，未导入任何数据" in refused.text
    assert 'href="/imports/rejects?domain=water"' in refused.text
    html = client.post(
        "/water/import/form",
        data={"kind": "long", "csrf_token": token, "skip_bad_rows": "true"},
        files={"files": ("june.csv", bad)},
    ).text
    assert "rejected=1" in html
    assert "june.csv 第 2 行，列「value」：“x”不是数字" in html
    missing = client.post(
        "/water/import/form",
        data={"kind": "long", "csrf_token": token},
        files={"files": ("june.csv", b"section,time,value\n")},
    )
    assert missing.status_code == 422
    assert "no &#39;parameter&#39; column" in missing.text


def test_simulated_sections_are_labelled(db: Database, client: TestClient) -> None:
    service.import_sections(db, SYSTEM, [parse_sections("demo", REGISTRY.encode())], simulated=True)
    service.import_files(db, SYSTEM, "long", [("data.csv", DATA.encode())])
    make_user(db, "zj", Role.PROVINCE_OFFICER, "330000")
    login(client, "zj")
    assert "模拟数据" in client.get("/water?period=2025").text
    assert "模拟数据" in client.get("/water/sections/HZ1").text


def test_anonymous_callers_are_refused(water: Database, client: TestClient) -> None:
    assert client.get("/api/v1/water/sections").status_code == 401
    assert client.get("/api/v1/water/evaluation?period=2025").status_code == 401
    page = client.get("/water", headers={"accept": "text/html"}, follow_redirects=False)
    assert page.status_code == 303
    assert page.headers["location"].startswith("/login")


def test_exports_are_what_a_bureau_sends_on(water: Database, client: TestClient) -> None:
    """Issue 14 defects 6 and 7: Chinese headers, reported rounding, Chinese category names,
    region names beside their codes."""
    make_user(water, "zj", Role.PROVINCE_OFFICER, "330000")
    login(client, "zj")
    api = {
        row["section"]: row
        for row in client.get("/api/v1/water/evaluation?period=2025&by=section").json()["rows"]
    }
    assert api["HZ1"]["water_body"] == "river"  # the JSON API keeps its own values
    text = client.get("/water/export/sections.csv?period=2025").content.decode("utf-8-sig")
    rows = {row["断面编码"]: row for row in csv.DictReader(io.StringIO(text))}
    assert set(rows) == set(api)
    lake, river = rows["HZ2"], rows["HZ1"]
    assert (river["水体类型"], lake["水体类型"]) == ("河流", "湖库")
    assert river["所在行政区"] == "上城区"
    assert river["行政区代码"] == "330102"
    assert lake["所在行政区"] == "西湖区"
    assert river["水质目标"] == "Ⅱ类"
    assert river["是否达标"] == "未达标"
    assert lake["是否达标"] == "达标"
    assert rows["HZ3"]["饮用水水源地"] == "是"
    assert river["饮用水水源地"] == "否"
    assert river["控制级别"] == "市控"
    names = {water_class.label: water_class.label_zh for water_class in WaterClass}
    for code, row in rows.items():
        assert row["水质类别"] == names[api[code]["class"]]
        assert Decimal(row["总磷(mg/L)"]) == round_gbt8170(api[code]["tp"], 3)
        assert re.fullmatch(r"\d+\.\d{4}", row["水质指数(CWQI)"])
    assert Decimal(lake["综合营养状态指数"]) == round_gbt8170(api["HZ2"]["tli"], 1)
    assert river["类别变化"] == "好转1个类别"
    basins = client.get("/water/export/basins.xlsx?period=2025").content
    sheet = load_workbook(io.BytesIO(basins)).worksheets[0]
    header, first = list(sheet.iter_rows(values_only=True))
    basin = client.get("/api/v1/water/evaluation?period=2025&by=basin").json()["rows"][0]
    share = first[header.index("Ⅰ～Ⅲ类断面比例(%)")]
    assert isinstance(share, Decimal | float)
    assert Decimal(str(share)) == round_gbt8170(basin["share_I_III"], 1)
    assert first[header.index("评价方法")] in {"断面比例法", "浓度均值法"}
    cities_text = client.get("/water/export/cities.csv?period=2025").content.decode("utf-8-sig")
    [city] = list(csv.DictReader(io.StringIO(cities_text)))
    api_city = client.get("/api/v1/water/evaluation?period=2025&by=city").json()["rows"][0]
    assert (city["城市代码"], city["城市"]) == (api_city["city"], api_city["city_name"])
    assert Decimal(city["目标达标率(%)"]) == round_gbt8170(api_city["attainment"], 1)
    assert city["评价方法"] in {"断面比例法", "浓度均值法"}
    drinking = client.get("/water/export/drinking.csv?period=2025").content.decode("utf-8-sig")
    sources = list(csv.DictReader(io.StringIO(drinking)))
    assert [row["断面编码"] for row in sources] == ["HZ3"]
    assert sources[0]["水源地是否达标"] == (
        "达标" if api["HZ3"]["drinking_compliant"] else "未达标"
    )
    assert sources[0]["饮用水水源地"] == "是"


def test_section_page_names_its_region(water: Database, client: TestClient) -> None:
    """Issue 14 defect 7: 西湖区（330106）, not 330106."""
    make_user(water, "xh", Role.COUNTY_OFFICER, "330106")
    login(client, "xh")
    page = client.get("/water/sections/HZ2").text
    assert '<td id="section-region" data-region="330106">西湖区（330106）</td>' in page


def test_lake_pages_show_the_months_trophic_state(water: Database, client: TestClient) -> None:
    """Defect 8: TLI and trophic state were computed for lakes but shown on no lake page."""
    make_user(water, "zj", Role.PROVINCE_OFFICER, "330000")
    login(client, "zj")
    expected = tli(chla=12, tp=0.02, sd=1.1)
    lake = client.get("/api/v1/water/sections/HZ2/history").json()
    assert lake[0]["tli"] == pytest.approx(expected)
    assert lake[0]["trophic_state"] == trophic_state(expected).value
    history = client.get("/water/sections/HZ2").text.split('id="history-table"', 1)[1]
    history = history.split("</table>", 1)[0]
    assert "综合营养状态指数" in history
    assert f"{expected:.1f}" in history
    assert trophic_state(expected).value in history
    river = client.get("/api/v1/water/sections/HZ1/history").json()
    assert river[0]["tli"] is None
    assert "综合营养状态指数" not in client.get("/water/sections/HZ1").text


def test_section_tables_sort_worst_first_filter_and_page(
    water: Database, client: TestClient
) -> None:
    make_user(water, "zj", Role.PROVINCE_OFFICER, "330000")
    login(client, "zj")
    html = client.get("/water", params={"period": "2025"}).text
    assert _codes(html, "section-table") == ["HZ1", "HZ2", "HZ3"]
    worst = html.split('id="sections-worst"', 1)[0].rsplit("<a href=", 1)[1]
    assert "sort=-class" in worst
    assert "period=2025" in worst
    ranked = client.get("/water", params={"period": "2025", "sort": "-class"}).text
    assert _codes(ranked, "section-table")[0] == "HZ1"
    assert 'data-class-filter="IV"' in html  # the class counts are one click from their rows
    only = client.get("/water", params={"period": "2025", "class": "IV"}).text
    assert _codes(only, "section-table") == ["HZ1"]
    assert "（筛选自 3 条）" in only
    found = client.get("/water", params={"period": "2025", "q": "西湖"}).text
    assert _codes(found, "section-table") == ["HZ2"]
    paged = client.get("/water", params={"period": "2025", "size": 25, "page": 2}).text
    assert _codes(paged, "section-table") == ["HZ1", "HZ2", "HZ3"]  # past the last: the last
    drinking = client.get("/water/drinking", params={"period": "2025", "sort": "-class"}).text
    assert _codes(drinking, "drinking-table") == ["HZ3"]
    assert 'id="drinking-worst"' in drinking


def test_section_tables_keep_to_scope_and_refuse_bad_parameters(
    water: Database, client: TestClient
) -> None:
    make_user(water, "xh", Role.COUNTY_OFFICER, "330106")
    login(client, "xh")
    worst = client.get("/water", params={"period": "2025", "sort": "-class"}).text
    assert _codes(worst, "section-table") == ["HZ2", "HZ3"]  # both II: by code
    assert _codes(client.get("/water", params={"q": "闸口"}).text, "section-table") == []
    for params, words in (
        ({"sort": "secret"}, "排序列"),
        ({"page": "-1"}, "页码"),
        ({"size": "3"}, "每页行数"),
    ):
        refused = client.get("/water", params=params, headers={"accept": "text/html"})
        assert refused.status_code == 422, params
        assert words in refused.text, params
    assert client.get("/water/drinking", params={"sort": "basin"}).status_code == 422
