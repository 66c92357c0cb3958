"""Reading surface-water files: the section registry and observations, long or wide.

Files are CSV (UTF-8, with or without BOM, or GB 18030 as Chinese spreadsheets save them) or
Excel (.xlsx, first sheet), read through :mod:`ecogov.platform.readers`. Rows are numbered as a
spreadsheet shows them (the header is row 1). A file that cannot be read, or lacks a required
column, is refused as a whole (:class:`~ecogov.platform.errors.InputError`); a row with a bad
cell becomes a :class:`~ecogov.platform.readers.RowError` saying which row, which column, the
value and why (in Chinese and English), and the other rows are read on (whether they are stored
is the import policy's decision: all or nothing unless bad rows are to be skipped).

Observation layouts:

* **long** — ``section,time,parameter,value[,unit][,flag]``, one value per row;
* **wide** — automatic-station exports: one row per sample time, one column per parameter,
  with ``section`` as a column or given once for the file; a header may carry its unit,
  ``溶解氧(mg/L)``. Columns that name no known item (电导率, 浊度 …) are ignored and reported.

Parameters may be named by HJ 212 code (``w21003``), abbreviation (``NH3-N``), Chinese name
(``氨氮``) or English name (:func:`~ecogov.standards.water_assessment.lookup_item`). Values are
in the item's GB 3838 unit unless a unit says otherwise. A value below the detection limit,
written ``<0.01`` or ``0.01L``, is stored as half the limit and marked ``below_detection``.
Times without an offset are Beijing time; a date alone means 00:00. Stored times are UTC.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final

import polars as pl

from ecogov.engine.water import value_problem
from ecogov.engine.water_means import from_beijing
from ecogov.monitoring.water.models import CONTROL_LEVELS
from ecogov.platform.errors import InputError
from ecogov.platform.i18n import Catalogue, both, register, texts
from ecogov.platform.readers import (
    DATETIME_FORMATS,
    CellError,
    RowError,
    fold,
    open_table,
    resolve_columns,
)
from ecogov.standards.gb3838 import UnknownParameterError, WaterClass
from ecogov.standards.units import IncompatibleUnitsError, UnknownUnitError, convert
from ecogov.standards.water_assessment import lookup_item

CLASS_ERRORS: Final[Catalogue] = {
    "water.error.class": (
        "“{text}”不是水质类别（I、II、III、IV、V 或劣V）",
        "'{text}' is not a water class (I, II, III, IV, V or 劣V)",
    ),
}
register(CLASS_ERRORS)

ERRORS: Final[Catalogue] = {
    "water.error.no_parameter": (
        "{name}：没有一列是已知的水质项目",
        "{name}: no column names a known water parameter",
    ),
}
register(ERRORS)

__all__ = [
    "OBSERVATION_FORMATS",
    "ParsedObservations",
    "ParsedSections",
    "RowError",
    "SectionRow",
    "find_column",
    "parse_class",
    "parse_long",
    "parse_sections",
    "parse_wide",
    "read_table",
]

OBSERVATION_FORMATS: Final = ("long", "wide")
OBSERVATION_SCHEMA: Final = pl.Schema(
    {
        "file": pl.String(),
        "row": pl.Int32(),
        "column": pl.String(),
        "section": pl.String(),
        "time": pl.Datetime("us", "UTC"),
        "time_text": pl.String(),
        "parameter": pl.String(),
        "parameter_text": pl.String(),
        "value": pl.Float64(),
        "flag": pl.String(),
        "below_detection": pl.Boolean(),
    }
)
"""The frame every observation parser returns (``column`` names the value's source column,
``time_text`` and ``parameter_text`` keep the time and the parameter as written)."""

_ALIASES: Final[Mapping[str, tuple[str, ...]]] = {
    "section": ("section", "断面", "断面编码", "断面代码", "点位", "点位编码", "站点"),
    "time": ("time", "时间", "监测时间", "采样时间", "日期", "datetime"),
    "parameter": ("parameter", "指标", "项目", "监测项目", "因子", "监测指标"),
    "value": ("value", "值", "监测值", "浓度", "数值", "结果"),
    "unit": ("unit", "单位"),
    "flag": ("flag", "标记", "数据标记", "标识"),
    "class": ("class", "水质类别", "类别"),
    "code": ("code", "断面编码", "断面代码", "编码"),
    "name": ("name", "断面名称", "名称"),
    "water_name": ("water_name", "water", "所在水体", "水体名称", "河流", "河流/湖库", "湖库"),
    "water_body": ("water_body", "水体类型", "类型"),
    "basin": ("basin", "流域", "所属流域"),
    "region_code": ("region_code", "region", "行政区划代码", "区划代码", "所在区县"),
    "target_class": ("target_class", "target", "目标类别", "水质目标", "目标水质"),
    "control_level": ("control_level", "level", "控制级别", "断面级别", "级别"),
    "drinking_source": ("drinking_source", "drinking", "饮用水源地", "是否饮用水源地"),
    "lon": ("lon", "longitude", "经度"),
    "lat": ("lat", "latitude", "纬度"),
}
_NUMBER: Final = r"[0-9]+(?:\.[0-9]*)?(?:[eE][-+]?[0-9]+)?|\.[0-9]+"
_BELOW_DETECTION: Final = rf"^(?:<\s*({_NUMBER})|({_NUMBER})\s*[Ll])$"
_WATER_BODY_WORDS: Final = {
    "river": "river",
    "河流": "river",
    "河": "river",
    "lake": "lake",
    "reservoir": "lake",
    "湖库": "lake",
    "湖泊": "lake",
    "湖": "lake",
    "水库": "lake",
}
_LEVEL_WORDS: Final = {
    **{level: level for level in CONTROL_LEVELS},
    "国控": "national",
    "省控": "provincial",
    "市控": "municipal",
}
_YES: Final = frozenset({"1", "true", "yes", "y", "是", "√"})
_NO: Final = frozenset({"", "0", "false", "no", "n", "否"})


@dataclass(frozen=True)
class ParsedObservations:
    """Observations read from a file: the good rows (:data:`OBSERVATION_SCHEMA`), the rejected
    ones, the number of values read and the columns ignored (wide layout)."""

    file: str
    frame: pl.DataFrame
    rejections: tuple[RowError, ...]
    read: int
    ignored_columns: tuple[str, ...] = ()


@dataclass(frozen=True)
class SectionRow:
    """One section of a registry file, checked and normalized."""

    row: int
    code: str
    name: str
    water_name: str
    water_body: str
    basin: str
    region_code: str
    target_class: int
    control_level: str
    drinking_source: bool
    lon: float | None
    lat: float | None


@dataclass(frozen=True)
class ParsedSections:
    """Sections read from a registry file, and the rejected rows."""

    file: str
    rows: tuple[SectionRow, ...]
    rejections: tuple[RowError, ...]
    read: int


_fold = fold


def read_table(name: str, content: bytes) -> pl.DataFrame:
    """The cells of a CSV or .xlsx file as text: one String column per header (stripped) and
    ``row``, the spreadsheet row number. Blank rows are skipped.

    Raises:
        InputError: unreadable file, no header, empty or repeated header names.
    """
    with open_table(name, content) as table:
        header = table.header
        body = list(table.rows())
    data: dict[str, list[object]] = {"row": [number for number, _ in body]}
    for index, column in enumerate(header):
        data[column] = [cells[index] for _, cells in body]
    schema = {"row": pl.Int32, **dict.fromkeys(header, pl.String)}
    return pl.DataFrame(data, schema=schema)


def find_column(name: str, table: pl.DataFrame, role: str, *, required: bool) -> str | None:
    """The column of :func:`read_table` output playing ``role`` (``section``, ``time``,
    ``basin``, ``class`` …), matched by its English or Chinese header in any width or case.

    Raises:
        InputError: ``required`` and no column matches (``name`` is the file, for the message).
    """
    header = [column for column in table.columns if column != "row"]
    try:
        found = resolve_columns(name, header, {role: _ALIASES[role]}, [role] if required else [])
    except InputError:
        raise InputError(
            f"{name}：缺少「{'/'.join(_ALIASES[role][:3])}」列（第 1 行为：{'，'.join(header)}） / "
            f"{name}: no '{role}' column (row 1 has: {', '.join(header)})"
        ) from None
    return found[role]


def _parse_times(text: pl.Expr) -> pl.Expr:
    """UTC instants of time texts: with an offset as given, otherwise Beijing time."""
    naive = pl.coalesce(
        [text.str.strptime(pl.Datetime("us"), fmt, strict=False) for fmt in DATETIME_FORMATS]
    )
    aware = text.str.strptime(pl.Datetime("us", "UTC"), "%Y-%m-%dT%H:%M:%S%z", strict=False)
    return pl.coalesce(aware, from_beijing(naive))


def _items(names: Sequence[str]) -> tuple[dict[str, str], dict[str, str]]:
    """Canonical code and GB 3838 unit of each known parameter name among ``names``."""
    codes: dict[str, str] = {}
    units: dict[str, str] = {}
    for name in names:
        try:
            item = lookup_item(name)
        except UnknownParameterError:
            continue
        codes[name], units[name] = item.code, item.unit
    return codes, units


def _convert(
    value: float | None, unit: str, to_unit: str | None
) -> float | UnknownUnitError | IncompatibleUnitsError | None:
    """``value`` converted from ``unit`` to ``to_unit``, or the error saying why it cannot be."""
    if value is None or not unit or to_unit is None:
        return value
    try:
        return convert(value, unit, to_unit)
    except (UnknownUnitError, IncompatibleUnitsError) as exc:
        return exc


def _with_units(frame: pl.DataFrame) -> pl.DataFrame:
    """Values of rows with a ``unit`` converted exactly to their item's unit; ``unit_problem``
    (zh-CN) and ``unit_problem_en`` say why a conversion failed."""
    converted = [
        _convert(value, unit, to_unit)
        for value, unit, to_unit in frame.select("value", "unit", "item_unit").iter_rows()
    ]
    problems = [v if isinstance(v, Exception) else None for v in converted]
    return frame.with_columns(
        value=pl.Series(
            [None if isinstance(v, Exception) else v for v in converted], dtype=pl.Float64
        ),
        unit_problem=pl.Series([p and p.zh for p in problems], dtype=pl.String),
        unit_problem_en=pl.Series([p and p.en for p in problems], dtype=pl.String),
    )


_VALUE_PROBLEMS_ZH: Final = {
    "not a number": "不是数字",
    "must be finite": "必须为有限数",
    "must not be negative": "不能为负数",
    "pH must lie within 0–14": "pH 应在 0–14 之间",
}
"""Chinese of the engine's value problems (:func:`~ecogov.engine.water.value_problem`)."""


