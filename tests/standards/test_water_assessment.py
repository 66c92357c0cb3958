"""Tests for ecogov.standards.water_assessment (环办〔2011〕22号 assessment, TLI, sources).

Vectors from VECTORS.md §6 (TLI) and §7 (section, river grades); the others are derived from the
rules quoted in the module docstrings.
"""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ecogov.standards.gb3838 import PARAMETERS, UnknownParameterError, WaterBody, WaterClass
from ecogov.standards.water_assessment import (
    METHOD_2011,
    PRIORITY_ITEMS,
    REFERENCE_ITEMS,
    TLI_CORRELATIONS,
    TLI_ITEMS,
    TROPHIC_ITEMS,
    Grade,
    MainPollutant,
    TrophicState,
    assess_lake,
    assess_section,
    basin_main_pollutants,
    cwqi_item,
    drinking_source_compliance,
    exceedance_multiple,
    format_main_pollutants,
    grade_by_mean_concentrations,
    grade_by_section_shares,
    grade_for_class,
    lake_mean_concentrations,
    lookup_item,
    main_pollutants,
    mean_concentrations,
    mean_item,
    mean_ph,
    river_grade,
    section_cwqi,
    tli,
    tli_chla,
    tli_codmn,
    tli_sd,
    tli_tn,
    tli_tp,
    tli_weights,
    trophic_state,
)

I, II, III, IV, V, WORSE = (  # noqa: E741  (class names of the standard)
    WaterClass.I,
    WaterClass.II,
    WaterClass.III,
    WaterClass.IV,
    WaterClass.V,
    WaterClass.WORSE_THAN_V,
)
RIVER, LAKE = WaterBody.RIVER, WaterBody.LAKE_RESERVOIR
GRADE_ORDER = list(Grade)


# --- grades ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("water_class", "grade", "name_en", "colour"),
    [
        (I, Grade.EXCELLENT, "Excellent", "blue"),
        (II, Grade.EXCELLENT, "Excellent", "blue"),
        (III, Grade.GOOD, "Good", "green"),
        (IV, Grade.SLIGHTLY_POLLUTED, "Slightly polluted", "yellow"),
        (V, Grade.MODERATELY_POLLUTED, "Moderately polluted", "orange"),
        (WORSE, Grade.HEAVILY_POLLUTED, "Heavily polluted", "red"),
    ],
)
def test_grade_for_class(water_class: WaterClass, grade: Grade, name_en: str, colour: str) -> None:
    assert grade_for_class(water_class) is grade
    assert (grade.name_en, grade.colour) == (name_en, colour)


def test_grade_chinese_names_and_colours() -> None:
    assert [g.value for g in Grade] == ["优", "良好", "轻度污染", "中度污染", "重度污染"]
    assert [g.colour_zh for g in Grade] == ["蓝色", "绿色", "黄色", "橙色", "红色"]
    assert METHOD_2011.code == "环办〔2011〕22号"


# --- section assessment and main pollutants (VECTORS §7) ------------------------------------


def test_vectors_section_assessment() -> None:
    sample = {"DO": 6.5, "CODMn": 4.5, "NH3-N": 0.4, "TP": 0.25, "TN": 3.0}
    result = assess_section(sample, water_body=RIVER)
    assert result.water_class is IV
    assert result.grade is Grade.SLIGHTLY_POLLUTED
    assert result.main_pollutants == (MainPollutant("w21011", "总磷", IV, 0.25),)
    assert format_main_pollutants(result.main_pollutants) == "总磷(0.25)"
    assert result.reference_classes == {}  # TN is not assessed for rivers


def test_format_with_two_decimals() -> None:
    pollutants = main_pollutants({"TP": 0.25, "NH3-N": 1.1, "DO": 6}, water_body=RIVER)
    assert format_main_pollutants(pollutants) == "总磷(0.25);氨氮(0.10)"


def test_heavy_metals_and_cyanide_first() -> None:
    sample = {"CODMn": 20, "NH3-N": 1.8, "TP": 0.35, "Cd": 0.008, "CN": 0.25}
    result = main_pollutants(sample, water_body=RIVER)
    assert [p.water_class for p in result] == [WORSE, V, WORSE]
    assert format_main_pollutants(result) == "氰化物(0.25);镉(0.60);高锰酸盐指数(2.33)"


