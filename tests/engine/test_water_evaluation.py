"""Section evaluation, shares and grades of groups, drinking sources, CWQI, trophic state and
year-on-year change, checked against VECTORS.md §6–7 and the scalar functions."""

from __future__ import annotations

import math

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ecogov.engine.water import WATER_BODIES, item_classes
from ecogov.engine.water_evaluation import (
    assess_sections,
    basin_main_pollutants,
    class_shares,
    drinking_compliance,
    mean_concentration_grades,
    section_cwqi,
    shares_grade,
    trophic_states,
    year_on_year,
)
from ecogov.standards.gb3838 import ASSESSED_ITEMS, TABLE2, WaterClass
from ecogov.standards.water_assessment import (
    basin_main_pollutants as scalar_basin_main_pollutants,
)
from ecogov.standards.water_assessment import (
    drinking_source_compliance,
    grade_by_mean_concentrations,
    grade_by_section_shares,
)
from ecogov.standards.water_assessment import section_cwqi as scalar_section_cwqi

MEASURED = st.decimals(min_value=0, max_value=40, places=4).map(float)
ITEMS = (*ASSESSED_ITEMS, *TABLE2.limits, "w21001")
SAMPLE = st.dictionaries(st.sampled_from(ITEMS), MEASURED, min_size=1, max_size=10).map(
    lambda s: {c: min(v, 14.0) if c == "w01001" else v for c, v in s.items()}
)


def _means(samples: list[dict[str, float]], period: str = "2025") -> pl.DataFrame:
    rows = [
        (f"S{i}", period, code, value, 12)
        for i, sample in enumerate(samples)
        for code, value in sample.items()
    ]
    schema = {
        "section": pl.String,
        "period": pl.String,
        "parameter": pl.String,
        "value": pl.Float64,
        "months": pl.Int32,
    }
    return pl.DataFrame(rows, schema=schema, orient="row")


def _sections(count: int, **columns: object) -> pl.DataFrame:
    base: dict[str, object] = {
        "section": [f"S{i}" for i in range(count)],
        "water_body": "river",
        "target_class": 3,
        "drinking_source": True,
    }
    return pl.DataFrame({**base, **columns})


def test_vectors_rivers_of_ten_sections() -> None:
    cases = [
        ([1] * 8 + [4, 6], "良好"),  # I–III 80%
        ([2] * 5 + [5] + [6] * 4, "重度污染"),  # I–III 50%, 劣V 40%
        ([3] * 7 + [6] * 3, "中度污染"),  # I–III 70%, 劣V 30%
    ]
    rows = [
        (str(n), str(i), c) for n, (classes, _) in enumerate(cases) for i, c in enumerate(classes)
    ]
    frame = pl.DataFrame(rows, schema=["river", "section", "water_class"], orient="row")
    shares = class_shares(frame, ["river"])
    assert shares["grade"].to_list() == [grade for _, grade in cases]
    assert shares.row(0, named=True)["share_I_III"] == pytest.approx(80.0)
    assert shares.row(1, named=True)["share_worse_than_V"] == pytest.approx(40.0)


@given(st.lists(st.sampled_from(list(WaterClass)), min_size=1, max_size=40))
@settings(max_examples=80, deadline=None)
def test_share_grade_agrees_with_scalar(classes: list[WaterClass]) -> None:
    good = sum(c <= WaterClass.III for c in classes)
    worst = sum(c is WaterClass.WORSE_THAN_V for c in classes)
    graded = pl.select(shares_grade(pl.lit(len(classes)), pl.lit(good), pl.lit(worst))).item()
    if len(classes) < 5:
        assert graded is None
    else:
        assert graded == grade_by_section_shares(classes).value


# Multiples of 1/1024 below 64 add up exactly in binary, so the engine's mean and the scalar's
# exactly rounded mean are the same float and the classes can be compared exactly.
DYADIC = st.integers(min_value=0, max_value=40 * 1024).map(lambda n: n / 1024)
DYADIC_SAMPLE = st.dictionaries(
    st.sampled_from([c for c in ASSESSED_ITEMS if c != "w01001"]), DYADIC, min_size=1, max_size=8
)


@given(st.lists(DYADIC_SAMPLE, min_size=1, max_size=4))
@settings(max_examples=60, deadline=None)
def test_mean_concentration_grade_agrees_with_scalar(samples: list[dict[str, float]]) -> None:
    means = _means(samples).with_columns(basin=pl.lit("X"))
    graded = mean_concentration_grades(means, ["basin"])
    assert graded["grade"].item() == grade_by_mean_concentrations(samples).value


