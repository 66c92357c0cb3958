"""Codes of non-hazardous solid waste, 《固体废物分类与代码目录》 (2024) Arts. 3 and 5 (SW-CAT)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ecogov.standards.waste.solid import (
    FirstLevel,
    SolidWasteCodeError,
    first_level_of,
    parse_solid_waste_code,
)


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("441-001-S01", FirstLevel.INDUSTRIAL),
        ("441001S59", FirstLevel.INDUSTRIAL),
        ("900 099 s60", FirstLevel.HOUSEHOLD),
        ("470-001-S79", FirstLevel.CONSTRUCTION),
        ("010-002-S80", FirstLevel.AGRICULTURAL),
        ("900-001-S99", FirstLevel.OTHER),
    ],
)
def test_reads_codes_and_their_first_level(text: str, level: FirstLevel) -> None:
    code = parse_solid_waste_code(text)
    assert code.first_level is level
    assert parse_solid_waste_code(code.text) == code
    assert level.zh in {"工业固体废物", "生活垃圾", "建筑垃圾", "农业固体废物", "其他固体废物"}


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("441-001-S08", "不含 S08"),
        ("441-001-S00", "S00"),
        ("441-000-S01", "001–099"),
        ("441-100-S01", "001–099"),
        ("900-249-08", "格式不符"),
        ("", "格式不符"),
    ],
)
def test_refuses_in_chinese_first(text: str, reason: str) -> None:
    with pytest.raises(SolidWasteCodeError) as caught:
        parse_solid_waste_code(text)
    assert str(caught.value).startswith("固体废物代码")
    assert reason in caught.value.zh


@given(st.integers(1, 99))
def test_every_class_but_s08_has_one_first_level(second: int) -> None:
    if second == 8:
        with pytest.raises(ValueError, match="S08"):
            first_level_of(second)
    else:
        expected = [FirstLevel.INDUSTRIAL] * 59 + [FirstLevel.HOUSEHOLD] * 10
        expected += [FirstLevel.CONSTRUCTION] * 10 + [FirstLevel.AGRICULTURAL] * 10
        expected += [FirstLevel.OTHER] * 10
        assert first_level_of(second) is expected[second - 1]
