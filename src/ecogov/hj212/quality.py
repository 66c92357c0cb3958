"""Data-quality and data-fraud checks (数据质量与弄虚作假筛查) as registered, configurable rules.

Each check is a function registered under a name with its default parameters; a rule set (a
JSON object ``{"flat_line": {"hours": 8}, "range_edge": false}``) changes parameters or turns
checks off, so a province adapts the rules without code. Every finding records its cause —
what was seen, with the numbers — and the interval it covers.

Checks on hourly (2061) data of one device, valid values only (flags M/D/C/F/B excluded):

* ``missing`` — hourly reports missing beyond the expected interval (数据缺失);
* ``flat_line`` — a factor's mean unchanged for N hours or more (恒值);
* ``range_edge`` — means within 2 % of the analyser's range ends for hours (量程边缘, pegged at
  zero or full scale);
* ``detection_limit`` — most means at or just above the detection limit (贴近检出限);
* ``zs_consistency`` — converted (折算) values inconsistent with the measured value and oxygen:
  the reference oxygen they imply departs from the device's usual one (折算值异常);
* ``treatment_off`` — the production line runs while the treatment facility draws no power
  (治污设施停运, from the electricity meters).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from itertools import pairwise
from pathlib import Path
from typing import Final, TypeAlias

import polars as pl

from ecogov.hj212.frames import runs, valid
from ecogov.platform import i18n
from ecogov.platform.errors import InputError
from ecogov.platform.i18n import Catalogue, both, translate
from ecogov.standards.timebase import BEIJING

ERRORS: Final[Catalogue] = {
    "hj212.cause.missing": (
        "连续 {hours} 小时无小时数据（应每小时一条）",
        "no hourly data for {hours} h (expected every hour)",
    ),
    "hj212.cause.flat_line": (
        "{code} 小时均值连续 {hours} 小时恒为 {value}",
        "{code}-Avg constant at {value} for {hours} h",
    ),
    "hj212.cause.range_edge": (
        "{code} 小时均值 {low}–{high} 连续 {hours} 小时处于量程 {range_low:g}–{range_high:g} "
        "两端 {share:.0%} 以内",
        "{code}-Avg {low}–{high} within {share:.0%} of the range {range_low:g}–{range_high:g} "
        "for {hours} h",
    ),
    "hj212.cause.detection_limit": (
        "{code} 在 {hours} 个有效小时中 {share:.0%} 的均值"
        "不超过检出限 {limit:g} 的 {multiple:g} 倍",
        "{code}-Avg ≤ {multiple:g}× the detection limit {limit:g} in {share:.0%} of "
        "{hours} valid hours",
    ),
    "hj212.cause.zs_consistency": (
        "{code} 折算值推算的基准氧含量为 {implied:.1f} %，"
        "其余时段为 {usual:.1f} %，持续 {hours} 小时",
        "{code} converted values imply reference O2 {implied:.1f} % against {usual:.1f} % "
        "otherwise, for {hours} h",
    ),
    "hj212.cause.treatment_off": (
        "生产设施功率 {low:g}–{high:g} kW 运行时，"
        "治理设施功率低于 {running:g} kW，持续 {hours} 小时",
        "production at {low:g}–{high:g} kW while treatment drew less than {running:g} kW, "
        "for {hours} h",
    ),
    "hj212.error.rule": (
        "规则 {name!r} 不是数据质量检查项，可用：{known}",
        "rule {name!r} is not a check; known: {known}",
    ),
    "hj212.error.rule_parameter": (
        "规则 {name!r} 没有参数 {unknown}",
        "rule {name!r} has no parameter {unknown}",
    ),
    "hj212.error.rules_file": (
        "无法从 {path} 读取规则：{reason}",
        "cannot read rules from {path}: {reason}",
    ),
    "hj212.error.rules_object": (
        "{path}：规则集应为以检查项名称为键的 JSON 对象",
        "{path}: a rule set is a JSON object of check names",
    ),
}
i18n.register(ERRORS)

HOUR: Final = 3600
OXYGEN: Final = "a19001"
"""HJ 212 code of flue-gas oxygen [%] (Table B.2)."""


@dataclass(frozen=True)
class Channel:
    """An analyser's measuring range and detection limit [the factor's unit]."""

    range_low: float
    range_high: float
    detection_limit: float | None


@dataclass(frozen=True)
class Meter:
    """A line's readings (``ts`` [Unix s], ``power_kw``) and the power above which it runs."""

    readings: pl.DataFrame
    running_kw: float


