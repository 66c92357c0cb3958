"""Risk score explained per enterprise, ranked per region; the ranked list beats a random draw
on the simulated population."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from ecogov.engine.enforcement.credit import EVIDENCE_SCHEMA
from ecogov.engine.enforcement.draw import OBJECT_SCHEMA
from ecogov.engine.enforcement.risk import risk_scores
from ecogov.standards.enforcement.targeting import DEFAULT_TARGETING

WEIGHTS = {w.kind: w for w in DEFAULT_TARGETING.weights}


def test_points_are_weight_times_capped_events_and_explained() -> None:
    objects = pl.DataFrame(
        [
            ("A", "key", "red", 0.0, "R1"),
            ("B", "key", "green", 0.0, "R1"),
            ("C", "key", "blue", 0.0, "R2"),
        ],
        schema=OBJECT_SCHEMA,
        orient="row",
    )
    fraud = WEIGHTS["data_fraud"]
    rows = [
        ("A", "data_fraud", date(2025, 1, n + 1), 1.0, f"F{n}", "hj212")
        for n in range(fraud.cap + 3)
    ]
    rows += [
        ("B", "verified_complaint", date(2025, 1, 1), 2.0, "C1", "12369"),
        ("B", "unknown", date(2025, 1, 1), 9.0, "X", ""),
    ]
    result = risk_scores(
        objects, pl.DataFrame(rows, schema=EVIDENCE_SCHEMA, orient="row"), DEFAULT_TARGETING
    )
    scores = {r["enterprise_id"]: r for r in result.scores.iter_rows(named=True)}
    red = DEFAULT_TARGETING.grade_points["red"]
    assert scores["A"]["score"] == pytest.approx(fraud.weight * fraud.cap + red)
    assert scores["B"]["score"] == pytest.approx(WEIGHTS["verified_complaint"].weight * 2)
    assert (scores["A"]["rank"], scores["B"]["rank"], scores["C"]["rank"]) == (1, 2, 1)
    explained = result.explained.filter(pl.col("enterprise_id") == "A")
    assert explained.get_column("kind").to_list() == ["credit_grade", "data_fraud"]
    assert len(explained.filter(pl.col("kind") == "data_fraud")["evidence_ids"][0]) == fraud.cap + 3
