"""Tracking targets (目标跟踪): every target of a plan or a region with its status, and an
indicator's values across the subdivisions of a region (the command centre's map).

Indicator values come from the registry every domain contributes to
(:func:`ecogov.platform.indicators.registry`); callers may pass another mapping (tests pass a
fake indicator). Each value is computed once per (indicator, region, year) within one call.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Final

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from ecogov.plans.access import PLANS
from ecogov.plans.alerts import TargetAlertInput, publish_targets
from ecogov.plans.models import Plan, Target
from ecogov.plans.targets import TargetStatus, evaluate_target, value_band
from ecogov.platform.db import Database
from ecogov.platform.errors import InputError
from ecogov.platform.i18n import Catalogue, both, register
from ecogov.platform.indicators import Indicator, IndicatorValue, registry
from ecogov.platform.indicators import value_of as stored_value
from ecogov.platform.permissions import authorize
from ecogov.platform.scope import Principal
from ecogov.regions import service as regions

ERRORS: Final[Catalogue] = {
    "plans.error.no_indicator": (
        "没有指标 {key!r}，可用指标见 /api/v1/plans/indicators",
        "no indicator {key!r}: see /api/v1/plans/indicators",
    ),
}
register(ERRORS)

LOG = logging.getLogger(__name__)
TREND_YEARS: Final = 6
"""At most this many years of values are computed for a target's trend line."""

Indicators = Mapping[str, Indicator]
ValueCache = dict[tuple[str, str, int], IndicatorValue | None]


@dataclass(frozen=True)
class TargetView:
    """A target with its plan and its status."""

    id: int
    plan_id: int
    plan_title: str
    region_code: str
    indicator_key: str | None
    indicator_name_zh: str | None
    indicator_name_en: str | None
    higher_is_better: bool | None
    comparator: str | None
    goal: float | None
    unit: str | None
    year: int | None
    scope_text: str | None
    text: str
    result: TargetStatus

    def indicator_name(self, language: str) -> str | None:
        """The indicator's name in ``language`` (zh or en), None when unbound."""
        return self.indicator_name_en if language == "en" else self.indicator_name_zh


@dataclass(frozen=True)
class _Row:
    """What evaluating a target needs, read before any indicator is computed."""

    target: Target
    plan_title: str
    plan_start: int


@dataclass(frozen=True)
class RegionValue:
    """An indicator's value for one subdivision (None: no data).

    ``goal``/``comparator`` are the target the value is held against (the subdivision's own
    target for the indicator, else the region's), ``category`` the value's band against it
    (``met``, ``at_risk``, ``missed``; None without a target or a value).
    """

    code: str
    name: str
    value: float | None
    partial: bool
    category: str | None = None
    goal: float | None = None
    comparator: str | None = None


def _indicators(indicators: Indicators | None) -> Indicators:
    return registry() if indicators is None else indicators


def indicator_value(
    db: Database, indicator: Indicator, region_code: str, year: int, cache: ValueCache
) -> IndicatorValue | None:
    """The indicator's value for a region and year (None without data or a compute), stored
    while its data are unchanged (:func:`ecogov.platform.indicators.value_of`).

    A compute that fails is logged with its traceback and counts as no data: the indicators
    come from every domain, and one domain's fault must not take the command centre down.
    """
    key = (indicator.key, region_code, year)
    if key not in cache:
        cache[key] = None
        try:
            cache[key] = stored_value(db, indicator, region_code, year)
        except Exception:
            LOG.exception("indicator %s failed for %s in %d", indicator.key, region_code, year)
    return cache[key]


def _years(plan_start: int, deadline: int, today: date) -> range:
    """Years whose values a target's status and trend use: the plan period up to the deadline
    (or up to this year for a later deadline), at most :data:`TREND_YEARS` of them."""
    last = min(deadline, today.year)
    first = max(min(plan_start, deadline), last - TREND_YEARS + 1)
    return range(first, last + 1)


def _evaluate(
    db: Database, rows: Iterable[_Row], today: date, indicators: Indicators
) -> list[TargetView]:
    cache: ValueCache = {}
    views: list[TargetView] = []
    off_track: list[TargetAlertInput] = []
    for row in rows:
        target = row.target
        indicator = indicators.get(target.indicator) if target.indicator else None
        values: dict[int, IndicatorValue] = {}
        if indicator is not None and target.year is not None:
            for year in _years(row.plan_start, target.year, today):
                value = indicator_value(db, indicator, target.region_code, year, cache)
                if value is not None:
                    values[year] = value
        result = evaluate_target(
            indicator, target.comparator, target.value, target.year, values, today
        )
        views.append(
            TargetView(
                id=target.id,
                plan_id=target.plan_id,
                plan_title=row.plan_title,
                region_code=target.region_code,
                indicator_key=target.indicator,
                indicator_name_zh=indicator.name_zh if indicator else None,
                indicator_name_en=indicator.name_en if indicator else None,
                higher_is_better=indicator.higher_is_better if indicator else None,
                comparator=target.comparator,
                goal=target.value,
                unit=target.unit,
                year=target.year,
                scope_text=target.scope_text,
                text=target.text,
                result=result,
            )
        )
        off_track.append(_alert_input(row, result))
    publish_targets(db, off_track)
    return views


