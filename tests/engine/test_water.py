"""The vectorized classes agree with the scalar GB 3838-2002 functions (VECTORS.md §7, every
limit edge, and random inputs)."""

from __future__ import annotations

import math

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ecogov.engine.water import (
    GRADES,
    ITEM_CODES,
    WATER_BODIES,
    grade,
    item_classes,
    limits_frame,
    main_pollutants,
    section_classes,
    value_problem,
    value_usable,
)
from ecogov.standards.gb3838 import (
    ASSESSED_ITEMS,
    TABLE1,
    NoLimitError,
    UnknownParameterError,
    WaterBody,
    WaterClass,
    check_value,
    lookup_parameter,
    section_class,
    single_factor_class,
)
from ecogov.standards.water_assessment import (
    TROPHIC_ITEMS,
    format_main_pollutants,
    grade_for_class,
    lookup_item,
)
from ecogov.standards.water_assessment import main_pollutants as scalar_main_pollutants

CLASSIFIED = tuple(TABLE1[WaterBody.RIVER].limits)
BODY_KEYS = {body: key for key, body in WATER_BODIES.items()}


def _classes(rows: list[tuple[str, float, str]]) -> list[int | None]:
    frame = pl.DataFrame(rows, schema=["parameter", "value", "water_body"], orient="row")
    return item_classes(frame)["item_class"].to_list()


def _scalar(code: str, value: float, body: WaterBody) -> int | None:
    try:
        return single_factor_class(code, value, water_body=body).value
    except (NoLimitError, UnknownParameterError, ValueError):
        return None  # no class limits (temperature, Table 2, trophic items) or an invalid value


# --- VECTORS.md §7 ----------------------------------------------------------------------------

VECTORS_7 = [
    ("w01009", 7.5, "river", "I"),
    ("w01009", 7.49, "river", "II"),
    ("w01009", 5.0, "river", "III"),
    ("w01009", 4.99, "river", "IV"),
    ("w01009", 2.0, "river", "V"),
    ("w01009", 1.99, "river", "劣V"),
    ("w01018", 15, "river", "I"),
    ("w01018", 15.1, "river", "III"),
    ("w01018", 40, "river", "V"),
    ("w01018", 40.1, "river", "劣V"),
    ("w21011", 0.1, "river", "II"),
    ("w21011", 0.1, "lake", "IV"),
    ("w21011", 0.025, "lake", "II"),
    ("w21003", 1.0, "river", "III"),
    ("w21003", 1.01, "river", "IV"),
    ("w20111", 0.00005, "river", "I"),
    ("w20111", 0.00006, "river", "III"),
    ("w20111", 0.0001, "river", "III"),
    ("w20111", 0.0011, "river", "劣V"),
    ("w20122", 0.5, "river", "II"),
    ("w01001", 5.9, "river", "劣V"),
    ("w01001", 6, "river", "I"),
    ("w01001", 9, "river", "I"),
    ("w01001", 9.1, "river", "劣V"),
    ("w02003", 10000, "river", "III"),
    ("w02003", 10001, "river", "IV"),
]


def test_vectors_single_factor() -> None:
    rows = [(code, float(value), body) for code, value, body, _ in VECTORS_7]
    labels = [WaterClass(c).label for c in _classes(rows) if c is not None]
    assert labels == [expected for *_, expected in VECTORS_7]


def test_vectors_section_class_grade_and_main_pollutant() -> None:
    sample = {"w01009": 6.5, "w01019": 4.5, "w21003": 0.4, "w21011": 0.25, "w21001": 3.0}
    frame = pl.DataFrame(
        {
            "section": "S",
            "parameter": list(sample),
            "value": list(sample.values()),
            "water_body": "river",
        }
    )
    items = item_classes(frame)
    classes = section_classes(items, ["section"]).with_columns(grade=grade(pl.col("water_class")))
    assert classes.row(0, named=True) == {
        "section": "S",
        "water_class": WaterClass.IV,
        "assessed_items": 4,
        "grade": "轻度污染",
    }
    assert main_pollutants(items, ["section"])["main_pollutants"].to_list() == ["总磷(0.25)"]


