"""The one period grammar: reporting periods in Beijing calendar days.

Spellings accepted by :func:`parse_period` (surrounding blanks ignored, ``q`` in either case):

- ``2025`` — a year;
- ``2025-07`` (or ``2025-7``) — a month;
- ``2025Q3`` or ``2025-Q3`` — a quarter (Q1 = January–March …);
- ``2025-07-15`` — a day;
- ``A..B`` — a range from period ``A`` to period ``B`` inclusive, both of the same kind:
  ``2025-01..2025-06``, ``2024..2025``, ``2025-Q1..2025-Q2``, ``2025-07-01..2025-07-15``.

:func:`format_period` writes the canonical spelling (``2025``, ``2025-07``, ``2025-Q3``,
``2025-07-15``, ``A..B``); ``parse_period(format_period(p)) == p`` for every period.
Periods of monitoring data follow Beijing time (:mod:`ecogov.standards.timebase`); a period is
a span of whole Beijing days, ``first`` … ``last`` inclusive.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Final, Literal, get_args

from ecogov.standards.timebase import BEIJING

__all__ = [
    "ASSESSMENT_KINDS",
    "KINDS",
    "YEAR_MAX",
    "YEAR_MIN",
    "AssessmentKind",
    "Kind",
    "Period",
    "PeriodError",
    "format_period",
    "parse_period",
    "period_of",
]

Kind = Literal["day", "month", "quarter", "year"]
"""The unit of a period (of both ends of a range)."""
KINDS: Final[tuple[Kind, ...]] = get_args(Kind)
AssessmentKind = Literal["month", "quarter", "year"]
"""The kinds of period an assessment reports on (HJ 663 air, 环办〔2011〕22号 water)."""
ASSESSMENT_KINDS: Final[tuple[AssessmentKind, ...]] = get_args(AssessmentKind)
YEAR_MIN: Final = 1900
"""Earliest year a period may be written with."""
YEAR_MAX: Final = 2100
"""Latest year a period may be written with."""
RANGE_SEPARATOR: Final = ".."

KIND_NAMES: Final[dict[Kind, tuple[str, str]]] = {
    "day": ("日", "day"),
    "month": ("月", "month"),
    "quarter": ("季度", "quarter"),
    "year": ("年", "year"),
}
"""zh-CN and English name of each kind, for messages."""

_SINGLE: Final = re.compile(
    r"^(?P<year>\d{4})"
    r"(?:-(?P<month>\d{1,2})(?:-(?P<day>\d{1,2}))?|-?[Qq](?P<quarter>\d))?$"
)
_MONTHS: Final[dict[Kind, int]] = {"month": 1, "quarter": 3, "year": 12}
_GRAMMAR_ZH: Final = (
    "可写作 YYYY、YYYY-MM、YYYYQn 或 YYYY-Qn、YYYY-MM-DD，或用 .. 连接同类时段的范围"
    "（如 2025、2025-07、2025Q3、2025-07-15、2025-01..2025-06）"
)
_GRAMMAR_EN: Final = (
    "write YYYY, YYYY-MM, YYYYQn or YYYY-Qn, YYYY-MM-DD, or a range A..B of two periods of "
    "the same kind (e.g. 2025, 2025-07, 2025Q3, 2025-07-15, 2025-01..2025-06)"
)


class PeriodError(ValueError):
    """A period written wrongly; ``str()`` is the zh-CN message, then the English one."""

    def __init__(self, text: str, reason_zh: str, reason_en: str) -> None:
        self.text = text
        self.zh = f"时段“{text}”无法识别：{reason_zh}。{_GRAMMAR_ZH}。"
        self.en = f"period {text!r} is not valid: {reason_en}; {_GRAMMAR_EN}."
        super().__init__(f"{self.zh} / {self.en}")


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _unit_start(kind: Kind, day: date) -> date:
    if kind == "day":
        return day
    if kind == "month":
        return day.replace(day=1)
    if kind == "quarter":
        return date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
    return date(day.year, 1, 1)


def _unit_last(kind: Kind, start: date) -> date:
    if kind == "day":
        return start
    return _add_months(start, _MONTHS[kind]) - timedelta(days=1)


def _format_unit(kind: Kind, start: date) -> str:
    if kind == "day":
        return start.isoformat()
    if kind == "month":
        return f"{start.year:04d}-{start.month:02d}"
    if kind == "quarter":
        return f"{start.year:04d}-Q{(start.month - 1) // 3 + 1}"
    return f"{start.year:04d}"


def _year_earlier(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


@dataclass(frozen=True)
class Period:
    """A reporting period: whole Beijing days ``first`` … ``last``, made of units of ``kind``.

    A single month, quarter, year or day has ``first`` at the start and ``last`` at the end of
    that unit; a range (``2025-01..2025-06``) spans several units of the same kind.
    """

    kind: Kind
    first: date
    last: date

    def __post_init__(self) -> None:
        if _unit_start(self.kind, self.first) != self.first:
            raise ValueError(f"{self.first} does not start a {self.kind}")
        if _unit_last(self.kind, _unit_start(self.kind, self.last)) != self.last:
            raise ValueError(f"{self.last} does not end a {self.kind}")
        if self.last < self.first:
            raise ValueError(f"{self.last} is before {self.first}")

    @property
    def is_range(self) -> bool:
        """Whether the period spans more than one unit of its kind."""
        return _unit_last(self.kind, self.first) != self.last

    @property
    def label(self) -> str:
        """The canonical spelling (``2025``, ``2025-07``, ``2025-Q3``, ``2025-07-15``, ``A..B``)."""
        return format_period(self)

    @property
    def start(self) -> date:
        """The first day (the period is ``[start, end)``)."""
        return self.first

    @property
    def end(self) -> date:
        """The day after the last day (the period is ``[start, end)``)."""
        return self.last + timedelta(days=1)

    @property
    def start_time(self) -> datetime:
        """The first instant: midnight Beijing time of the first day."""
        return datetime.combine(self.start, time(), BEIJING)

    @property
    def end_time(self) -> datetime:
        """The first instant after the period: midnight Beijing time after the last day."""
        return datetime.combine(self.end, time(), BEIJING)

    @property
    def days(self) -> int:
        """Number of days in the period."""
        return (self.last - self.first).days + 1

    @property
    def previous(self) -> Period:
        """The same period one year earlier (同比; 环办监测〔2018〕19号 change rates)."""
        first = _unit_start(self.kind, _year_earlier(self.first))
        last = _unit_last(self.kind, _unit_start(self.kind, _year_earlier(self.last)))
        return Period(self.kind, first, last)

    @property
    def assessment_kind(self) -> AssessmentKind:
        """The kind as an assessment kind; ValueError for a day or a range."""
        if self.is_range or self.kind == "day":
            raise ValueError(f"{self.label} is not a single month, quarter or year")
        return self.kind

    def units(self) -> list[Period]:
        """The single periods of ``kind`` the period is made of, in order."""
        found: list[Period] = []
        start = self.first
        while start <= self.last:
            last = _unit_last(self.kind, start)
            found.append(Period(self.kind, start, last))
            start = last + timedelta(days=1)
        return found

    def __contains__(self, day: object) -> bool:
        """Whether a Beijing day (a :class:`date`) lies in the period."""
        if isinstance(day, datetime):
            day = day.astimezone(BEIJING).date() if day.tzinfo else day.date()
        return isinstance(day, date) and self.first <= day <= self.last

    def __str__(self) -> str:
        return self.label


def period_of(kind: Kind, day: date) -> Period:
    """The single period of ``kind`` that contains ``day``."""
    start = _unit_start(kind, day)
    return Period(kind, start, _unit_last(kind, start))


def format_period(period: Period) -> str:
    """The canonical spelling of a period (inverse of :func:`parse_period`)."""
    first = _format_unit(period.kind, period.first)
    if not period.is_range:
        return first
    last = _format_unit(period.kind, _unit_start(period.kind, period.last))
    return f"{first}{RANGE_SEPARATOR}{last}"


def _parse_single(whole: str, text: str) -> Period:
    match = _SINGLE.match(text)
    if match is None:
        if text == whole.strip():
            raise PeriodError(whole, "不符合时段写法", "it is not a period")
        raise PeriodError(
            whole, f"范围的一端“{text}”不符合时段写法", f"the range end {text!r} is not a period"
        )
    year = int(match["year"])
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise PeriodError(
            whole,
            f"年份须在 {YEAR_MIN}–{YEAR_MAX} 之间",
            f"the year must lie between {YEAR_MIN} and {YEAR_MAX}",
        )
    if match["quarter"] is not None:
        quarter = int(match["quarter"])
        if not 1 <= quarter <= 4:
            raise PeriodError(whole, "季度须为 Q1–Q4", "the quarter must be Q1–Q4")
        return period_of("quarter", date(year, 3 * quarter - 2, 1))
    if match["month"] is None:
        return period_of("year", date(year, 1, 1))
    month = int(match["month"])
    if not 1 <= month <= 12:
        raise PeriodError(whole, "月份须在 01–12 之间", "the month must be 01–12")
    if match["day"] is None:
        return period_of("month", date(year, month, 1))
    try:
        return period_of("day", date(year, month, int(match["day"])))
    except ValueError:
        raise PeriodError(
            whole,
            f"{year}年{month}月没有第{int(match['day'])}日",
            f"{year:04d}-{month:02d} has no day {int(match['day'])}",
        ) from None


def _kind_names(kinds: Collection[Kind]) -> tuple[str, str]:
    ordered = [kind for kind in KINDS if kind in kinds]
    return (
        "、".join(KIND_NAMES[kind][0] for kind in ordered),
        ", ".join(KIND_NAMES[kind][1] for kind in ordered),
    )


def parse_period(text: str, kinds: Collection[Kind] = KINDS, *, allow_range: bool = True) -> Period:
    """A period from its written form (see the module docstring for the grammar).

    Args:
        text: ``2025``, ``2025-07``, ``2025Q3``/``2025-Q3``, ``2025-07-15`` or ``A..B``.
        kinds: the kinds the caller accepts (e.g. month, quarter and year for an HJ 663
            assessment); others are refused with a message naming the accepted ones.
        allow_range: whether ``A..B`` ranges are accepted.

    Raises:
        PeriodError: the text is not a period, or not one the caller accepts; the message says
            what is wrong, in zh-CN and English.
    """
    value = text.strip()
    if RANGE_SEPARATOR in value:
        if not allow_range:
            raise PeriodError(
                text, "此处只接受单个时段，不接受范围", "a range is not accepted here"
            )
        head, _, tail = value.partition(RANGE_SEPARATOR)
        first, last = _parse_single(text, head.strip()), _parse_single(text, tail.strip())
        if first.kind != last.kind:
            raise PeriodError(
                text,
                f"范围两端须为同类时段（此处为{KIND_NAMES[first.kind][0]}和"
                f"{KIND_NAMES[last.kind][0]}）",
                f"both ends of a range must be of the same kind (here a {first.kind} and a "
                f"{last.kind})",
            )
        if last.first < first.first:
            raise PeriodError(text, "范围的起点晚于终点", "the range starts after it ends")
        period = Period(first.kind, first.first, last.last)
    else:
        period = _parse_single(text, value)
    if period.kind not in kinds:
        zh, en = _kind_names(kinds)
        raise PeriodError(
            text,
            f"此处须为{zh}，不能是{KIND_NAMES[period.kind][0]}",
            f"it must be one of: {en} (not a {period.kind})",
        )
    return period
