"""Evaluating sections, basins and cities over a period (环办〔2011〕22号), with the change
against the same period of the previous year (同比).

The service loads the observations the principal may see; the engine does the rest: monthly
means, the period's mean of monthly means, classes, grades, target attainment, shares of classes
I–III and 劣V, drinking-water-source compliance, and the trophic state of lakes. Results are
frames whose columns are what the CLI, the API and the pages show.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from datetime import date
from typing import Final, Literal

import polars as pl
from sqlalchemy import select

from ecogov.engine.water import CLASS_LABELS, grade, item_classes
from ecogov.engine.water_evaluation import (
    assess_sections,
    basin_main_pollutants,
    class_shares,
    mean_concentration_grades,
    trophic_states,
    year_on_year,
)
from ecogov.monitoring.water import alerts as water_alerts
from ecogov.monitoring.water.service import (
    data_version,
    latest_observation,
    load_period_means,
    section_frame,
    section_monthly_means,
    stored_version,
)
from ecogov.platform import periods
from ecogov.platform.cache import TimedCache
from ecogov.platform.db import Database
from ecogov.platform.errors import InputError
from ecogov.platform.i18n import Catalogue, both, register
from ecogov.platform.periods import Period
from ecogov.platform.scope import Principal
from ecogov.regions.models import Region
from ecogov.standards.periods import ASSESSMENT_KINDS, period_of
from ecogov.standards.timebase import BEIJING

ERRORS: Final[Catalogue] = {
    "water.error.evaluate_by": (
        "无法按 {by!r} 评价，应为以下之一：{allowed}",
        "cannot evaluate by {by!r}: use one of {allowed}",
    ),
}
register(ERRORS)

__all__ = [
    "EVALUATION_BY",
    "GROUP_COLUMNS",
    "SECTION_COLUMNS",
    "Period",
    "default_period",
    "evaluate",
    "evaluate_now",
    "parse_period",
    "section_history",
    "summarize",
]

EvaluationBy = Literal["section", "basin", "city"]
EVALUATION_BY: Final[tuple[EvaluationBy, ...]] = ("section", "basin", "city")
SECTION_COLUMNS: Final = (
    "section",
    "name",
    "water_name",
    "water_body",
    "basin",
    "region_code",
    "control_level",
    "target",
    "class",
    "grade",
    "attains",
    "main_pollutants",
    "months",
    "cwqi",
    "drinking_source",
    "drinking_compliant",
    "failing_items",
    "tli",
    "trophic_state",
    "tp",
    "tn",
    "class_prev",
    "class_change",
    "tp_prev",
    "tn_prev",
    "lon",
    "lat",
    "simulated",
)
"""Columns of a section evaluation; ``class_change`` < 0 means better than a year before."""
GROUP_COLUMNS: Final = (
    "sections",
    "sections_I_III",
    "sections_worse_than_V",
    "share_I_III",
    "share_worse_than_V",
    "attainment",
    "grade",
    "grade_method",
    "main_pollutants",
    "drinking_sources",
    "drinking_compliance",
    "share_I_III_prev",
    "share_I_III_change",
    "share_worse_than_V_prev",
    "share_worse_than_V_change",
    "attainment_prev",
    "attainment_change",
)
"""Columns of a basin or city evaluation after its key (shares in %, changes in points)."""
_SHARE_COLUMNS: Final = ("share_I_III", "share_worse_than_V", "attainment")


def parse_period(text: str) -> Period:
    """A single year (``2025``), quarter (``2025-Q2``/``2025Q2``) or month (``2025-05``): the
    periods surface water is assessed on. InputError, in zh-CN and English, for anything else."""
    return periods.parse_period(text, ASSESSMENT_KINDS, allow_range=False)


def default_period(
    db: Database, principal: Principal, region_code: str | None = None
) -> Period | None:
    """The newest complete year of data the principal sees, or None without data: the year of
    the newest observation if it falls in December (Beijing time), else the year before."""
    latest = latest_observation(db, principal, region_code)
    if latest is None:
        return None
    local = latest.astimezone(BEIJING)
    year = local.year if local.month == 12 else local.year - 1
    return period_of("year", date(year, 1, 1))


@dataclass(frozen=True)
class _Inputs:
    """Sections and period means of the period and of the same period a year before."""

    sections: pl.DataFrame
    current: pl.DataFrame
    previous: pl.DataFrame


def _inputs(
    db: Database,
    principal: Principal,
    period: Period,
    region_code: str | None,
    with_previous: bool,
    cities: list[str] | None = None,
) -> _Inputs:
    """The sections and the stored means of ``period`` (and of the same period a year before),
    computed from the observations when they were imported."""
    sections = section_frame(db, principal, region_code, cities=cities)
    labels = [period.label, period.previous.label] if with_previous else [period.label]
    means = load_period_means(db, principal, labels, region_code=region_code, cities=cities)
    current = pl.col("period") == period.label
    return _Inputs(
        sections,
        means.filter(current),
        means.filter(~current & (pl.col("period") == period.previous.label)),
    )


def _labels(column: str) -> pl.Expr:
    return pl.col(column).replace_strict(dict(CLASS_LABELS), default=None, return_dtype=pl.String)


def _item(means: pl.DataFrame, code: str, name: str) -> pl.DataFrame:
    return means.filter(pl.col("parameter") == code).select("section", pl.col("value").alias(name))


def _section_rows(inputs: _Inputs) -> pl.DataFrame:
    sections = inputs.sections
    current = assess_sections(inputs.current, sections)
    previous = assess_sections(inputs.previous, sections)
    lakes = sections.filter(pl.col("water_body") == "lake")["section"]
    trophic = trophic_states(
        inputs.current.filter(pl.col("section").is_in(lakes.implode())), ["section"]
    )
    before = _item(inputs.previous, "w21011", "tp_prev").join(
        _item(inputs.previous, "w21001", "tn_prev"), on="section", how="full", coalesce=True
    )
    rows = (
        year_on_year(current, previous, ["section"], ["water_class"])
        .join(sections.drop("target_class", "drinking_source"), on="section", how="left")
        .join(trophic, on="section", how="left")
        .join(_item(inputs.current, "w21011", "tp"), on="section", how="left")
        .join(_item(inputs.current, "w21001", "tn"), on="section", how="left")
        .join(before, on="section", how="left")
        .with_columns(
            target=_labels("target_class"),
            **{"class": _labels("water_class"), "class_prev": _labels("water_class_prev")},
            class_change=pl.col("water_class_change").cast(pl.Int8),
        )
    )
    return rows.select(SECTION_COLUMNS).sort("section")


def _summary(inputs: _Inputs, means: pl.DataFrame, key: str) -> pl.DataFrame:
    """Shares, grade, main pollutants and drinking-source compliance per ``key`` group."""
    groups = inputs.sections.select("section", "water_body", key)
    assessed = assess_sections(means, inputs.sections).join(groups, on="section")
    shares = class_shares(assessed, [key])
    items = item_classes(means.join(groups, on="section"))
    classed = items.filter(pl.col("section").is_in(assessed["section"].implode()))
    mean_grades = mean_concentration_grades(means.join(groups, on="section"), [key])
    drinking = (
        assessed.filter(pl.col("drinking_source"))
        .group_by(key)
        .agg(
            drinking_sources=pl.len().cast(pl.Int32),
            drinking_compliance=100 * pl.col("drinking_compliant").mean(),
        )
    )
    return (
        shares.join(mean_grades.select(key, mean_grade="grade"), on=key, how="left")
        .join(basin_main_pollutants(classed, [key]), on=key, how="left")
        .join(drinking, on=key, how="left")
        .with_columns(
            grade_method=pl.when(pl.col("grade").is_not_null())
            .then(pl.lit("shares"))
            .otherwise(pl.lit("mean")),
            grade=pl.coalesce("grade", "mean_grade"),
        )
    )


def _group_rows(inputs: _Inputs, key: str) -> pl.DataFrame:
    current = _summary(inputs, inputs.current, key)
    previous = _summary(inputs, inputs.previous, key)
    rows = year_on_year(current, previous, [key], _SHARE_COLUMNS)
    return rows.select(key, *GROUP_COLUMNS).sort(key)


def _with_city(db: Database, principal: Principal, inputs: _Inputs) -> _Inputs:
    """Sections with ``city`` (the prefecture-level code) and ``city_name``."""
    city = pl.col("region_code").str.slice(0, 4) + "00"
    sections = inputs.sections.with_columns(city=city)
    codes = sections["city"].unique().to_list()
    with db.transaction(principal) as session:
        names = dict(
            session.execute(select(Region.code, Region.name).where(Region.code.in_(codes))).all()
        )
    sections = sections.with_columns(
        city_name=pl.col("city").replace_strict(names, default=None, return_dtype=pl.String)
    )
    return _Inputs(sections, inputs.current, inputs.previous)


CACHE_SECONDS: Final = 600.0
_results: TimedCache[tuple[Hashable, ...], pl.DataFrame] = TimedCache(CACHE_SECONDS, max_entries=64)


def evaluate(
    db: Database,
    principal: Principal,
    period: Period,
    by: EvaluationBy,
    region_code: str | None = None,
    *,
    with_previous: bool = True,
) -> pl.DataFrame:
    """:func:`evaluate_now`, reused while no water import has run since (in this process or
    any other: the key holds both versions) — a second look at a page, or the section table
    and its export, evaluate once. The principal's visibility is part of the key: what it may
    see decides the rows (users who see the same rows share the result)."""
    key = (
        db.url,
        data_version(),
        stored_version(db),
        principal.visibility,
        period.label,
        by,
        region_code,
        with_previous,
    )
    return _results.get(
        key,
        lambda: evaluate_now(db, principal, period, by, region_code, with_previous=with_previous),
    )


def evaluate_now(
    db: Database,
    principal: Principal,
    period: Period,
    by: EvaluationBy,
    region_code: str | None = None,
    *,
    with_previous: bool = True,
) -> pl.DataFrame:
    """The evaluation of ``period`` per section, basin or prefecture city, over the sections the
    principal may see (within ``region_code`` when given; a city over all of its sections,
    whoever looks), with the previous year's values
    (left empty, and not read, without ``with_previous``).

    Sections: :data:`SECTION_COLUMNS`. Basins: ``basin`` then :data:`GROUP_COLUMNS`; cities:
    ``city``, ``city_name`` then :data:`GROUP_COLUMNS`. Groups of 5 or more sections are graded
    by the section shares, smaller ones by their mean concentrations (``grade_method``).
    """
    if by not in EVALUATION_BY:
        raise InputError(both("water.error.evaluate_by", by=by, allowed=", ".join(EVALUATION_BY)))
    if by == "city":
        # A city's figures are official: computed from all of its sections, whoever looks;
        # the principal's scope decides which cities the table shows.
        opened = section_frame(db, principal, region_code)
        cities = sorted({code[:4] + "00" for code in opened["region_code"].to_list()})
        inputs = _inputs(db, principal, period, region_code, with_previous, cities)
    else:
        inputs = _inputs(db, principal, period, region_code, with_previous)
    if by == "section":
        rows = _section_rows(inputs)
        places = inputs.sections
        water_alerts.publish(db, rows, places, period.start_time, period.end_time, period.label)
        return rows
    if by == "basin":
        return _group_rows(inputs, "basin")
    inputs = _with_city(db, principal, inputs)
    names = inputs.sections.select("city", "city_name").unique()
    rows = _group_rows(inputs, "city").join(names, on="city", how="left")
    return rows.select("city", "city_name", *GROUP_COLUMNS)


def section_history(db: Database, principal: Principal, code: str) -> pl.DataFrame:
    """Month by month class of one section: ``month`` (Date), ``class``, ``grade``,
    ``main_pollutants`` and, for lakes and reservoirs, ``tli`` and ``trophic_state`` of the
    month's means (null for rivers), oldest first (NotFound outside the principal's scope)."""
    sections = section_frame(db, principal, section=code)
    stored = section_monthly_means(db, principal, code)  # computed at import, not per request
    monthly = stored.with_columns(
        pl.col("period").str.to_date("%Y-%m"), months=pl.lit(1, pl.Int32)
    ).sort("section", "period", "parameter")
    assessed = assess_sections(monthly, sections)
    is_lake = sections.filter(pl.col("water_body") == "lake").height > 0
    trophic = (
        trophic_states(monthly, ["section", "period"])
        if is_lake
        else pl.DataFrame(
            schema={
                "section": monthly.schema["section"],
                "period": monthly.schema["period"],
                "tli": pl.Float64,
                "trophic_state": pl.String,
            }
        )
    )
    return (
        assessed.join(trophic, on=["section", "period"], how="left")
        .select(
            month="period",
            **{"class": _labels("water_class")},
            grade=grade(pl.col("water_class")),
            main_pollutants="main_pollutants",
            tli="tli",
            trophic_state="trophic_state",
        )
        .sort("month")
    )


def summarize(rows: pl.DataFrame) -> dict[str, float | int | None]:
    """Totals of a section evaluation (:data:`SECTION_COLUMNS` rows): ``sections`` with a class,
    ``share_I_III``, ``share_worse_than_V`` and ``attainment`` [%] with their ``_prev`` values a
    year before, and ``drinking_compliance`` [%] of the drinking-water sources (None without)."""
    good = ("I", "II", "III")
    classed = rows.filter(pl.col("class").is_not_null())
    before = rows.filter(pl.col("class_prev").is_not_null())

    def share(frame: pl.DataFrame, condition: pl.Expr) -> float | None:
        return None if frame.is_empty() else 100 * frame.select(condition.mean()).item()

    drinking = classed.filter(pl.col("drinking_source"))
    return {
        "sections": classed.height,
        "share_I_III": share(classed, pl.col("class").is_in(good)),
        "share_worse_than_V": share(classed, pl.col("class") == "劣V"),
        "attainment": share(classed, pl.col("attains")),
        "share_I_III_prev": share(before, pl.col("class_prev").is_in(good)),
        "share_worse_than_V_prev": share(before, pl.col("class_prev") == "劣V"),
        "drinking_compliance": share(drinking, pl.col("drinking_compliant")),
    }
