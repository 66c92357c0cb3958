"""Working days of the national calendar, from the State Council's yearly holiday notices."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ecogov.standards.workdays import (
    CALENDARS,
    add_working_days,
    covers,
    is_working_day,
    working_days_between,
)


def test_spring_festival_2026_and_its_makeup_saturdays() -> None:
    # 2026 notice: 2-15 (Sun) .. 2-23 (Mon) off; 2-14 (Sat) and 2-28 (Sat) worked.
    assert not is_working_day(date(2026, 2, 16))
    assert not is_working_day(date(2026, 2, 23))
    assert is_working_day(date(2026, 2, 14))
    assert is_working_day(date(2026, 2, 28))
    assert is_working_day(date(2026, 2, 24))


def test_five_working_days_across_national_day_2026() -> None:
    # Accepted Wed 2026-09-30: Oct 1–7 off, Sat Oct 10 worked → 8, 9, 10, 12, 13.
    assert add_working_days(date(2026, 9, 30), 5) == date(2026, 10, 13)
    assert working_days_between(date(2026, 9, 30), date(2026, 10, 13)) == 5


def test_years_without_a_notice_count_monday_to_friday() -> None:
    assert not covers(2031)
    assert is_working_day(date(2031, 1, 1))  # a Wednesday, no notice known
    assert not is_working_day(date(2031, 1, 4))  # Saturday


def test_notices_never_list_a_day_both_off_and_worked() -> None:
    for calendar in CALENDARS.values():
        assert not calendar.holidays & calendar.makeup_workdays
        assert all(
            day.year == calendar.year for day in calendar.holidays | calendar.makeup_workdays
        )
        assert all(day.weekday() >= 5 for day in calendar.makeup_workdays)


def test_negative_counts_are_refused() -> None:
    with pytest.raises(ValueError, match="≥ 0"):
        add_working_days(date(2026, 1, 5), -1)


@given(st.dates(date(2024, 1, 1), date(2026, 12, 1)), st.integers(0, 30))
def test_adding_then_counting_agrees(start: date, count: int) -> None:
    end = add_working_days(start, count)
    assert working_days_between(start, end) == count
    assert count == 0 or is_working_day(end)
    assert end - start <= timedelta(days=count * 3 + 10)
