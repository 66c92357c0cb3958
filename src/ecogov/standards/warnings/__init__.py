"""Heavy-pollution weather warning levels (重污染天气预警分级) as versioned data (GOVERNANCE.md §5).

The editions of the criteria (the 2017 MEP unified classification with blue, a 3-level city plan,
the post-2024 city plans) are ``criteria.json`` beside this module, each with its source tag; which
edition applies from which date is the ``adopted`` list. A province or city overrides any part with
a document of the same shape (:func:`criteria` merges it; ``adopted`` and an edition's ``levels``
are replaced whole), without code.

A level holds when any of its alternatives holds; an alternative holds when all of its clauses
hold on the forecast AQI series:

* ``{"above": X, "hours": N}`` — AQI > X [-] for at least N consecutive hours;
* ``{"reaches": X}`` — AQI ≥ X at some hour (the red "AQI reaches 500").

The series is hourly (the forecast's hourly AQI, any 24 consecutive hours across midnight counting
as a day — §5 common rules, HW-MEP17, HW-YZ); a daily forecast is spread over its 24 hours
(:func:`hourly_from_daily`), so "forecast daily AQI > 200 for 2 days" is "48 h". A missing hour
breaks a run. Pure: no I/O beyond reading the shipped default once.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any, Final

__all__ = [
    "LEVELS",
    "Adoption",
    "Assessment",
    "Clause",
    "ClauseResult",
    "Edition",
    "Lift",
    "Reason",
    "WarningCriteria",
    "assess",
    "criteria",
    "default_criteria",
    "hourly_from_daily",
    "level_rank",
    "lift_check",
]

_DEFAULT: Final = Path(__file__).with_name("criteria.json")
LEVELS: Final = ("none", "blue", "yellow", "orange", "red")
"""Warning levels, lowest first (蓝、黄、橙、红; ``none``: no warning)."""
_HOUR: Final = timedelta(hours=1)

Series = Sequence[tuple[datetime, int]]
"""Hourly forecast AQI: (hour, AQI [-]) in time order."""


def level_rank(level: str) -> int:
    """The rank of ``level`` (0 for ``none`` … 4 for ``red``)."""
    return LEVELS.index(level)


@dataclass(frozen=True)
class Clause:
    """AQI > ``above`` for ``hours`` consecutive hours, or AQI ≥ ``reaches`` at some hour."""

    above: int | None = None
    hours: int = 1
    reaches: int | None = None

    def text(self, language: str = "zh") -> str:
        """The clause in words."""
        if self.reaches is not None:
            return f"AQI达到{self.reaches}" if language == "zh" else f"AQI reaches {self.reaches}"
        if language == "zh":
            return f"AQI>{self.above}持续{self.hours}小时"
        return f"AQI > {self.above} for {self.hours} h"


@dataclass(frozen=True)
class Edition:
    """One edition of the criteria: its levels (each a tuple of alternatives, each a tuple of
    clauses that must all hold), names and source tag."""

    key: str
    name_zh: str
    name_en: str
    source: str
    levels: Mapping[str, tuple[tuple[Clause, ...], ...]]

    def yellow_floor(self) -> int:
        """The lowest AQI a yellow clause counts above: below it (or at it) nothing of yellow
        can hold — the "below yellow conditions" of the lifting rule."""
        return min(c.above for alt in self.levels["yellow"] for c in alt if c.above is not None)


@dataclass(frozen=True)
class Adoption:
    """From ``since`` (a Beijing date) the edition ``edition`` applies."""

    edition: str
    since: date
    source: str


@dataclass(frozen=True)
class WarningCriteria:
    """A complete rule set: the editions, which applies when, and the lifting rule."""

    name: str
    editions: Mapping[str, Edition]
    adopted: tuple[Adoption, ...]
    lift_below_hours: int
    lift_source: str

    def edition_for(self, day: date) -> Edition:
        """The edition applying on ``day`` (the latest adoption on or before it)."""
        applying = [a for a in self.adopted if a.since <= day]
        if not applying:
            raise ValueError(f"{day} 早于所有预警分级标准的施行日期（no edition applies on {day}）")
        return self.editions[max(applying, key=lambda a: a.since).edition]


@dataclass(frozen=True)
class ClauseResult:
    """How a clause fared: the longest run above its threshold [h] (or the peak AQI) and when."""

    clause: Clause
    held: bool
    hours: int
    peak: int
    start: datetime | None
    end: datetime | None

    def text(self, language: str = "zh") -> str:
        """What was found, in words."""
        if self.clause.reaches is not None:
            if language == "zh":
                return f"{self.clause.text()}：预报最高AQI {self.peak}"
            return f"{self.clause.text('en')}: forecast peak AQI {self.peak}"
        if language == "zh":
            return f"{self.clause.text()}：预报连续{self.hours}小时"
        return f"{self.clause.text('en')}: forecast {self.hours} consecutive h"


@dataclass(frozen=True)
class Reason:
    """The alternative of ``level`` that held, clause by clause."""

    level: str
    clauses: tuple[ClauseResult, ...]

    def text(self, language: str = "zh") -> str:
        """The reason in words."""
        return ("；" if language == "zh" else "; ").join(c.text(language) for c in self.clauses)


@dataclass(frozen=True)
class Assessment:
    """The highest level whose conditions hold, with the reason (None for ``none``)."""

    level: str
    edition: str
    reason: Reason | None


@dataclass(frozen=True)
class Lift:
    """Whether a warning may be lifted: below yellow now and forecast to stay so for more than
    the rule's hours (``hours_below`` consecutive hours from the start at AQI ≤ ``floor``)."""

    may_lift: bool
    hours_below: int
    floor: int
    needed_hours: int
    source: str


