"""Real-time (hourly) AQI as the national network publishes it, and hourly moving averages.

Method (``HourlyMethod.PUBLISHED`` of :mod:`ecogov.standards.hj633`): the 1-hour SO2, NO2, CO and
O3 values on the 1-hour breakpoints, the 1-hour PM10 and PM2.5 values on the 24-hour PM
breakpoints. This is what CNEMC published under HJ 633-2012 (it reproduces every station of the
2018 snapshot, and the O3 8-hour moving average is *not* part of that AQI: 203 stations show an O3
8-hour IAQI above their published AQI) and the text of HJ 633-2026 §4.2.3-4.2.4. Table notes:
2012 SO2 1-hour > 800 µg/m³ → the SO2 IAQI of the 24-hour moving average (note 2); 2026 → 200.

Input: a wide hourly frame (:mod:`ecogov.engine.air_schema`), hour-ending Beijing time.
"""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

from ecogov.engine.air_exact import SCALE, iaqi_of_ratio, iaqi_of_value, round_half_even, scaled
from ecogov.engine.air_index import per_edition, with_aqi
from ecogov.engine.air_schema import (
    HOURS_PER_DAY,
    POLLUTANTS,
    EditionChoice,
    EngineInputError,
    as_float,
    beijing_naive,
    check_hourly,
    day_of_hour,
    edition_of,
    editions_between,
    iaqi_column,
)
from ecogov.standards.editions import Edition, beijing_date
from ecogov.standards.gb3095 import Averaging, Indicator, validity_rule
from ecogov.standards.hj633 import COLUMN_INDICATOR, RULES, BreakpointColumn, HourlyMethod, Recipe
from ecogov.standards.hj663 import MDA8_RULE

__all__ = [
    "HOURLY_FIELDS",
    "MOVING_FIELDS",
    "city_hourly_values",
    "hourly_aqi",
    "moving_average",
    "o3_8h_moving_iaqi",
    "with_time_and_edition",
]

HOURLY_FIELDS: dict[str, str] = {
    "so2": "SO2",
    "no2": "NO2",
    "co": "CO",
    "o3": "O3",
    "pm10": "PM10",
    "pm2_5": "PM2.5",
}
"""``hj633.HourlyObservation`` 1-hour fields → wide hourly columns."""

MOVING_FIELDS: dict[str, tuple[str, int, int]] = {
    "so2_24h_moving": (
        "SO2",
        HOURS_PER_DAY,
        validity_rule(Indicator.SO2, Averaging.DAY).minimum,
    ),
    "o3_8h_moving": (
        "O3",
        MDA8_RULE.first_window_end,  # 8 hours: the first MDA8 window covers 00:00-08:00
        validity_rule(Indicator.O3_8H, Averaging.EIGHT_HOURS).minimum,
    ),
}
"""``hj633.HourlyObservation`` moving-average fields the engine uses → (wide column, window hours,
minimum valid hours): 20 of 24 for SO2 (the daily row of GB 3095 Table 4, applied to the moving
window), 6 of 8 for O3 (the 8-hour row)."""

_METHOD = HourlyMethod.PUBLISHED


def moving_average(hourly: pl.DataFrame | pl.LazyFrame, field: str) -> pl.DataFrame:
    """Moving average of :data:`MOVING_FIELDS` ``field`` over the stamps ending at each row.

    ``hourly`` is a wide hourly frame. Returns ``station``, ``time``, ``sum`` (Int64, the sum of the
    window's values scaled by :data:`~ecogov.engine.air_exact.SCALE`), ``n_valid`` (UInt32, valid
    hours in the window) and ``valid`` (at least the minimum of valid hours). The exact mean is
    ``sum / (n_valid · SCALE)`` [µg/m³; CO mg/m³]. Windows are time-based per station (hours
    absent from the frame count as missing), sorted by station and time.
    """
    pollutant, hours, minimum = MOVING_FIELDS[field]
    value = pl.col(pollutant)
    return (
        hourly.lazy()
        .select("station", "time", value)
        .sort("station", "time")
        .with_columns(
            scaled(value).fill_null(0).alias("sum"),
            value.is_not_null().cast(pl.UInt32).alias("n_valid"),
        )
        .with_columns(
            pl.col(name).rolling_sum_by("time", f"{hours}h").over("station")
            for name in ("sum", "n_valid")
        )
        .select("station", "time", "sum", "n_valid", (pl.col("n_valid") >= minimum).alias("valid"))
        .collect()
    )


def _source(recipe: Recipe, column: BreakpointColumn) -> str:
    """Observation field that feeds ``column`` in ``recipe``."""
    return next(field for c, field in (*recipe.sources, *recipe.substitute_sources) if c is column)


