"""Benchmark of the plan importer on the labelled corpus ``tests/plans/corpus`` (issue 19).

Runs the importer over every source with the year it was issued and scores it with
:mod:`ecogov.plans.corpus`: per document and overall target precision and recall (a target
counts when indicator, comparator, value and year match), task-count error and unit accuracy
where sections are labelled. Targets: precision and recall ≥ 0.95 over the corpus, no document
below 0.8. Ends with

``RESULT name=plan_target_recall value=<r> unit=ratio baseline=0.95 ratio=<r / 0.95>`` and the
same line for ``plan_target_precision``.
"""

from __future__ import annotations

from pathlib import Path

from ecogov.plans.corpus import Score, documents, score

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "plans" / "corpus"
GOAL = 0.95


def _figure(value: float | None) -> str:
    return "   -" if value is None else f"{value:.2f}"


def main() -> None:
    total = Score(0, 0, 0)
    heading = f"{'found':>5} {'label':>5} {'got':>4} {'prec':>5} {'rec':>5} tasks units"
    print(f"{'document':<58} {heading}")
    for document in documents(CORPUS):
        counts = score(document.parse(), document.labels)
        total += counts
        low = min((v for v in (counts.precision, counts.recall) if v is not None), default=1.0)
        print(
            f"{document.name[:58]:<58} {counts.found:>5} {counts.labelled:>5} "
            f"{counts.extracted:>4} {_figure(counts.precision):>5} {_figure(counts.recall):>5} "
            f"{_figure(counts.task_count_error):>5} {_figure(counts.unit_accuracy):>5}"
            + ("  < 0.8" if low < 0.8 else "")
        )
    print(
        f"overall: {total.found} of {total.labelled} labelled targets found, "
        f"{total.extracted} extracted; task-count error {_figure(total.task_count_error)}, "
        f"unit accuracy {_figure(total.unit_accuracy)}"
    )
    for name, value in (("recall", total.recall), ("precision", total.precision)):
        figure = value or 0.0
        print(
            f"RESULT name=plan_target_{name} value={figure:.3f} unit=ratio "
            f"baseline={GOAL} ratio={figure / GOAL:.3f}"
        )


if __name__ == "__main__":
    main()
