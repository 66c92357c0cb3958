"""Waste codes of the national hazardous-waste list: layout DDD-NNN-CC (名录 Art. 5(3))."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ecogov.standards.waste.codes import WasteCodeError, category_label, parse_waste_code


def test_reads_a_listed_code() -> None:
    code = parse_waste_code("900-249-08")
    assert (code.industry, code.sequence, code.category) == ("900", "249", 8)
    assert code.hw == "HW08"
    assert code.text == "900-249-08"


def test_tolerates_an_agreeing_category_prefix_and_blanks() -> None:
    assert parse_waste_code("  HW49 900-041-49 ").text == "900-041-49"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("900-249-8", "格式不符"),
        ("900249-08", "格式不符"),
        ("900-249-51", "不在 HW01–HW50"),
        ("900-249-00", "不在 HW01–HW50"),
        ("HW08 900-041-49", "不一致"),
        ("", "格式不符"),
    ],
)
def test_refuses_in_chinese_first(text: str, reason: str) -> None:
    with pytest.raises(WasteCodeError) as caught:
        parse_waste_code(text)
    assert str(caught.value).startswith("废物代码")
    assert reason in caught.value.zh


@given(st.integers(0, 999), st.integers(0, 999), st.integers(1, 50))
def test_round_trip_and_category_from_last_two_digits(i: int, n: int, c: int) -> None:
    text = f"{i:03d}-{n:03d}-{c:02d}"
    code = parse_waste_code(text)
    assert code.text == text
    assert code.hw == category_label(c) == f"HW{text[-2:]}"
