"""Risk score for off-site targeting (非现场执法; issue 16 item 5), vectorized and explained.

Per enterprise and evidence kind: ``points = weight × min(events, cap)`` with the evidence ids
that made the events; plus the points of its credit grade. The score is the sum; the target list
ranks a region's enterprises by score (ties by id).
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from ecogov.standards.enforcement.targeting import TargetingRules

__all__ = ["RiskResult", "risk_scores"]


@dataclass(frozen=True)
class RiskResult:
    """``scores``: enterprise_id, region, score, rank (1 = highest in its region);
    ``explained``: enterprise_id, kind, events, points, evidence_ids."""

    scores: pl.DataFrame
    explained: pl.DataFrame


def risk_scores(objects: pl.DataFrame, evidence: pl.DataFrame, rules: TargetingRules) -> RiskResult:
    """Scores of every object (``enterprise_id``, ``region``, ``grade``) from ``evidence``
    (the evidence layout; its ``indicator`` is the kind). Kinds without a weight are ignored."""
    weights = pl.DataFrame(
        {
            "indicator": [w.kind for w in rules.weights],
            "weight": [w.weight for w in rules.weights],
            "cap": [float(w.cap) for w in rules.weights],
        },
        schema={"indicator": pl.String, "weight": pl.Float64, "cap": pl.Float64},
    )
    grade_points = pl.DataFrame(
        {"grade": list(rules.grade_points), "points": list(rules.grade_points.values())},
        schema={"grade": pl.String, "points": pl.Float64},
    )
    by_kind = (
        evidence.join(weights, on="indicator", how="inner")
        .group_by("enterprise_id", "indicator")
        .agg(
            events=pl.col("count").sum(),
            weight=pl.col("weight").first(),
            cap=pl.col("cap").first(),
            evidence_ids=pl.col("evidence_id").sort(),
        )
        .with_columns(points=pl.col("weight") * pl.min_horizontal("events", "cap"))
        .select(
            "enterprise_id", pl.col("indicator").alias("kind"), "events", "points", "evidence_ids"
        )
    )
    by_grade = (
        objects.select("enterprise_id", "grade")
        .join(grade_points, on="grade", how="inner")
        .filter(pl.col("points") > 0)
        .select(
            "enterprise_id",
            pl.lit("credit_grade").alias("kind"),
            pl.lit(1.0).alias("events"),
            "points",
            pl.concat_list(pl.col("grade")).alias("evidence_ids"),
        )
    )
    explained = pl.concat([by_kind, by_grade]).sort("enterprise_id", "kind")
    totals = explained.group_by("enterprise_id").agg(score=pl.col("points").sum())
    scores = (
        objects.select("enterprise_id", "region")
        .join(totals, on="enterprise_id", how="left")
        .with_columns(pl.col("score").fill_null(0.0))
        .sort(["region", "score", "enterprise_id"], descending=[False, True, False])
        .with_columns(rank=pl.int_range(1, pl.len() + 1).over("region"))
    )
    return RiskResult(scores=scores, explained=explained)
