"""The engine's vectorized period labels spell periods as the one period grammar does."""

from __future__ import annotations

from datetime import date

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from ecogov.engine.water_means import period_label
from ecogov.standards.periods import ASSESSMENT_KINDS, AssessmentKind, parse_period, period_of


@settings(max_examples=60, deadline=None)
@given(st.dates(date(1950, 1, 1), date(2100, 12, 31)), st.sampled_from(ASSESSMENT_KINDS))
def test_labels_are_the_canonical_spelling(day: date, kind: AssessmentKind) -> None:
    month = day.replace(day=1)
    label = pl.select(period_label(pl.lit(month), kind)).item()
    assert label == period_of(kind, month).label
    assert parse_period(label) == period_of(kind, month)
