"""HJ 663-2013 assessment: percentile (VECTORS.md §3), validity, attainment, good days."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ecogov.standards.editions import Edition, LimitStage
from ecogov.standards.gb3095 import Indicator, ZoneClass
from ecogov.standards.hj663 import (
    ANNUAL_ITEMS,
    ItemAssessment,
    annual_validity,
    arithmetic_mean,
    assess_annual,
    city_attains,
    daily_max_8h,
    daily_mean,
    eight_hour_mean,
    exceedance_multiple,
    good_day_share,
    is_good_day,
    meets_limit,
    percentile,
    report_percent,
)
from ecogov.standards.rounding import InvalidValueError, Number

Ind = Indicator
STAGE_2012 = LimitStage.GB3095_2012_AMENDED_2018

# --- percentile, Appendix A (VECTORS.md §3) ------------------------------------------------------


def test_percentile_worked_example() -> None:
    assert percentile([3, 4, 8, 2, 5, 4], 90) == Fraction(13, 2)


@pytest.mark.parametrize(
    ("values", "p", "expected"),
    [
        ([42], 95, 42),  # n = 1 → k = 1 → X(1)
        ([1, 2, 3, 10], 100, 10),  # p = 100 → k = n → X(n)
        ([5, 1, 3], 0, 1),
        ([1, 2, 3, 4, 5], 50, 3),  # k integer → X(k)
        (["0.5", "0.7", "1.1"], 95, Fraction(106, 100)),  # CO [mg/m³]: k = 2.9
    ],
)
def test_percentile_edge_cases(values: list[Number], p: int, expected: Number) -> None:
    assert percentile(values, p) == Fraction(expected)


@pytest.mark.parametrize(("values", "p"), [([], 90), ([1, 2], 101), ([1, 2], -1)])
def test_percentile_undefined(values: list[Number], p: int) -> None:
    with pytest.raises(InvalidValueError):
        percentile(values, p)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.integers(min_value=0, max_value=500), min_size=2, max_size=366),
    st.sampled_from([90, 95, 98]),
)
def test_percentile_equals_numpy_linear(values: list[int], p: int) -> None:
    numpy = pytest.importorskip("numpy")
    assert float(percentile(values, p)) == pytest.approx(numpy.percentile(values, p), abs=1e-9)


def test_annual_items_and_percentiles() -> None:
    assert {ind: item.percentile for ind, item in ANNUAL_ITEMS.items()} == {
        Ind.SO2: 98,
        Ind.NO2: 98,
        Ind.CO: 95,
        Ind.O3_8H: 90,
        Ind.PM10: 95,
        Ind.PM2_5: 95,
    }
    assert {ind for ind, item in ANNUAL_ITEMS.items() if item.annual_mean} == {
        Ind.SO2,
        Ind.NO2,
        Ind.PM10,
        Ind.PM2_5,
    }


# --- daily and 8-hour validity (GB 3095 Table 4; HJ 663-2013 §6.1.2) -----------------------------


def test_daily_mean_needs_20_hours() -> None:
    hours: list[Number | None] = [10] * 20 + [None] * 4
    assert daily_mean(hours, Ind.PM2_5) == 10
    assert daily_mean([10] * 19 + [None] * 5, Ind.PM2_5) is None
    assert daily_mean(["0.4", "0.6"] * 10, Ind.CO) == Fraction(1, 2)
    with pytest.raises(InvalidValueError):
        daily_mean([1] * 25, Ind.SO2)


def test_eight_hour_mean_needs_6_hours() -> None:
    assert eight_hour_mean([100, 110, 120, 130, 140, 150, None, None]) == 125
    assert eight_hour_mean([100, 110, 120, 130, 140, None, None, None]) is None
    with pytest.raises(InvalidValueError):
        eight_hour_mean([1] * 7)


def _day(value: Number, missing_first: int = 0) -> list[Number | None]:
    return [None] * missing_first + [value] * (24 - missing_first)


def test_mda8_uses_the_17_windows_of_the_day() -> None:
    hours: list[Number | None] = [50] * 24
    hours[12:20] = [Fraction(200)] * 8  # the window ending 20:00
    assert daily_max_8h(hours, ZoneClass.TWO, STAGE_2012) == 200
    # The windows ending 01:00-07:00 reach into the previous day and are not part of the MDA8.
    early: list[Number | None] = [*([300] * 4), *([50] * 20)]
    assert daily_max_8h(early, ZoneClass.TWO, STAGE_2012) == Fraction(300 * 4 + 50 * 4, 8)


@pytest.mark.parametrize(
    ("missing_first", "valid"),
    [(4, True), (5, True), (6, False)],  # 15, 14 and 13 valid windows
)
def test_mda8_needs_14_valid_windows(missing_first: int, valid: bool) -> None:
    result = daily_max_8h(_day(120, missing_first), ZoneClass.TWO, STAGE_2012)
    assert (result == 120) if valid else (result is None)


@pytest.mark.parametrize(
    ("value", "zone", "valid"),
    [
        ("170", ZoneClass.TWO, True),  # exceeds 160: valid despite too few windows
        ("160.4", ZoneClass.TWO, False),  # reported 160: meets the limit, so invalid
        ("160.6", ZoneClass.TWO, True),  # reported 161
        ("150", ZoneClass.TWO, False),
        ("150", ZoneClass.ONE, True),  # class 1 limit is 100
    ],
)
def test_mda8_exception_when_exceeding_the_limit(value: str, zone: ZoneClass, valid: bool) -> None:
    result = daily_max_8h(_day(value, missing_first=12), zone, LimitStage.GB3095_2026_TRANSITIONAL)
    assert (result == Fraction(value)) if valid else (result is None)


def test_mda8_needs_24_slots() -> None:
    with pytest.raises(InvalidValueError):
        daily_max_8h([1] * 23, ZoneClass.TWO, STAGE_2012)
    assert daily_max_8h([None] * 24, ZoneClass.TWO, STAGE_2012) is None


# --- annual validity -----------------------------------------------------------------------------


def _days(year: int, per_month: dict[int, int]) -> list[date]:
    return [
        date(year, month, day) for month, count in per_month.items() for day in range(1, count + 1)
    ]


FULL = dict.fromkeys(range(1, 13), 27) | {2: 25}  # 322 days, every month at its minimum


@pytest.mark.parametrize(
    ("per_month", "valid", "short"),
    [
        (FULL | {1: 29, 3: 29}, True, ()),  # 326 days
        (FULL | {1: 28, 3: 28}, True, ()),  # exactly 324
        (FULL | {1: 28}, False, ()),  # 323 days, months fine
        (FULL | {1: 31, 3: 31, 2: 24}, False, (2,)),  # 327 days, February short
        (FULL | {1: 31, 3: 31, 7: 26}, False, (7,)),
    ],
)
def test_annual_validity(per_month: dict[int, int], valid: bool, short: tuple[int, ...]) -> None:
    result = annual_validity(_days(2023, per_month), 2023)
    assert (result.valid, result.short_months, result.days) == (
        valid,
        short,
        sum(per_month.values()),
    )


def test_annual_validity_counts_missing_months_and_rejects_other_years() -> None:
    assert annual_validity([], 2023).short_months == tuple(range(1, 13))
    with pytest.raises(InvalidValueError):
        annual_validity([date(2022, 12, 31)], 2023)


# --- attainment --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "limit_value", "indicator", "meets"),
    [
        ("35.4", 35, Ind.PM2_5, True),
        ("35.5", 35, Ind.PM2_5, False),  # → 36
        ("34.5", 35, Ind.PM2_5, True),  # → 34
        ("4.05", 4, Ind.CO, True),  # → 4.0 (half to even)
        ("4.06", 4, Ind.CO, False),
        ("160", 160, Ind.O3_8H, True),
    ],
)
def test_meets_limit_compares_the_reported_value(
    value: str, limit_value: int, indicator: Indicator, meets: bool
) -> None:
    assert meets_limit(value, limit_value, indicator) is meets


def test_exceedance_multiple() -> None:
    assert exceedance_multiple("52.5", 35) == Fraction(1, 2)
    assert exceedance_multiple(30, 35) < 0


YEAR = 2023
DATES = [date(YEAR, 1, 1) + timedelta(days=i) for i in range(365)]


def _series(scale: Fraction, offset: int = 0) -> dict[date, Number | None]:
    return {day: (i + 1) * scale + offset for i, day in enumerate(DATES)}


def test_assess_annual_pm25() -> None:
    # Daily values 0.1, 0.2, … 36.5: mean 18.3 → 18; p95: k = 1 + 364·0.95 = 346.8 → 34.68 → 35.
    daily = _series(Fraction(1, 10))
    result = assess_annual(Ind.PM2_5, daily, YEAR, ZoneClass.TWO, STAGE_2012)
    assert (result.mean, result.percentile_value, result.percentile) == (
        Decimal(18),
        Decimal(35),
        95,
    )
    assert (result.mean_limit, result.percentile_limit) == (Decimal(35), Decimal(75))
    assert result.validity.valid
    assert result.attains is True
    # Class 1: annual limit 15 < 18.
    assert assess_annual(Ind.PM2_5, daily, YEAR, ZoneClass.ONE, STAGE_2012).attains is False
    # GB 3095-2026 final stage, class 2: annual 25, daily 50 → attains.
    final = assess_annual(Ind.PM2_5, daily, YEAR, ZoneClass.TWO, LimitStage.GB3095_2026_FINAL)
    assert (final.mean_limit, final.percentile_limit, final.attains) == (
        Decimal(25),
        Decimal(50),
        True,
    )


def test_assess_annual_percentile_only_items() -> None:
    co = assess_annual(Ind.CO, _series(Fraction(1, 100)), YEAR, ZoneClass.TWO, STAGE_2012)
    assert (co.mean, co.mean_limit, co.percentile_value, co.attains) == (
        None,
        None,
        Decimal("3.5"),
        True,
    )
    o3 = assess_annual(Ind.O3_8H, _series(Fraction(1, 2), 1), YEAR, ZoneClass.TWO, STAGE_2012)
    # p90: k = 1 + 364·0.9 = 328.6 → 0.5·328.6 + 1 = 165.3 → 165 > 160.
    assert (o3.percentile_value, o3.percentile_limit, o3.attains) == (
        Decimal(165),
        Decimal(160),
        False,
    )


def test_assess_annual_invalid_year_has_no_verdict() -> None:
    daily = _series(Fraction(1, 10))
    for day in DATES[:5]:  # January keeps 26 daily values
        daily[day] = None
    result = assess_annual(Ind.PM10, daily, YEAR, ZoneClass.TWO, STAGE_2012)
    assert result.validity.short_months == (1,)
    assert result.attains is None


def _assessment(indicator: Indicator, attains: bool | None) -> ItemAssessment:
    daily = _series(Fraction(1, 100) if attains is not False else Fraction(10))
    if attains is None:
        daily = {day: value for day, value in daily.items() if day.month != 1}
    return assess_annual(indicator, daily, YEAR, ZoneClass.TWO, STAGE_2012)


def test_city_attains_needs_all_six_items() -> None:
    good = [_assessment(indicator, True) for indicator in ANNUAL_ITEMS]
    assert all(item.attains for item in good)
    assert city_attains(good) is True
    assert city_attains([*good[:-1], _assessment(Ind.PM2_5, False)]) is False
    assert city_attains(good[:-1]) is None
    assert city_attains([*good[:-1], _assessment(Ind.PM2_5, None)]) is None


# --- good days (VECTORS.md §5) -----------------------------------------------------------------


@pytest.mark.parametrize("edition", list(Edition))
@pytest.mark.parametrize(
    ("good", "bad", "invalid", "published"),
    [(27, 2, 1, "93.1"), (86, 5, 0, "94.5"), (28, 0, 0, "100.0")],
    ids=["Wuyuan-2023-09", "Naiman-Q1", "Heyuan-2022-02"],
)
def test_good_day_share_published(
    edition: Edition, good: int, bad: int, invalid: int, published: str
) -> None:
    aqis: list[int | None] = [100] * good + [101] * bad + [None] * invalid
    share = good_day_share(aqis, edition)
    assert share == Fraction(good, good + bad)
    assert report_percent(share) == Decimal(published)


@pytest.mark.parametrize("edition", list(Edition))
def test_is_good_day(edition: Edition) -> None:
    assert is_good_day(0, edition)
    assert is_good_day(100, edition)
    assert not is_good_day(101, edition)
    assert good_day_share([None], edition) is None


def test_arithmetic_mean() -> None:
    assert arithmetic_mean(["0.1", "0.2"]) == Fraction(3, 20)
    with pytest.raises(InvalidValueError):
        arithmetic_mean([])