@dataclass(frozen=True)
class Check:
    """A row check: the column it concerns, the failing condition, the cell's value and the
    reasons in Chinese and English."""

    column: pl.Expr
    fails: pl.Expr
    value: pl.Expr
    zh: pl.Expr
    en: pl.Expr


def _checks(columns: Mapping[str, pl.Expr]) -> list[Check]:
    """Every check of an observation row, in the order its message is reported."""
    value = pl.col("value_text")
    problem = value_problem()
    problem_zh = problem.replace_strict(_VALUE_PROBLEMS_ZH, default=problem)
    return [
        Check(
            columns["section"],
            pl.col("section") == "",
            pl.col("section"),
            pl.lit("断面编码为空"),
            pl.lit("section code is empty"),
        ),
        Check(
            columns["time"],
            pl.col("time").is_null(),
            pl.col("time_text"),
            pl.format("“{}”不是日期或时间", pl.col("time_text")),
            pl.format("'{}' is not a date or time", pl.col("time_text")),
        ),
        Check(
            columns["parameter"],
            pl.col("parameter").is_null(),
            pl.col("parameter_text"),
            pl.format("未知的监测项目“{}”", pl.col("parameter_text")),
            pl.format("unknown parameter '{}'", pl.col("parameter_text")),
        ),
        Check(
            columns["value"],
            pl.col("value").is_null() & pl.col("unit_problem").is_null(),
            value,
            pl.format("“{}”不是数字", value),
            pl.format("'{}' is not a number", value),
        ),
        Check(
            columns["unit"],
            pl.col("unit_problem").is_not_null(),
            pl.col("unit"),
            pl.format("单位“{}”无法换算：{}", pl.col("unit"), pl.col("unit_problem")),
            pl.col("unit_problem_en"),
        ),
        Check(
            columns["value"],
            problem.is_not_null(),
            value,
            pl.format("“{}”：{}", value, problem_zh),
            pl.format("'{}': {}", value, problem),
        ),
        Check(
            columns["flag"],
            pl.col("flag").str.len_chars() > 4,
            pl.col("flag"),
            pl.format("标记“{}”超过 4 个字符", pl.col("flag")),
            pl.format("flag '{}' is longer than 4 characters", pl.col("flag")),
        ),
    ]