@dataclass(frozen=True)
class CheckInput:
    """What the checks look at: one device's hourly means over ``first ≤ t < last`` [Unix s]."""

    mn: str
    hourly: pl.DataFrame
    first: int
    last: int
    channels: Mapping[str, Channel] = field(default_factory=dict)
    production: Meter | None = None
    treatment: Meter | None = None


@dataclass(frozen=True)
class Finding:
    """A check's finding: which check, device and factor, the interval, and why."""

    check: str
    mn: str
    factor: str | None
    start: datetime
    end: datetime
    cause: str


Params: TypeAlias = Mapping[str, float]
CheckFunction: TypeAlias = Callable[[CheckInput, Params], list[Finding]]
Rules: TypeAlias = Mapping[str, Mapping[str, float] | bool]


@dataclass(frozen=True)
class Check:
    """A registered check: its name, what it looks for, its default parameters."""

    name: str
    description: str
    defaults: Mapping[str, float]
    run: CheckFunction


CHECKS: dict[str, Check] = {}


def register(
    name: str, description: str, **defaults: float
) -> Callable[[CheckFunction], CheckFunction]:
    """Register a check function under ``name`` with its default parameters."""

    def decorate(function: CheckFunction) -> CheckFunction:
        CHECKS[name] = Check(name, description, defaults, function)
        return function

    return decorate


def _at(unix: int) -> datetime:
    return datetime.fromtimestamp(unix, BEIJING)


def _finding(
    check: str, data: CheckInput, factor: str | None, start: int, end: int, cause: str
) -> Finding:
    return Finding(check, data.mn, factor, _at(start), _at(end), cause)


def _cause(check: str, **values: object) -> str:
    """Why ``check`` found something, in zh-CN (the text of the alert in the inbox)."""
    return translate(f"hj212.cause.{check}").format(**values)


def _long_runs(frame: pl.DataFrame, condition: pl.Expr, hours: float) -> pl.DataFrame:
    """Runs of consecutive hours where ``condition`` holds, per factor, at least ``hours`` long:
    ``code, start, end, hours, low, high`` (of ``Avg`` within the run)."""
    if frame.is_empty():
        return pl.DataFrame(
            schema={"code": pl.String, "start": pl.Int64, "end": pl.Int64, "hours": pl.UInt32,
                    "low": pl.Float64, "high": pl.Float64}
        )  # fmt: skip
    marked = frame.sort("code", "data_time").with_columns(hit=condition.fill_null(False))
    return (
        marked.with_columns(run=runs(pl.col("hit"), HOUR))
        .filter("hit")
        .group_by("code", "run")
        .agg(
            start=pl.col("data_time").min(),
            end=pl.col("data_time").max() + HOUR,
            hours=pl.len(),
            low=pl.col("Avg").min(),
            high=pl.col("Avg").max(),
        )
        .filter(pl.col("hours") >= hours)
        .sort("start", "code")
    )


@register("missing", "hourly reports missing beyond the expected interval", gap_hours=1)
def missing(data: CheckInput, params: Params) -> list[Finding]:
    """Gaps between hourly reports (and at the ends of the window) longer than ``gap_hours``."""
    times = sorted(set(data.hourly["data_time"].to_list()))
    edges = [data.first - HOUR, *times, data.last]
    found = []
    for before, after in pairwise(edges):
        absent = (after - before) // HOUR - 1
        if absent >= params["gap_hours"]:
            cause = _cause("missing", hours=absent)
            found.append(_finding("missing", data, None, before + HOUR, after, cause))
    return found


