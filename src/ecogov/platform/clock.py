"""The one clock of business time: "now" and "today" in Beijing time.

Every decision that depends on the date — deadlines and overdue days, escalation, the default
year or period of a report, "the past seven days" — asks this module, never
``datetime.now()`` or ``date.today()``: the host may run on UTC, and tests and the demo must be
able to set the date.

- Tests freeze it with :func:`frozen` (``with clock.frozen(date(2026, 12, 6)): …``).
- The demo and deployments may set ``ECOGOV_CLOCK`` (``2026-11-22`` or ``2026-11-22T09:00``,
  Beijing time): the clock then starts at that moment when first read and runs on from there.

Beijing time itself is defined once, in :mod:`ecogov.standards.timebase` (a pure module).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, time, timedelta
from typing import Final

from ecogov.platform.errors import InputError
from ecogov.platform.settings import get_settings
from ecogov.standards.timebase import BEIJING, as_beijing, beijing_wall

__all__ = ["beijing_time", "frozen", "now", "parse_instant", "parse_moment", "today", "utcnow"]

_lock: Final = threading.Lock()
_frozen: list[datetime] = []
"""Moments set by :func:`frozen`, innermost last (a list, not a context variable: the test
client runs the app in another thread, which must see the same time)."""
_offset: dict[str, timedelta] = {}
"""The shift of the ``ECOGOV_CLOCK`` setting from real time, keyed by the setting's text."""


def parse_moment(text: str) -> datetime:
    """An ISO 8601 date or date-time; a date means midnight, a time without offset Beijing time.

    Raises:
        ValueError: not an ISO date or date-time.
    """
    return as_beijing(datetime.fromisoformat(text.strip()))


def parse_instant(text: str, what: str) -> datetime:
    """An instant a user gave (API query, CLI option): ``2026-01-01``, ``2026-01-01T08:00`` or
    with an offset; Beijing time unless an offset says otherwise.

    Raises:
        InputError: not an ISO 8601 date or time (in zh-CN, then English).
    """
    try:
        return parse_moment(text)
    except ValueError:
        raise InputError(
            f"{what}“{text}”不是 ISO 8601 日期或时间（如 2026-01-01 或 2026-01-01T08:00）"
            f" / {what} {text!r} is not an ISO 8601 date or time"
        ) from None


def _real_now() -> datetime:
    return datetime.now(BEIJING)


def now() -> datetime:
    """The current business moment, timezone-aware in Beijing time."""
    with _lock:
        if _frozen:
            return _frozen[-1]
    setting = get_settings().clock
    if not setting:
        return _real_now()
    shift = _offset.get(setting)
    if shift is None:
        shift = _offset.setdefault(setting, parse_moment(setting) - _real_now())
    return _real_now() + shift


def today() -> date:
    """Today's date in Beijing time: deadlines, overdue days and periods are Beijing days."""
    return now().date()


def utcnow() -> datetime:
    """The current business moment in UTC, for stored timestamps."""
    return now().astimezone(UTC)


@contextmanager
def frozen(moment: datetime | date) -> Iterator[datetime]:
    """Stop the clock at ``moment`` (a date means 09:00 Beijing time) inside the block.

    Nested blocks stack; the innermost wins. Yields the aware moment set.
    """
    if isinstance(moment, datetime):
        aware = as_beijing(moment)
    else:
        aware = datetime.combine(moment, time(9), BEIJING)
    aware = aware.astimezone(BEIJING)
    with _lock:
        _frozen.append(aware)
    try:
        yield aware
    finally:
        with _lock:
            _frozen.remove(aware)


def beijing_time(moment: datetime | None, pattern: str = "%Y-%m-%d %H:%M") -> str:
    """A moment as pages show it: Beijing wall-clock time (stored stamps are UTC; a naive value
    is Beijing time already); an em dash for none. The pages' Jinja filter ``beijing_time``."""
    if moment is None:
        return "—"
    return beijing_wall(moment).strftime(pattern)