def test_mean_concentration_grade_averages_ph_through_hydrogen_ions() -> None:
    samples = [{"w01001": 5.8, "w21011": 0.1}, {"w01001": 9.0, "w21011": 0.1}]
    means = _means(samples).with_columns(basin=pl.lit("X"))
    # Mean [H⁺] of pH 5.8 and 9.0 is pH 6.10: inside 6–9, so class II from TP, 优.
    assert mean_concentration_grades(means, ["basin"])["grade"].item() == "优"
    assert grade_by_mean_concentrations(samples).value == "优"


@given(st.lists(SAMPLE, min_size=1, max_size=6), st.sampled_from(tuple(WATER_BODIES)))
@settings(max_examples=60, deadline=None)
def test_drinking_compliance_and_cwqi_agree_with_scalar(
    samples: list[dict[str, float]], body: str
) -> None:
    water_body = WATER_BODIES[body]
    items = item_classes(_means(samples).with_columns(water_body=pl.lit(body)))
    compliance = drinking_compliance(items, ["section"])
    indices = dict(section_cwqi(items, ["section"]).iter_rows())
    for index, sample in enumerate(samples):
        row = compliance.filter(pl.col("section") == f"S{index}").row(0, named=True)
        try:
            expected = drinking_source_compliance(sample, water_body=water_body)
        except ValueError:
            assert row["drinking_compliant"] is None
        else:
            assert row["drinking_compliant"] == expected.compliant
        try:
            cwqi = scalar_section_cwqi(sample, water_body=water_body)
        except ValueError:
            assert indices[f"S{index}"] is None
        else:
            assert math.isclose(indices[f"S{index}"], cwqi, rel_tol=1e-12)


def test_drinking_compliance_names_failing_items() -> None:
    items = item_classes(
        _means([{"w21011": 0.25, "w20124": 0.2, "w21003": 0.5}]).with_columns(
            water_body=pl.lit("river")
        )
    )
    row = drinking_compliance(items, ["section"]).row(0, named=True)
    assert row == {"section": "S0", "drinking_compliant": False, "failing_items": "总磷;锰"}


def test_assess_sections_against_targets() -> None:
    samples = [
        {"w01009": 6.5, "w01019": 4.5, "w21003": 0.4, "w21011": 0.25, "w21001": 3.0},
        {"w01009": 8.0, "w21011": 0.02},
        {"w01010": 20.0},
    ]
    sections = _sections(3, target_class=[3, 2, 2], drinking_source=[False, True, False])
    assessed = assess_sections(_means(samples), sections).sort("section")
    assert assessed.select("section", "water_class", "grade", "attains").rows() == [
        ("S0", 4, "轻度污染", False),
        ("S1", 1, "优", True),
        ("S2", None, None, None),
    ]
    assert assessed["main_pollutants"].to_list() == ["总磷(0.25)", "", ""]
    assert assessed["drinking_compliant"].to_list() == [None, True, None]
    assert assessed["months"].to_list() == [12, 12, 12]


def test_basin_main_pollutants_agree_with_scalar() -> None:
    samples = [
        {"w21011": 0.25, "w21003": 1.6},
        {"w21011": 0.35, "w21003": 0.2},
        {"w21011": 0.1, "w01019": 7.0},
        {"w21011": 0.15},
    ]
    items = item_classes(
        _means(samples).with_columns(water_body=pl.lit("river"), basin=pl.lit("X"))
    )
    expected = ";".join(p.name_zh for p in scalar_basin_main_pollutants(samples))
    assert basin_main_pollutants(items, ["basin"])["main_pollutants"].item() == expected
    assert expected == "总磷;高锰酸盐指数;氨氮"


def test_vectors_tli() -> None:
    means = pl.DataFrame(
        {
            "section": "L",
            "parameter": ["chla", "w21011", "w21001", "sd", "w01019"],
            "value": [10.0, 0.05, 1.0, 1.0, 4.0],
        }
    )
    row = trophic_states(means, ["section"]).row(0, named=True)
    assert row["tli"] == pytest.approx(48.018, abs=5e-4)
    assert row["trophic_state"] == "中营养"


def test_year_on_year() -> None:
    current = pl.DataFrame({"basin": ["X", "Y"], "share": [80.0, 50.0]})
    previous = pl.DataFrame({"basin": ["X"], "share": [70.0]})
    changed = year_on_year(current, previous, ["basin"], ["share"])
    assert changed.rows() == [("X", 80.0, 70.0, 10.0), ("Y", 50.0, None, None)]
