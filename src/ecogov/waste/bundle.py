"""Read a waste bundle (固废核查数据包): a folder or a zip of CSV (or .xlsx) files in the layout of
docs/waste-bundle.md, and its rules file, into the frames the checks take.

Files are read through the platform's readers (encodings, headers by name in any width or case,
row- and column-precise Chinese errors); a bundle with a bad cell, a duplicate key or a reference
to a party, facility or manifest it does not hold is refused as a whole (``RejectedFile``, exit
code 2), nothing computed.
"""

from __future__ import annotations

import tomllib
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path, PurePosixPath
from typing import Final

import polars as pl

from ecogov.engine.waste import SCHEMAS, RulesError, RuleSet, WasteFrames, configure
from ecogov.platform.errors import InputError
from ecogov.platform.readers import (
    COMPUTE_REFUSED,
    EXCEL_SUFFIXES,
    CellError,
    RowError,
    Source,
    enforce,
    open_table,
    parse_datetime,
    parse_number,
    resolve_columns,
)
from ecogov.standards.timebase import BEIJING
from ecogov.standards.waste.codes import WasteCodeError, parse_waste_code
from ecogov.standards.waste.transfer import ManifestNumberError, parse_manifest_number

__all__ = ["RULES_FILE", "Bundle", "read_bundle", "read_rules"]

RULES_FILE: Final = "rules.toml"

REQUIRED: Final[Mapping[str, tuple[str, ...]]] = {
    "parties": ("party_id", "kind"),
    "facilities": ("facility_id", "party_id", "kind", "capacity_t"),
    "licences": ("licence_no", "party_id", "kind", "valid_from"),
    "plans": ("party_id", "year", "waste_code", "planned_t"),
    "ledger": ("entry_id", "party_id", "date", "waste_code", "stage", "quantity_t"),
    "manifests": (
        "manifest_no",
        "generator_id",
        "carrier_id",
        "receiver_id",
        "waste_code",
        "shipped_t",
        "status",
        "created_at",
    ),
    "payments": ("doc_id", "kind", "payer_id", "payee_id", "date", "amount_yuan"),
    "tracks": ("manifest_no", "ts", "lon", "lat"),
}
"""Columns every file must have, each cell filled; the other columns may be absent or empty."""
KEYS: Final[Mapping[str, tuple[str, ...]]] = {
    "parties": ("party_id",),
    "facilities": ("facility_id",),
    "licences": ("licence_no", "waste_code"),
    "ledger": ("entry_id",),
    "manifests": ("manifest_no",),
    "payments": ("doc_id",),
}
"""The columns unique together in each table. A licence is a row per code it permits (one
licence number on several rows), so its key is the number with the code, as in the database."""
CHOICES: Final[Mapping[tuple[str, str], tuple[str, ...]]] = {
    (table, column): tuple(dtype.categories.to_list())
    for table, schema in SCHEMAS.items()
    for column, dtype in schema.items()
    if isinstance(dtype, pl.Enum)
}
"""Columns holding one of a few words (the schema's ``Enum`` columns)."""
REFERENCES: Final = (
    ("facilities", "party_id", "parties"),
    ("licences", "party_id", "parties"),
    ("plans", "party_id", "parties"),
    ("plans", "receiver_id", "parties"),
    ("ledger", "party_id", "parties"),
    ("ledger", "facility_id", "facilities"),
    ("manifests", "generator_id", "parties"),
    ("manifests", "carrier_id", "parties"),
    ("manifests", "receiver_id", "parties"),
    ("payments", "payer_id", "parties"),
    ("payments", "payee_id", "parties"),
    ("tracks", "manifest_no", "manifests"),
)
"""Columns naming a row of another table (an empty cell names none)."""


@dataclass(frozen=True)
class Bundle:
    """A bundle's frames and its rule set."""

    frames: WasteFrames
    rules: RuleSet


def _choice(table: str, column: str) -> Callable[[str], str]:
    allowed = CHOICES[(table, column)]

    def parse(text: str) -> str:
        if text not in allowed:
            words = "/".join(allowed)
            raise CellError(column, text, f"“{text}”应为 {words} 之一", f"must be one of {words}")
        return text

    return parse


