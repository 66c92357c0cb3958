"""The exemption list of the national hazardous-waste list, 危险废物豁免管理清单 (名录 附录, Art. 3;
GOVERNANCE.md §1.1).

An exemption is not a flag on a code: it holds only in the listed 环节 (collection, transport,
utilisation, disposal, or 全部环节) **and** under the listed condition, and then grants the listed
content (e.g. "不按危险废物进行运输"). Rows are (number, what is listed — codes, a category or a
description, the waste, 环节, condition, content). The 2021 edition has 32 numbered exemptions,
several with more than one (waste, 环节) row.

Data: ``data/hw_list_<year>_exemptions.json``, built by ``tools/waste_list_build.py`` from the
extracted text ``data/hw_list_<year>_exemptions.txt`` with :func:`parse_exemption_text`. The
edition in force on a date is the list's (:func:`ecogov.standards.waste.catalogue.edition_for`).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import cache
from importlib.resources import files
from typing import Any, Final

from ecogov.standards.waste.catalogue import CatalogueError, cell_text, edition_for
from ecogov.standards.waste.codes import parse_waste_code

__all__ = [
    "Exemption",
    "Stage",
    "exemptions",
    "exemptions_for",
    "parse_exemption_text",
]

_CODE: Final = re.compile(r"^\d{3}-\d{3}-\d{2}$")
_CATEGORY: Final = re.compile(r"^HW(\d{2})$")
_LINE_BREAK: Final = "⏎"
_NONE_LISTED: Final = "-"


class Stage(StrEnum):
    """An exempt 环节 (豁免环节) of the exemption list."""

    ALL = "全部环节"
    COLLECTION = "收集"
    TRANSPORT = "运输"
    UTILISATION = "利用"
    DISPOSAL = "处置"


@dataclass(frozen=True, slots=True)
class Exemption:
    """One (waste, 环节) row of the exemption list."""

    edition: str
    number: int
    """序号 (1–32 in 2021); several rows may share a number."""
    listed_as: str
    """废物类别/代码 as printed (codes joined by 、)."""
    codes: tuple[str, ...]
    categories: tuple[int, ...]
    waste: str
    stages: frozenset[Stage]
    condition: str
    content: str
    page: int

    def covers(self, code: str) -> bool:
        """Whether the row names ``code`` itself or its category (a row listed by description,
        e.g. 生活垃圾中的危险废物, names no code)."""
        return code in self.codes or int(code[-2:]) in self.categories

    def applies_in(self, stage: Stage) -> bool:
        """Whether the row exempts ``stage`` (全部环节 exempts every stage)."""
        return Stage.ALL in self.stages or stage in self.stages


def _listed(cell: str) -> tuple[str, tuple[str, ...], tuple[int, ...]]:
    parts = tuple(cell.split(_LINE_BREAK))
    if all(_CODE.match(part) for part in parts):
        return "、".join(parts), parts, ()
    found = _CATEGORY.match(cell)
    if found is not None:
        return cell, (), (int(found.group(1)),)
    return cell_text(cell), (), ()


def _stages(cell: str, where: str) -> frozenset[Stage]:
    try:
        return frozenset(Stage(part) for part in cell.split("、"))
    except ValueError:
        raise CatalogueError(
            f"{where}：豁免环节“{cell}”不正确", f"{where}: exempt stage {cell!r} is not valid"
        ) from None


def parse_exemption_text(text: str, edition: str) -> tuple[Exemption, ...]:
    """The rows of the exemption list from its extracted text (``p<page>`` and six tab-separated
    cells a line; an empty cell continues the cell above it)."""
    rows: list[Exemption] = []
    number = 0
    listed: tuple[str, tuple[str, ...], tuple[int, ...]] = ("", (), ())
    waste = ""
    for count, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"第{count}行"
        page_cell, *cells = line.split("\t")
        if len(cells) != 6 or not page_cell.startswith("p"):
            raise CatalogueError(
                f"{where}：应为页码加6栏", f"line {count}: expected a page and 6 cells"
            )
        number_cell, listed_cell, waste_cell, stage_cell, condition, content = cells
        if number_cell == "序号":
            continue
        if number_cell:
            if not number_cell.isdigit():
                raise CatalogueError(
                    f"{where}：序号“{number_cell}”应为数字",
                    f"line {count}: number {number_cell!r} is not a number",
                )
            if int(number_cell) != number:
                listed, waste = ("", (), ()), ""
            number = int(number_cell)
        if listed_cell:
            listed = _listed(listed_cell) if listed_cell != _NONE_LISTED else ("-", (), ())
        if waste_cell:
            waste = cell_text(waste_cell)
        if not (number and listed[0] and waste and stage_cell and condition and content):
            raise CatalogueError(f"{where}：栏目不全", f"line {count}: cells are missing")
        rows.append(
            Exemption(
                edition,
                number,
                listed[0],
                listed[1],
                listed[2],
                waste,
                _stages(stage_cell, where),
                cell_text(condition),
                cell_text(content),
                int(page_cell[1:]),
            )
        )
    return tuple(rows)


def _from_json(edition: str, row: dict[str, Any]) -> Exemption:
    return Exemption(
        edition,
        int(row["number"]),
        str(row["listed_as"]),
        tuple(str(c) for c in row["codes"]),
        tuple(int(c) for c in row["categories"]),
        str(row["waste"]),
        frozenset(Stage(s) for s in row["stages"]),
        str(row["condition"]),
        str(row["content"]),
        int(row["page"]),
    )


@cache
def _edition_rows(year: str) -> tuple[Exemption, ...]:
    item = files("ecogov.standards.waste") / "data" / f"hw_list_{year}_exemptions.json"
    document = json.loads(item.read_text("utf-8"))
    return tuple(_from_json(year, row) for row in document["exemptions"])


def exemptions(on: date) -> tuple[Exemption, ...]:
    """Every row of the exemption list of the edition in force on ``on``, in the order printed."""
    return _edition_rows(edition_for(on).year)


def exemptions_for(code: str, on: date, stage: Stage | None = None) -> tuple[Exemption, ...]:
    """The rows that name ``code`` (or its category) in the edition in force on ``on``, limited
    to those exempting ``stage`` when given. Being named is not being exempt: the row's condition
    must hold too, which is a fact about the case, not the code."""
    text = parse_waste_code(code).text
    return tuple(
        row
        for row in exemptions(on)
        if row.covers(text) and (stage is None or row.applies_in(stage))
    )
