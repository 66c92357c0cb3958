"""The registry of waste checks (全链条核查规则) and their configuration (a rules file).

A rule is a function from the bundle's frames to its findings, registered with an id, a Chinese
and an English title, a severity (the alert levels 蓝/黄/橙/红 of the alerts inbox, by key) and
its parameters, each with a default and the source of that default (a GOVERNANCE.md key, or
``[D]`` for a value derived here that a province should set). A rule set — parsed from the
``rules.toml`` of a bundle or ``--rules FILE`` — changes parameters, turns rules off, sets the
market prices and the risk weights, and may fix the as-of date.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Final, TypeAlias

import polars as pl

from ecogov.engine.waste.tables import WasteFrames

__all__ = [
    "MARKET_PRICES",
    "RULES",
    "SEVERITIES",
    "CheckInput",
    "Param",
    "Rule",
    "RuleSet",
    "RulesError",
    "configure",
    "register",
]

SEVERITIES: Final = ("blue", "yellow", "orange", "red")
"""Severity keys, lowest first (those of ``ecogov.platform.alerts``)."""
RISK_WEIGHT_OF_SEVERITY: Final = {"blue": 1.0, "yellow": 2.0, "orange": 3.0, "red": 5.0}
"""Default risk weight of a finding by its rule's severity [D]."""

MARKET_PRICES: Final[Mapping[str, float]] = {
    "HW08": 3000.0,
    "HW12": 3500.0,
    "HW17": 3000.0,
    "HW18": 2500.0,
    "HW49": 3500.0,
    "HW50": 2000.0,
}
"""Reference price of utilisation or disposal [yuan/t] per category. [D]: illustrative levels,
not a market survey — a province sets its own in the rules file (``[market_prices]``)."""


@dataclass(frozen=True)
class Param:
    """A rule parameter: its default and where the default comes from."""

    default: float
    source: str
    unit: str = ""


@dataclass(frozen=True)
class CheckInput:
    """What a rule looks at: the frames, the as-of date and the market prices [yuan/t]; frames
    derived from them that several rules use are computed once (:meth:`shared`)."""

    frames: WasteFrames
    as_of: date
    market_prices: Mapping[str, float] = field(default_factory=lambda: dict(MARKET_PRICES))
    memo: dict[str, pl.DataFrame] = field(default_factory=dict, compare=False, repr=False)

    def shared(self, key: str, compute: Callable[[], pl.DataFrame]) -> pl.DataFrame:
        """The frame ``key``, computed by ``compute`` the first time it is asked for."""
        if key not in self.memo:
            self.memo[key] = compute()
        return self.memo[key]


Params: TypeAlias = Mapping[str, float]
RuleFunction: TypeAlias = Callable[[CheckInput, Params], pl.DataFrame]


@dataclass(frozen=True)
class Rule:
    """A registered rule. ``run`` returns ``subject, code, period`` and ``evidence`` (a struct);
    the registry adds the rule id and severity."""

    id: str
    title_zh: str
    title_en: str
    severity: str
    params: Mapping[str, Param]
    run: RuleFunction


RULES: dict[str, Rule] = {}
"""Every rule by id, in registration order (the order of docs/waste-bundle.md)."""


def register(
    rule_id: str, title_zh: str, title_en: str, severity: str, **params: Param
) -> Callable[[RuleFunction], RuleFunction]:
    """Register a rule function under ``rule_id``."""
    if severity not in SEVERITIES:
        raise ValueError(f"预警级别“{severity}”不存在 / unknown severity {severity!r}")

    def decorate(function: RuleFunction) -> RuleFunction:
        RULES[rule_id] = Rule(rule_id, title_zh, title_en, severity, params, function)
        return function

    return decorate


class RulesError(ValueError):
    """A rules file that cannot be used; ``zh`` and ``en`` say what and where."""

    def __init__(self, where: str, reason_zh: str, reason_en: str) -> None:
        self.zh = f"规则文件「{where}」：{reason_zh}"
        self.en = f"rules file {where!r}: {reason_en}"
        super().__init__(f"{self.zh} / {self.en}")


