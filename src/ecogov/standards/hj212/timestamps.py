"""HJ 212 time values: ``YYYYMMDDhhmmss`` (Table 4 N14), ``…zzz`` milliseconds (QN) and ``hhmmss``.

The standard writes local clock readings without a zone. Monitoring in China runs on Beijing time
(UTC+08:00, no daylight saving since 1991), so every parsed time is returned timezone-aware in
``Asia/Shanghai``; a naive datetime handed to a formatter is taken to be Beijing time already.

:func:`is_valid_timestamp` runs on every packet (its QN and DataTime), so it is written in C
(``_native.c``); the tests hold it against :class:`datetime`.
"""

from __future__ import annotations

import calendar
import time as clock
from datetime import datetime, time
from functools import cache
from typing import Final
from zoneinfo import ZoneInfo

from ecogov.standards.hj212.errors import SegmentError, Violation, ViolationCode
from ecogov.standards.hj212.kernels import is_valid_timestamp
from ecogov.standards.timebase import BEIJING_OFFSET_S

__all__ = [
    "BEIJING",
    "format_clock",
    "format_timestamp",
    "is_valid_clock",
    "is_valid_timestamp",
    "parse_clock",
    "parse_timestamp",
    "qn_of_unix_ms",
    "timestamp_of_unix",
    "unix_of_timestamp",
]

BEIJING: Final = ZoneInfo("Asia/Shanghai")
_SOME_DATE: Final = "20000101"
"""A valid ``YYYYMMDD``, to check an ``hhmmss`` as the time of day of a timestamp."""


def is_valid_clock(text: str) -> bool:
    """Whether ``text`` is ``hhmmss`` with hh 00–23, mm and ss 00–59 (Table 4 ``CstartTime`` N6):
    checked as the time of day of a timestamp on a valid date, by the same rules."""
    return len(text) == 6 and is_valid_timestamp(_SOME_DATE + text, millis=False)


def parse_timestamp(text: str) -> datetime:
    """``YYYYMMDDhhmmss[zzz]`` → aware Beijing datetime (§6.3.2 QN, §6.3.3 Table 4 N14 fields).

    Raises :class:`~ecogov.standards.hj212.errors.SegmentError` for text that
    :func:`is_valid_timestamp` rejects.
    """
    if not is_valid_timestamp(text, millis=None):
        raise SegmentError([Violation(ViolationCode.CP_TIME, f"not an HJ 212 timestamp: {text!r}")])
    micro = int(text[14:17]) * 1000 if len(text) == 17 else 0
    return datetime(
        int(text[:4]),
        int(text[4:6]),
        int(text[6:8]),
        int(text[8:10]),
        int(text[10:12]),
        int(text[12:14]),
        micro,
        tzinfo=BEIJING,
    )


def parse_clock(text: str) -> time:
    """``hhmmss`` → :class:`datetime.time` (Table 4 ``CstartTime``); SegmentError if malformed."""
    if not is_valid_clock(text):
        raise SegmentError([Violation(ViolationCode.CP_TIME, f"not an hhmmss time: {text!r}")])
    return time(int(text[:2]), int(text[2:4]), int(text[4:6]))


def format_timestamp(moment: datetime, *, millis: bool = False) -> str:
    """Beijing wall-clock text: ``YYYYMMDDhhmmss`` (Table 4 N14) or, with ``millis``, QN's ``…zzz``.

    Aware datetimes are converted to Beijing time first; naive ones are taken as Beijing time.
    """
    local = moment.astimezone(BEIJING) if moment.tzinfo is not None else moment
    text = f"{local.year:04d}{local.month:02d}{local.day:02d}{local:%H%M%S}"
    return f"{text}{local.microsecond // 1000:03d}" if millis else text


def format_clock(moment: time) -> str:
    """``hhmmss`` text of a clock time (Table 4 ``CstartTime``)."""
    return f"{moment:%H%M%S}"


def unix_of_timestamp(text: str) -> int:
    """``YYYYMMDDhhmmss[zzz]`` Beijing time (Table 4 N14, Table 3 QN) as Unix seconds, the
    milliseconds dropped. For text :func:`is_valid_timestamp` accepts: a receiver's hot path,
    on values already checked, so the hours seen lately are cached."""
    hour = text[:10]
    start = _hours.get(hour)
    if start is None:
        if len(_hours) >= _HOURS_KEPT:
            _hours.clear()
        moment = (int(text[:4]), int(text[4:6]), int(text[6:8]), int(text[8:10]), 0, 0)
        start = _hours[hour] = calendar.timegm(moment) - BEIJING_OFFSET_S
    return start + int(text[10:12]) * 60 + int(text[12:14])


_hours: dict[str, int] = {}
"""Unix seconds of the Beijing hours ``YYYYMMDDhh`` seen lately (uploads share a few hours)."""
_HOURS_KEPT: Final = 4096


def timestamp_of_unix(unix: int) -> str:
    """Unix seconds as ``YYYYMMDDhhmmss`` Beijing time (Table 4 N14): :func:`format_timestamp`
    without a datetime, for senders of many packets (the day's text is cached)."""
    day, second = divmod(unix + BEIJING_OFFSET_S, 86_400)
    hour, rest = divmod(second, 3600)
    return f"{_beijing_day(day)}{hour:02d}{rest // 60:02d}{rest % 60:02d}"


def qn_of_unix_ms(unix_ms: int) -> str:
    """Unix milliseconds as a QN ``YYYYMMDDhhmmsszzz`` (Table 3, Beijing time)."""
    return f"{timestamp_of_unix(unix_ms // 1000)}{unix_ms % 1000:03d}"


@cache
def _beijing_day(unix_day: int) -> str:
    """``YYYYMMDD`` of a Beijing day numbered from the epoch."""
    return clock.strftime("%Y%m%d", clock.gmtime(unix_day * 86_400))