# --- every limit edge, both directions --------------------------------------------------------


def _edges() -> list[tuple[str, float, str]]:
    """Each distinct bound of each item and water body, and the next float on either side."""
    rows = []
    for body in WaterBody:
        for code, limits in TABLE1[body].limits.items():
            for bounds in (limits.lower, limits.upper):
                for bound in set(bounds or ()):
                    for value in (
                        math.nextafter(bound, -math.inf),
                        bound,
                        math.nextafter(bound, math.inf),
                    ):
                        rows.append((code, value, BODY_KEYS[body]))
    return rows


def test_every_limit_edge_agrees_with_the_scalar_class() -> None:
    rows = _edges()
    assert len(rows) > 250
    assert _classes(rows) == [
        _scalar(code, value, WATER_BODIES[body]) for code, value, body in rows
    ]


@pytest.mark.parametrize(
    ("code", "limit", "on", "beyond"),
    [
        ("w01019", 6.0, "III", "IV"),  # CODMn III/IV
        ("w21003", 2.0, "V", "劣V"),  # NH3-N V/劣V
        ("w20115", 0.001, "I", "II"),  # Cd I/II
        ("w20115", 0.005, "II", "V"),  # Cd II–IV share 0.005
        ("w23002", 0.002, "I", "III"),  # volatile phenol I–II share
        ("w22001", 0.05, "I", "IV"),  # petroleum I–III share
    ],
)
def test_limit_edge_in_both_directions(code: str, limit: float, on: str, beyond: str) -> None:
    rows = [(code, limit, "river"), (code, math.nextafter(limit, math.inf), "river")]
    assert [WaterClass(c).label for c in _classes(rows) if c is not None] == [on, beyond]


def test_items_without_limits_and_invalid_values_have_no_class() -> None:
    rows = [
        ("w01010", 20.0, "river"),  # water temperature
        ("w21038", 100.0, "river"),  # Table 2 sulfate
        ("chla", 10.0, "lake"),
        ("w21011", -0.1, "river"),
        ("w21011", math.nan, "river"),
        ("w21011", math.inf, "river"),
        ("w01001", 14.5, "river"),
        ("w21011", 0.0, "river"),
    ]
    assert _classes(rows) == [None] * 7 + [WaterClass.I]


def test_limits_frame_reuses_the_standard_tables() -> None:
    frame = limits_frame()
    assert frame.height == 2 * len(ITEM_CODES)
    tp = frame.filter((pl.col("parameter") == "w21011") & (pl.col("water_body") == "lake"))
    upper = TABLE1[WaterBody.LAKE_RESERVOIR].limits["w21011"].upper
    assert upper is not None
    assert tp.select(f"upper_{k}" for k in range(1, 6)).row(0) == tuple(upper)
    assert frame.filter(pl.col("assessed"))["parameter"].unique().len() == len(ASSESSED_ITEMS)


# --- random inputs ----------------------------------------------------------------------------

VALUES = st.one_of(
    st.floats(min_value=0, max_value=50000, allow_nan=False),
    st.sampled_from([-1.0, math.nan, math.inf, 14.0, 14.01]),
    st.decimals(min_value=0, max_value=50, places=4).map(float),
)
ROWS = st.lists(
    st.tuples(st.sampled_from(ITEM_CODES), VALUES, st.sampled_from(tuple(WATER_BODIES))),
    min_size=1,
    max_size=60,
)


@given(ROWS)
@settings(max_examples=60, deadline=None)
def test_item_classes_agree_with_scalar_on_random_rows(rows: list[tuple[str, float, str]]) -> None:
    assert _classes(rows) == [
        _scalar(code, value, WATER_BODIES[body]) for code, value, body in rows
    ]


@given(ROWS)
@settings(max_examples=40, deadline=None)
def test_value_problem_agrees_with_check_value(rows: list[tuple[str, float, str]]) -> None:
    frame = pl.DataFrame(rows, schema=["parameter", "value", "water_body"], orient="row")
    refused = frame.select(value_problem().is_not_null()).to_series().to_list()
    usable = frame.select(value_usable()).to_series().to_list()
    assert usable == [not r for r in refused]
    expected = []
    for code, value, _ in rows:
        try:
            check_value(lookup_item(code), value)
        except ValueError:
            expected.append(True)
        else:
            expected.append(False)
    assert refused == expected


