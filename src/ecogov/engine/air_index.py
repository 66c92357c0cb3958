"""AQI, level, category, colour, primary and exceeding pollutants from IAQI columns (HJ 633).

Shared by the hourly (real-time) and daily reports: given the ``iaqi_<code>`` columns of a frame
and the edition of each row, :func:`aqi_columns` adds the report fields exactly as
:func:`ecogov.standards.hj633.hourly_aqi` / :func:`~ecogov.standards.hj633.daily_aqi` define them.

Pollutant sets (primary and exceeding pollutants) are ``Enum`` strings of indicator codes in GB 3095
Table 1 order joined with ``;`` (``"PM10;PM2.5"``); the empty string means "none" (AQI ≤ 50).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from functools import cache

import polars as pl

from ecogov.engine.air_schema import INDICATORS, iaqi_column
from ecogov.standards.editions import Edition
from ecogov.standards.gb3095 import Indicator
from ecogov.standards.hj633 import COLUMN_INDICATOR, LEVELS, RULES, Recipe, aqi_level

__all__ = [
    "CATEGORY_DTYPE",
    "COLOUR_DTYPE",
    "LEVEL_DTYPE",
    "POLLUTANT_SET_DTYPE",
    "per_edition",
    "pollutant_set",
    "recipe_indicators",
    "with_aqi",
]

LEVEL_DTYPE = pl.Int8
POLLUTANT_SET_DTYPE = pl.Enum(
    [
        ";".join(ind.value for bit, ind in enumerate(INDICATORS) if mask >> bit & 1)
        for mask in range(1 << len(INDICATORS))
    ]
)
"""Every set of the seven basic indicators; category ``mask`` holds the indicators of its bits."""
_ALL_LEVELS = [level for levels in LEVELS.values() for level in levels]
CATEGORY_DTYPE = pl.Enum(list(dict.fromkeys(level.category_zh for level in _ALL_LEVELS)))
COLOUR_DTYPE = pl.Enum(list(dict.fromkeys(level.hex for level in _ALL_LEVELS)))


def per_edition(
    editions: Sequence[Edition], edition: pl.Expr, build: Callable[[Edition], pl.Expr]
) -> pl.Expr:
    """``build(e)`` for the edition of each row; a single edition needs no branching."""
    expression = build(editions[-1])
    for other in reversed(editions[:-1]):
        expression = pl.when(edition == other.value).then(build(other)).otherwise(expression)
    return expression


def recipe_indicators(recipe: Recipe) -> tuple[Indicator, ...]:
    """Indicators scored by a report recipe, in GB 3095 Table 1 order."""
    scored = {COLUMN_INDICATOR[column] for column, _ in recipe.sources}
    return tuple(indicator for indicator in INDICATORS if indicator in scored)


def pollutant_set(flags: Mapping[Indicator, pl.Expr]) -> pl.Expr:
    """``POLLUTANT_SET_DTYPE`` value of the indicators whose boolean flag is true."""
    bits = [
        pl.when(flag).then(pl.lit(1 << INDICATORS.index(ind), dtype=pl.UInt8)).otherwise(0)
        for ind, flag in flags.items()
    ]
    categories = pl.Series(POLLUTANT_SET_DTYPE.categories, dtype=POLLUTANT_SET_DTYPE)
    return pl.lit(categories).gather(pl.sum_horizontal(bits))


@cache
def _level_table(edition: Edition) -> pl.Series:
    """Level number of every AQI 0 … 500 (HJ 633-2012 Table 2; HJ 633-2026 Table 1)."""
    top = max(point[1] for column in RULES[edition].breakpoints.values() for point in column)
    return pl.Series([aqi_level(aqi, edition).number for aqi in range(top + 1)], dtype=LEVEL_DTYPE)


def _level_field(edition: Edition, level: pl.Expr, field: str, dtype: pl.Enum) -> pl.Expr:
    values = pl.Series([getattr(lv, field) for lv in LEVELS[edition]], dtype=dtype)
    return pl.lit(values).gather(level - 1)


def with_aqi(
    frame: pl.LazyFrame,
    recipes: Mapping[Edition, Recipe],
    editions: Sequence[Edition],
    present: Mapping[Indicator, pl.Expr],
) -> pl.LazyFrame:
    """Report fields from ``iaqi_<code>`` columns (HJ 633-2012 §4.4, §5; HJ 633-2026 §4.3, §5.3).

    ``frame`` has the IAQI columns and an ``edition`` column (``EDITION_DTYPE``); ``recipes`` gives
    the report recipe per edition (daily or real-time), ``editions`` the editions that occur and
    ``present`` whether each recipe indicator has data (scored, or replaced through a table note by
    another scored column).

    Adds ``aqi`` (Int16, max IAQI, formula (2); null without any IAQI), ``level`` (Int8, 1-6),
    ``category`` (优 … 严重污染), ``colour`` (``#RRGGBB``, Annex A), ``primary_pollutants`` (ties
    joined, "" when AQI ≤ 50), ``exceeding_pollutants`` (IAQI > 100; null under HJ 633-2026, which
    deleted the concept), ``complete`` (every recipe indicator present) and ``publishable``
    (HJ 633-2026 §5.3.1: an incomplete report is published only when AQI > 100; under HJ 633-2012
    whenever an AQI exists). Editions: 2012, 2026.
    """
    scored = {ind for e in editions for ind in recipe_indicators(recipes[e])}
    iaqi = {ind: pl.col(iaqi_column(ind)) for ind in INDICATORS if ind in scored}
    aqi, level, edition = pl.col("aqi"), pl.col("level"), pl.col("edition")

    def complete(e: Edition) -> pl.Expr:
        return pl.all_horizontal(present[ind] for ind in recipe_indicators(recipes[e]))

    def primary(e: Edition) -> pl.Expr:
        top = pollutant_set({ind: value == aqi for ind, value in iaqi.items()})
        return (
            pl.when(aqi > RULES[e].primary_above)
            .then(top)
            .when(aqi.is_not_null())
            .then(pl.lit("", dtype=POLLUTANT_SET_DTYPE))
        )

    def exceeding(e: Edition) -> pl.Expr:
        threshold = RULES[e].exceeding_above
        if threshold is None:
            return pl.lit(None, dtype=POLLUTANT_SET_DTYPE)
        flags = pollutant_set({ind: value > threshold for ind, value in iaqi.items()})
        return pl.when(aqi.is_not_null()).then(flags)

    def publishable(e: Edition) -> pl.Expr:
        threshold = RULES[e].publish_incomplete_above
        if threshold is None:
            return aqi.is_not_null()
        return aqi.is_not_null() & (pl.col("complete") | (aqi > threshold))

    # IAQI ≥ 0: the maximum with nulls filled by -1 is -1 only when every IAQI is missing
    # (max_horizontal is several times faster without nulls).
    highest = pl.max_horizontal(value.fill_null(-1) for value in iaqi.values())

    def by_edition(build: Callable[[Edition], pl.Expr]) -> pl.Expr:
        return per_edition(editions, edition, build)

    return (
        frame.with_columns(pl.when(highest >= 0).then(highest).alias("aqi"))
        .with_columns(
            by_edition(complete).alias("complete"),
            by_edition(lambda e: pl.lit(_level_table(e)).gather(aqi)).alias("level"),
            by_edition(primary).alias("primary_pollutants"),
            by_edition(exceeding).alias("exceeding_pollutants"),
        )
        .with_columns(
            by_edition(lambda e: _level_field(e, level, "category_zh", CATEGORY_DTYPE)).alias(
                "category"
            ),
            by_edition(lambda e: _level_field(e, level, "hex", COLOUR_DTYPE)).alias("colour"),
            by_edition(publishable).alias("publishable"),
        )
    )