def _code(column: str) -> Callable[[str], str]:
    def parse(text: str) -> str:
        try:
            return parse_waste_code(text).text
        except WasteCodeError as exc:
            raise CellError(column, text, exc.zh, exc.en) from None

    return parse


def _manifest(column: str) -> Callable[[str], str]:
    def parse(text: str) -> str:
        try:
            return parse_manifest_number(text).text
        except ManifestNumberError as exc:
            raise CellError(column, text, exc.zh, exc.en) from None

    return parse


def _region(text: str) -> str:
    if len(text) != 6 or not text.isdigit():
        raise CellError("region_code", text, "行政区划代码应为6位数字", "must be 6 digits")
    return text


def _number(
    column: str, low: float | None = 0.0, high: float | None = None
) -> Callable[[str], float]:
    def parse(text: str) -> float:
        value = parse_number(column, text, minimum=low)
        assert value is not None
        if high is not None and value > high:
            raise CellError(column, text, f"应不大于 {high:g}", f"must be ≤ {high:g}")
        return value

    return parse


def _integer(column: str, low: int, high: int | None = None) -> Callable[[str], int]:
    def parse(text: str) -> int:
        if (
            not text.lstrip("-").isdigit()
            or int(text) < low
            or (high is not None and int(text) > high)
        ):
            span = f"{low}–{high}" if high is not None else f"≥ {low}"
            raise CellError(
                column, text, f"“{text}”应为整数（{span}）", f"must be an integer ({span})"
            )
        return int(text)

    return parse


def _date(column: str) -> Callable[[str], date]:
    def parse(text: str) -> date:
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise CellError(
                column, text, f"“{text}”不是日期（应为 YYYY-MM-DD）", "not a date (YYYY-MM-DD)"
            ) from None

    return parse


def _stamp(column: str) -> Callable[[str], datetime]:
    def parse(text: str) -> datetime:
        return parse_datetime(column, text, zone=BEIJING).astimezone(BEIJING).replace(tzinfo=None)

    return parse


def _parser(table: str, column: str, dtype: pl.DataType) -> Callable[[str], object]:
    """How a cell of ``column`` is read."""
    if (table, column) in CHOICES:
        return _choice(table, column)
    if column == "waste_code":
        return _code(column)
    if column == "manifest_no":
        return _manifest(column)
    if column == "region_code":
        return _region
    if column == "lon":
        return _number(column, -180.0, 180.0)
    if column == "lat":
        return _number(column, -90.0, 90.0)
    if column == "small_generator":
        return _integer(column, 0, 1)
    if column == "year":
        return _integer(column, 1900, 2200)
    if dtype == pl.Int32 or dtype == pl.Int8:
        return _integer(column, 1)
    if dtype == pl.Float64:
        return _number(column)
    if dtype == pl.Date:
        return _date(column)
    if isinstance(dtype, pl.Datetime):
        return _stamp(column)
    return str


def _read_table(table: str, file: str, source: Source) -> tuple[pl.DataFrame, list[int]]:
    """One file's frame and the row number of each of its rows."""
    schema = SCHEMAS[table]
    parsers = {column: _parser(table, column, dtype) for column, dtype in schema.items()}
    values: dict[str, list[object]] = {column: [] for column in schema}
    numbers: list[int] = []
    errors: list[RowError] = []
    with open_table(file, source) as sheet:
        found = resolve_columns(file, sheet.header, dict.fromkeys(schema, ()), REQUIRED[table])
        for number, record in sheet.records():
            row: dict[str, object] = {}
            for column in schema:
                header = found[column]
                text = record[header] if header is not None else ""
                try:
                    if not text:
                        if column in REQUIRED[table]:
                            raise CellError(header, text, "不能为空", "is empty")
                        row[column] = None
                    else:
                        row[column] = parsers[column](text)
                except CellError as exc:
                    errors.append(exc.at(file, number))
            for column in schema:
                values[column].append(row.get(column))
            numbers.append(number)
    enforce(file, errors, skip_bad_rows=False, outcome=COMPUTE_REFUSED)
    return pl.DataFrame(values, schema=dict(schema)), numbers


