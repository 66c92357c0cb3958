"""Tables flattened one cell per line (责任分解表, 重点项目表, 任务清单).

A web capture turns a table into a column of lines: the header cells (序号 / 工作内容 /
工作任务 / 牵头单位 / 配合单位), then for every row its number and its cells, with long cells
wrapped over several lines (``严格落实生态`` + ``保护红线管控``, ``市交通`` + ``运输局``).
Group rows (``一、深入推进…`` or an unnumbered ``绿色发展提升工程``) split the rows into sections.

Columns are recognised by :data:`HEADER_LABELS`. A row starts at the line holding the next row
number; each following line is classified from its shape and position:

* a date cell (``2018年``, ``2018``, ``——``) where the table has time columns;
* a unit cell: every part (split at 、，) ends like a unit name (:data:`UNIT_SUFFIXES`: 局, 委,
  办…) and the line opens with a unit head (:data:`UNIT_HEADS`: 市, 县, 各…, or the region's
  own name) or comes after the row's task text; a wrapped unit joins the cell above;
* otherwise text: the leading lines that are not sentences are the work item or project name,
  the rest the task or content. Text after units or dates opens a sub-row (a project listed
  with several contents, units and periods), merged into the row.

Merged cells leave rows without a work item or without units: they inherit them from the row
above in the same group. With two or more unit cells the last is the co-units (配合单位) and the
others the lead units (牵头单位); a single cell is the lead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from enum import StrEnum
from types import MappingProxyType
from typing import Final

from ecogov.plans.importer.dates import Deadline, find_deadlines, latest
from ecogov.plans.importer.draft import Project, Section, Task
from ecogov.plans.importer.structure import Level, join_number, make_task, match_heading

__all__ = [
    "HEADER_LABELS",
    "UNIT_HEADS",
    "UNIT_SUFFIXES",
    "Role",
    "Table",
    "is_header",
    "parse_table",
]


class Role(StrEnum):
    """What a column holds."""

    NUMBER = "number"  # 序号
    ITEM = "item"  # 工作内容, 项目名称: short label, may be merged over rows
    TASK = "task"  # 工作任务, 项目内容
    LEAD = "lead"  # 牵头单位, 责任单位
    CO = "co"  # 配合单位
    START = "start"  # 启动时间
    END = "end"  # 完成时间
    DUE = "due"  # 完成时限, 整改时限


HEADER_LABELS: Final = MappingProxyType(
    {
        "序号": Role.NUMBER, "编号": Role.NUMBER,
        "工作内容": Role.ITEM, "重点工作": Role.ITEM, "项目名称": Role.ITEM,
        "工作任务": Role.TASK, "主要工作任务": Role.TASK, "整改任务": Role.TASK,
        "整改措施": Role.TASK, "项目内容": Role.TASK, "建设内容": Role.TASK,
        "牵头单位": Role.LEAD, "责任单位": Role.LEAD, "牵头部门": Role.LEAD, "责任部门": Role.LEAD,
        "配合单位": Role.CO, "主要配合单位": Role.CO, "协作单位": Role.CO, "配合部门": Role.CO,
        "启动时间": Role.START, "开始时间": Role.START, "完成时间": Role.END,
        "完成时限": Role.DUE, "整改时限": Role.DUE,
    }
)  # fmt: skip
PROJECT_LABELS: Final = frozenset({"项目名称", "项目内容", "建设内容"})
UNIT_SUFFIXES: Final = (
    "局", "委", "办", "部", "厅", "院", "会", "联", "政府", "集团", "公司", "部门", "单位",
    "中心", "站", "县区", "办公室",
)  # fmt: skip
UNIT_HEADS: Final = ("市", "省", "县", "区", "各", "团", "国家", "中央")
_TAIL_MAX: Final = 4  # a wrapped unit name continues on a line of at most this many characters
_FRAGMENT_MAX: Final = 6  # a unit name cut at the line end ("市交通") is at most this long
_UNIT_NAME_MAX: Final = 20
_GROUP_TITLE_MAX: Final = 30
_LABELS: Final = re.compile("|".join(sorted(HEADER_LABELS, key=len, reverse=True)))
_ROW_NUMBER: Final = re.compile(r"\d{1,3}")
_DATE_CELL: Final = re.compile(
    r"(?:19|20)\d{2}年?(?:\d{1,2}月)?(?:底|末)?前?|[—–\-－]+|长期坚持|持续推进|长期推进|立行立改"
)
_YEAR: Final = re.compile(r"(?:19|20)\d{2}")
_UNIT_SEPARATORS: Final = re.compile(r"[、，]")
_SENTENCE_MARKS: Final = re.compile(r"[。；！？，]")
_SENTENCE_LENGTH: Final = 30


def _tokenise(text: str) -> tuple[list[str], str | None]:
    """Header labels spelled by ``text`` and the unfinished label at its end.

    The remainder is None when ``text`` is not made of header labels at all.
    """
    labels: list[str] = []
    position = 0
    while position < len(text):
        match = _LABELS.match(text, position)
        if match is None:
            rest = text[position:]
            return labels, rest if any(label.startswith(rest) for label in HEADER_LABELS) else None
        labels.append(match.group())
        position = match.end()
    return labels, ""


def is_header(line: str) -> bool:
    """Whether ``line`` opens a table header (序号, possibly followed by other labels)."""
    labels, rest = _tokenise(line)
    return rest is not None and bool(labels) and HEADER_LABELS[labels[0]] is Role.NUMBER


@dataclass(frozen=True)
class Table:
    """The columns of a table and its body lines (everything after the header)."""

    labels: tuple[str, ...]
    body: tuple[str, ...]

    @classmethod
    def read(cls, lines: list[str]) -> Table:
        """Split ``lines`` (starting at the 序号 line) into header labels and body."""
        buffer, index = "", 0
        while index < len(lines) and _tokenise(buffer + lines[index])[1] is not None:
            buffer += lines[index]
            index += 1
        return cls(tuple(_tokenise(buffer)[0]), tuple(lines[index:]))

    def roles(self) -> tuple[Role, ...]:
        """The role of each column."""
        return tuple(HEADER_LABELS[label] for label in self.labels)

    def is_projects(self) -> bool:
        """Whether this is a key-project table (项目名称 / 项目内容)."""
        return any(label in PROJECT_LABELS for label in self.labels)

    def date_roles(self) -> tuple[Role, ...]:
        """The time columns in order (启动时间, 完成时间, 整改时限)."""
        return tuple(role for role in self.roles() if role in (Role.START, Role.END, Role.DUE))


@dataclass
class _Block:
    """One sub-row: text lines, unit cells and date cells."""

    text: list[str] = field(default_factory=list)
    units: list[str] = field(default_factory=list)
    dates: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Group:
    """A group row: its number (None when unnumbered) and title."""

    number: str | None
    title: str


@dataclass
class _Row:
    """A table row being read: its number, group and sub-rows."""

    number: str
    group: _Group | None
    blocks: list[_Block] = field(default_factory=lambda: [_Block()])

    def has_sentence(self) -> bool:
        """Whether the row already holds a sentence of text (its task or content)."""
        return any(_is_sentence(line) for block in self.blocks for line in block.text)


def _is_sentence(line: str) -> bool:
    """Whether a text line reads as a sentence rather than a short label."""
    return bool(_SENTENCE_MARKS.search(line)) or len(line) > _SENTENCE_LENGTH


def _parts(line: str) -> list[str]:
    """Parts of a unit line split at 、，(a trailing separator leaves no empty part)."""
    return [part.strip() for part in _UNIT_SEPARATORS.split(line.rstrip("、，"))]


def _is_unit_name(part: str) -> bool:
    """Whether ``part`` ends like a unit name (市环保局, 各县区政府, 团市委)."""
    return 0 < len(part) <= _UNIT_NAME_MAX and part.endswith(UNIT_SUFFIXES)


def _is_unit_shaped(line: str, heads: tuple[str, ...]) -> bool:
    """Whether every part of ``line`` is a unit name, the last possibly cut (市交通)."""
    if re.search(r"[。；！？]", line):
        return False
    *complete, last = _parts(line)
    cut = last.startswith(heads) and len(last) <= _FRAGMENT_MAX
    return all(_is_unit_name(part) for part in complete) and (_is_unit_name(last) or cut)


def _continues(previous: str, line: str, heads: tuple[str, ...]) -> bool:
    """Whether ``line`` is the wrapped end of the unit cell ``previous``."""
    if previous.endswith(("、", "，")) or not _is_unit_name(_parts(previous)[-1]):
        return True
    first = _parts(line)[0]
    return not first.startswith(heads) and len(first) <= _TAIL_MAX


def _opens_row(line: str, expected: int, *, restart: bool) -> bool:
    """Whether ``line`` is the next row number (or 1, when numbering may restart after a group).

    Checking the sequence keeps a year without 年 (``2018``) or a stray count from opening a row.
    """
    if not _ROW_NUMBER.fullmatch(line):
        return False
    return int(line) == expected or (restart and int(line) == 1)


@dataclass
class _Reader:
    """Reads the body of one table into groups and rows."""

    table: Table
    heads: tuple[str, ...]
    groups: list[_Group] = field(default_factory=list)
    rows: list[_Row] = field(default_factory=list)

    def read(self) -> None:
        """Walk the body lines, opening rows and groups and filling cells."""
        body, group, row, expected = self.table.body, None, None, 1
        for index, line in enumerate(body):
            following = body[index + 1] if index + 1 < len(body) else ""
            if _opens_row(line, expected, restart=row is None):
                row = _Row(line, group)
                self.rows.append(row)
                expected = int(line) + 1
            elif (found := self._group(line, following, row, expected)) is not None:
                group, row = found, None
                self.groups.append(group)
            elif row is not None:
                self._cell(row, line)

    def _group(self, line: str, following: str, row: _Row | None, expected: int) -> _Group | None:
        """The group a line opens: a numbered chapter, or a short title before the next row."""
        found = match_heading(line)
        if found is not None and found[0] == Level.CHAPTER:
            return _Group(found[1], found[2])
        next_row = following in (str(expected), "1")
        if (
            next_row
            and (row is None or row.has_sentence())
            and not _is_sentence(line)
            and len(line) <= _GROUP_TITLE_MAX
            and not _is_unit_shaped(line, self.heads)
            and not _DATE_CELL.fullmatch(line)
        ):
            return _Group(None, line)
        return None

    def _cell(self, row: _Row, line: str) -> None:
        """Put one line into the row: a date, a unit (or its wrapped end) or text."""
        block = row.blocks[-1]
        unit = _is_unit_shaped(line, self.heads)
        if self.table.date_roles() and _DATE_CELL.fullmatch(line):
            block.dates.append(line)
        elif unit and block.units and _continues(block.units[-1], line, self.heads):
            block.units[-1] += line
        elif unit and (line.startswith(self.heads) or self._past_text(block)):
            block.units.append(line)
        else:
            if block.units or block.dates:
                block = _Block()
                row.blocks.append(block)
            block.text.append(line)

    def _past_text(self, block: _Block) -> bool:
        """Whether the text columns of this sub-row are filled, so units may follow."""
        if Role.ITEM in self.table.roles():
            return any(_is_sentence(line) for line in block.text)
        return bool(block.text)


def _names(cells: list[str]) -> tuple[str, ...]:
    """Unit names of unit cells, in order, without repeats."""
    names = (name for cell in cells for name in _parts(cell) if name)
    return tuple(dict.fromkeys(names))


def _split_label(row: _Row, has_item: bool) -> tuple[str, str]:
    """(work item or project name, task or content) of a row."""
    first = row.blocks[0].text
    count = 0
    if has_item:
        while count < len(first) and not _is_sentence(first[count]):
            count += 1
        if count == len(first):  # no sentence: the last line is the task, the rest the label
            count = max(len(first) - 1, 0)
    rest = first[count:] + [line for block in row.blocks[1:] for line in block.text]
    return "".join(first[:count]), "".join(rest)


def _dates(row: _Row, roles: tuple[Role, ...]) -> dict[Role, list[str]]:
    """Date cells of every sub-row keyed by their column role (a dash is dropped)."""
    found: dict[Role, list[str]] = {}
    for block in row.blocks:
        for role, cell in zip(roles, block.dates, strict=False):
            if _YEAR.match(cell):
                found.setdefault(role, []).append(cell)
    return found


def _deadline(cell: str) -> Deadline:
    """The deadline of a date cell that opens with a year (``2021年底前``, ``2018``)."""
    found = find_deadlines(cell)
    return found[0] if found else Deadline(int(cell[:4]))


@dataclass(frozen=True)
class TableResult:
    """Sections (one per group), tasks outside any group, and key projects of a table."""

    sections: tuple[Section, ...] = ()
    loose_tasks: tuple[Task, ...] = ()
    projects: tuple[Project, ...] = ()


def _project(row: _Row, table: Table, prefix: str) -> Project:
    """The key project of one row: sub-rows merged, earliest start and latest end year."""
    name, content = _split_label(row, has_item=True)
    dates = _dates(row, table.date_roles())
    starts = [int(cell[:4]) for cell in dates.get(Role.START, [])]
    ends = [int(cell[:4]) for role in (Role.END, Role.DUE) for cell in dates.get(role, [])]
    group = row.group.number if row.group else None
    return Project(
        join_number(prefix, group, row.number),
        name,
        content,
        _names([cell for block in row.blocks for cell in block.units]),
        min(starts, default=None),
        max(ends, default=None),
    )


@dataclass
class _TaskBuilder:
    """Turns rows into tasks, carrying merged cells (item, units) down within a group."""

    table: Table
    prefix: str
    year: int | None
    group: _Group | None = None
    item: str = ""
    units: tuple[tuple[str, ...], tuple[str, ...]] = ((), ())

    def task(self, row: _Row) -> Task:
        """The task of one row."""
        if row.group is not self.group:
            self.group, self.item, self.units = row.group, "", ((), ())
        item, text = _split_label(row, Role.ITEM in self.table.roles())
        self.item = item or self.item
        cells = [cell for block in row.blocks for cell in block.units]
        if cells:
            self.units = self._assign(cells)
        group = row.group.number if row.group else None
        number = join_number(self.prefix, group, row.number)
        task = make_task(number, f"{self.item}：{text}" if self.item else text, self.year)
        task = replace(task, lead_units=self.units[0], co_units=self.units[1])
        return self._dated(task, row)

    def _assign(self, cells: list[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """(lead, co) units: of several cells the last is the co-units, if the table has them."""
        if Role.CO in self.table.roles() and len(cells) > 1:
            return _names(cells[:-1]), _names(cells[-1:])
        return _names(cells), ()

    def _dated(self, task: Task, row: _Row) -> Task:
        """``task`` with start and due from the row's time columns when it has them."""
        dates = _dates(row, self.table.date_roles())
        dues = [_deadline(cell) for role in (Role.END, Role.DUE) for cell in dates.get(role, [])]
        starts = [_deadline(cell) for cell in dates.get(Role.START, [])]
        due, start = latest(dues), min(starts, key=Deadline.sort_key, default=None)
        return replace(
            task,
            due=due.iso() if due else task.due,
            start=start.iso() if start else task.start,
        )


def parse_table(
    lines: list[str],
    *,
    prefix: str = "",
    year: int | None = None,
    heads: tuple[str, ...] = UNIT_HEADS,
) -> TableResult:
    """Read a flattened table starting at its 序号 line.

    ``prefix`` starts every number (``附件1`` → ``附件1.一.16``); ``year`` completes month-only
    deadlines; ``heads`` are the words a unit name may open with (:data:`UNIT_HEADS` plus the
    region's name).
    """
    table = Table.read(lines)
    reader = _Reader(table, heads)
    reader.read()
    if table.is_projects():
        return TableResult(projects=tuple(_project(row, table, prefix) for row in reader.rows))
    builder = _TaskBuilder(table, prefix, year)
    tasks = [(row.group, builder.task(row)) for row in reader.rows]
    sections = tuple(
        Section(
            join_number(prefix, group.number) if group.number else None,
            group.title,
            tuple(task for owner, task in tasks if owner is group),
        )
        for group in reader.groups
    )
    loose = tuple(task for owner, task in tasks if owner is None)
    return TableResult(sections=sections, loose_tasks=loose)
