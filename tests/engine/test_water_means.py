"""Monthly, period and spatial means: pH through [H⁺], annual from monthly means, Beijing months,
flags, and agreement with the scalar ``mean_item``."""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from datetime import UTC, date, datetime
from fractions import Fraction

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ecogov.engine.water_means import (
    MEAN_DECIMALS,
    PeriodKind,
    beijing_month,
    monthly_means,
    period_label,
    period_means,
    spatial_means,
)
from ecogov.standards.water_assessment import mean_item, mean_ph


def _samples(rows: Sequence[tuple[str, datetime, str, float, str | None]]) -> pl.DataFrame:
    schema = pl.Schema(
        {
            "section": pl.String(),
            "time": pl.Datetime("us", "UTC"),
            "parameter": pl.String(),
            "value": pl.Float64(),
            "flag": pl.String(),
        }
    )
    return pl.DataFrame(rows, schema=schema, orient="row")


def _value(frame: pl.DataFrame, **keys: object) -> float:
    selected = frame.filter(*(pl.col(k) == v for k, v in keys.items()))
    assert selected.height == 1, selected
    return float(selected["value"].item())


def test_ph_is_averaged_through_hydrogen_ions() -> None:
    t = datetime(2024, 5, 3, tzinfo=UTC)
    monthly = monthly_means(
        _samples([("S", t, "w01001", 6.0, None), ("S", t, "w01001", 8.0, None)])
    )
    assert _value(monthly, parameter="w01001") == pytest.approx(mean_ph([6.0, 8.0]))
    assert _value(monthly, parameter="w01001") == pytest.approx(6.2967, abs=1e-4)  # not 7.0


def test_months_are_beijing_calendar_months() -> None:
    late = datetime(2024, 1, 31, 16, 30, tzinfo=UTC)  # 2024-02-01 00:30 Beijing time
    early = datetime(2024, 1, 31, 15, 30, tzinfo=UTC)  # 2024-01-31 23:30 Beijing time
    monthly = monthly_means(
        _samples([("S", late, "w21011", 0.2, None), ("S", early, "w21011", 0.1, None)])
    )
    assert dict(monthly.select("month", "value").iter_rows()) == {
        date(2024, 2, 1): 0.2,
        date(2024, 1, 1): 0.1,
    }
    assert pl.select(beijing_month(pl.lit(late))).item() == date(2024, 2, 1)


def test_flagged_and_invalid_values_are_left_out_of_means() -> None:
    t = datetime(2024, 5, 3, tzinfo=UTC)
    rows = [
        ("S", t, "w21011", 0.1, None),
        ("S", t.replace(day=4), "w21011", 0.2, "N"),
        ("S", t.replace(day=5), "w21011", 9.0, "D"),  # instrument fault
        ("S", t.replace(day=6), "w21011", 9.0, "M"),  # maintenance
        ("S", t.replace(day=7), "w21011", -1.0, None),  # invalid
    ]
    monthly = monthly_means(_samples(rows))
    assert _value(monthly, parameter="w21011") == pytest.approx(0.15)
    assert monthly["samples"].to_list() == [2]


def test_annual_means_average_monthly_means_not_samples() -> None:
    rows = [("S", datetime(2024, 1, d, tzinfo=UTC), "w21003", 1.0, None) for d in (2, 3, 4)]
    rows.append(("S", datetime(2024, 7, 2, tzinfo=UTC), "w21003", 0.2, None))
    annual = period_means(monthly_means(_samples(rows)), "year")
    assert _value(annual, parameter="w21003") == pytest.approx(0.6)  # (1.0 + 0.2) / 2, not 0.8
    assert annual.select("period", "months").row(0) == ("2024", 2)


@pytest.mark.parametrize(
    ("kind", "label"), [("month", "2025-05"), ("quarter", "2025-Q2"), ("year", "2025")]
)
def test_period_labels(kind: PeriodKind, label: str) -> None:
    assert pl.select(period_label(pl.lit(date(2025, 5, 1)), kind)).item() == label


