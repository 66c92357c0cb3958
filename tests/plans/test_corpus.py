"""The labelled plan corpus (issue 19): every label file has the documented shape, every labelled
sentence is verbatim in its text, indicator keys exist in the importer's table, and the corpus
meets the issue's minimums. Reads only ``tests/plans/corpus``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from ecogov.plans.importer.targets import INDICATORS

CORPUS = Path(__file__).parent / "corpus"
KINDS = {"工作要点", "工作会议报告", "督察整改方案", "行动计划/实施方案", "十四五规划"}
COMPARATORS = {">=", "<=", "=", "<", ">", "eliminate"}
INDICATOR_KEYS = {row.key for row in INDICATORS}
TARGET_FIELDS = {"sentence", "indicator", "text", "comparator", "value", "unit", "year", "scope"}
TARGET_FIELDS |= {"ambiguous", "note"}
RESULT_FIELDS = {"sentence", "indicator", "text", "value", "unit", "year", "note"}
SOURCE_FIELDS = {"url", "title", "issuer", "province", "year", "published", "retrieved", "kind"}
SOURCE_FIELDS |= {"whole_document", "notes"}
SECTION_FIELDS = {"title", "tasks", "lead_units", "co_units", "note"}


def _stems() -> list[Path]:
    return sorted(path.with_suffix("") for path in CORPUS.glob("[0-9][0-9][0-9]_*.txt"))


def _load(stem: Path, kind: str) -> Any:
    return json.loads(stem.with_name(f"{stem.name}.{kind}.json").read_text(encoding="utf-8"))


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _check_year(year: object) -> None:
    assert year is None or (isinstance(year, int) and 2015 <= year <= 2035), year


def _check_target(target: dict[str, Any], text: str) -> None:
    assert set(target) == TARGET_FIELDS, target
    assert target["sentence"] in text, target["sentence"]
    assert target["indicator"] is None or target["indicator"] in INDICATOR_KEYS, target
    assert target["indicator"] is not None or target["text"], "an unmapped target names its text"
    assert isinstance(target["ambiguous"], bool)
    comparator, value = target["comparator"], target["value"]
    if comparator is None:
        assert value is None, "a target without comparator has no value"
        assert target["ambiguous"], "a comparator-less target is ambiguous"
    else:
        assert comparator in COMPARATORS, comparator
    if comparator == "eliminate":
        assert value is None, target
    assert value is None or _is_number(value), target
    _check_year(target["year"])


def _check_result(result: dict[str, Any], text: str) -> None:
    assert set(result) == RESULT_FIELDS, result
    assert result["sentence"] in text, result["sentence"]
    assert result["indicator"] is None or result["indicator"] in INDICATOR_KEYS, result
    assert result["indicator"] is not None or result["text"], "an unmapped result names its text"
    assert result["value"] is None or _is_number(result["value"]), result
    _check_year(result["year"])


@pytest.mark.parametrize("stem", _stems(), ids=lambda stem: stem.name)
def test_source_and_labels_follow_the_schema(stem: Path) -> None:
    text = stem.with_suffix(".txt").read_text(encoding="utf-8")
    assert text.strip()
    source = _load(stem, "source")
    assert set(source) == SOURCE_FIELDS, source
    if source["url"] is None:  # the store kept the text but not its address: say so
        assert "address" in (source["notes"] or ""), "a missing url is explained"
    else:
        assert source["url"].startswith(("http://", "https://")), source["url"]
    assert source["kind"] in KINDS, source["kind"]
    assert isinstance(source["whole_document"], bool)
    assert 2016 <= source["year"] <= 2026, "the issue asks for texts of 2016-2026"
    assert not (source["province"] == "浙江" and source["year"] == 2020), "kept aside"
    labels = _load(stem, "labels")
    assert set(labels) <= {"targets", "results", "sections", "notes"}, labels.keys()
    assert labels["targets"] or labels["results"] or labels.get("sections"), "nothing labelled"
    for target in labels["targets"]:
        _check_target(target, text)
    for result in labels["results"]:
        _check_result(result, text)
    for section in labels.get("sections", []):
        assert set(section) == SECTION_FIELDS, section
        assert isinstance(section["tasks"], int), section
        assert section["tasks"] >= 0, section
        assert all(isinstance(unit, str) and unit for unit in section["lead_units"])
        assert all(isinstance(unit, str) and unit for unit in section["co_units"])


def test_every_file_belongs_to_a_source() -> None:
    stems = {stem.name for stem in _stems()}
    for path in CORPUS.iterdir():
        if path.name == "README.md":
            continue
        assert path.name.split(".")[0] in stems, path.name
    numbers = [name.split("_")[0] for name in stems]
    assert len(numbers) == len(set(numbers)), "source numbers are unique"


def test_corpus_meets_the_issue_minimums() -> None:
    stems = _stems()
    sources = [_load(stem, "source") for stem in stems]
    sentences = {
        (stem.name, label["sentence"])
        for stem in stems
        for kind in ("targets", "results")
        for label in _load(stem, "labels")[kind]
    }
    assert len(stems) >= 40
    assert sum(source["whole_document"] for source in sources) >= 10
    assert len(sentences) >= 200
