"""A simulated population for tests, benchmarks and the demo: enterprises, some of which are
true violators known only to the simulator; the evidence the platform would see is noisy (clean
enterprises also have exceedances and complaints, violators do not always show). Used to measure
how much better the risk-ranked list finds violators than a random draw of the same size.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Final

import numpy as np
import polars as pl

from ecogov.engine.enforcement.credit import EVIDENCE_SCHEMA, rate
from ecogov.engine.enforcement.draw import INSPECTOR_SCHEMA, OBJECT_SCHEMA
from ecogov.engine.enforcement.risk import risk_scores
from ecogov.standards.enforcement.rules import NATIONAL_RULES, RuleSet

__all__ = ["EVENT_RATES", "TO_CREDIT", "HitRates", "Population", "hit_rates", "simulate"]

EVENT_RATES: Final = {
    "online_exceedance": (1.0, 2.0),
    "data_fraud": (0.05, 0.2),
    "offline_device": (2.0, 2.5),
    "waste_finding": (0.2, 0.5),
    "verified_complaint": (0.4, 0.8),
    "prior_penalty": (0.1, 0.25),
    "overdue_rectification": (0.08, 0.2),
}
"""Events per enterprise and year of each evidence kind: (clean, violator) Poisson means, each
multiplied by the enterprise's activity (gamma, mean 1): a large clean plant shows more noise
than a small violator."""
TO_CREDIT: Final = {
    "online_exceedance": "discharge_compliance",
    "data_fraud": "monitoring_data",
    "offline_device": "online_device",
    "waste_finding": "hazardous_waste",
    "verified_complaint": "verified_complaint",
    "prior_penalty": "administrative_penalty",
    "overdue_rectification": "rectification",
}
"""Which credit indicator an evidence kind of the simulation counts against."""
VETO_RATE: Final = (0.001, 0.02)
"""Share of clean / violating enterprises with a veto event (bypass discharge) in the year."""


@dataclass(frozen=True)
class Population:
    """Objects (:data:`OBJECT_SCHEMA`), inspectors, risk evidence (kinds), credit evidence
    (indicators) and the truth (``enterprise_id``, ``violator``)."""

    objects: pl.DataFrame
    inspectors: pl.DataFrame
    evidence: pl.DataFrame
    credit_evidence: pl.DataFrame
    truth: pl.DataFrame


def _region(i: int) -> str:
    return f"33{i // 90 + 1:02d}{i % 90 + 1:02d}"


def _events(
    rng: np.random.Generator, ids: np.ndarray, violator: np.ndarray, year: int
) -> pl.DataFrame:
    frames = []
    activity = rng.gamma(2.0, 0.5, ids.size)
    for kind, (clean, bad) in EVENT_RATES.items():
        counts = rng.poisson(np.where(violator, bad, clean) * activity)
        owners = np.repeat(ids, counts)
        days = rng.integers(0, 365, owners.size)
        frames.append(pl.DataFrame({"enterprise_id": owners, "indicator": kind, "day": days}))
    vetoed = rng.random(ids.size) < np.where(violator, VETO_RATE[1], VETO_RATE[0])
    frames.append(
        pl.DataFrame(
            {
                "enterprise_id": ids[vetoed],
                "indicator": "bypass_discharge",
                "day": rng.integers(0, 365, int(vetoed.sum())),
            }
        )
    )
    first = date(year, 1, 1)
    events = pl.concat(frames).sort("enterprise_id", "indicator", "day")
    return events.select(
        pl.col("enterprise_id").cast(pl.String),
        pl.col("indicator").cast(pl.String),
        (pl.lit(first) + pl.duration(days=pl.col("day"))).cast(pl.Date).alias("date"),
        pl.lit(1.0).alias("count"),
        pl.format("EV{}", pl.int_range(pl.len()).cast(pl.String).str.zfill(9)).alias("evidence_id"),
        pl.lit("simulated").alias("source"),
    ).cast(EVIDENCE_SCHEMA)  # type: ignore[arg-type]


def simulate(
    enterprises: int,
    inspectors: int,
    *,
    seed: int = 0,
    regions: int = 100,
    violator_share: float = 0.05,
    year: int = 2025,
    rules: RuleSet = NATIONAL_RULES,
) -> Population:
    """A population of ``enterprises`` in ``regions`` regions with ``inspectors`` inspectors;
    grades come from the credit method on the simulated evidence, risk scores from the
    targeting rules (the simulator's truth is used by neither)."""
    rng = np.random.default_rng(seed)
    ids = np.array([f"E{n:07d}" for n in range(enterprises)])
    violator = rng.random(enterprises) < violator_share
    region = np.array([_region(int(r)) for r in rng.integers(0, regions, enterprises)])
    category = rng.choice(["special", "key", "general"], enterprises, p=[0.05, 0.25, 0.70])
    evidence = _events(rng, ids, violator, year)
    kinds = evidence.filter(pl.col("indicator") != "bypass_discharge")
    credit_evidence = pl.concat(
        [
            kinds.with_columns(pl.col("indicator").replace_strict(TO_CREDIT)),
            evidence.filter(pl.col("indicator") == "bypass_discharge"),
        ]
    )
    grades = rate(credit_evidence, rules.credit, enterprises=ids.tolist()).grades
    objects = (
        pl.DataFrame({"enterprise_id": ids, "category": category, "region": region})
        .join(grades.select("enterprise_id", "grade"), on="enterprise_id", how="left")
        .with_columns(risk_score=pl.lit(0.0))
    )
    scores = risk_scores(objects, kinds, rules.targeting).scores
    objects = (
        objects.drop("risk_score")
        .join(
            scores.select("enterprise_id", pl.col("score").alias("risk_score")), on="enterprise_id"
        )
        .select(list(OBJECT_SCHEMA))
        .cast(OBJECT_SCHEMA)  # type: ignore[arg-type]
        .sort("enterprise_id")
    )
    return Population(
        objects=objects,
        inspectors=_inspectors(rng, inspectors, regions, ids, region),
        evidence=kinds,
        credit_evidence=credit_evidence,
        truth=pl.DataFrame({"enterprise_id": ids, "violator": violator}),
    )


def _inspectors(
    rng: np.random.Generator, count: int, regions: int, ids: np.ndarray, region: np.ndarray
) -> pl.DataFrame:
    home = [_region(int(r)) for r in rng.integers(0, regions, count)]
    rows = []
    for n, where in enumerate(home):
        former = [str(ids[rng.integers(ids.size)])] if rng.random() < 0.05 and ids.size else []
        conflicts = [str(ids[rng.integers(ids.size)])] if rng.random() < 0.05 and ids.size else []
        quals = ["执法证"] if rng.random() < 0.95 else []
        rows.append(
            (f"I{n:06d}", f"{where} 生态环境保护综合行政执法队", where, quals, former, conflicts)
        )
    return pl.DataFrame(rows, schema=INSPECTOR_SCHEMA, orient="row")


@dataclass(frozen=True)
class HitRates:
    """Share of true violators in the top-k risk list and in random draws of k."""

    k: int
    top_k: float
    random: float

    @property
    def ratio(self) -> float:
        """How many times as often the risk list finds a violator."""
        return self.top_k / self.random if self.random else float("inf")


def hit_rates(population: Population, k: int, *, draws: int = 20, seed: int = 1) -> HitRates:
    """Top-k by risk score (ties by id) against the mean of ``draws`` random draws of k."""
    truth = population.objects.join(population.truth, on="enterprise_id")
    top = truth.sort(["risk_score", "enterprise_id"], descending=[True, False]).head(k)
    rng = np.random.default_rng(seed)
    flags = truth.get_column("violator").to_numpy()
    random = float(
        np.mean([flags[rng.choice(flags.size, k, replace=False)].mean() for _ in range(draws)])
    )
    hits = int(top.get_column("violator").sum())
    return HitRates(k, hits / k if k else 0.0, random)
