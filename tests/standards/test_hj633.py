"""HJ 633 AQI (2012 and 2026): vectors of VECTORS.md §1-§2, edges, notes, properties."""

from __future__ import annotations

import json
import math
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ecogov.standards.editions import Edition
from ecogov.standards.gb3095 import Indicator
from ecogov.standards.hj633 import (
    RULES,
    BreakpointColumn,
    DailyObservation,
    HourlyMethod,
    HourlyObservation,
    IaqiStatus,
    aqi_level,
    breakpoint_table,
    breakpoints,
    daily_aqi,
    hourly_aqi,
    iaqi,
    linear_iaqi,
    primary_pollutants,
)
from ecogov.standards.rounding import InvalidValueError, Number

E12, E26 = Edition.E2012, Edition.E2026
C = BreakpointColumn
Ind = Indicator
COMPUTED, ABOVE, FIXED, SUBST = (
    IaqiStatus.COMPUTED,
    IaqiStatus.ABOVE_TABLE,
    IaqiStatus.FIXED_BY_NOTE,
    IaqiStatus.SUBSTITUTED,
)

# --- VECTORS.md §1.1 (HJ 633-2026, caiyunapp/aqi-hub 82b4808) and §1.2 (2012, cc9e899) --------
# Written as in VECTORS.md, "concentration→IAQI"; a suffix marks the status: "^" above the table
# (IAQI 500, flagged), "*" fixed by a 2026 table note; "→sub" a 2012 note substitution (no IAQI).

SHARED_VECTORS = {
    # The suite's SO2_24H row (150→50, 500→100, 650→150) is the library's known bug
    # (HJ633-2026-NOTES.md §11 finding 1: it put the 1h values in the 24h column). The
    # standard's values are asserted instead; 500 and 650 are the suite's inputs.
    C.SO2_24H: "0→0 50→50 150→100 475→150 500→154 650→177 800→200 1600→300 2100→400 2620→500 "
    "3000→500^",
    C.NO2_24H: "0→0 40→50 80→100 180→150 280→200 565→300 750→400 940→500 1000→500^",
    C.NO2_1H: "0→0 100→50 200→100 700→150 1200→200 2340→300 3090→400 3840→500 4000→500^",
    C.CO_24H: "0→0 2→50 4→100 14→150 24→200 36→300 48→400 60→500 100→500^",
    C.CO_1H: "0→0 5→50 10→100 35→150 60→200 90→300 120→400 150→500 200→500^",
    C.O3_1H: "0→0 160→50 200→100 300→150 400→200 800→300 1000→400 1200→500 1500→500^ 2000→500^",
}

EDITION_VECTORS = {
    E26: {
        # 59→98 and 118→99: test_hj633_2026_pm_boundaries of the same suite.
        C.PM2_5_24H: "0→0 35→50 60→100 75→114 115→150 150→200 250→300 350→400 500→500 "
        "600→500^ 59→98",
        C.PM10_24H: "0→0 50→50 120→100 150→112 250→150 350→200 420→300 500→400 600→500 118→99",
        C.SO2_1H: "0→0 150→50 500→100 650→150 800→200 1600→200* 2100→200* 2620→200* 3000→200*",
        C.O3_8H: "0→0 100→50 160→100 215→150 265→200 800→300 1000→300* 1200→300* 1500→300*",
    },
    E12: {
        C.PM2_5_24H: "0→0 35→50 75→100 115→150 150→200 250→300 350→400 500→500 600→500^",
        C.PM10_24H: "0→0 50→50 150→100 250→150 350→200 420→300 500→400 600→500",
        C.SO2_1H: "0→0 150→50 500→100 650→150 800→200 1600→sub 2100→sub 2620→sub 3000→sub",
        C.O3_8H: "0→0 100→50 160→100 215→150 265→200 800→300 1000→sub 1200→sub 1500→sub",
    },
}
_STATUS = {"^": ABOVE, "*": FIXED}


