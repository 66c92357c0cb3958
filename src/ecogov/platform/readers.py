"""One reader per input format: CSV and Excel (.xlsx) tables, read row by row.

Every file import of the platform reads through here, so every domain gets the same rules:

* **Encodings** — CSV is UTF-8 (with or without a byte-order mark) or GB 18030, as Chinese
  Excel and WPS save it; the whole file is checked before a row is read (:func:`detect_encoding`).
* **Rows** — numbered as a spreadsheet shows them (the header is row 1, or the row it was found
  on); blank rows are skipped; cells come as stripped text (:func:`open_table`,
  :meth:`Table.records`), streamed: a file is never held in memory as a whole.
* **Headers** — a column is found by any of its aliases, Chinese or English, in any width or
  case (:func:`resolve_columns`).
* **Cells** — typed by the ``parse_*`` helpers, which raise :class:`CellError`; the row loop turns
  it into a :class:`RowError` (file, row, column, value, reason in Chinese and English).
* **Policy** — a file with a bad row is imported all or nothing unless the user asks to skip bad
  rows (:func:`enforce`); the rejects are recorded either way (``ecogov.platform.rejects``).
"""

from __future__ import annotations

import codecs
import csv
import io
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from pathlib import Path, PurePath
from typing import IO, Final, TypeVar

from ecogov.platform.errors import InputError
from ecogov.platform.i18n import Catalogue, register, texts

__all__ = [
    "DATETIME_FORMATS",
    "ENCODINGS",
    "MISSING_TOKENS",
    "CellError",
    "RejectedFile",
    "RowError",
    "Table",
    "batched",
    "cell_text",
    "decode_text",
    "detect_encoding",
    "enforce",
    "fold",
    "open_table",
    "parse_datetime",
    "parse_number",
    "read_document",
    "read_text",
    "require_text",
    "resolve_columns",
    "utf8_source",
]

MESSAGES: Final[Catalogue] = {
    "reader.at_row": ("{file} 第 {row} 行", "{file} row {row}"),
    "reader.at_column": ("，列「{column}」", ", column {column}"),
    "reader.refused.import": (
        "未导入任何数据（可选择跳过错误行，只导入正确的行）",
        "nothing imported",
    ),
    "reader.refused.compute": ("未作计算", "nothing computed"),
    "reader.rejected": (
        "{file}：{count} 行有错误，{outcome}：{errors}",
        "{file}: {count} bad row(s), {outcome}: {errors}",
    ),
    "reader.more": ("（另有 {more} 处）", " (+{more} more)"),
    "reader.encoding": (
        "{name}：文件既不是 UTF-8 也不是 GB18030 编码的文本",
        "{name}: neither UTF-8 nor GB18030 text",
    ),
    "reader.no_file": ("{path}：文件不存在", "{path}: no such file"),
    "reader.header_lacks": (
        "{file}：表头缺少列 {wanted}；第 1 行为：{header}",
        "{file}: header lacks column(s) {missing}",
    ),
    "reader.empty_cell": ("不能为空", "is empty"),
    "reader.too_long": ("超过 {limit} 个字符", "is longer than {limit} characters"),
    "reader.not_number": ("“{token}”不是数字", "{token!r} is not a number"),
    "reader.not_finite": ("“{token}”不是有限数字", "{token!r} is not a finite number"),
    "reader.below_minimum": (
        "“{token}”应为不小于 {minimum:g} 的数字",
        "{token!r} must be a number ≥ {minimum:g}",
    ),
    "reader.not_datetime": (
        "“{token}”不是日期时间（应为 YYYY-MM-DD HH:MM）",
        "{token!r} is not a date or time (YYYY-MM-DD HH:MM)",
    ),
    "reader.bad_csv": (
        "{file}：第 {line} 行不是有效的 CSV（{reason}）",
        "{file}: line {line} is not valid CSV ({reason})",
    ),
    "reader.not_xlsx": (
        "{file}：不是可读的 Excel .xlsx 工作簿",
        "{file}: not a readable .xlsx workbook ({kind})",
    ),
    "reader.empty_file": ("{file}：文件为空", "{file}: the file is empty"),
    "reader.bad_document": (
        "{file}：无法读取的 {kind} 文件（文件已损坏或不完整）",
        "{file}: unreadable {kind} file (damaged or incomplete)",
    ),
    "reader.pdf_no_text": (
        "{file}：PDF 没有文字层（可能是扫描件），请提供带文字的 PDF、Word 或文本文件",
        "{file}: the PDF has no text layer (a scan?); give a PDF with text, Word or plain text",
    ),
    "reader.legacy_office": (
        "{file}：旧版 Office 格式（.doc/.xls），请另存为 .docx 或 .xlsx 后上传",
        "{file}: legacy Office format (.doc/.xls); save it as .docx or .xlsx",
    ),
    "reader.unknown_archive": (
        "{file}：压缩包既不是 Word（.docx）也不是 Excel（.xlsx）文件",
        "{file}: a ZIP archive that is neither a Word (.docx) nor an Excel (.xlsx) file",
    ),
    "reader.no_header_row": (
        "{file}：前 {rows} 行中没有包含 {roles} 的表头行",
        "{file}: no header row naming {roles_en} in the first {rows} rows",
    ),
    "reader.unnamed_column": (
        "{file}：第 {row} 行（表头）必须为每一列命名",
        "{file}: row {row} must name every column (an empty header was found)",
    ),
    "reader.repeated_column": (
        "{file}：表头重复列 {names}",
        "{file}: row {row} repeats the column {names_en}",
    ),
}
register(MESSAGES)


