"""Responsible units named in task text (责任单位): ``（牵头单位：…；配合单位：…）``,
``【责任单位：…】`` and ``牵头单位：…`` lines under a task.

The labels are data (:data:`LEAD_LABELS`, :data:`CO_LABELS`); the names after a label run to the
next label, the closing bracket or the end of the line, split at 、，, and 及 and stripped of a
trailing 等 / 等部门. :func:`named_units` returns the task text without the unit notes and the
lead and co units in the order written.
"""

from __future__ import annotations

import re
from typing import Final

__all__ = ["CO_LABELS", "LEAD_LABELS", "named_units"]

LEAD_LABELS: Final = (
    "牵头单位", "牵头部门", "责任单位", "责任部门", "主责单位", "主责部门", "负责单位", "牵头",
)  # fmt: skip
CO_LABELS: Final = ("配合单位", "配合部门", "协办单位", "协助单位", "参与单位", "参与部门", "配合")


def _alternation(words: tuple[str, ...]) -> str:
    return "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))


_LABELS: Final = rf"(?:{_alternation(LEAD_LABELS + CO_LABELS)})[：:]"
# A note in brackets, or a label opening a line, running to the end of that line.
_NOTE: Final = re.compile(
    rf"[（【\[](?P<inner>{_LABELS}[^）】\]]*)[）】\]]|(?:^|(?<=\n))(?P<line>{_LABELS}[^\n]*)"
)
_PART: Final = re.compile(
    rf"(?P<label>{_alternation(LEAD_LABELS + CO_LABELS)})[：:]"
    rf"(?P<names>.*?)(?=[；;]?\s*{_LABELS}|$)",
    re.S,
)
_SEPARATOR: Final = re.compile(
    r"[、，,；;]|及(?=[\u4e00-\u9fff]{2,}(?:局|委|办|厅|部|院|会|府|司))"
)
_TRAILING: Final = re.compile(r"(?:等(?:部门|单位)?|按职责分工负责)$")


def _names(text: str) -> list[str]:
    """Unit names of one label's text."""
    names = (_TRAILING.sub("", name.strip(" 。")) for name in _SEPARATOR.split(text))
    return [name for name in names if name]


def named_units(text: str) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
    """(text without unit notes, lead units, co units) of a task's text."""
    lead: list[str] = []
    co: list[str] = []
    for note in _NOTE.finditer(text):
        body = note.group("inner") or note.group("line")
        for part in _PART.finditer(body):
            kept = co if part.group("label") in CO_LABELS else lead
            kept.extend(name for name in _names(part.group("names")) if name not in kept)
    stripped = _NOTE.sub("", text).strip()
    return stripped, tuple(lead), tuple(co)