def _parse(item: str) -> tuple[int, int | None, IaqiStatus]:
    value, result = item.split("→")
    if result == "sub":
        return int(value), None, SUBST
    status = _STATUS.get(result[-1], COMPUTED)
    return int(value), int(result.rstrip("^*")), status


SUITE_CASES = [
    pytest.param(edition, column, *_parse(item), id=f"{edition}-{column}-{item}")
    for edition in Edition
    for column, items in (SHARED_VECTORS | EDITION_VECTORS[edition]).items()
    for item in items.split()
]


@pytest.mark.parametrize(("edition", "column", "value", "expected", "status"), SUITE_CASES)
def test_iaqi_suite_vectors(
    edition: Edition,
    column: BreakpointColumn,
    value: int,
    expected: int | None,
    status: IaqiStatus,
) -> None:
    result = iaqi(value, column, edition)
    assert (result.value, result.status) == (expected, status)


def test_2012_notes_name_the_substitute_column() -> None:
    assert iaqi(801, C.SO2_1H, E12).substitute is C.SO2_24H
    assert iaqi(801, C.O3_8H, E12).substitute is C.O3_1H


# --- VECTORS.md §1.4: exact arithmetic (DERIVED) -----------------------------------------------

DERIVED = [
    (C.CO_24H, "2.2", 55, 55),
    (C.CO_1H, "65.4", 218, 218),
    (C.CO_1H, "129.3", 431, 431),
    (C.CO_24H, "1.3", 33, 33),
    (C.CO_24H, "2.5", 63, 63),
    # VECTORS §1.4 gives 51 for 2026 at 35.1 and 35.5 but ignores the GB/T 8170 rounding of
    # HJ 633-2026 §4.2.2: 35.1 → 35 → 50, and 35.5 → 36 (half to even) → 52.
    (C.PM2_5_24H, "35.1", 51, 50),
    (C.PM2_5_24H, "35.5", 51, 52),
    (C.PM2_5_24H, "40.9", 58, 62),
    (C.PM2_5_24H, "59", 80, 98),
    (C.PM2_5_24H, "60", 82, 100),
    (C.PM2_5_24H, "75", 100, 114),
    (C.PM2_5_24H, "100", 132, 137),
    (C.PM2_5_24H, "115", 150, 150),
    (C.PM10_24H, "118", 84, 99),
    (C.PM10_24H, "120", 85, 100),
    (C.PM10_24H, "150", 100, 112),
    (C.PM10_24H, "200", 125, 131),
    (C.SO2_24H, "151", 101, 101),
    (C.NO2_1H, "250", 105, 105),
    (C.O3_8H, "161", 101, 101),
    (C.O3_8H, "215", 150, 150),
    (C.O3_1H, "201", 101, 101),
    (C.SO2_1H, "800", 200, 200),
]


@pytest.mark.parametrize(("column", "value", "iaqi_2012", "iaqi_2026"), DERIVED)
@pytest.mark.parametrize("as_float", [False, True], ids=["str", "float"])
def test_iaqi_derived_vectors(
    column: BreakpointColumn, value: str, iaqi_2012: int, iaqi_2026: int, as_float: bool
) -> None:
    given_value: Number = float(value) if as_float else value
    assert iaqi(given_value, column, E12).value == iaqi_2012
    assert iaqi(given_value, column, E26).value == iaqi_2026


def test_so2_1h_just_above_800() -> None:
    # 2012 note (2): no SO2 1h IAQI; 2026: rounded to 800 first, then 200 by the formula.
    assert iaqi("800.4", C.SO2_1H, E12).status is SUBST
    assert (iaqi("800.4", C.SO2_1H, E26).value, iaqi("800.4", C.SO2_1H, E26).status) == (
        200,
        COMPUTED,
    )
    assert iaqi("800.6", C.SO2_1H, E26).status is FIXED


