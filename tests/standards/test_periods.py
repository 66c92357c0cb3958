"""The one period grammar: every spelling, ranges, round trips, day containment, range edges."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ecogov.standards.periods import (
    ASSESSMENT_KINDS,
    KINDS,
    YEAR_MAX,
    YEAR_MIN,
    Kind,
    Period,
    PeriodError,
    format_period,
    parse_period,
    period_of,
)
from ecogov.standards.timebase import BEIJING

days = st.dates(date(YEAR_MIN, 1, 1), date(YEAR_MAX, 12, 31))
kinds = st.sampled_from(KINDS)


@st.composite
def periods(draw: st.DrawFn) -> Period:
    """A single period or a range of any kind inside the grammar's years."""
    kind = draw(kinds)
    first = draw(days)
    span = draw(st.integers(0, 400 if kind == "day" else 40 * 366))
    last = min(first + timedelta(days=span), date(YEAR_MAX, 12, 31))
    return Period(kind, period_of(kind, first).first, period_of(kind, last).last)


@pytest.mark.parametrize(
    ("text", "kind", "first", "last", "label"),
    [
        ("2025", "year", "2025-01-01", "2025-12-31", "2025"),
        ("2025-07", "month", "2025-07-01", "2025-07-31", "2025-07"),
        ("2025-7", "month", "2025-07-01", "2025-07-31", "2025-07"),
        ("2024-02", "month", "2024-02-01", "2024-02-29", "2024-02"),
        ("2015Q3", "quarter", "2015-07-01", "2015-09-30", "2015-Q3"),
        ("2015-Q3", "quarter", "2015-07-01", "2015-09-30", "2015-Q3"),
        ("2015q4", "quarter", "2015-10-01", "2015-12-31", "2015-Q4"),
        ("2025-07-15", "day", "2025-07-15", "2025-07-15", "2025-07-15"),
        (" 2025-01..2025-06 ", "month", "2025-01-01", "2025-06-30", "2025-01..2025-06"),
        ("2024..2025", "year", "2024-01-01", "2025-12-31", "2024..2025"),
        ("2025Q1 .. 2025-q2", "quarter", "2025-01-01", "2025-06-30", "2025-Q1..2025-Q2"),
        ("2025-07-01..2025-07-15", "day", "2025-07-01", "2025-07-15", "2025-07-01..2025-07-15"),
        ("2025-03..2025-03", "month", "2025-03-01", "2025-03-31", "2025-03"),
    ],
)
def test_every_spelling(text: str, kind: Kind, first: str, last: str, label: str) -> None:
    period = parse_period(text)
    assert (period.kind, period.first.isoformat(), period.last.isoformat()) == (kind, first, last)
    assert period.label == label == str(period)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "不符合时段写法"),
        ("15", "不符合时段写法"),
        ("2015/07", "不符合时段写法"),
        ("last year", "不符合时段写法"),
        ("2015-13", "月份须在 01–12 之间"),
        ("2015-00", "月份须在 01–12 之间"),
        ("2015Q5", "季度须为 Q1–Q4"),
        ("2015-Q0", "季度须为 Q1–Q4"),
        ("2025-02-30", "2025年2月没有第30日"),
        ("1899", "年份须在 1900–2100 之间"),
        ("9999-01", "年份须在 1900–2100 之间"),
        ("2025-06..2025-01", "范围的起点晚于终点"),
        ("2025..2025-06", "范围两端须为同类时段（此处为年和月）"),
        ("2025-01..", "范围的一端“”不符合时段写法"),
        ("2025-01..2025-6月", "范围的一端“2025-6月”不符合时段写法"),
    ],
)
def test_bad_periods_say_what_is_wrong_in_chinese_then_english(text: str, reason: str) -> None:
    with pytest.raises(PeriodError) as caught:
        parse_period(text)
    message = str(caught.value)
    assert message.startswith(f"时段“{text}”无法识别：{reason}")
    assert f"period {text!r} is not valid" in message
    assert "YYYYQn or YYYY-Qn" in message  # the English half names the grammar too


def test_callers_limit_kinds_and_ranges() -> None:
    assert parse_period("2025Q2", ASSESSMENT_KINDS, allow_range=False).kind == "quarter"
    with pytest.raises(PeriodError, match="此处须为月、季度、年，不能是日"):
        parse_period("2025-07-15", ASSESSMENT_KINDS)
    with pytest.raises(PeriodError, match="此处只接受单个时段，不接受范围"):
        parse_period("2025-01..2025-06", allow_range=False)


def test_year_earlier() -> None:
    assert parse_period("2025-Q1").previous.label == "2024-Q1"
    assert parse_period("2024-02-29").previous.label == "2023-02-28"
    assert parse_period("2025-01..2025-06").previous.label == "2024-01..2024-06"


@given(periods())
def test_format_then_parse_is_the_identity(period: Period) -> None:
    assert parse_period(format_period(period)) == period


@given(periods())
def test_parse_then_format_is_stable_on_canonical_text(period: Period) -> None:
    text = format_period(period)
    assert format_period(parse_period(text)) == text


@given(kinds, days)
def test_the_period_of_a_day_contains_it_and_nothing_next_to_it(kind: Kind, day: date) -> None:
    period = period_of(kind, day)
    assert day in period
    assert datetime.combine(day, datetime.min.time(), BEIJING) in period
    assert period.first - timedelta(days=1) not in period
    assert period.last + timedelta(days=1) not in period
    assert not period.is_range
    assert period.days == (period.end - period.start).days
    assert period.end_time - period.start_time == timedelta(days=period.days)


@settings(deadline=None)  # a range of days has hundreds of units
@given(periods(), days)
def test_a_day_is_in_a_period_exactly_when_one_of_its_units_holds_it(
    period: Period, day: date
) -> None:
    units = period.units()
    assert (day in period) == any(day in unit for unit in units)
    assert units[0].first == period.first
    assert units[-1].last == period.last
    for before, after in pairwise(units):
        assert after.first == before.last + timedelta(days=1)  # no gaps, no overlaps


@given(kinds, days, days)
def test_range_edges_are_the_edges_of_its_end_periods(kind: Kind, a: date, b: date) -> None:
    first, last = sorted((a, b))
    start, end = period_of(kind, first), period_of(kind, last)
    text = f"{start.label}..{end.label}"
    period = parse_period(text)
    assert (period.first, period.last) == (start.first, end.last)
    assert period.is_range == (start != end)
    assert first in period
    assert last in period
    if start != end:
        with pytest.raises(PeriodError, match="范围的起点晚于终点"):
            parse_period(f"{end.label}..{start.label}")


@given(days)
def test_a_beijing_midnight_belongs_to_the_day_it_starts(day: date) -> None:
    """An instant is placed by its Beijing calendar day, not its UTC one."""
    period = period_of("day", day)
    midnight = datetime.combine(day, datetime.min.time(), BEIJING)
    assert midnight in period
    assert midnight - timedelta(microseconds=1) not in period
    assert midnight.astimezone(BEIJING).date() == day
