"""Tests for ecogov.standards.units (water concentration unit conversion)."""

from __future__ import annotations

import math
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ecogov.standards.units import (
    UNITS,
    IncompatibleUnitsError,
    Quantity,
    UnknownUnitError,
    convert,
    lookup_unit,
)


@pytest.mark.parametrize(
    ("value", "source", "target", "expected"),
    [
        (5, "µg/L", "mg/L", 0.005),  # HJ 212 w20115 total Cd default unit → GB 3838 unit
        (0.05, "µg/L", "mg/L", 0.00005),  # Hg class I/II limit
        (50, "µg/L", "mg/L", 0.05),
        (1, "mg/L", "µg/L", 1000.0),
        (0.3, "mg/L", "µg/L", 300.0),
        (1500, "ng/L", "µg/L", 1.5),
        (2, "g/L", "mg/L", 2000.0),
        (10, "mg/m³", "µg/L", 10.0),  # chlorophyll a
        (1000, "个/100mL", "个/L", 10000.0),
        (3, "个/mL", "个/L", 3000.0),
        (7.25, "dimensionless", "无量纲", 7.25),
        (18.5, "℃", "°C", 18.5),
    ],
)
def test_convert_known_values(value: float, source: str, target: str, expected: float) -> None:
    assert convert(value, source, target) == expected


def test_convert_has_no_binary_drift() -> None:
    # Naive scaling drifts: 0.07 / 1000 == 7.000000000000001e-05.
    assert 0.07 / 1000 != 0.00007
    assert convert(0.07, "µg/L", "mg/L") == 0.00007
    assert convert(0.035, "µg/L", "mg/L") == 0.000035


@pytest.mark.parametrize(
    ("spelling", "symbol"),
    [
        ("ug/l", "µg/L"),
        ("μg/L", "µg/L"),  # Greek mu
        ("µg/L", "µg/L"),  # micro sign
        ("微克/升", "µg/L"),
        ("mg/m3", "µg/L"),
        ("毫克/立方米", "µg/L"),
        ("ＭＧ／Ｌ", "mg/L"),
        (" mg / L ", "mg/L"),
        ("毫克/升", "mg/L"),
        ("纳克/升", "ng/L"),
        ("MPN/L", "个/L"),
        ("cfu/100ml", "个/100mL"),
        ("个/升", "个/L"),
        ("无量纲", "dimensionless"),
        ("摄氏度", "℃"),
    ],
)
def test_lookup_unit_accepts_spellings(spelling: str, symbol: str) -> None:
    assert lookup_unit(spelling).symbol == symbol


def test_every_unit_resolves_to_itself() -> None:
    for unit in UNITS.values():
        for spelling in (unit.symbol, unit.name_zh, *unit.aliases):
            assert lookup_unit(spelling) is unit


def test_unknown_unit_raises() -> None:
    with pytest.raises(UnknownUnitError, match="furlong"):
        lookup_unit("furlong/L")


def test_incompatible_units_raise() -> None:
    with pytest.raises(IncompatibleUnitsError, match="个/L"):
        convert(1, "mg/L", "个/L")
    with pytest.raises(IncompatibleUnitsError):
        convert(7, "dimensionless", "mg/L")


def test_quantities_of_base_units() -> None:
    assert lookup_unit("mg/L").quantity is Quantity.MASS_CONCENTRATION
    assert lookup_unit("mg/L").exponent == 0
    assert lookup_unit("个/L").quantity is Quantity.COUNT_CONCENTRATION
    assert lookup_unit("个/L").exponent == 0


def test_non_finite_values_pass_through() -> None:
    assert math.isnan(convert(math.nan, "µg/L", "mg/L"))
    assert convert(math.inf, "µg/L", "mg/L") == math.inf


_DECIMALS = st.decimals(min_value=0, max_value=10**6, places=6, allow_nan=False).map(float)


@given(_DECIMALS)
def test_round_trip_is_exact(value: float) -> None:
    for unit in ("µg/L", "ng/L", "g/L"):
        assert convert(convert(value, "mg/L", unit), unit, "mg/L") == value


@given(_DECIMALS)
def test_conversion_equals_exact_decimal_shift(value: float) -> None:
    assert convert(value, "mg/L", "µg/L") == float(Decimal(repr(value)) * 1000)


def test_secchi_depth_converts_between_centimetres_and_metres() -> None:
    assert convert(120, "cm", "m") == 1.2
    assert convert(0.45, "米", "厘米") == 45.0
    assert lookup_unit("cm").quantity is Quantity.LENGTH
    with pytest.raises(IncompatibleUnitsError):
        convert(1, "m", "mg/L")
