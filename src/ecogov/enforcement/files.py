"""The files of the stateless enforcement commands (docs/enforcement-files.md): the object
directory, the inspector pool, evidence records, a published draw and the rules file — read
here, and written here for a draw's published directory (:func:`objects_file`,
:func:`inspectors_file`, :func:`rules_file`, :func:`previous_file`), so what the platform
publishes is what ``verify-draw`` reads.

Tables are read through :mod:`ecogov.platform.readers` (CSV in UTF-8 or GB 18030, or .xlsx;
Chinese or English headers); a bad cell is reported with its row and column and nothing is
computed. The rules file is TOML merged over the national defaults.
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Final, TypeVar

import polars as pl

from ecogov.engine.enforcement.credit import EVIDENCE_SCHEMA
from ecogov.engine.enforcement.draw import INSPECTOR_SCHEMA, OBJECT_SCHEMA
from ecogov.platform.errors import InputError
from ecogov.platform.exports import rows_to_csv
from ecogov.platform.readers import (
    COMPUTE_REFUSED,
    CellError,
    RowError,
    enforce,
    open_table,
    parse_number,
    read_text,
    require_text,
    resolve_columns,
)
from ecogov.platform.settings import get_settings
from ecogov.standards.enforcement.draw import CATEGORY_ALIASES, GRADE_ALIASES, DrawRules
from ecogov.standards.enforcement.rules import NATIONAL_RULES, RulesError, RuleSet, merge_rules

__all__ = [
    "EVIDENCE_COLUMNS",
    "INSPECTOR_COLUMNS",
    "OBJECT_COLUMNS",
    "configured_rules",
    "inspectors_file",
    "objects_file",
    "previous_file",
    "read_evidence",
    "read_inspectors",
    "read_json",
    "read_objects",
    "read_previous",
    "read_rules",
    "rules_file",
]

T = TypeVar("T")

OBJECT_COLUMNS: Final = {
    "enterprise_id": ("企业编号", "统一社会信用代码", "enterprise"),
    "category": ("类别", "监管类别", "对象类别"),
    "grade": ("信用等级", "等级", "credit_grade"),
    "risk_score": ("风险分", "风险评分", "risk"),
    "region": ("行政区划", "区划代码", "地区"),
}
INSPECTOR_COLUMNS: Final = {
    "inspector_id": ("执法人员编号", "执法证号", "inspector"),
    "unit": ("单位", "所在单位"),
    "region": ("行政区划", "区划代码", "地区"),
    "qualifications": ("资格", "执法资格"),
    "former_workplaces": ("曾任职企业", "原工作单位"),
    "conflicts": ("申报回避企业", "回避企业"),
}
EVIDENCE_COLUMNS: Final = {
    "enterprise_id": ("企业编号", "统一社会信用代码", "enterprise"),
    "indicator": ("指标", "证据类型", "kind"),
    "date": ("日期", "发生日期"),
    "count": ("次数", "数量", "value"),
    "evidence_id": ("证据编号", "evidence"),
    "source": ("来源", "数据来源"),
}
_LIST_SEPARATORS: Final = (";", "；", ",", "，", "|")


def _choice(column: str, text: str, aliases: Mapping[str, Sequence[str]], what: str) -> str:
    folded = text.strip().lower()
    for key, names in aliases.items():
        if folded in {n.lower() for n in names}:
            return key
    allowed = "、".join(names[1] for names in aliases.values())
    raise CellError(
        column, text, f"“{text}”不是{what}（可用：{allowed}）", f"{text!r} is not a valid {column}"
    )


def _list(text: str) -> list[str]:
    for separator in _LIST_SEPARATORS[1:]:
        text = text.replace(separator, _LIST_SEPARATORS[0])
    return sorted({item.strip() for item in text.split(_LIST_SEPARATORS[0]) if item.strip()})


def _date(column: str, text: str) -> date:
    try:
        return date.fromisoformat(require_text(column, text).replace("/", "-"))
    except ValueError:
        raise CellError(
            column, text, f"“{text}”不是日期（应为 YYYY-MM-DD）", f"{text!r} is not a date"
        ) from None


def _read(
    path: Path,
    aliases: Mapping[str, Sequence[str]],
    required: Sequence[str],
    convert: Callable[[Mapping[str, str | None], Callable[[str], str]], T],
    key: Callable[[T], str] | None = None,
) -> list[T]:
    """Every row of ``path`` converted; all or nothing (the errors name row and column)."""
    rows: list[T] = []
    errors: list[RowError] = []
    seen: dict[str, int] = {}
    with open_table(path.name, path) as table:
        columns = resolve_columns(path.name, table.header, aliases, required)
        for number, record in table.records():
            cells = {role: (record.get(col, "") if col else None) for role, col in columns.items()}
            try:
                value = convert(cells, lambda role: columns[role] or role)
            except CellError as exc:
                errors.append(exc.at(path.name, number))
                continue
            if key is not None:
                ident = key(value)
                if ident in seen:
                    column = columns[required[0]] or required[0]
                    errors.append(
                        CellError(
                            column,
                            ident,
                            f"编号“{ident}”与第 {seen[ident]} 行重复",
                            f"{ident!r} repeats row {seen[ident]}",
                        ).at(path.name, number)
                    )
                    continue
                seen[ident] = number
            rows.append(value)
    enforce(path.name, errors, skip_bad_rows=False, outcome=COMPUTE_REFUSED)
    return rows


def read_objects(path: Path) -> pl.DataFrame:
    """The inspection-object directory (随机抽查对象名录库) as :data:`OBJECT_SCHEMA`."""

    def convert(c: Mapping[str, str | None], col: Callable[[str], str]) -> tuple[str, ...]:
        risk = parse_number(col("risk_score"), c["risk_score"], minimum=0.0)
        return (
            require_text(col("enterprise_id"), c["enterprise_id"] or "", max_length=64),
            _choice(col("category"), c["category"] or "", CATEGORY_ALIASES, "对象类别"),
            _choice(col("grade"), c["grade"] or "未评价", GRADE_ALIASES, "信用等级"),
            repr(0.0 if risk is None else risk),
            require_text(col("region"), c["region"] or ""),
        )

    rows = _read(
        path, OBJECT_COLUMNS, ("enterprise_id", "category", "region"), convert, lambda r: r[0]
    )
    return pl.DataFrame(
        [(e, c, g, float(r), reg) for e, c, g, r, reg in rows],
        schema=OBJECT_SCHEMA,
        orient="row",
    )


def read_inspectors(path: Path) -> pl.DataFrame:
    """The inspector pool (执法人员名录库) as :data:`INSPECTOR_SCHEMA`."""

    def convert(
        c: Mapping[str, str | None], col: Callable[[str], str]
    ) -> tuple[str, str, str, list[str], list[str], list[str]]:
        return (
            require_text(col("inspector_id"), c["inspector_id"] or "", max_length=64),
            c["unit"] or "",
            require_text(col("region"), c["region"] or ""),
            _list(c["qualifications"] or ""),
            _list(c["former_workplaces"] or ""),
            _list(c["conflicts"] or ""),
        )

    rows = _read(path, INSPECTOR_COLUMNS, ("inspector_id", "region"), convert, lambda r: r[0])
    return pl.DataFrame(rows, schema=INSPECTOR_SCHEMA, orient="row")


def read_evidence(path: Path, known: frozenset[str] | None = None) -> pl.DataFrame:
    """Evidence records as :data:`EVIDENCE_SCHEMA`; ``known`` restricts the indicator keys."""

    def convert(
        c: Mapping[str, str | None], col: Callable[[str], str]
    ) -> tuple[str, str, date, float, str, str]:
        indicator = require_text(col("indicator"), c["indicator"] or "")
        if known is not None and indicator not in known:
            raise CellError(
                col("indicator"),
                indicator,
                f"规则中没有指标或否决项“{indicator}”",
                f"the rules have no indicator or veto item {indicator!r}",
            )
        count = parse_number(col("count"), c["count"], minimum=0.0)
        return (
            require_text(col("enterprise_id"), c["enterprise_id"] or "", max_length=64),
            indicator,
            _date(col("date"), c["date"] or ""),
            1.0 if count is None else count,
            require_text(col("evidence_id"), c["evidence_id"] or ""),
            c["source"] or "",
        )

    rows = _read(
        path,
        EVIDENCE_COLUMNS,
        ("enterprise_id", "indicator", "date", "evidence_id"),
        convert,
        lambda r: r[4],
    )
    return pl.DataFrame(rows, schema=EVIDENCE_SCHEMA, orient="row")


def read_json(path: Path) -> dict[str, object]:
    """A JSON object file (a published draw)."""
    try:
        value = json.loads(read_text(path))
    except json.JSONDecodeError as exc:
        raise InputError(
            f"{path.name}：第 {exc.lineno} 行第 {exc.colno} 列不是合法的 JSON（{exc.msg}）/ "
            f"{path.name}: invalid JSON at line {exc.lineno}, column {exc.colno}"
        ) from None
    if not isinstance(value, dict):
        raise InputError(f"{path.name}：应为 JSON 对象 / {path.name}: must be a JSON object")
    return value


def read_previous(path: Path) -> dict[str, list[str]]:
    """enterprise → team of a previous published draw (for the same-pair avoidance rule)."""
    tasks = read_json(path).get("tasks")
    if not isinstance(tasks, list):
        raise InputError(f"{path.name}：缺少 tasks 列表 / {path.name}: no tasks list")
    teams: dict[str, list[str]] = {}
    for number, task in enumerate(tasks, start=1):
        if not (
            isinstance(task, dict)
            and isinstance(task.get("enterprise_id"), str)
            and isinstance(task.get("inspectors"), list)
        ):
            raise InputError(
                f"{path.name}：第 {number} 项任务缺少 enterprise_id 或 inspectors / "
                f"{path.name}: task {number} lacks enterprise_id or inspectors"
            )
        teams[task["enterprise_id"]] = [str(i) for i in task["inspectors"]]
    return teams


def read_rules(path: Path | None) -> RuleSet:
    """The rules file merged over the national defaults (the defaults when ``path`` is None)."""
    if path is None:
        return NATIONAL_RULES
    try:
        override = tomllib.loads(read_text(path))
    except tomllib.TOMLDecodeError as exc:
        raise InputError(
            f"{path.name}：不是合法的 TOML（{exc}）/ {path.name}: not valid TOML ({exc})"
        ) from None
    try:
        return merge_rules(override)
    except RulesError as exc:
        raise InputError(f"{path.name}：{exc}") from None


def configured_rules() -> RuleSet:
    """The rules the platform grades and scores its directory by: the file ``ECOGOV_CREDIT_RULES``
    names merged over the national defaults (read at each use, so a province's change needs no
    restart), else the national rules. A bad file is refused naming the setting and the key."""
    path = get_settings().credit_rules
    if path is None:
        return NATIONAL_RULES
    try:
        return read_rules(path)
    except InputError as exc:
        raise InputError(
            f"ECOGOV_CREDIT_RULES 指定的信用评价规则文件有误：{exc} / "
            f"the rules file of ECOGOV_CREDIT_RULES is refused"
        ) from None


# --- writing a draw's published files ------------------------------------------------------------

_LIST_JOIN: Final = ";"


def objects_file(objects: pl.DataFrame) -> bytes:
    """The directory (:data:`OBJECT_SCHEMA`) as the ``--objects`` CSV: Chinese headers and
    values, the risk score as the shortest decimal of its double (so the digest is kept)."""
    header = [OBJECT_COLUMNS[role][0] for role in OBJECT_SCHEMA]
    rows = [
        [e, CATEGORY_ALIASES[c][1], GRADE_ALIASES[g][2 if g in _RATED else 1], repr(r), region]
        for e, c, g, r, region in objects.sort("enterprise_id").iter_rows()
    ]
    return rows_to_csv(header, rows)


_RATED: Final = frozenset({"green", "blue", "yellow", "red"})


def inspectors_file(inspectors: pl.DataFrame) -> bytes:
    """The pool (:data:`INSPECTOR_SCHEMA`) as the ``--inspectors`` CSV (lists joined by ``;``)."""
    header = list(INSPECTOR_SCHEMA)
    rows = [
        [i, unit, region, *(_LIST_JOIN.join(items) for items in lists)]
        for i, unit, region, *lists in inspectors.sort("inspector_id").iter_rows()
    ]
    return rows_to_csv(header, rows)


def previous_file(previous: Mapping[str, Sequence[str]]) -> str:
    """The previous teams as the ``--previous`` JSON (a ``tasks`` list)."""
    tasks = [{"enterprise_id": e, "inspectors": list(team)} for e, team in sorted(previous.items())]
    return json.dumps({"tasks": tasks}, ensure_ascii=False, indent=1)


def rules_file(override: Mapping[str, object], draw: DrawRules) -> str:
    """The ``--rules`` TOML a draw ran under: its override with the whole ``[draw]`` table
    written out (so a later change of the national defaults does not change the re-run)."""
    document = {key: value for key, value in override.items() if key != "draw"}
    document["draw"] = {
        "reserved_share": draw.reserved_share,
        "team_size": draw.team_size,
        "inspector_scope": draw.inspector_scope,
        "qualification": draw.qualification,
        "source": draw.source,
        "proportions": draw.proportions,
    }
    return "\n".join(_toml_table(document, ())) + "\n"


def _toml_table(table: Mapping[str, object], path: tuple[str, ...]) -> list[str]:
    """TOML lines of ``table``: its values, then each sub-table under its dotted header."""
    lines = [f"[{'.'.join(_toml_key(k) for k in path)}]"] if path else []
    nested = {k: v for k, v in table.items() if isinstance(v, Mapping)}
    lines += [f"{_toml_key(k)} = {_toml_value(v)}" for k, v in table.items() if k not in nested]
    for key, value in nested.items():
        lines += ["", *_toml_table(value, (*path, key))]
    return lines


def _toml_key(key: str) -> str:
    bare = key and all(c.isascii() and (c.isalnum() or c in "_-") for c in key)
    return key if bare else json.dumps(key, ensure_ascii=False)


def _toml_value(value: object) -> str:
    """A TOML value: booleans, integers, floats (shortest round-trip form), text (a JSON string
    is a TOML basic string) and lists of them."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    raise TypeError(f"no TOML form for {value!r}")
