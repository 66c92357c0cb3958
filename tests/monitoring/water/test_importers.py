"""Reading section registries and observation files (long, wide, CSV, Excel, GB 18030)."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
from openpyxl import Workbook

from ecogov.monitoring.water.importers import (
    parse_class,
    parse_long,
    parse_sections,
    parse_wide,
    read_table,
)
from ecogov.platform.errors import InputError
from ecogov.standards.gb3838 import WaterClass

LONG = """section,time,parameter,value,unit,flag
S1,2024-01-05,pH,7.2,,
S1,2024-01-05 08:00,溶解氧,6.5,,N
S1,2024/01/05,NH3-N,<0.05,,
S1,2024-01-05,总磷,0.02L,,
S1,2024-01-05,w20115,5,µg/L,
S1,2024-01-05T08:00:00+08:00,BOD5,2,,
S1,2024-01-05,叶绿素a,8.1,mg/m³,
S1,2024-01-05,透明度,120,cm,
"""


def _rejections(text: str) -> list[str]:
    return [r.text("en") for r in parse_long("bad.csv", text.encode()).rejections]


def test_long_file_with_codes_abbreviations_chinese_names_and_units() -> None:
    parsed = parse_long("good.csv", LONG.encode())
    assert parsed.rejections == ()
    assert parsed.read == 8
    rows = {r["parameter"]: r for r in parsed.frame.iter_rows(named=True)}
    assert set(rows) == {"w01001", "w01009", "w21003", "w21011", "w20115", "w01017", "chla", "sd"}
    assert rows["w20115"]["value"] == 0.005  # 5 µg/L cadmium, exactly
    assert rows["chla"]["value"] == 8.1  # mg/m³ = µg/L
    assert rows["sd"]["value"] == 1.2  # 120 cm
    assert (rows["w21003"]["value"], rows["w21003"]["below_detection"]) == (0.025, True)
    assert (rows["w21011"]["value"], rows["w21011"]["below_detection"]) == (0.01, True)
    assert rows["w01009"]["flag"] == "N"
    assert rows["w01001"]["flag"] is None
    # Times without an offset are Beijing time; stored in UTC.
    assert rows["w01001"]["time"] == datetime(2024, 1, 4, 16, tzinfo=UTC)
    assert rows["w01009"]["time"] == rows["w01017"]["time"] == datetime(2024, 1, 5, tzinfo=UTC)
    assert rows["w01001"]["time_text"] == "2024-01-05"


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("S1,2024-01-05,TP,abc", "bad.csv row 2, column value: 'abc' is not a number"),
        ("S1,2024-13-05,TP,0.1", "bad.csv row 2, column time: '2024-13-05' is not a date or time"),
        ("S1,2024-01-05,XX,0.1", "bad.csv row 2, column parameter: unknown parameter 'XX'"),
        ("S1,2024-01-05,TP,-0.1", "bad.csv row 2, column value: '-0.1': must not be negative"),
        ("S1,2024-01-05,pH,15", "bad.csv row 2, column value: '15': pH must lie within 0–14"),
        (",2024-01-05,TP,0.1", "bad.csv row 2, column section: section code is empty"),
        ("S1,2024-01-05,TP,inf", "bad.csv row 2, column value: 'inf': must be finite"),
    ],
)
def test_malformed_rows_say_what_and_where(line: str, message: str) -> None:
    assert _rejections(f"section,time,parameter,value\n{line}\n") == [message]


def test_unknown_unit_and_repeated_keys_are_rejected() -> None:
    text = (
        "section,time,parameter,value,unit\n"
        "S1,2024-01-05,TP,0.1,\n"
        "S1,2024-01-05 00:00,w21011,0.2,\n"
        "S1,2024-01-05,COD,5,km\n"
    )
    assert _rejections(text) == [
        "bad.csv row 3, column parameter: repeats the section, time and parameter of row 2",
        "bad.csv row 4, column unit: unknown unit 'km'; known units: g/L, mg/L, µg/L, ng/L, "
        "个/L, 个/100mL, 个/mL, dimensionless, ℃, m, cm",
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "the file is empty"),
        ("section,time,value\nS1,2024-01-01,1\n", "no 'parameter' column"),
        ("section,,parameter,value\n", "row 1 must name every column"),
        ("section,time,time,parameter,value\n", "row 1 repeats the column time"),
    ],
)
def test_malformed_files_are_refused_whole(text: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        parse_long("bad.csv", text.encode())


def test_chinese_headers_and_gb18030() -> None:
    text = "断面,监测时间,监测项目,监测值\nS1,2024-01-05,氨氮,0.5\n"
    parsed = parse_long("gbk.csv", text.encode("gb18030"))
    assert parsed.frame.select("section", "parameter", "value").row(0) == ("S1", "w21003", 0.5)


def test_wide_export_with_units_in_headers_and_ignored_columns() -> None:
    text = (
        "监测时间,pH,溶解氧(mg/L),总磷（mg/L）,电导率(μS/cm),镉(µg/L)\n"
        "2024-01-01 00:00,7.1,8.2,0.05,300,2\n"
        "2024-01-01 04:00,7.0,,0.06,310,x\n"
    )
    parsed = parse_wide("station.csv", text.encode(), section="S2")
    assert parsed.ignored_columns == ("电导率(μS/cm)",)
    assert [r.text("en") for r in parsed.rejections] == [
        "station.csv row 3, column 镉(µg/L): 'x' is not a number"
    ]
    assert parsed.frame.height == 6  # the empty DO cell is no value
    cadmium = parsed.frame.filter(parsed.frame["parameter"] == "w20115")
    assert cadmium["value"].to_list() == [0.002]
    assert set(parsed.frame["section"]) == {"S2"}


def test_wide_file_needs_a_section() -> None:
    with pytest.raises(InputError, match="no 'section' column"):
        parse_wide("station.csv", b"time,pH\n2024-01-01,7\n")
    with pytest.raises(InputError, match="no column names a known water parameter"):
        parse_wide("station.csv", b"time,conductivity\n2024-01-01,7\n", section="S")


def _xlsx(rows: list[list[object]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_excel_cells_read_like_csv() -> None:
    content = _xlsx(
        [
            ["section", "time", "parameter", "value"],
            ["S1", datetime(2024, 3, 1, 9, 0), "TP", 0.12],
            [None, None, None, None],
            ["S1", "2024-03-02", "COD", 18],
        ]
    )
    table = read_table("data.xlsx", content)
    assert table["row"].to_list() == [2, 4]
    parsed = parse_long("data.xlsx", content)
    assert parsed.rejections == ()
    assert parsed.frame["value"].to_list() == [0.12, 18.0]
    assert parsed.frame["time"].to_list()[0] == datetime(2024, 3, 1, 1, tzinfo=UTC)


def test_not_a_workbook_is_refused() -> None:
    with pytest.raises(InputError, match=r"data\.xlsx: not a readable \.xlsx workbook"):
        read_table("data.xlsx", b"not a zip")


HEADER = "code,name,water_name,water_body,basin,region_code,target_class,control_level,"
REGISTRY = (
    HEADER
    + """drinking_source,lon,lat
