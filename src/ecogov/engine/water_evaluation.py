"""Evaluation of sections and groups of sections over a period (环办〔2011〕22号; GB 3838-2002).

Built on :mod:`ecogov.engine.water` (classes) and :mod:`ecogov.engine.water_means` (means):
each section's class against its target (目标水质类别), drinking-water-source compliance
(饮用水水源地达标), the city water quality index of a section (CWQI, see
:func:`ecogov.standards.water_assessment.cwqi_item` for its provenance), the trophic state of lakes
(综合营养状态指数), and per basin, river or region the shares of sections in classes I–III and
worse than V, the grade by the section-share method (from 5 sections) or by the mean
concentrations (1–4 sections), the main pollutants by section exceedance rate, and the change
against the same period of the previous year. Column conventions: see :mod:`ecogov.engine.water`.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from ecogov.engine.water import (
    PH,
    WATER_BODY,
    grade,
    item_classes,
    limit_of,
    main_pollutants,
    section_classes,
)
from ecogov.engine.water_means import spatial_means
from ecogov.standards.gb3838 import ASSESSED_ITEMS, PARAMETERS, TABLE2, WaterClass
from ecogov.standards.water_assessment import (
    PROPORTION_METHOD_MIN_SECTIONS,
    TLI_ITEMS,
    Grade,
    tli,
    trophic_state,
)

__all__ = [
    "assess_sections",
    "basin_main_pollutants",
    "class_shares",
    "drinking_compliance",
    "mean_concentration_grades",
    "section_cwqi",
    "shares_grade",
    "trophic_states",
    "year_on_year",
]

_NEUTRAL_PH = 7.0  # the CWQI pH formula's reference point


def _cwqi_of_item() -> pl.Expr:
    """CWQI(i) of each row (vector form of :func:`ecogov.standards.water_assessment.cwqi_item`)."""
    value, lower, upper = pl.col("value"), limit_of("lower_3"), limit_of("upper_3")
    return (
        pl.when(pl.col("parameter").cast(pl.String) == PH)
        .then(
            pl.when(value <= _NEUTRAL_PH)
            .then((_NEUTRAL_PH - value) / (_NEUTRAL_PH - lower))
            .otherwise((value - _NEUTRAL_PH) / (upper - _NEUTRAL_PH))
        )
        .when(upper.is_null())
        .then(pl.when(value > 0).then(lower / value))
        .otherwise(value / upper)
    )


def section_cwqi(items: pl.DataFrame, keys: Sequence[str]) -> pl.DataFrame:
    """City water quality index of each section (CWQI): per ``keys``, ``cwqi`` is the sum of
    CWQI(i) [dimensionless] over the 21 assessed items present — ``C / C_III``, ``C_III / C`` for
    dissolved oxygen, ``(7 − pH) / 1`` or ``(pH − 7) / 2`` for pH.

    ``items`` comes from :func:`~ecogov.engine.water.item_classes`. Null for a group without
    assessed items or with an item that has no index (dissolved oxygen 0, an invalid value).
    """
    return (
        items.lazy()
        .with_columns(
            cwqi=pl.when(pl.col("item_class").is_not_null()).then(_cwqi_of_item()),
            assessed=pl.col("parameter").is_in(ASSESSED_ITEMS),
        )
        .group_by(keys)
        .agg(
            cwqi=pl.when(
                pl.col("assessed").any() & pl.col("cwqi").filter("assessed").is_not_null().all()
            ).then(pl.col("cwqi").filter("assessed").sum())
        )
        .collect()
    )


def drinking_compliance(items: pl.DataFrame, keys: Sequence[str]) -> pl.DataFrame:
    """Compliance (达标) of surface drinking-water sources (GB 3838-2002 §5 and Table 2;
    环办〔2011〕22号), the vector form of
    :func:`ecogov.standards.water_assessment.drinking_source_compliance`.

    Per ``keys``: ``drinking_compliant`` is true when the 21 assessed items present all reach
    class III and each Table 2 item present (sulfate, chloride, nitrate, iron, manganese) is
    within its limit [mg/L]; null without assessed items. ``failing_items`` names the failures
    (``总磷;锰``), basic items first, in table order.
    """
    table2 = (
        pl.col("parameter")
        .cast(pl.String)
        .replace_strict(dict(TABLE2.limits), default=None, return_dtype=pl.Float64)
    )
    assessed = pl.col("parameter").is_in(ASSESSED_ITEMS) & pl.col("item_class").is_not_null()
    failing = (assessed & (pl.col("item_class") > WaterClass.III)) | (pl.col("value") > table2)
    names = (
        pl.col("parameter")
        .cast(pl.String)
        .replace_strict({code: item.name_zh for code, item in PARAMETERS.items()}, default=None)
    )
    return (
        items.lazy()
        .with_columns(failing=failing.fill_null(False), assessed=assessed, name=names)
        .sort(pl.col("parameter").to_physical())
        .group_by(keys)
        .agg(
            drinking_compliant=pl.when(pl.col("assessed").any()).then(~pl.col("failing").any()),
            failing_items=pl.col("name").filter("failing").str.join(";"),
        )
        .collect()
    )


def assess_sections(means: pl.DataFrame, sections: pl.DataFrame) -> pl.DataFrame:
    """Evaluate every section over each period (环办〔2011〕22号).

    ``means``: ``section``, ``period``, ``parameter``, ``value`` [GB 3838 units] and ``months``
    (:func:`~ecogov.engine.water_means.period_means`). ``sections``: ``section``,
    ``water_body``, ``target_class`` (1–5) and ``drinking_source`` (bool).

    One row per section and period: ``water_class``, ``grade``, ``main_pollutants``,
    ``attains`` (class at least as good as the target), ``cwqi``, ``drinking_compliant`` (null
    unless a drinking-water source), ``failing_items`` and ``months`` (the fewest monthly values
    behind any item, the period's coverage).
    """
    keys = ["section", "period"]
    attributes = sections.select(
        "section", pl.col("water_body").cast(WATER_BODY), "target_class", "drinking_source"
    )
    items = item_classes(means.join(attributes.select("section", "water_body"), on="section"))
    coverage = items.group_by(keys).agg(months=pl.col("months").min().cast(pl.Int32))
    evaluated = (
        section_classes(items, keys)
        .join(main_pollutants(items, keys), on=keys, how="left")
        .join(section_cwqi(items, keys), on=keys, how="left")
        .join(drinking_compliance(items, keys), on=keys, how="left")
        .join(coverage, on=keys, how="left")
        .join(attributes.drop("water_body"), on="section", how="left")
    )
    return evaluated.with_columns(
        grade=grade(pl.col("water_class")),
        attains=pl.col("water_class") <= pl.col("target_class"),
        drinking_compliant=pl.when(pl.col("drinking_source")).then(pl.col("drinking_compliant")),
        failing_items=pl.when(pl.col("drinking_source")).then(pl.col("failing_items")),
    ).drop("assessed_items")


def shares_grade(sections: pl.Expr, good: pl.Expr, worst: pl.Expr) -> pl.Expr:
    """Grade of a river or basin by the section-class proportion method (断面水质类别比例法,
    环办〔2011〕22号), the vector form of
    :func:`ecogov.standards.water_assessment.grade_by_section_shares`: from the number of
    sections, those in classes I–III (``good``) and those worse than V (``worst``).

    I–III ≥ 90% 优; ≥ 75% 良好; else 劣V < 20% 轻度污染, < 40% 中度污染, otherwise 重度污染.
    Shares are compared exactly, in integers. Null below 5 sections (use
    :func:`mean_concentration_grades`).
    """
    return (
        pl.when(sections < PROPORTION_METHOD_MIN_SECTIONS)
        .then(None)
        .when(good * 10 >= sections * 9)
        .then(pl.lit(Grade.EXCELLENT.value))
        .when(good * 4 >= sections * 3)
        .then(pl.lit(Grade.GOOD.value))
        .when(worst * 5 < sections)
        .then(pl.lit(Grade.SLIGHTLY_POLLUTED.value))
        .when(worst * 5 < sections * 2)
        .then(pl.lit(Grade.MODERATELY_POLLUTED.value))
        .otherwise(pl.lit(Grade.HEAVILY_POLLUTED.value))
    )


def class_shares(classes: pl.DataFrame, keys: Sequence[str]) -> pl.DataFrame:
    """Shares of classes per group of sections (水质优良比例, 劣V类比例) and the share grade.

    ``classes``: one row per section with the ``keys`` columns and ``water_class`` (sections
    without a class are not counted), and optionally ``attains`` (bool). Result per group:
    ``sections``, ``sections_I_III``, ``sections_worse_than_V``, ``share_I_III`` and
    ``share_worse_than_V`` [%], ``grade`` by :func:`shares_grade` (null below 5 sections) and,
    with ``attains``, ``sections_attaining`` and ``attainment`` [%].
    """
    water_class = pl.col("water_class")
    counts = [
        pl.len().cast(pl.Int32).alias("sections"),
        (water_class <= WaterClass.III).sum().cast(pl.Int32).alias("sections_I_III"),
        (water_class == WaterClass.WORSE_THAN_V)
        .sum()
        .cast(pl.Int32)
        .alias("sections_worse_than_V"),
    ]
    if "attains" in classes.columns:
        counts.append(pl.col("attains").sum().cast(pl.Int32).alias("sections_attaining"))
    total = pl.col("sections")
    shares = (
        classes.lazy()
        .filter(water_class.is_not_null())
        .group_by(keys)
        .agg(counts)
        .with_columns(
            share_I_III=100 * pl.col("sections_I_III") / total,
            share_worse_than_V=100 * pl.col("sections_worse_than_V") / total,
            grade=shares_grade(total, pl.col("sections_I_III"), pl.col("sections_worse_than_V")),
        )
    )
    if "attains" in classes.columns:
        shares = shares.with_columns(attainment=100 * pl.col("sections_attaining") / total)
    return shares.collect()


def mean_concentration_grades(means: pl.DataFrame, keys: Sequence[str]) -> pl.DataFrame:
    """Class and grade of a river or basin of 1–4 sections (环办〔2011〕22号): each item averaged
    over the group's sections (pH through [H⁺]), the mean graded as one river section — the
    vector form of :func:`ecogov.standards.water_assessment.grade_by_mean_concentrations`.

    ``means``: ``section``, the ``keys`` columns, ``parameter`` and ``value``. Result per group:
    ``water_class`` and ``grade``. Applies to any group size; the method is the 2011 one only
    below 5 sections.
    """
    averaged = spatial_means(means, keys).with_columns(water_body=pl.lit("river"))
    classes = section_classes(item_classes(averaged), keys)
    return classes.select(*keys, "water_class", grade=grade(pl.col("water_class")))


def basin_main_pollutants(
    items: pl.DataFrame, keys: Sequence[str], *, limit: int = 3
) -> pl.DataFrame:
    """Main pollutants of a river or basin (环办〔2011〕22号): per ``keys``, the assessed items
    with the highest section exceedance rate (sections worse than class III ÷ sections of the
    group), ties in GB 3838-2002 Table 1 order, items exceeding nowhere left out; joined as
    ``总磷;氨氮`` in ``main_pollutants``.

    ``items`` comes from :func:`~ecogov.engine.water.item_classes` with one row per section and
    item (period means) plus the ``keys``; each section keeps its own water body's limits.
    """
    assessed = pl.col("parameter").is_in(ASSESSED_ITEMS)
    exceeding = assessed & (pl.col("item_class") > WaterClass.III)
    totals = items.group_by(keys).agg(sections=pl.col("section").n_unique())
    names = {code: item.name_zh for code, item in PARAMETERS.items()}
    ranked = (
        items.lazy()
        .filter(exceeding)
        .group_by([*keys, "parameter"])
        .agg(exceeding=pl.col("section").n_unique())
        .sort(["exceeding", pl.col("parameter").to_physical()], descending=[True, False])
        .group_by(keys)
        .head(limit)
        .with_columns(name=pl.col("parameter").cast(pl.String).replace_strict(names))
        .group_by(keys)
        .agg(main_pollutants=pl.col("name").str.join(";"))
        .collect()
    )
    return totals.join(ranked, on=list(keys), how="left", nulls_equal=True).select(
        *keys, pl.col("main_pollutants").fill_null("")
    )


def trophic_states(means: pl.DataFrame, keys: Sequence[str]) -> pl.DataFrame:
    """Trophic state of lakes and reservoirs (综合营养状态指数 TLI, CNEMC rule cited by
    环办〔2011〕22号): per ``keys``, ``tli`` from the positive means of chlorophyll a [µg/L],
    TP, TN, CODMn [mg/L] and Secchi depth [m] present, weights renormalized over them, and
    ``trophic_state`` (贫营养 … 重度富营养).

    Computed with the scalar :func:`~ecogov.standards.water_assessment.tli` per group: there are
    few lakes. Groups with none of the five items are left out.
    """
    trophic = (
        means.filter(
            pl.col("parameter").cast(pl.String).is_in(list(TLI_ITEMS)) & (pl.col("value") > 0)
        )
        .with_columns(key=pl.col("parameter").cast(pl.String).replace_strict(dict(TLI_ITEMS)))
        .group_by(keys)
        .agg("key", "value")
    )
    indices = [
        tli(**dict(zip(names, values, strict=True)))
        for names, values in trophic.select("key", "value").iter_rows()
    ]
    return trophic.select(*keys).with_columns(
        tli=pl.Series(indices, dtype=pl.Float64),
        trophic_state=pl.Series([trophic_state(index).value for index in indices], dtype=pl.String),
    )


def year_on_year(
    current: pl.DataFrame, previous: pl.DataFrame, keys: Sequence[str], columns: Sequence[str]
) -> pl.DataFrame:
    """``current`` with, for each of ``columns``, its value in the same period of the previous
    year (``<column>_prev``) and the change ``<column>_change`` = current − previous (同比; for
    classes a negative change is an improvement, for shares it is in percentage points).
    """
    before = previous.select(*keys, *(pl.col(c).alias(f"{c}_prev") for c in columns))
    joined = current.join(before, on=list(keys), how="left", nulls_equal=True)
    return joined.with_columns(
        (pl.col(c).cast(pl.Float64) - pl.col(f"{c}_prev").cast(pl.Float64)).alias(f"{c}_change")
        for c in columns
    )
