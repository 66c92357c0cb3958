"""Composite index, change rate and ranking (环办监测〔2018〕19号; VECTORS.md §5)."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ecogov.standards.editions import LimitStage
from ecogov.standards.gb3095 import Indicator
from ecogov.standards.hj663 import report_percent
from ecogov.standards.ranking import (
    change_rate,
    competition_rank,
    composite_index,
    denominators,
    period_statistics,
    rank_by_composite_index,
    rank_deterioration,
)
from ecogov.standards.rounding import InvalidValueError, Number

Ind = Indicator
S = LimitStage


def _stats(
    so2: Number, no2: Number, pm10: Number, pm25: Number, co: Number, o3: Number
) -> dict[Indicator, Number]:
    return {
        Ind.SO2: so2,
        Ind.NO2: no2,
        Ind.PM10: pm10,
        Ind.PM2_5: pm25,
        Ind.CO: co,
        Ind.O3_8H: o3,
    }


WUYUAN = _stats(11, 16, 40, 16, "0.6", 139)
WEATHER = _stats(9, 15, 39, 21, "0.7", 192)
NAIMAN = _stats(9, 14, 77, 23, "1.1", 96)
HEYUAN = _stats(3, 13, 16, 13, "0.9", 87)

# (case, published, GB 3095-2012 index, 2026 transitional, 2026 final). The 2012 column is the
# reproduction of the published index; the 2026 columns put the same inputs on the GB 3095-2026
# 二级 limits (DERIVED by hand; Naiman transitional 3.425 and July final 3.945 are exact halves,
# rounded to even).
CASES = [
    pytest.param(WUYUAN, "2.63", "2.63", "2.80", "3.54", id="Wuyuan-2023-09"),
    pytest.param(WEATHER, "3.06", "3.06", "3.25", "3.94", id="weather-article-July"),
    pytest.param(NAIMAN, "3.14", "3.13", "3.42", "4.25", id="Naiman-Q1"),
    pytest.param(HEYUAN, "1.73", "1.74", "1.84", "2.19", id="Heyuan-2022-02"),
]


@pytest.mark.parametrize(("stats", "published", "v2012", "transitional", "final"), CASES)
def test_composite_index_vectors(
    stats: dict[Indicator, Number], published: str, v2012: str, transitional: str, final: str
) -> None:
    index = composite_index(stats, S.GB3095_2012)
    assert index.reported == Decimal(v2012)
    # Naiman and Heyuan were published 0.01 off, consistent with unrounded inputs
    # (STANDARDS.md §G.9); the tolerance is the one VECTORS.md §5 asks for.
    assert abs(index.reported - Decimal(published)) <= Decimal("0.01")
    assert composite_index(stats, S.GB3095_2012_AMENDED_2018) == index
    assert composite_index(stats, S.GB3095_2026_TRANSITIONAL).reported == Decimal(transitional)
    assert composite_index(stats, S.GB3095_2026_FINAL).reported == Decimal(final)


def test_composite_index_parts() -> None:
    index = composite_index(WUYUAN, S.GB3095_2012)
    assert index.sub_indices[Ind.O3_8H] == Fraction(139, 160)
    assert index.sub_indices[Ind.CO] == Fraction(3, 20)
    assert index.total == Fraction(8839, 3360)  # 2.6306…
    assert index.primary == (Ind.O3_8H,)


def test_composite_index_rounds_statistics_first() -> None:
    # 15.6 µg/m³ is reported as 16 and 0.64 mg/m³ as 0.6 before dividing.
    unrounded = WUYUAN | {Ind.PM2_5: "15.6", Ind.CO: "0.64"}
    assert composite_index(unrounded, S.GB3095_2012) == composite_index(WUYUAN, S.GB3095_2012)


@pytest.mark.parametrize(
    ("stage", "expected"),
    [
        (S.GB3095_2012, (60, 40, 70, 35, 4, 160)),
        (S.GB3095_2026_TRANSITIONAL, (60, 40, 60, 30, 4, 160)),
        (S.GB3095_2026_FINAL, (20, 30, 50, 25, 4, 160)),
    ],
)
def test_denominators_follow_gb3095(stage: LimitStage, expected: tuple[int, ...]) -> None:
    order = (Ind.SO2, Ind.NO2, Ind.PM10, Ind.PM2_5, Ind.CO, Ind.O3_8H)
    limits = denominators(stage)
    assert tuple(limits[indicator] for indicator in order) == tuple(map(Decimal, expected))


def test_period_statistics() -> None:
    daily: dict[Ind, list[Number]] = {
        ind: [1, 2, 3] for ind in (Ind.SO2, Ind.NO2, Ind.PM10, Ind.PM2_5)
    }
    daily |= {Ind.CO: ["0.5", "0.7", "1.1"], Ind.O3_8H: [3, 4, 8, 2, 5, 4]}
    stats = period_statistics(daily)
    assert stats[Ind.SO2] == 2
    assert stats[Ind.CO] == Fraction(106, 100)  # p95
    assert stats[Ind.O3_8H] == Fraction(13, 2)  # p90, VECTORS.md §3


def test_change_rate() -> None:
    rate = change_rate("2.50", "2.63")
    assert rate == Fraction(-13, 263)
    assert report_percent(rate) == Decimal("-4.9")
    assert change_rate(3, 3) == 0
    assert change_rate("3.3", 3) > 0
    with pytest.raises(InvalidValueError):
        change_rate(1, 0)


def test_competition_rank_ties_share_a_rank() -> None:
    assert competition_rank({"a": 1, "b": 2, "c": 2, "d": 3}) == {"a": 1, "b": 2, "c": 2, "d": 4}
    assert competition_rank({"a": 1, "b": 2, "c": 2, "d": 3}, descending=True) == {
        "a": 4,
        "b": 2,
        "c": 2,
        "d": 1,
    }
    assert competition_rank({}) == {}


def test_rank_by_composite_index_uses_the_reported_value() -> None:
    indices = {
        "Wuyuan": composite_index(WUYUAN, S.GB3095_2012),  # 2.6307 → 2.63
        "twin": composite_index(WUYUAN | {Ind.NO2: "15.9"}, S.GB3095_2012),  # 16 as reported
        "Heyuan": composite_index(HEYUAN, S.GB3095_2012),
        "Naiman": composite_index(NAIMAN, S.GB3095_2012),
    }
    assert rank_by_composite_index(indices) == {"Heyuan": 1, "Wuyuan": 2, "twin": 2, "Naiman": 4}
    near = {
        "a": composite_index(WUYUAN, S.GB3095_2012),
        "b": composite_index(WUYUAN | {Ind.SO2: 12}, S.GB3095_2012),  # 2.6473 → 2.65
    }
    assert rank_by_composite_index(near) == {"a": 1, "b": 2}


def test_rank_deterioration_excludes_fully_attaining_cities() -> None:
    rates = {
        "a": Fraction(1, 10),
        "b": Fraction(-1, 10),
        "c": Fraction(1, 10),
        "d": Fraction(3, 10),
    }
    assert rank_deterioration(rates, fully_attaining={"d"}) == {"a": 1, "c": 1, "b": 3}


@settings(max_examples=100, deadline=None)
@given(st.dictionaries(st.integers(), st.integers(min_value=-5, max_value=5), max_size=30))
def test_competition_rank_is_one_plus_the_number_strictly_better(values: dict[int, int]) -> None:
    ranks = competition_rank(values)
    for key, value in values.items():
        assert ranks[key] == 1 + sum(other < value for other in values.values())
