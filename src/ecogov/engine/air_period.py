"""Month, quarter and year statistics per station or city (HJ 663), composite index and ranking.

Input: a daily frame with its AQI (:func:`ecogov.engine.air_daily.daily_aqi` of station or city
daily values). Output: one row per key (``station`` or ``city``) and period with

* ``period_start``, ``period_end`` (Date), ``days_expected`` (Int32, calendar days) and ``stage``
  (the GB 3095 limit stage of the assessment);
* per assessment item ``<ind>`` of ``hj663.ANNUAL_ITEMS`` (SO2, NO2, CO, O3_8H, PM10, PM2.5):
  ``<ind>_days`` (valid daily values), ``<ind>_valid`` (GB 3095 Table 4: ≥ 27 valid days in each
  month, ≥ 25 in February, and ≥ 324 in a year), ``<ind>_mean`` (SO2, NO2, PM10, PM2.5) and
  ``<ind>_p<NN>`` (SO2/NO2 p98, CO/PM p95, O3_8H p90; HJ 663 Appendix A) — reported values per
  GB/T 8170 (whole µg/m³, CO 0.1 mg/m³), ``<ind>_attains`` (null when not valid);
* ``attains`` (every item attains; null when one has no verdict);
* ``aqi_days`` (days with a publishable daily AQI), ``good_days``, ``good_ratio`` (% to 0.1),
  ``level_1_days`` … ``level_6_days``, ``heavy_days`` (AQI > 200);
* ``composite_index`` (2 decimals) and ``composite_primary`` (环办监测〔2018〕19号).

Exactness: means and percentiles are computed in floats from the exact daily values; a statistic
that lands within 10⁻⁶ of a rounding tie is recomputed exactly from the daily fractions with
:func:`ecogov.standards.hj663.arithmetic_mean` / :func:`~ecogov.standards.hj663.percentile`, so the
reported values, verdicts and indices equal those of the scalar standards. Decisions: the monthly
minimums of the annual validity row are applied to every month of a month or quarter too; a year
is assessed on the limits of the stage in force on its last day (``stage="auto"``).
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from math import lcm

import polars as pl

from ecogov.engine.air_exact import round_half_even
from ecogov.engine.air_index import POLLUTANT_SET_DTYPE, pollutant_set
from ecogov.engine.air_schema import StageChoice, stage_of
from ecogov.standards.editions import Edition, LimitStage
from ecogov.standards.gb3095 import UNITS, Averaging, Indicator, ZoneClass, limit, validity_rule
from ecogov.standards.hj633 import CONCENTRATION_DECIMALS, LEVELS, round_concentration
from ecogov.standards.hj663 import ANNUAL_ITEMS, GOOD_DAY_MAX_LEVEL, arithmetic_mean, percentile
from ecogov.standards.periods import AssessmentKind
from ecogov.standards.ranking import COMPOSITE_ITEMS, INDEX_DECIMALS, denominators

__all__ = ["Period", "change_and_rank", "period_statistics", "statistic_column"]

Period = AssessmentKind
"""The kind of period a statistic covers (one type for every domain: ``standards.periods``)."""
_TRUNCATE: dict[Period, str] = {"month": "1mo", "quarter": "1q", "year": "1y"}
_MONTHS: dict[Period, int] = {"month": 1, "quarter": 3, "year": 12}
_ANNUAL = validity_rule(Indicator.PM2_5, Averaging.YEAR)
_FEBRUARY = 2
_LEVELS = LEVELS[Edition.E2026]  # numbering and bounds are the same in both editions
_HEAVY_LEVEL = next(level.number for level in _LEVELS if level.category_zh == "重度污染")
"""重污染天: 重度污染 (AQI 201-300) or worse (HJ 633-2012 Table 2, HJ 633-2026 Table 1)."""
_TIE_TOLERANCE = 1e-6
_DECIMALS_MAX = max(CONCENTRATION_DECIMALS.values())
_COUNT = pl.Int32


def statistic_column(indicator: Indicator, percentile_rank: int | None) -> str:
    """Column of a period statistic: ``<ind>_mean`` or ``<ind>_p<NN>``."""
    return f"{indicator}_mean" if percentile_rank is None else f"{indicator}_p{percentile_rank}"


def _statistics() -> list[tuple[Indicator, int | None]]:
    """(indicator, percentile or None for the mean) of every reported statistic."""
    found: list[tuple[Indicator, int | None]] = []
    for indicator, item in ANNUAL_ITEMS.items():
        if item.annual_mean:
            found.append((indicator, None))
        found.append((indicator, item.percentile))
    return found


def _steps(indicator: Indicator) -> int:
    """Reporting steps per unit: 1 (whole µg/m³) or 10 (CO 0.1 mg/m³), HJ 633-2026 §4.2.2."""
    return int(10 ** CONCENTRATION_DECIMALS[UNITS[indicator]])


def _reported(value: pl.Expr, indicator: Indicator) -> pl.Expr:
    """GB/T 8170 (half to even) at the reporting resolution (STANDARDS.md §C.6)."""
    steps = _steps(indicator)
    return ((value * steps).round(mode="half_to_even") / steps).round(_DECIMALS_MAX)


def _near_tie(value: pl.Expr, indicator: Indicator) -> pl.Expr:
    scaled = value * _steps(indicator)
    return ((scaled - scaled.floor()) - 0.5).abs() < _TIE_TOLERANCE


def _key(frame: pl.DataFrame) -> str:
    return "city" if "city" in frame.columns else "station"


def _exact_statistic(
    values: Sequence[tuple[int, int]], indicator: Indicator, percentile_rank: int | None
) -> float:
    """The reported statistic of exact daily fractions, by the scalar standards."""
    fractions = [Fraction(num, den) for num, den in values]
    exact = (
        arithmetic_mean(fractions)
        if percentile_rank is None
        else percentile(fractions, percentile_rank)
    )
    return float(round_concentration(exact, indicator))


def _fix_ties(
    stats: pl.DataFrame, daily: pl.DataFrame, key: str, raw: dict[str, str]
) -> pl.DataFrame:
    """Recompute exactly the statistics whose float value is within 10⁻⁶ of a rounding tie."""
    for indicator, rank in _statistics():
        column = statistic_column(indicator, rank)
        ties = stats.filter(_near_tie(pl.col(raw[column]), indicator)).select(key, "period_start")
        if not ties.height:
            continue
        groups = (
            daily.join(ties, on=[key, "period_start"])
            .filter(pl.col(f"{indicator}_num").is_not_null())
            .group_by(key, "period_start")
            .agg(pl.col(f"{indicator}_num"), pl.col(f"{indicator}_den"))
        )
        fixed = pl.DataFrame(
            [
                (k, start, _exact_statistic(list(zip(nums, dens, strict=True)), indicator, rank))
                for k, start, nums, dens in groups.iter_rows()
            ],
            schema={key: stats.schema[key], "period_start": pl.Date, column: pl.Float64},
            orient="row",
        )
        stats = stats.update(fixed, on=[key, "period_start"])
    return stats


def _month_minimum(month: pl.Expr) -> pl.Expr:
    """Valid daily values a month needs: 27, February 25 (GB 3095 Table 4, annual row)."""
    return (
        pl.when(month.dt.month() == _FEBRUARY)
        .then(_ANNUAL.february_minimum)
        .otherwise(_ANNUAL.monthly_minimum)
    )


def _validity(daily: pl.DataFrame, key: str, period: Period) -> pl.DataFrame:
    """Valid days and GB 3095 Table 4 validity of every item in every period."""
    monthly = daily.group_by(key, "period_start", pl.col("date").dt.truncate("1mo").alias("month"))
    counts = monthly.agg(
        pl.col(str(ind)).count().cast(_COUNT).alias(f"{ind}_days") for ind in ANNUAL_ITEMS
    )
    minimum = _month_minimum(pl.col("month"))
    per_period = counts.group_by(key, "period_start").agg(
        expression
        for ind in ANNUAL_ITEMS
        for expression in (
            pl.col(f"{ind}_days").sum().alias(f"{ind}_days"),
            (pl.col(f"{ind}_days") >= minimum).sum().alias(f"{ind}_months"),
        )
    )
    yearly_minimum = _ANNUAL.minimum if period == "year" else 0
    return per_period.select(
        key,
        "period_start",
        *(
            expression
            for ind in ANNUAL_ITEMS
            for expression in (
                pl.col(f"{ind}_days"),
                (
                    (pl.col(f"{ind}_months") == _MONTHS[period])
                    & (pl.col(f"{ind}_days") >= yearly_minimum)
                ).alias(f"{ind}_valid"),
            )
        ),
    )


def _limit(
    indicator: Indicator, averaging: Averaging, zone: ZoneClass, stages: list[LimitStage]
) -> pl.Expr:
    """The GB 3095 limit [µg/m³; CO mg/m³] for the ``stage`` of each row."""
    expression = pl.lit(None, dtype=pl.Float64)
    for stage in stages:
        value = float(limit(indicator, averaging, zone, stage))
        expression = pl.when(pl.col("stage") == stage.value).then(value).otherwise(expression)
    return expression


def _attainment(zone: ZoneClass, stages: list[LimitStage]) -> list[pl.Expr]:
    """Per item: every reported statistic ≤ its limit (HJ 663-2013 §5; hj663.assess_annual)."""
    verdicts = []
    for indicator, item in ANNUAL_ITEMS.items():
        checks = [
            pl.col(statistic_column(indicator, item.percentile))
            <= _limit(indicator, item.percentile_averaging, zone, stages)
        ]
        if item.annual_mean:
            checks.append(
                pl.col(statistic_column(indicator, None))
                <= _limit(indicator, Averaging.YEAR, zone, stages)
            )
        verdict = pl.all_horizontal(checks)
        verdicts.append(
            pl.when(pl.col(f"{indicator}_valid")).then(verdict).alias(f"{indicator}_attains")
        )
    return verdicts


def _aqi_days() -> list[pl.Expr]:
    """Days with a publishable daily AQI, good days, days per level and heavy-pollution days."""
    counted = pl.col("publishable")
    level = pl.col("level")
    return [
        counted.sum().cast(_COUNT).alias("aqi_days"),
        (counted & (level <= GOOD_DAY_MAX_LEVEL)).sum().cast(_COUNT).alias("good_days"),
        *(
            (counted & (level == number)).sum().cast(_COUNT).alias(f"level_{number}_days")
            for number in (level.number for level in _LEVELS)
        ),
        (counted & (level >= _HEAVY_LEVEL)).sum().cast(_COUNT).alias("heavy_days"),
    ]


def _composite(stages: list[LimitStage]) -> list[pl.Expr]:
    """Composite index Σ C_i/S_i from the reported statistics, exact (环办监测〔2018〕19号).

    Every reported statistic is a whole number of tenths, so the index is a fraction over the
    common denominator of the 10·S_i; it is reported to 2 decimals half to even (GB/T 8170).
    """
    tenths = {
        item.indicator: (pl.col(statistic_column(item.indicator, item.percentile)) * 10)
        .round()
        .cast(pl.Int64)
        for item in COMPOSITE_ITEMS
    }

    def terms(stage: LimitStage) -> tuple[dict[Indicator, pl.Expr], int]:
        limits = {ind: Fraction(value) for ind, value in denominators(stage).items()}
        common = lcm(*(10 * s.numerator for s in limits.values()))
        return {
            ind: tenths[ind] * (common // (10 * s.numerator) * s.denominator)
            for ind, s in limits.items()
        }, common

    index = pl.lit(None, dtype=pl.Float64)
    primary = pl.lit(None, dtype=POLLUTANT_SET_DTYPE)
    for stage in stages:
        parts, common = terms(stage)
        total = pl.sum_horizontal(parts.values())
        hundredths = round_half_even(total * 10**INDEX_DECIMALS, common)
        reported = (hundredths / 10**INDEX_DECIMALS).round(INDEX_DECIMALS)
        top = pl.max_horizontal(parts.values())
        is_stage = pl.col("stage") == stage.value
        index = pl.when(is_stage).then(reported).otherwise(index)
        primary = (
            pl.when(is_stage)
            .then(pollutant_set({i: p == top for i, p in parts.items()}))
            .otherwise(primary)
        )
    complete = pl.all_horizontal(value.is_not_null() for value in tenths.values())
    return [
        pl.when(complete).then(index).alias("composite_index"),
        pl.when(complete).then(primary).alias("composite_primary"),
    ]


def period_statistics(
    daily: pl.DataFrame,
    period: Period,
    *,
    zone_class: ZoneClass = ZoneClass.TWO,
    stage: StageChoice = "auto",
) -> pl.DataFrame:
    """Statistics of every station or city and ``period`` (HJ 663-2013 §4-§6, Appendix A).

    ``daily``: a daily frame with AQI (:func:`ecogov.engine.air_daily.daily_aqi`), keyed by
    ``station`` or ``city`` and ``date``. ``zone_class``/``stage`` select the GB 3095 limits
    (``"auto"``: the stage in force on the last day of the period). Returns the columns of the
    module docstring, sorted by key and period. Editions: 2012, 2026 (HJ 663-2013 method, limits
    of the stage).
    """
    key = _key(daily)
    span = _TRUNCATE[period]
    frame = daily.with_columns(pl.col("date").dt.truncate(span).alias("period_start"))
    raw = {statistic_column(ind, rank): f"raw_{ind}_{rank}" for ind, rank in _statistics()}
    stats = frame.group_by(key, "period_start").agg(
        *(
            (
                pl.col(str(ind)).mean()
                if rank is None
                else pl.col(str(ind)).quantile(rank / 100, "linear")
            ).alias(raw[statistic_column(ind, rank)])
            for ind, rank in _statistics()
        ),
        *_aqi_days(),
    )
    stats = stats.with_columns(
        _reported(pl.col(raw[statistic_column(ind, rank)]), ind).alias(statistic_column(ind, rank))
        for ind, rank in _statistics()
    )
    stats = _fix_ties(stats, frame, key, raw).drop(raw.values())
    end = pl.col("period_start").dt.offset_by(span).dt.offset_by("-1d")
    stats = stats.join(_validity(frame, key, period), on=[key, "period_start"], how="left")
    stats = stats.with_columns(
        end.alias("period_end"),
        ((end - pl.col("period_start")).dt.total_days() + 1).cast(_COUNT).alias("days_expected"),
        stage_of(end, stage).alias("stage"),
    )
    stages = [LimitStage(value) for value in stats["stage"].unique().to_list()]
    good = round_half_even(pl.col("good_days").cast(pl.Int64) * 1000, pl.col("aqi_days"))
    stats = stats.with_columns(
        *_attainment(zone_class, stages),
        pl.when(pl.col("aqi_days") > 0).then((good / 10).round(1)).alias("good_ratio"),
        *_composite(stages),
    ).with_columns(
        pl.all_horizontal(pl.col(f"{ind}_attains") for ind in ANNUAL_ITEMS).alias("attains")
    )
    return stats.select(_order(key)).sort(key, "period_start")


def _order(key: str) -> list[str]:
    items = [
        name
        for ind, item in ANNUAL_ITEMS.items()
        for name in (
            f"{ind}_days",
            f"{ind}_valid",
            *([statistic_column(ind, None)] if item.annual_mean else []),
            statistic_column(ind, item.percentile),
            f"{ind}_attains",
        )
    ]
    days = ["aqi_days", "good_days", "good_ratio", *(f"level_{lv.number}_days" for lv in _LEVELS)]
    return [
        key,
        "period_start",
        "period_end",
        "days_expected",
        "stage",
        *items,
        "attains",
        *days,
        "heavy_days",
        "composite_index",
        "composite_primary",
    ]


def _signed_round(num: pl.Expr, den: pl.Expr) -> pl.Expr:
    """num/den rounded half to even by absolute value, keeping the sign (GB/T 8170 §3.3.5)."""
    magnitude = round_half_even(num.abs(), den)
    return pl.when(num < 0).then(-magnitude).otherwise(magnitude)


def change_and_rank(current: pl.DataFrame, previous: pl.DataFrame | None = None) -> pl.DataFrame:
    """Ranking by composite index per period, and the change rate vs the same period a year before.

    ``current``/``previous``: :func:`period_statistics` frames of cities (or stations); the row of
    ``previous`` whose ``period_start`` is one year before a current row's is its comparison. Adds
    ``rank`` (UInt32 per period, 1 = lowest composite index; equal reported indices share a rank:
    "1, 2, 2, 4"), and with ``previous``: ``previous_index``, ``change_rate`` ((I − I_prev)/I_prev
    in %, 1 decimal, GB/T 8170; > 0 worse) and ``change_rank`` (largest deterioration first, ties
    shared; cities attaining on every item are left out). Source: 环办监测〔2018〕19号 §3 and
    变化程度排名 (STANDARDS.md §D.1-D.2).
    """
    key = _key(current)
    ranked = current.with_columns(
        pl.col("composite_index").rank("min").over("period_start").alias("rank")
    )
    if previous is None:
        return ranked
    earlier = previous.select(
        key,
        pl.col("period_start").dt.offset_by("1y"),
        pl.col("composite_index").alias("previous_index"),
    )
    joined = ranked.join(earlier, on=[key, "period_start"], how="left", maintain_order="left")
    hundredths = {
        name: (pl.col(name) * 10**INDEX_DECIMALS).round().cast(pl.Int64)
        for name in ("composite_index", "previous_index")
    }
    change = hundredths["composite_index"] - hundredths["previous_index"]
    tenths = _signed_round(change * 1000, hundredths["previous_index"])
    rate = pl.when(pl.col("previous_index") > 0).then((tenths / 10).round(1))
    attaining = pl.col("attains").fill_null(value=False)
    candidates = pl.when(~attaining).then(pl.col("change_rate"))
    return joined.with_columns(rate.alias("change_rate")).with_columns(
        candidates.rank("min", descending=True).over("period_start").alias("change_rank")
    )
