"""Deadlines and periods written in plan text (时间节点): ``到2022年``, ``2021年底前``, ``6月底前``.

A deadline has year precision (``2022``), month precision (``2022-06``) or day precision
(``2022-06-30``); :meth:`Deadline.iso` writes it as an ISO 8601 date of that precision.
``年底`` (end of year) is the year itself. A year counts as a deadline only where the text makes
it one: after 到/至/于/在/截至, before 底/末/前, or opening a clause (``2020年，…``). Baseline
years (``比2016年下降``) and years inside titles (``《…规划(2016-2020年)》``) are not deadlines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

__all__ = ["Deadline", "find_deadlines", "find_start", "latest", "period_end", "title_year"]


@dataclass(frozen=True)
class Deadline:
    """A point in time given to year, month or day precision (a missing part is None)."""

    year: int
    month: int | None = None
    day: int | None = None

    def iso(self) -> str:
        """ISO 8601 form at the deadline's own precision: ``2022``, ``2022-06``, ``2022-06-30``."""
        text = f"{self.year:04d}"
        if self.month is not None:
            text += f"-{self.month:02d}"
            if self.day is not None:
                text += f"-{self.day:02d}"
        return text

    def sort_key(self) -> tuple[int, int, int]:
        """Key ordering deadlines by the last moment they allow (a bare year is its 31 December)."""
        return (self.year, self.month or 12, self.day or 31)


_TITLES: Final = re.compile(r"《[^》]*》")
_YEAR: Final = re.compile(
    r"(?P<pre>到|至|于|在|截至|截止)?(?P<y>(?:19|20)\d{2})年"
    r"(?:(?P<m>\d{1,2})月(?:(?P<d>\d{1,2})日)?)?"
    r"(?P<post>底前|底|末|以前|前|上半年|下半年)?(?!(?:\d{1,2}月)?(?:起|开始))"
)
_MONTH: Final = re.compile(
    r"(?<![\d年])(?P<m>\d{1,2})月(?:(?P<d>\d{1,2})日)?(?P<post>底前|底|末|以前|前)(?!起)"
)
_START: Final = re.compile(r"(?P<y>(?:19|20)\d{2})年(?:(?P<m>\d{1,2})月)?(?:起|开始)")
_CLAUSE_OPENERS: Final = frozenset("，。；：、（“")
_BASELINE: Final = frozenset("比较")
_HALF_YEAR_MONTH: Final = {"上半年": 6, "下半年": 12}


def _month(text: str | None) -> int | None:
    """A month number 1–12 parsed from ``text``, else None."""
    if text is None or not 1 <= int(text) <= 12:
        return None
    return int(text)


def _day(text: str | None, month: int | None) -> int | None:
    """A day number 1–31 parsed from ``text`` when a month is known, else None."""
    if text is None or month is None or not 1 <= int(text) <= 31:
        return None
    return int(text)


def _is_deadline_year(text: str, match: re.Match[str]) -> bool:
    """Whether a matched year is a deadline in context rather than a baseline or a name."""
    before = text[match.start() - 1] if match.start() else ""
    if before in _BASELINE:
        return False
    return (
        bool(match.group("pre") or match.group("post")) or not before or before in _CLAUSE_OPENERS
    )


def find_deadlines(text: str, default_year: int | None = None) -> list[Deadline]:
    """Every deadline in ``text``, in order; month-only deadlines take ``default_year``.

    >>> [d.iso() for d in find_deadlines("到2022年底，…；6月底前完成", 2021)]
    ['2022', '2021-06']
    """
    text = _TITLES.sub("", text)
    found: list[tuple[int, Deadline]] = []
    for match in _YEAR.finditer(text):
        if _is_deadline_year(text, match):
            month = _month(match.group("m")) or _HALF_YEAR_MONTH.get(match.group("post") or "")
            year = int(match.group("y"))
            found.append((match.start(), Deadline(year, month, _day(match.group("d"), month))))
    if default_year is not None:
        for match in _MONTH.finditer(text):
            month = _month(match.group("m"))
            if month is not None:
                deadline = Deadline(default_year, month, _day(match.group("d"), month))
                found.append((match.start(), deadline))
    return [deadline for _, deadline in sorted(found, key=lambda item: item[0])]


# Five-year plan periods named instead of years: “十四五”时期 ends in 2025.
_PERIODS: Final = re.compile(r"十(?P<n>[一二三四五六七])五")
_PERIOD_END: Final = {n: 2005 + 5 * (i + 1) for i, n in enumerate("一二三四五六七")}


def period_end(text: str) -> Deadline | None:
    """The end of the last five-year period ``text`` names (十四五 → 2025), else None."""
    found = _PERIODS.findall(_TITLES.sub("", text))
    return Deadline(_PERIOD_END[found[-1]]) if found else None


def latest(deadlines: list[Deadline]) -> Deadline | None:
    """The deadline allowing the most time, or None for an empty list."""
    return max(deadlines, key=Deadline.sort_key, default=None)


def find_start(text: str) -> Deadline | None:
    """The first explicit start (``2019年起``, ``自2020年3月开始``) in ``text``, else None."""
    match = _START.search(_TITLES.sub("", text))
    if match is None:
        return None
    return Deadline(int(match.group("y")), _month(match.group("m")))


_PERIOD: Final = re.compile(r"((?:19|20)\d{2})\s*[-—~至到]\s*((?:19|20)\d{2})")
_TITLE_YEAR: Final = re.compile(r"((?:19|20)\d{2})年")


def title_period(title: str | None) -> tuple[int, int] | None:
    """The period a plan title names: (2018, 2022) for 2018-2022, (2020, 2020) for one year."""
    if not title:
        return None
    period = _PERIOD.search(title)
    if period is not None:
        return int(period.group(1)), int(period.group(2))
    single = _TITLE_YEAR.search(title)
    return (int(single.group(1)),) * 2 if single else None


def title_year(title: str | None) -> int | None:
    """The year a plan title names: the end of its period (2018-2022 → 2022) or its one year."""
    period = title_period(title)
    return period[1] if period else None
