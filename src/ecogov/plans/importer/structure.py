"""Outline of plan prose (章节与任务): headings, numbered tasks and goal paragraphs.

Headings are recognised by :data:`HEADINGS` (data): ``一、`` chapters, ``（一）`` sub-sections,
``1.`` items and ``（1）`` points. Inside a paragraph ``一是…二是…`` list further items.
The outline becomes sections and tasks:

* every chapter is a section; a sub-section with numbered items under it is a section too
  (``二.(一)``), its items are its tasks (``二.(一).1``);
* a sub-section without items, an item and a point are tasks (``二.(一)``, ``一.5``,
  ``一.5.(1)``); an ``一是`` item is a task after its paragraph's lead-in (``二.(一).一是``);
* chapters about principles and goals (:data:`NON_TASK_TITLES`: 总体要求, 基本原则, 指导思想,
  主要目标…) hold no tasks; the paragraphs of goal headings (:data:`GOAL_TITLES`) and
  goal lead-ins such as ``主要目标是：…`` are returned as goal paragraphs for target parsing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Final

from ecogov.plans.importer.dates import find_deadlines, find_start, latest
from ecogov.plans.importer.draft import Section, Task
from ecogov.plans.importer.text import chinese_numeral
from ecogov.plans.importer.units import named_units

__all__ = [
    "GOAL_LEAD",
    "GOAL_TITLES",
    "HEADINGS",
    "NON_TASK_TITLES",
    "Level",
    "Outline",
    "join_number",
    "make_task",
    "match_heading",
    "parse_outline",
]


class Level(IntEnum):
    """Depth of a heading: chapter 一、, sub-section （一）, item 1., point （1）."""

    CHAPTER = 1
    SUBSECTION = 2
    ITEM = 3
    POINT = 4


HEADINGS: Final = (
    (Level.CHAPTER, re.compile(r"^(?P<n>[一二三四五六七八九十]{1,3})、(?P<rest>.*)$"), "{}"),
    (Level.SUBSECTION, re.compile(r"^（(?P<n>[一二三四五六七八九十]{1,3})）(?P<rest>.*)$"), "({})"),
    (Level.ITEM, re.compile(r"^(?P<n>\d{1,2})[.、](?!\d)(?P<rest>.*)$"), "{}"),
    (Level.POINT, re.compile(r"^（(?P<n>\d{1,2})）(?P<rest>.*)$"), "({})"),
)
NON_TASK_TITLES: Final = re.compile(
    r"^(?:总体要求|基本原则|工作原则|指导思想|总体思路|目标要求|(?:主要|工作|具体|总体|发展|年度)?目标)$"
)
GOAL_TITLES: Final = re.compile(r"^(?:主要|工作|具体|总体|发展|年度)?目标(?:要求)?$")
GOAL_LEAD: Final = re.compile(r"^(?:主要|工作|具体|总体|年度)?目标(?:是|为|如下)?：")
_INLINE: Final = re.compile(r"(?:^|(?<=[。；]))(?P<n>[一二三四五六七八九十]{1,2})是")
_HEADING_END: Final = re.compile(r"[。；]")


@dataclass
class _Node:
    """One heading of the outline with the paragraphs under it that carry no heading."""

    level: int
    number: str
    text: str
    children: list[_Node] = field(default_factory=list)
    loose: list[str] = field(default_factory=list)

    def heading(self) -> str:
        """The heading sentence: the text up to the first 。 or ；(all of it when there is none)."""
        return _HEADING_END.split(self.text, maxsplit=1)[0].strip()

    def has_items(self) -> bool:
        """Whether numbered items (1.) sit under this node."""
        return any(child.level == Level.ITEM for child in self.children)


@dataclass(frozen=True)
class Outline:
    """Sections and goal paragraphs of some prose; ``loose_tasks`` sit under no chapter."""

    sections: tuple[Section, ...]
    loose_tasks: tuple[Task, ...]
    goals: tuple[str, ...]


def join_number(*parts: str | None) -> str:
    """Hierarchical number from its non-empty parts: ("二", "(三)", "5") → ``二.(三).5``."""
    return ".".join(part for part in parts if part)


def make_task(number: str, text: str, year: int | None) -> Task:
    """A task whose start and due date come from its own text (due: the latest deadline) and
    its units from the notes naming them (（牵头单位：…；配合单位：…）, 牵头单位：… lines)."""
    text, lead, co = named_units(text)
    due = latest(find_deadlines(text, year))
    start = find_start(text)
    return Task(
        number,
        text,
        lead_units=lead,
        co_units=co,
        start=start.iso() if start else None,
        due=due.iso() if due else None,
    )


def match_heading(line: str) -> tuple[Level, str, str] | None:
    """(level, formatted number, text after the number) when ``line`` opens with a heading."""
    for level, pattern, style in HEADINGS:
        match = pattern.match(line)
        if match:
            return level, style.format(match.group("n")), match.group("rest").strip()
    return None


def _tree(lines: list[str]) -> _Node:
    """The heading tree of ``lines``; paragraphs without a heading stay under the last heading."""
    root = _Node(0, "", "")
    stack = [root]
    for line in lines:
        found = match_heading(line)
        if found is None:
            stack[-1].loose.append(line)
            continue
        level, number, rest = found
        while stack[-1].level >= level:
            stack.pop()
        node = _Node(level, number, rest)
        stack[-1].children.append(node)
        stack.append(node)
    return root


def _inline_items(text: str) -> list[re.Match[str]]:
    """The ``一是…二是…`` markers of a paragraph, when they count up from 一 (at least two)."""
    run: list[re.Match[str]] = []
    for match in _INLINE.finditer(text):
        if chinese_numeral(match.group("n")) == len(run) + 1:
            run.append(match)
    return run if len(run) >= 2 else []


def _node_tasks(node: _Node, number: str, year: int | None) -> list[Task]:
    """Tasks of one task node: itself (its lead-in when it lists 一是… items), its items, points."""
    text = "\n".join([node.text, *node.loose]).strip()
    markers = _inline_items(text)
    lead = text[: markers[0].start()].strip() if markers else text
    tasks = [make_task(number, lead, year)] if lead else []
    for index, marker in enumerate(markers):
        end = markers[index + 1].start() if index + 1 < len(markers) else len(text)
        item = text[marker.end() : end].strip()
        tasks.append(make_task(join_number(number, f"{marker.group('n')}是"), item, year))
    for child in node.children:
        tasks.extend(_node_tasks(child, join_number(number, child.number), year))
    return tasks


def _under(node: _Node) -> list[str]:
    """Text under a node: its loose paragraphs, then each child's text and what is under it."""
    paragraphs = list(node.loose)
    for child in node.children:
        paragraphs.append(child.text)
        paragraphs.extend(_under(child))
    return paragraphs


