"""Extract the tables of the national hazardous-waste list (国家危险废物名录) from its PDF into the
plain text that ``src/ecogov/standards/waste/data/`` keeps next to the data built from it.

Run in a throw-away virtual environment — pdfplumber is NOT a dependency of ecogov::

    python -m venv /tmp/pdfvenv && /tmp/pdfvenv/bin/pip install pdfplumber
    /tmp/pdfvenv/bin/python tools/waste_list_extract.py gjwxfwml.pdf 2021

Source of the 2021 edition (GOVERNANCE.md §S, ML21): ``Fungwingwaa/cee`` commit
22aa4af5cfe21916fbedfb1ef865a72bef1625a6, ``docs/.vuepress/public/static/pdf/P7/gjwxfwml.pdf``
(official https://www.mee.gov.cn/xxgk2018/xxgk/xxgk02/202011/t20201127_810202.html).

Output: ``hw_list_<edition>_table.txt`` (附表, 5 cells a row) and
``hw_list_<edition>_exemptions.txt`` (附录, 6 cells a row). One printed table row per line: the
PDF page, then the cells separated by tabs; a line break inside a cell is written ``⏎``. An empty
field is the lower part of a cell merged with the one above it (pdfplumber's ``None``); ``·`` is a
cell of its own with no text (pdfplumber's ``""``: the top of a merged cell whose label is printed
lower down). Text the PDF draws in an unnamed column (a wrapped word spilling out of its column)
is appended to the named column on its left. Nothing else is changed.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pdfplumber  # type: ignore[import-not-found]

DATA = Path(__file__).resolve().parent.parent / "src/ecogov/standards/waste/data"


def _cells(header: list[str | None], row: list[str | None]) -> list[str]:
    """The row's cells under the header's named columns (unnamed columns folded leftwards)."""
    out: list[str] = []
    for name, cell in zip(header, row, strict=True):
        text = "·" if cell == "" else (cell or "").replace("\n", "⏎")
        if name:
            out.append(text)
        elif text not in ("", "·"):
            out[-1] = f"{out[-1]}⏎{text}" if out[-1] not in ("", "·") else text
    return out


def main(pdf_path: str, edition: str) -> None:
    """Write the two text files of ``edition`` from the PDF at ``pdf_path``."""
    lines: dict[str, list[str]] = {"table": [], "exemptions": []}
    with pdfplumber.open(pdf_path) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            for table in page.extract_tables():
                header = table[0]
                kind = "exemptions" if (header[0] or "").startswith("序号") else "table"
                for row in table:
                    lines[kind].append("\t".join([f"p{number}", *_cells(header, row)]))
    for kind, rows in lines.items():
        (DATA / f"hw_list_{edition}_{kind}.txt").write_text("\n".join(rows) + "\n", "utf-8")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
