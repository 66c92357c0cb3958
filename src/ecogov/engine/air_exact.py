"""Exact, vectorized IAQI: formula (1) rounded up, without the floating-point trap.

``math.ceil`` of formula (1) in binary floats is one too high whenever the exact IAQI is an
integer the float misses (CO 24-hour 2.2 mg/m³ → 55.00000000000001 → 56; STANDARDS.md §A.2). The
engine therefore never evaluates formula (1) in floats. It uses the *thresholds* of the step
function instead: with t_k the concentration at which formula (1) equals k (its exact inverse, a
rational number), the rounded-up IAQI of a concentration C is the smallest k with C ≤ t_k. All
comparisons are made on integers:

* **Scaled concentrations.** Input values are read at a resolution of 10⁻³ of their unit
  (:data:`SCALE`: 0.001 µg/m³, 0.001 mg/m³ for CO) as the integer ``round(value × 1000)``. This
  recovers the decimal an instrument reported from its nearest binary double exactly (values with
  at most three decimals, below :data:`MAX_CONCENTRATION`); a value with more decimals is taken at
  the nearest 0.001.
* **Lookup tables.** For a scaled concentration the IAQI is read from a table holding the exact
  IAQI of every grid point 0, 0.001, … up to just above the top breakpoint (built once per
  edition and column from the thresholds). HJ 633-2026 GB/T 8170 concentration rounding is folded
  into the table.
* **Rational concentrations.** Averages (daily means, 8-hour means, city means) are exact
  fractions ``num / den`` of integers. HJ 633-2026 rounds them to whole µg/m³ (CO 0.1 mg/m³) half
  to even with integer arithmetic; under HJ 633-2012 the table gives the IAQI at the grid point
  below and one integer comparison with the threshold decides between it and the next value.

Concentrations above the top breakpoint get the HJ 633 table notes (2012 notes 2-3: no IAQI,
substitution; 2026 notes b-c: 200 / 300) and 500 elsewhere, as :func:`ecogov.standards.hj633.iaqi`
does. IAQI values are ``Int16``; null means missing or substituted.
"""

from __future__ import annotations

from fractions import Fraction
from functools import cache
from itertools import pairwise

import numpy as np
import polars as pl

from ecogov.standards.editions import Edition
from ecogov.standards.gb3095 import UNITS
from ecogov.standards.hj633 import (
    COLUMN_INDICATOR,
    CONCENTRATION_DECIMALS,
    RULES,
    BreakpointColumn,
    breakpoints,
)

__all__ = [
    "IAQI_DTYPE",
    "MAX_CONCENTRATION",
    "SCALE",
    "exact_value",
    "iaqi_of_ratio",
    "iaqi_of_value",
    "round_half_even",
    "scaled",
    "thresholds",
]

SCALE = 1000
"""Integer units per unit of concentration: values are read at 0.001 µg/m³ (CO 0.001 mg/m³)."""

MAX_CONCENTRATION = 1_000_000
"""Largest accepted concentration [µg/m³; CO mg/m³]: far above every breakpoint (top 3840), it
bounds the integer arithmetic (sums of a year of scaled values stay inside Int64)."""

IAQI_DTYPE = pl.Int16


@cache
def thresholds(edition: Edition, column: BreakpointColumn) -> tuple[Fraction, ...]:
    """t_0 … t_K: the exact concentration [µg/m³; CO mg/m³] at which formula (1) equals k.

    The inverse of formula (1) on each segment, t_k = BP_Lo + (k − IAQI_Lo)·(BP_Hi − BP_Lo) /
    (IAQI_Hi − IAQI_Lo); the rounded-up IAQI of C ≤ t_K is min{k : C ≤ t_k} (HJ 633-2012 §4.2,
    §6.2; HJ 633-2026 §4.2.4, §4.2.6). K is the IAQI of the top breakpoint. Editions: 2012, 2026.
    """
    result = [Fraction(0)]
    for lower, upper in pairwise(breakpoints(edition, column)):
        step = Fraction(upper.concentration - lower.concentration, upper.iaqi - lower.iaqi)
        result += [
            lower.concentration + step * (k - lower.iaqi)
            for k in range(lower.iaqi + 1, upper.iaqi + 1)
        ]
    return tuple(result)


