"""Responsible units named in task text (责任单位): ``（牵头单位：…；配合单位：…）``,
``【责任单位：…】`` and ``牵头单位：…`` lines under a task, and the verb form most plans use,
``（市生态环境局牵头，市发展改革委、市住建局配合）`` / ``（市水务局负责）``.

The labels are data (:data:`LEAD_LABELS`, :data:`CO_LABELS`); the names after a label run to the
next label, the closing bracket or the end of the line, split at 、，, and 及 and stripped of a
trailing 等 / 等部门. In the verb form a bracket is a note only when every part (split at ，；)
ends in a role verb (:data:`LEAD_VERBS`, :data:`CO_VERBS`) after names that all end like a unit
(:data:`UNIT_ENDINGS`): ``（牵头抓好落实）`` or ``（含北京经济技术开发区）`` stay text.
:func:`named_units` returns the task text without the unit notes and the
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


LEAD_VERBS: Final = ("牵头负责", "牵头", "负责")
CO_VERBS: Final = ("按职责分工负责", "分工负责", "协同配合", "配合", "参与", "协助", "协同")
UNIT_ENDINGS: Final = re.compile(
    r"(?:局|委|办|厅|部|院|会|府|司|处|中心|公司|集团|单位|部门|街道|镇|乡|队|站|所|行|社)$"
)
_VERB_NOTE: Final = re.compile(r"[（【\[](?P<inner>[^（）【】\[\]]+)[）】\]]")
_VERB_PART: Final = re.compile(
    rf"^(?P<names>.+?)(?P<verb>{_alternation(CO_VERBS)}|{_alternation(LEAD_VERBS)})$"
)


def _verb_note(inner: str) -> tuple[list[str], list[str]] | None:
    """(lead, co) of a bracket in the verb form (市生态环境局牵头，市住建局配合), else None."""
    lead: list[str] = []
    co: list[str] = []
    for part in re.split(r"[，；;]", inner.strip(" 。")):
        match = _VERB_PART.match(part.strip())
        if match is None:
            return None
        names = _names(match.group("names"))
        if not names or not all(UNIT_ENDINGS.search(name) for name in names):
            return None
        kept = co if match.group("verb") in CO_VERBS else lead
        kept.extend(name for name in names if name not in kept)
    return (lead, co) if lead or co else None


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
    stripped = _NOTE.sub("", text)
    kept_text: list[str] = []
    position = 0
    for note in _VERB_NOTE.finditer(stripped):
        found = _verb_note(note.group("inner"))
        if found is not None:
            lead.extend(name for name in found[0] if name not in lead)
            co.extend(name for name in found[1] if name not in co)
            kept_text.append(stripped[position : note.start()])
            position = note.end()
    kept_text.append(stripped[position:])
    return "".join(kept_text).strip(), tuple(lead), tuple(co)
