"""The reviewable draft of an imported plan (规划草稿) and its JSON form.

:meth:`PlanDraft.to_json` writes exactly the contract the CLI prints with ``--json``::

    {"title": …,
     "sections": [{"number": …, "title": …,
                   "tasks": [{"number": …, "text": …, "lead_units": […], "co_units": […],
                              "start": …, "due": …}]}],
     "targets": [{"indicator": …, "comparator": ">=" | "<=" | "=", "value": …, "unit": …,
                  "scope": …, "year": …, "text": …, "confidence": "high" | "low"}],
     "projects": [{"number": …, "name": …, "content": …, "units": […],
                   "start_year": …, "end_year": …}]}

Numbers are hierarchical strings (``二.(三).5``, ``附件1.一.16``); a section the document does not
number (an unnumbered group of an annex table) has ``number`` null. ``start``/``due`` are ISO
dates of the precision the document gives (``2022``, ``2022-06``), else null. A target the parser
could not bind has ``indicator`` null (and ``comparator``/``value``/``unit`` null too when the
sentence holds no number). ``confidence`` is ``high`` when the target is bound, its comparator
is written (达到…以上, 控制在, 消除), its deadline is named in its sentence and the sentence is
in target language; ``low`` when any of it is inferred (a reviewer checks these first).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Any, Final

from ecogov.platform.errors import InputError
from ecogov.platform.i18n import Catalogue, both, register

ERRORS: Final[Catalogue] = {
    "plans.error.draft_json": (
        "草稿 JSON 不符合约定格式：{reason}",
        "draft JSON does not fit the contract: {reason}",
    ),
    "plans.error.empty_text": ("规划文本为空", "the plan text is empty"),
}
register(ERRORS)

__all__ = ["PlanDraft", "Project", "Section", "Target", "Task"]


@dataclass(frozen=True)
class Task:
    """A task (任务): its number, text, lead units (牵头单位), co-units (配合单位) and dates."""

    number: str
    text: str
    lead_units: tuple[str, ...] = ()
    co_units: tuple[str, ...] = ()
    start: str | None = None
    due: str | None = None


@dataclass(frozen=True)
class Section:
    """A heading (一、…, （一）…, an annex or one of its table groups) and the tasks under it."""

    number: str | None
    title: str
    tasks: tuple[Task, ...] = ()


@dataclass(frozen=True)
class Target:
    """A target (目标): indicator key, comparator, value, unit, scope, deadline year and text."""

    indicator: str | None
    comparator: str | None
    value: float | None
    unit: str | None
    scope: str | None
    year: int | None
    text: str
    confidence: str = "high"


@dataclass(frozen=True)
class Project:
    """A key project (重点项目): number, name, content, responsible units, start and end year."""

    number: str
    name: str
    content: str
    units: tuple[str, ...] = ()
    start_year: int | None = None
    end_year: int | None = None


@dataclass(frozen=True)
class PlanDraft:
    """A plan as parsed from its published text, for a human to review before it is saved."""

    title: str | None
    sections: tuple[Section, ...] = ()
    targets: tuple[Target, ...] = ()
    projects: tuple[Project, ...] = ()

    def tasks(self) -> tuple[Task, ...]:
        """Every task of every section, in document order."""
        return tuple(task for section in self.sections for task in section.tasks)

    def to_json(self, *, indent: int | None = None) -> str:
        """The draft as the JSON contract above (UTF-8 text, Chinese kept as is)."""
        return json.dumps(asdict(self), ensure_ascii=False, indent=indent)

    @classmethod
    def from_json(cls, text: str) -> PlanDraft:
        """A draft back from its JSON contract (after a reviewer edited it).

        Raises ``InputError`` naming the first field that does not fit the contract.
        """
        try:
            data = json.loads(text)
            return cls(
                title=data["title"],
                sections=tuple(
                    Section(
                        number=s["number"],
                        title=s["title"],
                        tasks=tuple(_task(t) for t in s["tasks"]),
                    )
                    for s in data["sections"]
                ),
                targets=tuple(Target(**t) for t in data["targets"]),
                projects=tuple(
                    Project(**{**p, "units": tuple(p["units"])}) for p in data["projects"]
                ),
            )
        except (KeyError, TypeError, json.JSONDecodeError) as exc:
            raise InputError(both("plans.error.draft_json", reason=repr(exc))) from exc


def _task(data: dict[str, Any]) -> Task:
    units = {"lead_units": tuple(data["lead_units"]), "co_units": tuple(data["co_units"])}
    return Task(**{**data, **units})