S1,闸口,钱塘江,river,钱塘江,330102,II,national,yes,120.1,30.2
S2,西湖湖心,西湖,湖,钱塘江,330106,Ⅲ类,省控,否,,
S3,x,y,sea,z,330106,III,,,,
S1,dup,y,river,z,330106,III,,,,
S4,x,y,river,z,33010,III,,,,
S5,x,y,river,z,330106,劣V,,,,
S6,x,y,river,z,330106,III,,maybe,,
S7,x,y,river,z,330106,III,,,200,
"""
)


def test_section_registry_rows_and_rejections() -> None:
    parsed = parse_sections("sections.csv", REGISTRY.encode())
    assert [row.code for row in parsed.rows] == ["S1", "S2"]
    first, second = parsed.rows
    assert (first.target_class, first.control_level, first.drinking_source) == (2, "national", True)
    assert (second.water_body, second.target_class, second.control_level) == (
        "lake",
        3,
        "provincial",
    )
    assert (second.lon, second.lat) == (None, None)
    assert [r.text("en") for r in parsed.rejections] == [
        "sections.csv row 4, column water_body: 'sea' is not one of lake, reservoir, river, "
        "水库, 河, 河流, 湖, 湖库, 湖泊",
        "sections.csv row 5, column code: repeats section S1 of row 2",
        "sections.csv row 6, column region_code: '33010' is not a 6-digit GB/T 2260 code",
        "sections.csv row 7, column target_class: a target must be one of I–V",
        "sections.csv row 8, column drinking_source: 'maybe' is not yes/no (是/否)",
        "sections.csv row 9, column lon: 200.0 lies outside ±180 degrees",
    ]
    assert parsed.read == 8


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I", WaterClass.I),
        ("ⅱ", WaterClass.II),
        ("Ⅲ类", WaterClass.III),
        ("iv", WaterClass.IV),
        ("5", WaterClass.V),
        ("劣V", WaterClass.WORSE_THAN_V),
        ("劣Ⅴ类", WaterClass.WORSE_THAN_V),
        ("6", WaterClass.WORSE_THAN_V),
    ],
)
def test_parse_class(text: str, expected: WaterClass) -> None:
    assert parse_class(text) is expected


@pytest.mark.parametrize("text", ["VI", "劣III", "", "0", "A"])
def test_parse_class_refuses_other_text(text: str) -> None:
    with pytest.raises(ValueError, match="is not a water class"):
        parse_class(text)
