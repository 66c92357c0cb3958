"""A rule set (credit method, draw rules, targeting weights) and the merge of a province
override over the national defaults.

An override is a mapping (a parsed TOML file, see docs/enforcement-files.md) with optional
``name``/``basis`` and sections ``credit``, ``draw``, ``targeting``. Every value is checked and a
wrong one raises :class:`RulesError` naming its key (``credit.grades.green.min_score``).
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

from ecogov.standards.enforcement.credit import (
    NATIONAL_METHOD,
    CreditMethod,
    EvidenceMapping,
    Grade,
    Indicator,
    Veto,
)
from ecogov.standards.enforcement.draw import CATEGORIES, DEFAULT_DRAW, UNRATED, DrawRules
from ecogov.standards.enforcement.targeting import DEFAULT_TARGETING, RiskWeight, TargetingRules

__all__ = ["NATIONAL_RULES", "RuleSet", "RulesError", "merge_rules"]


class RulesError(ValueError):
    """A wrong value in a rules override: the key, and why (zh-CN, English)."""

    def __init__(self, key: str, zh: str, en: str) -> None:
        self.key, self.zh, self.en = key, zh, en
        super().__init__(f"键 {key}：{zh} / key {key}: {en}")


@dataclass(frozen=True, slots=True)
class RuleSet:
    """Everything the stateless enforcement core reads from a rules file."""

    name: str
    basis: str
    credit: CreditMethod
    draw: DrawRules
    targeting: TargetingRules


NATIONAL_RULES: Final = RuleSet(
    name="国家默认规则",
    basis=NATIONAL_METHOD.basis,
    credit=NATIONAL_METHOD,
    draw=DEFAULT_DRAW,
    targeting=DEFAULT_TARGETING,
)

_TOP_KEYS: Final = frozenset({"name", "basis", "credit", "draw", "targeting"})


def _table(value: object, key: str) -> Mapping[str, object]:
    if not isinstance(value, Mapping):
        raise RulesError(key, "应为表（[section]）", "must be a table")
    return value


def _known(table: Mapping[str, object], allowed: frozenset[str], key: str) -> None:
    unknown = sorted(set(table) - allowed)
    if unknown:
        raise RulesError(
            f"{key}.{unknown[0]}" if key else unknown[0],
            f"未知的键（可用：{'、'.join(sorted(allowed))}）",
            f"unknown key (allowed: {', '.join(sorted(allowed))})",
        )


def _text(value: object, key: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise RulesError(key, "应为非空文字", "must be non-empty text")
    return value.strip()


def _some_text(value: object, key: str) -> str:
    """Text that may be empty (an unset risk factor, no qualification required)."""
    if not isinstance(value, str):
        raise RulesError(key, "应为文字", "must be text")
    return value.strip()


def _number(value: object, key: str, low: float, high: float | None = None) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise RulesError(key, "应为数字", "must be a number")
    number = float(value)
    if number < low or (high is not None and number > high):
        span = f"{low:g}–{high:g}" if high is not None else f"≥ {low:g}"
        raise RulesError(key, f"应在 {span} 之间", f"must be within {span}")
    return number


def _grades(overrides: Mapping[str, object], base: tuple[Grade, ...]) -> tuple[Grade, ...]:
    grades = {g.key: g for g in base}
    for gkey, raw in overrides.items():
        key = f"credit.grades.{gkey}"
        table = _table(raw, key)
        _known(table, frozenset({"name_zh", "colour_zh", "colour", "min_score", "source"}), key)
        old = grades.get(gkey)
        if old is None:
            missing = [f for f in ("name_zh", "colour_zh", "min_score") if f not in table]
            if missing:
                raise RulesError(
                    f"{key}.{missing[0]}", "新增等级须给出此项", "a new grade needs it"
                )
            old = Grade(gkey, "", "", "#616161", 0.0, "")
        grades[gkey] = Grade(
            key=gkey,
            name_zh=_text(table.get("name_zh", old.name_zh), f"{key}.name_zh"),
            colour_zh=_text(table.get("colour_zh", old.colour_zh), f"{key}.colour_zh"),
            colour=_text(table.get("colour", old.colour), f"{key}.colour"),
            min_score=_number(table.get("min_score", old.min_score), f"{key}.min_score", -1000),
            source=str(table.get("source", old.source or "省级规则")),
        )
    ordered = tuple(sorted(grades.values(), key=lambda g: -g.min_score))
    for better, worse in itertools.pairwise(ordered):
        if better.min_score == worse.min_score:
            raise RulesError(
                f"credit.grades.{worse.key}.min_score",
                f"与等级 {better.key} 的最低分相同",
                f"equals the min_score of grade {better.key}",
            )
    return ordered


def _indicators(
    overrides: Mapping[str, object], base: tuple[Indicator, ...]
) -> tuple[Indicator, ...]:
    indicators = {i.key: i for i in base}
    fields = frozenset({"name_zh", "area_zh", "points", "deduction", "source", "enabled"})
    for ikey, raw in overrides.items():
        key = f"credit.indicators.{ikey}"
        table = _table(raw, key)
        _known(table, fields, key)
        if table.get("enabled") is False:
            indicators.pop(ikey, None)
            continue
        old = indicators.get(ikey)
        if old is None:
            missing = [f for f in ("name_zh", "area_zh", "points", "deduction") if f not in table]
            if missing:
                raise RulesError(
                    f"{key}.{missing[0]}", "新增指标须给出此项", "a new indicator needs it"
                )
            old = Indicator(ikey, "", "", 0.0, 0.0, "")
        indicators[ikey] = Indicator(
            key=ikey,
            name_zh=_text(table.get("name_zh", old.name_zh), f"{key}.name_zh"),
            area_zh=_text(table.get("area_zh", old.area_zh), f"{key}.area_zh"),
            points=_number(table.get("points", old.points), f"{key}.points", 0),
            deduction=_number(table.get("deduction", old.deduction), f"{key}.deduction", 0),
            source=str(table.get("source", old.source or "省级规则")),
        )
    return tuple(indicators.values())


def _vetoes(
    overrides: Mapping[str, object], base: tuple[Veto, ...], grades: tuple[Grade, ...]
) -> tuple[Veto, ...]:
    vetoes = {v.key: v for v in base}
    keys = {g.key for g in grades}
    for vkey, raw in overrides.items():
        key = f"credit.vetoes.{vkey}"
        table = _table(raw, key)
        _known(table, frozenset({"name_zh", "grade", "source", "enabled"}), key)
        if table.get("enabled") is False:
            vetoes.pop(vkey, None)
            continue
        old = vetoes.get(vkey) or Veto(vkey, "", "red", "")
        if vkey not in vetoes and "name_zh" not in table:
            raise RulesError(f"{key}.name_zh", "新增否决项须给出此项", "a new veto item needs it")
        grade = _text(table.get("grade", old.grade), f"{key}.grade")
        if grade not in keys:
            raise RulesError(f"{key}.grade", f"没有等级“{grade}”", f"no grade {grade!r}")
        vetoes[vkey] = Veto(
            vkey,
            _text(table.get("name_zh", old.name_zh), f"{key}.name_zh"),
            grade,
            str(table.get("source", old.source or "省级规则")),
        )
    return tuple(vetoes.values())


def _evidence(
    overrides: Mapping[str, object], base: tuple[EvidenceMapping, ...], scored: frozenset[str]
) -> tuple[EvidenceMapping, ...]:
    """The evidence mappings: an override changes a pattern in place or adds one ahead of the
    defaults (a province's more specific pattern matches first); base mappings whose indicator
    the merged method no longer has are dropped (those records no longer count)."""
    mappings = {m.pattern: m for m in base}
    added: list[str] = []
    for pattern, raw in overrides.items():
        key = f"credit.evidence.{pattern}"
        table = _table(raw, key)
        _known(table, frozenset({"indicator", "risk_kind", "name_zh", "source", "enabled"}), key)
        if table.get("enabled") is False:
            mappings.pop(pattern, None)
            continue
        old = mappings.get(pattern)
        if old is None:
            if "indicator" not in table or "name_zh" not in table:
                field = "indicator" if "indicator" not in table else "name_zh"
                raise RulesError(f"{key}.{field}", "新增证据映射须给出此项", "a new one needs it")
            old = EvidenceMapping(pattern, "", "", "", "")
            added.append(pattern)
        indicator = _text(table.get("indicator", old.indicator), f"{key}.indicator")
        if indicator not in scored:
            raise RulesError(
                f"{key}.indicator", f"没有指标或否决项“{indicator}”", f"no indicator {indicator!r}"
            )
        mappings[pattern] = EvidenceMapping(
            pattern,
            indicator,
            _some_text(table.get("risk_kind", old.risk_kind), f"{key}.risk_kind"),
            _text(table.get("name_zh", old.name_zh), f"{key}.name_zh"),
            str(table.get("source", old.source or "省级规则")),
        )
    ordered = [mappings[p] for p in added] + [m for p, m in mappings.items() if p not in added]
    return tuple(m for m in ordered if m.indicator in scored)


def _credit(raw: object, base: CreditMethod, name: str, basis: str) -> CreditMethod:
    table = _table(raw, "credit")
    _known(table, frozenset({"grades", "indicators", "vetoes", "evidence"}), "credit")
    grades = _grades(_table(table.get("grades", {}), "credit.grades"), base.grades)
    indicators = _indicators(
        _table(table.get("indicators", {}), "credit.indicators"), base.indicators
    )
    if not indicators:
        raise RulesError("credit.indicators", "至少需要一个指标", "needs at least one indicator")
    if not grades or min(g.min_score for g in grades) > 0:
        raise RulesError(
            "credit.grades", "须有一个最低分不大于 0 的等级", "needs a grade with min_score ≤ 0"
        )
    vetoes = _vetoes(_table(table.get("vetoes", {}), "credit.vetoes"), base.vetoes, grades)
    overlap = {i.key for i in indicators} & {v.key for v in vetoes}
    if overlap:
        first = sorted(overlap)[0]
        raise RulesError(f"credit.vetoes.{first}", "与指标同名", "has the same key as an indicator")
    scored = frozenset({i.key for i in indicators} | {v.key for v in vetoes})
    evidence = _evidence(
        _table(table.get("evidence", {}), "credit.evidence"), base.evidence, scored
    )
    return CreditMethod(name, basis, grades, indicators, vetoes, evidence)


def _draw(raw: object, base: DrawRules, grades: tuple[Grade, ...]) -> DrawRules:
    table = _table(raw, "draw")
    fields = frozenset(
        {"proportions", "reserved_share", "team_size", "inspector_scope", "qualification", "source"}
    )
    _known(table, fields, "draw")
    proportions = {c: dict(p) for c, p in base.proportions.items()}
    grade_keys = frozenset({g.key for g in grades} | {UNRATED})
    for category, shares in _table(table.get("proportions", {}), "draw.proportions").items():
        key = f"draw.proportions.{category}"
        if category not in CATEGORIES:
            raise RulesError(
                key, f"未知的对象类别（可用：{'、'.join(CATEGORIES)}）", "unknown category"
            )
        shares_table = _table(shares, key)
        _known(shares_table, grade_keys, key)
        for grade, share in shares_table.items():
            proportions[category][grade] = _number(share, f"{key}.{grade}", 0, 1)
    team = table.get("team_size", base.team_size)
    if isinstance(team, bool) or not isinstance(team, int) or team < 2:
        raise RulesError("draw.team_size", "应为不小于 2 的整数", "must be an integer ≥ 2")
    scope = table.get("inspector_scope", base.inspector_scope)
    if scope not in ("region", "any"):
        raise RulesError("draw.inspector_scope", "应为 region 或 any", "must be region or any")
    qualification = _some_text(table.get("qualification", base.qualification), "draw.qualification")
    return DrawRules(
        proportions=proportions,
        reserved_share=_number(
            table.get("reserved_share", base.reserved_share), "draw.reserved_share", 0, 1
        ),
        team_size=team,
        inspector_scope=str(scope),
        qualification=qualification,
        source=str(table.get("source", base.source)),
    )


def _targeting(raw: object, base: TargetingRules) -> TargetingRules:
    table = _table(raw, "targeting")
    _known(table, frozenset({"weights", "grade_points", "source"}), "targeting")
    weights = {w.kind: w for w in base.weights}
    for kind, rawweight in _table(table.get("weights", {}), "targeting.weights").items():
        key = f"targeting.weights.{kind}"
        entry = _table(rawweight, key)
        _known(entry, frozenset({"name_zh", "weight", "cap"}), key)
        old = weights.get(kind) or RiskWeight(kind, "", 0.0, 1)
        if kind not in weights and "name_zh" not in entry:
            raise RulesError(f"{key}.name_zh", "新增证据类型须给出此项", "a new kind needs it")
        cap = _number(entry.get("cap", old.cap), f"{key}.cap", 1)
        if cap != int(cap):
            raise RulesError(f"{key}.cap", "应为整数", "must be an integer")
        weights[kind] = RiskWeight(
            kind,
            _text(entry.get("name_zh", old.name_zh), f"{key}.name_zh"),
            _number(entry.get("weight", old.weight), f"{key}.weight", 0),
            int(cap),
        )
    points = dict(base.grade_points)
    for grade, value in _table(table.get("grade_points", {}), "targeting.grade_points").items():
        points[grade] = _number(value, f"targeting.grade_points.{grade}", 0)
    return TargetingRules(tuple(weights.values()), points, str(table.get("source", base.source)))


def merge_rules(override: Mapping[str, object], base: RuleSet = NATIONAL_RULES) -> RuleSet:
    """``override`` (a parsed rules file) merged over ``base`` and validated.

    Raises:
        RulesError: an unknown key or a wrong value (the message names the key).
    """
    _known(override, _TOP_KEYS, "")
    name = _text(override.get("name", base.name), "name")
    basis = _text(override.get("basis", base.basis), "basis")
    credit = _credit(
        override.get("credit", {}),
        base.credit,
        name if "name" in override else base.credit.name,
        basis if "basis" in override else base.credit.basis,
    )
    return RuleSet(
        name=name,
        basis=basis,
        credit=credit,
        draw=_draw(override.get("draw", {}), base.draw, credit.grades),
        targeting=_targeting(override.get("targeting", {}), base.targeting),
    )