def _refusal(key: str, /, **values: object) -> InputError:
    """An input error with the message ``key``, zh-CN / English as the readers write them."""
    return InputError(" / ".join(texts(key, **values)))


ENCODINGS: Final = ("utf-8-sig", "gb18030")
"""CSV encodings, tried in this order (UTF-8 first: GB 18030 decodes almost any bytes)."""
EXCEL_SUFFIXES: Final = frozenset({".xlsx", ".xlsm"})
MISSING_TOKENS: Final = frozenset({"", "-", "-;", "—", "NA", "N/A", "NaN", "nan", "null", "None"})
"""Cell texts that mean "no value"."""
MAX_ERRORS_KEPT: Final = 1000
"""Row errors kept per file (the count goes on): enough to fix a file, bounded in memory."""
MAX_ERRORS_SHOWN: Final = 10
"""Row errors a refusal message lists (the rejects ledger holds them all)."""
_CHUNK: Final = 1 << 20

T = TypeVar("T")
Source = Path | bytes
"""A file on disk, or the bytes of an upload."""


# --- errors ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RowError:
    """What is wrong with one cell (or row) of an input file: where, the value, and why."""

    file: str
    row: int
    column: str | None
    value: str | None
    reason_zh: str
    reason_en: str

    def text(self, language: str = "zh") -> str:
        """The error in ``language`` (``zh`` or ``en``) with its file, row and column."""
        row = texts("reader.at_row", file=self.file, row=self.row)
        column = texts("reader.at_column", column=self.column) if self.column else ("", "")
        if language == "en":
            return f"{row[1]}{column[1]}: {self.reason_en}"
        return f"{row[0]}{column[0]}：{self.reason_zh}"

    def __str__(self) -> str:
        return self.text("zh")


class CellError(ValueError):
    """A bad cell: its column (as the file writes it), its text and the reason."""

    def __init__(self, column: str | None, value: str | None, reason_zh: str, reason_en: str):
        super().__init__(reason_en)
        self.column, self.value = column, value
        self.reason_zh, self.reason_en = reason_zh, reason_en

    def at(self, file: str, row: int) -> RowError:
        """This error placed at ``row`` of ``file``."""
        return RowError(file, row, self.column, self.value, self.reason_zh, self.reason_en)


