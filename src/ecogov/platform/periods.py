"""Periods as input and on pages: the one period grammar (:mod:`ecogov.standards.periods`) behind
the platform's error hierarchy, so a badly written period is a 422 problem+json in the API and
exit code 2 in the CLI, with a message in zh-CN and English that says what is wrong; and what the
one period picker (``web/templates/_period.html``) offers and how pages name a period.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from typing import Final

from ecogov.platform import clock
from ecogov.platform.errors import InputError
from ecogov.platform.i18n import DEFAULT_LANGUAGE, Catalogue, register, translate
from ecogov.standards.periods import (
    ASSESSMENT_KINDS,
    KINDS,
    YEAR_MAX,
    YEAR_MIN,
    Kind,
    Period,
    PeriodError,
    period_of,
)
from ecogov.standards.periods import parse_period as _parse

__all__ = [
    "KINDS",
    "Kind",
    "Period",
    "as_period",
    "parse_period",
    "period_choices",
    "period_text",
]


def parse_period(text: str, kinds: Collection[Kind] = KINDS, *, allow_range: bool = True) -> Period:
    """A period a user wrote (``2025``, ``2025-07``, ``2025Q3``/``2025-Q3``, ``2025-07-15``,
    ``A..B``), limited to ``kinds`` and, unless ``allow_range``, to single periods.

    Raises:
        InputError: the text is not such a period (message in zh-CN, then English).
    """
    try:
        return _parse(text, kinds, allow_range=allow_range)
    except PeriodError as error:
        raise InputError(str(error)) from None


PICKER_YEARS_BACK: Final = 5
"""Years before the earlier of this year and the chosen one that a period picker offers."""

PERIOD_MESSAGES: Catalogue = {
    "period.label": ("时段", "Period"),
    "period.text.year": ("{year}年", "{year}"),
    "period.text.quarter": ("{year}年第{quarter}季度", "{year} Q{quarter}"),
    "period.text.month": ("{year}年{month}月", "{year}-{month:02d}"),
    "period.text.day": ("{year}年{month}月{day}日", "{year}-{month:02d}-{day:02d}"),
    "period.text.range": ("{first}至{last}", "{first} to {last}"),
}
register(PERIOD_MESSAGES)


def _unit_text(period: Period, language: str) -> str:
    first = period.first
    return translate(f"period.text.{period.kind}", language).format(
        year=first.year, quarter=(first.month - 1) // 3 + 1, month=first.month, day=first.day
    )


def period_text(period: Period, language: str = DEFAULT_LANGUAGE) -> str:
    """How a page names a period: ``2025年第3季度`` (zh-CN), ``2025 Q3`` (English); a range
    ``2025年1月至2025年6月``."""
    units = period.units() if period.is_range else [period]
    if len(units) == 1:
        return _unit_text(period, language)
    return translate("period.text.range", language).format(
        first=_unit_text(units[0], language), last=_unit_text(units[-1], language)
    )


def period_choices(
    chosen: Period | None, kinds: Collection[Kind] = ASSESSMENT_KINDS, ahead: int = 0
) -> list[tuple[int, list[Period]]]:
    """What the one period picker offers, newest year first: per year the whole year, its
    quarters and its months (those of ``kinds``), from :data:`PICKER_YEARS_BACK` years before
    the earlier of this year (the business clock's) and the chosen period, to the later of them
    (and ``ahead`` years after this year, for plans). A chosen period the list lacks (a day, a
    range) is offered first, alone."""
    this_year = clock.today().year
    first = min(this_year, chosen.first.year if chosen else this_year) - PICKER_YEARS_BACK
    last = max(this_year + ahead, chosen.last.year if chosen else this_year)
    found: list[tuple[int, list[Period]]] = []
    for year in range(last, first - 1, -1):
        whole = period_of("year", date(year, 1, 1))
        options = [
            unit
            for kind in ("year", "quarter", "month")
            if kind in kinds
            for unit in (whole if kind == "year" else Period(kind, whole.first, whole.last)).units()
        ]
        found.append((year, options))
    if chosen is not None and not any(chosen in options for _, options in found):
        found.insert(0, (chosen.first.year, [chosen]))
    return found


def as_period(value: Period | int | str | None) -> Period | None:
    """What a page holds as its period — a Period, a year, the text of a query parameter — as a
    Period for the picker; None for nothing or text that is not a period."""
    if value is None or isinstance(value, Period):
        return value
    if isinstance(value, int):
        return period_of("year", date(value, 1, 1)) if YEAR_MIN <= value <= YEAR_MAX else None
    try:
        return _parse(value) if value.strip() else None
    except PeriodError:
        return None
