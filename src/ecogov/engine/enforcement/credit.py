"""Enterprise environmental credit for many enterprises at once (Polars), every point traced.

Input: an evidence frame (:data:`EVIDENCE_SCHEMA`) — one row per record, ``count`` events of
``indicator`` (an indicator or veto key of the method) on ``date``. Each indicator loses
``deduction × count`` points per record in (date, evidence_id) order until its points are gone;
a record's ``deducted`` is what it actually took. A veto record grades the enterprise at most its
veto grade. The result is a pure function of the evidence and the method.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import polars as pl

from ecogov.standards.enforcement.credit import CreditMethod

__all__ = ["EVIDENCE_SCHEMA", "CreditResult", "rate", "unknown_indicators"]

EVIDENCE_SCHEMA: dict[str, pl.DataType] = {
    "enterprise_id": pl.String(),
    "indicator": pl.String(),
    "date": pl.Date(),
    "count": pl.Float64(),
    "evidence_id": pl.String(),
    "source": pl.String(),
}


@dataclass(frozen=True)
class CreditResult:
    """``grades``: one row per enterprise (score, grade, veto); ``trace``: one row per evidence
    record used (points deducted, or the veto it triggered)."""

    grades: pl.DataFrame
    trace: pl.DataFrame


def unknown_indicators(evidence: pl.DataFrame, method: CreditMethod) -> list[str]:
    """Indicator keys of ``evidence`` that the method neither scores nor vetoes (sorted)."""
    known = {i.key for i in method.indicators} | {v.key for v in method.vetoes}
    found = evidence.get_column("indicator").unique().to_list()
    return sorted(str(k) for k in found if k not in known)


def _grade_of_score(method: CreditMethod) -> pl.Expr:
    grades = sorted(method.grades, key=lambda g: -g.min_score)
    expr = pl.lit(len(grades) - 1, dtype=pl.Int32)
    for rank in range(len(grades) - 2, -1, -1):
        expr = pl.when(pl.col("score") >= grades[rank].min_score).then(pl.lit(rank)).otherwise(expr)
    return expr.cast(pl.Int32)


def rate(
    evidence: pl.DataFrame,
    method: CreditMethod,
    *,
    start: date | None = None,
    end: date | None = None,
    enterprises: Iterable[str] = (),
) -> CreditResult:
    """Grades of every enterprise of ``evidence`` (and of ``enterprises``, which have no record)
    from the records dated in [start, end] (either bound optional).

    Raises:
        ValueError: an indicator the method does not know (see :func:`unknown_indicators`).
    """
    unknown = unknown_indicators(evidence, method)
    if unknown:
        listed = "、".join(unknown)
        raise ValueError(
            f"信用评价规则中没有指标或否决项：{listed} / unknown indicator(s): {', '.join(unknown)}"
        )
    grades = sorted(method.grades, key=lambda g: -g.min_score)
    rank_of = {g.key: rank for rank, g in enumerate(grades)}
    ids = pl.concat(
        [
            evidence.select("enterprise_id"),
            pl.DataFrame({"enterprise_id": list(enterprises)}, schema={"enterprise_id": pl.String}),
        ]
    ).unique()
    period = evidence
    if start is not None:
        period = period.filter(pl.col("date") >= start)
    if end is not None:
        period = period.filter(pl.col("date") <= end)
    scored = pl.DataFrame(
        {
            "indicator": [i.key for i in method.indicators],
            "points": [i.points for i in method.indicators],
            "deduction": [i.deduction for i in method.indicators],
        },
        schema={"indicator": pl.String, "points": pl.Float64, "deduction": pl.Float64},
    )
    vetoes = pl.DataFrame(
        {
            "indicator": [v.key for v in method.vetoes],
            "veto_rank": [rank_of[v.grade] for v in method.vetoes],
            "veto_grade": [v.grade for v in method.vetoes],
        },
        schema={"indicator": pl.String, "veto_rank": pl.Int32, "veto_grade": pl.String},
    )
    # Running sum per (enterprise, indicator) on the sorted records: the global running sum
    # less its value where the group starts (cheaper than a window over the groups).
    ordered = (
        period.join(scored, on="indicator", how="inner")
        .sort(["enterprise_id", "indicator", "date", "evidence_id"])
        .with_columns(raw=pl.col("count") * pl.col("deduction"))
    )
    starts = (pl.col("enterprise_id") != pl.col("enterprise_id").shift(1)) | (
        pl.col("indicator") != pl.col("indicator").shift(1)
    )
    points = (
        ordered.with_columns(total=pl.col("raw").cum_sum())
        .with_columns(
            cum=pl.col("total")
            - pl.when(starts.fill_null(True))
            .then(pl.col("total") - pl.col("raw"))
            .otherwise(None)
            .forward_fill()
        )
        .with_columns(
            deducted=(
                pl.min_horizontal("cum", "points")
                - pl.min_horizontal(pl.col("cum") - pl.col("raw"), "points")
            ).round(6),
            kind=pl.lit("indicator"),
            veto_grade=pl.lit(None, dtype=pl.String),
        )
    )
    vetoed = period.join(vetoes, on="indicator", how="inner").sort(
        ["enterprise_id", "veto_rank", "date", "evidence_id"],
        descending=[False, True, False, False],
    )
    trace_cols = [
        "enterprise_id",
        "indicator",
        "date",
        "count",
        "evidence_id",
        "source",
        "deducted",
        "kind",
        "veto_grade",
    ]
    trace = pl.concat(
        [
            points.select(trace_cols),
            vetoed.with_columns(deducted=pl.lit(0.0), kind=pl.lit("veto")).select(trace_cols),
        ]
    )
    lost = points.group_by("enterprise_id").agg(lost=pl.col("deducted").sum())
    worst = vetoed.group_by("enterprise_id").agg(
        veto_rank=pl.col("veto_rank").first(),
        veto=pl.col("indicator").first(),
        veto_evidence=pl.col("evidence_id").first(),
    )
    table = pl.DataFrame(
        {
            "rank": list(range(len(grades))),
            "grade": [g.key for g in grades],
            "grade_zh": [g.name_zh for g in grades],
            "colour_zh": [g.colour_zh for g in grades],
        },
        schema={
            "rank": pl.Int32,
            "grade": pl.String,
            "grade_zh": pl.String,
            "colour_zh": pl.String,
        },
    )
    result = (
        ids.join(lost, on="enterprise_id", how="left")
        .join(worst, on="enterprise_id", how="left")
        .with_columns(score=(pl.lit(method.max_score) - pl.col("lost").fill_null(0.0)).round(6))
        .with_columns(score_rank=_grade_of_score(method))
        .with_columns(rank=pl.max_horizontal("score_rank", pl.col("veto_rank").fill_null(0)))
        .join(table, on="rank", how="left")
        .select("enterprise_id", "score", "grade", "grade_zh", "colour_zh", "veto", "veto_evidence")
        .sort("enterprise_id")
    )
    return CreditResult(grades=result, trace=trace)