def row_error(file: str, row: int, error: Exception) -> RowError:
    """A row's refusal as a :class:`RowError`: a :class:`CellError` keeps its column and value;
    any other error (a service's ``InputError``, whose text is ``中文（English）``) becomes the
    row's reason."""
    if isinstance(error, CellError):
        return error.at(file, row)
    text = str(error)
    zh, _, en = text.partition("（")
    return RowError(file, row, None, None, zh or text, en.rstrip("）") or text)


IMPORT_REFUSED: Final = "reader.refused.import"
"""What a refused import did (a message key): nothing; the user may skip the bad rows."""
COMPUTE_REFUSED: Final = "reader.refused.compute"
"""What a refused computation of a file (``ecogov air aqi``) did."""


class RejectedFile(InputError):
    """A file refused as a whole because some of its rows are bad (nothing was imported)."""

    def __init__(
        self,
        file: str,
        errors: Sequence[RowError],
        count: int | None = None,
        outcome: str = IMPORT_REFUSED,
    ) -> None:
        self.file, self.errors = file, tuple(errors)
        self.count = len(self.errors) if count is None else count
        shown = self.errors[:MAX_ERRORS_SHOWN]
        more = self.count - len(shown)
        more_zh, more_en = texts("reader.more", more=more) if more > 0 else ("", "")
        done_zh, done_en = texts(outcome)
        zh = texts(
            "reader.rejected",
            file=file,
            count=self.count,
            outcome=done_zh,
            errors="；".join(str(e) for e in shown) + more_zh,
        )[0]
        en = texts(
            "reader.rejected",
            file=file,
            count=self.count,
            outcome=done_en,
            errors="; ".join(f"row {e.row}: {e.reason_en}" for e in shown),
        )[1]
        super().__init__(f"{zh} / {en}{more_en}")


def enforce(
    file: str,
    errors: Sequence[RowError],
    *,
    skip_bad_rows: bool,
    count: int | None = None,
    outcome: str = IMPORT_REFUSED,
) -> None:
    """The import policy: a file with bad rows is all or nothing unless ``skip_bad_rows``
    (``outcome`` says what a refusal did, :data:`IMPORT_REFUSED` by default).

    Raises:
        RejectedFile: ``errors`` is not empty and bad rows are not to be skipped.
    """
    if errors and not skip_bad_rows:
        raise RejectedFile(file, errors, count, outcome)


# --- encodings ---------------------------------------------------------------------------------


def _chunks(source: Source) -> Iterator[bytes]:
    if isinstance(source, bytes):
        for start in range(0, len(source), _CHUNK):
            yield source[start : start + _CHUNK]
        return
    with source.open("rb") as stream:
        while chunk := stream.read(_CHUNK):
            yield chunk


def detect_encoding(source: Source, name: str) -> str:
    """The encoding of a text file or upload: ``utf-8-sig`` or ``gb18030``.

    The whole input is decoded incrementally (a bad byte anywhere rules an encoding out), in
    chunks, so a large file costs one pass and no memory.

    Raises:
        InputError: neither encoding reads it.
    """
    for encoding in ENCODINGS:
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            for chunk in _chunks(source):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        return encoding
    raise _refusal("reader.encoding", name=name)


def utf8_source(source: Source, name: str) -> Source:
    """``source`` as UTF-8 without a byte-order mark, for vectorized readers that take only
    that (Polars' CSV reader): a UTF-8 file without BOM is handed back untouched; a BOM is
    dropped, GB 18030 re-encoded (in memory: such readers read the whole file anyway).

    Raises:
        InputError: neither encoding reads it.
    """
    encoding = detect_encoding(source, name)
    if isinstance(source, Path):
        if encoding == "utf-8-sig":
            with source.open("rb") as stream:  # only the first bytes, to look for a BOM
                if stream.read(len(codecs.BOM_UTF8)) != codecs.BOM_UTF8:
                    return source
        data = source.read_bytes()
    else:
        data = source
    if encoding == "utf-8-sig":
        return data.removeprefix(codecs.BOM_UTF8)
    return data.decode(encoding).encode("utf-8")


def decode_text(data: bytes, name: str) -> str:
    """The text of ``data`` (from a file or upload called ``name``), UTF-8 or GB 18030.

    Raises:
        InputError: neither encoding reads it.
    """
    return data.decode(detect_encoding(data, name))


