"""Working days (工作日) of the national calendar: Monday to Friday, less the public holidays and
plus the make-up working days (调休上班) that the State Council's yearly notice
(国务院办公厅关于 YYYY 年部分节假日安排的通知) sets.

Regulations count many time limits in working days (e.g. 《危险废物转移管理办法》 Art. 18: receipt
confirmed within 5 working days). The yearly notices are data here, one row per year with its
source; a year without a row counts Monday–Friday only (:func:`covers` tells which years are
known, so callers can say so).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Final

__all__ = [
    "CALENDARS",
    "YearCalendar",
    "add_working_days",
    "covers",
    "is_working_day",
    "working_days_between",
]


def _span(first: date, last: date) -> frozenset[date]:
    return frozenset(first + timedelta(days=i) for i in range((last - first).days + 1))


def _days(*spans: tuple[date, date]) -> frozenset[date]:
    out: set[date] = set()
    for first, last in spans:
        out |= _span(first, last)
    return frozenset(out)


@dataclass(frozen=True, slots=True)
class YearCalendar:
    """One year's notice: the days off (放假调休) and the weekend days worked (上班)."""

    year: int
    holidays: frozenset[date]
    makeup_workdays: frozenset[date]
    source: str


D = date
CALENDARS: Final[dict[int, YearCalendar]] = {
    2024: YearCalendar(
        2024,
        _days(
            (D(2024, 1, 1), D(2024, 1, 1)),
            (D(2024, 2, 10), D(2024, 2, 17)),
            (D(2024, 4, 4), D(2024, 4, 6)),
            (D(2024, 5, 1), D(2024, 5, 5)),
            (D(2024, 6, 10), D(2024, 6, 10)),
            (D(2024, 9, 15), D(2024, 9, 17)),
            (D(2024, 10, 1), D(2024, 10, 7)),
        ),
        frozenset(
            {
                D(2024, 2, 4),
                D(2024, 2, 18),
                D(2024, 4, 7),
                D(2024, 4, 28),
                D(2024, 5, 11),
                D(2024, 9, 14),
                D(2024, 9, 29),
                D(2024, 10, 12),
            }
        ),
        "国务院办公厅关于2024年部分节假日安排的通知 (国办发明电〔2023〕7号)",
    ),
    2025: YearCalendar(
        2025,
        _days(
            (D(2025, 1, 1), D(2025, 1, 1)),
            (D(2025, 1, 28), D(2025, 2, 4)),
            (D(2025, 4, 4), D(2025, 4, 6)),
            (D(2025, 5, 1), D(2025, 5, 5)),
            (D(2025, 5, 31), D(2025, 6, 2)),
            (D(2025, 10, 1), D(2025, 10, 8)),
        ),
        frozenset({D(2025, 1, 26), D(2025, 2, 8), D(2025, 4, 27), D(2025, 9, 28), D(2025, 10, 11)}),
        "国务院办公厅关于2025年部分节假日安排的通知 (国办发明电〔2024〕12号)",
    ),
    2026: YearCalendar(
        2026,
        _days(
            (D(2026, 1, 1), D(2026, 1, 3)),
            (D(2026, 2, 15), D(2026, 2, 23)),
            (D(2026, 4, 4), D(2026, 4, 6)),
            (D(2026, 5, 1), D(2026, 5, 5)),
            (D(2026, 6, 19), D(2026, 6, 21)),
            (D(2026, 9, 25), D(2026, 9, 27)),
            (D(2026, 10, 1), D(2026, 10, 7)),
        ),
        frozenset(
            {
                D(2026, 1, 4),
                D(2026, 2, 14),
                D(2026, 2, 28),
                D(2026, 5, 9),
                D(2026, 9, 20),
                D(2026, 10, 10),
            }
        ),
        "国务院办公厅关于2026年部分节假日安排的通知 (2025-11-04, 新华社)",
    ),
}
"""The yearly notices known to this edition of ecogov."""


def covers(year: int) -> bool:
    """Whether the national notice of ``year`` is in :data:`CALENDARS`."""
    return year in CALENDARS


def is_working_day(day: date) -> bool:
    """Whether ``day`` is a working day: a make-up working day, or Monday–Friday and not a
    holiday of its year's notice (Monday–Friday only when the year has no notice)."""
    found = CALENDARS.get(day.year)
    if found is not None:
        if day in found.makeup_workdays:
            return True
        if day in found.holidays:
            return False
    return day.weekday() < 5


def add_working_days(start: date, count: int) -> date:
    """The day ``count`` [working days] after ``start`` (not counting ``start`` itself), as in a
    limit "within N working days of X": the last day on which the act is still on time.
    ``count`` ≥ 0; 0 gives ``start``."""
    if count < 0:
        raise ValueError(f"count must be ≥ 0, not {count}")
    day = start
    left = count
    while left:
        day += timedelta(days=1)
        if is_working_day(day):
            left -= 1
    return day


def working_days_between(start: date, end: date) -> int:
    """Working days after ``start`` up to and including ``end`` (0 when ``end`` ≤ ``start``)."""
    if end <= start:
        return 0
    return sum(1 for i in range(1, (end - start).days + 1) if is_working_day(start + timedelta(i)))
