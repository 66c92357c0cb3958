"""Issue 14 defect 6 at the level it was met: in headless Chromium the province officer opens
the air report and the water report pages, clicks their CSV and Excel export links and gets
what a bureau sends on — Chinese headers, values rounded per the reporting rules (no
``2.083333333``), Chinese category names (no ``river``, no ``True``) and cells no spreadsheet
runs as a formula, even for a stored name such as ``=HYPERLINK(…)``.

One served demo (air January 2025, the simulated water sections) for the whole module;
screenshots and the downloaded files land in ``test-artifacts/``.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import update

from ecogov.accounts.demo import load as load_demo_accounts
from ecogov.monitoring.air import demo as air_demo
from ecogov.monitoring.air.models import AirStation
from ecogov.monitoring.water import demo as water_demo
from ecogov.monitoring.water import service as water_service
from ecogov.platform.db import Database
from ecogov.platform.exports import FORMULA_TRIGGERS
from ecogov.platform.scope import SYSTEM
from tests.browser import ARTIFACTS, CHROMIUM, chromium, log_in, serve_module

pytestmark = pytest.mark.browser

AIR_PERIOD = "2025-01"
WATER_PERIOD = "2025"
FORMULA_STATION = '=HYPERLINK("http://evil.example/","点我")'
"""An air station's stored name that a spreadsheet would run as a formula if exported raw."""
FORMULA_SECTION = "=1+2"
FORMULA_WATER = "@SUM(A1)"
SECTIONS = f"""code,name,water_name,water_body,basin,region_code,target_class,drinking_source,\
lon,lat
XSS1,{FORMULA_SECTION},{FORMULA_WATER},river,钱塘江,330106,II,no,120.12,30.24
"""
OBSERVATIONS = """section,time,parameter,value
XSS1,2025-05-10,TP,0.2083333333
"""
UNROUNDED = re.compile(r"\d\.\d{5,}")
"""A float written in its full binary length (``2.083333333``): no reporting rule keeps it."""
ENGLISH_VALUES = ("river", "lake", "True", "False", "national", "provincial", "municipal", "None")


@dataclass(frozen=True)
class Download:
    """A file the browser downloaded: its suggested name and its bytes."""

    name: str
    body: bytes

    def csv_rows(self) -> list[list[str]]:
        """The rows of a CSV download (UTF-8 with a byte-order mark, as spreadsheets need)."""
        assert self.body.startswith("\ufeff".encode()), "CSV without a byte-order mark"
        return list(csv.reader(io.StringIO(self.body.decode("utf-8-sig"))))

    def xlsx_cells(self) -> list[list[Any]]:
        """Every cell of the first sheet of an Excel download, as (value, data type) rows."""
        sheet = load_workbook(io.BytesIO(self.body)).worksheets[0]
        return [[(cell.value, cell.data_type) for cell in row] for row in sheet.iter_rows()]


@pytest.fixture(scope="module")
def demo_server(migrated: Database) -> Iterator[str]:
    """The demo logins, a month of simulated air data, the simulated water sections plus one
    section and one air station with formula-like names, served once for the module."""
    if migrated.backend != "sqlite":
        pytest.skip("the browser flow runs once, on the embedded database")
    if CHROMIUM is None:
        pytest.skip("Chromium is not installed (Debian package `chromium`; .ci/run installs it)")
    with serve_module(migrated, lambda: _load(migrated)) as url:
        yield url


def _load(db: Database) -> None:
    load_demo_accounts(db)
    air_demo.load(db, hours=24 * 40)  # January 2025 and a little more
    water_demo.load(db)
    water_service.import_files(db, SYSTEM, "sections", [("s.csv", SECTIONS.encode())])
    water_service.import_files(db, SYSTEM, "long", [("d.csv", OBSERVATIONS.encode())])
    with db.transaction(SYSTEM) as session:
        session.execute(
            update(AirStation).where(AirStation.code == "SIM0101").values(name=FORMULA_STATION)
        )


@pytest.fixture(scope="module")
def page(demo_server: str) -> Iterator[Any]:
    """One Chromium page, logged in as the province officer, for the module."""
    with chromium() as browser:
        context = browser.new_context(
            viewport={"width": 1400, "height": 900}, accept_downloads=True
        )
        tab = context.new_page()
        log_in(tab, demo_server, "zhejiang")
        yield tab


