"""Risk scores (风险评分) of generators and receivers from the checks' findings, for enforcement:
each finding adds its rule's weight (a rules-file value; by default the weight of its severity)
to the score of its subject."""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

__all__ = ["risk_scores"]


def risk_scores(
    findings: pl.DataFrame, parties: pl.DataFrame, weights: Mapping[str, float]
) -> pl.DataFrame:
    """Per generator and receiver with findings: ``party_id, kind, score, findings, rules`` (the
    count per rule as a JSON object), highest score first."""
    table = pl.DataFrame(
        {"rule": list(weights), "weight": list(weights.values())},
        schema={"rule": pl.String, "weight": pl.Float64},
    )
    kinds = parties.filter(pl.col("kind").is_in(["generator", "receiver"])).select(
        pl.col("party_id", "kind").cast(pl.String)
    )
    per_rule = (
        findings.join(table, on="rule", how="left")
        .group_by(party_id="subject", rule="rule")
        .agg(count=pl.len(), score=pl.col("weight").fill_null(0).sum())
        .join(kinds, on="party_id")
    )
    return (
        per_rule.sort("rule")
        .group_by("party_id", "kind")
        .agg(
            score=pl.col("score").sum(),
            findings=pl.col("count").sum(),
            rules=pl.struct("rule", "count"),
        )
        .with_columns(
            rules=pl.col("rules")
            .list.eval(
                pl.element().struct.field("rule")
                + ":"
                + pl.element().struct.field("count").cast(pl.String)
            )
            .list.join(",")
        )
        .sort(["score", "party_id"], descending=[True, False])
    )
