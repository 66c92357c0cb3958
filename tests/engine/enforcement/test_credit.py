"""Vectorized credit with traced points, on constructed enterprises (every indicator and every
veto item of the national method)."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ecogov.engine.enforcement.credit import EVIDENCE_SCHEMA, rate, unknown_indicators
from ecogov.standards.enforcement.credit import NATIONAL_METHOD, Indicator, Veto

METHOD = NATIONAL_METHOD


def evidence(*rows: tuple[str, str, date, float, str]) -> pl.DataFrame:
    """Evidence records (enterprise, indicator, date, count, evidence id)."""
    return pl.DataFrame([(*row, "test") for row in rows], schema=EVIDENCE_SCHEMA, orient="row")


def grade_of(score: float) -> str:
    """The national grade of a score, read from the method's thresholds."""
    return next(g.key for g in METHOD.grades if score >= g.min_score)


@pytest.mark.parametrize("indicator", METHOD.indicators, ids=lambda i: i.key)
def test_each_indicator_deducts_per_event_until_its_points_are_gone(indicator: Indicator) -> None:
    events = int(indicator.points // indicator.deduction) + 2
    rows = [("E1", indicator.key, date(2025, 1, n + 1), 1.0, f"V{n:02d}") for n in range(events)]
    result = rate(evidence(*rows), METHOD)
    (row,) = result.grades.iter_rows(named=True)
    assert row["score"] == pytest.approx(METHOD.max_score - indicator.points)
    assert row["grade"] == grade_of(row["score"])
    trace = result.trace.sort("evidence_id")
    assert trace.get_column("deducted").sum() == pytest.approx(indicator.points)
    assert trace.get_column("deducted")[0] == pytest.approx(
        min(indicator.deduction, indicator.points)
    )
    assert trace.get_column("deducted")[-1] == 0  # nothing left to lose


@pytest.mark.parametrize("veto", METHOD.vetoes, ids=lambda v: v.key)
def test_each_veto_item_grades_red_whatever_the_score(veto: Veto) -> None:
    result = rate(evidence(("E1", veto.key, date(2025, 5, 1), 1.0, "V1")), METHOD)
    (row,) = result.grades.iter_rows(named=True)
    assert (row["score"], row["grade"], row["veto"], row["veto_evidence"]) == (
        METHOD.max_score,
        veto.grade,
        veto.key,
        "V1",
    )
    assert row["colour_zh"] == "红牌"
    assert result.trace.get_column("kind").to_list() == ["veto"]


def test_count_multiplies_the_deduction_and_the_period_filters_records() -> None:
    rows = evidence(
        ("E1", "discharge_compliance", date(2024, 12, 31), 1.0, "OLD"),
        ("E1", "discharge_compliance", date(2025, 2, 1), 2.0, "A"),
        ("E1", "no_eia", date(2026, 1, 1), 1.0, "LATE"),
    )
    result = rate(rows, METHOD, start=date(2025, 1, 1), end=date(2025, 12, 31), enterprises=["E2"])
    grades = {r["enterprise_id"]: r for r in result.grades.iter_rows(named=True)}
    assert grades["E1"]["score"] == pytest.approx(100 - 10)
    assert grades["E1"]["veto"] is None
    assert grades["E2"]["score"] == 100
    assert grades["E2"]["grade"] == "green"
    assert result.trace.get_column("evidence_id").to_list() == ["A"]


def test_unknown_indicators_are_listed_and_refused() -> None:
    rows = evidence(("E1", "drone_photo", date(2025, 1, 1), 1.0, "A"))
    assert unknown_indicators(rows, METHOD) == ["drone_photo"]
    with pytest.raises(ValueError, match="drone_photo"):
        rate(rows, METHOD)


keys = [i.key for i in METHOD.indicators] + [v.key for v in METHOD.vetoes]
records = st.lists(
    st.tuples(
        st.sampled_from(["E1", "E2", "E3"]),
        st.sampled_from(keys),
        st.dates(date(2025, 1, 1), date(2025, 12, 31)),
        st.integers(1, 4).map(float),
    ),
    max_size=40,
)


@settings(max_examples=60, deadline=None)
@given(records)
def test_a_grade_is_the_sum_of_its_traced_points_whatever_the_row_order(
    rows: list[tuple[str, str, date, float]],
) -> None:
    frame = evidence(*[(*row, f"V{n:03d}") for n, row in enumerate(rows)])
    result = rate(frame, METHOD)
    shuffled = rate(frame.sample(fraction=1.0, shuffle=True, seed=7), METHOD)
    assert result.grades.equals(shuffled.grades)
    lost = result.trace.group_by("enterprise_id").agg(pl.col("deducted").sum())
    for row in result.grades.join(lost, on="enterprise_id", how="left").iter_rows(named=True):
        assert row["score"] == pytest.approx(METHOD.max_score - (row["deducted"] or 0.0))
        vetoed = row["veto"] is not None
        assert row["grade"] == ("red" if vetoed else grade_of(row["score"]))