def _download(page: Any, link: str) -> Download:
    """Click the export link whose text is ``link`` and capture the download it starts; the
    file is kept under ``test-artifacts/`` for review."""
    with page.expect_download() as started:
        page.locator(f"a:text-is('{link}')").first.click()
    download = started.value
    name = download.suggested_filename
    download.save_as(ARTIFACTS / f"export-{name}")
    return Download(name, Path(ARTIFACTS / f"export-{name}").read_bytes())


def _assert_bureau_cells(rows: list[list[str]]) -> None:
    """Every cell of a CSV export: no unrounded float, no English category, formula-safe."""
    for row in rows:
        for cell in row:
            assert not UNROUNDED.search(cell), f"unrounded value {cell!r} in {row}"
            assert cell not in ENGLISH_VALUES, f"English value {cell!r} in {row}"
            if cell.startswith(FORMULA_TRIGGERS):
                assert re.fullmatch(r"-\d+(\.\d+)?", cell), f"live formula {cell!r}"


def _assert_xlsx_like_csv(workbook: Download, rows: list[list[str]]) -> None:
    """The Excel export holds the CSV's header and rows: text as text (never a formula) and
    numbers as numbers with no more places than the CSV reported."""
    cells = workbook.xlsx_cells()
    assert [value for value, _ in cells[0]] == rows[0]
    assert len(cells) == len(rows)
    for sheet_row, csv_row in zip(cells[1:], rows[1:], strict=True):
        for (value, kind), text in zip(sheet_row, csv_row, strict=True):
            assert kind != "f", f"formula cell {value!r}"
            if isinstance(value, str):
                assert kind == "s"
                assert value == (text[1:] if text.startswith("'") else text)
                assert value not in ENGLISH_VALUES
            elif isinstance(value, bool):
                pytest.fail(f"boolean cell {value!r} (is/no must be written in Chinese)")
            elif value is None:
                assert text == ""
            else:
                assert Decimal(str(value)) == Decimal(text), (value, text)


def _csv_export(page: Any, shot: str, name: str) -> list[list[str]]:
    """Screenshot the page as ``export-<shot>.png``, click its CSV export link, check the file's
    name and every cell (:func:`_assert_bureau_cells`); the rows, header first."""
    page.screenshot(path=str(ARTIFACTS / f"export-{shot}.png"), full_page=True)
    download = _download(page, "导出CSV")
    assert download.name == name
    rows = download.csv_rows()
    _assert_bureau_cells(rows)
    return rows


def _table_text(page: Any, table: str) -> list[list[str]]:
    """The visible cells of a page table, row by row."""
    return [row.locator("td").all_inner_texts() for row in page.locator(f"#{table} tbody tr").all()]


def test_air_report_exports_are_what_a_bureau_sends_on(page: Any, demo_server: str) -> None:
    page.goto(f"{demo_server}/air/report?period={AIR_PERIOD}")
    shown = _table_text(page, "report-table")
    assert len(shown) == 11  # the province's cities, ranked
    rows = _csv_export(page, "air-report-city", f"air-city-{AIR_PERIOD}.csv")
    header = rows[0]
    assert header[:6] == [
        "城市代码",
        "城市",
        "排名",
        "综合指数",
        "上年同期综合指数",
        "综合指数变化率(%)",
    ]
    assert {"优良天数比例(%)", "PM2.5平均浓度(μg/m³)", "CO日均值第95百分位数(mg/m³)"} <= set(header)
    assert {"是否达标", "细颗粒物(PM2.5)是否达标"} <= set(header)
    by_name = {row[1]: dict(zip(header, row, strict=True)) for row in rows[1:]}
    for cells in shown:  # what the page shows is what the file says, at the reported places
        row = by_name[cells[1]]
        assert row["排名"] == cells[0]
        assert re.fullmatch(r"\d+\.\d\d", row["综合指数"])
        assert re.fullmatch(r"\d+(\.\d)?", row["优良天数比例(%)"])
        assert re.fullmatch(r"\d+", row["PM2.5平均浓度(μg/m³)"])
        assert re.fullmatch(r"\d+\.\d", row["CO日均值第95百分位数(mg/m³)"])
        assert row["是否达标"] in {"达标", "未达标"}
        page_figures = (cells[2], cells[4], cells[5], cells[9])
        assert page_figures == (  # the page writes 5.00 and 46, not 5.0 and 46.0
            row["综合指数"],
            row["优良天数比例(%)"] + "%",
            row["PM2.5平均浓度(μg/m³)"],
            row["CO日均值第95百分位数(mg/m³)"],
        )
    _assert_xlsx_like_csv(_download(page, "导出Excel"), rows)

    page.select_option("select[name=by]", "station")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**by=station**")
    station_rows = _csv_export(page, "air-report-station", f"air-station-{AIR_PERIOD}.csv")
    assert station_rows[0][:3] == ["站点编码", "站点名称", "综合指数"]
    [hostile] = [row for row in station_rows if row[0] == "SIM0101"]
    assert hostile[1] == "'" + FORMULA_STATION  # neutralised, readable as text
    workbook = _download(page, "导出Excel")
    assert workbook.name == f"air-station-{AIR_PERIOD}.xlsx"
    _assert_xlsx_like_csv(workbook, station_rows)
    [kept] = [row for row in workbook.xlsx_cells() if row[0][0] == "SIM0101"]
    assert kept[1] == (FORMULA_STATION, "s")  # the exact text, as a string cell