def test_spatial_means_average_over_sections() -> None:
    means = pl.DataFrame(
        {
            "section": ["A", "B", "A", "B"],
            "basin": ["X"] * 4,
            "parameter": ["w01001", "w01001", "w21011", "w21011"],
            "value": [6.0, 8.0, 0.1, 0.3],
        }
    )
    averaged = spatial_means(means, ["basin"])
    assert _value(averaged, parameter="w21011") == pytest.approx(0.2)
    assert _value(averaged, parameter="w01001") == pytest.approx(mean_ph([6.0, 8.0]))
    assert averaged["sections"].to_list() == [2, 2]


@given(
    st.sampled_from(["w01001", "w21011", "w01009"]),
    st.lists(
        st.tuples(st.integers(1, 12), st.floats(min_value=0, max_value=14, allow_nan=False)),
        min_size=1,
        max_size=30,
    ),
)
@settings(max_examples=60, deadline=None)
def test_annual_means_agree_with_scalar_mean_item(
    code: str, samples: list[tuple[int, float]]
) -> None:
    rows = [("S", datetime(2024, m, 15, tzinfo=UTC), code, v, None) for m, v in samples]
    annual = period_means(monthly_means(_samples(rows)), "year")
    by_month: dict[int, list[float]] = {}
    for month, value in samples:
        by_month.setdefault(month, []).append(value)
    expected = mean_item(code, [mean_item(code, values) for values in by_month.values()])
    assert math.isclose(_value(annual, parameter=code), expected, rel_tol=1e-9, abs_tol=1e-12)


@given(
    st.lists(st.integers(min_value=1, max_value=400), min_size=2, max_size=12),
    st.randoms(use_true_random=False),
)
@settings(max_examples=60, deadline=None)
def test_a_mean_does_not_depend_on_the_order_of_its_months(
    thousandths: list[int], order: random.Random
) -> None:
    """Issue 14 defect 6: an annual TP mean exactly on a class limit or a rounding tie came out
    of the float additions on either side of it with the row order, so two exports of one table
    disagreed (Ⅱ类/Ⅲ类, 0.188/0.189). Means are kept to MEAN_DECIMALS, away from that noise."""
    months = [
        ("S1", date(2025, index + 1, 1), "w21011", value / 1000)
        for index, value in enumerate(thousandths)
    ]
    shuffled = list(months)
    order.shuffle(shuffled)
    schema = ["section", "month", "parameter", "value"]
    means = [
        _value(period_means(pl.DataFrame(rows, schema=schema, orient="row"), "year"), section="S1")
        for rows in (months, shuffled, months[::-1])
    ]
    assert means[0] == means[1] == means[2]
    exact = Fraction(sum(thousandths), 1000 * len(thousandths))
    assert abs(Fraction(means[0]) - exact) <= Fraction(1, 10**MEAN_DECIMALS)


@settings(max_examples=30)
@given(
    st.lists(
        st.floats(min_value=1e-4, max_value=1e3, allow_nan=False, allow_infinity=False),
        min_size=2,
        max_size=12,
    ),
    st.randoms(use_true_random=False),
)
def test_a_mean_is_the_same_to_the_last_bit_whatever_the_row_order(
    values: list[float], shuffle: random.Random
) -> None:
    """Stored means must equal the means computed afresh, and a mean on a class limit must not
    fall on either side by the order rows were read in."""
    months = [date(2025, m, 1) for m in range(1, len(values) + 1)]
    monthly = pl.DataFrame(
        {
            "section": ["S1"] * len(values) * 2,
            "month": months * 2,
            "parameter": ["w21011"] * len(values) + ["w01001"] * len(values),
            "value": values + [7.0 + v / 1e3 for v in values],
        }
    )
    order = list(range(monthly.height))
    shuffle.shuffle(order)
    expected = period_means(monthly, "year")
    shuffled = period_means(monthly[order], "year")
    assert expected.equals(shuffled)
    assert expected["parameter"].to_list() == ["w01001", "w21011"]  # sorted by the keys
