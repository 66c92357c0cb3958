"""HJ 1259-2022 《危险废物管理计划和管理台账制定技术导则》 (issued 2022-06-20, in force 2022-10-01;
GOVERNANCE.md §1.3, source HJ1259): the management class of a waste-generating unit (4.2.1), the
annual quantity the class is judged on (4.2.3), and the filing and declaration deadlines (5.2.2,
7.2) — pure functions over the clauses' figures, each with its clause.

A city may re-class units (4.2.2); that is a decision recorded elsewhere, not a rule here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Final

from ecogov.standards.periods import KIND_NAMES, Kind, Period, period_of

__all__ = [
    "DECLARATIONS",
    "IN_FORCE",
    "KEY_THRESHOLD_T",
    "PLAN_DUE",
    "SIMPLIFIED_THRESHOLD_T",
    "Declaration",
    "Hj1259Error",
    "ManagementClass",
    "annual_quantity",
    "declaration_due",
    "declarations_due",
    "management_class",
    "plan_due",
]

IN_FORCE: Final = date(2022, 10, 1)
"""HJ 1259-2022 applies from this date (its cover)."""
KEY_THRESHOLD_T: Final = 100.0
"""Annual generation [t] at and above which a unit is a key unit — 4.2.1 a) 1) "100 t 及以上"."""
SIMPLIFIED_THRESHOLD_T: Final = 10.0
"""Annual generation [t] at and above which a non-key unit is simplified — 4.2.1 b) "10 t 及以上";
below it the unit is registered — 4.2.1 c) "10 t 以下"."""


class Hj1259Error(ValueError):
    """Figures HJ 1259 cannot classify; ``str()`` is the zh-CN message, then the English one."""

    def __init__(self, zh: str, en: str) -> None:
        self.zh = zh
        self.en = en
        super().__init__(f"{zh} / {en}")


class ManagementClass(StrEnum):
    """The management class of a unit at one production site (同一生产经营场所), 4.2.1. The
    values are those of the bundle column ``parties.management_class``."""

    KEY = "key"
    SIMPLIFIED = "simplified"
    REGISTRATION = "registration"

    @property
    def zh(self) -> str:
        """The Chinese name of the class (4.2.1 a)–c))."""
        return _CLASS_ZH[self]


_CLASS_ZH: Final = {
    ManagementClass.KEY: "危险废物环境重点监管单位",
    ManagementClass.SIMPLIFIED: "危险废物简化管理单位",
    ManagementClass.REGISTRATION: "危险废物登记管理单位",
}


def _check_quantity(value: float, what_zh: str, what_en: str) -> None:
    if not value >= 0:  # also refuses NaN
        raise Hj1259Error(
            f"{what_zh}须为不小于 0 的吨数，而不是 {value}",
            f"{what_en} must be tonnes ≥ 0, not {value}",
        )


def management_class(
    annual_t: float, *, own_facility: bool = False, licensed: bool = False
) -> ManagementClass:
    """The class of a unit at one production site (4.2.1): key when its annual generation is
    ≥ 100 t, or it has its own utilisation/disposal facility (自行利用处置设施), or it holds a
    危险废物经营许可证; else simplified when ≥ 10 t; else registration. ``annual_t`` is the
    quantity of 4.2.3 (:func:`annual_quantity`)."""
    _check_quantity(annual_t, "危险废物年产生量", "the annual quantity")
    if annual_t >= KEY_THRESHOLD_T or own_facility or licensed:
        return ManagementClass.KEY
    if annual_t >= SIMPLIFIED_THRESHOLD_T:
        return ManagementClass.SIMPLIFIED
    return ManagementClass.REGISTRATION


def annual_quantity(
    full_years_t: Sequence[float],
    documented_t: Sequence[float] = (),
    *,
    intermittent_over_3_years: bool = False,
) -> float:
    """The annual quantity [t] a unit is classed on (4.2.3).

    ``full_years_t``: the generation of each full year in operation, oldest first.
    ``documented_t``: the quantities in the EIA documents, the discharge permit and the like.
    In operation ≥ 3 years → the largest of the last 3 years; 1–3 years → the largest year in
    operation; not yet in operation, < 1 year, or generating in cycles longer than 3 years →
    the larger documented quantity.
    """
    for value in (*full_years_t, *documented_t):
        _check_quantity(value, "年产生量", "a yearly quantity")
    if full_years_t and not intermittent_over_3_years:
        return max(full_years_t[-3:])
    if not documented_t:
        raise Hj1259Error(
            "投运不满 1 年、未投运或间歇产生周期大于 3 年的单位，须按环境影响评价文件、排污许可证"
            "副本等文件中的核算量确定年产生量（HJ 1259-2022 4.2.3），但未提供这些数量",
            "a unit with less than one full year (or generating in cycles over 3 years) is "
            "classed on the documented quantities (HJ 1259-2022 4.2.3), and none were given",
        )
    return max(documented_t)


@dataclass(frozen=True, slots=True)
class Declaration:
    """One declaration (申报) duty of 7.2: a class reports each period of ``kind`` by ``day`` of
    the month ``months_after`` months after the period ends."""

    management_class: ManagementClass
    kind: Kind
    months_after: int
    day: int
    clause: str


DECLARATIONS: Final[tuple[Declaration, ...]] = (
    Declaration(ManagementClass.KEY, "month", 1, 15, "HJ 1259-2022 7.2.1 (每月 15 日前, 上一月度)"),
    Declaration(ManagementClass.KEY, "year", 3, 31, "HJ 1259-2022 7.2.1 (每年 3 月 31 日前)"),
    Declaration(
        ManagementClass.SIMPLIFIED, "quarter", 1, 15, "HJ 1259-2022 7.2.2 (每季度首月 15 日前)"
    ),
    Declaration(
        ManagementClass.SIMPLIFIED, "year", 3, 31, "HJ 1259-2022 7.2.2 (每年 3 月 31 日前)"
    ),
    Declaration(
        ManagementClass.REGISTRATION, "year", 3, 31, "HJ 1259-2022 7.2.3 (每年 3 月 31 日前)"
    ),
)
"""The declaration duties of 7.2. "15 日前" is read as "by the 15th, inclusive" [D]."""

PLAN_DUE: Final = (3, 31)
"""(month, day) by which the year's management plan is filed online — 5.2.2 "每年 3 月 31 日前"."""


