"""Frame schemas, names and per-row rule selection shared by the air-quality engine.

Conventions (every ``engine.air_*`` module):

* **Hourly frames** are *wide*: ``station`` (String, Categorical or Enum), ``time`` and one column
  per pollutant of :data:`POLLUTANTS` — 1-hour averages [µg/m³; CO mg/m³], null = missing.
* **Time** is Beijing wall-clock time (naive ``Datetime``; an aware column is converted to
  Beijing time, ``standards.timebase.BEIJING_TZ_NAME``). An hourly value stamped HH:00 covers the
  hour *ending* at HH:00 (CNEMC convention, ``editions.beijing_date(..., hour_ending=True)``):
  the value stamped 00:00 belongs to the previous day, and a day D holds the stamps D 01:00 …
  D+1 00:00.
* **Rules per row**: the HJ 633 / GB 3095 / HJ 663 edition and the GB 3095 limit stage follow the
  Beijing date of each row (:mod:`ecogov.standards.editions`), or are pinned by the caller.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Literal

import polars as pl

from ecogov.engine.air_exact import MAX_CONCENTRATION
from ecogov.standards.editions import EDITION_SPECS, LIMIT_STAGE_SPECS, Edition, LimitStage
from ecogov.standards.gb3095 import BASIC_INDICATORS, UNITS, Indicator
from ecogov.standards.timebase import BEIJING_TZ_NAME

__all__ = [
    "EDITION_DTYPE",
    "HOURS_PER_DAY",
    "INDICATORS",
    "POLLUTANTS",
    "POLLUTANT_INDICATOR",
    "STAGE_DTYPE",
    "EditionChoice",
    "EngineInputError",
    "StageChoice",
    "as_float",
    "beijing_naive",
    "check_hourly",
    "day_of_hour",
    "edition_of",
    "editions_between",
    "iaqi_column",
    "stage_of",
]

POLLUTANTS: tuple[str, ...] = ("SO2", "NO2", "CO", "O3", "PM10", "PM2.5")
"""Hourly pollutant columns (1-hour averages; µg/m³, CO mg/m³), as named in CNEMC data."""

POLLUTANT_INDICATOR: dict[str, Indicator] = {
    "SO2": Indicator.SO2,
    "NO2": Indicator.NO2,
    "CO": Indicator.CO,
    "O3": Indicator.O3_1H,
    "PM10": Indicator.PM10,
    "PM2.5": Indicator.PM2_5,
}
"""Indicator a 1-hour pollutant column is scored as in the real-time report."""

INDICATORS: tuple[Indicator, ...] = BASIC_INDICATORS
"""The seven basic indicators (GB 3095 Table 1 order); IAQI columns are ``iaqi_<code>``."""

HOURS_PER_DAY = 24

EditionChoice = Edition | Literal["auto"]
"""An HJ 633 edition, or ``"auto"``: chosen per row by its Beijing date."""
StageChoice = LimitStage | Literal["auto"]
"""A GB 3095 limit stage, or ``"auto"``: the stage in force on the row's Beijing date."""

EDITION_DTYPE = pl.Enum([edition.value for edition in Edition])
STAGE_DTYPE = pl.Enum([stage.value for stage in LimitStage])


def iaqi_column(indicator: Indicator) -> str:
    """Name of the IAQI column of ``indicator`` (``iaqi_SO2`` … ``iaqi_PM2.5``)."""
    return f"iaqi_{indicator.value}"


def beijing_naive(time: pl.Expr, dtype: pl.DataType) -> pl.Expr:
    """``time`` as naive Beijing wall-clock time; an aware column is converted first."""
    if isinstance(dtype, pl.Datetime) and dtype.time_zone is not None:
        return time.dt.convert_time_zone(BEIJING_TZ_NAME).dt.replace_time_zone(None)
    return time


def day_of_hour(time: pl.Expr) -> pl.Expr:
    """Beijing date of an hour-ending stamp (00:00 belongs to the previous day)."""
    return time.dt.offset_by("-1h").dt.date()


def _by_date(
    day: pl.Expr, starts: Sequence[tuple[date, Edition | LimitStage]], dtype: pl.Enum
) -> pl.Expr:
    """The latest entry of ``starts`` whose first date is on or before ``day``."""
    ordered = sorted(starts, key=lambda start: start[0])
    expression = pl.lit(ordered[0][1].value, dtype=dtype)
    for first_day, value in ordered[1:]:
        expression = (
            pl.when(day >= first_day).then(pl.lit(value.value, dtype=dtype)).otherwise(expression)
        )
    return expression