# Every case found by scripts/iaqi_float_trap.py: (column, concentration, exact IAQI).
FLOAT_TRAPS = [
    (C.CO_24H, 2.2, 55),
    *[
        (C.CO_1H, c, v)
        for c, v in [
            (65.4, 218),
            (66.9, 223),
            (68.4, 228),
            (69.9, 233),
            (71.4, 238),
            (72.9, 243),
            (74.4, 248),
            (75.9, 253),
            (129.3, 431),
            (130.8, 436),
            (132.3, 441),
            (133.8, 446),
            (135.3, 451),
            (136.8, 456),
            (138.3, 461),
            (139.8, 466),
            (141.3, 471),
            (142.8, 476),
            (144.3, 481),
            (145.8, 486),
            (147.3, 491),
            (148.8, 496),
        ]
    ],
]


@pytest.mark.parametrize("edition", list(Edition))
@pytest.mark.parametrize(("column", "value", "expected"), FLOAT_TRAPS)
def test_float_trap_cases(
    edition: Edition, column: BreakpointColumn, value: float, expected: int
) -> None:
    assert iaqi(value, column, edition).value == expected


def _naive_float_ceil(value: float, column: BreakpointColumn) -> int:
    """The trap: formula (1) in binary floats, then math.ceil."""
    points = breakpoints(E12, column)
    hi = next(i for i in range(1, len(points)) if value <= points[i].concentration)
    (bp_lo, i_lo), (bp_hi, i_hi) = points[hi - 1], points[hi]
    return math.ceil((i_hi - i_lo) / (bp_hi - bp_lo) * (value - bp_lo) + i_lo)


def test_float_trap_scan_finds_exactly_the_listed_cases() -> None:
    # Re-run the scan of scripts/iaqi_float_trap.py: whole µg/m³ and 0.1 mg/m³ CO grids.
    disagreements = []
    for column in BreakpointColumn:
        top = breakpoints(E12, column)[-1].concentration
        tenths = column in (C.CO_24H, C.CO_1H)
        grid = [round(j * 0.1, 1) for j in range(top * 10 + 1)] if tenths else range(top + 1)
        for value in grid:
            exact = iaqi(value, column, E12).value
            if exact != _naive_float_ceil(value, column):
                disagreements.append((column, value, exact))
    assert disagreements == FLOAT_TRAPS


# --- breakpoint edges --------------------------------------------------------------------------

EPSILON = Fraction(1, 1000)
UNIT = {C.CO_24H: Fraction(1, 10), C.CO_1H: Fraction(1, 10)}

EDGES = [
    pytest.param(edition, column, index, id=f"{edition}-{column}-{point.concentration}")
    for edition in Edition
    for column in BreakpointColumn
    for index, point in enumerate(breakpoints(edition, column))
]


@pytest.mark.parametrize(("edition", "column", "index"), EDGES)
def test_breakpoint_edges(edition: Edition, column: BreakpointColumn, index: int) -> None:
    points = breakpoints(edition, column)
    point = points[index]
    at = iaqi(point.concentration, column, edition)
    assert (at.value, at.status) == (point.iaqi, COMPUTED)
    unit = UNIT.get(column, Fraction(1))
    if index > 0:
        # Just below: ceil of a value a hair under the breakpoint IAQI is that IAQI.
        assert iaqi(point.concentration - EPSILON, column, edition).value == point.iaqi
        below = iaqi(point.concentration - unit, column, edition).value
        assert below is not None
        assert points[index - 1].iaqi <= below <= point.iaqi
    if index < len(points) - 1:
        # A hair above: the next integer in 2012; 2026 first rounds back to the breakpoint ...
        hair_above = iaqi(point.concentration + EPSILON, column, edition)
        assert hair_above.value == (point.iaqi + 1 if edition is E12 else point.iaqi)
        # ... and one reporting unit above lands strictly higher in both editions.
        above = iaqi(point.concentration + unit, column, edition).value
        assert above is not None
        assert point.iaqi < above <= points[index + 1].iaqi


