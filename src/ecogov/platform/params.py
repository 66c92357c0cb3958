"""Typed request parameters shared by every router: record ids, region codes, years.

One declaration per kind of value, so every route refuses the same bad input the same way
(422 problem+json, see :mod:`ecogov.platform.problems`) and the bounds appear in the OpenAPI
schema for clients to see. Descriptions are zh-CN first, English second.

Bounds:
- record ids are positive integers up to ``2**31 - 1``: the surrogate keys
  (:class:`ecogov.platform.models.IdMixin`) are ``INTEGER`` columns, signed 32-bit on PostgreSQL
  (64-bit on SQLite), so a larger id can name no row on either;
- region codes are GB/T 2260 codes of six digits;
- years run from 1949 (no Chinese environmental record predates the People's Republic) to 2100
  (beyond any plan period or forecast horizon); days, instants and periods lie within these years
  (so that time-zone conversions and "the period before" never leave the calendar).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Final

from fastapi import Path, Query
from pydantic import AfterValidator, Field

from ecogov.platform import periods
from ecogov.platform.errors import InputError

ID_MIN: Final = 1
ID_MAX: Final = 2**31 - 1
YEAR_MIN: Final = 1949
YEAR_MAX: Final = 2100
REGION_PATTERN: Final = r"^\d{6}$"

_ID_TEXT = f"记录编号，{ID_MIN}–{ID_MAX} / record id, {ID_MIN} to {ID_MAX}"
_REGION_TEXT = "6位行政区划代码（GB/T 2260）/ 6-digit region code (GB/T 2260)"
_YEAR_TEXT = f"年份，{YEAR_MIN}–{YEAR_MAX} / year, {YEAR_MIN} to {YEAR_MAX}"
_PERIOD_TEXT = (
    "统计期：YYYY、YYYY-MM、YYYYQn、YYYY-MM-DD 或区间 A..B / "
    "period: YYYY, YYYY-MM, YYYYQn, YYYY-MM-DD or a range A..B"
)


def _within_years(value: date) -> None:
    if not YEAR_MIN <= value.year <= YEAR_MAX:
        raise ValueError(f"应在 {YEAR_MIN}–{YEAR_MAX} 年之间 / must lie in {YEAR_MIN}–{YEAR_MAX}")


def _instant_in_range(moment: datetime) -> datetime:
    _within_years(moment)
    return moment


def _day_in_range(day: date) -> date:
    _within_years(day)
    return day


Instant = Annotated[datetime, AfterValidator(_instant_in_range)]
"""An instant (ISO 8601) within the supported years; add ``Query()`` for a query parameter."""

Day = Annotated[date, AfterValidator(_day_in_range)]
"""A calendar day (YYYY-MM-DD) within the supported years; add ``Query()`` for a query
parameter."""

IdPath = Annotated[int, Path(ge=ID_MIN, le=ID_MAX, description=_ID_TEXT)]
"""A record id in the path."""

IdQuery = Annotated[int | None, Query(ge=ID_MIN, le=ID_MAX, description=_ID_TEXT)]
"""An optional record id in the query string (a filter)."""

IdField = Annotated[int, Field(ge=ID_MIN, le=ID_MAX, description=_ID_TEXT)]
"""A record id in a JSON body."""

RegionQuery = Annotated[str, Query(pattern=REGION_PATTERN, description=_REGION_TEXT)]
"""A required region code in the query string."""

OptionalRegionQuery = Annotated[str | None, Query(pattern=REGION_PATTERN, description=_REGION_TEXT)]
"""An optional region code in the query string (default: the caller's scope)."""

RegionPath = Annotated[str, Path(pattern=REGION_PATTERN, description=_REGION_TEXT)]
"""A region code in the path."""

RegionField = Annotated[str, Field(pattern=REGION_PATTERN, description=_REGION_TEXT)]
"""A region code in a JSON body."""

YearQuery = Annotated[int, Query(ge=YEAR_MIN, le=YEAR_MAX, description=_YEAR_TEXT)]
"""A required year in the query string."""

OptionalYearQuery = Annotated[int | None, Query(ge=YEAR_MIN, le=YEAR_MAX, description=_YEAR_TEXT)]
"""An optional year in the query string (default: this year)."""


def _a_period(text: str | None) -> str | None:
    """``text`` if the one period grammar reads it (empty: none given); else its own message."""
    if text is None or not text.strip():
        return text
    try:
        periods.parse_period(text)
    except InputError as error:
        raise ValueError(str(error)) from None
    return text


PeriodQuery = Annotated[
    str, Query(max_length=64, description=_PERIOD_TEXT), AfterValidator(_a_period)
]
"""A required reporting period in the query string, read by the one period grammar."""

OptionalPeriodQuery = Annotated[
    str | None, Query(max_length=64, description=_PERIOD_TEXT), AfterValidator(_a_period)
]
"""An optional reporting period in the query string (empty or absent: the latest)."""

YearField = Annotated[int, Field(ge=YEAR_MIN, le=YEAR_MAX, description=_YEAR_TEXT)]
"""A year in a JSON body."""


def parse_id(text: str, what: str) -> int:
    """A record id typed into a form or query string by hand, or ``InputError`` (Chinese)."""
    value = text.strip()
    if not value.isascii() or not value.isdigit() or not ID_MIN <= int(value) <= ID_MAX:
        raise InputError(f"{what}：“{text}”不是有效的编号（应为 {ID_MIN}–{ID_MAX} 的整数）")
    return int(value)


def check_region_code(code: str, what: str = "区划代码") -> str:
    """``code`` when it is a six-digit GB/T 2260 code, else ``InputError`` (Chinese)."""
    if len(code) != 6 or not code.isascii() or not code.isdigit():
        raise InputError(f"{what}：“{code}”不是6位数字的行政区划代码")
    return code


def check_year(year: int, what: str = "年份") -> int:
    """``year`` when within the supported years, else ``InputError`` (Chinese)."""
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise InputError(f"{what}：{year} 超出范围（{YEAR_MIN}–{YEAR_MAX}）")
    return year
