"""Exact arithmetic helpers shared by the standards modules.

Two rules of the air standards need exact arithmetic:

* IAQI and AQI are always rounded **up** (HJ 633-2012 §6.2 "全部进位取整数";
  HJ 633-2026 §4.2.6 "全部向上进位取整数"). ``math.ceil`` of a binary float is wrong whenever the
  exact result is an integer that the float misses (CO 24h 2.2 mg/m³ evaluates to
  55.00000000000001 → 56, not 55), so every value is converted from its *decimal
  representation* to a :class:`~fractions.Fraction` before any arithmetic.
* Reported values are rounded per GB/T 8170-2008 §3.3 (数值修约规则): round half to even on the
  decimal representation (四舍六入五成双), applied once to the unrounded value.
"""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction
from typing import Final

__all__ = [
    "COMPUTED_SIGNIFICANT_DIGITS",
    "InvalidValueError",
    "Number",
    "ceil_int",
    "round_computed_gbt8170",
    "round_gbt8170",
    "to_fraction",
]

Number = int | float | str | Decimal | Fraction
"""A numeric input: ``float`` values are read through their shortest decimal string (``str(x)``)."""


class InvalidValueError(ValueError):
    """A value that is not a finite number, or is outside the domain a standard defines."""


def to_fraction(value: Number) -> Fraction:
    """Exact rational value of ``value`` read from its decimal representation.

    Floats go through ``str(x)`` (``2.2`` → ``11/5``, not the binary double), so a concentration
    typed as ``2.2`` is treated as the decimal 2.2 the instrument reported. Strings use the
    decimal syntax of :class:`decimal.Decimal` (``"35.5"``, ``"1e-3"``).

    Needed by the round-up rule of HJ 633-2012 §6.2 / HJ 633-2026 §4.2.6, which is only exact on
    exact input. Units: those of ``value``. Editions: any.

    Raises:
        InvalidValueError: for NaN, infinities, booleans or text that is not a number.
    """
    if isinstance(value, bool):
        raise InvalidValueError(f"{value!r} is a boolean, not a number")
    if isinstance(value, Fraction | int):
        return Fraction(value)
    try:
        decimal = Decimal(str(value).strip()) if isinstance(value, float | str) else value
        return Fraction(decimal)
    except (ArithmeticError, ValueError) as error:
        raise InvalidValueError(f"{value!r} is not a finite number") from error


def ceil_int(value: Number) -> int:
    """Smallest integer ≥ ``value``, computed exactly (HJ 633-2012 §6.2; HJ 633-2026 §4.2.6).

    Units: dimensionless. Editions: HJ 633-2012 and HJ 633-2026 ("进位取整数", round up).
    """
    return math.ceil(to_fraction(value))


def round_gbt8170(value: Number, decimals: int = 0) -> Decimal:
    """Round ``value`` to ``decimals`` places per GB/T 8170-2008 §3.3 (四舍六入五成双).

    Digits below the kept place are dropped when < 5, carried when > 5, and when exactly 5 (nothing
    non-zero after it) the kept digit is made even. The rule is applied once, to the exact decimal
    value (GB/T 8170 §3.3 forbids successive rounding). ``decimals`` may be negative (tens,
    hundreds). Negative numbers round by absolute value, keeping the sign (§3.3.5).

    Returns a :class:`~decimal.Decimal` with exactly ``decimals`` places (``round_gbt8170(0.65, 1)``
    → ``Decimal("0.6")``). Units: those of ``value``. Editions: GB/T 8170-2008.
    """
    scaled = to_fraction(value) * Fraction(10) ** decimals
    return Decimal(f"{round(scaled)}E{-decimals}")


COMPUTED_SIGNIFICANT_DIGITS: Final = 12
"""Significant digits a value computed in binary floating point is read at before rounding."""


def round_computed_gbt8170(value: float, decimals: int = 0) -> Decimal:
    """Round a value *computed* in binary floating point (a mean, a share) per GB/T 8170-2008
    §3.3, reading it at :data:`COMPUTED_SIGNIFICANT_DIGITS` significant digits first.

    The exact mean of decimal readings is often a tie (the 12 monthly total-phosphorus means
    summing to 2.262 average to exactly 0.1885), but its float lands on either side of it
    (0.18849999999999997 or 0.18850000000000003, depending on the order of the additions), and
    :func:`round_gbt8170` of that float gives 0.188 one time and 0.189 the next. Reading the float
    at 12 significant digits removes the arithmetic's last-bit noise and restores the exact
    value's tie, which is then made even (0.188) every time. A value of readings with a few
    decimals that is not a tie is farther from one than the 12th digit, so it rounds as before.

    Units: those of ``value``. Editions: GB/T 8170-2008.

    Raises:
        InvalidValueError: for NaN or infinities.
    """
    if not math.isfinite(value):
        raise InvalidValueError(f"{value!r} is not a finite number")
    return round_gbt8170(f"{value:.{COMPUTED_SIGNIFICANT_DIGITS}g}", decimals)
