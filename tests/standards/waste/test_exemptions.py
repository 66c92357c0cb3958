"""The exemption list (危险废物豁免管理清单, 名录 2021 附录; GOVERNANCE.md §1.1, source ML21)."""

from __future__ import annotations

from datetime import date
from importlib.resources import files

import pytest

from ecogov.standards.waste.catalogue import CatalogueError, categories, is_listed
from ecogov.standards.waste.exemptions import (
    Stage,
    exemptions,
    exemptions_for,
    parse_exemption_text,
)

IN_2021 = date(2021, 6, 1)


def test_the_data_file_is_the_parsed_text() -> None:
    text = (files("ecogov.standards.waste") / "data" / "hw_list_2021_exemptions.txt").read_text(
        "utf-8"
    )
    assert parse_exemption_text(text, "2021") == exemptions(IN_2021)


def test_2021_has_32_numbered_exemptions() -> None:
    assert sorted({row.number for row in exemptions(IN_2021)}) == list(range(1, 33))


def test_listed_codes_and_categories_are_in_the_list() -> None:
    numbers = {c.number for c in categories(IN_2021)}
    for row in exemptions(IN_2021):
        assert all(is_listed(code, IN_2021) for code in row.codes)
        assert set(row.categories) <= numbers
        assert row.condition
        assert row.content
        assert row.stages


@pytest.mark.parametrize(
    ("number", "code", "stage", "condition"),
    [
        (24, "900-041-49", Stage.ALL, "未分类收集"),
        (8, "900-249-08", Stage.UTILISATION, "静置无滴漏"),
        (29, "772-007-50", Stage.TRANSPORT, "防雨、防渗漏、防遗撒"),
    ],
)
def test_governance_examples(number: int, code: str, stage: Stage, condition: str) -> None:
    rows = [row for row in exemptions_for(code, IN_2021) if row.number == number]
    assert len(rows) == 1
    assert rows[0].stages == {stage}
    assert condition in rows[0].condition


def test_an_exemption_holds_only_in_its_stage() -> None:
    assert [r.number for r in exemptions_for("772-007-50", IN_2021, Stage.TRANSPORT)] == [29]
    assert exemptions_for("772-007-50", IN_2021, Stage.DISPOSAL) == ()
    all_stages = exemptions_for("900-041-49", IN_2021, Stage.TRANSPORT)
    assert [r.number for r in all_stages] == [24]  # 全部环节 covers transport


def test_a_category_row_covers_its_codes() -> None:
    numbers = {row.number for row in exemptions_for("841-005-01", IN_2021)}
    assert numbers == {2}  # HW01, clinics ≤ 19 beds and epidemic waste
    both = next(r for r in exemptions(IN_2021) if r.number == 25 and len(r.stages) == 2)
    assert both.stages == {Stage.UTILISATION, Stage.DISPOSAL}
    assert both.codes == ()
    assert both.listed_as == "突发环境事件产生的危险废物"


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("p1\t1\tHW01\tx\t收集\ty", "应为页码加6栏"),
        ("p1\tA\tHW01\tx\t收集\ty\tz", "应为数字"),
        ("p1\t1\tHW01\tx\t贮存\ty\tz", "豁免环节"),
        ("p1\t\tHW01\tx\t收集\ty\tz", "栏目不全"),
    ],
)
def test_unreadable_text_is_refused_with_its_line(line: str, reason: str) -> None:
    with pytest.raises(CatalogueError) as caught:
        parse_exemption_text(line, "test")
    assert caught.value.zh.startswith("第1行")
    assert reason in caught.value.zh
