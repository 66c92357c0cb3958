"""Export cells: control characters removed, formulas neutralised in CSV, text kept as string
cells in Excel; numbers untouched."""

from __future__ import annotations

import csv
import io

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from ecogov.platform.exports import FORMULA_TRIGGERS, csv_cell, to_csv, to_xlsx

CONTROL = {chr(c) for c in range(0x20)} - {"\t", "\n", "\r"} | {"\x7f"}


def test_csv_cells_are_cleaned_and_neutralised() -> None:
    assert csv_cell("progress\x01ok") == "progressok"
    assert csv_cell('=HYPERLINK("http://x","y")') == '\'=HYPERLINK("http://x","y")'
    assert csv_cell("+1") == "'+1"
    assert csv_cell("-1") == "'-1"
    assert csv_cell("@SUM(A1)") == "'@SUM(A1)"
    assert csv_cell("\tx") == "'\tx"
    assert csv_cell("已完成") == "已完成"
    assert csv_cell(-3.5) == -3.5  # a negative number stays a number
    assert csv_cell(None) is None


def test_frame_exports_neutralise_text_but_not_numbers() -> None:
    frame = pl.DataFrame({"name": ["=1+1", "a\x02b", None], "value": [-1.5, 2.0, None]})
    rows = list(csv.reader(io.StringIO(to_csv(frame).decode("utf-8-sig"))))
    assert rows == [["name", "value"], ["'=1+1", "-1.5"], ["ab", "2.0"], ["", ""]]
    sheet = load_workbook(io.BytesIO(to_xlsx(frame, "t"))).worksheets[0]
    cells = [[(c.value, c.data_type) for c in row] for row in sheet.iter_rows(min_row=2)]
    assert cells[0] == [("=1+1", "s"), (-1.5, "n")]
    assert cells[1][0] == ("ab", "s")


@given(st.text())
def test_no_csv_cell_starts_a_formula_or_keeps_a_control_character(text: str) -> None:
    cell = csv_cell(text)
    assert not CONTROL & set(cell)
    assert not cell.startswith(FORMULA_TRIGGERS)
    body = cell[1:] if cell.startswith("'") and cell[1:].startswith(FORMULA_TRIGGERS) else cell
    assert body == "".join(ch for ch in text if ch not in CONTROL)


@settings(deadline=None, max_examples=50)  # a workbook per example: slow on a busy machine
@given(st.lists(st.text(max_size=30), min_size=1, max_size=5))
def test_every_text_survives_an_xlsx_export_as_a_string(texts: list[str]) -> None:
    frame = pl.DataFrame({"text": texts})
    sheet = load_workbook(io.BytesIO(to_xlsx(frame, "t"))).worksheets[0]
    for text, row in zip(texts, sheet.iter_rows(min_row=2), strict=True):
        cleaned = "".join(ch for ch in text if ch not in CONTROL)
        assert row[0].data_type != "f"  # never a formula
        # XML stores line ends as LF, as Excel itself does
        assert (row[0].value or "") == cleaned.replace("\r\n", "\n").replace("\r", "\n")
