"""Tests for ecogov.standards.gb3838 (GB 3838-2002 limits, single-factor and section classes).

Vectors from VECTORS.md §7 (derived from GB 3838-2002 Table 1) and every limit edge of Table 1.
"""

from __future__ import annotations

import math
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ecogov.standards.gb3838 import (
    ASSESSED_ITEMS,
    GB3838_2002,
    HJ212_FACTORS,
    PARAMETERS,
    TABLE1,
    TABLE2,
    Direction,
    NoLimitError,
    UnknownParameterError,
    WaterBody,
    WaterClass,
    canonical_concentrations,
    class_limits,
    from_hj212,
    item_classes,
    lookup_parameter,
    meets_supplementary_limit,
    section_class,
    single_factor_class,
    to_standard_unit,
)
from ecogov.standards.units import IncompatibleUnitsError

I, II, III, IV, V, WORSE = (  # noqa: E741  (class names of the standard)
    WaterClass.I,
    WaterClass.II,
    WaterClass.III,
    WaterClass.IV,
    WaterClass.V,
    WaterClass.WORSE_THAN_V,
)
RIVER, LAKE = WaterBody.RIVER, WaterBody.LAKE_RESERVOIR


# --- VECTORS.md §7 --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("item", "value", "body", "expected"),
    [
        ("DO", 7.5, RIVER, I),
        ("DO", 7.49, RIVER, II),
        ("DO", 5.0, RIVER, III),
        ("DO", 4.99, RIVER, IV),
        ("DO", 2.0, RIVER, V),
        ("DO", 1.99, RIVER, WORSE),
        ("COD", 15, RIVER, I),
        ("COD", 15.1, RIVER, III),
        ("COD", 40, RIVER, V),
        ("COD", 40.1, RIVER, WORSE),
        ("TP", 0.1, RIVER, II),
        ("TP", 0.1, LAKE, IV),
        ("TP", 0.025, LAKE, II),
        ("NH3-N", 1.0, RIVER, III),
        ("NH3-N", 1.01, RIVER, IV),
        ("Hg", 0.00005, RIVER, I),
        ("Hg", 0.00006, RIVER, III),
        ("Hg", 0.0001, RIVER, III),
        ("Hg", 0.0011, RIVER, WORSE),
        ("Cu", 0.5, RIVER, II),
        ("pH", 5.9, RIVER, WORSE),
        ("pH", 6, RIVER, I),
        ("pH", 9, RIVER, I),
        ("pH", 9.1, RIVER, WORSE),
        ("粪大肠菌群", 10000, RIVER, III),
        ("粪大肠菌群", 10001, RIVER, IV),
    ],
)
def test_vectors_single_factor(
    item: str, value: float, body: WaterBody, expected: WaterClass
) -> None:
    assert single_factor_class(item, value, water_body=body) is expected


def test_vectors_section_class() -> None:
    sample = {"DO": 6.5, "CODMn": 4.5, "NH3-N": 0.4, "TP": 0.25, "TN": 3.0}
    assert item_classes(sample, water_body=RIVER) == {
        "w01009": II,
        "w01019": III,
        "w21003": II,
        "w21011": IV,
        "w21001": WORSE,
    }
    assert section_class(sample, water_body=RIVER) is IV


# --- every limit edge of Table 1 ------------------------------------------------------------

