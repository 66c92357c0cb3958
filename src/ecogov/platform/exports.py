"""Tables as downloads: CSV (UTF-8 with a BOM, so spreadsheets read the Chinese text) and Excel.

Every exporter writes its cells through :func:`csv_cell` or :func:`xlsx_cell` (or the frame
writers here, which use them), so stored text can neither break a workbook nor run as a formula
in the spreadsheet that opens the export ("CSV injection"):

* control characters (C0 except tab, line feed and carriage return, and DEL) are removed —
  openpyxl refuses them, and one of them used to turn an export into a server error;
* in CSV, a text cell starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return is
  prefixed with an apostrophe, which spreadsheets read as "this is text";
* in Excel, text is always written as a string cell, never as a formula, so the text keeps its
  exact value (an import of the same sheet reads back what was exported).

Numbers stay numbers: a negative number is not text and is written as it is.

What a bureau sends on is declared once per export as a column spec (:class:`Column`): the
frame column, its Chinese header and a formatter (rounding per the standard's reporting rule,
Chinese category names). :func:`download_spec` writes any frame through its spec; the JSON API
keeps the frame's snake_case names and unrounded values.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Final
from urllib.parse import quote

import polars as pl
from fastapi.responses import Response
from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ecogov.platform.errors import InputError

CSV_MEDIA_TYPE: Final = "text/csv; charset=utf-8"
XLSX_MEDIA_TYPE: Final = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_BOM: Final = "\ufeff"
CONTROL_CHARACTERS: Final = "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]"
"""Characters no export keeps (regular-expression class; tab, LF and CR are kept)."""
FORMULA_TRIGGERS: Final = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet read a CSV cell as a formula."""
_CONTROL_RE: Final = re.compile(CONTROL_CHARACTERS)


def clean_text(text: str) -> str:
    """``text`` without the control characters no spreadsheet accepts."""
    return _CONTROL_RE.sub("", text)


def csv_cell(value: Any) -> Any:
    """A value as a CSV cell: text cleaned and neutralised (``'=1+1``); other values unchanged."""
    if not isinstance(value, str):
        return value
    text = clean_text(value)
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def xlsx_cell(sheet: Worksheet, value: Any) -> Cell | WriteOnlyCell:
    """A value as an Excel cell of ``sheet``: text cleaned, its line ends made LF (as Excel
    stores them; a lone CR would otherwise survive only where the XML writer escapes it) and
    stored as a string, never a formula; numbers, dates and empty cells as they are."""
    if not isinstance(value, str):
        return WriteOnlyCell(sheet, value)
    text = clean_text(value).replace("\r\n", "\n").replace("\r", "\n")
    cell = WriteOnlyCell(sheet, text)
    cell.data_type = "s"
    return cell


def xlsx_row(sheet: Worksheet, values: list[Any]) -> list[Cell | WriteOnlyCell]:
    """``values`` as a row of safe cells for ``sheet.append``."""
    return [xlsx_cell(sheet, value) for value in values]


def neutralised(frame: pl.DataFrame) -> pl.DataFrame:
    """``frame`` with every text column cleaned and neutralised as :func:`csv_cell` does."""
    columns = [name for name, dtype in frame.schema.items() if dtype == pl.String]
    return frame.with_columns(_neutralised_text(name) for name in columns)


def _neutralised_text(name: str) -> pl.Expr:
    text = pl.col(name).str.replace_all(CONTROL_CHARACTERS, "")
    risky = text.str.contains(r"^[=+\-@\t\r]")
    return pl.when(risky).then(pl.lit("'") + text).otherwise(text).alias(name)


DOWNLOAD_RESPONSES: Final[dict[int | str, dict[str, Any]]] = {
    200: {
        "description": "CSV 或 Excel 文件 / a CSV or Excel file",
        "content": {"text/csv": {}, XLSX_MEDIA_TYPE: {}},
    }
}
"""OpenAPI documentation of a route answering :func:`download` (``responses=`` of the route)."""

FILE_RESPONSES: Final[dict[int | str, dict[str, Any]]] = {
    200: {"description": "上传的文件 / the stored file", "content": {"*/*": {}}}
}
"""OpenAPI documentation of a route answering a stored file of any type."""


def to_csv(frame: pl.DataFrame, *, bom: bool = True) -> bytes:
    """The frame as UTF-8 CSV; with ``bom`` a byte-order mark. Empty text and nulls are both
    written as empty cells; floats in their shortest form; text cells neutralised."""
    text = neutralised(frame).with_columns(pl.col(pl.String).replace("", None)).write_csv()
    return ((_BOM if bom else "") + text).encode("utf-8")


def attachment(filename: str) -> str:
    """A Content-Disposition for ``filename``: an ASCII fallback and the UTF-8 name (RFC 6266).

    Names often carry user input (a period, an uploaded file's name); a header carries Latin-1
    only, so the name is never put there raw.
    """
    fallback = filename.encode("ascii", "replace").decode()
    for unsafe in '"?\\\r\n':
        fallback = fallback.replace(unsafe, "_")
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename)}"


def _attachment(body: bytes, media: str, name: str, fmt: str) -> Response:
    return Response(
        body,
        media_type=media,
        headers={"Content-Disposition": attachment(f"{name}.{fmt}")},
    )


Formatter = Callable[[Any], Any]
"""Turns one stored value (never None) into the exported cell: a number, a Decimal, a text."""


def _as_is(value: Any) -> Any:
    return value