def read_text(path: Path) -> str:
    """The text of the file at ``path``.

    Raises:
        InputError: the file is missing or undecodable.
    """
    if not path.is_file():
        raise _refusal("reader.no_file", path=path)
    return decode_text(path.read_bytes(), path.name)


# --- documents (plain text, Word, PDF, Excel) ---------------------------------------------------

_PDF: Final = b"%PDF"
_ZIP: Final = b"PK\x03\x04"
_OLE: Final = b"\xd0\xcf\x11\xe0"  # .doc / .xls before 2007


def read_document(source: Source, name: str) -> str:
    """The text of a document (bytes or a file), its format decided by its first bytes, not
    its name: PDF (its text layer, page by page), Word .docx (paragraphs and tables in
    document order, a table one cell per line as web captures flatten them, a merged cell
    once), Excel .xlsx (the first sheet's rows, one cell per line, through the one table
    reader), else UTF-8 or GB 18030 text.

    Raises:
        InputError: a damaged file, a PDF without text, a legacy .doc/.xls, another archive, or
            text in neither encoding — naming the file and what is wrong, in Chinese.
    """
    if isinstance(source, Path) and not source.is_file():
        raise _refusal("reader.no_file", path=source)
    data = source if isinstance(source, bytes) else source.read_bytes()
    if data.startswith(_PDF):
        return _pdf_text(data, name)
    if data.startswith(_OLE):
        raise _refusal("reader.legacy_office", file=name)
    if data.startswith(_ZIP):
        import zipfile

        try:
            members = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
        except zipfile.BadZipFile as exc:
            raise _refusal("reader.bad_document", file=name, kind="ZIP") from exc
        if "word/document.xml" in members:
            return _docx_text(data, name)
        if "xl/workbook.xml" in members:
            return _xlsx_text(data, name)
        raise _refusal("reader.unknown_archive", file=name)
    return decode_text(data, name)


def _pdf_text(data: bytes, name: str) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        pages = [page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages]
    except (PdfReadError, ValueError, KeyError) as exc:
        raise _refusal("reader.bad_document", file=name, kind="PDF") from exc
    text = "\n".join(pages)
    if not text.strip():
        raise _refusal("reader.pdf_no_text", file=name)
    return text


def _docx_text(data: bytes, name: str) -> str:
    from docx import Document
    from docx.table import Table as WordTable
    from docx.text.paragraph import Paragraph

    try:
        document = Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises several types for a damaged package
        raise _refusal("reader.bad_document", file=name, kind="Word") from exc
    lines: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            lines.append(block.text)
        elif isinstance(block, WordTable):
            for row in block.rows:
                seen: list[object] = []
                for cell in row.cells:
                    if cell._tc not in seen:  # a merged cell repeats in each grid column
                        seen.append(cell._tc)
                        lines.extend(cell.text.split("\n"))
    return "\n".join(lines)


def _xlsx_text(data: bytes, name: str) -> str:
    rows, workbook = _excel_rows(name, data)
    try:
        return "\n".join(cell for cells in rows for cell in cells if cell.strip())
    finally:
        getattr(workbook, "close", lambda: None)()


# --- cells and headers -------------------------------------------------------------------------


def fold(text: str) -> str:
    """Header and keyword form: width-folded (NFKC), case-folded, without spaces."""
    return "".join(unicodedata.normalize("NFKC", text).casefold().split())