# item → [(limit, class at the limit, class just beyond it)]; "beyond" is above the limit, or
# below it for dissolved oxygen. Shared limits take the better class.
UPPER_EDGES: dict[str, list[tuple[float, WaterClass, WaterClass]]] = {
    "高锰酸盐指数": [(2, I, II), (4, II, III), (6, III, IV), (10, IV, V), (15, V, WORSE)],
    "化学需氧量": [(15, I, III), (20, III, IV), (30, IV, V), (40, V, WORSE)],
    "五日生化需氧量": [(3, I, III), (4, III, IV), (6, IV, V), (10, V, WORSE)],
    "氨氮": [(0.15, I, II), (0.5, II, III), (1.0, III, IV), (1.5, IV, V), (2.0, V, WORSE)],
    "总氮": [(0.2, I, II), (0.5, II, III), (1.0, III, IV), (1.5, IV, V), (2.0, V, WORSE)],
    "铜": [(0.01, I, II), (1.0, II, WORSE)],
    "锌": [(0.05, I, II), (1.0, II, IV), (2.0, IV, WORSE)],
    "氟化物": [(1.0, I, IV), (1.5, IV, WORSE)],
    "硒": [(0.01, I, IV), (0.02, IV, WORSE)],
    "砷": [(0.05, I, IV), (0.1, IV, WORSE)],
    "汞": [(0.00005, I, III), (0.0001, III, IV), (0.001, IV, WORSE)],
    "镉": [(0.001, I, II), (0.005, II, V), (0.01, V, WORSE)],
    "六价铬": [(0.01, I, II), (0.05, II, V), (0.1, V, WORSE)],
    "铅": [(0.01, I, III), (0.05, III, V), (0.1, V, WORSE)],
    "氰化物": [(0.005, I, II), (0.05, II, III), (0.2, III, WORSE)],
    "挥发酚": [(0.002, I, III), (0.005, III, IV), (0.01, IV, V), (0.1, V, WORSE)],
    "石油类": [(0.05, I, IV), (0.5, IV, V), (1.0, V, WORSE)],
    "阴离子表面活性剂": [(0.2, I, IV), (0.3, IV, WORSE)],
    "硫化物": [(0.05, I, II), (0.1, II, III), (0.2, III, IV), (0.5, IV, V), (1.0, V, WORSE)],
    "粪大肠菌群": [
        (200, I, II),
        (2000, II, III),
        (10000, III, IV),
        (20000, IV, V),
        (40000, V, WORSE),
    ],
}
TP_EDGES = {
    RIVER: [(0.02, I, II), (0.1, II, III), (0.2, III, IV), (0.3, IV, V), (0.4, V, WORSE)],
    LAKE: [(0.01, I, II), (0.025, II, III), (0.05, III, IV), (0.1, IV, V), (0.2, V, WORSE)],
}
DO_EDGES = [(7.5, I, II), (6, II, III), (5, III, IV), (3, IV, V), (2, V, WORSE)]

_UPPER_CASES = [
    (item, limit, at, beyond, body)
    for item, edges in UPPER_EDGES.items()
    for limit, at, beyond in edges
    for body in WaterBody
] + [
    ("总磷", limit, at, beyond, body)
    for body, edges in TP_EDGES.items()
    for limit, at, beyond in edges
]


@pytest.mark.parametrize(("item", "limit", "at", "beyond", "body"), _UPPER_CASES)
def test_upper_limit_edges(
    item: str, limit: float, at: WaterClass, beyond: WaterClass, body: WaterBody
) -> None:
    assert single_factor_class(item, limit, water_body=body) is at
    above = math.nextafter(limit, math.inf)
    assert single_factor_class(item, above, water_body=body) is beyond


@pytest.mark.parametrize(("limit", "at", "beyond"), DO_EDGES)
@pytest.mark.parametrize("body", list(WaterBody))
def test_dissolved_oxygen_edges(
    limit: float, at: WaterClass, beyond: WaterClass, body: WaterBody
) -> None:
    assert single_factor_class("溶解氧", limit, water_body=body) is at
    below = math.nextafter(limit, -math.inf)
    assert single_factor_class("溶解氧", below, water_body=body) is beyond


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (6.0, I),
        (math.nextafter(6.0, -math.inf), WORSE),
        (9.0, I),
        (math.nextafter(9.0, math.inf), WORSE),
        (7.0, I),
        (0.0, WORSE),
        (14.0, WORSE),
    ],
)
def test_ph_range_edges(value: float, expected: WaterClass) -> None:
    assert single_factor_class("pH", value, water_body=RIVER) is expected


def test_edge_tables_cover_every_classifiable_item() -> None:
    covered = {lookup_parameter(item).code for item in UPPER_EDGES} | {"w21011", "w01009"}
    assert covered | {"w01001"} == set(TABLE1[RIVER].limits)


