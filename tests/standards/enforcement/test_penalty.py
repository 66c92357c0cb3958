"""Penalty time limits and the daily continuous penalty (GOVERNANCE.md §3)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ecogov.standards.enforcement.penalty import (
    CODE_IN_FORCE,
    PROCEDURE_LIMITS,
    DailyPenaltyError,
    Round,
    basis_on,
    daily_penalty,
    procedure_limit,
)


def test_decision_limit_is_90_days_extendable_to_150() -> None:
    limit = procedure_limit("decision")
    assert limit.days + sum(limit.extensions) == 150
    assert not limit.working


def test_every_limit_has_basis_source_and_validity() -> None:
    assert len({limit.key for limit in PROCEDURE_LIMITS}) == len(PROCEDURE_LIMITS)
    for limit in PROCEDURE_LIMITS:
        assert limit.basis
        assert limit.source
        assert limit.days > 0
        assert limit.valid_to is None or limit.valid_from < limit.valid_to
    assert procedure_limit("hearing_request").working  # APL Art. 85: 五日 are working days


def test_worked_case_one_round() -> None:
    # Order served 2025-03-01; re-inspection on 2025-03-11 finds the discharge going on:
    # days 03-02 … 03-11 = 10; 200,000 元 × 10.
    result = daily_penalty(200_000, [Round(date(2025, 3, 1), date(2025, 3, 11))])
    assert result.days == 10
    assert result.amount == 2_000_000
    assert "环境保护法》第五十九条" in result.basis


def test_worked_case_two_rounds_accumulate_across_a_month_end() -> None:
    rounds = [
        Round(date(2025, 1, 30), date(2025, 2, 3)),
        Round(date(2025, 2, 4), date(2025, 2, 20)),
    ]
    result = daily_penalty(50_000, rounds)
    assert [r.days for r in result.rounds] == [4, 16]
    assert result.days == 20
    assert result.amount == 1_000_000


def test_after_the_code_the_basis_is_article_1060() -> None:
    result = daily_penalty(10_000, [Round(CODE_IN_FORCE, date(2026, 8, 20))])
    assert "第一千零六十条" in result.basis
    assert "第五十九条" in basis_on(date(2026, 8, 14))


def test_stopped_discharge_gives_no_daily_penalty() -> None:
    result = daily_penalty(
        10_000, [Round(date(2025, 1, 1), date(2025, 1, 5))], discharge_stopped=True
    )
    assert result.amount == 0


def test_late_reinspection_is_flagged() -> None:
    result = daily_penalty(1_000, [Round(date(2025, 1, 1), date(2025, 2, 15))])
    assert result.rounds[0].late_reinspection
    assert result.days == 45


@pytest.mark.parametrize(
    ("fine", "rounds", "words"),
    [
        (0, [Round(date(2025, 1, 1), date(2025, 1, 2))], "原处罚数额"),
        (1, [], "至少需要一轮"),
        (1, [Round(date(2025, 1, 2), date(2025, 1, 2))], "第 1 轮"),
        (
            1,
            [Round(date(2025, 1, 1), date(2025, 1, 9)), Round(date(2025, 1, 5), date(2025, 1, 20))],
            "第 2 轮",
        ),
        (1, [Round(date(2014, 1, 1), date(2014, 1, 9))], "2015-01-01"),
    ],
)
def test_bad_inputs_are_refused_in_chinese(fine: float, rounds: list[Round], words: str) -> None:
    with pytest.raises(DailyPenaltyError, match=words):
        daily_penalty(fine, rounds)


@given(
    st.integers(1, 10**6),
    st.dates(date(2015, 1, 1), date(2030, 1, 1)),
    st.lists(st.tuples(st.integers(0, 40), st.integers(1, 60)), min_size=1, max_size=5),
)
def test_total_is_fine_times_days_between_order_and_finding(
    fine: int, start: date, gaps: list[tuple[int, int]]
) -> None:
    rounds, day = [], start
    for wait, days in gaps:
        served = date.fromordinal(day.toordinal() + wait)
        found = date.fromordinal(served.toordinal() + days)
        rounds.append(Round(served, found))
        day = found
    result = daily_penalty(fine, rounds)
    assert result.days == sum(days for _wait, days in gaps)
    assert result.amount == fine * result.days
