"""HJ 663-2013 ambient air quality assessment: statistics, validity, attainment, good days.

Implements HJ 663-2013 (trial). HJ 663-2026 (in force 2026-03-01) has not been obtained
(STANDARDS.md §G.1); until it is, the same statistics are used for both editions and only the
GB 3095 limits change with the :class:`~ecogov.standards.editions.LimitStage` passed in.

Units: concentrations in µg/m³, CO in mg/m³. Statistics are computed exactly (fractions) and
reported per GB/T 8170 to whole µg/m³ and 0.1 mg/m³ for CO; shares are reported in % to one
decimal (STANDARDS.md §C.6).

Decisions where the reference is incomplete:

* Attainment compares the *reported* (GB/T 8170-rounded) statistic with the limit, meeting it
  exactly counting as attaining (GB/T 8170 §4.3.3 rounded-value comparison; public releases
  report e.g. a PM2.5 annual mean of 35.4 as 35, attaining).
* Annual validity (≥ 324 daily values, ≥ 27 in each month, ≥ 25 in February) is GB 3095 Table 4's
  row for SO2, NO2, PM10 and PM2.5; it is applied to the CO and O3 percentiles of the annual
  assessment as well, since the same daily series feeds them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction
from types import MappingProxyType

from ecogov.standards.editions import Edition, LimitStage
from ecogov.standards.gb3095 import (
    Averaging,
    Indicator,
    ValidityRule,
    ZoneClass,
    limit,
    validity_rule,
)
from ecogov.standards.hj633 import aqi_level, round_concentration
from ecogov.standards.rounding import InvalidValueError, Number, round_gbt8170, to_fraction

__all__ = [
    "ANNUAL_ITEMS",
    "GOOD_DAY_MAX_LEVEL",
    "MDA8_RULE",
    "AnnualItem",
    "AnnualValidity",
    "ItemAssessment",
    "Mda8Rule",
    "annual_validity",
    "arithmetic_mean",
    "assess_annual",
    "city_attains",
    "daily_max_8h",
    "daily_mean",
    "eight_hour_mean",
    "exceedance_multiple",
    "good_day_share",
    "is_good_day",
    "meets_limit",
    "percentile",
    "report_percent",
]

_FEBRUARY = 2
_HOURS_PER_DAY = 24
_WINDOW_HOURS = 8


@dataclass(frozen=True, slots=True)
class AnnualItem:
    """Annual assessment item (HJ 663-2013 §4 Table 1, §5; STANDARDS.md §C.1, §C.3).

    ``annual_mean``: whether the annual mean is assessed (against the annual limit);
    ``percentile``: the percentile of the daily values assessed against the limit of
    ``percentile_averaging`` (24-hour, or daily max 8-hour for O3).
    """

    indicator: Indicator
    annual_mean: bool
    percentile: int
    percentile_averaging: Averaging


ANNUAL_ITEMS: Mapping[Indicator, AnnualItem] = MappingProxyType(
    {
        item.indicator: item
        for item in (
            AnnualItem(Indicator.SO2, True, 98, Averaging.DAY),
            AnnualItem(Indicator.NO2, True, 98, Averaging.DAY),
            AnnualItem(Indicator.CO, False, 95, Averaging.DAY),
            AnnualItem(Indicator.O3_8H, False, 90, Averaging.DAILY_MAX_8H),
            AnnualItem(Indicator.PM10, True, 95, Averaging.DAY),
            AnnualItem(Indicator.PM2_5, True, 95, Averaging.DAY),
        )
    }
)
"""The six basic annual items: SO2/NO2 24h p98, CO 24h p95, O3 MDA8 p90, PM10/PM2.5 24h p95."""


@dataclass(frozen=True, slots=True)
class Mda8Rule:
    """Validity of the daily maximum 8-hour O3 average (HJ 663-2013 §6.1.2).

    The day's 8-hour windows end at ``first_window_end``…``last_window_end`` o'clock (08:00 to
    24:00: 17 windows, all inside the day). The MDA8 needs ``minimum_windows`` valid windows; with
    fewer it is still valid when it exceeds the limit (``valid_when_exceeding``).
    """

    first_window_end: int
    last_window_end: int
    minimum_windows: int
    valid_when_exceeding: bool


MDA8_RULE = Mda8Rule(
    first_window_end=8, last_window_end=24, minimum_windows=14, valid_when_exceeding=True
)

GOOD_DAY_MAX_LEVEL = 2
"""Good day (优良天): HJ 633 level 1 (优, AQI ≤ 50) or level 2 (良, AQI 51-100)."""


def arithmetic_mean(values: Collection[Number]) -> Fraction:
    """Exact arithmetic mean [unit of the values] (HJ 663-2013 Appendix A). Editions: 2012, 2026.

    Raises:
        InvalidValueError: for an empty collection.
    """
    if not values:
        raise InvalidValueError("the mean of no values is undefined")
    return sum((to_fraction(value) for value in values), Fraction(0)) / len(values)


def percentile(values: Collection[Number], p: Number) -> Fraction:
    """p-th percentile by HJ 663-2013 Appendix A, exact [unit of the values].

    Sort ascending as X(1)…X(n); k = 1 + (n − 1)·p/100, s = ⌊k⌋;
    m_p = X(s) + (X(s+1) − X(s))·(k − s), and m_p = X(k) when k is an integer. Same as NumPy's
    default ("linear") percentile. Editions: HJ 663-2013 (used for both rule sets).

    Raises:
        InvalidValueError: for no values or p outside 0-100.
    """
    share = to_fraction(p) / 100
    if not values or not 0 <= share <= 1:
        raise InvalidValueError(f"percentile {p} of {len(values)} values is undefined")
    ordered = sorted(to_fraction(value) for value in values)
    k = 1 + (len(ordered) - 1) * share
    s = int(k)
    if s == len(ordered):
        return ordered[-1]
    return ordered[s - 1] + (ordered[s] - ordered[s - 1]) * (k - s)


def _valid(values: Iterable[Number | None]) -> list[Fraction]:
    return [to_fraction(value) for value in values if value is not None]


def daily_mean(hourly: Sequence[Number | None], indicator: Indicator) -> Fraction | None:
    """24-hour (calendar-day) mean of hourly values [µg/m³; CO mg/m³], None if invalid.

    Valid with at least 20 hourly values in the day (GB 3095-2012/2026 Table 4); ``None`` marks a
    missing hour. Editions: 2012, 2026.

    Raises:
        InvalidValueError: for more than 24 hourly values.
        KeyError: for an indicator without a daily validity rule (e.g. O3).
    """
    if len(hourly) > _HOURS_PER_DAY:
        raise InvalidValueError(f"{len(hourly)} hourly values for one day")
    values = _valid(hourly)
    if len(values) < validity_rule(indicator, Averaging.DAY).minimum:
        return None
    return arithmetic_mean(values)


def eight_hour_mean(window: Sequence[Number | None]) -> Fraction | None:
    """8-hour O3 average of one window of 8 hourly values [µg/m³], None if invalid.

    Valid with at least 6 hourly values (GB 3095-2012/2026 Table 4). Editions: 2012, 2026.

    Raises:
        InvalidValueError: when the window does not hold exactly 8 hourly slots.
    """
    if len(window) != _WINDOW_HOURS:
        raise InvalidValueError(f"an 8-hour window needs 8 hourly slots, got {len(window)}")
    values = _valid(window)
    if len(values) < validity_rule(Indicator.O3_8H, Averaging.EIGHT_HOURS).minimum:
        return None
    return arithmetic_mean(values)


def daily_max_8h(
    hourly: Sequence[Number | None], zone_class: ZoneClass, stage: LimitStage
) -> Fraction | None:
    """Daily maximum 8-hour O3 average (MDA8, 日最大8小时平均) [µg/m³], None if invalid.

    ``hourly`` holds the day's 24 one-hour values, index 0 = 00:00-01:00 … index 23 =
    23:00-24:00 (None = missing). The 17 windows ending 08:00…24:00 are averaged
    (:func:`eight_hour_mean`), the maximum is taken, and it is valid with ≥ 14 valid windows, or
    with fewer when it exceeds the O3 MDA8 limit of ``zone_class`` in ``stage`` (HJ 663-2013
    §6.1.2; GB 3095-2026 §3.10). Editions: 2012, 2026.

    Raises:
        InvalidValueError: when ``hourly`` does not hold exactly 24 slots.
    """
    if len(hourly) != _HOURS_PER_DAY:
        raise InvalidValueError(f"MDA8 needs 24 hourly slots, got {len(hourly)}")
    ends = range(MDA8_RULE.first_window_end, MDA8_RULE.last_window_end + 1)
    means = [eight_hour_mean(hourly[end - _WINDOW_HOURS : end]) for end in ends]
    valid = [mean for mean in means if mean is not None]
    if not valid:
        return None
    highest = max(valid)
    if len(valid) >= MDA8_RULE.minimum_windows:
        return highest
    o3_limit = limit(Indicator.O3_8H, Averaging.DAILY_MAX_8H, zone_class, stage)
    exceeds = not meets_limit(highest, o3_limit, Indicator.O3_8H)
    return highest if MDA8_RULE.valid_when_exceeding and exceeds else None


@dataclass(frozen=True, slots=True)
class AnnualValidity:
    """Outcome of the annual validity check: counts and the months below their minimum."""

    valid: bool
    days: int
    short_months: tuple[int, ...]


def _month_minimum(rule: ValidityRule, month: int) -> int:
    minimum = rule.february_minimum if month == _FEBRUARY else rule.monthly_minimum
    return minimum or 0


def annual_validity(valid_days: Collection[date], year: int) -> AnnualValidity:
    """Whether a year of daily values is valid for annual statistics (GB 3095 Table 4).

    ``valid_days`` are the dates with a valid daily value. Needs ≥ 324 of them and ≥ 27 in every
    month (≥ 25 in February). Applied here to all six basic annual items, CO and O3 included
    (see the module notes). Editions: 2012, 2026.

    Raises:
        InvalidValueError: for a date outside ``year``.
    """
    stray = sorted(day for day in valid_days if day.year != year)
    if stray:
        raise InvalidValueError(f"{stray[0]} is not in {year}")
    rule = validity_rule(Indicator.PM2_5, Averaging.YEAR)
    days = set(valid_days)
    per_month = Counter(day.month for day in days)
    short = tuple(m for m in range(1, 13) if per_month[m] < _month_minimum(rule, m))
    return AnnualValidity(len(days) >= rule.minimum and not short, len(days), short)


def meets_limit(value: Number, limit_value: Number, indicator: Indicator) -> bool:
    """Whether a statistic [µg/m³; CO mg/m³] meets (≤) its GB 3095 limit (达标).

    The statistic is first rounded to the reporting resolution (whole µg/m³, CO 0.1 mg/m³,
    GB/T 8170) and then compared; meeting the limit exactly attains (HJ 663-2013 §5, §6;
    STANDARDS.md §C.3).
    Editions: 2012, 2026.
    """
    return to_fraction(round_concentration(value, indicator)) <= to_fraction(limit_value)


def exceedance_multiple(value: Number, limit_value: Number) -> Fraction:
    """Exceedance multiple (超标倍数) = (C − S)/S, exact; ≤ 0 when the limit is met.

    ``value`` and ``limit_value`` in the same unit [µg/m³; CO mg/m³] (HJ 663-2013 §5;
    STANDARDS.md §C.3).
    Editions: 2012, 2026.
    """
    limit_fraction = to_fraction(limit_value)
    return (to_fraction(value) - limit_fraction) / limit_fraction


@dataclass(frozen=True, slots=True)
class ItemAssessment:
    """Annual assessment of one item: reported statistics [µg/m³; CO mg/m³], limits, verdict.

    ``attains`` is None when the year is not valid (no verdict without valid data).
    """

    indicator: Indicator
    validity: AnnualValidity
    mean: Decimal | None
    mean_limit: Decimal | None
    percentile: int
    percentile_value: Decimal
    percentile_limit: Decimal
    attains: bool | None


def assess_annual(
    indicator: Indicator,
    daily: Mapping[date, Number | None],
    year: int,
    zone_class: ZoneClass,
    stage: LimitStage,
) -> ItemAssessment:
    """Annual assessment of one basic item (HJ 663-2013 §4 Table 1, §5, §6, Appendix A).

    ``daily`` maps each date to its daily value [µg/m³; CO mg/m³] (24-hour mean, or MDA8 for
    O3_8H; None = invalid). Computes the annual mean (SO2, NO2, PM10, PM2.5) and the item's
    percentile, reports both per GB/T 8170, and attains when every statistic meets its limit
    (annual limit for the mean, 24-hour / MDA8 limit for the percentile). Editions: 2012, 2026.

    Raises:
        InvalidValueError: with no valid value, or a date outside ``year``.
        KeyError: for an indicator that is not one of the six basic annual items.
    """
    item = ANNUAL_ITEMS[indicator]
    values = {day: value for day, value in daily.items() if value is not None}
    validity = annual_validity(values.keys(), year)
    pct = round_concentration(percentile(values.values(), item.percentile), indicator)
    pct_limit = limit(indicator, item.percentile_averaging, zone_class, stage)
    checks = [(pct, pct_limit)]
    mean = mean_limit = None
    if item.annual_mean:
        mean = round_concentration(arithmetic_mean(values.values()), indicator)
        mean_limit = limit(indicator, Averaging.YEAR, zone_class, stage)
        checks.append((mean, mean_limit))
    return ItemAssessment(
        indicator=indicator,
        validity=validity,
        mean=mean,
        mean_limit=mean_limit,
        percentile=item.percentile,
        percentile_value=pct,
        percentile_limit=pct_limit,
        attains=all(meets_limit(v, s, indicator) for v, s in checks) if validity.valid else None,
    )


def city_attains(items: Iterable[ItemAssessment]) -> bool | None:
    """Overall attainment (达标) of a station or city: all six basic items attain.

    None when an item is missing or has no verdict (invalid year). HJ 663-2013 §5
    (STANDARDS.md §C.3).
    Editions: 2012, 2026.
    """
    verdicts = {item.indicator: item.attains for item in items}
    if any(verdicts.get(indicator) is None for indicator in ANNUAL_ITEMS):
        return None
    return all(verdicts[indicator] for indicator in ANNUAL_ITEMS)


def is_good_day(aqi: int, edition: Edition) -> bool:
    """Good day (优良天): daily AQI in level 1 or 2 (优/良), i.e. AQI ≤ 100.

    Levels from HJ 633-2012 Table 2 / HJ 633-2026 Table 1; share of good days per HJ 663-2013 §5
    (STANDARDS.md §C.5). AQI dimensionless. Editions: 2012, 2026.
    """
    return aqi_level(aqi, edition).number <= GOOD_DAY_MAX_LEVEL


def good_day_share(daily_aqi: Iterable[int | None], edition: Edition) -> Fraction | None:
    """Share of good days (优良天数比例) = good days / valid days, as a fraction 0-1.

    ``None`` entries are days without a valid AQI and are left out of the denominator (有效监测
    天数). None when there is no valid day. HJ 663-2013 §5 (STANDARDS.md §C.5).
    Editions: 2012, 2026.
    """
    valid = [aqi for aqi in daily_aqi if aqi is not None]
    if not valid:
        return None
    return Fraction(sum(is_good_day(aqi, edition) for aqi in valid), len(valid))


def report_percent(share: Number) -> Decimal:
    """A share (0-1) as a percentage with one decimal, GB/T 8170 (STANDARDS.md §C.6) [%].

    E.g. 27/29 → 93.1. Editions: any.
    """
    return round_gbt8170(to_fraction(share) * 100, 1)
