"""Periods on pages and as input: the picker's choices, period names, 422s in Chinese."""

from __future__ import annotations

from datetime import date

import pytest

from ecogov.platform import clock
from ecogov.platform.errors import InputError
from ecogov.platform.periods import as_period, parse_period, period_choices, period_text
from ecogov.standards.periods import ASSESSMENT_KINDS, Kind

YEARS_ONLY: tuple[Kind, ...] = ("year",)


def test_input_errors_are_input_errors_in_chinese_first() -> None:
    with pytest.raises(InputError, match=r"^时段“2025-13”无法识别：月份须在 01–12 之间"):
        parse_period("2025-13")
    with pytest.raises(InputError, match="此处须为月、季度、年，不能是日"):
        parse_period("2025-07-01", ASSESSMENT_KINDS)


@pytest.mark.parametrize(
    ("text", "zh", "en"),
    [
        ("2025", "2025年", "2025"),
        ("2025Q3", "2025年第3季度", "2025 Q3"),
        ("2025-07", "2025年7月", "2025-07"),
        ("2025-07-15", "2025年7月15日", "2025-07-15"),
        ("2025-01..2025-06", "2025年1月至2025年6月", "2025-01 to 2025-06"),
    ],
)
def test_period_names(text: str, zh: str, en: str) -> None:
    period = parse_period(text)
    assert (period_text(period), period_text(period, "en")) == (zh, en)


def test_the_picker_offers_years_quarters_and_months_newest_first() -> None:
    with clock.frozen(date(2026, 12, 6)):
        choices = period_choices(parse_period("2015-Q3"))
    years = [year for year, _ in choices]
    assert years == list(range(2026, 2009, -1))  # down to five years before the chosen one
    options = dict(choices)[2015]
    assert [p.label for p in options][:6] == [
        "2015", "2015-Q1", "2015-Q2", "2015-Q3", "2015-Q4", "2015-01"
    ]  # fmt: skip
    assert len(options) == 1 + 4 + 12
    with clock.frozen(date(2026, 12, 6)):
        only_years = period_choices(None, YEARS_ONLY)
    assert [(year, [p.label for p in options]) for year, options in only_years][:2] == [
        (2026, ["2026"]),
        (2025, ["2025"]),
    ]
    assert len(only_years) == 6


def test_a_chosen_period_the_picker_lacks_is_offered_first() -> None:
    day = parse_period("2025-07-15")
    with clock.frozen(date(2026, 12, 6)):
        (year, (first,)), *_ = period_choices(day)
    assert (year, first) == (2025, day)


@pytest.mark.parametrize(
    ("value", "label"),
    [(2025, "2025"), ("2025-q1", "2025-Q1"), ("", None), (None, None), ("abc", None), (-5, None)],
)
def test_as_period(value: int | str | None, label: str | None) -> None:
    found = as_period(value)
    assert (found.label if found else None) == label