def _first_problem(checks: Sequence[Check]) -> list[pl.Expr]:
    """``problem`` (English), ``problem_zh``, ``problem_value`` and ``problem_column`` of the
    first failing check (null when none fails)."""

    def first(part: str) -> pl.Expr:
        return pl.coalesce([pl.when(c.fails).then(getattr(c, part)) for c in checks])

    return [
        first("en").alias("problem"),
        first("zh").alias("problem_zh"),
        first("value").alias("problem_value"),
        first("column").alias("problem_column"),
    ]


def _observations(
    name: str, cells: pl.DataFrame, columns: Mapping[str, pl.Expr]
) -> ParsedObservations:
    """Check and normalize observation cells into :data:`OBSERVATION_SCHEMA` rows.

    ``cells`` holds text: ``row``, ``column`` (the value's source column), ``section``,
    ``time_text``, ``parameter_text``, ``value_text``, ``unit`` and ``flag``; ``columns`` names
    the source column of each field for messages.
    """
    codes, units = _items(cells["parameter_text"].unique().to_list())
    below = pl.col("value_text").str.extract_groups(_BELOW_DETECTION)
    limit = pl.coalesce(below.struct.field("1"), below.struct.field("2")).cast(pl.Float64)
    frame = _with_units(
        cells.with_columns(
            parameter=pl.col("parameter_text").replace_strict(codes, default=None),
            item_unit=pl.col("parameter_text").replace_strict(units, default=None),
            time=_parse_times(pl.col("time_text")),
            below_detection=limit.is_not_null(),
            value=pl.coalesce(limit / 2, pl.col("value_text").cast(pl.Float64, strict=False)),
        )
    ).with_columns(_first_problem(_checks(columns)))
    first = pl.col("row").first().over("section", "time", "parameter")
    repeated = pl.col("problem").is_null() & (pl.col("row") != first)
    frame = frame.with_columns(
        problem=pl.when(repeated)
        .then(pl.format("repeats the section, time and parameter of row {}", first))
        .otherwise("problem"),
        problem_zh=pl.when(repeated)
        .then(pl.format("与第 {} 行的断面、时间和监测项目重复", first))
        .otherwise("problem_zh"),
        problem_value=pl.when(repeated).then(pl.col("parameter_text")).otherwise("problem_value"),
        problem_column=pl.when(repeated).then(columns["parameter"]).otherwise("problem_column"),
    )
    return _split(name, frame, read=cells.height)