@register("flat_line", "a factor's hourly mean unchanged for hours", hours=6, tolerance=0.0)
def flat_line(data: CheckInput, params: Params) -> list[Finding]:
    """Runs of ``hours`` or more valid means each within ``tolerance`` of the previous one."""
    step = (pl.col("Avg") - pl.col("Avg").shift(1).over("code")).abs()
    adjacent = pl.col("data_time").diff().over("code") == HOUR
    same = valid() & adjacent & (step <= params["tolerance"])
    # a run of n equal means has n − 1 equal steps: count the hour before the first step too
    flats = _long_runs(data.hourly.filter(pl.col("Avg").is_not_null()), same, params["hours"] - 1)
    return [
        _finding("flat_line", data, row["code"], row["start"] - HOUR, row["end"],
                 _cause("flat_line", code=row["code"], value=row["high"], hours=row["hours"] + 1))
        for row in flats.iter_rows(named=True)
    ]  # fmt: skip


@register("range_edge", "means within a share of the analyser's range ends", share=0.02, hours=3)
def range_edge(data: CheckInput, params: Params) -> list[Finding]:
    """Runs of ``hours`` valid means within ``share`` of the span from either range end."""
    found: list[Finding] = []
    for code, channel in data.channels.items():
        span = channel.range_high - channel.range_low
        margin = params["share"] * span
        near = (pl.col("Avg") <= channel.range_low + margin) | (
            pl.col("Avg") >= channel.range_high - margin
        )
        edges = _long_runs(
            data.hourly.filter(pl.col("code") == code), valid() & near, params["hours"]
        )
        found += [
            _finding("range_edge", data, code, row["start"], row["end"],
                     _cause("range_edge", code=code, low=row["low"], high=row["high"],
                            share=params["share"], range_low=channel.range_low,
                            range_high=channel.range_high, hours=row["hours"]))
            for row in edges.iter_rows(named=True)
        ]  # fmt: skip
    return found


@register(
    "detection_limit", "most means at or just above the detection limit",
    multiple=1.5, share=0.8, min_hours=24,
)  # fmt: skip
def detection_limit(data: CheckInput, params: Params) -> list[Finding]:
    """Factors whose valid means are ≤ ``multiple`` × the detection limit in at least ``share``
    of at least ``min_hours`` valid hours."""
    found: list[Finding] = []
    for code, channel in data.channels.items():
        if channel.detection_limit is None:
            continue
        means = data.hourly.filter((pl.col("code") == code) & valid() & pl.col("Avg").is_not_null())
        if means.height < params["min_hours"]:
            continue
        ceiling = params["multiple"] * channel.detection_limit
        low = means.filter(pl.col("Avg") <= ceiling)
        if low.height / means.height >= params["share"]:
            cause = _cause(
                "detection_limit",
                code=code,
                multiple=params["multiple"],
                limit=channel.detection_limit,
                share=low.height / means.height,
                hours=means.height,
            )
            span = means.select(
                first=pl.col("data_time").min(), last=pl.col("data_time").max() + HOUR
            )
            start, end = span.row(0)
            found.append(_finding("detection_limit", data, code, start, end, cause))
    return found