def _goal_paragraphs(node: _Node) -> list[str]:
    """All text under a goal heading: its own text after the heading sentence, then the rest."""
    own = node.text[len(node.heading()) :].lstrip("。； ")
    return ([own] if own else []) + _under(node)


@dataclass
class _Builder:
    """Accumulates sections, loose tasks and goal paragraphs while walking the tree."""

    prefix: str
    year: int | None
    sections: list[Section] = field(default_factory=list)
    loose_tasks: list[Task] = field(default_factory=list)
    goals: list[str] = field(default_factory=list)

    def chapter(self, node: _Node) -> None:
        """Section of a chapter, and sections of its sub-sections that hold items."""
        number = join_number(self.prefix, node.number)
        if GOAL_TITLES.match(node.heading()):
            self.goals.extend(_goal_paragraphs(node))
            self.sections.append(Section(number, node.heading()))
            return
        holds_tasks = not NON_TASK_TITLES.match(node.heading())
        tasks: list[Task] = []
        later: list[Section] = []
        for child in node.children:
            child_number = join_number(number, child.number)
            if GOAL_TITLES.match(child.heading()):
                self.goals.extend(_goal_paragraphs(child))
            elif not holds_tasks or NON_TASK_TITLES.match(child.heading()):
                continue
            elif child.level == Level.SUBSECTION and child.has_items():
                later.append(self.subsection(child, child_number))
            else:
                tasks.extend(_node_tasks(child, child_number, self.year))
        self.sections.append(Section(number, node.heading(), tuple(tasks)))
        self.sections.extend(later)

    def subsection(self, node: _Node, number: str) -> Section:
        """Section of a sub-section with items; the items (and their points) are its tasks."""
        tasks = [
            task
            for child in node.children
            for task in _node_tasks(child, join_number(number, child.number), self.year)
        ]
        return Section(number, node.heading(), tuple(tasks))

    def root(self, root: _Node) -> None:
        """Walk the top of the tree: goal lead-ins, chapters and tasks under no chapter."""
        self.goals.extend(line for line in root.loose if GOAL_LEAD.match(line))
        for node in root.children:
            if node.level == Level.CHAPTER:
                self.chapter(node)
            elif node.level == Level.SUBSECTION and node.has_items():
                # a sub-section under no chapter (a plan without chapters, a fragment): its
                # heading is a section, not a task, as under a chapter
                number = join_number(self.prefix, node.number)
                self.sections.append(self.subsection(node, number))
            else:
                self.loose_tasks.extend(
                    _node_tasks(node, join_number(self.prefix, node.number), self.year)
                )


def parse_outline(lines: list[str], *, prefix: str = "", year: int | None = None) -> Outline:
    """Sections, loose tasks and goal paragraphs of normalised prose ``lines``.

    ``prefix`` starts every number (``附件3`` → ``附件3.二.(一)``); ``year`` completes deadlines
    that give only a month (``6月底前``).
    """
    builder = _Builder(prefix, year)
    builder.root(_tree(lines))
    return Outline(tuple(builder.sections), tuple(builder.loose_tasks), tuple(builder.goals))