def test_priority_items_are_cyanide_and_heavy_metals() -> None:
    assert {"w21016", "w20120", "w20117", "w20111", "w20115", "w20141"} <= PRIORITY_ITEMS
    assert "w20128" not in PRIORITY_ITEMS  # selenium is not a metal


def test_same_class_ordered_by_multiple_then_table_order_top_three() -> None:
    sample = {"NH3-N": 1.4, "TP": 0.29, "COD": 25, "BOD5": 5}
    assert format_main_pollutants(main_pollutants(sample, water_body=RIVER)) == (
        "总磷(0.45);氨氮(0.40);化学需氧量(0.25)"
    )


def test_worse_class_precedes_larger_multiple_and_do_has_no_multiple() -> None:
    sample = {"DO": 1.5, "NH3-N": 1.9}
    assert format_main_pollutants(main_pollutants(sample, water_body=RIVER)) == "溶解氧;氨氮(0.90)"


def test_items_without_multiple_follow_same_class_items() -> None:
    sample = {"DO": 2.5, "NH3-N": 1.6, "pH": 9.5}
    result = main_pollutants(sample, water_body=RIVER)
    assert format_main_pollutants(result) == "pH值;氨氮(0.60);溶解氧"


def test_good_sections_have_no_main_pollutants() -> None:
    assert main_pollutants({"TP": 0.2, "NH3-N": 1.0, "DO": 5}, water_body=RIVER) == ()


def test_reference_items_do_not_become_main_pollutants() -> None:
    sample = {"TN": 9.0, "粪大肠菌群": 99999, "DO": 8}
    assert main_pollutants(sample, water_body=LAKE) == ()


def test_exceedance_multiple() -> None:
    assert exceedance_multiple("TP", 0.25, water_body=RIVER) == 0.25
    assert exceedance_multiple("TP", 0.1, water_body=LAKE) == 1.0
    assert exceedance_multiple("TP", 0.1, water_body=RIVER) == -0.5
    assert exceedance_multiple("Hg", 0.0003, water_body=RIVER) == 2.0
    assert exceedance_multiple("DO", 1.0, water_body=RIVER) is None
    assert exceedance_multiple("pH", 10, water_body=RIVER) is None


@pytest.mark.parametrize(
    ("multiple", "shown"),
    [(0.125, "0.12"), (0.135, "0.14"), (0.1, "0.10"), (2.0, "2.00"), (1.2349, "1.23")],
)
def test_label_rounds_half_even(multiple: float, shown: str) -> None:
    assert MainPollutant("w01019", "高锰酸盐指数", IV, multiple).label == f"高锰酸盐指数({shown})"


# --- lakes and reservoirs -------------------------------------------------------------------


def test_lake_mean_averages_time_first_then_points() -> None:
    points = [[{"TP": 0.02}, {"TP": 0.04}], [{"TP": 0.06}]]
    assert lake_mean_concentrations(points) == pytest.approx({"w21011": 0.045})


def test_assess_lake_uses_lake_limits_and_reports_tn_separately() -> None:
    points = [
        [{"DO": 8, "TP": 0.06, "TN": 1.2}, {"DO": 8, "TP": 0.08, "TN": 1.4}],
        [{"DO": 7.6, "TP": 0.04, "TN": 0.6, "粪大肠菌群": 100}],
    ]
    result = assess_lake(points)
    assert result.water_class is IV  # TP 0.0525 > 0.05 (lake class III)
    assert result.grade is Grade.SLIGHTLY_POLLUTED
    assert result.reference_classes == {"w21001": III, "w02003": I}  # TN 0.95
    assert REFERENCE_ITEMS[LAKE] == ("w21001", "w02003")


# --- aggregation ----------------------------------------------------------------------------


def test_mean_ph_through_hydrogen_ions() -> None:
    assert mean_ph([7.0]) == pytest.approx(7.0)
    assert mean_ph([6.0, 8.0]) == pytest.approx(-math.log10((1e-6 + 1e-8) / 2))
    assert mean_ph([6.0, 8.0]) < 7.0
    with pytest.raises(ValueError, match="at least one"):
        mean_ph([])