def test_zero_concentration_is_class_one_and_zero_do_is_worst() -> None:
    assert single_factor_class("TP", 0, water_body=RIVER) is I
    assert single_factor_class("DO", 0, water_body=RIVER) is WORSE


# --- limit tables as data -------------------------------------------------------------------


def test_edition() -> None:
    assert GB3838_2002.code == "GB 3838-2002"
    assert GB3838_2002.effective == date(2002, 6, 1)
    assert all(table.edition is GB3838_2002 for table in TABLE1.values())
    assert TABLE2.edition is GB3838_2002


def test_table1_shape_and_directions() -> None:
    for body, table in TABLE1.items():
        assert table.water_body is body
        assert len(table.limits) == 23  # Table 1 has 24 items; water temperature has no classes
        for code, limits in table.limits.items():
            assert code in PARAMETERS
            if limits.direction is Direction.NOT_ABOVE:
                assert limits.upper is not None
                assert list(limits.upper) == sorted(limits.upper)
            elif limits.direction is Direction.NOT_BELOW:
                assert code == "w01009"
                assert limits.lower == (7.5, 6, 5, 3, 2)
            else:
                assert code == "w01001"
                assert (limits.lower, limits.upper) == ((6,) * 5, (9,) * 5)


def test_only_total_phosphorus_differs_between_water_bodies() -> None:
    river, lake = TABLE1[RIVER].limits, TABLE1[LAKE].limits
    assert [code for code in river if river[code] != lake[code]] == ["w21011"]
    assert class_limits("TP", water_body=LAKE).upper == (0.01, 0.025, 0.05, 0.1, 0.2)


def test_table2_limits() -> None:
    named = {PARAMETERS[code].name_zh: limit for code, limit in TABLE2.limits.items()}
    assert named == {"硫酸盐": 250, "氯化物": 250, "硝酸盐": 10, "铁": 0.3, "锰": 0.1}


def test_assessed_items_of_2011_method() -> None:
    assert len(ASSESSED_ITEMS) == 21
    assert not {"w01010", "w21001", "w02003"} & set(ASSESSED_ITEMS)
    assert set(ASSESSED_ITEMS) | {"w21001", "w02003"} == set(TABLE1[RIVER].limits)


def test_items_without_class_limits_raise() -> None:
    with pytest.raises(NoLimitError, match="水温"):
        single_factor_class("水温", 20, water_body=RIVER)
    with pytest.raises(NoLimitError, match="铁"):
        class_limits("Fe", water_body=RIVER)


@pytest.mark.parametrize("value", [-0.01, math.nan, math.inf, -math.inf])
def test_invalid_values_raise(value: float) -> None:
    with pytest.raises(ValueError, match="氨氮"):
        single_factor_class("NH3-N", value, water_body=RIVER)


def test_ph_above_14_raises() -> None:
    with pytest.raises(ValueError, match="pH"):
        single_factor_class("pH", 14.5, water_body=RIVER)


def test_supplementary_limits() -> None:
    assert meets_supplementary_limit("铁", 0.3)
    assert not meets_supplementary_limit("铁", math.nextafter(0.3, math.inf))
    assert meets_supplementary_limit("硝酸盐", 10)
    with pytest.raises(NoLimitError, match="Table 2"):
        meets_supplementary_limit("NH3-N", 0.1)
    with pytest.raises(ValueError, match="negative"):
        meets_supplementary_limit("Mn", -1)


# --- alias lookup ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("pH", "w01001"),
        ("DO", "w01009"),
        ("CODMn", "w01019"),
        ("COD", "w01018"),
        ("BOD5", "w01017"),
        ("NH3-N", "w21003"),
        ("TP", "w21011"),
        ("TN", "w21001"),
        ("F", "w21017"),
        ("Cu", "w20122"),
        ("Zn", "w20123"),
        ("Se", "w20128"),
        ("As", "w20141"),
        ("Hg", "w20111"),
        ("Cd", "w20115"),
        ("Cr6+", "w20117"),
        ("Pb", "w20120"),
        ("CN", "w21016"),
        ("挥发酚", "w23002"),
        ("volatile phenol", "w23002"),
        ("石油类", "w22001"),
        ("petroleum", "w22001"),
        ("LAS", "w19002"),
        ("阴离子表面活性剂", "w19002"),
        ("硫化物", "w21019"),
        ("粪大肠菌群", "w02003"),
        ("溶解氧", "w01009"),
        ("高锰酸盐指数", "w01019"),
        ("化学需氧量", "w01018"),
        ("五日生化需氧量", "w01017"),
        ("氨氮", "w21003"),
        ("总磷", "w21011"),
        ("总氮", "w21001"),
        ("铜", "w20122"),
        ("锌", "w20123"),
        ("氟化物", "w21017"),
        ("硒", "w20128"),
        ("砷", "w20141"),
        ("汞", "w20111"),
        ("镉", "w20115"),
        ("六价铬", "w20117"),
        ("铅", "w20120"),
        ("氰化物", "w21016"),
        # HJ 212 codes, including the alternative heavy-metal series
        ("w21003", "w21003"),
        ("W01018", "w01018"),
        ("w20119", "w20141"),
        ("w20142", "w20111"),
        ("w20144", "w20120"),
        ("总汞", "w20111"),
        # case, width and separator insensitivity
        ("ＮＨ３－Ｎ", "w21003"),
        ("nh3n", "w21003"),
        ("NH₃-N", "w21003"),
        ("codmn", "w01019"),
        (" tp ", "w21011"),
        ("Cr(VI)", "w20117"),
        ("CR6+", "w20117"),
        ("ｐＨ", "w01001"),
        ("Dissolved Oxygen", "w01009"),
    ],
)
def test_lookup_parameter(name: str, code: str) -> None:
    assert lookup_parameter(name).code == code


def test_every_alias_resolves_to_its_own_parameter() -> None:
    for parameter in PARAMETERS.values():
        for name in (
            parameter.code,
            parameter.name_zh,
            parameter.name_en,
            *parameter.abbreviations,
        ):
            assert lookup_parameter(name) is parameter, name


def test_unknown_parameter_raises_typed_error() -> None:
    with pytest.raises(UnknownParameterError, match=r"'叶绿素x'.*HJ 212 code"):
        lookup_parameter("叶绿素x")
    assert issubclass(UnknownParameterError, LookupError)


def test_parameter_metadata() -> None:
    tp = lookup_parameter("TP")
    assert (tp.name_zh, tp.name_en, tp.unit) == ("总磷", "total phosphorus", "mg/L")
    assert lookup_parameter("FC").unit == "个/L"
    assert lookup_parameter("pH").unit == "dimensionless"


# --- units before classifying ---------------------------------------------------------------


def test_hj212_default_units_of_heavy_metals() -> None:
    micro = {code for code, factor in HJ212_FACTORS.items() if factor.unit == "µg/L"}
    assert micro == {"w20111", "w20115", "w20117", "w20119", "w20120", "w20128", "w20142", "w20143"}
    assert all(factor.parameter in PARAMETERS for factor in HJ212_FACTORS.values())


def test_cadmium_5_ug_per_litre_is_class_two() -> None:
    cadmium = from_hj212("w20115", 5)
    assert cadmium == 0.005
    # 0.005 mg/L exceeds class I (0.001) and sits on the II–IV shared limit → II.
    assert single_factor_class("Cd", cadmium, water_body=RIVER) is II


@pytest.mark.parametrize(
    ("code", "value", "expected"),
    [
        ("w20111", 0.05, 0.00005),  # total Hg [µg/L]
        ("w20142", 0.1, 0.0001),  # Hg [µg/L]
        ("w20120", 50, 0.05),  # total Pb [µg/L]
        ("w20144", 0.05, 0.05),  # Pb [mg/L]
        ("w20119", 10, 0.01),  # total As [µg/L]
        ("w21003", 0.5, 0.5),
        ("w02003", 2000, 2000.0),
        ("w01001", 7.2, 7.2),
    ],
)
def test_from_hj212(code: str, value: float, expected: float) -> None:
    assert from_hj212(code, value) == expected