def cell_text(value: object) -> str:
    """An Excel cell as the text a CSV would hold: times as ``YYYY-MM-DD HH:MM:SS``, integral
    floats without ``.0`` (Excel stores 1 as 1.0), empty for an empty cell."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def resolve_columns(
    file: str,
    header: Sequence[str],
    aliases: Mapping[str, Sequence[str]],
    required: Iterable[str],
) -> dict[str, str | None]:
    """The header column playing each role of ``aliases`` (role → header as written, None when
    the file has none), matched in any width or case.

    Raises:
        InputError: a ``required`` role has no column (the message lists the header).
    """
    folded = {fold(name): name for name in header if name}
    found: dict[str, str | None] = {}
    for role, names in aliases.items():
        found[role] = next((folded[fold(a)] for a in (role, *names) if fold(a) in folded), None)
    missing = [role for role in required if found.get(role) is None]
    if missing:
        wanted = "、".join(f"{role}（{'/'.join(aliases[role][:3])}）" for role in missing)
        raise _refusal(
            "reader.header_lacks",
            file=file,
            wanted=wanted,
            header="，".join(header),
            missing=", ".join(missing),
        )
    return found


# --- typed cells -------------------------------------------------------------------------------


def require_text(column: str, text: str, *, max_length: int | None = None) -> str:
    """A cell that must not be empty (nor longer than ``max_length`` characters)."""
    if not text:
        raise CellError(column, text, *texts("reader.empty_cell"))
    if max_length is not None and len(text) > max_length:
        raise CellError(column, text, *texts("reader.too_long", limit=max_length))
    return text


def parse_number(column: str, text: str | None, *, minimum: float | None = None) -> float | None:
    """A number from a cell; None when the cell is missing (:data:`MISSING_TOKENS`).

    Raises:
        CellError: not a number, or below ``minimum``.
    """
    if text is None or text.strip() in MISSING_TOKENS:
        return None
    token = text.strip()
    try:
        value = float(token)
    except ValueError:
        raise CellError(column, token, *texts("reader.not_number", token=token)) from None
    if value != value or value in (float("inf"), float("-inf")):
        raise CellError(column, token, *texts("reader.not_finite", token=token))
    if minimum is not None and value < minimum:
        raise CellError(column, token, *texts("reader.below_minimum", token=token, minimum=minimum))
    return value


DATETIME_FORMATS: Final = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%d",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y/%m/%d",
    "%Y%m%d%H%M%S",
    "%Y%m%d",
)
"""Layouts of a date or time cell without an offset, as spreadsheets and exports write them
(vectorized readers parse the same layouts)."""


def parse_datetime(column: str, text: str, *, zone: tzinfo) -> datetime:
    """A time from a cell, timezone-aware: ISO 8601 (an offset such as ``+08:00`` or ``Z`` is
    kept) or the layouts spreadsheets write (``2018/2/20 7:00``); a time without an offset is
    in ``zone`` (the caller's time base: Beijing time for monitoring data — the platform names
    no time zone of its own), a date alone is its 00:00.

    Raises:
        CellError: none of these layouts.
    """
    token = text.strip()
    when: datetime | None = None
    try:
        when = datetime.fromisoformat(token.replace("Z", "+00:00"))
    except ValueError:
        for layout in DATETIME_FORMATS:
            try:
                when = datetime.strptime(token, layout)
                break
            except ValueError:
                continue
    if when is None:
        raise CellError(column, token, *texts("reader.not_datetime", token=token))
    return when if when.tzinfo is not None else when.replace(tzinfo=zone)


# --- tables ------------------------------------------------------------------------------------


class Table:
    """An open CSV or Excel table: its header and a stream of its rows.

    Use as a context manager (the file is closed at the end); iterate :meth:`rows` or
    :meth:`records` once.
    """

    def __init__(self, file: str, header_row: int, header: list[str], rows: Iterator[list[str]]):
        self.file, self.header_row, self.header = file, header_row, header
        self._rows = rows
        self._closers: list[IO[bytes] | IO[str] | object] = []

    def __enter__(self) -> Table:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the underlying file."""
        for closer in self._closers:
            close = getattr(closer, "close", None)
            if close is not None:
                close()

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        """``(row number, cells)`` of every non-blank row after the header; the cells are
        stripped text, padded or cut to the header's width."""
        width = len(self.header)
        for number, cells in enumerate(self._rows, start=self.header_row + 1):
            stripped = [cell.strip() for cell in cells]
            if any(stripped):
                if len(stripped) != width:
                    stripped = (stripped + [""] * width)[:width]
                yield number, stripped

    def records(self) -> Iterator[tuple[int, dict[str, str]]]:
        """``(row number, header → cell text)`` of every non-blank row after the header."""
        for number, cells in self.rows():
            yield number, dict(zip(self.header, cells, strict=True))