@pytest.mark.parametrize("edition", list(Edition))
@pytest.mark.parametrize("column", list(BreakpointColumn))
def test_just_above_the_top_breakpoint(edition: Edition, column: BreakpointColumn) -> None:
    top = breakpoints(edition, column)[-1]
    result = iaqi(top.concentration + UNIT.get(column, Fraction(1)), column, edition)
    notes = {rule.column: rule for rule in RULES[edition].cap_rules}
    if column in notes:
        rule = notes[column]
        assert result.status is (FIXED if rule.fixed_iaqi is not None else SUBST)
        assert result.value == rule.fixed_iaqi
    else:
        assert (result.value, result.status) == (500, ABOVE)


def test_2026_rounds_concentrations_half_to_even_before_the_iaqi() -> None:
    assert iaqi("59.5", C.PM2_5_24H, E26).value == 100  # 59.5 → 60
    assert iaqi("60.5", C.PM2_5_24H, E26).value == 100  # 60.5 → 60
    assert iaqi("61.5", C.PM2_5_24H, E26).value == 102  # 61.5 → 62 → 101.8
    assert iaqi("2.25", C.CO_24H, E26).value == 55  # 2.25 → 2.2
    assert iaqi("2.35", C.CO_24H, E26).value == 60  # 2.35 → 2.4
    assert iaqi("2.25", C.CO_24H, E12).value == 57  # 2012: not rounded, 56.25 → 57


@pytest.mark.parametrize("edition", list(Edition))
def test_negative_or_non_numeric_concentration_is_rejected(edition: Edition) -> None:
    with pytest.raises(InvalidValueError):
        iaqi(-1, C.O3_1H, edition)
    with pytest.raises(InvalidValueError):
        iaqi("-;", C.O3_1H, edition)


# --- properties -------------------------------------------------------------------------------

columns = st.sampled_from(list(BreakpointColumn))
editions = st.sampled_from(list(Edition))
concentrations = st.decimals(min_value=0, max_value=4000, places=3)


@settings(max_examples=300, deadline=None)
@given(editions, columns, concentrations, concentrations)
def test_iaqi_is_monotonic_non_decreasing(
    edition: Edition, column: BreakpointColumn, a: Decimal, b: Decimal
) -> None:
    low, high = sorted((a, b))
    first, second = iaqi(low, column, edition), iaqi(high, column, edition)
    if second.value is None:  # 2012 notes: no IAQI from this column above 800
        assert second.status is SUBST
        return
    assert first.value is not None
    assert first.value <= second.value


@st.composite
def interior_breakpoints(draw: st.DrawFn) -> tuple[Edition, BreakpointColumn, int]:
    edition, column = draw(editions), draw(columns)
    index = draw(st.integers(min_value=1, max_value=len(breakpoints(edition, column)) - 2))
    return edition, column, index


@settings(max_examples=150, deadline=None)
@given(interior_breakpoints(), st.fractions(min_value=0, max_value=EPSILON))
def test_iaqi_is_continuous_at_breakpoints(
    case: tuple[Edition, BreakpointColumn, int], delta: Fraction
) -> None:
    edition, column, index = case
    lower, point, upper = breakpoints(edition, column)[index - 1 : index + 2]
    at = Fraction(point.concentration)
    # Both neighbouring segments give the breakpoint's IAQI at the breakpoint ...
    assert linear_iaqi(at, lower, point) == linear_iaqi(at, point, upper) == point.iaqi
    # ... and values on either side converge to it (no slope exceeds 25 IAQI per unit).
    left, right = linear_iaqi(at - delta, lower, point), linear_iaqi(at + delta, point, upper)
    assert left <= point.iaqi <= right
    assert right - left <= 50 * delta
    # Public function (2012 has no concentration rounding): ceil is exact at the breakpoint.
    if edition is E12 and delta:
        assert iaqi(at - delta, column, edition).value == point.iaqi
        assert iaqi(at + delta, column, edition).value == point.iaqi + 1


# --- levels and colours (VECTORS.md §1.3; HJ 633-2012 Table 2/A.1, HJ 633-2026 Table 1/A.1) ----

