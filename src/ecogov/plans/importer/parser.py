"""Turn a plan as published into a reviewable draft: :func:`parse_plan`.

The text is normalised and stripped of page furniture (:mod:`.text`); the plan title is the
last title-shaped line before the first heading (the cover notice, 印发通知, comes before it);
the body is cut into parts at annex markers (``附件1``, ``附件2``; a bare ``附件`` inside annex 3
is ``附件3.附件``). In each part the prose gives sections, tasks and goal paragraphs
(:mod:`.structure`), each table from its 序号 line gives grouped tasks or key projects
(:mod:`.tables`), each key-indicator table (指标 | 2020年 | 2025年) its targets (:mod:`.keytable`).
Targets come from goal paragraphs (bound or kept as text) and from task text
(only those bound to an indicator), without repeats (:mod:`.targets`).

Pure: no I/O, never raises on text with any non-blank character; empty or blank text raises
:class:`EmptyDocument`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Final

from ecogov.plans.importer.dates import title_period, title_year
from ecogov.plans.importer.draft import PlanDraft, Project, Section, Target
from ecogov.plans.importer.keytable import read_key_tables
from ecogov.plans.importer.structure import join_number, match_heading, parse_outline
from ecogov.plans.importer.tables import UNIT_HEADS, is_header, parse_table
from ecogov.plans.importer.targets import Baselines, extract_targets, future_deadline, is_review
from ecogov.plans.importer.text import clean_lines
from ecogov.platform.i18n import both

__all__ = ["ANNEX_LIST", "ANNEX_MARKER", "TITLE", "EmptyDocument", "parse_plan"]


class EmptyDocument(ValueError):
    """Raised by :func:`parse_plan` when the text is empty or holds only whitespace."""


TITLE: Final = re.compile(r"(?:要点|计划|方案|规划|纲要|意见|办法|细则)(?:（[^（）]{0,15}）)?$")
_NOT_TITLE: Final = re.compile(r"[，。；：]")
_TITLE_MAX: Final = 60
ANNEX_MARKER: Final = re.compile(r"^附件(?P<n>\d{1,2}|[一二三四五六七八九十]{1,2})?$")
ANNEX_LIST: Final = re.compile(r"^附件：")  # "附件：1.…责任分解表" lists the annexes
_REGION_LEVEL: Final = re.compile(r"(?:省|市|自治区|自治州|地区|县|区)$")


@dataclass(frozen=True)
class _Part:
    """The main text or one annex: number prefix, title and lines."""

    prefix: str
    title: str | None
    lines: tuple[str, ...]


def _is_title(line: str) -> bool:
    """Whether ``line`` reads as a plan title (…工作要点, …行动计划（2018-2022）)."""
    return len(line) <= _TITLE_MAX and bool(TITLE.search(line)) and not _NOT_TITLE.search(line)


def _title_index(lines: list[str]) -> int | None:
    """Index of the plan title: the last title before the first heading, else the first title."""
    first_heading = next(
        (i for i, line in enumerate(lines) if match_heading(line) or ANNEX_MARKER.match(line)),
        len(lines),
    )
    titles = [i for i, line in enumerate(lines) if _is_title(line)]
    before = [i for i in titles if i < first_heading]
    if before:
        return before[-1]
    return titles[0] if titles else None


def _parts(body: list[str], title: str | None) -> list[_Part]:
    """The main part and each annex; an annex's first line is its title."""
    parts: list[_Part] = []
    prefix, part_title, top = "", title, ""
    lines: list[str] = []
    awaiting_title = False
    for line in body:
        marker = ANNEX_MARKER.match(line)
        if marker:
            parts.append(_Part(prefix, part_title, tuple(lines)))
            number = marker.group("n")
            top = f"附件{number}" if number else top
            prefix = top if number else join_number(top, "附件")
            part_title, awaiting_title = None, True
            lines = []
        elif awaiting_title:
            part_title, awaiting_title = line, False
        else:
            lines.append(line)
    parts.append(_Part(prefix, part_title, tuple(lines)))
    return parts


def _prose_and_tables(lines: Iterable[str]) -> tuple[list[str], list[list[str]]]:
    """Prose lines (up to a list of annexes) and the tables (each from its 序号 line on)."""
    prose: list[str] = []
    tables: list[list[str]] = []
    listing = False
    for line in lines:
        if is_header(line):
            tables.append([line])
        elif tables:
            tables[-1].append(line)
        else:
            listing = listing or bool(ANNEX_LIST.match(line))
            if not listing:
                prose.append(line)
    return prose, tables


