"""The registry of named indicators (指标) that targets bind to.

Each domain declares the indicators it can compute (``Domain.indicators``): ``air.good_day_ratio``
from the air engine, ``water.share_I_III`` from the water engine, and so on. An indicator is
computed for a region and a year; for the current year it gives the year-to-date value. Manually
reported indicators (a unit enters the value with evidence) are declared the same way with
``manual=True``; the plans domain stores their values.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ecogov.platform.db import Database
    from ecogov.platform.maps import LegendSource


class Aggregation(StrEnum):
    """How a year-to-date value projects to the whole year."""

    LEVEL = "level"  # a mean, share or rate: the year-to-date value is the projection
    COUNT = "count"  # a count of days or events: scales with the elapsed part of the year


@dataclass(frozen=True)
class IndicatorValue:
    """An indicator's value for a region and year, with its coverage."""

    value: float
    year: int
    partial: bool = False
    elapsed_fraction: float = 1.0
    expected: int | None = None
    valid: int | None = None


Compute = Callable[["Database", str, int], IndicatorValue | None]
"""(database, region code, year) → value, or None when there are no data."""


@dataclass(frozen=True)
class Indicator:
    """A named indicator: what it measures, its unit, which direction is better."""

    key: str
    name_zh: str
    name_en: str
    unit: str
    higher_is_better: bool
    aggregation: Aggregation = Aggregation.LEVEL
    compute: Compute | None = None
    manual: bool = False
    scale: LegendSource | None = None
    """Absolute classes of the indicator from its standard (e.g. GB 3095 limits), for maps."""

    def projection(self, value: IndicatorValue) -> float:
        """The whole-year value implied by a year-to-date value."""
        if self.aggregation is Aggregation.COUNT and value.partial and value.elapsed_fraction > 0:
            return value.value / value.elapsed_fraction
        return value.value


def registry() -> dict[str, Indicator]:
    """Every indicator of every installed domain, by key."""
    from ecogov.platform.plugins import domains

    found: dict[str, Indicator] = {}
    for domain in domains():
        for indicator in domain.indicators:
            if indicator.key in found:
                raise ValueError(f"indicator {indicator.key} declared twice")
            found[indicator.key] = indicator
    return found