def _substitute(
    frame: pl.LazyFrame, recipes: Mapping[Edition, Recipe], column: BreakpointColumn
) -> pl.LazyFrame:
    """HJ 633-2012 Table 1 note 2: above 800 µg/m³ SO2 1-hour has no IAQI; the IAQI of the
    24-hour moving average replaces it (null when that average is invalid)."""
    editions = list(recipes)
    notes = {
        e: (rule.above, rule.substitute)
        for e in editions
        for rule in RULES[e].cap_rules
        if rule.column is column and rule.substitute is not None
    }
    needed = pl.lit(False)
    for e, (above, _) in notes.items():
        value = pl.col(HOURLY_FIELDS[_source(recipes[e], column)])
        needed = needed | ((pl.col("edition") == e.value) & (value > above))
    if not notes or not frame.select(needed.any()).collect().item():
        return frame
    first, (_, substitute) = next(iter(notes.items()))
    moving = moving_average(frame, _source(recipes[first], substitute))
    replacement = per_edition(
        list(notes),
        pl.col("edition"),
        lambda e: iaqi_of_ratio(pl.col("sum"), pl.col("n_valid") * SCALE, e, notes[e][1]),
    )
    target = iaqi_column(COLUMN_INDICATOR[column])
    return (
        frame.join(moving.lazy(), on=["station", "time"], how="left", maintain_order="left")
        .with_columns(
            pl.when(needed)
            .then(pl.when(pl.col("valid")).then(replacement))
            .otherwise(pl.col(target))
            .alias(target)
        )
        .drop("sum", "n_valid", "valid")
    )


def with_time_and_edition(
    hourly: pl.DataFrame, edition: EditionChoice
) -> tuple[pl.LazyFrame, list[Edition]]:
    """``time`` as naive Beijing time, an ``edition`` column, and the editions that occur."""
    frame = as_float(hourly.lazy()).with_columns(
        beijing_naive(pl.col("time"), hourly.schema["time"])
    )
    first, last = frame.select(pl.col("time").min(), pl.col("time").max().alias("last")).collect()
    editions = editions_between(
        beijing_date(first.item(), hour_ending=True) if first.item() else None,
        beijing_date(last.item(), hour_ending=True) if last.item() else None,
        edition,
    )
    if len(editions) == 1:  # one rule set for every row: no per-row date arithmetic
        return frame.with_columns(
            edition_of(pl.col("time"), editions[0]).alias("edition")
        ), editions
    day = day_of_hour(pl.col("time"))
    return frame.with_columns(edition_of(day, edition).alias("edition")), editions


def hourly_aqi(hourly: pl.DataFrame, edition: EditionChoice = "auto") -> pl.DataFrame:
    """Real-time (hourly) AQI report of every row of a wide hourly frame, exact.

    ``hourly``: ``station``, ``time`` (hour-ending, Beijing), ``SO2``, ``NO2``, ``CO``, ``O3``,
    ``PM10``, ``PM2.5`` (1-hour averages [µg/m³; CO mg/m³], null = missing). ``edition``: pinned,
    or ``"auto"`` by the Beijing date of the hour (``editions.edition_for(time, hour_ending=True)``:
    HJ 633-2012 before 2026-03-01, HJ 633-2026 from that day).

    Returns ``station``, ``time`` (naive Beijing), ``edition``, ``iaqi_SO2``, ``iaqi_NO2``,
    ``iaqi_CO``, ``iaqi_O3_1H``, ``iaqi_PM10``, ``iaqi_PM2.5`` (Int16; null = missing) and the
    report fields of :func:`ecogov.engine.air_index.with_aqi`, in input row order.
    Source: HJ 633-2012 §5.1.3 as published by CNEMC; HJ 633-2026 §4.2.3-4.2.4, Table 3 notes.
    Editions: 2012, 2026.

    Raises:
        EngineInputError: for missing columns or concentrations outside 0 … 1,000,000.
    """
    highest = check_hourly(hourly)
    frame, editions = with_time_and_edition(hourly, edition)
    recipes = {e: RULES[e].hourly[_METHOD] for e in editions}
    columns = list(dict.fromkeys(column for e in editions for column, _ in recipes[e].sources))

    def iaqi(column: BreakpointColumn) -> pl.Expr:
        return per_edition(
            editions,
            pl.col("edition"),
            lambda e: iaqi_of_value(
                pl.col(HOURLY_FIELDS[_source(recipes[e], column)]),
                e,
                column,
                highest[HOURLY_FIELDS[_source(recipes[e], column)]],
            ),
        ).alias(iaqi_column(COLUMN_INDICATOR[column]))

    frame = frame.with_columns(iaqi(column) for column in columns)
    for column in columns:
        frame = _substitute(frame, recipes, column)
    indicators = [COLUMN_INDICATOR[column] for column in columns]
    present = {ind: pl.col(iaqi_column(ind)).is_not_null() for ind in indicators}
    keep = ["station", "time", "edition", *(iaqi_column(ind) for ind in indicators)]
    report = with_aqi(frame.select(keep), recipes, editions, present)
    return report.collect(engine="streaming")  # morsels: a fraction of the memory traffic