def _members(path: Path) -> dict[str, Source]:
    """The bundle's files by base name: a folder's files, or a zip's members."""
    if path.is_dir():
        return {item.name: item for item in path.iterdir() if item.is_file()}
    if not path.is_file():
        raise InputError(f"{path}：数据包不存在 / {path}: no such bundle")
    try:
        with zipfile.ZipFile(path) as archive:
            return {
                PurePosixPath(info.filename).name: archive.read(info)
                for info in archive.infolist()
                if not info.is_dir()
            }
    except (zipfile.BadZipFile, OSError) as exc:
        raise InputError(
            f"{path}：不是文件夹，也不是可读的 zip 数据包 / {path}: neither a folder nor a readable"
            f" zip bundle ({exc})"
        ) from exc


def _check_keys(
    frames: Mapping[str, pl.DataFrame], rows: Mapping[str, list[int]], names: Mapping[str, str]
) -> None:
    for table, key in KEYS.items():
        repeated = frames[table].with_row_index().filter(pl.struct(key).is_duplicated())
        errors = []
        for i, *values in repeated.select("index", *key).iter_rows():
            text = " ".join(str(value) for value in values if value is not None)
            errors.append(
                RowError(names[table], rows[table][i], key[0], text, f"“{text}”重复", "is repeated")
            )
        enforce(names[table], errors, skip_bad_rows=False, outcome=COMPUTE_REFUSED)
    for table, column, target in REFERENCES:
        (target_key,) = KEYS[target]
        known = frames[target][target_key]
        dangling = (
            frames[table]
            .with_row_index()
            .filter(pl.col(column).is_not_null() & pl.col(column).is_in(known.implode()).not_())
        )
        errors = [
            RowError(
                names[table],
                rows[table][i],
                column,
                value,
                f"“{value}”不在 {names[target]} 中",
                f"{value!r} is not in {names[target]}",
            )
            for i, value in dangling.select("index", column).iter_rows()
        ]
        enforce(names[table], errors, skip_bad_rows=False, outcome=COMPUTE_REFUSED)


def read_rules(text: str, file: str) -> RuleSet:
    """A rule set from a rules file's text (TOML).

    Raises:
        InputError: not TOML, or not a valid rule set (the message says which key).
    """
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(
            f"{file}：不是有效的 TOML（{exc}） / {file}: not valid TOML ({exc})"
        ) from exc
    try:
        return configure(document)
    except RulesError as exc:
        raise InputError(f"{file}：{exc.zh} / {file}: {exc.en}") from exc


def _text(source: Source, file: str) -> str:
    data = source.read_bytes() if isinstance(source, Path) else source
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{file}：应为 UTF-8 编码 / {file}: must be UTF-8") from exc


def read_bundle(path: Path, rules_file: Path | None = None) -> Bundle:
    """The bundle at ``path`` (a folder or a .zip) and its rule set: ``rules_file`` when given,
    else the bundle's own ``rules.toml``, else the defaults. A table without a file is empty.

    Raises:
        InputError: an unreadable bundle or rules file; ``RejectedFile`` for bad rows.
    """
    members = _members(path)
    frames: dict[str, pl.DataFrame] = {}
    rows: dict[str, list[int]] = {}
    names: dict[str, str] = {}
    for table in SCHEMAS:
        file = next(
            (
                f"{table}{suffix}"
                for suffix in (".csv", *EXCEL_SUFFIXES)
                if f"{table}{suffix}" in members
            ),
            None,
        )
        names[table] = file or f"{table}.csv"
        if file is None:
            frames[table], rows[table] = WasteFrames.of().__getattribute__(table), []
        else:
            frames[table], rows[table] = _read_table(table, file, members[file])
    _check_keys(frames, rows, names)
    if rules_file is not None:
        if not rules_file.is_file():
            raise InputError(f"{rules_file}：规则文件不存在 / {rules_file}: no such rules file")
        rules = read_rules(_text(rules_file, str(rules_file)), str(rules_file))
    elif RULES_FILE in members:
        rules = read_rules(_text(members[RULES_FILE], RULES_FILE), RULES_FILE)
    else:
        rules = configure()
    return Bundle(WasteFrames.of(**frames), rules)
