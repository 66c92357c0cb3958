"""The national hazardous-waste list as data (名录 2021, GOVERNANCE.md §1.1, source ML21): the
data file agrees with the extracted text of the table, and the text with the facts counted."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from importlib.resources import files

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ecogov.standards.waste.catalogue import (
    CatalogueError,
    Hazard,
    Join,
    categories,
    category_name,
    edition_for,
    editions,
    entries,
    is_listed,
    lookup,
    parse_characteristics,
    parse_table_text,
)
from ecogov.standards.waste.codes import WasteCodeError

IN_2021 = date(2021, 6, 1)


def _text(name: str) -> str:
    return (files("ecogov.standards.waste") / "data" / name).read_text("utf-8")


def test_the_data_file_is_the_parsed_text() -> None:
    for edition in editions():
        parsed = parse_table_text(_text(f"hw_list_{edition.year}_table.txt"), edition.year)
        assert parsed == edition.entries


def test_codes_per_category_agree_with_the_raw_text() -> None:
    raw = Counter(
        int(code[-2:])
        for code in re.findall(r"\t(\d{3}-\d{3}-\d{2})\t", _text("hw_list_2021_table.txt"))
    )
    assert Counter(row.category.number for row in entries(IN_2021)) == raw


def test_2021_has_46_categories_and_467_codes() -> None:
    numbers = [c.number for c in categories(IN_2021)]
    assert numbers == [*range(1, 41), *range(45, 51)]
    assert len(entries(IN_2021)) == 467
    per_category = Counter(row.category.number for row in entries(IN_2021))
    assert per_category[1] == 5  # 841-001-01 … 841-005-01 (注2: 医疗废物)
    assert set(per_category) == set(numbers)


def test_codes_are_unique_and_end_in_their_category() -> None:
    for edition in editions():
        codes = [row.code for row in edition.entries]
        assert len(set(codes)) == len(codes)
        for row in edition.entries:
            assert int(row.code[-2:]) == row.category.number
            assert row.industry
            assert row.description


def test_characteristics_are_valid_and_keep_their_separator() -> None:
    for row in entries(IN_2021):
        found = row.characteristics
        assert found.hazards
        assert parse_characteristics(found.printed) == found
        if "/" in found.printed:
            assert found.join is Join.ONE_OR_MORE
        elif "，" in found.printed:
            assert found.join is Join.FIRST_AND_MAYBE_OTHERS


@pytest.mark.parametrize(
    ("code", "category", "name", "description", "printed"),
    [
        ("841-001-01", "HW01", "医疗废物", "感染性废物", "In"),
        ("841-004-01", "HW01", "医疗废物", "化学性废物", "T/C/I/R"),
        ("900-214-08", "HW08", "废矿物油与含矿物油废物", "车辆、轮船", "T，I"),
        ("900-249-08", "HW08", "废矿物油与含矿物油废物", "废弃包装物", "T，I"),
        ("772-002-18", "HW18", "焚烧处置残渣", "生活垃圾焚烧飞灰", "T"),
        ("900-039-49", "HW49", "其他废物", "废活性炭", "T"),
        ("900-041-49", "HW49", "其他废物", "过滤吸附介质", "T/In"),
        ("772-007-50", "HW50", "废催化剂", "烟气脱硝过程中产生的废钒钛系催化剂", "T"),
    ],
)
def test_governance_example_rows(
    code: str, category: str, name: str, description: str, printed: str
) -> None:
    row = lookup(code, IN_2021)
    assert row is not None
    assert row.category.label == category
    assert row.category.name == name
    assert description in row.description
    assert row.characteristics.printed == printed


def test_comma_and_slash_mean_what_note_1_says() -> None:
    comma = parse_characteristics("T，I")
    assert comma.certain == {Hazard.T}
    assert comma.possible == {Hazard.T, Hazard.I}
    slash = parse_characteristics("T/C/I/R")
    assert slash.certain == frozenset()
    assert slash.possible == {Hazard.T, Hazard.C, Hazard.I, Hazard.R}
    single = parse_characteristics("In")
    assert single.join is Join.SINGLE
    assert single.certain == {Hazard.IN}
    assert Hazard.IN.zh == "感染性"


@pytest.mark.parametrize("text", ["X", "T/C，I", "T，T", ""])
def test_bad_characteristics_are_refused_in_chinese(text: str) -> None:
    with pytest.raises(CatalogueError) as caught:
        parse_characteristics(text)
    assert caught.value.zh.startswith("危险特性")


def test_edition_by_date() -> None:
    assert edition_for(date(2021, 1, 1)).year == "2021"
    assert edition_for(date(2025, 6, 1)).year == "2021"  # the 2025 edition is not shipped
    with pytest.raises(CatalogueError) as caught:
        edition_for(date(2020, 12, 31))
    assert "早于" in caught.value.zh
    assert edition_for(IN_2021).effective == date(2021, 1, 1)


def test_lookup_and_is_listed() -> None:
    assert is_listed("HW08 900-249-08", IN_2021)
    assert not is_listed("900-998-08", IN_2021)
    assert lookup("900-000-08", IN_2021) is None  # identified, unlisted waste (Art. 6)
    with pytest.raises(WasteCodeError):
        lookup("900-249-8", IN_2021)


def test_category_names() -> None:
    assert category_name(8, IN_2021) == "废矿物油与含矿物油废物"
    assert category_name(1, IN_2021) == "医疗废物"  # footnote mark 2 dropped
    with pytest.raises(CatalogueError) as caught:
        category_name(41, IN_2021)
    assert "HW41" in caught.value.zh


LISTED = frozenset(row.code for row in entries(IN_2021))


@given(st.integers(0, 999), st.integers(0, 999), st.integers(1, 50))
def test_listed_means_a_row_of_the_table(i: int, n: int, c: int) -> None:
    code = f"{i:03d}-{n:03d}-{c:02d}"
    assert is_listed(code, IN_2021) == (code in LISTED)


@given(st.sampled_from(sorted(LISTED)))
def test_every_listed_code_is_found(code: str) -> None:
    row = lookup(code, IN_2021)
    assert row is not None
    assert row.code == code


def test_merged_industry_cells_are_read_as_one() -> None:
    text = "\n".join(
        [
            "p1\t废物类别\t行业来源\t废物代码\t危 险 废 物\t危险特性1",
            "p1\tHW08⏎废矿物油2\t石油开采\t071-001-08\t油泥\tT，I",
            "p1\t\t·\t251-001-08\t清洗废物\tT",
            "p1\t\t精炼石油产品\t\t\t",
            "p1\t\t制造\t251-002-08\t浮渣\tT",
            "p1\t\t非特定行业\t900-199-08\t废油\tT",
        ]
    )
    rows = parse_table_text(text, "test")
    assert [r.industry for r in rows] == ["石油开采", *["精炼石油产品制造"] * 2, "非特定行业"]
    assert rows[0].category.name == "废矿物油"


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("p1\tHW08⏎x\ty\t071-001-08\tz", "应为页码加5栏"),
        ("p1\tHW8⏎x\ty\t071-001-08\tz\tT", "废物类别"),
        ("p1\tHW08⏎x\ty\t071-001-8\tz\tT", "格式不符"),
        ("p1\t\ty\t071-001-08\tz\tT", "缺少废物类别"),
        ("p1\tHW08⏎x\t\t071-001-08\tz\tT", "缺少行业来源"),
        ("p1\tHW08⏎x\ty\t\tz\t", "续写行业来源"),
    ],
)
def test_unreadable_text_is_refused_with_its_line(line: str, reason: str) -> None:
    with pytest.raises(CatalogueError) as caught:
        parse_table_text(line, "test")
    assert caught.value.zh.startswith("第1行")
    assert reason in caught.value.zh