@register(
    "zs_consistency",
    "converted values inconsistent with measured value and O2",
    tolerance=1.0,
    hours=1,
)
def zs_consistency(data: CheckInput, params: Params) -> list[Finding]:
    """Hours whose implied reference oxygen departs by more than ``tolerance`` points from the
    device's median. Converted values follow ``Zs = C·(21 − O2_ref)/(21 − O2)`` (GB 13223,
    GB 13271), so ``O2_ref = 21 − (21 − O2)·ZsAvg/Avg`` [%] is constant for an honest device."""
    oxygen = data.hourly.filter(pl.col("code") == OXYGEN).select("data_time", o2=pl.col("Avg"))
    pairs = data.hourly.filter(
        valid() & (pl.col("Avg") > 0) & (pl.col("ZsAvg") > 0) & (pl.col("code") != OXYGEN)
    ).join(oxygen, on="data_time")
    if pairs.is_empty():
        return []
    implied = pairs.with_columns(ref=21 - (21 - pl.col("o2")) * pl.col("ZsAvg") / pl.col("Avg"))
    usual = float(implied.select(pl.col("ref").median()).item())
    off = (pl.col("ref") - usual).abs() > params["tolerance"]
    bad = _long_runs(implied, off, params["hours"])
    refs = implied.filter(off).group_by("code").agg(pl.col("ref").mean())
    mean_ref = dict(refs.iter_rows())
    return [
        _finding("zs_consistency", data, row["code"], row["start"], row["end"],
                 _cause("zs_consistency", code=row["code"], implied=mean_ref[row["code"]],
                        usual=usual, hours=row["hours"]))
        for row in bad.iter_rows(named=True)
    ]  # fmt: skip


@register("treatment_off", "production runs while treatment draws no power", hours=1)
def treatment_off(data: CheckInput, params: Params) -> list[Finding]:
    """Runs of ``hours`` readings with production above and treatment below their thresholds."""
    if data.production is None or data.treatment is None:
        return []
    lines = data.production.readings.join(data.treatment.readings, on="ts", suffix="_treatment")
    joined = lines.select(
        data_time=pl.col("ts"), code=pl.lit("power"), Avg=pl.col("power_kw"),
        treatment=pl.col("power_kw_treatment"),
    )  # fmt: skip
    off = (pl.col("Avg") > data.production.running_kw) & (
        pl.col("treatment") < data.treatment.running_kw
    )
    stretches = _long_runs(joined, off, params["hours"])
    return [
        _finding("treatment_off", data, None, row["start"] - HOUR, row["end"] - HOUR,
                 _cause("treatment_off", low=row["low"], high=row["high"],
                        running=data.treatment.running_kw, hours=row["hours"]))
        for row in stretches.iter_rows(named=True)
    ]  # fmt: skip


def resolve(rules: Rules | None) -> dict[str, dict[str, float]]:
    """The checks to run with their parameters: defaults, changed or turned off by ``rules``."""
    chosen = {name: dict(check.defaults) for name, check in CHECKS.items()}
    for name, setting in (rules or {}).items():
        if name not in CHECKS:
            raise InputError(both("hj212.error.rule", name=name, known=", ".join(CHECKS)))
        if setting is False:
            chosen.pop(name, None)
        elif isinstance(setting, Mapping):
            unknown = set(setting) - set(CHECKS[name].defaults)
            if unknown:
                raise InputError(
                    both(
                        "hj212.error.rule_parameter", name=name, unknown=", ".join(sorted(unknown))
                    )
                )
            chosen[name] |= {key: float(value) for key, value in setting.items()}
    return chosen


def run_checks(data: CheckInput, rules: Rules | None = None) -> list[Finding]:
    """Every enabled check on ``data``, findings ordered by start."""
    found = [
        finding
        for name, params in resolve(rules).items()
        for finding in CHECKS[name].run(data, params)
    ]
    return sorted(found, key=lambda finding: (finding.start, finding.check))


def load_rules(path: Path) -> Rules:
    """A rule set from a JSON file (``{"check": {"param": value} | false}``), checked."""
    try:
        rules = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(both("hj212.error.rules_file", path=path, reason=exc)) from exc
    if not isinstance(rules, dict):
        raise InputError(both("hj212.error.rules_object", path=path))
    resolve(rules)
    return rules
