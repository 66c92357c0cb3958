"""Exact arithmetic helpers: decimal reading, ceiling, GB/T 8170 rounding."""

from __future__ import annotations

import math
import random
from decimal import ROUND_HALF_EVEN, Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ecogov.standards.rounding import (
    InvalidValueError,
    Number,
    ceil_int,
    round_computed_gbt8170,
    round_gbt8170,
    to_fraction,
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (2.2, Fraction(11, 5)),
        ("2.2", Fraction(11, 5)),
        (Decimal("2.2"), Fraction(11, 5)),
        (Fraction(11, 5), Fraction(11, 5)),
        (7, Fraction(7)),
        (" 35.5 ", Fraction(71, 2)),
        ("1e-3", Fraction(1, 1000)),
        (0.1, Fraction(1, 10)),
    ],
)
def test_to_fraction_reads_the_decimal_representation(value: Number, expected: Fraction) -> None:
    assert to_fraction(value) == expected


@pytest.mark.parametrize("value", ["abc", "-;", "", float("nan"), float("inf"), "NaN", True])
def test_to_fraction_rejects_non_numbers(value: Number) -> None:
    with pytest.raises(InvalidValueError):
        to_fraction(value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Fraction(55), 55),
        (Fraction(110, 2), 55),
        (Fraction(1, 10**30), 1),
        (Decimal("54.0000000000000000001"), 55),
        (Fraction(-1, 2), 0),
        # The float trap: 25 * 2.2 is 55.00000000000001 in binary floats.
        (25 * 2.2, 56),
        ("55.00000000000001", 56),
        (Decimal("55"), 55),
    ],
)
def test_ceil_int_is_exact(value: Number, expected: int) -> None:
    assert ceil_int(value) == expected


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        # GB/T 8170-2008 §3.3 examples: < 5 dropped, > 5 carried, exactly 5 → even.
        ("12.1498", 1, "12.1"),
        ("1268", -2, "1.3E+3"),
        ("10.502", 0, "11"),
        ("1.050", 1, "1.0"),
        ("0.35", 1, "0.4"),
        ("2500", -3, "2E+3"),
        ("3500", -3, "4E+3"),
        ("-0.0365", 3, "-0.036"),
        ("-355", -1, "-3.6E+2"),
        # Concentrations as HJ 633-2026 §4.2.2 rounds them.
        ("59.5", 0, "60"),
        ("60.5", 0, "60"),
        ("61.5", 0, "62"),
        ("35.49", 0, "35"),
        ("0.65", 1, "0.6"),
        ("0.75", 1, "0.8"),
        ("0.651", 1, "0.7"),
        (0.15, 1, "0.2"),
        (2.675, 2, "2.68"),  # a float: read as the decimal 2.675, not the binary 2.67499…
        ("2.6307", 2, "2.63"),
        ("93.103", 1, "93.1"),
        ("0", 1, "0.0"),
    ],
)
def test_round_gbt8170(value: str | float, decimals: int, expected: str) -> None:
    result = round_gbt8170(value, decimals)
    assert result == Decimal(expected)
    assert result.as_tuple().exponent == -decimals


@settings(max_examples=200, deadline=None)
@given(
    st.decimals(min_value=-(10**6), max_value=10**6, allow_nan=False, places=4),
    st.integers(min_value=-2, max_value=3),
)
def test_round_gbt8170_matches_decimal_round_half_even(value: Decimal, decimals: int) -> None:
    expected = value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_EVEN)
    assert round_gbt8170(value, decimals) == expected


@settings(max_examples=200, deadline=None)
@given(st.fractions(min_value=-1000, max_value=1000))
def test_ceil_int_bounds(value: Fraction) -> None:
    result = ceil_int(value)
    assert result - 1 < value <= result


def test_a_computed_tie_rounds_the_same_whichever_side_the_float_lands() -> None:
    """Issue 14 defect 6: the mean 0.1885 of 12 monthly TP values came out as
    0.18849999999999997 or 0.18850000000000003 with the order of the additions, and the CSV and
    Excel exports of one table said 0.188 and 0.189."""
    below, above = 0.18849999999999997, 0.18850000000000003
    assert (round_gbt8170(below, 3), round_gbt8170(above, 3)) == (
        Decimal("0.188"),
        Decimal("0.189"),
    )
    assert round_computed_gbt8170(below, 3) == round_computed_gbt8170(above, 3) == Decimal("0.188")
    assert round_computed_gbt8170(0.1895, 3) == Decimal("0.190")
    assert round_computed_gbt8170(0.18851, 3) == Decimal("0.189")  # not a tie: carried
    with pytest.raises(InvalidValueError):
        round_computed_gbt8170(math.nan, 3)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.integers(min_value=0, max_value=20_000), min_size=1, max_size=36),
    st.integers(min_value=1, max_value=3),
    st.randoms(use_true_random=False),
)
def test_a_computed_mean_rounds_as_its_exact_value_in_any_order(
    thousandths: list[int], decimals: int, order: random.Random
) -> None:
    """Means of readings with 3 decimals, summed in any order in floating point, round as the
    exact mean does (GB/T 8170 on the exact value)."""
    readings = [value / 1000 for value in thousandths]
    exact = Fraction(sum(thousandths), 1000 * len(thousandths))
    shuffled = list(readings)
    order.shuffle(shuffled)
    computed = sum(shuffled) / len(shuffled)
    assert round_computed_gbt8170(computed, decimals) == round_gbt8170(exact, decimals)