def _alert_input(row: _Row, result: TargetStatus) -> TargetAlertInput:
    """What the targets' alert producer needs of an evaluated target."""
    target = row.target
    return TargetAlertInput(
        target_id=target.id,
        plan_id=target.plan_id,
        plan_title=row.plan_title,
        plan_start=row.plan_start,
        region_code=target.region_code,
        text=target.text,
        indicator=target.indicator,
        comparator=target.comparator,
        goal=target.value,
        year=target.year,
        status=result.status,
        latest=result.latest.value if result.latest else None,
        projection=result.projection,
    )


def _rows(session: Session, *conditions: ColumnElement[bool]) -> list[_Row]:
    found = session.execute(
        select(Target, Plan.title, Plan.start_year)
        .join(Plan, Plan.id == Target.plan_id)
        .where(*conditions)
        .order_by(Plan.id, Target.id)
    ).all()
    return [_Row(target, title, start) for target, title, start in found]


def plan_targets(
    db: Database,
    principal: Principal,
    plan_id: int,
    today: date,
    indicators: Indicators | None = None,
) -> list[TargetView]:
    """Every target of a plan with its status on ``today``."""
    authorize(principal, "read", PLANS)
    with db.transaction(principal) as session:
        rows = _rows(session, Target.plan_id == plan_id)
    return _evaluate(db, rows, today, _indicators(indicators))


def region_targets(
    db: Database,
    principal: Principal,
    region_code: str,
    today: date,
    indicators: Indicators | None = None,
) -> list[TargetView]:
    """Every target of the plans of a region (that region's own, not those below it)."""
    authorize(principal, "read", PLANS)
    regions.ensure_visible(principal, region_code)
    with db.transaction(principal) as session:
        rows = _rows(session, Plan.region_code == region_code)
    return _evaluate(db, rows, today, _indicators(indicators))


def _goals(
    db: Database, principal: Principal, key: str, codes: list[str], year: int
) -> dict[str, tuple[str, float]]:
    """Per region code, the (comparator, goal) of its target for ``key`` that applies to
    ``year``: the nearest deadline from ``year`` on, else the latest one before it."""
    with db.transaction(principal) as session:
        found = session.execute(
            select(Target.region_code, Target.comparator, Target.value, Target.year).where(
                Target.indicator == key,
                Target.region_code.in_(codes),
                Target.comparator.is_not(None),
                Target.value.is_not(None),
            )
        ).all()
    best: dict[str, tuple[tuple[int, int], str, float]] = {}
    for code, comparator, goal, deadline in found:
        if comparator is None or goal is None:
            continue
        deadline = deadline if deadline is not None else year
        rank = (0, deadline - year) if deadline >= year else (1, year - deadline)
        if code not in best or rank < best[code][0]:
            best[code] = (rank, comparator, goal)
    return {code: (comparator, goal) for code, (_, comparator, goal) in best.items()}


def children_values(
    db: Database,
    principal: Principal,
    region_code: str,
    key: str,
    year: int,
    indicators: Indicators | None = None,
) -> list[RegionValue]:
    """An indicator's value for each subdivision of a region in a year (the map's shading), or
    for the region itself when it has no subdivisions (a county), each with its band against
    the target that applies to it (its own, else the region's): absolute thresholds, never the
    range of the values."""
    authorize(principal, "read", PLANS)
    regions.ensure_visible(principal, region_code)
    indicator = _indicators(indicators).get(key)
    if indicator is None:
        raise InputError(both("plans.error.no_indicator", key=key))
    areas = regions.list_regions(db, principal, region_code) or [
        regions.get_region(db, principal, region_code)
    ]
    goals = _goals(db, principal, key, [area.code for area in areas] + [region_code], year)
    cache: ValueCache = {}
    result: list[RegionValue] = []
    for area in areas:
        value = indicator_value(db, indicator, area.code, year, cache)
        target = goals.get(area.code) or goals.get(region_code)
        category = None
        if target is not None and value is not None:
            band = value_band(
                value.value, target[0], target[1], higher_is_better=indicator.higher_is_better
            )
            category = band.value
        result.append(
            RegionValue(
                area.code,
                area.name,
                None if value is None else value.value,
                value is not None and value.partial,
                category=category,
                goal=None if target is None else target[1],
                comparator=None if target is None else target[0],
            )
        )
    return result
