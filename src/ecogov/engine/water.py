"""Surface-water classes over Polars frames (GB 3838-2002 §5 and Table 1; 环办〔2011〕22号).

Vector forms of :mod:`ecogov.standards.gb3838` and :mod:`ecogov.standards.water_assessment`:
single-factor classes of many samples at once, the class of each section (the worst assessed
item), its grade and its main pollutants. Every number comes from the standards' tables, arranged
here into one lookup frame (:func:`limits_frame`); the tests check that these functions agree
with the scalar ones on random inputs.

Column conventions shared by the ``engine.water*`` modules:

* ``parameter`` — canonical item code (:func:`ecogov.standards.water_assessment.lookup_item`:
  HJ 212-2017 code of a GB 3838 item, or ``chla`` / ``sd``), String or :data:`ITEM`;
* ``value`` — in the item's GB 3838 unit [mg/L; pH dimensionless; fecal coliform 个/L;
  chlorophyll a µg/L; Secchi depth m];
* ``water_body`` — ``"river"`` or ``"lake"`` (湖库: lakes and reservoirs, whose total phosphorus
  limits differ);
* classes — Int8 1–6, the :class:`~ecogov.standards.gb3838.WaterClass` values (6 is 劣V).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import cache
from types import MappingProxyType
from typing import Final

import polars as pl

from ecogov.standards.gb3838 import (
    ASSESSED_ITEMS,
    PARAMETERS,
    TABLE1,
    WaterBody,
    WaterClass,
    lookup_parameter,
)
from ecogov.standards.water_assessment import (
    PRIORITY_ITEMS,
    TROPHIC_ITEMS,
    MainPollutant,
    exceedance_multiple,
    grade_for_class,
)

__all__ = [
    "CLASS",
    "CLASS_LABELS",
    "GRADES",
    "ITEM",
    "ITEM_CODES",
    "PH",
    "WATER_BODIES",
    "WATER_BODY",
    "grade",
    "item_classes",
    "limit_of",
    "limits_frame",
    "main_pollutants",
    "section_classes",
    "value_problem",
    "value_usable",
]

ITEM_CODES: Final = (*PARAMETERS, *TROPHIC_ITEMS)
"""Every storable item: GB 3838-2002 Tables 1 and 2 in order, then the trophic-state items."""
ITEM: Final = pl.Enum(ITEM_CODES)
WATER_BODIES: Final = MappingProxyType({"river": WaterBody.RIVER, "lake": WaterBody.LAKE_RESERVOIR})
"""Frame key of each water body (河流 / 湖库)."""
WATER_BODY: Final = pl.Enum(tuple(WATER_BODIES))
CLASS: Final = pl.Int8
CLASS_LABELS: Final = MappingProxyType({c.value: c.label for c in WaterClass})
"""Class number → label: 1 → ``"I"`` … 6 → ``"劣V"``."""
GRADES: Final = MappingProxyType({c.value: grade_for_class(c).value for c in WaterClass})
"""Class number → grade (水质状况) of 环办〔2011〕22号: ``"优"`` … ``"重度污染"``."""
PH: Final = lookup_parameter("pH").code
_BOUND_COLUMNS: Final = tuple(f"{side}_{k}" for side in ("lower", "upper") for k in range(1, 6))


def _limit_row(water_body: str, code: str) -> dict[str, object]:
    """One row of :func:`limits_frame`."""
    limits = TABLE1[WATER_BODIES[water_body]].limits.get(code)
    row: dict[str, object] = {"water_body": water_body, "parameter": code}
    for side in ("lower", "upper"):
        bounds = None if limits is None else getattr(limits, side)
        for k in range(1, 6):
            row[f"{side}_{k}"] = None if bounds is None else float(bounds[k - 1])
    row["classified"] = limits is not None
    row["assessed"] = code in ASSESSED_ITEMS
    row["priority"] = code in PRIORITY_ITEMS
    # C_III of the exceedance multiple (环办〔2011〕22号): upper limits only, never pH.
    upper = None if limits is None else limits.upper
    row["limit_iii"] = None if upper is None or code == PH else float(upper[WaterClass.III - 1])
    return row


@cache
def limits_frame() -> pl.DataFrame:
    """GB 3838-2002 Table 1 class limits, one row per water body and item, in the order of the
    :data:`WATER_BODY` and :data:`ITEM` enums (water body first), which :func:`limit_of` relies on.

    Columns: ``water_body``, ``parameter``, ``lower_1`` … ``lower_5`` and ``upper_1`` …
    ``upper_5`` (the bounds of classes I–V [GB 3838 units], null where the item has none),
    ``classified`` (the item has class limits), ``assessed`` (one of the 21 items of
    环办〔2011〕22号), ``priority`` (cyanide or a heavy metal, listed first among main
    pollutants) and ``limit_iii`` (the class III limit of the
    exceedance multiple; null for pH and dissolved oxygen).
    """
    rows = [_limit_row(body, code) for body in WATER_BODIES for code in ITEM_CODES]
    schema_overrides = dict.fromkeys((*_BOUND_COLUMNS, "limit_iii"), pl.Float64)
    return pl.DataFrame(rows, schema_overrides=schema_overrides).with_columns(
        pl.col("water_body").cast(WATER_BODY), pl.col("parameter").cast(ITEM)
    )


def _value_rules() -> list[tuple[pl.Expr, str]]:
    """The conditions refusing a value, with their messages (in reporting order)."""
    value = pl.col("value")
    return [
        (value.is_null() | value.is_nan(), "not a number"),
        (value.is_infinite(), "must be finite"),
        (value < 0, "must not be negative"),
        ((pl.col("parameter") == PH) & (value > 14), "pH must lie within 0–14"),
    ]


def value_problem() -> pl.Expr:
    """Why ``value`` cannot be compared with GB 3838-2002 limits, or null when it can.

    The vector form of :func:`ecogov.standards.gb3838.check_value`: a missing or NaN value is
    ``"not a number"``; infinite values ``"must be finite"``; negative values ``"must not be
    negative"``; pH above 14 ``"pH must lie within 0–14"``. Needs ``parameter`` and ``value``.
    """
    rules = _value_rules()
    return pl.coalesce([pl.when(refused).then(pl.lit(message)) for refused, message in rules])


def value_usable() -> pl.Expr:
    """Whether ``value`` can be compared with GB 3838-2002 limits (:func:`value_problem` is
    null): the cheaper boolean form for bulk filtering."""
    refused = pl.any_horizontal(refused for refused, _ in _value_rules())
    return ~refused.fill_null(True)


def _keyed(frame: pl.LazyFrame) -> pl.LazyFrame:
    """``parameter`` and ``water_body`` cast to their enums, the keys of :func:`limit_of`."""
    return frame.with_columns(pl.col("parameter").cast(ITEM), pl.col("water_body").cast(WATER_BODY))


def limit_of(column: str, missing: float | None = None) -> pl.Expr:
    """A column of :func:`limits_frame` looked up for each row by its ``water_body`` and
    ``parameter`` (both enums), nulls replaced by ``missing`` when given: a gather on the frame's
    row order (water body, then item), which keeps the rows in place and costs less than a join.
    """
    index = pl.col("water_body").to_physical().cast(pl.UInt32) * len(ITEM_CODES) + pl.col(
        "parameter"
    ).to_physical().cast(pl.UInt32)
    values = limits_frame()[column]
    return pl.lit(values if missing is None else values.fill_null(missing)).gather(index)


def item_classes(frame: pl.DataFrame) -> pl.DataFrame:
    """Add ``item_class``: the single-factor class (单因子水质类别) of each row's item
    (GB 3838-2002 §5, Table 1).

    Needs ``parameter``, ``value`` [GB 3838 units] and ``water_body``; other columns are kept and
    ``parameter`` / ``water_body`` come back as :data:`ITEM` / :data:`WATER_BODY`. The class is
    the best whose limits the value meets (a value on a limit shared by two classes takes the
    better one), 6 (劣V) when it meets none; dissolved oxygen must reach its lower bound (class I
    7.5 mg/L) and pH lie within 6–9; total phosphorus uses the lake/reservoir limits for
    ``"lake"``. Null for items without class limits (water temperature, Table 2 and trophic
    items) and for values :func:`value_problem` refuses. Rows keep their order.
    """
    value = pl.col("value")
    # A missing bound is an infinite one; limits are nested (a value meeting class k meets every
    # worse class), so the class is one plus the number of classes whose limits the value fails.
    failed = [
        (
            (value < limit_of(f"lower_{k}", -math.inf)) | (value > limit_of(f"upper_{k}", math.inf))
        ).cast(CLASS)
        for k in range(1, 6)
    ]
    classified = limit_of("classified") & value_usable()
    return (
        _keyed(frame.lazy())
        .with_columns(
            item_class=pl.when(classified)
            .then(pl.sum_horizontal(failed) + 1)
            .otherwise(None)
            .cast(CLASS)
        )
        .collect()
    )


def _assessed() -> pl.Expr:
    """Rows of the 21 items that decide a section's class (环办〔2011〕22号)."""
    return limit_of("assessed")