def _split(name: str, frame: pl.DataFrame, *, read: int) -> ParsedObservations:
    """The accepted rows in :data:`OBSERVATION_SCHEMA` and a rejection for each other row."""
    failed = frame.filter(pl.col("problem").is_not_null())
    rejections = tuple(
        RowError(name, row, column, value, zh, en)
        for row, column, value, zh, en in failed.select(
            "row", "problem_column", "problem_value", "problem_zh", "problem"
        ).iter_rows()
    )
    good = frame.filter(pl.col("problem").is_null()).select(
        file=pl.lit(name),
        row="row",
        column="column",
        section="section",
        time="time",
        time_text="time_text",
        parameter="parameter",
        parameter_text="parameter_text",
        value="value",
        flag=pl.when(pl.col("flag") != "").then(pl.col("flag")),
        below_detection="below_detection",
    )
    return ParsedObservations(name, good.cast(OBSERVATION_SCHEMA), rejections, read)


def _text(column: str | None) -> pl.Expr:
    """The cells of an optional column, empty text when the file has none."""
    return pl.col(column) if column is not None else pl.lit("")


def parse_long(name: str, content: bytes) -> ParsedObservations:
    """Observations of a long file: ``section,time,parameter,value[,unit][,flag]`` (English or
    Chinese headers: 断面, 时间, 指标, 值, 单位, 标记).

    Raises:
        InputError: unreadable file or a required column missing.
    """
    table = read_table(name, content)
    found = {
        role: find_column(name, table, role, required=role not in {"unit", "flag"})
        for role in ("section", "time", "parameter", "value", "unit", "flag")
    }
    value_column = found["value"]
    assert value_column is not None
    cells = table.select(
        "row",
        column=pl.lit(value_column),
        section=_text(found["section"]),
        time_text=_text(found["time"]),
        parameter_text=_text(found["parameter"]),
        value_text=_text(value_column),
        unit=_text(found["unit"]),
        flag=_text(found["flag"]),
    )
    columns = {role: pl.lit(header or role) for role, header in found.items()}
    return _observations(name, cells, columns)


