"""Exact vectorized IAQI against the scalar HJ 633 (hypothesis), VECTORS.md §1 and edges."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ecogov.engine.air_exact import (
    SCALE,
    exact_value,
    iaqi_of_ratio,
    iaqi_of_value,
    round_half_even,
    thresholds,
)
from ecogov.standards.editions import Edition
from ecogov.standards.hj633 import BreakpointColumn, breakpoints, iaqi, linear_iaqi
from ecogov.standards.rounding import round_gbt8170
from tests.standards.test_hj633 import (
    DERIVED,
    EDITION_VECTORS,
    FLOAT_TRAPS,
    SHARED_VECTORS,
)

C = BreakpointColumn


def _values(values: list[float], edition: Edition, column: BreakpointColumn) -> list[int | None]:
    frame = pl.DataFrame({"c": values}, schema={"c": pl.Float64})
    return frame.select(iaqi_of_value(pl.col("c"), edition, column)).to_series().to_list()


def _ratios(
    pairs: list[tuple[int, int]], edition: Edition, column: BreakpointColumn
) -> list[int | None]:
    frame = pl.DataFrame(pairs, schema={"num": pl.Int64, "den": pl.Int64}, orient="row")
    expression = iaqi_of_ratio(pl.col("num"), pl.col("den"), edition, column)
    return frame.select(expression).to_series().to_list()


def _scalar(value: float | Fraction, edition: Edition, column: BreakpointColumn) -> int | None:
    return iaqi(value, column, edition).value


# --- properties: agreement with hj633.iaqi ----------------------------------------------------

editions = st.sampled_from(list(Edition))
columns = st.sampled_from(list(BreakpointColumn))


@st.composite
def concentrations(draw: st.DrawFn, column: BreakpointColumn) -> list[float]:
    """Decimals with up to 3 places: anywhere, at or next to every breakpoint and threshold."""
    top = breakpoints(Edition.E2012, column)[-1].concentration
    anywhere = st.decimals(min_value=0, max_value=top + 50, places=3)
    points = [Decimal(point.concentration) for point in breakpoints(Edition.E2026, column)]
    near = st.builds(
        lambda point, delta: max(point + delta, Decimal(0)),
        st.sampled_from(points),
        st.decimals(min_value=Decimal("-1.5"), max_value=Decimal("1.5"), places=3),
    )
    return [float(value) for value in draw(st.lists(anywhere | near, min_size=1, max_size=60))]


@pytest.mark.parametrize("highest", [400.0, 2_500.0, 9_999.0])
@pytest.mark.parametrize("column", list(BreakpointColumn))
@pytest.mark.parametrize("edition", list(Edition))
def test_checked_values_take_the_table_lengthened_or_clipped(
    edition: Edition, column: BreakpointColumn, highest: float
) -> None:
    """With the maximum known (values checked), the lookup uses the table as it is, a table
    padded to cover the maximum, or (past MAX_TABLE) clipped indices: the IAQI is the same."""
    top = breakpoints(edition, column)[-1].concentration
    values = [0.0, 0.001, float(top) - 0.001, float(top), float(top) + 0.001, highest / 2, highest]
    frame = pl.DataFrame({"c": values}, schema={"c": pl.Float64})
    found = frame.select(iaqi_of_value(pl.col("c"), edition, column, highest)).to_series()
    assert found.to_list() == [_scalar(v, edition, column) for v in values]


@settings(max_examples=120, deadline=None)
@given(editions, columns, st.data())
def test_iaqi_of_value_equals_the_scalar_iaqi(
    edition: Edition, column: BreakpointColumn, data: st.DataObject
) -> None:
    values = data.draw(concentrations(column))
    assert _values(values, edition, column) == [_scalar(v, edition, column) for v in values]


@settings(max_examples=120, deadline=None)
@given(
    editions,
    columns,
    st.lists(
        st.tuples(st.integers(0, 5_000_000_000), st.sampled_from([1, 7, 20_000, 212_520_000])),
        min_size=1,
        max_size=40,
    ),
)
def test_iaqi_of_ratio_equals_the_scalar_iaqi(
    edition: Edition, column: BreakpointColumn, pairs: list[tuple[int, int]]
) -> None:
    # Fractions num/den of any size, e.g. daily means over the engine's common denominators.
    expected = [_scalar(Fraction(num, den * SCALE), edition, column) for num, den in pairs]
    scaled = [(num, den * SCALE) for num, den in pairs]
    assert _ratios(scaled, edition, column) == expected


@pytest.mark.parametrize("edition", list(Edition))
@pytest.mark.parametrize("column", list(BreakpointColumn))
def test_every_threshold_and_its_neighbours(edition: Edition, column: BreakpointColumn) -> None:
    # t_k is exactly where formula (1) reaches k: IAQI k at t_k, k + 1 just above it.
    cases = [(t, offset) for t in thresholds(edition, column) for offset in (-1, 0, 1)]
    pairs = [(max(int(t * 7_000_000) + offset, 0), 7_000_000) for t, offset in cases]
    expected = [_scalar(Fraction(num, den), edition, column) for num, den in pairs]
    assert _ratios(pairs, edition, column) == expected


@pytest.mark.parametrize("column", list(BreakpointColumn))
def test_thresholds_invert_formula_1(column: BreakpointColumn) -> None:
    points = breakpoints(Edition.E2026, column)
    found = thresholds(Edition.E2026, column)
    assert (len(found), found[0]) == (points[-1].iaqi + 1, Fraction(0))
    for k, t in enumerate(found[1:], start=1):
        upper = next(i for i, point in enumerate(points) if point.iaqi >= k)
        assert linear_iaqi(t, points[upper - 1], points[upper]) == k


# --- VECTORS.md §1.1, §1.2 (suite), §1.4 (derived) and the float-trap grid ----------------------

SUITE = [
    pytest.param(edition, column, item, id=f"{edition}-{column}-{item}")
    for edition in Edition
    for column, items in (SHARED_VECTORS | EDITION_VECTORS[edition]).items()
    for item in items.split()
]


@pytest.mark.parametrize(("edition", "column", "item"), SUITE)
def test_suite_vectors(edition: Edition, column: BreakpointColumn, item: str) -> None:
    value, result = item.split("→")
    expected = None if result == "sub" else int(result.rstrip("^*"))
    assert _values([float(value)], edition, column) == [expected]
    assert _ratios([(int(value) * 3, 3)], edition, column) == [expected]


@pytest.mark.parametrize(("column", "value", "iaqi_2012", "iaqi_2026"), DERIVED)
def test_derived_vectors(
    column: BreakpointColumn, value: str, iaqi_2012: int, iaqi_2026: int
) -> None:
    exact = Fraction(value)
    for edition, expected in ((Edition.E2012, iaqi_2012), (Edition.E2026, iaqi_2026)):
        assert _values([float(value)], edition, column) == [expected]
        assert _ratios([(exact.numerator, exact.denominator)], edition, column) == [expected]


@pytest.mark.parametrize("edition", list(Edition))
def test_float_trap_grid(edition: Edition) -> None:
    # Every case of scripts/iaqi_float_trap.py, and the whole 0.1 mg/m³ CO grid around them.
    for column, value, expected in FLOAT_TRAPS:
        assert _values([value], edition, column) == [expected]
    for column in (C.CO_24H, C.CO_1H):
        top = breakpoints(edition, column)[-1].concentration
        grid = [round(tenth * 0.1, 1) for tenth in range(top * 10 + 11)]
        assert _values(grid, edition, column) == [_scalar(v, edition, column) for v in grid]


def test_co_24h_2_2_is_55_not_56() -> None:
    assert _values([2.2], Edition.E2012, C.CO_24H) == [55]
    assert _ratios([(11, 5), (44, 20)], Edition.E2012, C.CO_24H) == [55, 55]


# --- > 800 µg/m³ notes and above the table -----------------------------------------------------


@pytest.mark.parametrize(
    ("edition", "column", "value", "expected"),
    [
        (Edition.E2012, C.SO2_1H, 800.0, 200),
        (Edition.E2012, C.SO2_1H, 800.001, None),  # note 2: substituted
        (Edition.E2026, C.SO2_1H, 800.4, 200),  # rounded to 800 first
        (Edition.E2026, C.SO2_1H, 800.6, 200),  # note b
        (Edition.E2026, C.SO2_1H, 5000.0, 200),
        (Edition.E2012, C.O3_8H, 800.001, None),  # note 3: substituted
        (Edition.E2026, C.O3_8H, 1500.0, 300),  # note c
        (Edition.E2026, C.PM2_5_24H, 500.4, 500),
        (Edition.E2026, C.PM2_5_24H, 650.0, 500),  # above the table
        (Edition.E2012, C.NO2_1H, 3840.001, 500),
    ],
)
def test_notes_above_800_and_above_the_table(
    edition: Edition, column: BreakpointColumn, value: float, expected: int | None
) -> None:
    assert _values([value], edition, column) == [expected]
    exact = Fraction(str(value))
    assert _ratios([(exact.numerator, exact.denominator)], edition, column) == [expected]


def test_missing_values_stay_missing() -> None:
    frame = pl.DataFrame({"c": [None, 35.0]}, schema={"c": pl.Float64})
    result = frame.select(iaqi_of_value(pl.col("c"), Edition.E2026, C.PM2_5_24H)).to_series()
    assert result.to_list() == [None, 50]


# --- GB/T 8170 on integers -----------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 10**15), st.integers(1, 10**9))
def test_round_half_even_equals_gbt8170(num: int, den: int) -> None:
    frame = pl.DataFrame({"num": [num], "den": [den]})
    rounded = frame.select(round_half_even(pl.col("num"), pl.col("den"))).item()
    assert rounded == round_gbt8170(Fraction(num, den))


@pytest.mark.parametrize("edition", [Edition.E2012, Edition.E2026])
def test_a_missing_numerator_gives_no_iaqi_not_the_cap(edition: Edition) -> None:
    """A pollutant without a value stays unscored even when its denominator is present (Polars'
    ``min_horizontal`` skips nulls; the cap must not stand in for the missing value)."""
    frame = pl.DataFrame(
        {"num": [None, 100], "den": [4, 4]}, schema={"num": pl.Int64, "den": pl.Int64}
    )
    for column in (C.SO2_24H, C.PM2_5_24H):
        scored = frame.select(iaqi_of_ratio(pl.col("num"), pl.col("den"), edition, column))
        assert scored.to_series().to_list()[0] is None
        assert scored.to_series().to_list()[1] is not None


@given(
    nums=st.lists(st.one_of(st.none(), st.integers(0, 10**13)), min_size=1, max_size=300),
    den=st.integers(1, 10**13),
)
def test_exact_value_is_the_correctly_rounded_quotient_even_by_a_constant_denominator(
    nums: list[int | None], den: int
) -> None:
    """A denominator Polars holds as one constant (every day valid) is divided by, not
    multiplied with its reciprocal (which is a unit in the last place off for about a quarter
    of the quotients)."""
    frame = pl.DataFrame({"num": nums}, schema={"num": pl.Int64})
    constant = pl.when(pl.lit(True)).then(pl.lit(den, dtype=pl.Int64))
    got = frame.select(exact_value(pl.col("num"), constant))["num"].to_list()
    assert got == [None if num is None else num / den for num in nums]