def test_mean_item_dispatches_on_ph() -> None:
    assert mean_item("pH值", [6.0, 8.0]) == pytest.approx(mean_ph([6.0, 8.0]))
    assert mean_item("NH3-N", [0.5, 1.0, 1.5]) == pytest.approx(1.0)
    with pytest.raises(ValueError, match="at least one"):
        mean_item("TP", [])


def test_mean_concentrations_handles_missing_items_and_aliases() -> None:
    samples = [{"TP": 0.1, "pH": 6.0}, {"总磷": 0.3}, {"w01001": 8.0, "DO": 6.0}]
    assert mean_concentrations(samples) == pytest.approx(
        {"w21011": 0.2, "w01001": mean_ph([6.0, 8.0]), "w01009": 6.0}
    )


# --- river and basin grades (VECTORS §7) ----------------------------------------------------


def _classes(**counts: int) -> list[WaterClass]:
    names = {"I": I, "II": II, "III": III, "IV": IV, "V": V, "W": WORSE}
    return [names[name] for name, count in counts.items() for _ in range(count)]


@pytest.mark.parametrize(
    ("classes", "grade"),
    [
        (_classes(II=8, IV=1, W=1), Grade.GOOD),  # VECTORS: 80% → 良好
        (_classes(II=5, V=1, W=4), Grade.HEAVILY_POLLUTED),  # VECTORS: 50%, 40% → 重度
        (_classes(III=7, W=3), Grade.MODERATELY_POLLUTED),  # VECTORS: 70%, 30% → 中度
        (_classes(I=9, V=1), Grade.EXCELLENT),  # 90% exactly
        (_classes(I=17, IV=3), Grade.GOOD),  # 85%
        (_classes(I=15, IV=5), Grade.GOOD),  # 75% exactly
        (_classes(I=14, IV=6), Grade.SLIGHTLY_POLLUTED),  # 70%, no 劣V
        (_classes(I=14, IV=3, W=3), Grade.SLIGHTLY_POLLUTED),  # 劣V 15%
        (_classes(I=14, IV=2, W=4), Grade.MODERATELY_POLLUTED),  # 劣V 20% exactly
        (_classes(I=14, W=6), Grade.MODERATELY_POLLUTED),  # 劣V 30%
        (_classes(I=6, W=4), Grade.HEAVILY_POLLUTED),  # 60% and 40%: the "< 75%" reading
        (_classes(I=5), Grade.EXCELLENT),
        (_classes(W=5), Grade.HEAVILY_POLLUTED),
    ],
)
def test_grade_by_section_shares(classes: list[WaterClass], grade: Grade) -> None:
    assert grade_by_section_shares(classes) is grade


def test_share_method_needs_five_sections() -> None:
    with pytest.raises(ValueError, match="at least 5"):
        grade_by_section_shares(_classes(I=4))


@given(st.lists(st.sampled_from(list(WaterClass)), min_size=5, max_size=40), st.data())
def test_worsening_a_section_never_improves_the_basin(
    classes: list[WaterClass], data: st.DataObject
) -> None:
    index = data.draw(st.integers(0, len(classes) - 1))
    worse = data.draw(st.sampled_from([c for c in WaterClass if c >= classes[index]]))
    changed = [*classes[:index], worse, *classes[index + 1 :]]
    before = GRADE_ORDER.index(grade_by_section_shares(classes))
    assert GRADE_ORDER.index(grade_by_section_shares(changed)) >= before


def test_grade_by_mean_concentrations() -> None:
    sections = [{"NH3-N": 0.8, "DO": 7}, {"NH3-N": 1.4, "DO": 6}]
    assert grade_by_mean_concentrations(sections) is Grade.SLIGHTLY_POLLUTED  # mean NH3-N 1.1
    assert grade_by_mean_concentrations([{"TP": 0.15}]) is Grade.GOOD
    with pytest.raises(ValueError, match="1–4 sections"):
        grade_by_mean_concentrations([{"TP": 0.1}] * 5)
    with pytest.raises(ValueError, match="got 0"):
        grade_by_mean_concentrations([])


