"""Stateless evaluation of files, without the database: classifying samples and grading basins.

Behind ``ecogov water classify`` and ``ecogov water grade``. Bad input is refused as a whole
(:class:`~ecogov.platform.errors.InputError` naming the first bad row and column).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Final

import polars as pl

from ecogov.engine.water import (
    CLASS_LABELS,
    grade,
    item_classes,
    main_pollutants,
    section_classes,
)
from ecogov.engine.water_evaluation import class_shares
from ecogov.monitoring.water.importers import (
    find_column,
    parse_class,
    parse_long,
    read_table,
)
from ecogov.platform.errors import InputError
from ecogov.platform.readers import RowError
from ecogov.standards.water_assessment import PROPORTION_METHOD_MIN_SECTIONS

__all__ = ["GradeResult", "classify", "grade_basins", "percent"]

_KEYS: Final = ["section", "time"]


def _refuse(rejections: Sequence[RowError]) -> None:
    if rejections:
        first, others = rejections[0], len(rejections) - 1
        more_zh = f"（另有 {others} 处）" if others else ""
        more_en = f" (and {others} more)" if others else ""
        raise InputError(f"{first}{more_zh} / {first.text('en')}{more_en}")


def _label(column: str) -> pl.Expr:
    return pl.col(column).replace_strict(dict(CLASS_LABELS), default=None, return_dtype=pl.String)


def classify(name: str, content: bytes, *, water_body: str = "river") -> pl.DataFrame:
    """Classes of the samples of a long CSV or Excel file (``section,time,parameter,value``,
    optionally ``unit``): one row per section and time with ``class`` (I … 劣V), ``grade``,
    ``main_pollutants`` and ``class_<parameter>`` for each classified parameter present, named
    as the file first spells it, in GB 3838-2002 Table 1 order (GB 3838-2002 §5;
    环办〔2011〕22号). ``time`` is echoed as first written; rows keep the file's order.

    Raises:
        InputError: unreadable file, missing column, or any bad row.
    """
    parsed = parse_long(name, content)
    _refuse(parsed.rejections)
    samples = parsed.frame.with_columns(water_body=pl.lit(water_body))
    if samples.is_empty():
        raise InputError(f"{name}：没有可评价的样品 / {name}: no sample to classify")
    items = item_classes(samples).with_columns(time=pl.col("time").cast(pl.String))
    spelled = (
        items.filter(pl.col("item_class").is_not_null())
        .group_by("parameter")
        .agg(pl.col("parameter_text").first())
        .sort("parameter")  # the item enum's order: GB 3838-2002 Table 1
    )
    columns = {code: f"class_{text}" for code, text in spelled.iter_rows()}
    classes = (
        items.filter(pl.col("parameter").cast(pl.String).is_in(list(columns)))
        .with_columns(pl.col("parameter").cast(pl.String).replace_strict(columns))
        .pivot(on="parameter", index=_KEYS, values="item_class")
    )
    times = items.group_by(_KEYS, maintain_order=True).agg(
        pl.col("time_text").first(), first_row=pl.col("row").min()
    )
    result = (
        section_classes(items, _KEYS)
        .join(main_pollutants(items, _KEYS), on=_KEYS, how="left")
        .join(classes, on=_KEYS, how="left")
        .join(times, on=_KEYS, how="left")
        .sort("first_row")
    )
    return result.select(
        "section",
        time="time_text",
        **{"class": _label("water_class")},
        grade=grade(pl.col("water_class")),
        main_pollutants="main_pollutants",
        **{column: _label(column) for column in columns.values()},
    )


def percent(count: int, total: int) -> str:
    """``count / total`` as a percentage with one decimal, rounded half to even (GB/T 8170)."""
    exact = Decimal(100 * count) / Decimal(total)
    return str(exact.quantize(Decimal("0.1"), ROUND_HALF_EVEN))


@dataclass(frozen=True)
class GradeResult:
    """Basin grades from section classes, and the notes about basins left ungraded."""

    table: pl.DataFrame
    notes: tuple[str, ...]


def _classes(name: str, table: pl.DataFrame) -> pl.DataFrame:
    """``basin``, ``section`` and ``water_class`` of each row, refusing bad or repeated rows."""
    columns = [
        find_column(name, table, role, required=True) for role in ("basin", "section", "class")
    ]
    rows: list[tuple[str, str, int]] = []
    seen: dict[tuple[str, str], int] = {}
    for row, basin, section, label in table.select("row", *columns).iter_rows():
        where = f"{name} row {row}"
        if not basin or not section:
            raise InputError(
                f"{name} 第 {row} 行：流域和断面不能为空 / "
                f"{where}: basin and section must not be empty"
            )
        try:
            water_class = parse_class(label)
        except ValueError:
            raise InputError(
                f"{name} 第 {row} 行，列「{columns[2]}」：“{label}”不是水质类别 / "
                f"{where}, column class: '{label}' is not a water class"
            ) from None
        if (basin, section) in seen:
            first = seen[basin, section]
            raise InputError(
                f"{name} 第 {row} 行：与第 {first} 行的断面 {section} 重复 / "
                f"{where}: repeats section {section} of row {first}"
            )
        seen[basin, section] = row
        rows.append((basin, section, water_class.value))
    if not rows:
        raise InputError(f"{name}：没有可评价的断面 / {name}: no section to grade")
    schema = {"basin": pl.String, "section": pl.String, "water_class": pl.Int8}
    return pl.DataFrame(rows, schema=schema, orient="row")


def grade_basins(name: str, content: bytes) -> GradeResult:
    """Shares of classes I–III and worse than V per basin and its grade by the section-class
    proportion method (环办〔2011〕22号) from a ``basin,section,class`` file: ``basin``,
    ``sections``, ``share_I_III`` and ``share_worse_than_V`` [%, one decimal], ``grade``.

    A basin of fewer than 5 sections is graded by the 2011 method on its mean concentrations,
    which classes alone do not give: its grade is left empty, with a note.

    Raises:
        InputError: unreadable file, missing column, or a bad or repeated row.
    """
    classes = _classes(name, read_table(name, content))
    shares = class_shares(classes, ["basin"])
    notes = tuple(
        f"流域 {basin} 只有 {count} 个断面：少于 {PROPORTION_METHOD_MIN_SECTIONS} 个时"
        "2011 年办法按平均浓度评价，故不给出其水质状况 / "
        f"basin {basin} has {count} section(s): below {PROPORTION_METHOD_MIN_SECTIONS} the 2011 "
        "method grades by mean concentrations, so its grade is left empty"
        for basin, count in shares.filter(pl.col("grade").is_null())
        .select("basin", "sections")
        .iter_rows()
    )
    counts = shares.select("sections", "sections_I_III", "sections_worse_than_V").iter_rows()
    good, worst = zip(*((percent(g, n), percent(w, n)) for n, g, w in counts), strict=True)
    table = shares.select(
        "basin",
        "sections",
        share_I_III=pl.Series(good, dtype=pl.String),
        share_worse_than_V=pl.Series(worst, dtype=pl.String),
        grade=pl.col("grade").fill_null(""),
    )
    return GradeResult(table, notes)