LEVEL_BOUNDARIES = [
    (0, 1),
    (25, 1),
    (50, 1),
    (51, 2),
    (75, 2),
    (100, 2),
    (101, 3),
    (125, 3),
    (150, 3),
    (151, 4),
    (175, 4),
    (200, 4),
    (201, 5),
    (250, 5),
    (300, 5),
    (301, 6),
    (400, 6),
    (500, 6),
]


@pytest.mark.parametrize("edition", list(Edition))
@pytest.mark.parametrize(("aqi", "level"), LEVEL_BOUNDARIES)
def test_level_boundaries(edition: Edition, aqi: int, level: int) -> None:
    assert aqi_level(aqi, edition).number == level


COLOURS = [
    (1, "优", "Excellent", (0, 228, 0), "#00E400"),
    (2, "良", "Good", (255, 255, 0), "#FFFF00"),
    (3, "轻度污染", "Lightly polluted", (255, 126, 0), "#FF7E00"),
    (4, "中度污染", "Moderately polluted", (255, 0, 0), "#FF0000"),
    (5, "重度污染", "Heavily polluted", (153, 0, 76), "#99004C"),
    (6, "严重污染", "Severely polluted", (126, 0, 35), "#7E0023"),
]


@pytest.mark.parametrize("edition", list(Edition))
@pytest.mark.parametrize(("number", "category_zh", "category_en", "rgb", "hex_code"), COLOURS)
def test_level_categories_and_colours(
    edition: Edition,
    number: int,
    category_zh: str,
    category_en: str,
    rgb: tuple[int, int, int],
    hex_code: str,
) -> None:
    level = RULES[edition].levels[number - 1]
    assert (level.number, level.category_zh, level.category_en) == (
        number,
        category_zh,
        category_en,
    )
    assert (level.rgb, level.hex) == (rgb, hex_code)


def test_level_1_printed_bounds_differ_by_edition() -> None:
    assert RULES[E12].levels[0].lower == 0
    assert RULES[E26].levels[0].lower == 1
    assert RULES[E12].levels[4].colour_zh == "紫"
    assert RULES[E26].levels[4].colour_zh == "紫色"
    with pytest.raises(InvalidValueError):
        aqi_level(-1, E26)


# --- reports: VECTORS.md §1.1 cal_aqi_cn / AQI class, §1.2, §1.5, §2 ---------------------------

AT_50_HOURLY = {"pm2_5": 35, "pm10": 50, "so2": 150, "no2": 100, "co": 5, "o3": 160}


@pytest.mark.parametrize("edition", list(Edition))
def test_hourly_all_at_iaqi_50(edition: Edition) -> None:
    report = hourly_aqi(HourlyObservation(**AT_50_HOURLY), edition)
    assert report.aqi == 50
    assert set(report.iaqi.values()) == {50}
    assert report.primary_pollutants == ()
    assert report.level is not None
    assert report.level.number == 1


@pytest.mark.parametrize("edition", list(Edition))
def test_daily_at_iaqi_50_except_so2(edition: Edition) -> None:
    # Suite: "daily, so2=150 … every IAQI 50" relies on the library's SO2_24H bug; on the
    # standard's SO2 24h column 150 µg/m³ is IAQI 100.
    observation = DailyObservation(pm2_5=35, pm10=50, so2=150, no2=40, co=2, o3_8h_max=100)
    report = daily_aqi(observation, edition)
    assert dict(report.iaqi) == {
        Ind.SO2: 100,
        Ind.NO2: 50,
        Ind.CO: 50,
        Ind.O3_8H: 50,
        Ind.PM10: 50,
        Ind.PM2_5: 50,
    }
    assert (report.aqi, report.primary_pollutants) == (100, (Ind.SO2,))


@pytest.mark.parametrize("edition", list(Edition))
def test_hourly_aqi_300(edition: Edition) -> None:
    values = {"pm2_5": 250, "pm10": 350, "so2": 650, "no2": 700, "co": 35, "o3": 300}
    report = hourly_aqi(HourlyObservation(**values), edition)
    assert report.aqi == 300
    assert dict(report.iaqi) == {
        Ind.PM2_5: 300,
        Ind.PM10: 200,
        Ind.SO2: 150,
        Ind.NO2: 150,
        Ind.CO: 150,
        Ind.O3_1H: 150,
    }
    assert report.primary_pollutants == (Ind.PM2_5,)


