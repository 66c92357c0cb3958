"""Export cells: control characters removed, formulas neutralised in CSV, text kept as string
cells in Excel; numbers untouched."""

from __future__ import annotations

import csv
import io
from decimal import ROUND_HALF_EVEN, Decimal

import polars as pl
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from ecogov.platform.exports import (
    FORMULA_TRIGGERS,
    Column,
    attained,
    csv_cell,
    labelled,
    rounded,
    spec_csv,
    spec_rows,
    spec_xlsx,
    to_csv,
    yes_no,
)

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


def _as_is(frame: pl.DataFrame) -> list[Column]:
    """A spec writing every column of ``frame`` as it stands, headed by its name."""
    return [Column(name, name) for name in frame.columns]


def test_frame_exports_neutralise_text_but_not_numbers() -> None:
    frame = pl.DataFrame({"name": ["=1+1", "a\x02b", None], "value": [-1.5, 2.0, None]})
    rows = list(csv.reader(io.StringIO(to_csv(frame).decode("utf-8-sig"))))
    assert rows == [["name", "value"], ["'=1+1", "-1.5"], ["ab", "2.0"], ["", ""]]
    sheet = load_workbook(io.BytesIO(spec_xlsx(frame, _as_is(frame), "t"))).worksheets[0]
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
@example(["\r"]).via("a lone CR, which the XML writer escapes and would keep")
@example(["a\r\nb", "\r\r\n"])
def test_every_text_survives_an_xlsx_export_as_a_string(texts: list[str]) -> None:
    frame = pl.DataFrame({"text": texts})
    sheet = load_workbook(io.BytesIO(spec_xlsx(frame, _as_is(frame), "t"))).worksheets[0]
    for text, row in zip(texts, sheet.iter_rows(min_row=2), strict=True):
        cleaned = "".join(ch for ch in text if ch not in CONTROL)
        assert row[0].data_type != "f"  # never a formula
        # XML stores line ends as LF, as Excel itself does
        assert (row[0].value or "") == cleaned.replace("\r\n", "\n").replace("\r", "\n")


def _round_half_even(value: Decimal, places: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_EVEN)


SPEC = (
    Column("code", "代码"),
    Column("value", "数值", rounded(lambda v: _round_half_even(Decimal(str(v)), 2))),
    Column("count", "个数", rounded(lambda v: _round_half_even(Decimal(str(v)), 0))),
    Column("ok", "是否达标", attained),
    Column("kind", "类型", labelled({"river": "河流"})),
    Column("flag", "模拟", yes_no),
)


@settings(max_examples=50, deadline=None)
@given(
    value=st.floats(min_value=-1e6, max_value=1e6, allow_nan=False),
    ok=st.none() | st.booleans(),
    kind=st.sampled_from(["river", "lake"]),
)
def test_column_spec_headers_rounding_and_names(value: float, ok: bool | None, kind: str) -> None:
    frame = pl.DataFrame(
        {"code": ["=1"], "value": [value], "count": [value], "ok": [ok], "kind": [kind]},
        schema_overrides={"ok": pl.Boolean},
    ).with_columns(flag=pl.lit(True))
    header, _rows = spec_rows(frame, SPEC)
    assert header == ["代码", "数值", "个数", "是否达标", "类型", "模拟"]
    [row] = list(csv.reader(io.StringIO(spec_csv(frame, SPEC).decode("utf-8-sig"))))[1:]
    assert row[0] == "'=1"  # still neutralised
    assert row[1] == str(_round_half_even(Decimal(str(value)), 2))
    assert "." not in row[2]  # whole numbers are written as integers
    assert row[3] == {True: "达标", False: "未达标", None: ""}[ok]
    assert row[4] == {"river": "河流", "lake": "lake"}[kind]
    assert row[5] == "是"
    sheet = load_workbook(io.BytesIO(spec_xlsx(frame, SPEC, "表"))).worksheets[0]
    cells = list(sheet.iter_rows(values_only=True))
    assert list(cells[0]) == header
    assert isinstance(cells[1][2], int)
    assert cells[1][0] == "=1"  # Excel keeps the text, as a string cell


def test_a_spec_naming_a_missing_column_is_refused() -> None:
    with pytest.raises(KeyError, match="nope"):
        spec_rows(pl.DataFrame({"a": [1]}), [Column("nope", "无")])


def test_missing_and_non_finite_values_are_empty_cells() -> None:
    frame = pl.DataFrame({"code": ["a", "b", "c"], "value": [None, float("nan"), float("inf")]})
    spec = [Column("code", "代码"), SPEC[1]]
    _, rows = spec_rows(frame, spec)
    assert [row[1] for row in rows] == [None, None, None]
    lines = spec_csv(frame, spec).decode("utf-8-sig").splitlines()
    assert lines == ["代码,数值", "a,", "b,", "c,"]


def test_a_table_without_rows_exports_its_header_alone() -> None:
    # a period without data: the evaluation gives an empty frame, often without its columns
    for frame in (pl.DataFrame(), pl.DataFrame(schema={"code": pl.String})):
        assert spec_rows(frame, SPEC) == ([column.zh for column in SPEC], [])
