"""Period statistics, composite index and ranking against HJ 663 and the 2018 ranking rule."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Any

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ecogov.engine.air import DAILY_INDICATORS, change_and_rank, daily_aqi, period_statistics
from ecogov.standards.editions import Edition, LimitStage
from ecogov.standards.gb3095 import Indicator, ZoneClass
from ecogov.standards.hj663 import ANNUAL_ITEMS, assess_annual, good_day_share, report_percent
from ecogov.standards.ranking import composite_index
from ecogov.standards.ranking import period_statistics as scalar_period_statistics
from tests.standards.test_ranking import HEYUAN, NAIMAN, WEATHER, WUYUAN

Ind = Indicator
STAGE_2012 = LimitStage.GB3095_2012_AMENDED_2018


def daily(days: dict[date, dict[Indicator, Fraction]], key: str = "station") -> pl.DataFrame:
    """A daily frame with AQI from exact daily values per date (absent indicators are invalid)."""
    rows = []
    for day, values in days.items():
        row: dict[str, Any] = {key: "A", "date": day}
        for indicator in DAILY_INDICATORS:
            value = values.get(indicator)
            row[str(indicator)] = None if value is None else float(value)
            row[f"{indicator}_num"] = None if value is None else value.numerator
            row[f"{indicator}_den"] = None if value is None else value.denominator
        rows.append(row)
    schema: dict[str, Any] = {key: pl.String, "date": pl.Date}
    for indicator in DAILY_INDICATORS:
        schema |= {str(indicator): pl.Float64, f"{indicator}_num": pl.Int64}
        schema[f"{indicator}_den"] = pl.Int64
    return daily_aqi(pl.DataFrame(rows, schema=schema))


def one_day(**values: str) -> dict[Indicator, Fraction]:
    names = {"so2": Ind.SO2, "no2": Ind.NO2, "co": Ind.CO, "o3": Ind.O3_8H}
    names |= {"pm10": Ind.PM10, "pm25": Ind.PM2_5}
    return {names[name]: Fraction(value) for name, value in values.items()}


def statistics_row(frame: pl.DataFrame, period: Any = "year", **options: Any) -> dict[str, Any]:
    result = period_statistics(frame, period, **options)
    assert result.height == 1
    return result.row(0, named=True)


# --- property: every annual item equals hj663.assess_annual ------------------------------------


def _random_year(rng: random.Random, year: int) -> dict[date, dict[Indicator, Fraction]]:
    days: dict[date, dict[Indicator, Fraction]] = {}
    short_month = rng.choice([None, *range(1, 13)])
    day = date(year, 1, 1)
    while day.year == year:
        gap = 0.3 if day.month == short_month else 0.02
        days[day] = {
            ind: Fraction(rng.randint(0, 200 * den), den * rng.choice((1, 7)))
            for ind, den in zip(ANNUAL_ITEMS, (1, 1, 100, 1, 1, 1), strict=True)  # CO in 0.01 mg/m³
            if rng.random() > gap
        }
        day += timedelta(days=1)
    return days


@settings(max_examples=6, deadline=None)
@given(st.integers(min_value=0))
def test_annual_statistics_equal_the_scalar_assessment(seed: int) -> None:
    days = _random_year(random.Random(seed), 2025)
    frame = daily(days)
    row = statistics_row(frame)
    assert (row["days_expected"], row["stage"]) == (365, STAGE_2012.value)
    for indicator, item in ANNUAL_ITEMS.items():
        series = {day: values.get(indicator) for day, values in days.items()}
        if not any(v is not None for v in series.values()):
            continue
        scalar = assess_annual(indicator, series, 2025, ZoneClass.TWO, STAGE_2012)
        assert row[f"{indicator}_days"] == scalar.validity.days
        assert row[f"{indicator}_valid"] == scalar.validity.valid
        assert Decimal(str(row[f"{indicator}_p{item.percentile}"])) == scalar.percentile_value
        if item.annual_mean:
            assert Decimal(str(row[f"{indicator}_mean"])) == scalar.mean
        assert row[f"{indicator}_attains"] == scalar.attains
    share = good_day_share(
        [aqi if ok else None for aqi, ok in frame.select("aqi", "publishable").rows()],
        Edition.E2012,
    )
    assert row["good_ratio"] == (None if share is None else float(report_percent(share)))
    valid = {
        ind: [v for values in days.values() if (v := values.get(ind)) is not None]
        for ind in ANNUAL_ITEMS
    }
    if all(valid.values()):
        stats = scalar_period_statistics(valid)
        expected = composite_index(stats, STAGE_2012).reported
        assert Decimal(str(row["composite_index"])) == expected


@settings(max_examples=25, deadline=None)
@given(
    st.lists(
        st.fractions(min_value=0, max_value=300, max_denominator=24),
        min_size=1,
        max_size=12,
    )
)
def test_month_statistics_equal_the_scalar_assessment(values: list[Fraction]) -> None:
    # Small months of daily means with 24ths: ties (x.5) and float noise must round exactly.
    days = {
        date(2025, 3, 1) + timedelta(days=i): {Ind.PM2_5: v, Ind.CO: v / 100}
        for i, v in enumerate(values)
    }
    row = statistics_row(daily(days), "month")
    scalar = assess_annual(
        Ind.PM2_5, {d: v[Ind.PM2_5] for d, v in days.items()}, 2025, ZoneClass.TWO, STAGE_2012
    )
    assert Decimal(str(row["PM2.5_mean"])) == scalar.mean
    assert Decimal(str(row["PM2.5_p95"])) == scalar.percentile_value
    co = assess_annual(
        Ind.CO, {d: v[Ind.CO] for d, v in days.items()}, 2025, ZoneClass.TWO, STAGE_2012
    )
    assert Decimal(str(row["CO_p95"])) == co.percentile_value


def test_a_percentile_on_a_rounding_tie_is_rounded_exactly() -> None:
    # The 90th percentile of these daily MDA8 values is exactly 2086.5 µg/m³, which GB/T 8170
    # rounds to 2086; the float interpolation gives 2086.500000000001 (→ 2087).
    values = [
        *("555", "1803", "2291/10", "278", "2179", "131", "256", "187/7", "2362/3", "2119/20"),
        *("798/23", "8/5", "1441/20", "2223/23", "827/12", "1142/3", "737/24", "2305/23"),
        *("109/2", "2154", "2118", "1299/7"),
    ]
    days = {date(2025, 3, d): one_day(o3=value) for d, value in enumerate(values, start=1)}
    assert statistics_row(daily(days), "month")["O3_8H_p90"] == 2086.0


# --- VECTORS.md §3: percentile ------------------------------------------------------------------


def test_percentile_worked_example() -> None:
    days = {date(2025, 8, d + 1): one_day(o3=v) for d, v in enumerate("348254")}
    row = statistics_row(daily(days), "month")
    assert row["O3_8H_p90"] == 6.0  # 6.5 exactly, reported half to even (GB/T 8170)
    co = {date(2025, 8, d + 1): one_day(co=v) for d, v in enumerate(("0.5", "0.7", "1.1"))}
    assert statistics_row(daily(co), "month")["CO_p95"] == 1.1  # 1.06


# --- validity, coverage and day counts ------------------------------------------------------------


@pytest.mark.parametrize(
    ("february", "others", "valid"),
    [(25, 30, True), (24, 30, False), (28, 26, False), (25, 27, False), (28, 30, True)],
)
def test_annual_validity_needs_monthly_minimums(february: int, others: int, valid: bool) -> None:
    # (25, 27) meets every monthly minimum but has 322 < 324 valid days.
    days: dict[date, dict[Indicator, Fraction]] = {}
    for month in range(1, 13):
        count = february if month == 2 else others
        days |= {date(2025, month, d + 1): one_day(so2="10") for d in range(count)}
    row = statistics_row(daily(days))
    assert row["SO2_days"] == february + 11 * others
    assert row["SO2_valid"] is valid
    assert row["SO2_attains"] is (True if row["SO2_valid"] else None)
    assert row["CO_days"] == 0
    assert row["CO_valid"] is False


def test_quarter_and_month_periods() -> None:
    days = {date(2025, 1, 1) + timedelta(days=i): one_day(pm25="40") for i in range(90)}
    quarter = statistics_row(daily(days), "quarter")
    assert (quarter["period_start"], quarter["period_end"]) == (date(2025, 1, 1), date(2025, 3, 31))
    assert (quarter["days_expected"], quarter["PM2.5_days"], quarter["PM2.5_valid"]) == (
        90,
        90,
        True,
    )
    assert quarter["PM2.5_attains"] is False  # 40 > the annual limit 35
    months = period_statistics(daily(days), "month")
    assert months["days_expected"].to_list() == [31, 28, 31]


def test_good_days_levels_and_heavy_pollution_days() -> None:
    # Wuyuan, September 2023 (VECTORS.md §5): 27 good days out of 29 valid → 93.1 %.
    pm25 = ["20"] * 20 + ["50"] * 7 + ["160"] + ["260"]
    days = {date(2023, 9, d + 1): one_day(pm25=v) for d, v in enumerate(pm25)}
    row = statistics_row(daily(days), "month")
    assert (row["aqi_days"], row["good_days"], row["good_ratio"]) == (29, 27, 93.1)
    assert [row[f"level_{n}_days"] for n in range(1, 7)] == [20, 7, 0, 0, 1, 1]
    assert (row["heavy_days"], row["days_expected"]) == (2, 30)


def test_good_day_share_of_a_quarter() -> None:
    # Naiman, Q1 (VECTORS.md §5): 86 good days out of 91 valid → 94.5 %.
    first = date(2024, 1, 1)
    days = {first + timedelta(days=i): one_day(pm25="30" if i < 86 else "80") for i in range(91)}
    row = statistics_row(daily(days), "quarter")
    assert (row["days_expected"], row["aqi_days"], row["good_days"]) == (91, 91, 86)
    assert row["good_ratio"] == 94.5


# --- VECTORS.md §5: composite index, change rate and ranking --------------------------------------


def _composite_case(stats: dict[Indicator, Any]) -> dict[Indicator, Fraction]:
    names = {Ind.SO2: "so2", Ind.NO2: "no2", Ind.CO: "co", Ind.O3_8H: "o3", Ind.PM10: "pm10"}
    return one_day(**{names.get(ind, "pm25"): str(value) for ind, value in stats.items()})


@pytest.mark.parametrize(
    ("stats", "v2012", "transitional", "final"),
    [
        (WUYUAN, 2.63, 2.80, 3.54),
        (WEATHER, 3.06, 3.25, 3.94),
        (NAIMAN, 3.13, 3.42, 4.25),
        (HEYUAN, 1.74, 1.84, 2.19),
    ],
)
def test_composite_index_vectors(
    stats: dict[Indicator, Any], v2012: float, transitional: float, final: float
) -> None:
    frame = daily({date(2023, 9, 1): _composite_case(stats)})
    for stage, expected in (
        (STAGE_2012, v2012),
        (LimitStage.GB3095_2026_TRANSITIONAL, transitional),
        (LimitStage.GB3095_2026_FINAL, final),
    ):
        assert statistics_row(frame, "month", stage=stage)["composite_index"] == expected
    primary = composite_index(stats, STAGE_2012).primary
    assert statistics_row(frame, "month")["composite_primary"] == ";".join(primary)


def _cities(
    indices: dict[str, float], attains: dict[str, bool] | None = None, year: int = 2025
) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "city": list(indices),
            "period_start": [date(year, 1, 1)] * len(indices),
            "composite_index": list(indices.values()),
            "attains": [None if attains is None else attains[c] for c in indices],
        },
        schema_overrides={"attains": pl.Boolean},
    )


def test_ranking_shares_ranks_and_change_rate_vector() -> None:
    current = _cities(
        {"a": 2.50, "b": 2.63, "c": 2.63, "d": 3.1}, {"a": False, "b": True, "c": False, "d": False}
    )
    previous = _cities({"a": 2.63, "b": 2.50, "c": 2.63, "d": 3.0}, year=2024)
    ranked = change_and_rank(current, previous).sort("city")
    assert ranked["rank"].to_list() == [1, 2, 2, 4]
    assert ranked["change_rate"].to_list() == [-4.9, 5.2, 0.0, 3.3]  # (2.50 − 2.63)/2.63 → −4.9 %
    # b attains on every item: left out of the deterioration ranking
    assert ranked["change_rank"].to_list() == [3, None, 2, 1]
    assert change_and_rank(current).columns == [*current.columns, "rank"]