def _csv_rows(file: str, source: Source) -> tuple[Iterator[list[str]], IO[str]]:
    encoding = detect_encoding(source, file)
    binary: IO[bytes] = io.BytesIO(source) if isinstance(source, bytes) else source.open("rb")
    text = io.TextIOWrapper(binary, encoding=encoding, newline="")

    def rows() -> Iterator[list[str]]:
        reader = csv.reader(text)
        try:
            yield from reader
        except csv.Error as exc:
            line = reader.line_num
            raise _refusal("reader.bad_csv", file=file, line=line, reason=exc) from exc

    return rows(), text


def _excel_rows(file: str, source: Source) -> tuple[Iterator[list[str]], object]:
    from openpyxl import load_workbook

    stream = io.BytesIO(source) if isinstance(source, bytes) else source
    try:
        workbook = load_workbook(stream, read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
    except Exception as exc:  # openpyxl raises many types for a file that is not a workbook
        raise _refusal("reader.not_xlsx", file=file, kind=type(exc).__name__) from exc
    rows = ([cell_text(value) for value in values] for values in sheet.iter_rows(values_only=True))
    return rows, workbook


def open_table(
    file: str,
    source: Source,
    *,
    header_search_rows: int = 1,
    is_header: Mapping[str, Sequence[str]] | None = None,
) -> Table:
    """Open a CSV (by default) or .xlsx/.xlsm table (by the suffix of ``file``) for reading.

    The header is row 1, or — with ``header_search_rows`` > 1 — the first of those rows naming
    every role of ``is_header`` (by alias), so a title row may come before it. A header may not
    name a column twice nor leave one unnamed; trailing unnamed columns are dropped.

    Raises:
        InputError: unreadable file, no header, empty or repeated header names.
    """
    if isinstance(source, Path) and not source.is_file():
        raise _refusal("reader.no_file", path=source)
    excel = PurePath(file).suffix.lower() in EXCEL_SUFFIXES
    rows, handle = _excel_rows(file, source) if excel else _csv_rows(file, source)
    header: list[str] | None = None
    number = 0
    for number, cells in enumerate(rows, start=1):
        candidate = [cell.strip() for cell in cells]
        if is_header is None or _names_every_role(candidate, is_header):
            header = candidate
            break
        if number >= header_search_rows:
            break
    if header is None:
        close = getattr(handle, "close", None)
        if close is not None:
            close()
        if number == 0 and is_header is None:
            raise _refusal("reader.empty_file", file=file)
        raise _refusal(
            "reader.no_header_row",
            file=file,
            rows=header_search_rows,
            roles="、".join(is_header or ()),
            roles_en=", ".join(is_header or ()),
        )
    while header and not header[-1]:
        header.pop()
    problem = _header_problem(file, number, header)
    if problem is not None:
        close = getattr(handle, "close", None)
        if close is not None:
            close()
        raise problem
    table = Table(file, number, header, rows)
    table._closers.append(handle)
    return table


def _names_every_role(cells: Sequence[str], roles: Mapping[str, Sequence[str]]) -> bool:
    folded = {fold(cell) for cell in cells}
    return all(any(fold(a) in folded for a in (role, *names)) for role, names in roles.items())


def _header_problem(file: str, row: int, header: Sequence[str]) -> InputError | None:
    if not header or "" in header:
        return _refusal("reader.unnamed_column", file=file, row=row)
    repeated = sorted({h for h in header if header.count(h) > 1})
    if repeated:
        return _refusal(
            "reader.repeated_column",
            file=file,
            row=row,
            names="、".join(repeated),
            names_en=", ".join(repeated),
        )
    return None


def batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """``items`` in lists of ``size`` (the last may be shorter): streaming imports store a file
    batch by batch, so memory stays bounded whatever its length."""
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch
