"""Code tables: Appendix B rows, the 2005 ↔ 2017 mapping, units and aliases."""

from __future__ import annotations

from dataclasses import replace

from ecogov.standards.hj212 import (
    AIR_FACTORS,
    COMMAND_CODES,
    HJ212_2017,
    SYSTEM_CODES,
    WATER_FACTORS,
    code_2005_to_2017,
    code_2017_to_2005,
    lookup_factor,
)
from ecogov.standards.hj212.codes import UNIT_ANOMALIES, UNIT_SYMBOLS, ValueKind


def test_appendix_b_sizes_and_rows() -> None:
    assert len(WATER_FACTORS) == 63
    assert len(AIR_FACTORS) == 121
    cod = WATER_FACTORS["w01018"]
    assert (cod.name.zh, cod.code_2005, cod.concentration_unit, cod.emission_unit) == (
        "化学需氧量",
        "011",
        "毫克/升",
        "千克",
    )
    assert cod.data_type == "N5.1"
    assert WATER_FACTORS["w20111"].concentration_unit == "微克/升"
    assert AIR_FACTORS["a21026"].code_2005 == "02"


def test_2005_2017_mapping() -> None:
    pairs = {"011": "w01018", "060": "w21003", "065": "w21001", "101": "w21011", "B01": "w00000"}
    pairs |= {"02": "a21026", "03": "a21002", "01": "a34013", "B02": "a00000", "S01": "a19001"}
    for old, new in pairs.items():
        assert code_2005_to_2017(old) == new
        assert code_2017_to_2005(new) == old
    assert code_2005_to_2017("999") is None
    assert code_2017_to_2005("w01009") is None


def test_every_unit_has_a_symbol() -> None:
    for factor in (*WATER_FACTORS.values(), *AIR_FACTORS.values()):
        assert factor.concentration_unit in UNIT_SYMBOLS
        assert factor.emission_unit is None or factor.emission_unit in UNIT_SYMBOLS


def test_unit_anomalies_and_profile_overrides() -> None:
    assert AIR_FACTORS["a34004"].concentration_unit == "纳克/立方米"  # as printed
    assert UNIT_ANOMALIES["a34004"] == "µg/m³"
    device = replace(HJ212_2017, unit_overrides=(("a34004", "µg/m³"),))
    assert device.unit_for("a34004") == "µg/m³"
    assert device.unit_for("a21026") == "毫克/立方米"
    assert device.unit_for("zzz") is None


def test_ozone_alias() -> None:
    ozone = lookup_factor("O3")
    assert ozone is not None
    assert ozone.code == "a05024"


def test_tables_5_and_9() -> None:
    assert SYSTEM_CODES["32"].zh == "地表水体环境污染源"
    assert COMMAND_CODES["2061"].editions == (2017,)
    assert COMMAND_CODES["2072"].editions == (2005,)
    assert ValueKind("number") is ValueKind.NUMBER