def test_river_grade_switches_method_at_five_sections() -> None:
    four = [{"NH3-N": 0.5}] * 3 + [{"NH3-N": 5.0}]
    assert river_grade(four) is Grade.MODERATELY_POLLUTED  # mean 1.625 → V
    five = [{"NH3-N": 0.5}] * 4 + [{"NH3-N": 5.0}]
    assert river_grade(five) is Grade.GOOD  # I–III share 80%; the mean (1.4) would give IV


def test_basin_main_pollutants_by_section_exceedance_rate() -> None:
    sections = [
        {"NH3-N": 1.6, "TP": 0.35, "COD": 25},
        {"NH3-N": 1.2, "TP": 0.1, "COD": 25},
        {"NH3-N": 0.2, "TP": 0.25, "COD": 15},
        {"NH3-N": 2.5, "TP": 0.1, "COD": 15},
        {"NH3-N": 0.2, "TP": 0.1, "COD": 15, "Hg": 0.0002},
    ]
    result = basin_main_pollutants(sections)
    assert [(p.name_zh, p.exceedance_rate) for p in result] == [
        ("氨氮", 0.6),
        ("化学需氧量", 0.4),  # ties keep GB 3838 Table 1 order: COD (item 5) before TP (item 8)
        ("总磷", 0.4),
    ]  # 汞 (rate 0.2) is fourth and left out
    assert basin_main_pollutants([{"TP": 0.1}] * 5) == ()


# --- trophic state (VECTORS §6) -------------------------------------------------------------


def test_vectors_tli() -> None:
    assert tli_chla(10) == pytest.approx(50.006, abs=5e-4)
    assert tli_tp(0.05) == pytest.approx(45.709, abs=5e-4)
    assert tli_tn(1.0) == pytest.approx(54.53, abs=1e-12)
    assert tli_sd(1.0) == pytest.approx(51.18, abs=1e-12)
    assert tli_codmn(4.0) == pytest.approx(37.979, abs=5e-4)
    index = tli(chla=10, tp=0.05, tn=1.0, sd=1.0, codmn=4.0)
    assert round(index, 3) == 48.018
    assert trophic_state(index) is TrophicState.MESOTROPHIC


def test_tli_weights_match_published_table() -> None:
    weights = tli_weights()
    assert {k: round(w, 4) for k, w in weights.items()} == {
        "chla": 0.2663,
        "tp": 0.1879,
        "tn": 0.1790,
        "sd": 0.1834,
        "codmn": 0.1834,
    }
    assert sum(weights.values()) == pytest.approx(1.0)
    assert TLI_CORRELATIONS["sd"] == -0.83


def test_tli_with_a_subset_renormalizes_weights() -> None:
    weights = tli_weights(["chla", "tp"])
    assert weights["chla"] == pytest.approx(1 / 1.7056)
    assert tli(chla=10, tp=0.05) == pytest.approx(
        weights["chla"] * tli_chla(10) + weights["tp"] * tli_tp(0.05)
    )


def test_tli_invalid_input() -> None:
    with pytest.raises(ValueError, match="non-empty"):
        tli()
    with pytest.raises(ValueError, match="non-empty"):
        tli_weights(["chla", "secchi"])
    with pytest.raises(ValueError, match="sd must be positive"):
        tli(chla=10, sd=0)


@pytest.mark.parametrize(
    ("index", "state"),
    [
        (0.0, TrophicState.OLIGOTROPHIC),
        (math.nextafter(30, 0), TrophicState.OLIGOTROPHIC),
        (30.0, TrophicState.MESOTROPHIC),
        (50.0, TrophicState.MESOTROPHIC),
        (math.nextafter(50, 100), TrophicState.LIGHTLY_EUTROPHIC),
        (60.0, TrophicState.LIGHTLY_EUTROPHIC),
        (math.nextafter(60, 100), TrophicState.MODERATELY_EUTROPHIC),
        (70.0, TrophicState.MODERATELY_EUTROPHIC),
        (math.nextafter(70, 100), TrophicState.HYPEREUTROPHIC),
        (95.0, TrophicState.HYPEREUTROPHIC),
    ],
)
def test_trophic_state_boundaries(index: float, state: TrophicState) -> None:
    assert trophic_state(index) is state