def plan_due(year: int) -> date:
    """The day by which the management plan of ``year`` is filed (5.2.2; one plan a year per
    production site, 5.2.1)."""
    return date(year, *PLAN_DUE)


def _duty(cls: ManagementClass, kind: Kind) -> Declaration:
    for duty in DECLARATIONS:
        if duty.management_class is cls and duty.kind == kind:
            return duty
    raise Hj1259Error(
        f"{cls.zh}无按{KIND_NAMES[kind][0]}申报的要求（HJ 1259-2022 7.2）",
        f"a {cls.value} unit has no {kind} declaration (HJ 1259-2022 7.2)",
    )


def declaration_due(cls: ManagementClass, period: Period) -> date:
    """The day by which a unit of class ``cls`` declares ``period`` (a single month, quarter or
    year) — 7.2. :class:`Hj1259Error` when the class does not declare periods of that kind."""
    duty = _duty(cls, period.kind)
    month_index = period.end.year * 12 + period.end.month - 1 + duty.months_after - 1
    return date(month_index // 12, month_index % 12 + 1, duty.day)


def declarations_due(cls: ManagementClass, year: int) -> tuple[tuple[Period, date], ...]:
    """Every period of ``year`` a unit of class ``cls`` declares, with its deadline (7.2)."""
    found: list[tuple[Period, date]] = []
    for duty in DECLARATIONS:
        if duty.management_class is cls:
            day = date(year, 1, 1)
            while day.year == year:
                unit = period_of(duty.kind, day)
                found.append((unit, declaration_due(cls, unit)))
                day = unit.end
    return tuple(sorted(found, key=lambda pair: (pair[1], pair[0].first)))