def section_classes(items: pl.DataFrame, keys: Sequence[str]) -> pl.DataFrame:
    """The class of each section or point (断面水质类别): per ``keys``, ``water_class`` is the
    worst ``item_class`` among the 21 assessed items (环办〔2011〕22号; GB 3838-2002 §5), and
    ``assessed_items`` how many of them were present. ``water_class`` is null for a group with
    none of them (the scalar :func:`~ecogov.standards.gb3838.section_class` raises there).

    ``items`` comes from :func:`item_classes`; one row per group in the result.
    """
    return (
        items.lazy()
        .with_columns(_assessed_class=pl.when(_assessed()).then(pl.col("item_class")))
        .group_by(keys)
        .agg(
            water_class=pl.col("_assessed_class").max(),
            assessed_items=pl.col("_assessed_class").count().cast(pl.Int32),
        )
        .collect()
    )


def grade(water_class: pl.Expr) -> pl.Expr:
    """The grade (水质状况) of a class column: I–II 优, III 良好, IV 轻度污染, V 中度污染,
    劣V 重度污染 (环办〔2011〕22号); null stays null."""
    return water_class.replace_strict(dict(GRADES), default=None, return_dtype=pl.String)


def _scalar_label(code: str, value: float, body: str, water_class: int) -> str:
    """The label from :class:`~ecogov.standards.water_assessment.MainPollutant` itself."""
    return MainPollutant(
        code=code,
        name_zh=PARAMETERS[code].name_zh,
        water_class=WaterClass(water_class),
        exceedance=exceedance_multiple(code, value, water_body=WATER_BODIES[body]),
    ).label


