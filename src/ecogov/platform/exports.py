"""Tables as downloads: CSV (UTF-8 with a BOM, so spreadsheets read the Chinese text) and Excel."""

from __future__ import annotations

import io
from typing import Any, Final
from urllib.parse import quote

import polars as pl
from fastapi.responses import Response
from openpyxl import Workbook

from ecogov.platform.errors import InputError

CSV_MEDIA_TYPE: Final = "text/csv; charset=utf-8"
XLSX_MEDIA_TYPE: Final = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_BOM: Final = "\ufeff"

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
    written as empty cells; floats in their shortest form."""
    text = frame.with_columns(pl.col(pl.String).replace("", None)).write_csv()
    return ((_BOM if bom else "") + text).encode("utf-8")


def to_xlsx(frame: pl.DataFrame, sheet: str) -> bytes:
    """The frame as a one-sheet Excel workbook (header row, then one row per frame row)."""
    workbook = Workbook(write_only=True)
    worksheet = workbook.create_sheet(title=sheet[:31])
    worksheet.append(frame.columns)
    for row in frame.iter_rows():
        worksheet.append(list(row))
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