def _header_unit(header: str) -> tuple[str, str]:
    """Split ``溶解氧(mg/L)`` or ``总磷（mg/L）`` or ``pH [无量纲]`` into name and unit."""
    text = unicodedata.normalize("NFKC", header).strip()
    for opening, closing in ("()", "[]"):
        if text.endswith(closing) and opening in text:
            name, _, unit = text[:-1].rpartition(opening)
            if name.strip():
                return name.strip(), unit.strip()
    return text, ""


def _parameter_columns(
    table: pl.DataFrame, skip: Sequence[str | None]
) -> tuple[dict[str, tuple[str, str]], tuple[str, ...]]:
    """Parameter columns of a wide table (header → name, unit) and the ignored columns."""
    candidates = [c for c in table.columns if c != "row" and c not in skip]
    named = {column: _header_unit(column) for column in candidates}
    codes, _ = _items([name for name, _ in named.values()])
    kept = {column: parts for column, parts in named.items() if parts[0] in codes}
    return kept, tuple(column for column in candidates if column not in kept)


def parse_wide(name: str, content: bytes, *, section: str | None = None) -> ParsedObservations:
    """Observations of a wide file (automatic-station export): ``time`` and one column per
    parameter, plus ``section`` unless ``section`` gives the code for the whole file.

    Raises:
        InputError: unreadable file, no time column, no section, or no parameter column.
    """
    table = read_table(name, content)
    time_column = find_column(name, table, "time", required=True)
    assert time_column is not None
    section_column = find_column(name, table, "section", required=section is None)
    kept, ignored = _parameter_columns(table, (time_column, section_column))
    if not kept:
        raise InputError(both("water.error.no_parameter", name=name))
    section_cells = pl.col(section_column) if section_column else pl.lit(section or "")
    cells = pl.concat(
        table.select(
            "row",
            column=pl.lit(column),
            section=section_cells,
            time_text=pl.col(time_column),
            parameter_text=pl.lit(parameter),
            value_text=pl.col(column),
            unit=pl.lit(unit),
            flag=pl.lit(""),
        )
        for column, (parameter, unit) in kept.items()
    ).filter(pl.col("value_text") != "")
    columns = {
        "section": pl.lit(section_column or "section"),
        "time": pl.lit(time_column),
        "parameter": pl.col("column"),
        "value": pl.col("column"),
        "unit": pl.col("column"),
        "flag": pl.col("column"),
    }
    parsed = _observations(name, cells.sort("row", "column"), columns)
    return ParsedObservations(name, parsed.frame, parsed.rejections, parsed.read, ignored)


def parse_class(text: str) -> WaterClass:
    """A water class written ``I`` … ``V``, ``劣V``, ``Ⅲ类``, ``劣Ⅴ类`` or ``1`` … ``6``
    (width and case do not matter).

    Raises:
        ValueError: anything else.
    """
    folded = _fold(text).removesuffix("类")
    worse = folded.startswith("劣")
    spelled = {c.name.casefold(): c for c in list(WaterClass)[:5]}
    spelled.update({str(c.value): c for c in WaterClass})
    found = spelled.get(folded.removeprefix("劣"))
    if found is None or (worse and found is not WaterClass.V):
        raise ValueError(both("water.error.class", text=text))
    return WaterClass.WORSE_THAN_V if worse else found


_SECTION_REQUIRED: Final = (
    "code",
    "name",
    "water_name",
    "water_body",
    "basin",
    "region_code",
    "target_class",
)
_SECTION_OPTIONAL: Final = ("control_level", "drinking_source", "lon", "lat")
_TEXT_LIMITS: Final = {"code": 32, "name": 128, "water_name": 64, "basin": 64}