def _merge(base: Mapping[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        if key != "levels" and isinstance(value, Mapping) and isinstance(base.get(key), Mapping):
            merged[key] = _merge(base[key], value)
        else:
            merged[key] = value
    return merged


@cache
def _shipped() -> dict[str, Any]:
    document: dict[str, Any] = json.loads(_DEFAULT.read_text(encoding="utf-8"))
    return document


def _clause(row: Mapping[str, Any], where: str) -> Clause:
    above, reaches, hours = row.get("above"), row.get("reaches"), row.get("hours", 1)
    if (above is None) == (reaches is None):
        raise ValueError(f"{where} 须且只能给出 above 或 reaches（needs above or reaches）")
    for value in (above, reaches, hours):
        if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
            raise ValueError(f"{where} 的数值应为整数，收到 {value!r}（must be integers）")
    if hours < 1:
        raise ValueError(f"{where}.hours 应为正整数，收到 {hours!r}（must be positive）")
    return Clause(above=above, hours=hours, reaches=reaches)


def _edition(key: str, row: Mapping[str, Any]) -> Edition:
    levels: dict[str, tuple[tuple[Clause, ...], ...]] = {}
    for level, alternatives in row["levels"].items():
        if level not in LEVELS[1:]:
            raise ValueError(f"editions.{key}.levels：未知预警级别 {level!r}（unknown level）")
        levels[level] = tuple(
            tuple(_clause(c, f"editions.{key}.levels.{level}[{i}]") for c in alt)
            for i, alt in enumerate(alternatives)
        )
    if "yellow" not in levels:
        raise ValueError(f"editions.{key} 缺少黄色预警条件（needs a yellow level）")
    return Edition(key, str(row["name_zh"]), str(row["name_en"]), str(row["source"]), levels)


def criteria(override: Mapping[str, Any] | None = None) -> WarningCriteria:
    """The rule set: the national defaults with ``override`` (a province's or city's document of
    the same shape) merged in. A value of the wrong kind is refused (ValueError, Chinese first)."""
    doc = _merge(_shipped(), override or {})
    editions = {key: _edition(key, row) for key, row in doc["editions"].items()}
    adopted = []
    for row in doc["adopted"]:
        if row["edition"] not in editions:
            raise ValueError(f"adopted：未知版本 {row['edition']!r}（unknown edition）")
        adopted.append(Adoption(row["edition"], date.fromisoformat(row["from"]), row["source"]))
    lift = doc["lift"]
    return WarningCriteria(
        str(doc["name"]), editions, tuple(adopted), int(lift["below_hours"]), str(lift["source"])
    )


def default_criteria() -> WarningCriteria:
    """The national defaults (``criteria.json``)."""
    return criteria()


def hourly_from_daily(days: Sequence[tuple[date, int]]) -> list[tuple[datetime, int]]:
    """A daily forecast AQI series spread over the 24 hours of each day (00:00–23:00)."""
    return [
        (datetime.combine(day, datetime.min.time()) + hour * _HOUR, aqi)
        for day, aqi in days
        for hour in range(24)
    ]


def _longest_run(series: Series, above: int) -> tuple[int, datetime | None, datetime | None]:
    best: tuple[int, datetime | None, datetime | None] = (0, None, None)
    run, start, previous = 0, None, None
    for hour, aqi in series:
        contiguous = previous is not None and hour - previous == _HOUR
        if aqi > above:
            if not (run and contiguous):
                run, start = 0, hour
            run += 1
            if run > best[0]:
                best = (run, start, hour)
        else:
            run = 0
        previous = hour
    return best


def _judge(clause: Clause, series: Series) -> ClauseResult:
    peak = max((aqi for _, aqi in series), default=0)
    if clause.reaches is not None:
        at = next((hour for hour, aqi in series if aqi >= clause.reaches), None)
        return ClauseResult(clause, at is not None, 0, peak, at, at)
    assert clause.above is not None
    hours, start, end = _longest_run(series, clause.above)
    return ClauseResult(clause, hours >= clause.hours, hours, peak, start, end)


def assess(series: Series, edition: Edition) -> Assessment:
    """The warning level of an hourly forecast AQI series under ``edition``: the highest level
    one of whose alternatives holds entirely, with the clauses that held (GOVERNANCE.md §5 table,
    the edition's source tag)."""
    for level in reversed(LEVELS[1:]):
        for alternative in edition.levels.get(level, ()):
            results = tuple(_judge(clause, series) for clause in alternative)
            if all(r.held for r in results):
                return Assessment(level, edition.key, Reason(level, results))
    return Assessment("none", edition.key, None)


def lift_check(series: Series, edition: Edition, rules: WarningCriteria) -> Lift:
    """Whether a warning may be lifted on the forecast ``series`` starting now: the forecast is
    below yellow conditions (no level from yellow up holds) and AQI stays at or below the yellow
    floor for *more than* ``rules.lift_below_hours`` consecutive hours from the start (§5 common
    rules, HW-YZ: "> 36 h")."""
    floor = edition.yellow_floor()
    hours_below = 0
    previous: datetime | None = None
    for hour, aqi in series:
        if aqi > floor or (previous is not None and hour - previous != _HOUR):
            break
        hours_below += 1
        previous = hour
    below_yellow = level_rank(assess(series, edition).level) < level_rank("yellow")
    return Lift(
        below_yellow and hours_below > rules.lift_below_hours,
        hours_below,
        floor,
        rules.lift_below_hours,
        rules.lift_source,
    )
