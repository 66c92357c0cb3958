"""Target status rules: each status, the at-risk margin, the year-to-date projection, the
``=`` (about) comparator and when a target can be met or missed."""

from __future__ import annotations

from datetime import date

import pytest

from ecogov.plans.targets import (
    ABOUT_TOLERANCE,
    RISK_MARGIN,
    Status,
    evaluate_target,
    meets,
)
from ecogov.platform.indicators import Aggregation, Indicator, IndicatorValue

GOOD_DAYS = Indicator("air.good_day_ratio", "优良天数比率", "Good days", "%", True)
PM25 = Indicator("air.pm25_annual_mean", "PM2.5年均浓度", "PM2.5", "µg/m³", False)
HEAVY_DAYS = Indicator(
    "air.heavy_pollution_days", "重污染天数", "Heavy days", "天", False, Aggregation.COUNT
)
TODAY = date(2026, 7, 2)  # half of 2026 has passed


def full(year: int, value: float) -> IndicatorValue:
    return IndicatorValue(value=value, year=year)


def ytd(value: float, fraction: float = 0.5) -> IndicatorValue:
    return IndicatorValue(value=value, year=2026, partial=True, elapsed_fraction=fraction)


def status(
    indicator: Indicator | None,
    comparator: str | None,
    goal: float | None,
    deadline: int | None,
    values: dict[int, IndicatorValue],
) -> Status:
    return evaluate_target(indicator, comparator, goal, deadline, values, TODAY).status


def test_unbound_without_indicator_comparator_goal_or_year() -> None:
    values = {2025: full(2025, 90)}
    assert status(None, ">=", 85, 2026, values) is Status.UNBOUND
    assert status(GOOD_DAYS, None, 85, 2026, values) is Status.UNBOUND
    assert status(GOOD_DAYS, ">=", None, 2026, values) is Status.UNBOUND
    assert status(GOOD_DAYS, ">=", 85, None, values) is Status.UNBOUND


def test_no_data_when_the_deciding_year_has_no_value() -> None:
    assert status(GOOD_DAYS, ">=", 85, 2026, {}) is Status.NO_DATA
    # a past deadline is judged on its own year only, not on a later value
    assert status(GOOD_DAYS, ">=", 85, 2024, {2025: full(2025, 90)}) is Status.NO_DATA


def test_met_and_missed_only_once_the_deadline_year_is_over() -> None:
    assert status(GOOD_DAYS, ">=", 85, 2025, {2025: full(2025, 85.0)}) is Status.MET
    assert status(GOOD_DAYS, ">=", 85, 2025, {2025: full(2025, 84.9)}) is Status.MISSED
    assert status(PM25, "<=", 35, 2025, {2025: full(2025, 35.0)}) is Status.MET
    assert status(PM25, "<=", 35, 2025, {2025: full(2025, 35.1)}) is Status.MISSED
    # in the deadline year itself a value far beyond the goal is still only on track
    assert status(GOOD_DAYS, ">=", 85, 2026, {2026: ytd(99)}) is Status.ON_TRACK


def test_at_risk_within_the_margin_and_when_the_projection_misses() -> None:
    margin = RISK_MARGIN * 85  # 1.7 percentage points
    assert status(GOOD_DAYS, ">=", 85, 2026, {2026: ytd(85 + margin)}) is Status.ON_TRACK
    assert status(GOOD_DAYS, ">=", 85, 2026, {2026: ytd(85 + margin - 0.01)}) is Status.AT_RISK
    assert status(GOOD_DAYS, ">=", 85, 2026, {2026: ytd(84)}) is Status.AT_RISK
    pm_margin = RISK_MARGIN * 35
    assert status(PM25, "<=", 35, 2026, {2026: ytd(35 - pm_margin)}) is Status.ON_TRACK
    assert status(PM25, "<=", 35, 2026, {2026: ytd(34.5)}) is Status.AT_RISK


def test_counts_project_to_the_whole_year() -> None:
    # 6 heavy days in the first half of the year project to 12, over a goal of 10
    result = evaluate_target(HEAVY_DAYS, "<=", 10, 2026, {2026: ytd(6)}, TODAY)
    assert result.status is Status.AT_RISK
    assert result.projection == pytest.approx(12)
    assert status(HEAVY_DAYS, "<=", 10, 2026, {2026: ytd(4)}) is Status.ON_TRACK
    # a mean or share is its own projection
    level = evaluate_target(GOOD_DAYS, ">=", 85, 2026, {2026: ytd(90)}, TODAY)
    assert level.projection == 90


def test_a_later_deadline_is_judged_on_the_latest_value() -> None:
    values = {2024: full(2024, 80), 2025: full(2025, 88)}
    result = evaluate_target(GOOD_DAYS, ">=", 85, 2028, values, TODAY)
    assert result.status is Status.ON_TRACK
    assert result.latest == values[2025]
    assert result.projection is None  # no value of this year to project
    assert result.trend == ((2024, 80), (2025, 88))
    values[2026] = ytd(83)
    assert evaluate_target(GOOD_DAYS, ">=", 85, 2028, values, TODAY).status is Status.AT_RISK


def test_about_goals_and_zero_goals() -> None:
    tolerance = ABOUT_TOLERANCE * 10
    assert meets(12, "=", 10, higher_is_better=True)  # beyond "about 10 %" on the good side
    assert meets(10 - tolerance, "=", 10, higher_is_better=True)
    assert not meets(10 - tolerance - 0.01, "=", 10, higher_is_better=True)
    assert meets(0, "=", 0, higher_is_better=False)  # 消除: none left
    assert not meets(1, "=", 0, higher_is_better=False)
    worse_than_v = Indicator("water.count_worse_than_V", "劣V类断面数", "Worse than V", "个", False)
    assert status(worse_than_v, "=", 0, 2026, {2026: ytd(0)}) is Status.ON_TRACK
    assert status(worse_than_v, "=", 0, 2026, {2026: ytd(1)}) is Status.AT_RISK
    assert status(worse_than_v, "=", 0, 2025, {2025: full(2025, 0)}) is Status.MET
    with pytest.raises(ValueError, match="comparator"):
        meets(1, ">", 0, higher_is_better=True)
