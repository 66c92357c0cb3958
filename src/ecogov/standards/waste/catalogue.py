"""The national hazardous-waste list, 国家危险废物名录, as versioned data (GOVERNANCE.md §1.1).

Each edition is a data file ``data/hw_list_<year>.json`` built by ``tools/waste_list_build.py``
from the plain text of the list's table (附表), ``data/hw_list_<year>_table.txt``, which
``tools/waste_list_extract.py`` extracted from the official PDF; :func:`parse_table_text` is the
one reading of that text (the builder writes its result, a test re-reads the text and compares).
A new edition drops in as two data files; :func:`edition_for` picks the edition in force on a
date (the latest whose effective date is not after it).

Editions shipped: 2021 (生态环境部等五部门令第15号, in force 2021-01-01, source ML21). The 2025
edition (令第36号, in force 2025-01-01) is not shipped: no public copy of its full table was found;
on and after 2025-01-01 :func:`edition_for` still answers with the 2021 edition.

Rows carry the category (HW01–HW50), the industry source (行业来源), the code ``DDD-NNN-CC``,
the description (危险废物) and the hazardous characteristics (危险特性) with the meaning of
附表 注1: ``T，I`` (comma) — has the first, may have the others; ``T/C/I/R`` (slash) — has one
or more of them.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from functools import cache
from importlib.resources import files
from typing import Any, Final

from ecogov.standards.waste.codes import category_label, parse_waste_code

__all__ = [
    "CatalogueError",
    "Category",
    "Characteristics",
    "Edition",
    "Hazard",
    "Join",
    "ListedWaste",
    "categories",
    "category_name",
    "cell_text",
    "edition_for",
    "editions",
    "entries",
    "is_listed",
    "lookup",
    "parse_characteristics",
    "parse_table_text",
]

_DATA: Final = "data"
_EDITION_FILE: Final = re.compile(r"^hw_list_(\d{4})\.json$")
_CODE: Final = re.compile(r"^\d{3}-\d{3}-\d{2}$")
_CATEGORY_CELL: Final = re.compile(r"^HW(\d{2})$")
_LINE_BREAK: Final = "⏎"
"""How the extracted text writes a line break inside a table cell."""
_OWN_EMPTY_CELL: Final = "·"
"""How the extracted text writes a cell of its own with no text (a merged cell's top)."""
_FOOTNOTE: Final = re.compile(r"\d+$")


class CatalogueError(ValueError):
    """A question the list cannot answer, or a table text it cannot read; ``str()`` is the zh-CN
    message, then the English one."""

    def __init__(self, zh: str, en: str) -> None:
        self.zh = zh
        self.en = en
        super().__init__(f"{zh} / {en}")


class Hazard(StrEnum):
    """A hazardous characteristic (危险特性), 名录 Art. 5(4)."""

    T = "T"
    C = "C"
    I = "I"  # noqa: E741 - the list's own letter
    R = "R"
    IN = "In"

    @property
    def zh(self) -> str:
        """The Chinese name (毒性, 腐蚀性, 易燃性, 反应性, 感染性)."""
        return _HAZARD_ZH[self]


_HAZARD_ZH: Final = {
    Hazard.T: "毒性",
    Hazard.C: "腐蚀性",
    Hazard.I: "易燃性",
    Hazard.R: "反应性",
    Hazard.IN: "感染性",
}


class Join(StrEnum):
    """How the characteristics of a row are joined (附表 注1)."""

    SINGLE = "single"
    """One characteristic: the waste has it."""
    FIRST_AND_MAYBE_OTHERS = "comma"
    """``T，I``: the waste has the first and may have the others."""
    ONE_OR_MORE = "slash"
    """``T/C/I/R``: the waste has one or more of them."""


@dataclass(frozen=True, slots=True)
class Characteristics:
    """The 危险特性 cell of a row: the printed text, the characteristics, how they are joined."""

    printed: str
    hazards: tuple[Hazard, ...]
    join: Join

    @property
    def certain(self) -> frozenset[Hazard]:
        """The characteristics the waste surely has (none is sure for a slash list)."""
        if self.join is Join.ONE_OR_MORE:
            return frozenset()
        return frozenset(self.hazards[:1])

    @property
    def possible(self) -> frozenset[Hazard]:
        """Every characteristic the row names."""
        return frozenset(self.hazards)


def parse_characteristics(text: str) -> Characteristics:
    """Read a 危险特性 cell (``T``, ``T，I``, ``T/C/I/R``; a comma may be full- or half-width)."""
    printed = text.strip()
    comma = printed.replace(",", "，")
    if "，" in comma and "/" in comma:
        raise CatalogueError(
            f"危险特性“{text}”同时使用了“，”和“/”",
            f"characteristics {text!r} mix ',' and '/'",
        )
    join = Join.ONE_OR_MORE if "/" in comma else Join.FIRST_AND_MAYBE_OTHERS
    parts = comma.split("/" if join is Join.ONE_OR_MORE else "，")
    try:
        hazards = tuple(Hazard(part.strip()) for part in parts)
    except ValueError:
        raise CatalogueError(
            f"危险特性“{text}”不正确（应为 T、C、I、R、In 及其组合）",
            f"characteristics {text!r} are not valid (T, C, I, R, In and their combinations)",
        ) from None
    if len(set(hazards)) != len(hazards):
        raise CatalogueError(f"危险特性“{text}”有重复", f"characteristics {text!r} repeat a letter")
    return Characteristics(printed, hazards, Join.SINGLE if len(hazards) == 1 else join)


@dataclass(frozen=True, slots=True)
class Category:
    """A waste category (废物类别) of an edition: its number and Chinese name."""

    number: int
    name: str

    @property
    def label(self) -> str:
        """``HWCC``, e.g. ``HW08``."""
        return category_label(self.number)


@dataclass(frozen=True, slots=True)
class ListedWaste:
    """One row of the list's table (附表)."""

    edition: str
    code: str
    category: Category
    industry: str
    """行业来源 as printed (GB/T 4754-2017 industry, or 非特定行业)."""
    description: str
    """危险废物 as printed."""
    characteristics: Characteristics
    page: int
    """The page of the PDF (1-based page index of the file, not the printed folio)."""


@dataclass(frozen=True, slots=True)
class Edition:
    """One edition of the list: its legal data and its rows."""

    year: str
    title: str
    order: str
    effective: date
    source: str
    categories: tuple[Category, ...]
    entries: tuple[ListedWaste, ...]
    _by_code: dict[str, ListedWaste] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_code", {row.code: row for row in self.entries})

    def find(self, code: str) -> ListedWaste | None:
        """The row of a code written ``DDD-NNN-CC`` exactly, or None."""
        return self._by_code.get(code)


_JUSTIFIED: Final = re.compile(
    r"(?<=[\u3000-\u9fff\uff00-\uffef]) (?=[\u3000-\u9fff\uff00-\uffef])"
)
"""A blank between two CJK characters or full-width signs: justified-print spacing in the PDF."""


def cell_text(cell: str) -> str:
    """A cell of the extracted text as printed: line breaks joined (Chinese wraps mid-word), the
    justified-print blanks between Chinese characters dropped, ``·`` read as empty."""
    if cell == _OWN_EMPTY_CELL:
        return ""
    return _JUSTIFIED.sub("", cell.replace(_LINE_BREAK, ""))


def _category_cell(cell: str, where: str) -> Category:
    number, _, name = cell.partition(_LINE_BREAK)
    found = _CATEGORY_CELL.match(number)
    if found is None or not name:
        raise CatalogueError(
            f"{where}：废物类别“{cell}”应为 HWCC 加名称",
            f"{where}: category {cell!r} must be HWCC and a name",
        )
    return Category(int(found.group(1)), _FOOTNOTE.sub("", cell_text(name)))


@dataclass
class _Block:
    """A merged industry cell: its text pieces, and whether it opened without text (its label is
    printed lower down, in a later row of the block)."""

    pieces: list[str]
    open_blank: bool
    prefix: str


def parse_table_text(text: str, edition: str) -> tuple[ListedWaste, ...]:
    """The rows of the list's table from its extracted text (one printed row a line: ``p<page>``
    and five tab-separated cells; see ``tools/waste_list_extract.py``).

    An empty cell continues the merged cell above it; ``·`` opens a merged cell whose label is
    printed in a later row; an industry fragment on a row without a code belongs to the open
    industry cell; a trailing footnote number on a category name is dropped.
    """
    rows: list[tuple[str, Category, _Block, str, str, int]] = []
    category: Category | None = None
    block: _Block | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"第{number}行"
        page_cell, *cells = line.split("\t")
        if len(cells) != 5 or not page_cell.startswith("p"):
            raise CatalogueError(
                f"{where}：应为页码加5栏", f"line {number}: expected a page and 5 cells"
            )
        cat_cell, industry_cell, code, description, hazards = cells
        if code == "废物代码":
            continue
        if cat_cell:
            found = _category_cell(cat_cell, where)
            if category is None or found.number != category.number:
                block = None
            category = found
        if category is None:
            raise CatalogueError(f"{where}：缺少废物类别", f"line {number}: no category")
        if not code:
            if block is None or description or hazards:
                raise CatalogueError(
                    f"{where}：无代码的行只能续写行业来源",
                    f"line {number}: a row without a code may only continue the industry",
                )
            block.pieces.append(cell_text(industry_cell))
            continue
        if not _CODE.match(code):
            raise CatalogueError(
                f"{where}：废物代码“{code}”格式不符", f"line {number}: code {code!r} is malformed"
            )
        prefix = code[:3]
        if industry_cell == _OWN_EMPTY_CELL:
            block = _Block([], open_blank=True, prefix=prefix)
        elif industry_cell:
            if block is not None and block.open_blank and block.prefix == prefix:
                block.pieces.append(cell_text(industry_cell))
            else:
                block = _Block([cell_text(industry_cell)], open_blank=False, prefix=prefix)
        elif block is None:
            raise CatalogueError(f"{where}：缺少行业来源", f"line {number}: no industry")
        rows.append((code, category, block, description, hazards, int(page_cell[1:])))
    return tuple(
        ListedWaste(
            edition,
            code,
            cat,
            "".join(blk.pieces),
            cell_text(description),
            parse_characteristics(cell_text(hazards)),
            page,
        )
        for code, cat, blk, description, hazards, page in rows
    )


def _edition_from_json(document: dict[str, Any]) -> Edition:
    year = str(document["edition"])
    cats = tuple(Category(int(n), str(name)) for n, name in document["categories"])
    by_number = {c.number: c for c in cats}
    rows = tuple(
        ListedWaste(
            year,
            row["code"],
            by_number[int(row["code"][-2:])],
            row["industry"],
            row["description"],
            parse_characteristics(row["characteristics"]),
            int(row["page"]),
        )
        for row in document["entries"]
    )
    return Edition(
        year,
        document["title"],
        document["order"],
        date.fromisoformat(document["effective"]),
        document["source"],
        cats,
        rows,
    )


@cache
def editions() -> tuple[Edition, ...]:
    """Every edition shipped in ``data/``, oldest first."""
    found: list[Edition] = []
    for item in (files("ecogov.standards.waste") / _DATA).iterdir():
        if _EDITION_FILE.match(item.name):
            found.append(_edition_from_json(json.loads(item.read_text("utf-8"))))
    return tuple(sorted(found, key=lambda e: e.effective))


def edition_for(on: date) -> Edition:
    """The edition in force on ``on`` (the latest whose effective date is on or before it)."""
    known = [e for e in editions() if e.effective <= on]
    if not known:
        first = editions()[0]
        raise CatalogueError(
            f"{on} 早于已收录的最早名录（{first.title}，{first.effective} 起施行）",
            f"{on} is before the earliest edition held ({first.year}, in force {first.effective})",
        )
    return known[-1]


def lookup(code: str, on: date) -> ListedWaste | None:
    """The row of ``code`` in the edition in force on ``on``, or None when the code is well
    formed but not listed. A malformed code raises
    :class:`~ecogov.standards.waste.codes.WasteCodeError` (an ``HWCC`` prefix is tolerated)."""
    return edition_for(on).find(parse_waste_code(code).text)


def is_listed(code: str, on: date) -> bool:
    """Whether ``code`` is a row of the edition in force on ``on`` (malformed codes raise, as in
    :func:`lookup`)."""
    return lookup(code, on) is not None


def entries(on: date) -> tuple[ListedWaste, ...]:
    """Every row of the edition in force on ``on``, in the order printed."""
    return edition_for(on).entries


def categories(on: date) -> tuple[Category, ...]:
    """The categories of the edition in force on ``on``, in the order printed."""
    return edition_for(on).categories


def category_name(category: int, on: date) -> str:
    """The Chinese name of category ``category`` (e.g. 8 → 废矿物油与含矿物油废物) in the edition
    in force on ``on``; :class:`CatalogueError` when the edition has no such category."""
    edition = edition_for(on)
    for found in edition.categories:
        if found.number == category:
            return found.name
    raise CatalogueError(
        f"{edition.title}没有废物类别 {category_label(category)}",
        f"the {edition.year} edition has no category {category_label(category)}",
    )