def _labels(candidates: pl.DataFrame) -> pl.DataFrame:
    """``label`` of each candidate: the name, and the exceedance multiple with two decimals
    rounded half to even (``总磷(0.25)``), as :class:`MainPollutant` shows it.

    The multiple is rounded from its float value unless that lies within 10⁻⁶ of a tie (x.xx5),
    where float error could decide the rounding: those few rows take the scalar label, which
    works on the exact decimal value.
    """
    names = {code: item.name_zh for code, item in PARAMETERS.items()}
    limit_iii = limit_of("limit_iii")
    hundredths = (pl.col("value") - limit_iii) / limit_iii * 100
    near_tie = ((hundredths - hundredths.floor()) - 0.5).abs() < 1e-6
    rounded = (hundredths + 0.5).floor().cast(pl.Int64)
    multiple = pl.format("{}.{}", rounded // 100, (rounded % 100).cast(pl.String).str.zfill(2))
    name = pl.col("parameter").cast(pl.String).replace_strict(names)
    labelled = candidates.with_columns(
        label=pl.when(limit_iii.is_null())
        .then(name)
        .when(~near_tie)
        .then(pl.format("{}({})", name, multiple))
    )
    ties = labelled.filter(pl.col("label").is_null())
    exact = [
        _scalar_label(code, value, body, water_class)
        for code, value, body, water_class in ties.select(
            "parameter", "value", "water_body", "item_class"
        ).iter_rows()
    ]
    return pl.concat(
        [
            labelled.filter(pl.col("label").is_not_null()),
            ties.with_columns(label=pl.Series(exact, dtype=pl.String)),
        ]
    )


def main_pollutants(items: pl.DataFrame, keys: Sequence[str], *, limit: int = 3) -> pl.DataFrame:
    """Main pollution indicators (主要污染指标) per ``keys``, joined as ``总磷(0.25);氨氮(0.10)``
    in ``main_pollutants`` (empty when none) — the vector form of
    :func:`ecogov.standards.water_assessment.main_pollutants`.

    Only assessed items worse than class III qualify. Cyanide and heavy metals first, then the
    worse class, then the larger exceedance multiple over class III ``(C − C_III) / C_III``;
    pH and dissolved oxygen (no multiple) after the others of their class; remaining ties in
    GB 3838-2002 Table 1 order. At most ``limit`` items. ``items`` comes from
    :func:`item_classes`; one row per group in the result.
    """
    limit_iii = limit_of("limit_iii")
    # Multiples are compared at 12 decimals so that the float division's last-bit noise cannot
    # reorder items whose exact multiples are equal (the scalar compares exact decimals).
    candidates = (
        items.lazy()
        .filter(_assessed() & (pl.col("item_class") > WaterClass.III))
        .with_columns(
            priority=limit_of("priority"),
            exceedance=((pl.col("value") - limit_iii) / limit_iii).round(12),
        )
        .sort(
            ["priority", "item_class", "exceedance", "parameter"],
            descending=[True, True, True, False],
            nulls_last=True,
        )
        .with_columns(rank=pl.int_range(pl.len()).over(keys))
        .filter(pl.col("rank") < limit)
        .collect()
    )
    joined = (
        _labels(candidates)
        .group_by(keys)
        .agg(main_pollutants=pl.col("label").sort_by("rank").str.join(";"))
    )
    groups = items.select(keys).unique()
    return groups.join(joined, on=list(keys), how="left", nulls_equal=True).with_columns(
        pl.col("main_pollutants").fill_null("")
    )
