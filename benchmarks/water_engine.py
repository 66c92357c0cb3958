"""Benchmark of the surface-water engine against a straightforward per-row Python loop.

3,000 sections × 10 years × 12 months × 24 items (the 23 classified GB 3838-2002 Table 1 items
and water temperature), one value per section, month and item: every value classified, each
section-month classed and graded, annual means taken from the monthly values (pH through [H⁺]),
each section-year classed with grade and main pollutants, and each basin-year graded by the
section shares. The loop does the same with the scalar standards functions, row by row; it is
timed on a sample of sections and extrapolated, and its results are checked against the engine's
on that sample.

Prints the figures and ends with
``RESULT name=water_engine value=<s> unit=s baseline=python_loop ratio=<loop s / engine s>``.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

import numpy as np
import polars as pl

from ecogov.engine.water import (
    ITEM,
    WATER_BODIES,
    WATER_BODY,
    grade,
    item_classes,
    main_pollutants,
    section_classes,
)
from ecogov.engine.water_evaluation import class_shares
from ecogov.engine.water_means import period_means
from ecogov.standards.gb3838 import (
    ASSESSED_ITEMS,
    TABLE1,
    WaterBody,
    WaterClass,
    single_factor_class,
)
from ecogov.standards.water_assessment import (
    assess_section,
    format_main_pollutants,
    grade_by_section_shares,
    grade_for_class,
    mean_item,
)

SECTIONS = 3000
YEARS = 10
MONTHS = 12 * YEARS
BASINS = 40
SAMPLE_SECTIONS = 30  # the loop's share: 1 %
RUNS = 3  # each implementation's best of three runs is reported (the machine is shared)
ITEMS = ("w01010", *TABLE1[WaterBody.RIVER].limits)  # 24 items
SEED = 20260101


@dataclass(frozen=True)
class Data:
    """Monthly values and the sections' attributes."""

    monthly: pl.DataFrame  # section, month, parameter, value, water_body
    sections: pl.DataFrame  # section, water_body, basin


def _typical(code: str) -> tuple[float, int]:
    """A value around the class II/III limits and the decimals it is reported with."""
    if code == "w01001":
        return 7.4, 2
    if code == "w01010":
        return 18.0, 1
    limits = TABLE1[WaterBody.RIVER].limits[code]
    bound = (limits.lower or limits.upper or (1.0,) * 5)[2]
    decimals = max(1, 3 - int(np.floor(np.log10(bound))))
    return float(bound) * (1.1 if limits.lower else 0.6), decimals


