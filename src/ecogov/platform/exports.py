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
"""

from __future__ import annotations

import io
import re
from typing import Any, Final
from urllib.parse import quote

import polars as pl
from fastapi.responses import Response
from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
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
    """A value as an Excel cell of ``sheet``: text cleaned and stored as a string, never a
    formula; numbers, dates and empty cells as they are."""
    if not isinstance(value, str):
        return WriteOnlyCell(sheet, value)
    cell = WriteOnlyCell(sheet, clean_text(value))
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


def to_xlsx(frame: pl.DataFrame, sheet: str) -> bytes:
    """The frame as a one-sheet Excel workbook (header row, then one row per frame row)."""
    workbook = Workbook(write_only=True)
    worksheet = workbook.create_sheet(title=sheet[:31])
    worksheet.append(xlsx_row(worksheet, frame.columns))
    for row in frame.iter_rows():
        worksheet.append(xlsx_row(worksheet, list(row)))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def attachment(filename: str) -> str:
    """A Content-Disposition for ``filename``: an ASCII fallback and the UTF-8 name (RFC 6266).

    Names often carry user input (a period, an uploaded file's name); a header carries Latin-1
    only, so the name is never put there raw.
    """
    fallback = filename.encode("ascii", "replace").decode()
    for unsafe in '"?\\\r\n':
        fallback = fallback.replace(unsafe, "_")
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename)}"


def download(frame: pl.DataFrame, fmt: str, name: str) -> Response:
    """A download of ``frame`` as ``name.csv`` or ``name.xlsx``."""
    if fmt == "csv":
        body, media = to_csv(frame), CSV_MEDIA_TYPE
    elif fmt == "xlsx":
        body, media = to_xlsx(frame, name), XLSX_MEDIA_TYPE
    else:
        raise InputError(f"format {fmt!r} is not csv or xlsx")
    return Response(
        body,
        media_type=media,
        headers={"Content-Disposition": attachment(f"{name}.{fmt}")},
    )
