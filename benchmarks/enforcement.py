"""Benchmark of the enforcement core on a national-size simulated directory (issue 16).

300,000 objects in 2,800 regions and 20,000 inspectors (``ecogov.enforcement.simulate``; about
a million evidence records over a year):

* ``enforcement_draw`` — the verifiable draw with the default proportions (target ≤ 2 s),
  against a row-by-row draw that scans the whole inspector pool for every task (timed on a
  sample of tasks and extrapolated);
* ``enforcement_credit`` — the credit of 300,000 enterprises from a year of evidence (target
  ≤ 10 s), against a per-record Python loop on a sample of enterprises (extrapolated; its grades
  are checked against the engine's);
* ``targeting_hit_ratio`` — the top-1 % risk list's hit rate over the true violators divided by
  the hit rate of random draws of the same size.

CPU times are printed beside wall-clock times: the machine is often shared.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

import polars as pl

from ecogov.enforcement.simulate import hit_rates, simulate
from ecogov.engine.enforcement.credit import rate
from ecogov.engine.enforcement.draw import Stream, draw
from ecogov.standards.enforcement.credit import CreditMethod
from ecogov.standards.enforcement.rules import NATIONAL_RULES

T = TypeVar("T")
OBJECTS, INSPECTORS, REGIONS = 300_000, 20_000, 2_800
SAMPLE = 10_000


def timed(work: Callable[[], T]) -> tuple[T, float, float]:
    """The result of ``work``, its wall-clock and CPU seconds."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = work()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def naive_teams(tasks: list[dict[str, object]], inspectors: pl.DataFrame, seed: str) -> int:
    """Row by row: for every task scan the whole pool for eligible inspectors, then pick two."""
    pool = inspectors.to_dicts()
    stream = Stream(seed)
    staffed = 0
    for task in tasks:
        eligible = [
            p["inspector_id"]
            for p in pool
            if p["region"] == task["region"]
            and task["enterprise_id"] not in p["former_workplaces"]
            and task["enterprise_id"] not in p["conflicts"]
        ]
        if len(eligible) >= 2:
            first = eligible.pop(stream.below(len(eligible)))
            second = eligible[stream.below(len(eligible))]
            staffed += first != second
    return staffed


def naive_credit(records: list[dict[str, object]], method: CreditMethod) -> dict[str, str]:
    """Per record: deduct, capped per indicator; vetoes; the grade of each enterprise."""
    points = {i.key: (i.points, i.deduction) for i in method.indicators}
    vetoes = {v.key: v.grade for v in method.vetoes}
    order = [g.key for g in sorted(method.grades, key=lambda g: -g.min_score)]
    lost: dict[str, dict[str, float]] = {}
    vetoed: dict[str, int] = {}
    for record in sorted(records, key=lambda r: (str(r["enterprise_id"]), str(r["evidence_id"]))):
        enterprise, indicator = str(record["enterprise_id"]), str(record["indicator"])
        if indicator in vetoes:
            vetoed[enterprise] = max(vetoed.get(enterprise, 0), order.index(vetoes[indicator]))
            lost.setdefault(enterprise, {})
            continue
        cap, deduction = points[indicator]
        spent = lost.setdefault(enterprise, {})
        spent[indicator] = min(cap, spent.get(indicator, 0.0) + deduction * float(record["count"]))  # type: ignore[arg-type]
    grades = {}
    for enterprise, spent in lost.items():
        score = method.max_score - sum(spent.values())
        rank = next(n for n, key in enumerate(order) if score >= method.grade(key).min_score)
        grades[enterprise] = order[max(rank, vetoed.get(enterprise, 0))]
    return grades


def main() -> None:
    population, wall, _cpu = timed(lambda: simulate(OBJECTS, INSPECTORS, regions=REGIONS, seed=16))
    print(
        f"simulated {OBJECTS:,} objects, {INSPECTORS:,} inspectors, "
        f"{population.credit_evidence.height:,} evidence records in {wall:.1f} s"
    )
    rules = NATIONAL_RULES
    result, draw_wall, draw_cpu = timed(
        lambda: draw(population.objects, population.inspectors, rules.draw, "bench-2026Q1")
    )
    tasks = result["tasks"]
    assert isinstance(tasks, list)
    sample = tasks[:500]
    _, _wall, naive_cpu = timed(lambda: naive_teams(sample, population.inspectors, "bench"))
    naive_draw = naive_cpu * len(tasks) / len(sample)
    print(
        f"draw: {len(tasks):,} tasks, {len(result['unstaffed']):,} unstaffed "  # type: ignore[arg-type]
        f"in {draw_wall:.2f} s wall, {draw_cpu:.2f} s CPU; row-by-row staffing "
        f"{naive_cpu:.2f} s CPU for {len(sample)} tasks → {naive_draw:.1f} s extrapolated"
    )
    everyone = population.objects.get_column("enterprise_id").to_list()
    credit, credit_wall, credit_cpu = timed(
        lambda: rate(population.credit_evidence, rules.credit, enterprises=everyone)
    )
    ids = population.objects.get_column("enterprise_id").head(SAMPLE)
    records = population.credit_evidence.filter(pl.col("enterprise_id").is_in(ids.to_list()))
    naive, _, loop_cpu = timed(lambda: naive_credit(records.to_dicts(), rules.credit))
    engine = dict(credit.grades.select("enterprise_id", "grade").iter_rows())
    assert all(engine[e] == grade for e, grade in naive.items()), "loop and engine disagree"
    enterprises = population.credit_evidence.get_column("enterprise_id").n_unique()
    naive_credit_s = loop_cpu * enterprises / max(len(naive), 1)
    print(
        f"credit: {credit.grades.height:,} enterprises from "
        f"{population.credit_evidence.height:,} records in {credit_wall:.2f} s wall, "
        f"{credit_cpu:.2f} s CPU; per-record loop {loop_cpu:.2f} s CPU for {len(naive):,} "
        f"enterprises → {naive_credit_s:.1f} s extrapolated (grades agree)"
    )
    k = OBJECTS // 100
    rates = hit_rates(population, k)
    print(
        f"targeting: top-{k:,} hit rate {rates.top_k:.3f}, random draws of {k:,} {rates.random:.3f}"
    )
    print(
        f"RESULT name=enforcement_draw value={draw_wall:.3f} unit=s baseline=row_by_row_draw "
        f"ratio={naive_draw / draw_cpu:.1f}"
    )
    print(
        f"RESULT name=enforcement_credit value={credit_wall:.3f} unit=s "
        f"baseline=per_record_loop ratio={naive_credit_s / credit_cpu:.1f}"
    )
    print(
        f"RESULT name=targeting_hit_ratio value={rates.ratio:.2f} unit=x baseline=random_draw "
        f"ratio={rates.ratio:.2f}"
    )


if __name__ == "__main__":
    main()
