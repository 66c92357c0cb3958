"""Months of the record store: the unit of its PostgreSQL partitions and of its Parquet archive.

A month is a Beijing calendar month (the one period grammar's ``month``), as the half-open range
``[lower, upper)`` of ``data_time`` [Unix s] it covers: HJ 212 DataTime is Beijing time.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from ecogov.platform.periods import Period
from ecogov.standards.periods import period_of
from ecogov.standards.timebase import BEIJING


def month_of(unix_seconds: int) -> Period:
    """The Beijing month holding the instant ``unix_seconds`` [Unix s]."""
    return period_of("month", datetime.fromtimestamp(unix_seconds, BEIJING).date())


def month_at(moment: datetime) -> Period:
    """The Beijing month holding ``moment`` (an aware datetime)."""
    return period_of("month", moment.astimezone(BEIJING).date())


def bounds(month: Period) -> tuple[int, int]:
    """``(lower, upper)`` [Unix s]: the month is ``lower ≤ data_time < upper``."""
    return int(month.start_time.timestamp()), int(month.end_time.timestamp())


def following(month: Period) -> Period:
    """The month after ``month``."""
    return period_of("month", month.end)


def preceding(month: Period) -> Period:
    """The month before ``month``."""
    return period_of("month", month.start - timedelta(days=1))


def shifted(month: Period, months: int) -> Period:
    """``month`` moved by ``months`` (negative: back)."""
    step = following if months >= 0 else preceding
    for _ in range(abs(months)):
        month = step(month)
    return month
