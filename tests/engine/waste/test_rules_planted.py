"""The rule registry and rules file, the simulator's exactness, and the risk scores."""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

import pytest

from ecogov.engine.waste import RULES, RulesError, configure, risk_scores, run_checks
from ecogov.engine.waste.rules import MARKET_PRICES, SEVERITIES
from ecogov.waste.simulate import simulate


def test_every_rule_is_titled_in_both_languages_with_sourced_parameters() -> None:
    assert len(RULES) == 17
    for rule in RULES.values():
        assert rule.title_zh
        assert rule.title_en
        assert rule.severity in SEVERITIES
        for param in rule.params.values():
            assert param.default >= 0
            assert param.source.startswith("[D]") or any(
                key in param.source for key in ("SWL", "TR", "CFR")
            ), param.source


def test_defaults_and_overrides() -> None:
    rules = configure()
    assert rules.params["storage_age"]["limit_days"] == 365
    assert rules.params["receipt_overdue"]["working_days"] == 5
    assert rules.enabled == tuple(RULES)
    assert rules.as_of is None
    changed = configure(
        {
            "as_of": date(2025, 6, 30),
            "rules": {"storage_age": {"limit_days": 180}, "route_deviation": {"enabled": False}},
            "market_prices": {"HW08": 4000},
            "risk_weights": {"storage_age": 10},
        }
    )
    assert changed.params["storage_age"]["limit_days"] == 180
    assert "route_deviation" not in changed.enabled
    assert changed.market_prices == {**MARKET_PRICES, "HW08": 4000.0}
    assert changed.risk_weights["storage_age"] == 10
    assert changed.as_of == date(2025, 6, 30)


@pytest.mark.parametrize(
    ("document", "where"),
    [
        ({"rules": {"storage_ages": {}}}, "rules.storage_ages"),
        ({"rules": {"storage_age": {"limit": 1}}}, "rules.storage_age.limit"),
        ({"rules": {"storage_age": {"limit_days": "一年"}}}, "rules.storage_age.limit_days"),
        ({"rules": {"storage_age": {"limit_days": -1}}}, "rules.storage_age.limit_days"),
        ({"rules": {"storage_age": {"enabled": "no"}}}, "rules.storage_age.enabled"),
        ({"rules": {"storage_age": 3}}, "rules.storage_age"),
        ({"market_prices": {"08": 1}}, "market_prices.08"),
        ({"risk_weights": {"nothing": 1}}, "risk_weights.nothing"),
        ({"as_of": "2025-12-31"}, "as_of"),
        ({"asof": date(2025, 1, 1)}, "asof"),
    ],
)
def test_a_bad_rules_document_says_where_in_chinese(document: dict[str, Any], where: str) -> None:
    with pytest.raises(RulesError) as caught:
        configure(document)
    assert f"规则文件「{where}」" in caught.value.zh


def _keys(found: Any) -> Counter[tuple[str, str, str | None, str]]:
    return Counter(found.select("rule", "subject", "code", "period").iter_rows())


@pytest.mark.parametrize("seed", [1, 2, 3, 11])
def test_a_simulated_bundle_is_clean(seed: int) -> None:
    clean = simulate(seed, generators=40)
    found, day = run_checks(clean.frames, configure(), clean.as_of)
    assert found.is_empty()
    assert day == clean.as_of
    assert clean.frames.manifests.height > 300
    assert clean.expected == []


@pytest.mark.parametrize(("seed", "planted"), [(1, 1), (2, 2), (5, 3), (8, 2)])
def test_planted_anomalies_give_exactly_their_findings(seed: int, planted: int) -> None:
    result = simulate(seed, generators=60, planted=planted)
    found, _ = run_checks(result.frames, configure(), result.as_of)
    expected = Counter((e["rule"], e["subject"], e["code"], e["period"]) for e in result.expected)
    assert {rule for rule, *_ in expected} == set(RULES)
    assert sum(expected.values()) == planted * len(RULES)
    assert _keys(found) == expected


def test_rules_turned_off_find_nothing() -> None:
    result = simulate(6, generators=60, planted=1)
    silent = configure({"rules": {rule: {"enabled": False} for rule in RULES}})
    found, _ = run_checks(result.frames, silent, result.as_of)
    assert found.is_empty()
    assert found.columns == ["rule", "subject", "code", "period", "severity", "evidence"]
    some = configure({"rules": {"storage_age": {"enabled": False}}})
    found, _ = run_checks(result.frames, some, result.as_of)
    assert "storage_age" not in set(found["rule"])
    assert found.height == len(RULES) - 1


def test_the_as_of_date_defaults_to_the_latest_date_of_the_bundle() -> None:
    result = simulate(4, generators=30, planted=1)
    _, day = run_checks(result.frames, configure())
    assert day is not None
    assert day <= result.as_of
    latest = [
        result.frames.ledger["date"].max(),
        result.frames.payments["date"].max(),
        result.frames.manifests["confirmed_at"].dt.date().max(),
    ]
    assert day == max(value for value in latest if isinstance(value, date))


def test_risk_scores_add_the_weights_of_each_partys_findings() -> None:
    result = simulate(3, generators=60, planted=1)
    rules = configure({"risk_weights": {"storage_age": 10}})
    found, _ = run_checks(result.frames, rules, result.as_of)
    scores = risk_scores(found, result.frames.parties, rules.risk_weights)
    by_party = {row["party_id"]: row for row in scores.iter_rows(named=True)}
    aged = found.filter(found["rule"] == "storage_age")["subject"].item()
    assert by_party[aged]["score"] == 10
    assert by_party[aged]["kind"] == "generator"
    unlicensed = found.filter(found["rule"] == "receiver_unlicensed")["subject"].item()
    assert by_party[unlicensed]["score"] == 5  # red
    assert by_party[unlicensed]["rules"] == "receiver_unlicensed:1"
    carriers = set(result.frames.parties.filter(kind="carrier")["party_id"].cast(str))
    assert not carriers & set(by_party)
    assert scores["score"].to_list() == sorted(scores["score"].to_list(), reverse=True)