def edition_of(day: pl.Expr, choice: EditionChoice) -> pl.Expr:
    """Edition per row: ``choice``, or by Beijing date ``day`` (``editions.edition_for``)."""
    if choice != "auto":
        return pl.lit(Edition(choice).value, dtype=EDITION_DTYPE)
    starts = [(spec.applies_from, spec.edition) for spec in EDITION_SPECS]
    return _by_date(day, starts, EDITION_DTYPE)


def stage_of(day: pl.Expr, choice: StageChoice) -> pl.Expr:
    """GB 3095 limit stage per row: ``choice``, or the stage in force on Beijing date ``day``.

    Auto follows ``editions.limit_stage_for`` with the edition of the same date.
    """
    if choice != "auto":
        return pl.lit(LimitStage(choice).value, dtype=STAGE_DTYPE)
    starts = [(spec.applies_from, spec.stage) for spec in LIMIT_STAGE_SPECS]
    return _by_date(day, starts, STAGE_DTYPE)


def editions_between(first: date | None, last: date | None, choice: EditionChoice) -> list[Edition]:
    """Editions that rows dated ``first`` … ``last`` can fall under (all when unknown)."""
    if choice != "auto":
        return [Edition(choice)]
    if first is None or last is None:
        return list(Edition)
    ordered = sorted(EDITION_SPECS, key=lambda spec: spec.applies_from)
    return [
        spec.edition
        for index, spec in enumerate(ordered)
        if spec.applies_from <= last
        and (index + 1 == len(ordered) or ordered[index + 1].applies_from > first)
    ]


class EngineInputError(ValueError):
    """Input the engine cannot compute on; the message says what and where (a CLI shows it):
    ``str()`` is the zh-CN text, then the English one (``zh``, ``en``: each alone; the engine
    cannot reach the platform's catalogue)."""

    def __init__(self, zh: str, en: str) -> None:
        self.zh, self.en = zh, en
        super().__init__(f"{zh} / {en}")


def check_hourly(frame: pl.DataFrame) -> dict[str, float | None]:
    """Check a wide hourly frame: columns, dtypes and concentrations in 0 … MAX_CONCENTRATION.

    Pollutant columns may be of any numeric dtype (or all null); engines read them as Float64.
    Returns the largest value of each pollutant (None when it has no value).

    Raises:
        EngineInputError: naming the first offending column or row.
    """
    missing = [name for name in ("station", "time", *POLLUTANTS) if name not in frame.columns]
    if missing:
        raise EngineInputError(
            f"小时数据缺少列 {'、'.join(missing)}",
            f"hourly frame lacks the column(s) {', '.join(missing)}",
        )
    if not isinstance(frame.schema["time"], pl.Datetime):
        raise EngineInputError(
            f"time 列的类型为 {frame.schema['time']}，不是日期时间",
            f"column time is {frame.schema['time']}, not a datetime",
        )
    for pollutant in POLLUTANTS:
        if not (frame.schema[pollutant].is_numeric() or frame.schema[pollutant] == pl.Null):
            raise EngineInputError(
                f"{pollutant} 列的类型为 {frame.schema[pollutant]}，不是数值",
                f"column {pollutant} is {frame.schema[pollutant]}, not numeric",
            )
    value = {p: pl.col(p).cast(pl.Float64) for p in POLLUTANTS}
    # Two reductions per column (no per-row allocation): nan_max is NaN when any value is NaN, and
    # an infinity falls outside the range either way.
    summary = frame.select(
        expression
        for p in POLLUTANTS
        for expression in (value[p].min().alias(f"{p} min"), value[p].nan_max().alias(f"{p} max"))
    ).row(0, named=True)
    for pollutant in POLLUTANTS:
        lowest, highest = summary[f"{pollutant} min"], summary[f"{pollutant} max"]
        if lowest is None:
            continue  # no value at all
        if lowest >= 0 and highest <= MAX_CONCENTRATION:  # False for a NaN maximum
            continue
        out_of_range = value[pollutant].is_nan() | ~value[pollutant].is_between(
            0, MAX_CONCENTRATION
        )
        row = frame.filter(out_of_range).row(0, named=True)
        station, time, found = row["station"], row["time"], row[pollutant]
        unit = UNITS[POLLUTANT_INDICATOR[pollutant]]
        raise EngineInputError(
            f"站点 {station} {time}：{pollutant} 浓度 {found} 超出 0–{MAX_CONCENTRATION} {unit}",
            f"station {station} at {time}: {pollutant} value {found} is outside "
            f"0-{MAX_CONCENTRATION} {unit}",
        )
    return {p: summary[f"{p} max"] for p in POLLUTANTS}


def as_float(frame: pl.LazyFrame) -> pl.LazyFrame:
    """The pollutant columns of a checked wide hourly frame as Float64 (a no-op when they are)."""
    return frame.with_columns(pl.col(POLLUTANTS).cast(pl.Float64))