def _unit_heads(region: str | None) -> tuple[str, ...]:
    """Words a unit name may open with: the generic heads plus the region's name (湖州市, 湖州)."""
    if not region:
        return UNIT_HEADS
    return tuple(dict.fromkeys((*UNIT_HEADS, region, _REGION_LEVEL.sub("", region) or region)))


def _distinct(targets: Iterable[Target]) -> tuple[Target, ...]:
    """Targets without repeats, in order.

    A bound target counts once per (indicator, comparator, value, unit, scope, year) whatever
    its wording (004 states some targets in the plan and again in an annex); an unbound one
    once per identical record.
    """
    seen: set[object] = set()
    kept: list[Target] = []
    for t in targets:
        key = (t.indicator, t.comparator, t.value, t.unit, t.scope, t.year) if t.indicator else t
        if key not in seen:
            seen.add(key)
            kept.append(t)
    return tuple(kept)


_LABEL_LINE: Final = re.compile(r"^[^，。；]{1,12}：$")  # 北京： opening a run of paragraphs


def _prose_sections(prose: list[str]) -> list[list[str]]:
    """Prose cut into sections at headings (一、 （一） 1.) and label lines (``北京：``):
    a deadline named in one paragraph reaches the later paragraphs of its section."""
    sections: list[list[str]] = [[]]
    for line in prose:
        if match_heading(line) or _LABEL_LINE.match(line):
            sections.append([])
        sections[-1].append(line)
    return [section for section in sections if section]


@dataclass
class _Draft:
    """Collects what each part yields."""

    title: str | None
    heads: tuple[str, ...]
    sections: list[Section]
    targets: list[Target]
    projects: list[Project]
    baselines: Baselines = field(default_factory=dict)  # results kept as context

    def add(self, part: _Part, year: int | None, since: int | None) -> None:
        """Add the sections, tasks, projects and targets of one part."""
        key_targets, lines = read_key_tables(part.lines, since)
        prose, tables = _prose_and_tables(lines)
        outline = parse_outline(prose, prefix=part.prefix, year=year)
        results = [
            parse_table(table, prefix=part.prefix, year=year, heads=self.heads) for table in tables
        ]
        loose = outline.loose_tasks + tuple(t for r in results for t in r.loose_tasks)
        part_sections: list[Section] = []
        if part.prefix or loose:
            title = part.title or self.title or ""
            part_sections.append(Section(part.prefix or None, title, loose))
        part_sections.extend(outline.sections)
        for result in results:
            part_sections.extend(result.sections)
            self.projects.extend(result.projects)
        self.sections.extend(part_sections)
        for paragraph in outline.goals:
            self.targets.extend(
                extract_targets(paragraph, year, since=since, baselines=self.baselines)
            )
        self.targets.extend(key_targets)
        goals = set(outline.goals)
        for run in _prose_sections(prose):
            review = is_review(run, since)
            section_year: int | None = None
            for paragraph in run:
                if paragraph not in goals:
                    self.targets.extend(
                        extract_targets(
                            paragraph,
                            year,
                            stated_only=True,
                            since=since,
                            section_year=section_year,
                            review=review,
                            baselines=self.baselines,
                        )
                    )
                section_year = future_deadline(paragraph, since) or section_year
        for section in part_sections:
            for task in section.tasks:
                self.targets.extend(
                    extract_targets(task.text, year, keep_unmapped=False, since=since)
                )


def parse_plan(text: str, *, year: int | None = None, region: str | None = None) -> PlanDraft:
    """Parse a published plan (web capture or clean text) into a :class:`PlanDraft`.

    ``year`` is the plan's year or period end, the deadline of targets whose sentence names
    none; when omitted it is read from the title (``2020年…要点`` → 2020, ``（2018-2022）`` →
    2022). An annex whose title names its own year (``2018年…实施计划``) uses that year.
    ``region`` (e.g. ``湖州市``) lets unit names that open with it (``湖州电力局``) be told from
    text in tables. Raises :class:`EmptyDocument` for empty or blank text and nothing else.
    """
    if not text.strip():
        raise EmptyDocument(both("plans.error.empty_text"))
    lines = clean_lines(text)
    index = _title_index(lines)
    title = lines[index] if index is not None else None
    body = lines[index + 1 :] if index is not None else lines
    plan_year = year if year is not None else title_year(title)
    period = title_period(title)
    since = period[0] if period else plan_year  # years before it are results, not targets
    draft = _Draft(title, _unit_heads(region), [], [], [])
    for part in _parts(body, title):
        part_year = (title_year(part.title) or plan_year) if part.prefix else plan_year
        draft.add(part, part_year, since)
    return PlanDraft(title, tuple(draft.sections), _distinct(draft.targets), tuple(draft.projects))