def _above_table(edition: Edition, column: BreakpointColumn) -> int | None:
    """IAQI above the top breakpoint: a table note's fixed value, None (substitution) or 500."""
    points = breakpoints(edition, column)
    for rule in RULES[edition].cap_rules:
        if rule.column is column:
            if rule.above != points[-1].concentration:
                raise NotImplementedError(f"{column}: a note below the top breakpoint")
            return rule.fixed_iaqi
    return points[-1].iaqi


def _resolution(edition: Edition, column: BreakpointColumn) -> Fraction | None:
    """GB/T 8170 rounding step of the concentration before the IAQI (2026 §4.2.2), or None."""
    if not RULES[edition].rounds_concentration:
        return None
    unit = UNITS[COLUMN_INDICATOR[column]]
    return Fraction(1, 10 ** CONCENTRATION_DECIMALS[unit])


def _last_index(threshold: Fraction, den: int, step: Fraction | None) -> int:
    """Largest integer j whose concentration j/den (rounded to ``step``) is ≤ ``threshold``."""
    if step is None:
        return int(threshold * den // 1)
    grid = threshold // step * step  # largest reportable value ≤ threshold
    half = (grid + step / 2) * den  # j/den below this rounds to ``grid`` or lower
    if half.denominator != 1:
        return int(half // 1)
    ties_down = (grid / step).numerator % 2 == 0  # GB/T 8170: a tie rounds to the even digit
    return int(half) if ties_down else int(half) - 1


@cache
def _table(edition: Edition, column: BreakpointColumn, den: int) -> pl.Series:
    """IAQI of the concentrations j/den, j = 0 … J; the last entry holds the above-table value."""
    step = _resolution(edition, column)
    last = [_last_index(t, den, step) for t in thresholds(edition, column)]
    counts = [last[0] + 1, *(b - a for a, b in pairwise(last))]
    table = pl.Series(column.value, np.repeat(np.arange(len(last), dtype=np.int16), counts))
    return table.append(pl.Series([_above_table(edition, column)], dtype=IAQI_DTYPE))


MAX_TABLE = 1 << 23
"""Longest lookup table built to spare clipping [entries]: 16 MiB of Int16, values up to 8,388
µg/m³ (CO mg/m³) at 0.001 resolution; larger maxima clip their indices instead."""


@cache
def _lengthened(edition: Edition, column: BreakpointColumn, length: int) -> pl.Series:
    """:func:`_table` at resolution :data:`SCALE` padded to ``length`` entries with its last
    entry, the above-table value (a power of two, so few lengths are ever cached)."""
    table = _table(edition, column, SCALE)
    return table.extend_constant(table[-1], length - table.len())


@cache
def _final(edition: Edition, column: BreakpointColumn) -> pl.Series:
    """0 … K (the top IAQI), then the above-table value: indexed by a candidate IAQI ≤ K + 1."""
    top = breakpoints(edition, column)[-1].iaqi
    return pl.Series([*range(top + 1), _above_table(edition, column)], dtype=IAQI_DTYPE)


@cache
def _threshold_parts(edition: Edition, column: BreakpointColumn) -> tuple[pl.Series, pl.Series]:
    """Numerators and denominators of :func:`thresholds`, indexed by k (Int64)."""
    values = thresholds(edition, column)
    return (
        pl.Series([t.numerator for t in values], dtype=pl.Int64),
        pl.Series([t.denominator for t in values], dtype=pl.Int64),
    )


def exact_value(num: pl.Expr, den: pl.Expr) -> pl.Expr:
    """The float of the fraction ``num / den``, correctly rounded on every row.

    Polars divides by a column it holds as one constant (the denominator of a frame whose days
    are all valid) by multiplying with its reciprocal, one unit in the last place off the
    quotient; ``num * 0`` added to the denominator makes it a column of its own, so a value
    computed from the hours and the same value read back from a stored day are the same float.
    """
    return num / (den + num * 0)


def scaled(value: pl.Expr) -> pl.Expr:
    """Concentration [µg/m³; CO mg/m³] as an integer count of 1/:data:`SCALE` units (Int64)."""
    return (value * SCALE).round().cast(pl.Int64)


def round_half_even(num: pl.Expr, den: pl.Expr | int) -> pl.Expr:
    """num/den rounded to an integer, ties to even (GB/T 8170-2008 §3.3); integers ≥ 0, exact."""
    shifted = num * 2 + den  # rounding half up is (2·num + den) // (2·den) ...
    nearest = shifted // (den * 2)
    tie = shifted % (den * 2) == 0  # ... and a tie rounded up to an odd integer goes back down
    return nearest - (tie & (nearest % 2 == 1)).cast(pl.Int64)


def _lookup(index: pl.Expr, table: pl.Series) -> pl.Expr:
    return pl.lit(table).gather(index.clip(upper_bound=table.len() - 1))


def iaqi_of_value(
    value: pl.Expr, edition: Edition, column: BreakpointColumn, highest: float | None = None
) -> pl.Expr:
    """Exact IAQI of concentrations [µg/m³; CO mg/m³] given as floats, on one breakpoint column.

    The value is read at 0.001 resolution (:data:`SCALE`) and looked up; 2026 concentrations
    are first rounded per GB/T 8170 (HJ 633-2026 §4.2.2-4.2.3). Equal to
    :func:`ecogov.standards.hj633.iaqi` for values with at most three decimals. ``highest``, the
    largest value when the caller has checked every value to lie in 0 … ``highest`` ≤
    :data:`MAX_CONCENTRATION` (``air_schema.check_hourly``), spares the range checks of the cast
    and the clipping of values inside the table. Editions: 2012, 2026.
    """
    table = _table(edition, column, SCALE)
    last = table.len() - 1
    # value ≤ MAX_CONCENTRATION, so value·SCALE + ½ fits UInt32; truncating it rounds to nearest
    halfway = value * SCALE + 0.5
    if highest is None:
        return pl.lit(table).gather(halfway.cast(pl.UInt32).clip(upper_bound=last))
    # Checked values cannot wrap: the unchecked cast is twice as fast as the checked one. Rather
    # than clip every index (which costs more than the lookup), the table is lengthened to
    # cover the largest value when that stays small.
    index = halfway.cast(pl.UInt32, wrap_numerical=True)
    needed = int(highest * SCALE + 0.5) + 1
    if needed <= table.len():
        return pl.lit(table).gather(index)
    if needed <= MAX_TABLE:
        return pl.lit(_lengthened(edition, column, 1 << (needed - 1).bit_length())).gather(index)
    return pl.lit(table).gather(index.clip(upper_bound=last))


def iaqi_of_ratio(
    num: pl.Expr, den: pl.Expr, edition: Edition, column: BreakpointColumn
) -> pl.Expr:
    """Exact IAQI of the concentration num/den [µg/m³; CO mg/m³] (Int64 num ≥ 0, den > 0).

    2026: rounded per GB/T 8170 to whole µg/m³ (CO 0.1 mg/m³) first (HJ 633-2026 §4.2.2). 2012:
    formula (1) rounded up (§6.2). Table notes and the above-table value as in
    :func:`ecogov.standards.hj633.iaqi`. Editions: 2012, 2026.
    """
    num, den = num.cast(pl.Int64), den.cast(pl.Int64)
    step = _resolution(edition, column)
    if step is not None:
        places = step.denominator
        table = _table(edition, column, places)
        return _lookup(round_half_even(num * places, den), table)
    table = _table(edition, column, SCALE)
    top = breakpoints(edition, column)[-1]
    # min_horizontal skips nulls: a missing numerator must stay missing, not read as the cap
    bounded = pl.when(num.is_not_null()).then(pl.min_horizontal(num, den * (top.concentration + 1)))
    below = _lookup(bounded * SCALE // den, table)  # IAQI of the grid point at or below
    numerators, denominators = _threshold_parts(edition, column)
    past = bounded * pl.lit(denominators).gather(below) > pl.lit(numerators).gather(below) * den
    # below + past is at most one above the top IAQI, which maps to the above-table value
    return pl.lit(_final(edition, column)).gather(below + past.cast(IAQI_DTYPE))