class _Cells:
    """The cells of one registry row, read by role, raising
    :class:`~ecogov.platform.readers.CellError` when bad."""

    def __init__(self, record: Mapping[str, object], columns: Mapping[str, str | None]) -> None:
        self._record, self._columns = record, columns

    def text(self, role: str) -> str:
        column = self._columns[role]
        value = self._record[column] if column is not None else ""
        return str(value or "").strip()

    def fail(self, role: str, zh: str, en: str) -> CellError:
        return CellError(self._columns[role] or role, self.text(role), zh, en)

    def required(self, role: str) -> str:
        value = self.text(role)
        if not value:
            raise self.fail(role, "不能为空", "is empty")
        limit = _TEXT_LIMITS.get(role)
        if limit is not None and len(value) > limit:
            raise self.fail(role, f"超过 {limit} 个字符", f"is longer than {limit} characters")
        return value

    def word(self, role: str, words: Mapping[str, str], default: str | None = None) -> str:
        value = self.text(role)
        if not value and default is not None:
            return default
        found = words.get(_fold(value))
        if found is None:
            known = sorted(set(words))
            raise self.fail(
                role,
                f"“{value}”不是 {'、'.join(known)} 之一",
                f"'{value}' is not one of {', '.join(known)}",
            )
        return found

    def degrees(self, role: str, bound: float) -> float | None:
        value = self.text(role)
        if not value:
            return None
        try:
            number = float(value)
        except ValueError:
            raise self.fail(role, f"“{value}”不是数字", f"'{value}' is not a number") from None
        if not -bound <= number <= bound:
            raise self.fail(
                role,
                f"{number} 超出 ±{bound} 度的范围",
                f"{number} lies outside ±{bound} degrees",
            )
        return number


def _section_row(number: int, cells: _Cells) -> SectionRow:
    region = cells.required("region_code")
    if not (len(region) == 6 and region.isdigit()):
        raise cells.fail(
            "region_code",
            f"“{region}”不是 6 位行政区划代码（GB/T 2260）",
            f"'{region}' is not a 6-digit GB/T 2260 code",
        )
    written = cells.required("target_class")
    try:
        target = parse_class(written)
    except ValueError:
        raise cells.fail("target_class", *texts("water.error.class", text=written)) from None
    if target is WaterClass.WORSE_THAN_V:
        raise cells.fail("target_class", "水质目标应为 I–V 类之一", "a target must be one of I–V")
    drinking = _fold(cells.text("drinking_source"))
    if drinking not in _YES | _NO:
        raise cells.fail(
            "drinking_source",
            f"“{drinking}”应为 是/否",
            f"'{drinking}' is not yes/no (是/否)",
        )
    return SectionRow(
        row=number,
        code=cells.required("code"),
        name=cells.required("name"),
        water_name=cells.required("water_name"),
        water_body=cells.word("water_body", _WATER_BODY_WORDS),
        basin=cells.required("basin"),
        region_code=region,
        target_class=target.value,
        control_level=cells.word("control_level", _LEVEL_WORDS, default="municipal"),
        drinking_source=drinking in _YES,
        lon=cells.degrees("lon", 180),
        lat=cells.degrees("lat", 90),
    )


def parse_sections(name: str, content: bytes) -> ParsedSections:
    """Sections of a registry file: ``code,name,water_name,water_body,basin,region_code,
    target_class`` and optionally ``control_level`` (default municipal), ``drinking_source``
    (default no), ``lon``, ``lat`` — or the Chinese headers 断面编码, 断面名称, 所在水体, 水体类型,
    流域, 行政区划代码, 目标类别, 控制级别, 饮用水源地, 经度, 纬度.

    Raises:
        InputError: unreadable file or a required column missing.
    """
    table = read_table(name, content)
    columns = {
        role: find_column(name, table, role, required=role in _SECTION_REQUIRED)
        for role in (*_SECTION_REQUIRED, *_SECTION_OPTIONAL)
    }
    rows: dict[str, SectionRow] = {}
    rejections: list[RowError] = []
    for record in table.iter_rows(named=True):
        number = int(record["row"])
        try:
            row = _section_row(number, _Cells(record, columns))
        except CellError as exc:
            rejections.append(exc.at(name, number))
            continue
        if row.code in rows:
            first = rows[row.code].row
            rejections.append(
                RowError(
                    name,
                    number,
                    columns["code"],
                    row.code,
                    f"与第 {first} 行的断面 {row.code} 重复",
                    f"repeats section {row.code} of row {first}",
                )
            )
            continue
        rows[row.code] = row
    return ParsedSections(name, tuple(rows.values()), tuple(rejections), table.height)
