"""Scoring the plan importer against the labelled corpus (语料评测, issue 19).

A labelled target counts as found when the importer gives a target with the same indicator
(``None`` for a label the registry has no key for), comparator, value and year; each extracted
target matches at most one label. ``eliminate`` (消除 / 无 / 不出现) is the importer's ``= 0``.
Targets without a number (comparator ``None``: ``达到国家考核目标要求``) are kept by the importer
as text for a reviewer and are not scored, on either side.

Sections: the task-count error compares the tasks the importer found with the tasks the labels
count (over the sections labelled); unit accuracy is the share of labelled (unit, lead/co) pairs
that some extracted task carries. Used by ``benchmarks/plan_import.py`` and the corpus tests.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ecogov.plans.importer import PlanDraft, parse_plan
from ecogov.plans.importer.draft import Target

__all__ = ["Document", "Score", "documents", "score", "target_key"]

Key = tuple[str | None, str, float, int | None]


@dataclass(frozen=True)
class Document:
    """One corpus source: its name, text, source record and labels."""

    name: str
    text: str
    source: dict[str, Any]
    labels: dict[str, Any]

    def parse(self) -> PlanDraft:
        """The importer's draft of this text, with the year the document was issued."""
        return parse_plan(self.text, year=self.source["year"])


@dataclass(frozen=True)
class Score:
    """Counts of one document (or a sum of documents)."""

    found: int  # labelled targets matched
    labelled: int  # labelled targets scored
    extracted: int  # extracted targets scored
    tasks_labelled: int = 0
    tasks_error: int = 0  # |extracted − labelled| task count, over documents with sections
    units_labelled: int = 0
    units_found: int = 0

    def __add__(self, other: Score) -> Score:
        return Score(*(a + b for a, b in zip(_fields(self), _fields(other), strict=True)))

    @property
    def recall(self) -> float | None:
        """Share of labelled targets found; None when the document labels none."""
        return self.found / self.labelled if self.labelled else None

    @property
    def precision(self) -> float | None:
        """Share of extracted targets that are labelled ones; 1.0 when nothing is extracted
        from a document that labels none, None when nothing is extracted from one that does."""
        if self.extracted:
            return self.found / self.extracted
        return None if self.labelled else 1.0

    @property
    def task_count_error(self) -> float | None:
        """Relative error of the task count over labelled sections."""
        return self.tasks_error / self.tasks_labelled if self.tasks_labelled else None

    @property
    def unit_accuracy(self) -> float | None:
        """Share of labelled responsible units found on extracted tasks."""
        return self.units_found / self.units_labelled if self.units_labelled else None


def _fields(value: Score) -> tuple[int, ...]:
    return (
        value.found,
        value.labelled,
        value.extracted,
        value.tasks_labelled,
        value.tasks_error,
        value.units_labelled,
        value.units_found,
    )


def target_key(target: Target) -> Key | None:
    """The scored key of an extracted target, None for one kept as text without a number."""
    if target.comparator is None or target.value is None:
        return None
    return target.indicator, target.comparator, float(target.value), target.year


def _label_key(label: dict[str, Any]) -> Key | None:
    comparator, value = label["comparator"], label["value"]
    if comparator == "eliminate":
        comparator, value = "=", 0
    if comparator is None or value is None:
        return None
    return label["indicator"], comparator, float(value), label["year"]


def score(draft: PlanDraft, labels: dict[str, Any]) -> Score:
    """Counts of one document's draft against its labels."""
    wanted = Counter(key for label in labels["targets"] if (key := _label_key(label)))
    got = Counter(key for target in draft.targets if (key := target_key(target)))
    found = sum((wanted & got).values())
    sections = labels.get("sections", [])
    tasks_labelled = sum(section["tasks"] for section in sections)
    tasks_error = abs(len(draft.tasks()) - tasks_labelled) if sections else 0
    carried = {(unit, "lead") for task in draft.tasks() for unit in task.lead_units}
    carried |= {(unit, "co") for task in draft.tasks() for unit in task.co_units}
    units = {(unit, "lead") for section in sections for unit in section["lead_units"]}
    units |= {(unit, "co") for section in sections for unit in section["co_units"]}
    return Score(
        found,
        sum(wanted.values()),
        sum(got.values()),
        tasks_labelled,
        tasks_error,
        len(units),
        len(units & carried),
    )


def documents(folder: Path) -> Iterator[Document]:
    """The corpus sources of ``folder`` (``NNN_slug.txt`` with its ``.source``/``.labels``)."""
    for path in sorted(folder.glob("[0-9][0-9][0-9]_*.txt")):
        stem = path.with_suffix("")

        def load(kind: str, stem: Path = stem) -> dict[str, Any]:
            data: dict[str, Any] = json.loads(
                stem.with_name(f"{stem.name}.{kind}.json").read_text(encoding="utf-8")
            )
            return data

        yield Document(stem.name, path.read_text(encoding="utf-8"), load("source"), load("labels"))