@given(
    st.sampled_from([c for c in CLASSIFIED if c != "w01009"]),
    st.sampled_from(tuple(WATER_BODIES)),
    st.floats(min_value=0, max_value=50000),
    st.floats(min_value=0, max_value=50000),
)
def test_raising_a_pollutant_never_improves_its_class(
    code: str, body: str, a: float, b: float
) -> None:
    low, high = sorted((a, b))
    if code == "w01001":  # pH: moving further above neutral never improves it
        low, high = 7.5 + low / 50000 * 6.5, 7.5 + high / 50000 * 6.5
    first, second = _classes([(code, low, body), (code, high, body)])
    assert first is not None
    assert second is not None
    assert second >= first


@given(st.floats(min_value=0, max_value=20), st.floats(min_value=0, max_value=20))
def test_lowering_dissolved_oxygen_never_improves_its_class(a: float, b: float) -> None:
    low, high = sorted((a, b))
    worse, better = _classes([("w01009", low, "river"), ("w01009", high, "river")])
    assert worse is not None
    assert better is not None
    assert worse >= better


MEASURED = st.decimals(min_value=0, max_value=60, places=5).map(float)
SAMPLE = st.dictionaries(st.sampled_from(ITEM_CODES), MEASURED, min_size=1, max_size=12).map(
    lambda sample: {
        code: min(value, 14.0) if code == "w01001" else value for code, value in sample.items()
    }
)


def _frame(samples: list[dict[str, float]], body: str) -> pl.DataFrame:
    rows = [(i, code, value, body) for i, s in enumerate(samples) for code, value in s.items()]
    return pl.DataFrame(rows, schema=["section", "parameter", "value", "water_body"], orient="row")


@given(st.lists(SAMPLE, min_size=1, max_size=8), st.sampled_from(tuple(WATER_BODIES)))
@settings(max_examples=60, deadline=None)
def test_section_classes_and_main_pollutants_agree_with_scalar(
    samples: list[dict[str, float]], body: str
) -> None:
    water_body = WATER_BODIES[body]
    items = item_classes(_frame(samples, body))
    classes = dict(section_classes(items, ["section"]).select("section", "water_class").iter_rows())
    labels = dict(main_pollutants(items, ["section"]).iter_rows())
    for index, full in enumerate(samples):
        sample = {code: value for code, value in full.items() if code not in TROPHIC_ITEMS}
        try:
            expected: int | None = section_class(sample, water_body=water_body).value
        except ValueError:
            expected = None
        assert classes[index] == expected
        pollutants = scalar_main_pollutants(sample, water_body=water_body)
        assert labels[index] == format_main_pollutants(pollutants)


def test_grades_reuse_the_scalar_mapping() -> None:
    assert {c.value: grade_for_class(c).value for c in WaterClass} == GRADES
    assert lookup_parameter("TP").code in ITEM_CODES


@pytest.mark.parametrize(
    ("code", "value", "label"),
    [
        ("w21011", 0.2025, "总磷(0.01)"),  # multiple 0.0125: a tie, rounded to even
        ("w21003", 1.015, "氨氮(0.02)"),  # 0.015: a tie, rounded to even
        ("w21003", 1.025, "氨氮(0.02)"),  # 0.025: a tie, rounded to even
        ("w21011", 0.45, "总磷(1.25)"),  # no tie at two decimals
        ("w01009", 2.5, "溶解氧"),  # no multiple
    ],
)
def test_main_pollutant_labels_round_ties_to_even(code: str, value: float, label: str) -> None:
    frame = pl.DataFrame({"section": ["S"], "parameter": [code], "value": [value]})
    items = item_classes(frame.with_columns(water_body=pl.lit("river")))
    assert main_pollutants(items, ["section"])["main_pollutants"].to_list() == [label]
    expected = format_main_pollutants(
        scalar_main_pollutants({code: value}, water_body=WaterBody.RIVER)
    )
    assert expected == label