def test_hourly_so2_801_2026_with_o3_missing() -> None:
    # Suite: o3=-1 → O3 None (library treats negatives as missing); here missing is None and
    # negative values are rejected (test_negative_or_non_numeric_concentration_is_rejected).
    values = {**AT_50_HOURLY, "so2": 801, "o3": None}
    report = hourly_aqi(HourlyObservation(**values), E26)
    assert (report.aqi, report.iaqi[Ind.SO2]) == (200, 200)
    assert Ind.O3_1H not in report.iaqi
    assert report.missing == (Ind.O3_1H,)
    assert report.publishable  # incomplete but AQI > 100 (HJ 633-2026 §5.3.1)


def test_daily_o3_8h_1000_2026() -> None:
    observation = DailyObservation(pm2_5=35, pm10=50, so2=50, no2=40, co=2, o3_8h_max=1000)
    report = daily_aqi(observation, E26)
    assert (report.aqi, report.iaqi[Ind.O3_8H]) == (300, 300)


@pytest.mark.parametrize(
    ("edition", "aqi", "level", "primary"),
    [
        (E26, 114, 3, (Ind.PM2_5,)),
        (E12, 100, 2, (Ind.SO2, Ind.NO2, Ind.CO, Ind.O3_1H, Ind.PM10, Ind.PM2_5)),
    ],
)
def test_hourly_aqi_class_vector(
    edition: Edition, aqi: int, level: int, primary: tuple[Indicator, ...]
) -> None:
    values = {"pm2_5": 75, "pm10": 150, "so2": 500, "no2": 200, "co": 10, "o3": 200}
    report = hourly_aqi(HourlyObservation(**values), edition)
    assert report.aqi == aqi
    assert report.level is not None
    assert report.level.number == level
    assert report.primary_pollutants == primary


@pytest.mark.parametrize("edition", list(Edition))
def test_daily_aqi_class_vector(edition: Edition) -> None:
    # Suite: AQI 150 with PM2.5 and PM10 tied — again the SO2_24H bug (650 → 150). On the
    # standard's column SO2 650 µg/m³ is IAQI 177, which becomes the AQI and primary pollutant.
    observation = DailyObservation(pm2_5=115, pm10=250, so2=650, no2=180, co=14, o3_8h_max=215)
    report = daily_aqi(observation, edition)
    assert report.aqi == 177
    assert report.primary_pollutants == (Ind.SO2,)
    others = {k: v for k, v in report.iaqi.items() if k is not Ind.SO2}
    assert set(others.values()) == {150}
    if edition is E12:  # every pollutant above 100 is an exceeding pollutant (2012 only)
        assert report.exceeding_pollutants == (
            Ind.SO2,
            Ind.NO2,
            Ind.CO,
            Ind.O3_8H,
            Ind.PM10,
            Ind.PM2_5,
        )
    else:
        assert report.exceeding_pollutants is None
    # Without the SO2 term the suite's tie reappears.
    tie = daily_aqi(
        DailyObservation(pm2_5=115, pm10=250, no2=180, co=14, o3_8h_max=215, so2=475), edition
    )
    assert tie.aqi == 150
    assert tie.primary_pollutants == (Ind.SO2, Ind.NO2, Ind.CO, Ind.O3_8H, Ind.PM10, Ind.PM2_5)


VECTOR_1_5 = DailyObservation(
    so2=20, no2=45, pm10=90, co=0.9, o3_1h_max=210, o3_8h_max=170, pm2_5=60
)


