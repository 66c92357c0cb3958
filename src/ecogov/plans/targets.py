"""Target status (目标进展): met, on track, at risk, missed — pure rules, no I/O.

A target binds an indicator to a comparator, a goal value and a deadline year
(``air.good_day_ratio >= 85 % by 2026``). Its status follows from the indicator's values by year:

* ``unbound`` — no indicator (a text target nobody bound yet), or an indicator no domain declares,
  or no comparator/goal;
* ``no_data`` — the indicator has no value for the year the status depends on;
* ``met`` / ``missed`` — only once the deadline year is over, judged on that year's value;
* ``on_track`` / ``at_risk`` — while the deadline year is current or still ahead, judged on the
  latest value: for the current year its whole-year projection (:meth:`Indicator.projection`:
  a count of days scales with the elapsed part of the year, a mean or share stays as it is).
  The projection is *at risk* when it misses the goal, or meets it by less than
  :data:`RISK_MARGIN` of the goal (year-to-date values still move: 85.9 % good days against a
  goal of 85 % is at risk, 87 % is on track).

Comparators: ``>=`` and ``<=`` as written; ``=`` (a value "about" the goal, 左右, or an exact
zero, 消除) is met within :data:`ABOUT_TOLERANCE` of the goal or anywhere on the better side of it
(``higher_is_better`` of the indicator), so 12 % meets "natural gas share about 10 %".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Final

from ecogov.platform.i18n import Catalogue, both, register
from ecogov.platform.indicators import Indicator, IndicatorValue

ERRORS: Final[Catalogue] = {
    "plans.error.comparator": (
        "比较符 {comparator!r} 应为以下之一：{allowed}",
        "comparator {comparator!r} is not one of {allowed}",
    ),
}
register(ERRORS)

RISK_MARGIN: Final = 0.02
"""A projection meeting the goal by less than 2 % of the goal's magnitude is at risk."""
ABOUT_TOLERANCE: Final = 0.05
"""An ``=`` (左右) goal is met within 5 % of the goal's magnitude."""
COMPARATORS: Final = (">=", "<=", "=")


class Status(StrEnum):
    """Where a target stands, as a traffic light (绿 met/on track, 黄 at risk, 红 missed)."""

    MET = "met"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    MISSED = "missed"
    NO_DATA = "no_data"
    UNBOUND = "unbound"


@dataclass(frozen=True)
class TargetStatus:
    """A target's status with what it was judged on.

    ``latest`` is the value the status rests on (the deadline year's once it is over, else the
    most recent year's); ``projection`` the whole-year value implied by a current-year value
    (None otherwise); ``trend`` every known value by year, oldest first, for a sparkline.
    """

    status: Status
    latest: IndicatorValue | None = None
    projection: float | None = None
    trend: tuple[tuple[int, float], ...] = ()


def meets(value: float, comparator: str, goal: float, *, higher_is_better: bool) -> bool:
    """Whether ``value`` satisfies ``comparator goal`` (see the module notes for ``=``)."""
    if comparator == ">=":
        return value >= goal
    if comparator == "<=":
        return value <= goal
    if comparator == "=":
        tolerance = ABOUT_TOLERANCE * abs(goal)
        return value >= goal - tolerance if higher_is_better else value <= goal + tolerance
    raise ValueError(
        both("plans.error.comparator", comparator=comparator, allowed=", ".join(COMPARATORS))
    )


def _worse_by(value: float, margin: float, comparator: str, *, higher_is_better: bool) -> float:
    """``value`` moved by ``margin`` in the direction that threatens the goal."""
    lower_is_worse = comparator == ">=" or (comparator == "=" and higher_is_better)
    return value - margin if lower_is_worse else value + margin


STATUS_COLOURS: Final = {
    Status.MET: "#2e9e44",
    Status.ON_TRACK: "#2e9e44",
    Status.AT_RISK: "#e0a100",
    Status.MISSED: "#d7263d",
    Status.NO_DATA: "#9aa5b1",
    Status.UNBOUND: "#9aa5b1",
}
"""Traffic-light colours of the statuses (绿 met/on track, 黄 at risk, 红 missed, grey)."""


def value_band(value: float, comparator: str, goal: float, *, higher_is_better: bool) -> Status:
    """Where one value stands against a goal, for the map: ``met`` when it meets the goal by
    at least :data:`RISK_MARGIN` of the goal, ``at_risk`` when it meets it by less, ``missed``
    when it does not meet it (absolute thresholds, whatever the other regions' values)."""
    if not meets(value, comparator, goal, higher_is_better=higher_is_better):
        return Status.MISSED
    margin = RISK_MARGIN * abs(goal)
    worse = _worse_by(value, margin, comparator, higher_is_better=higher_is_better)
    safe = meets(worse, comparator, goal, higher_is_better=higher_is_better)
    return Status.MET if safe else Status.AT_RISK


def evaluate_target(
    indicator: Indicator | None,
    comparator: str | None,
    goal: float | None,
    deadline_year: int | None,
    values_by_year: Mapping[int, IndicatorValue],
    today: date,
) -> TargetStatus:
    """The status of a target on ``today`` from the indicator's values by year."""
    if indicator is None or comparator is None or goal is None or deadline_year is None:
        return TargetStatus(Status.UNBOUND)
    higher = indicator.higher_is_better
    trend = tuple((year, values_by_year[year].value) for year in sorted(values_by_year))
    if deadline_year < today.year:
        final = values_by_year.get(deadline_year)
        if final is None:
            return TargetStatus(Status.NO_DATA, trend=trend)
        met = meets(indicator.projection(final), comparator, goal, higher_is_better=higher)
        return TargetStatus(Status.MET if met else Status.MISSED, final, None, trend)
    known = [year for year in values_by_year if year <= today.year]
    if not known:
        return TargetStatus(Status.NO_DATA, trend=trend)
    latest = values_by_year[max(known)]
    projection = indicator.projection(latest) if latest.year == today.year else None
    judged = latest.value if projection is None else projection
    margin = RISK_MARGIN * abs(goal)
    safe = meets(
        _worse_by(judged, margin, comparator, higher_is_better=higher),
        comparator,
        goal,
        higher_is_better=higher,
    )
    return TargetStatus(Status.ON_TRACK if safe else Status.AT_RISK, latest, projection, trend)
