"""Key-indicator tables (主要指标表, 专栏: 指标 | 2015年 | 2020年 | 〔累计〕 | 属性).

Five-year plans state their targets in a table: one row per indicator, its name with the unit
in brackets (``地级及以上城市空气质量优良天数比率（%）``), a baseline and a target column per
year, sometimes a cumulative column (``〔18〕``: 下降18% over the period) and the attribute
(约束性 / 预期性). Web captures and Word files flatten it one cell per line, web captures with
``|`` between cells; both read the same here.

The header is a ``指标`` cell followed by its column cells (years, 累计, 属性, 单位). A row is a
name cell (Chinese text) followed by value cells (``76.7``, ``>80``, ``<5``, ``15左右``, ``〔18〕``,
``-``) up to its attribute; a Chinese cell not followed by values is a category (生态环境质量).
Values fill the year columns, then the cumulative one, in order. The target is the cell of the
latest year, else the cumulative cell; its comparator is the sign written (``>80`` → ``>``),
else the suffix (``左右`` → ``=``), else the indicator's direction (a change, 下降…, is ``>=``
on its size). Cells written ``76。7`` (a mirror's full stop for the decimal point) are numbers.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Final

from ecogov.plans.importer.draft import Target
from ecogov.plans.importer.targets import (
    SUFFIXES,
    UNITS,
    bind_indicator,
    direction_comparator,
    is_past,
)

__all__ = ["SIGNS", "read_key_tables"]

SIGNS: Final = {">": ">", "<": "<", "≥": ">=", "≤": "<=", "=": "="}
_HEADER: Final = re.compile(r"^(?:主要)?指标(?:名称)?$")
_YEAR_COLUMN: Final = re.compile(r"^(?P<year>(?:19|20)\d{2})年?(?:目标值?|基准值?|现状值?)?\d?$")
_CUMULATIVE_COLUMN: Final = re.compile(r"^〔?累计〕?\d?$")
_OTHER_COLUMN: Final = re.compile(r"^(?:指标)?(?:属性|类别|性质|单位)\d?$")
_VALUE: Final = re.compile(
    rf"^(?P<sign>[{''.join(SIGNS)}])?(?P<num>\d+(?:[.。]\d+)?)(?P<post>{'|'.join(SUFFIXES)})?$"
)
_CUMULATIVE: Final = re.compile(r"^〔(?P<num>\d+(?:\.\d+)?)〕$")
_EMPTY: Final = re.compile(r"^[-—–/]+$")
_ATTRIBUTE: Final = re.compile(r"^(?:约束性|预期性)")
_NAME: Final = re.compile(r"[\u4e00-\u9fff]")
_NAME_UNIT: Final = re.compile(r"（(?P<unit>[^（）]{1,10})）$")
_CHANGE: Final = re.compile(r"下降|降低|减少|削减|提高|提升|增长|增加")


@dataclass(frozen=True)
class _Columns:
    """The value columns of a key-indicator table: target year and where the values go."""

    years: tuple[int, ...]
    cumulative: bool


def _cells(lines: Iterable[str]) -> tuple[list[str], list[int]]:
    """The table cells of ``lines`` (each line split at ``|``, blank cells dropped) and the
    index of the line each comes from."""
    cells: list[str] = []
    origins: list[int] = []
    for number, line in enumerate(lines):
        for cell in line.split("|"):
            if cell.strip():
                cells.append(cell.strip())
                origins.append(number)
    return cells, origins


def _columns(cells: list[str], start: int) -> tuple[_Columns, int] | None:
    """The columns named after the ``指标`` cell at ``start`` and the index after them, or None
    when no year column follows (``指标`` in running text)."""
    years: list[int] = []
    cumulative = False
    index = start + 1
    while index < len(cells):
        cell = cells[index]
        if match := _YEAR_COLUMN.match(cell):
            years.append(int(match.group("year")))
        elif _CUMULATIVE_COLUMN.match(cell):
            cumulative = True
        elif not _OTHER_COLUMN.match(cell):
            break
        index += 1
    return (_Columns(tuple(years), cumulative), index) if years else None


def _is_value(cell: str) -> bool:
    """Whether a cell holds a value, a cumulative value or a dash."""
    return bool(_VALUE.match(cell) or _CUMULATIVE.match(cell) or _EMPTY.match(cell))


def _row_target(name: str, values: list[str], columns: _Columns) -> Target | None:
    """The target of one row: its latest-year cell, else its cumulative one."""
    names = (*columns.years, *(("累计",) if columns.cumulative else ()))
    cells = dict(zip(names, values, strict=False))  # a row may leave its last cells out
    year = max(columns.years)
    cell = cells.get(year, "")
    match = _VALUE.match(cell.replace("。", "."))
    cumulative = _CUMULATIVE.match(cells.get("累计", ""))
    unit_match = _NAME_UNIT.search(name)
    unit = UNITS.get(unit_match.group("unit")) if unit_match else None
    subject = _NAME_UNIT.sub("", name)
    indicator = bind_indicator(subject, unit)
    if match:
        number = match.group("num")
        sign, post = match.group("sign"), match.group("post")
    elif cumulative:
        number, sign, post = cumulative.group("num"), None, None
    else:
        return None
    if sign:
        comparator = SIGNS[sign]
    elif post:
        comparator = SUFFIXES[post]
    elif _CHANGE.search(subject):
        comparator = ">="
    else:
        comparator = direction_comparator(indicator, subject)
    value = float(number) if "." in number else int(number)
    sure = "high" if indicator and (sign or post) else "low"
    key = indicator.key if indicator else None
    text = f"{name}：{cell if match else cells['累计']}"
    return Target(key, comparator, value, unit, None, year, text, sure)


def _rows(cells: list[str], index: int, columns: _Columns) -> tuple[list[Target], int]:
    """Targets of the rows from ``index`` on and the index of the cell after the last row:
    rows run up to a cell that is neither a row nor a category (the table has ended)."""
    width = len(columns.years) + columns.cumulative
    targets: list[Target] = []
    end = index
    while index < len(cells):
        name = cells[index]
        if not _NAME.search(name) or _ATTRIBUTE.match(name):
            break
        values: list[str] = []
        index += 1
        while index < len(cells) and _is_value(cells[index].replace("。", ".")):
            values.append(cells[index])
            index += 1
        if index < len(cells) and _ATTRIBUTE.match(cells[index]):
            index += 1
        if values and len(values) <= width:
            end = index
            if target := _row_target(name, values, columns):
                targets.append(target)
    return targets, end


def read_key_tables(
    lines: Sequence[str], since: int | None = None
) -> tuple[list[Target], list[str]]:
    """Targets of the key-indicator tables in ``lines`` (normalised, cleaned) and the lines
    outside them, for the prose reader. A table whose latest year is before ``since`` (the
    plan's first year) reports results: it gives no target."""
    cells, origins = _cells(lines)
    targets: list[Target] = []
    inside: set[int] = set()
    start = 0
    while start < len(cells):
        found = _columns(cells, start) if _HEADER.match(cells[start]) else None
        if found is None:
            start += 1
            continue
        columns, index = found
        rows, end = _rows(cells, index, columns)
        if not is_past(max(columns.years), since):
            targets.extend(rows)
        inside.update(range(origins[start], origins[end - 1] + 1))
        start = max(end, start + 1)
    return targets, [line for number, line in enumerate(lines) if number not in inside]