def test_daily_2012_seven_indicators_vector_1_5() -> None:
    report = daily_aqi(VECTOR_1_5, E12)
    assert dict(report.iaqi) == {
        Ind.SO2: 20,
        Ind.NO2: 57,
        Ind.PM10: 70,
        Ind.CO: 23,
        Ind.O3_1H: 105,
        Ind.O3_8H: 110,
        Ind.PM2_5: 82,
    }
    assert report.aqi == 110
    assert report.level is not None
    assert (report.level.number, report.level.category_zh) == (3, "轻度污染")
    assert report.primary_pollutants == (Ind.O3_8H,)
    assert report.exceeding_pollutants == (Ind.O3_1H, Ind.O3_8H)


def test_daily_2026_six_indicators_vector_1_5() -> None:
    report = daily_aqi(VECTOR_1_5, E26)
    assert dict(report.iaqi) == {
        Ind.SO2: 20,
        Ind.NO2: 57,
        Ind.PM10: 79,
        Ind.CO: 23,
        Ind.O3_8H: 110,
        Ind.PM2_5: 100,
    }
    assert (report.aqi, report.primary_pollutants) == (110, (Ind.O3_8H,))
    assert report.exceeding_pollutants is None


def test_daily_2012_o3_uses_the_larger_of_1h_and_8h() -> None:
    report = daily_aqi(DailyObservation(o3_1h_max=400, o3_8h_max=170), E12)
    assert (report.aqi, report.primary_pollutants) == (200, (Ind.O3_1H,))


@pytest.mark.parametrize("edition", list(Edition))
def test_primary_pollutant_vectors_section_2(edition: Edition) -> None:
    tiny = HourlyObservation(pm2_5=1, pm10=1, so2=1, no2=1, co=0.1, o3=1)
    report = hourly_aqi(tiny, edition)
    assert report.aqi is not None
    assert report.aqi < 50
    assert report.primary_pollutants == ()
    top = HourlyObservation(pm2_5=500, pm10=600, so2=2620, no2=3840, co=150, o3=1200)
    report = hourly_aqi(top, edition)
    assert report.aqi == 500
    assert report.primary_pollutants == (Ind.NO2, Ind.CO, Ind.O3_1H, Ind.PM10, Ind.PM2_5)


def test_primary_pollutants_none_at_or_below_50() -> None:
    assert primary_pollutants({Ind.PM2_5: 50, Ind.PM10: 50}, E12) == ()
    assert primary_pollutants({Ind.PM2_5: 51, Ind.PM10: 51}, E26) == (Ind.PM10, Ind.PM2_5)
    assert primary_pollutants({}, E26) == ()


# --- special rules in reports ------------------------------------------------------------------


def test_2012_hourly_so2_above_800_uses_the_24h_moving_average() -> None:
    report = hourly_aqi(HourlyObservation(so2=900, so2_24h_moving=300, no2=100), E12)
    assert report.iaqi[Ind.SO2] == 124  # 300 on the SO2 24h column: 100 + 50·150/325 → 124
    assert report.columns[Ind.SO2] is C.SO2_24H
    assert report.substitutions == ((C.SO2_1H, C.SO2_24H),)
    missing_24h = hourly_aqi(HourlyObservation(so2=900, no2=100), E12)
    assert Ind.SO2 in missing_24h.missing
    assert Ind.SO2 not in missing_24h.iaqi


def test_2026_hourly_so2_above_800_is_200() -> None:
    report = hourly_aqi(HourlyObservation(so2=900, so2_24h_moving=300), E26)
    assert (report.iaqi[Ind.SO2], report.columns[Ind.SO2]) == (200, C.SO2_1H)
    assert report.substitutions == ()


def test_2012_o3_8h_above_800_reports_the_o3_1h_iaqi() -> None:
    report = daily_aqi(DailyObservation(o3_1h_max=900, o3_8h_max=810), E12)
    assert dict(report.iaqi) == {Ind.O3_1H: 350}
    assert report.substitutions == ((C.O3_8H, C.O3_1H),)
    assert Ind.O3_8H not in report.missing
    literal = hourly_aqi(
        HourlyObservation(o3=900, o3_8h_moving=810), E12, HourlyMethod.TABLE_4_2012
    )
    assert dict(literal.iaqi) == {Ind.O3_1H: 350}


