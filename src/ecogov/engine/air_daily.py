"""Daily values with their validity (GB 3095 Table 4, HJ 663 §6.1.2) and the daily AQI (HJ 633).

A *daily values* frame has one row per ``station`` (or ``city``) and Beijing ``date`` and, for each
daily indicator ``<ind>`` of :data:`DAILY_INDICATORS`:

* ``<ind>`` (Float64) — the daily value [µg/m³; CO mg/m³], null when invalid;
* ``<ind>_num``, ``<ind>_den`` (Int64) — the same value as an exact fraction ``num / den``
  (null when invalid); the IAQI and the HJ 633-2026 rounding are computed from it;
* ``<ind>_n_valid``, ``<ind>_n_expected`` (Int32) — coverage: valid and expected hours (24) of the
  day, windows (17) for ``O3_8H``, valid and total stations for a city.

Indicators: SO2, NO2, CO, PM10, PM2.5 24-hour means (valid with ≥ 20 hourly values); ``O3_1H`` the
day's maximum 1-hour O3 (HJ 633-2012 daily report; valid with ≥ 20 hourly values — GB 3095 Table 4
has no row for it, the daily row is used); ``O3_8H`` the MDA8 (日最大8小时平均): the maximum of the
17 windows ending 08:00 … 24:00, each valid with ≥ 6 hourly values, the MDA8 valid with ≥ 14 valid
windows or, with fewer, when it exceeds the O3 MDA8 limit (HJ 663-2013 §6.1.2).

The day of an hourly value follows the hour-ending convention of :mod:`ecogov.engine.air_schema`
(stamps D 01:00 … D+1 00:00 make day D).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from math import lcm

import polars as pl

from ecogov.engine.air_exact import SCALE, exact_value, iaqi_of_ratio, round_half_even, scaled
from ecogov.engine.air_index import per_edition, with_aqi
from ecogov.engine.air_schema import (
    HOURS_PER_DAY,
    INDICATORS,
    POLLUTANTS,
    EditionChoice,
    EngineInputError,
    StageChoice,
    as_float,
    beijing_naive,
    check_hourly,
    day_of_hour,
    edition_of,
    editions_between,
    iaqi_column,
    stage_of,
)
from ecogov.standards.editions import LIMIT_STAGE_SPECS, Edition
from ecogov.standards.gb3095 import Averaging, Indicator, ZoneClass, limit, validity_rule
from ecogov.standards.hj633 import COLUMN_INDICATOR, RULES, Recipe
from ecogov.standards.hj663 import MDA8_RULE

__all__ = [
    "DAILY_INDICATORS",
    "city_daily_values",
    "complete_days",
    "daily_aqi",
    "daily_values",
]

DAILY_INDICATORS: tuple[Indicator, ...] = INDICATORS
"""Daily indicators: the 24-hour means, the O3 1-hour maximum and the MDA8."""

_MEANS: dict[Indicator, str] = {
    Indicator.SO2: "SO2",
    Indicator.NO2: "NO2",
    Indicator.CO: "CO",
    Indicator.PM10: "PM10",
    Indicator.PM2_5: "PM2.5",
}
_DAY_MINIMUM = validity_rule(Indicator.SO2, Averaging.DAY).minimum
_WINDOW = MDA8_RULE.first_window_end  # hours of one window: the first covers 00:00-08:00
_WINDOW_MINIMUM = validity_rule(Indicator.O3_8H, Averaging.EIGHT_HOURS).minimum
_WINDOW_ENDS = range(MDA8_RULE.first_window_end, MDA8_RULE.last_window_end + 1)
# Common denominators: a mean of n values (n ≥ minimum) is S/(n·SCALE) = S·(L/n)/(L·SCALE).
_MEAN_LCM = lcm(*range(_DAY_MINIMUM, HOURS_PER_DAY + 1))
_WINDOW_LCM = lcm(*range(_WINDOW_MINIMUM, _WINDOW + 1))
_COUNT = pl.Int32
# A window mean of at most 8 values ≤ MAX_CONCENTRATION carries a float error below 1e-9; two
# different means over 6-8 values at 0.001 resolution differ by at least 1/(8·7·SCALE) ≈ 1.8e-5.
_RECOVERY_TOLERANCE = 1e-7


def _per_day(values: pl.Expr) -> pl.Expr:
    return values.reshape((-1, HOURS_PER_DAY))


def _grid_is_complete(frame: pl.DataFrame) -> bool:
    """Whether rows come in blocks of 24 of one station, the hours of one day in order."""
    if frame.height % HOURS_PER_DAY:
        return False
    starts = pl.col("time").gather_every(HOURS_PER_DAY) - pl.duration(hours=1)
    next_hour = pl.col("time").diff() == pl.duration(hours=1)
    same_station = pl.col("station") == pl.col("station").shift(1)
    checks = frame.select(
        (starts == starts.dt.truncate("1d")).all().alias("midnight"),
        _all_but_first_of_day(next_hour).alias("hourly"),
        _all_but_first_of_day(same_station).alias("station"),
    )
    return all(checks.row(0))


def _all_but_first_of_day(condition: pl.Expr) -> pl.Expr:
    """Whether ``condition`` holds on every row except the first of each 24-row block."""
    blocks = _per_day(condition.fill_null(value=False))
    first = blocks.arr.first().cast(pl.UInt32)
    return (blocks.arr.sum() - first == HOURS_PER_DAY - 1).all()


def _normalised(hourly: pl.DataFrame) -> pl.DataFrame:
    """Float64 pollutants and naive Beijing time; the frame itself when it already is."""
    schema = hourly.schema
    aware = getattr(schema["time"], "time_zone", None) is not None
    if not aware and all(schema[p] == pl.Float64 for p in POLLUTANTS):
        return hourly
    lazy = as_float(hourly.lazy())
    return lazy.with_columns(beijing_naive(pl.col("time"), schema["time"])).collect()


def complete_days(hourly: pl.DataFrame) -> pl.DataFrame:
    """The wide hourly frame on a complete grid: every station, every hour of each of its days.

    Rows are sorted by station and time in blocks of 24 (one station-day: stamps 01:00 … 24:00),
    from each station's first to its last day; hours absent from ``hourly`` become null rows.
    A frame already in that shape is returned as is. ``time`` is naive Beijing time.

    Raises:
        EngineInputError: when a station has two rows for the same hour.
    """
    frame = _normalised(hourly)
    if _grid_is_complete(frame):
        return frame
    duplicated = frame.filter(pl.struct("station", "time").is_duplicated()).head(1)
    if duplicated.height:
        station, time = duplicated.select("station", "time").row(0)
        raise EngineInputError(
            f"站点 {station} 在 {time} 有两行数据", f"station {station} has two rows for {time}"
        )
    day = day_of_hour(pl.col("time"))
    first_hour = pl.col("date").cast(pl.Datetime("us")) + pl.duration(hours=1)
    grid = (
        frame.group_by("station")
        .agg(day.min().alias("first"), day.max().alias("last"))
        .select("station", pl.date_ranges("first", "last").alias("date"))
        .explode("date")
        .select(
            "station",
            pl.datetime_ranges(
                first_hour, first_hour + pl.duration(hours=HOURS_PER_DAY - 1), "1h"
            ).alias("time"),
        )
        .explode("time")
        .with_columns(pl.col("time").cast(frame.schema["time"]))
    )
    station_type = frame.schema["station"]
    joined = grid.with_columns(pl.col("station").cast(station_type)).join(
        frame, on=["station", "time"], how="left"
    )
    return joined.sort("station", "time")


def _mean_columns(indicator: Indicator, pollutant: str) -> list[pl.Expr]:
    """24-hour mean (≥ 20 hourly values, GB 3095 Table 4) as an exact fraction and a float."""
    value = pl.col(pollutant)
    total = scaled(_per_day(value.fill_null(0)).arr.sum())
    count = _per_day(value.is_not_null()).arr.sum().cast(_COUNT)
    valid = count >= _DAY_MINIMUM
    return [
        pl.when(valid).then(total * (_MEAN_LCM // count)).alias(f"{indicator}_num"),
        pl.when(valid).then(pl.lit(_MEAN_LCM * SCALE, dtype=pl.Int64)).alias(f"{indicator}_den"),
        count.alias(f"{indicator}_n_valid"),
        pl.lit(HOURS_PER_DAY, dtype=_COUNT).alias(f"{indicator}_n_expected"),
    ]


def _o3_columns(grid: pl.DataFrame) -> pl.DataFrame:
    """O3 1-hour maximum and MDA8 (HJ 663-2013 §6.1.2) per station-day, exact.

    The day's 24 hourly values become columns and the 17 window means are taken in floats: two
    different means of at most 8 values at 0.001 resolution differ by far more than float noise, so
    the float maximum picks the right window. Its exact value total/(n·SCALE), n = 6, 7 or 8, is
    then recovered (the one n whose rounded total reproduces the mean) and kept as a numerator
    over the common denominator ``_WINDOW_LCM · SCALE``.
    """
    # Missing hours become 0 (value) and 0 (presence): horizontal operations are much faster
    # without nulls. Window totals are differences of running sums across the day's 24 slots.
    slots = grid.select(
        pl.col("O3").gather_every(HOURS_PER_DAY, offset=k).alias(f"slot_{k}")
        for k in range(HOURS_PER_DAY)
    )
    slot = [pl.col(name) for name in slots.columns]
    hours = slots.select(
        pl.cum_sum_horizontal(*[value.fill_null(0) for value in slot]).alias("value"),
        pl.cum_sum_horizontal(*[value.is_not_null().cast(_COUNT) for value in slot]).alias(
            "present"
        ),
        pl.max_horizontal(value.fill_null(-1) for value in slot).alias("o3_max"),
    )
    running = hours.select(
        "o3_max",
        *(pl.col(name).struct.field("*").name.prefix(f"{name}_") for name in ("value", "present")),
    )
    names = running.columns[1 : HOURS_PER_DAY + 1], running.columns[HOURS_PER_DAY + 1 :]

    def window(names: Sequence[str], end: int) -> pl.Expr:
        """Sum over the slots end − 8 … end − 1 from the running sums."""
        last = pl.col(names[end - 1])
        return last if end == _WINDOW else last - pl.col(names[end - 1 - _WINDOW])

    counts = {end: window(names[1], end) for end in _WINDOW_ENDS}
    means = [
        pl.when(counts[end] >= _WINDOW_MINIMUM)
        .then(window(names[0], end) / counts[end])
        .otherwise(-1.0)
        for end in _WINDOW_ENDS
    ]
    counted = pl.sum_horizontal(
        (count >= _WINDOW_MINIMUM).cast(_COUNT) for count in counts.values()
    )
    days = running.select(
        "o3_max",
        pl.col(names[1][-1]).alias("O3_1H_n_valid"),
        pl.when(counted > 0).then(pl.max_horizontal(means)).alias("mda8"),
        counted.alias("O3_8H_n_valid"),
    )
    mda8 = pl.col("mda8")
    recovered = []
    for n in range(_WINDOW_MINIMUM, _WINDOW + 1):
        total = (mda8 * (n * SCALE)).round()
        exact = (total / (n * SCALE) - mda8).abs() < _RECOVERY_TOLERANCE
        recovered.append(pl.when(exact).then(total.cast(pl.Int64) * (_WINDOW_LCM // n)))
    valid_1h = pl.col("O3_1H_n_valid") >= _DAY_MINIMUM
    return days.select(
        pl.when(valid_1h).then(scaled(pl.col("o3_max"))).alias("O3_1H_num"),
        pl.when(valid_1h).then(pl.lit(SCALE, dtype=pl.Int64)).alias("O3_1H_den"),
        "O3_1H_n_valid",
        pl.lit(HOURS_PER_DAY, dtype=_COUNT).alias("O3_1H_n_expected"),
        pl.coalesce(recovered).alias("mda8"),
        "O3_8H_n_valid",
        pl.lit(len(_WINDOW_ENDS), dtype=_COUNT).alias("O3_8H_n_expected"),
    )


def _mda8_valid(day: pl.Expr, zone_class: ZoneClass, stage: StageChoice) -> pl.Expr:
    """HJ 663-2013 §6.1.2: ≥ 14 valid windows, or fewer with the MDA8 above its limit."""
    windows = pl.col("O3_8H_n_valid")
    enough = windows >= MDA8_RULE.minimum_windows
    if not MDA8_RULE.valid_when_exceeding:
        return enough
    stages = stage_of(day, stage)
    limits = pl.lit(None, dtype=pl.Int64)
    for spec in LIMIT_STAGE_SPECS:
        value = limit(Indicator.O3_8H, Averaging.DAILY_MAX_8H, zone_class, spec.stage)
        limits = pl.when(stages == spec.stage.value).then(int(value)).otherwise(limits)
    reported = round_half_even(pl.col("mda8"), _WINDOW_LCM * SCALE)  # GB/T 8170 whole µg/m³
    return enough | ((windows > 0) & (reported > limits))


def daily_values(
    hourly: pl.DataFrame,
    *,
    zone_class: ZoneClass = ZoneClass.TWO,
    stage: StageChoice = "auto",
) -> pl.DataFrame:
    """Station daily values with validity and coverage from a wide hourly frame (exact).

    ``hourly``: wide hourly frame (``station``, ``time`` hour-ending Beijing, ``SO2`` … ``PM2.5``
    [µg/m³; CO mg/m³]). ``zone_class`` and ``stage`` pick the O3 MDA8 limit of the HJ 663
    exception (``"auto"``: the GB 3095 stage in force on the date).

    Returns one row per station and day of its data (``station``, ``date``) with the columns of the
    module docstring for every indicator of :data:`DAILY_INDICATORS`, sorted by station and date.
    Sources: GB 3095-2012/2026 Table 4; HJ 663-2013 §6.1.2; GB 3095-2026 §3.10. Editions: both.

    Raises:
        EngineInputError: for missing columns, concentrations out of range, or duplicate hours.
    """
    check_hourly(hourly)
    grid = complete_days(hourly)
    keys = grid.select(
        pl.col("station").gather_every(HOURS_PER_DAY),
        day_of_hour(pl.col("time").gather_every(HOURS_PER_DAY)).alias("date"),
    )
    means = grid.select(
        expression
        for ind, pollutant in _MEANS.items()
        for expression in _mean_columns(ind, pollutant)
    )
    o3 = _o3_columns(grid)
    frame = pl.concat([keys, means, o3], how="horizontal")
    mda8_valid = _mda8_valid(pl.col("date"), zone_class, stage)
    frame = frame.with_columns(
        pl.when(mda8_valid).then(pl.col("mda8")).alias("O3_8H_num"),
        pl.when(mda8_valid).then(pl.lit(_WINDOW_LCM * SCALE, dtype=pl.Int64)).alias("O3_8H_den"),
    ).drop("mda8")
    return _with_values(frame)


def _with_values(frame: pl.DataFrame) -> pl.DataFrame:
    """Add the float value ``<ind>`` of every exact ``<ind>_num / <ind>_den`` and order columns."""
    keys = [name for name in frame.columns if name in ("station", "city", "date")]
    columns = [
        expression
        for ind in DAILY_INDICATORS
        for expression in (
            exact_value(pl.col(f"{ind}_num"), pl.col(f"{ind}_den")).alias(str(ind)),
            pl.col(f"{ind}_num"),
            pl.col(f"{ind}_den"),
            pl.col(f"{ind}_n_valid"),
            pl.col(f"{ind}_n_expected"),
        )
    ]
    return frame.select(*keys, *columns)


def city_daily_values(daily: pl.DataFrame, stations: pl.DataFrame) -> pl.DataFrame:
    """City daily values: the mean of the valid daily values of the city's stations (HJ 663).

    ``daily`` is a station daily-values frame (:func:`daily_values`); ``stations`` maps ``station``
    to ``city`` (its assessment stations). For every indicator the city value is the arithmetic
    mean of the stations with a valid value that day, exact (``num`` summed over a common
    ``den``); ``<ind>_n_valid`` counts those stations, ``<ind>_n_expected`` the city's stations.
    A city-day needs at least one valid station (HJ 663 gives no minimum in the reference;
    STANDARDS.md §C.4 open question). Source: HJ 663-2013 §5 (城市点位平均). Editions: both.

    Raises:
        EngineInputError: for stations that appear in ``daily`` but not in ``stations``.
    """
    mapping = stations.select(pl.col("station").cast(pl.String), pl.col("city").cast(pl.String))
    with_city = daily.with_columns(pl.col("station").cast(pl.String)).join(
        mapping, on="station", how="left"
    )
    unknown = with_city.filter(pl.col("city").is_null())
    if unknown.height:
        station = unknown["station"][0]
        raise EngineInputError(
            f"站点 {station} 在站点名录中没有所属城市",
            f"station {station} has no city in the station list",
        )
    sizes = mapping.group_by("city").agg(pl.len().cast(_COUNT).alias("stations"))
    aggregated = (
        with_city.group_by("city", "date")
        .agg(
            expression
            for ind in DAILY_INDICATORS
            for expression in (
                pl.col(f"{ind}_num").sum().alias(f"{ind}_num"),
                pl.col(f"{ind}_den").max().alias("den_" + str(ind)),
                pl.col(f"{ind}_num").count().cast(_COUNT).alias(f"{ind}_n_valid"),
            )
        )
        .join(sizes, on="city", how="left")
    )
    frame = aggregated.with_columns(
        expression
        for ind in DAILY_INDICATORS
        for expression in (
            pl.when(pl.col(f"{ind}_n_valid") > 0).then(pl.col(f"{ind}_num")).alias(f"{ind}_num"),
            (pl.col("den_" + str(ind)) * pl.col(f"{ind}_n_valid")).alias(f"{ind}_den"),
            pl.col("stations").alias(f"{ind}_n_expected"),
        )
    )
    return _with_values(frame).sort("city", "date")


def daily_aqi(daily: pl.DataFrame, edition: EditionChoice = "auto") -> pl.DataFrame:
    """Daily AQI report (日报) of every row of a daily-values frame (station or city), exact.

    2012: 7 indicators — SO2, NO2, CO, PM10, PM2.5 24-hour means, the O3 1-hour maximum (1-hour
    breakpoints) and MDA8 (HJ 633-2012 §5.1.2; MDA8 > 800 → the O3 1-hour IAQI, note 3). 2026: 6
    indicators, no O3 1-hour, MDA8 > 800 → 300, values rounded per GB/T 8170 first (HJ 633-2026
    §4.2.2, Table 3 note c). ``edition``: pinned, or ``"auto"`` by the date (2026 rules from
    2026-03-01).

    Returns ``daily`` with ``edition``, ``iaqi_SO2`` … ``iaqi_PM2.5`` (Int16; ``iaqi_O3_1H`` null
    under 2026; null = missing or substituted) and the report fields of
    :func:`ecogov.engine.air_index.with_aqi`. Editions: 2012, 2026.
    """
    dates = daily.select(pl.col("date").min().alias("a"), pl.col("date").max().alias("b"))
    editions = editions_between(dates["a"].item(), dates["b"].item(), edition)
    recipes = {e: RULES[e].daily for e in editions}
    frame = daily.lazy().with_columns(edition_of(pl.col("date"), edition).alias("edition"))

    def scored(e: Edition, indicator: Indicator) -> pl.Expr:
        columns = [c for c, _ in recipes[e].sources if COLUMN_INDICATOR[c] is indicator]
        if not columns:
            return pl.lit(None, dtype=pl.Int16)
        num, den = pl.col(f"{indicator}_num"), pl.col(f"{indicator}_den")
        return iaqi_of_ratio(num, den, e, columns[0])

    def iaqi(indicator: Indicator) -> pl.Expr:
        build = partial(scored, indicator=indicator)
        return per_edition(editions, pl.col("edition"), build).alias(iaqi_column(indicator))

    frame = frame.with_columns(iaqi(ind) for ind in DAILY_INDICATORS)
    present = {ind: _present(ind, editions, recipes) for ind in DAILY_INDICATORS}
    # in memory: common subexpressions of the exact IAQI are evaluated once
    return with_aqi(frame, recipes, editions, present).collect(engine="in-memory")


def _present(
    indicator: Indicator, editions: list[Edition], recipes: dict[Edition, Recipe]
) -> pl.Expr:
    """Whether ``indicator`` has data: an IAQI, or a valid value replaced by another scored column
    through a table note (HJ 633-2012 note 3: MDA8 > 800 → the O3 1-hour IAQI)."""
    scored = pl.col(iaqi_column(indicator)).is_not_null()

    def replaced(e: Edition) -> pl.Expr:
        scored_columns = {c for c, _ in recipes[e].sources}
        for rule in RULES[e].cap_rules:
            if (
                COLUMN_INDICATOR[rule.column] is indicator
                and rule.column in scored_columns
                and rule.substitute in scored_columns
            ):
                return pl.col(f"{indicator}_num").is_not_null()
        return pl.lit(False)

    return scored | per_edition(editions, pl.col("edition"), replaced)
