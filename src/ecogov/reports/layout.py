"""The layout of a report (版式): a TOML file of sections and their blocks — paragraphs with
``{figure.key}`` placeholders, tables of a figure's rows, charts, the data-sources appendix —
read from ``layouts/<kind>.toml`` or, when a province provides one, ``layouts/<kind>.<province
code>.toml``. :func:`compose` fills it with the figures into a list of elements both renderers
(Word and PDF) draw, so the two formats say exactly the same."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from ecogov.platform.errors import InputError
from ecogov.platform.i18n import both
from ecogov.reports import charts
from ecogov.reports.figures import Figures

LAYOUTS: Final = Path(__file__).resolve().parent / "layouts"
_PLACEHOLDER: Final = re.compile(r"\{([a-z_]+(?:\.[A-Za-z_0-9]+)?)\}")
MISSING: Final = "—"
"""What a figure without a value (no data) prints as."""


@dataclass(frozen=True)
class Heading:
    text: str
    level: int


@dataclass(frozen=True)
class Paragraph:
    text: str


@dataclass(frozen=True)
class Table:
    caption: str
    headers: list[str]
    rows: list[list[str]]


@dataclass(frozen=True)
class Chart:
    caption: str
    png: bytes


Element = Heading | Paragraph | Table | Chart


@dataclass(frozen=True)
class Layout:
    """A layout file: its name (``monthly`` or ``monthly.330000``) and its content."""

    name: str
    content: dict[str, Any]


def layout_for(kind: str, region_code: str, folder: Path = LAYOUTS) -> Layout:
    """The province's own layout of ``kind`` when it provides one, else the default."""
    for name in (f"{kind}.{region_code[:2]}0000", kind):
        path = folder / f"{name}.toml"
        if path.is_file():
            return Layout(name, tomllib.loads(path.read_text(encoding="utf-8")))
    raise InputError(both("reports.error.layout", kind=kind))


def formatted(value: Any, decimals: int | None = None) -> str:
    """A figure as printed: fixed decimals when given (the value is already rounded), ``—``
    for no value."""
    if value is None:
        return MISSING
    if decimals is not None and isinstance(value, int | float):
        return f"{value:.{decimals}f}"
    return str(value)


def fill(text: str, figures: Figures) -> str:
    """``text`` with each ``{key}`` replaced by its figure (``{region}``: the region's name)."""

    def one(match: re.Match[str]) -> str:
        key = match.group(1)
        if key == "region":
            return figures.region_name
        if key not in figures.by_key:
            raise InputError(both("reports.error.placeholder", key=key))
        return formatted(figures.value(key))

    return _PLACEHOLDER.sub(one, text)


def _table(block: dict[str, Any], figures: Figures) -> Table:
    columns = block["columns"]
    rows = [
        [
            formatted(row.get(column[0]), column[2] if len(column) > 2 else None)
            for column in columns
        ]
        for row in figures.value(block["figure"])
    ]
    return Table(block.get("caption", ""), [column[1] for column in columns], rows)


def _sources(figures: Figures) -> Table:
    rows = [
        [key, figure.source.query, ", ".join(f"{k}={v}" for k, v in figure.source.params.items())]
        for key, figure in figures.by_key.items()
    ]
    return Table("数据来源", ["数据项", "查询", "参数"], rows)


def compose(layout: Layout, figures: Figures) -> list[Element]:
    """The elements of the report: title, sections, paragraphs, tables, charts, sources."""
    content = layout.content
    elements: list[Element] = [Heading(fill(content["title"], figures), 0)]
    if "subtitle" in content:
        elements.append(Paragraph(fill(content["subtitle"], figures)))
    for section in content.get("sections", []):
        elements.append(Heading(fill(section["heading"], figures), 1))
        for block in section.get("blocks", []):
            kind = block["type"]
            if kind == "paragraph":
                elements.append(Paragraph(fill(block["text"], figures)))
            elif kind == "table":
                elements.append(_table(block, figures))
            elif kind == "chart":
                png = charts.draw(block["chart"], figures.value(block["figure"]))
                elements.append(Chart(block.get("caption", ""), png))
            elif kind == "sources":
                elements.append(_sources(figures))
            else:
                raise InputError(both("reports.error.block", kind=kind))
    return elements