@dataclass(frozen=True)
class RuleSet:
    """Parameters of every rule, the rules turned on, market prices, risk weights, as-of."""

    params: Mapping[str, Mapping[str, float]]
    enabled: tuple[str, ...]
    market_prices: Mapping[str, float]
    risk_weights: Mapping[str, float]
    as_of: date | None = None


def _number(where: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise RulesError(where, f"应为数字，而不是“{value}”", f"must be a number, not {value!r}")
    if value < 0:
        raise RulesError(where, "不能为负数", "must not be negative")
    return float(value)


def _table(where: str, value: object) -> Mapping[str, object]:
    if not isinstance(value, Mapping):
        raise RulesError(where, "应为表（[节]）", "must be a table ([section])")
    return value


def _rule_params(rule: Rule, value: object) -> tuple[dict[str, float], bool]:
    where = f"rules.{rule.id}"
    chosen = {name: param.default for name, param in rule.params.items()}
    enabled = True
    for name, given in _table(where, value).items():
        if name == "enabled":
            if not isinstance(given, bool):
                raise RulesError(f"{where}.enabled", "应为 true 或 false", "must be true or false")
            enabled = given
        elif name in rule.params:
            chosen[name] = _number(f"{where}.{name}", given)
        else:
            known = "、".join(["enabled", *rule.params])
            raise RulesError(
                f"{where}.{name}", f"没有这个参数（可用：{known}）", f"no such parameter ({known})"
            )
    return chosen, enabled


def configure(document: Mapping[str, object] | None = None) -> RuleSet:
    """The rule set of a parsed rules file (``{}`` or None: every default).

    Keys: ``as_of`` (a date), ``[rules.<id>]`` (parameters and ``enabled``),
    ``[market_prices]`` (``HWnn = yuan/t``), ``[risk_weights]`` (``<rule id> = weight``).

    Raises:
        RulesError: an unknown key, rule or parameter, or a value of the wrong type.
    """
    given = dict(document or {})
    params = {rule_id: {n: p.default for n, p in r.params.items()} for rule_id, r in RULES.items()}
    enabled = dict.fromkeys(RULES, True)
    for rule_id, value in _table("rules", given.pop("rules", {})).items():
        if rule_id not in RULES:
            known = "、".join(RULES)
            raise RulesError(
                f"rules.{rule_id}", f"没有这条规则（可用：{known}）", f"no such rule ({known})"
            )
        params[rule_id], enabled[rule_id] = _rule_params(RULES[rule_id], value)
    prices = dict(MARKET_PRICES)
    for category, value in _table("market_prices", given.pop("market_prices", {})).items():
        if len(category) != 4 or not category.startswith("HW") or not category[2:].isdigit():
            raise RulesError(
                f"market_prices.{category}", "类别应写作 HWnn", "a category is written HWnn"
            )
        prices[category] = _number(f"market_prices.{category}", value)
    weights = {rule_id: RISK_WEIGHT_OF_SEVERITY[r.severity] for rule_id, r in RULES.items()}
    for rule_id, value in _table("risk_weights", given.pop("risk_weights", {})).items():
        if rule_id not in RULES:
            raise RulesError(f"risk_weights.{rule_id}", "没有这条规则", "no such rule")
        weights[rule_id] = _number(f"risk_weights.{rule_id}", value)
    as_of = given.pop("as_of", None)
    if as_of is not None and not (isinstance(as_of, date) and not hasattr(as_of, "hour")):
        raise RulesError("as_of", "应为日期（YYYY-MM-DD）", "must be a date (YYYY-MM-DD)")
    if given:
        extra = "、".join(given)
        raise RulesError(extra, "未知的键", "unknown key")
    return RuleSet(
        params=params,
        enabled=tuple(rule_id for rule_id, on in enabled.items() if on),
        market_prices=prices,
        risk_weights=weights,
        as_of=as_of,
    )
