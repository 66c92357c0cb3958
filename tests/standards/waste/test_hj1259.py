"""HJ 1259-2022 management classes (4.2.1, 4.2.3) and deadlines (5.2.2, 7.2); GOVERNANCE.md §1.3."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ecogov.standards.periods import parse_period
from ecogov.standards.waste.hj1259 import (
    KEY_THRESHOLD_T,
    SIMPLIFIED_THRESHOLD_T,
    Hj1259Error,
    ManagementClass,
    annual_quantity,
    declaration_due,
    declarations_due,
    management_class,
    plan_due,
)

KEY, SIMPLIFIED, REGISTRATION = (
    ManagementClass.KEY,
    ManagementClass.SIMPLIFIED,
    ManagementClass.REGISTRATION,
)


@pytest.mark.parametrize(
    ("tonnes", "expected"),
    [
        (100.0, KEY),  # "100 t 及以上"
        (99.999, SIMPLIFIED),
        (10.0, SIMPLIFIED),  # "10 t 及以上"
        (9.999, REGISTRATION),  # "10 t 以下"
        (0.0, REGISTRATION),
    ],
)
def test_thresholds_include_their_bound(tonnes: float, expected: ManagementClass) -> None:
    assert management_class(tonnes) is expected


def test_a_facility_or_a_licence_makes_a_key_unit() -> None:
    assert management_class(0.5, own_facility=True) is KEY
    assert management_class(0.5, licensed=True) is KEY
    assert KEY.zh == "危险废物环境重点监管单位"


@given(st.floats(0, 1e6), st.booleans(), st.booleans())
def test_class_is_monotone_in_quantity(tonnes: float, facility: bool, licence: bool) -> None:
    order = [REGISTRATION, SIMPLIFIED, KEY]
    low = management_class(tonnes, own_facility=facility, licensed=licence)
    high = management_class(tonnes + 1, own_facility=facility, licensed=licence)
    assert order.index(high) >= order.index(low)
    assert (low is KEY) == (tonnes >= KEY_THRESHOLD_T or facility or licence)
    if low is REGISTRATION:
        assert tonnes < SIMPLIFIED_THRESHOLD_T


@pytest.mark.parametrize("bad", [-1.0, float("nan")])
def test_bad_quantities_are_refused_in_chinese(bad: float) -> None:
    with pytest.raises(Hj1259Error) as caught:
        management_class(bad)
    assert "不小于 0" in caught.value.zh


def test_annual_quantity_of_4_2_3() -> None:
    assert annual_quantity([500.0, 20.0, 30.0, 25.0]) == 30.0  # ≥ 3 years: last 3 only
    assert annual_quantity([12.0, 8.0]) == 12.0  # 1–3 years: any year in operation
    assert annual_quantity([], [40.0, 60.0]) == 60.0  # < 1 year: larger documented figure
    assert annual_quantity([1.0, 1.0, 1.0], [150.0], intermittent_over_3_years=True) == 150.0
    with pytest.raises(Hj1259Error) as caught:
        annual_quantity([])
    assert "4.2.3" in caught.value.zh


def test_plan_is_filed_by_31_march() -> None:
    assert plan_due(2025) == date(2025, 3, 31)


@pytest.mark.parametrize(
    ("cls", "period", "due"),
    [
        (KEY, "2024-05", date(2024, 6, 15)),
        (KEY, "2024-12", date(2025, 1, 15)),
        (KEY, "2024", date(2025, 3, 31)),
        (SIMPLIFIED, "2024-Q1", date(2024, 4, 15)),
        (SIMPLIFIED, "2024-Q4", date(2025, 1, 15)),
        (SIMPLIFIED, "2024", date(2025, 3, 31)),
        (REGISTRATION, "2024", date(2025, 3, 31)),
    ],
)
def test_declaration_deadlines_of_7_2(cls: ManagementClass, period: str, due: date) -> None:
    assert declaration_due(cls, parse_period(period)) == due


@pytest.mark.parametrize(
    ("cls", "period"), [(SIMPLIFIED, "2024-05"), (REGISTRATION, "2024-Q1"), (KEY, "2024-Q1")]
)
def test_a_class_without_that_duty_is_refused(cls: ManagementClass, period: str) -> None:
    with pytest.raises(Hj1259Error) as caught:
        declaration_due(cls, parse_period(period))
    assert "7.2" in caught.value.zh


def test_a_years_duties() -> None:
    assert len(declarations_due(KEY, 2024)) == 13
    assert len(declarations_due(SIMPLIFIED, 2024)) == 5
    only = declarations_due(REGISTRATION, 2024)
    assert [(p.label, d) for p, d in only] == [("2024", date(2025, 3, 31))]
    dues = [d for _, d in declarations_due(KEY, 2024)]
    assert dues == sorted(dues)