def generate() -> Data:
    """Seeded monthly values: lognormal scatter around typical levels, rounded as reported."""
    rng = np.random.default_rng(SEED)
    n = SECTIONS * MONTHS
    sections = np.repeat(np.arange(SECTIONS), MONTHS)
    months = np.tile(np.arange(MONTHS), SECTIONS)
    bodies = np.where(np.arange(SECTIONS) % 5 == 0, "lake", "river")
    section_level = rng.lognormal(0, 0.35, SECTIONS)
    codes, values = [], []
    for code in ITEMS:
        typical, decimals = _typical(code)
        if code in {"w01001", "w01010"}:
            spread = rng.normal(0, 0.4 if code == "w01001" else 5, n)
            series = typical + spread
        else:
            factor = section_level[sections] if code != "w01009" else 1 / section_level[sections]
            series = typical * factor * rng.lognormal(0, 0.3, n)
        codes.append(np.full(n, code))
        values.append(np.round(np.clip(series, 0, None), decimals))
    names = np.arange(SECTIONS, dtype=np.int32)  # section ids, as the database keys them
    first = date(2016, 1, 1)
    month_dates = [date(first.year + m // 12, m % 12 + 1, 1) for m in range(MONTHS)]
    # Typed as the service builds its frames: item codes and water bodies as enums.
    monthly = pl.DataFrame(
        {
            "section": np.tile(names[sections], len(ITEMS)),
            "month": pl.Series(month_dates, dtype=pl.Date).gather(np.tile(months, len(ITEMS))),
            "parameter": pl.Series(np.concatenate(codes), dtype=ITEM),
            "value": np.concatenate(values),
            "water_body": pl.Series(np.tile(bodies[sections], len(ITEMS)), dtype=WATER_BODY),
        }
    )
    attributes = pl.DataFrame(
        {
            "section": names,
            "water_body": pl.Series(bodies, dtype=WATER_BODY),
            "basin": [f"B{i % BASINS:02d}" for i in range(SECTIONS)],
        }
    )
    return Data(monthly, attributes)


@dataclass(frozen=True)
class Results:
    """What the loop produces, per section-month, section-year and basin-year. The basin grades
    are computed for the same work as the engine's but not compared: a 1 % sample holds too few
    sections per basin to be graded by shares."""

    monthly: Mapping[tuple[int, str], tuple[int | None, str | None]]
    annual: Mapping[tuple[int, str], tuple[int | None, str | None, str]]
    basins: Mapping[tuple[str, str], str | None]


def run_engine(data: Data) -> tuple[float, pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """The engine pipeline; returns its wall time and the three result frames."""
    start = time.perf_counter()
    items = item_classes(data.monthly)
    monthly = section_classes(items, ["section", "month"]).with_columns(
        grade=grade(pl.col("water_class"))
    )
    annual_means = period_means(data.monthly, "year").join(
        data.sections.select("section", "water_body"), on="section"
    )
    annual_items = item_classes(annual_means)
    keys = ["section", "period"]
    annual = (
        section_classes(annual_items, keys)
        .with_columns(grade=grade(pl.col("water_class")))
        .join(main_pollutants(annual_items, keys), on=keys)
    )
    basins = class_shares(
        annual.join(data.sections.select("section", "basin"), on="section"), ["basin", "period"]
    )
    return time.perf_counter() - start, monthly, annual, basins


def run_loop(data: Data, sections: list[int]) -> tuple[float, Results]:
    """The straightforward implementation: the scalar functions, row by row."""
    chosen = data.monthly.filter(pl.col("section").is_in(sections))
    rows = chosen.select("section", "month", "parameter", "value", "water_body").rows()
    basin_of = dict(data.sections.select("section", "basin").iter_rows())
    start = time.perf_counter()
    month_classes: dict[tuple[int, str], list[WaterClass]] = defaultdict(list)
    year_values: dict[tuple[int, str, str], list[float]] = defaultdict(list)
    body_of: dict[int, WaterBody] = {}
    for section, month, code, value, body in rows:
        water_body = WATER_BODIES[body]
        body_of[section] = water_body
        key = (section, month.isoformat())
        month_classes.setdefault(key, [])
        if code in TABLE1[water_body].limits:
            item_class = single_factor_class(code, value, water_body=water_body)
            if code in ASSESSED_ITEMS:
                month_classes[key].append(item_class)
        year_values[(section, str(month.year), code)].append(value)
    monthly = {
        key: (max(c).value, grade_for_class(max(c)).value) if c else (None, None)
        for key, c in month_classes.items()
    }
    samples: dict[tuple[int, str], dict[str, float]] = defaultdict(dict)
    for (section, year, code), values in year_values.items():
        samples[(section, year)][code] = mean_item(code, values)
    annual = {}
    for (section, year), sample in samples.items():
        assessed = assess_section(sample, water_body=body_of[section])
        annual[(section, year)] = (
            assessed.water_class.value,
            assessed.grade.value,
            format_main_pollutants(assessed.main_pollutants),
        )
    by_basin: dict[tuple[str, str], list[WaterClass]] = defaultdict(list)
    for (section, year), (water_class, _, _) in annual.items():
        by_basin[(basin_of[section], year)].append(WaterClass(water_class))
    basins = {
        key: grade_by_section_shares(c).value if len(c) >= 5 else None
        for key, c in by_basin.items()
    }
    return time.perf_counter() - start, Results(monthly, annual, basins)


def check(loop: Results, monthly: pl.DataFrame, annual: pl.DataFrame, sections: list[int]) -> int:
    """Compare the engine's results with the loop's on the sampled sections; how many rows."""
    sample_monthly = monthly.filter(pl.col("section").is_in(sections))
    engine_monthly = {
        (s, m.isoformat()): (c, g)
        for s, m, c, g in sample_monthly.select(
            "section", "month", "water_class", "grade"
        ).iter_rows()
    }
    assert engine_monthly == loop.monthly, "monthly classes differ"
    sample_annual = annual.filter(pl.col("section").is_in(sections))
    engine_annual = {
        (s, p): (c, g, mp)
        for s, p, c, g, mp in sample_annual.select(
            "section", "period", "water_class", "grade", "main_pollutants"
        ).iter_rows()
    }
    assert engine_annual == loop.annual, "annual classes or main pollutants differ"
    return len(engine_monthly) + len(engine_annual)


def main() -> None:
    """Generate, run both, check, print."""
    started = time.perf_counter()
    data = generate()
    generated = time.perf_counter() - started
    print(
        f"data: {SECTIONS} sections x {YEARS} years x 12 months x {len(ITEMS)} items = "
        f"{data.monthly.height:,} monthly values (generated in {generated:.1f} s)"
    )
    sample = data.sections["section"].head(SAMPLE_SECTIONS).to_list()
    # Engine and loop runs alternate, so that a busy moment of the machine hits both alike.
    runs = [(run_engine(data), run_loop(data, sample)) for _ in range(RUNS)]
    engine_seconds = min(engine[0] for engine, _ in runs)
    _, monthly, annual, basins = runs[0][0]
    print(
        f"engine: {engine_seconds:.2f} s (best of {RUNS}) — {monthly.height:,} section-months, "
        f"{annual.height:,} section-years, {basins.height:,} basin-years"
    )
    loop_sample_seconds, loop = min(loop[0] for _, loop in runs), runs[0][1][1]
    loop_seconds = loop_sample_seconds * SECTIONS / SAMPLE_SECTIONS
    checked = check(loop, monthly, annual, sample)
    print(
        f"python loop (scalar standards functions, row by row): {loop_sample_seconds:.2f} s "
        f"(best of {RUNS}) on {SAMPLE_SECTIONS} of {SECTIONS} sections, extrapolated "
        f"x{SECTIONS // SAMPLE_SECTIONS} to {loop_seconds:.1f} s; its {checked:,} results on "
        "the sample equal the engine's"
    )
    ratio = loop_seconds / engine_seconds
    print(f"speed-up: {ratio:.0f}x (target >= 50x)")
    print(
        f"RESULT name=water_engine value={engine_seconds:.3f} unit=s baseline=python_loop "
        f"ratio={ratio:.1f}"
    )


if __name__ == "__main__":
    main()
