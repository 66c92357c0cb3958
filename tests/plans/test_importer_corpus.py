"""The importer against the labelled corpus (issue 19): per document, target precision and
recall are at least 0.8 on the documents listed, scored by the benchmark's own scorer
(:mod:`ecogov.plans.corpus`). Documents with targets check both; result-only reports check that
no measured result is taken for a target. ``benchmarks/plan_import.py`` covers the whole corpus.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ecogov.plans.corpus import Document, documents, score
from ecogov.plans.importer import parse_plan

CORPUS = Path(__file__).parent / "corpus"
WITH_TARGETS: tuple[str, ...] = ("001", "002", "003", "004", "006", "007", "008", "012", "013")
WITH_TARGETS += ("010", "011", "014", "015", "016", "026", "031", "034", "039")
RESULTS_ONLY: tuple[str, ...] = ("005", "009", "017", "019", "020", "021", "022", "024", "025")
RESULTS_ONLY += ("027", "028", "029", "030", "032", "033", "035", "036", "038")
BY_NUMBER = {document.name[:3]: document for document in documents(CORPUS)}


@pytest.mark.parametrize("number", WITH_TARGETS)
def test_targets_of_a_plan_text_are_found(number: str) -> None:
    document: Document = BY_NUMBER[number]
    counts = score(document.parse(), document.labels)
    assert counts.labelled > 0
    assert (counts.recall or 0.0) >= 0.8, counts
    assert (counts.precision or 0.0) >= 0.8, counts


@pytest.mark.parametrize("number", RESULTS_ONLY)
def test_results_are_not_taken_for_targets(number: str) -> None:
    document = BY_NUMBER[number]
    assert document.labels["results"], "a report of results"
    counts = score(document.parse(), document.labels)
    assert counts.extracted == 0, [t.text for t in document.parse().targets if t.value]


def test_rectification_counts_of_the_corpus_have_no_invented_year() -> None:
    for number in ("010", "011", "016"):
        counts = [t for t in BY_NUMBER[number].parse().targets if t.indicator]
        assert counts, number
        assert {(t.indicator, t.year) for t in counts} == {("inspection.rectified_items", None)}


def test_a_result_phrased_with_target_verbs_is_no_target() -> None:
    text = "2022年，全国地级及以上城市优良天数比例为86.5%，重污染天数比例首次降到1%以内。"
    assert [t for t in parse_plan(text, year=2023).targets if t.value is not None] == []
    target = "2023年，全省县级及以上城市空气质量优良天数比率达到94.5%以上。"
    (found,) = parse_plan(target, year=2023).targets
    assert (found.indicator, found.comparator, found.value, found.year) == (
        "air.good_day_ratio",
        ">=",
        94.5,
        2023,
    )