def test_2026_o3_8h_above_800_is_300() -> None:
    report = daily_aqi(DailyObservation(o3_8h_max=810), E26)
    assert dict(report.iaqi) == {Ind.O3_8H: 300}


def test_out_of_range_is_flagged() -> None:
    report = hourly_aqi(HourlyObservation(pm2_5=650, pm10=100), E26)
    assert (report.aqi, report.out_of_range) == (500, frozenset({Ind.PM2_5}))


def test_hourly_methods_2012() -> None:
    hourly = {"so2": 10, "no2": 20, "co": 0.5, "o3": 100, "pm10": 300, "pm2_5": 200}
    moving = {"o3_8h_moving": 170, "pm10_24h_moving": 100, "pm2_5_24h_moving": 60}
    observation = HourlyObservation(**hourly, **moving)
    published = hourly_aqi(observation, E12)
    assert (published.iaqi[Ind.PM2_5], published.iaqi[Ind.PM10]) == (250, 175)
    assert Ind.O3_8H not in published.iaqi
    literal = hourly_aqi(observation, E12, HourlyMethod.TABLE_4_2012)
    assert (literal.iaqi[Ind.PM2_5], literal.iaqi[Ind.PM10]) == (82, 75)
    assert literal.iaqi[Ind.O3_8H] == 110
    assert literal.aqi == 110
    # HJ 633-2026 prescribes the published method: both options agree.
    assert hourly_aqi(observation, E26, HourlyMethod.TABLE_4_2012) == hourly_aqi(observation, E26)


def test_missing_data_and_publication_rule() -> None:
    # HJ 633-2026 §5.3.1: incomplete reports are published only when AQI > 100.
    low = hourly_aqi(HourlyObservation(pm2_5=60, pm10=50), E26)
    assert (low.aqi, low.publishable) == (100, False)
    assert low.missing == (Ind.SO2, Ind.NO2, Ind.CO, Ind.O3_1H)
    high = hourly_aqi(HourlyObservation(pm2_5=61), E26)
    assert high.publishable
    # HJ 633-2012 only marks missing indicators NA.
    assert hourly_aqi(HourlyObservation(pm2_5=60), E12).publishable
    empty = daily_aqi(DailyObservation(), E26)
    assert (empty.aqi, empty.level, empty.publishable) == (None, None, False)
    assert len(empty.missing) == 6


# --- plain data for vectorised engines ---------------------------------------------------------


def test_breakpoint_table_is_plain_data() -> None:
    table = breakpoint_table(E26)
    assert table["PM2.5_24H"] == [
        (0, 0),
        (35, 50),
        (60, 100),
        (115, 150),
        (150, 200),
        (250, 300),
        (350, 400),
        (500, 500),
    ]
    assert table["SO2_1H"] == [(0, 0), (150, 50), (500, 100), (650, 150), (800, 200)]
    assert set(table) == {str(column) for column in BreakpointColumn}
    assert breakpoint_table(E12)["PM10_24H"][2] == (150, 100)


@pytest.mark.shared
def test_2026_table_matches_the_reference_json(shared_dir: Path) -> None:
    reference = json.loads(
        (shared_dir / "reference" / "hj633-2026-table3.json").read_text(encoding="utf-8")
    )
    names = {
        "SO2_daily": C.SO2_24H,
        "SO2_1h": C.SO2_1H,
        "NO2_daily": C.NO2_24H,
        "NO2_1h": C.NO2_1H,
        "CO_daily": C.CO_24H,
        "CO_1h": C.CO_1H,
        "O3_8h": C.O3_8H,
        "O3_1h": C.O3_1H,
        "PM10_daily": C.PM10_24H,
        "PM25_daily": C.PM2_5_24H,
    }
    assert set(reference["breakpoints"]) == set(names)
    for name, values in reference["breakpoints"].items():
        expected = [(c, i) for c, i in zip(values, reference["iaqi"], strict=True) if c is not None]
        assert breakpoint_table(E26)[str(names[name])] == expected