def test_water_report_exports_are_what_a_bureau_sends_on(page: Any, demo_server: str) -> None:
    page.goto(f"{demo_server}/water?period={WATER_PERIOD}")
    rows = _csv_export(page, "water-sections", f"water-sections-330000-{WATER_PERIOD}.csv")
    header = rows[0]
    assert header[:8] == [
        "断面编码",
        "断面名称",
        "所在水体",
        "水体类型",
        "所属流域",
        "所在行政区",
        "行政区代码",
        "控制级别",
    ]
    ledger = [dict(zip(header, row, strict=True)) for row in rows[1:]]
    assert len(ledger) == 302  # the 301 simulated sections and the one added here
    assert {row["水体类型"] for row in ledger} == {"河流", "湖库"}
    assert {row["饮用水水源地"] for row in ledger} == {"是", "否"}
    assert {row["是否达标"] for row in ledger} <= {"达标", "未达标", ""}
    assert {row["水质类别"] for row in ledger} <= {"Ⅰ类", "Ⅱ类", "Ⅲ类", "Ⅳ类", "Ⅴ类", "劣Ⅴ类", ""}
    assert {row["模拟数据"] for row in ledger} == {"是", "否"}
    for row in ledger:
        assert re.fullmatch(r"\d+\.\d{3}|", row["总磷(mg/L)"]), row["总磷(mg/L)"]
        assert re.fullmatch(r"\d+\.\d{4}|", row["水质指数(CWQI)"]), row["水质指数(CWQI)"]
        assert re.fullmatch(r"\d+\.\d|", row["综合营养状态指数"]), row["综合营养状态指数"]
    [hostile] = [row for row in ledger if row["断面编码"] == "XSS1"]
    assert (hostile["断面名称"], hostile["所在水体"]) == (
        "'" + FORMULA_SECTION,
        "'" + FORMULA_WATER,
    )
    assert hostile["总磷(mg/L)"] == "0.208"  # 0.2083333333 to the assessment's 3 places
    assert (hostile["所在行政区"], hostile["行政区代码"]) == ("西湖区", "330106")
    assert hostile["水质类别"] == "Ⅳ类"
    _assert_xlsx_like_csv(_download(page, "导出Excel"), rows)

    page.click("#water-nav a:text-is('流域')")
    page.wait_for_url("**/water/basins**")
    shown = {cells[0]: cells for cells in _table_text(page, "group-table")}
    basin_rows = _csv_export(page, "water-basins", f"water-basins-330000-{WATER_PERIOD}.csv")
    basin_header = basin_rows[0]
    assert basin_header[:4] == ["流域", "评价断面数", "Ⅰ～Ⅲ类断面数", "劣Ⅴ类断面数"]
    table = {row[0]: dict(zip(basin_header, row, strict=True)) for row in basin_rows[1:]}
    assert set(table) == set(shown)
    for basin, row in table.items():
        assert re.fullmatch(r"\d+(\.\d)?", row["Ⅰ～Ⅲ类断面比例(%)"])
        assert shown[basin][2] == f"{Decimal(row['Ⅰ～Ⅲ类断面比例(%)']):.1f}%"
        assert row["评价方法"] in {"断面比例法", "浓度均值法"}
    workbook = _download(page, "导出Excel")
    assert workbook.name == f"water-basins-330000-{WATER_PERIOD}.xlsx"
    _assert_xlsx_like_csv(workbook, basin_rows)
