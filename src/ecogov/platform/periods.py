"""Periods as input: the one period grammar (:mod:`ecogov.standards.periods`) behind the
platform's error hierarchy, so a badly written period is a 422 problem+json in the API and exit
code 2 in the CLI, with a message in zh-CN and English that says what is wrong.
"""

from __future__ import annotations

from collections.abc import Collection

from ecogov.platform.errors import InputError
from ecogov.standards.periods import KINDS, Kind, Period, PeriodError
from ecogov.standards.periods import parse_period as _parse

__all__ = ["KINDS", "Kind", "Period", "parse_period"]


def parse_period(text: str, kinds: Collection[Kind] = KINDS, *, allow_range: bool = True) -> Period:
    """A period a user wrote (``2025``, ``2025-07``, ``2025Q3``/``2025-Q3``, ``2025-07-15``,
    ``A..B``), limited to ``kinds`` and, unless ``allow_range``, to single periods.

    Raises:
        InputError: the text is not such a period (message in zh-CN, then English).
    """
    try:
        return _parse(text, kinds, allow_range=allow_range)
    except PeriodError as error:
        raise InputError(str(error)) from None