def test_trophic_state_names() -> None:
    assert [s.value for s in TrophicState] == [
        "贫营养",
        "中营养",
        "轻度富营养",
        "中度富营养",
        "重度富营养",
    ]


# --- drinking-water sources -----------------------------------------------------------------


def test_drinking_source_compliant() -> None:
    sample = {"DO": 7, "NH3-N": 0.5, "TP": 0.05, "硫酸盐": 250, "铁": 0.2, "TN": 4.0}
    result = drinking_source_compliance(sample, water_body=RIVER)
    assert result.compliant
    assert result.water_class is II
    assert result.failing_items == ()


def test_drinking_source_failing_basic_and_supplementary_items() -> None:
    sample = {"DO": 7, "NH3-N": 1.2, "Fe": 0.35, "Mn": 0.1, "硝酸盐": 12}
    result = drinking_source_compliance(sample, water_body=LAKE)
    assert not result.compliant
    assert result.water_class is IV
    assert result.failing_items == ("w21003", "w20125", "w21007")


# --- trophic items and the city water quality index (CWQI) ---------------------------------


@pytest.mark.parametrize(
    ("name", "code"),
    [("叶绿素a", "chla"), ("Chl-a", "chla"), ("CHLA", "chla"), ("透明度", "sd"), ("SD", "sd")],
)
def test_lookup_item_finds_trophic_items(name: str, code: str) -> None:
    assert lookup_item(name).code == code
    assert lookup_item(name) is TROPHIC_ITEMS[code]


def test_lookup_item_prefers_gb3838_and_refuses_unknown_names() -> None:
    assert lookup_item("总磷").code == "w21011"
    with pytest.raises(UnknownParameterError):
        lookup_item("电导率")


def test_tli_items_map_onto_the_tli_keywords() -> None:
    assert set(TLI_ITEMS.values()) == set(TLI_CORRELATIONS)
    assert all(code in TROPHIC_ITEMS or code in PARAMETERS for code in TLI_ITEMS)


@pytest.mark.parametrize(
    ("parameter", "value", "body", "index"),
    [
        ("w21011", 0.1, WaterBody.RIVER, 0.5),  # C / C_III = 0.1 / 0.2
        ("w21011", 0.1, WaterBody.LAKE_RESERVOIR, 2.0),  # lake C_III 0.05
        ("w21003", 1.5, WaterBody.RIVER, 1.5),
        ("w01009", 10.0, WaterBody.RIVER, 0.5),  # C_III / C = 5 / 10
        ("w01001", 6.5, WaterBody.RIVER, 0.5),  # (7 − 6.5) / (7 − 6)
        ("w01001", 8.0, WaterBody.RIVER, 0.5),  # (8 − 7) / (9 − 7)
        ("w01001", 7.0, WaterBody.RIVER, 0.0),
    ],
)
def test_cwqi_item(parameter: str, value: float, body: WaterBody, index: float) -> None:
    assert cwqi_item(parameter, value, water_body=body) == pytest.approx(index)


def test_cwqi_refuses_items_outside_the_21_and_zero_oxygen() -> None:
    with pytest.raises(ValueError, match="not one of the 21"):
        cwqi_item("TN", 1.0, water_body=WaterBody.RIVER)
    with pytest.raises(ValueError, match="dissolved oxygen of 0"):
        cwqi_item("DO", 0.0, water_body=WaterBody.RIVER)
    with pytest.raises(ValueError, match="negative"):
        cwqi_item("TP", -1.0, water_body=WaterBody.RIVER)


def test_section_cwqi_sums_the_assessed_items_present() -> None:
    sample = {"TP": 0.1, "NH3-N": 1.5, "DO": 10.0, "TN": 9.0, "水温": 20.0}
    assert section_cwqi(sample, water_body=WaterBody.RIVER) == pytest.approx(2.5)
    with pytest.raises(ValueError, match="no item assessed"):
        section_cwqi({"TN": 1.0}, water_body=WaterBody.RIVER)