def o3_8h_moving_iaqi(hourly: pl.DataFrame, edition: EditionChoice = "auto") -> pl.DataFrame:
    """IAQI of the O3 8-hour moving average ending at each hour (informational, exact).

    The window holds the 8 hourly stamps ending at the row (CNEMC: the current hour and the 7
    before it) and needs ≥ 6 valid hours (GB 3095 Table 4). HJ 633-2012 Table 4 lists this average
    with an IAQI, but the published real-time AQI does not use it, and HJ 633-2026 dropped it from
    the real-time report: it never enters ``aqi`` or the primary pollutants. 2012 above 800 µg/m³:
    null (note 3: the O3 1-hour IAQI is reported instead); 2026: 300 (note c).

    Returns ``station``, ``time`` (naive Beijing), ``O3_8H`` (Float64 moving mean [µg/m³], null
    when invalid), ``O3_8H_n_valid`` (UInt32) and ``iaqi_O3_8H`` (Int16), sorted by station, time.
    """
    frame, editions = with_time_and_edition(hourly, edition)
    moving = (
        moving_average(frame, "o3_8h_moving")
        .lazy()
        .join(
            frame.select("station", "time", "edition"),
            on=["station", "time"],
            how="left",
            maintain_order="left",
        )
    )
    column = BreakpointColumn.O3_8H
    den = pl.col("n_valid").cast(pl.Int64) * SCALE
    iaqi = per_edition(
        editions, pl.col("edition"), lambda e: iaqi_of_ratio(pl.col("sum"), den, e, column)
    )
    valid = pl.col("valid")
    return moving.select(
        "station",
        "time",
        pl.when(valid).then(pl.col("sum") / den).alias("O3_8H"),
        pl.col("n_valid").alias("O3_8H_n_valid"),
        pl.when(valid).then(iaqi).alias(iaqi_column(COLUMN_INDICATOR[column])),
    ).collect()


def city_hourly_values(hourly: pl.DataFrame, stations: pl.DataFrame) -> pl.DataFrame:
    """City hourly concentrations: the arithmetic mean of the city's stations at each hour.

    ``hourly`` is a wide hourly frame of stations; ``stations`` maps ``station`` to ``city`` (the
    city's assessment stations, all of them: a city's figure is official, whoever looks). For
    each pollutant the city value at an hour is the mean of the stations with a value at that
    hour (CNEMC real-time city report: the city's national-control stations averaged, then the
    IAQI/AQI of HJ 633 on those means — STANDARDS.md §C.4, "点位平均法"). The mean is kept at the
    engine's reading resolution (0.001 µg/m³, :data:`~ecogov.engine.air_exact.SCALE`, rounded
    half to even), the resolution :func:`hourly_aqi` reads every concentration at.

    Returns a wide hourly frame keyed by ``station`` = the city code (so :func:`hourly_aqi` scores
    it as it is), ``time``, the six pollutants (null when no station has a value), per pollutant
    ``<p>_n_valid`` (UInt32, stations with a value), ``stations_reporting`` (UInt32, stations with
    at least one value) and ``stations_expected`` (UInt32, the city's stations), sorted by city
    and time. A city-hour exists when at least one of its stations reported.

    Raises:
        EngineInputError: for stations of ``hourly`` that are not in ``stations``.
    """
    mapping = stations.select(pl.col("station").cast(pl.String), pl.col("city").cast(pl.String))
    check_hourly(hourly)
    with_city = (
        as_float(hourly.lazy())
        .with_columns(pl.col("station").cast(pl.String))
        .join(mapping.lazy(), on="station", how="left")
        .collect()
    )
    unknown = with_city.filter(pl.col("city").is_null())
    if unknown.height:
        station = unknown["station"][0]
        raise EngineInputError(
            f"站点 {station} 在站点名录中没有所属城市",
            f"station {station} has no city in the station list",
        )
    sizes = mapping.group_by("city").agg(pl.len().cast(pl.UInt32).alias("stations_expected"))
    any_value = pl.any_horizontal(pl.col(p).is_not_null() for p in POLLUTANTS)
    means = (
        with_city.lazy()
        .group_by("city", "time")
        .agg(
            *(
                expression
                for p in POLLUTANTS
                for expression in (
                    scaled(pl.col(p)).sum().alias(f"{p}_sum"),
                    pl.col(p).count().cast(pl.UInt32).alias(f"{p}_n_valid"),
                )
            ),
            any_value.sum().cast(pl.UInt32).alias("stations_reporting"),
        )
        .join(sizes.lazy(), on="city", how="left")
        .with_columns(
            pl.when(pl.col(f"{p}_n_valid") > 0)
            .then(
                round_half_even(pl.col(f"{p}_sum"), pl.col(f"{p}_n_valid").cast(pl.Int64)) / SCALE
            )
            .alias(p)
            for p in POLLUTANTS
        )
        .select(
            pl.col("city").alias("station"),
            "time",
            *POLLUTANTS,
            *(f"{p}_n_valid" for p in POLLUTANTS),
            "stations_reporting",
            "stations_expected",
        )
        .sort("station", "time")
    )
    return means.collect()