def test_from_hj212_unknown_code() -> None:
    with pytest.raises(UnknownParameterError, match="a21026"):
        from_hj212("a21026", 5)


def test_to_standard_unit() -> None:
    assert to_standard_unit("Hg", 0.05, "µg/L") == 0.00005
    assert single_factor_class("Hg", to_standard_unit("Hg", 0.05, "ug/L"), water_body=RIVER) is I
    assert to_standard_unit("粪大肠菌群", 1000, "MPN/100mL") == 10000
    with pytest.raises(IncompatibleUnitsError):
        to_standard_unit("Cd", 5, "个/L")


# --- section class --------------------------------------------------------------------------


def test_section_excludes_reference_items_and_temperature() -> None:
    sample = {"水温": 35.0, "DO": 8.0, "TN": 5.0, "粪大肠菌群": 90000, "硫酸盐": 400}
    for body in WaterBody:
        assert section_class(sample, water_body=body) is I
    assert item_classes(sample, water_body=LAKE) == {"w01009": I, "w21001": WORSE, "w02003": WORSE}


def test_section_uses_lake_tp_limits() -> None:
    sample = {"DO": 8.0, "TP": 0.08}
    assert section_class(sample, water_body=RIVER) is II
    assert section_class(sample, water_body=LAKE) is IV


def test_section_without_assessed_items_raises() -> None:
    with pytest.raises(ValueError, match="no item assessed"):
        section_class({"TN": 0.3, "水温": 20}, water_body=LAKE)


def test_duplicate_parameter_keys_raise() -> None:
    with pytest.raises(ValueError, match="w21011 given twice"):
        canonical_concentrations({"TP": 0.1, "w21011": 0.2})


def test_unknown_key_in_sample_raises() -> None:
    with pytest.raises(UnknownParameterError):
        section_class({"DO": 7.0, "XYZ": 1.0}, water_body=RIVER)


def test_water_class_order_and_labels() -> None:
    assert [c.label for c in WaterClass] == ["I", "II", "III", "IV", "V", "劣V"]
    assert WaterClass.WORSE_THAN_V.label_zh == "劣Ⅴ类"
    assert I < II < III < IV < V < WORSE
    assert max(II, WORSE, IV) is WORSE


# --- properties -----------------------------------------------------------------------------

_POLLUTANTS = sorted(code for code in TABLE1[RIVER].limits if code not in {"w01001", "w01009"})
_VALUES = st.floats(min_value=0, max_value=60000, allow_nan=False, allow_infinity=False)


@given(st.sampled_from(_POLLUTANTS), st.sampled_from(list(WaterBody)), _VALUES, _VALUES)
def test_raising_a_pollutant_never_improves_its_class(
    code: str, body: WaterBody, a: float, b: float
) -> None:
    low, high = sorted((a, b))
    assert single_factor_class(code, low, water_body=body) <= single_factor_class(
        code, high, water_body=body
    )


@given(
    st.floats(min_value=0, max_value=20, allow_nan=False),
    st.floats(min_value=0, max_value=20, allow_nan=False),
)
def test_lowering_dissolved_oxygen_never_improves_its_class(a: float, b: float) -> None:
    low, high = sorted((a, b))
    assert single_factor_class("DO", low, water_body=RIVER) >= single_factor_class(
        "DO", high, water_body=RIVER
    )


_SAMPLE_VALUES = {
    code: st.floats(min_value=0, max_value=14 if code == "w01001" else 50000, allow_nan=False)
    for code in TABLE1[RIVER].limits
}


@given(
    st.sampled_from(list(WaterBody)),
    st.fixed_dictionaries({}, optional=_SAMPLE_VALUES).filter(
        lambda sample: any(code in ASSESSED_ITEMS for code in sample)
    ),
)
def test_section_class_is_worst_assessed_item(body: WaterBody, sample: dict[str, float]) -> None:
    expected = max(
        single_factor_class(code, value, water_body=body)
        for code, value in sample.items()
        if code in ASSESSED_ITEMS
    )
    assert section_class(sample, water_body=body) is expected