@dataclass(frozen=True)
class Column:
    """One column of an export: the frame's ``name``, its Chinese header ``zh`` and how a
    value is written (``format`` is not called on nulls, which stay empty cells)."""

    name: str
    zh: str
    format: Formatter = field(default=_as_is)
    width: float | None = None
    """The Excel column width [characters] (None: the spreadsheet's default)."""

    def cell(self, value: Any) -> Any:
        """The exported cell of ``value``: empty for nulls and for NaN or infinite floats
        (no reporting rule rounds them)."""
        if value is None or (isinstance(value, float) and not math.isfinite(value)):
            return None
        return self.format(value)


ColumnSpec = Sequence[Column]
"""The declared layout of one export, in column order."""


def rounded(rounder: Callable[[Any], Decimal]) -> Formatter:
    """A formatter rounding with the standard's own rule (e.g. GB/T 8170 via ``round_gbt8170``);
    whole numbers come out as ``int`` so a spreadsheet shows ``35``, not ``35.0``."""

    def format_value(value: Any) -> Decimal | int:
        number = rounder(value)
        exponent = number.as_tuple().exponent
        return int(number) if isinstance(exponent, int) and exponent >= 0 else number

    return format_value


def labelled(labels: Mapping[Any, str]) -> Formatter:
    """A formatter naming categories (``{"river": "河流"}``); unknown values are kept as text."""

    def format_value(value: Any) -> str:
        return labels.get(value, str(value))

    return format_value


yes_no: Final[Formatter] = labelled({True: "是", False: "否"})
"""``True``/``False`` as 是/否."""
attained: Final[Formatter] = labelled({True: "达标", False: "未达标"})
"""Attainment flags as 达标/未达标."""


def spec_rows(frame: pl.DataFrame, spec: ColumnSpec) -> tuple[list[str], list[list[Any]]]:
    """The header row (Chinese) and the formatted rows of ``frame`` laid out by ``spec``; a
    frame with no rows (a region or period without data, often without columns either) gives
    the header alone.

    Raises:
        KeyError: when ``spec`` names a column ``frame`` does not have (a programming error).
    """
    if frame.is_empty():
        return [column.zh for column in spec], []
    missing = [column.name for column in spec if column.name not in frame.columns]
    if missing:
        raise KeyError(f"export columns missing from the table: {missing}")
    names = [column.name for column in spec]
    rows = [
        [column.cell(value) for column, value in zip(spec, row, strict=True)]
        for row in frame.select(names).iter_rows()
    ]
    return [column.zh for column in spec], rows


def rows_to_csv(header: list[str], rows: list[list[Any]], *, bom: bool = True) -> bytes:
    """A header and rows as UTF-8 CSV (with ``bom`` a byte-order mark), cells neutralised;
    Decimals keep their reported places (``3.50``)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([csv_cell(name) for name in header])
    for row in rows:
        writer.writerow(["" if value is None else csv_cell(value) for value in row])
    return ((_BOM if bom else "") + buffer.getvalue()).encode("utf-8")


def rows_to_xlsx(
    header: list[str],
    rows: list[list[Any]],
    sheet: str,
    *,
    title: str | None = None,
    widths: Sequence[float | None] = (),
) -> bytes:
    """A header and rows as a one-sheet Excel workbook (numbers as numbers, text as text), with
    a bold ``title`` row above the header when given (as a bureau's ledger has) and the column
    ``widths`` [characters] where given."""
    workbook = Workbook(write_only=True)
    worksheet = workbook.create_sheet(title=sheet[:31])
    for index, width in enumerate(widths, start=1):
        if width is not None:
            worksheet.column_dimensions[get_column_letter(index)].width = width
    bold = Font(bold=True)
    if title is not None:
        cell = xlsx_cell(worksheet, title)
        cell.font = Font(bold=True, size=14)
        worksheet.append([cell])
    heading = xlsx_row(worksheet, header)
    for cell in heading:
        cell.font = bold
    worksheet.append(heading)
    for row in rows:
        worksheet.append(xlsx_row(worksheet, row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def spec_csv(frame: pl.DataFrame, spec: ColumnSpec, *, bom: bool = True) -> bytes:
    """``frame`` laid out by ``spec`` as CSV (for the CLI and the pages alike)."""
    return rows_to_csv(*spec_rows(frame, spec), bom=bom)


def spec_xlsx(
    frame: pl.DataFrame, spec: ColumnSpec, sheet: str, *, title: str | None = None
) -> bytes:
    """``frame`` laid out by ``spec`` as an Excel workbook (a ``title`` row above the header
    when given; the spec's column widths)."""
    widths = [column.width for column in spec]
    return rows_to_xlsx(*spec_rows(frame, spec), sheet, title=title, widths=widths)


def download_spec(
    frame: pl.DataFrame,
    spec: ColumnSpec,
    fmt: str,
    name: str,
    *,
    sheet: str | None = None,
    title: str | None = None,
) -> Response:
    """A download of ``frame`` laid out by ``spec`` as ``name.csv`` or ``name.xlsx`` (a
    workbook's sheet named ``sheet``, default ``name``, with a ``title`` row when given)."""
    if fmt == "csv":
        body, media = spec_csv(frame, spec), CSV_MEDIA_TYPE
    elif fmt == "xlsx":
        body, media = spec_xlsx(frame, spec, sheet or name, title=title), XLSX_MEDIA_TYPE
    else:
        raise InputError(f"导出格式只能是 csv 或 xlsx（format {fmt!r} is not csv or xlsx）")
    return _attachment(body, media, name, fmt)
