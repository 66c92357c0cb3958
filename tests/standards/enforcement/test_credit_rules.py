"""The credit method, draw defaults and rules-file merge (GOVERNANCE.md §2)."""

from __future__ import annotations

import pytest

from ecogov.standards.enforcement.credit import NATIONAL_METHOD
from ecogov.standards.enforcement.draw import CATEGORIES, DEFAULT_DRAW, UNRATED
from ecogov.standards.enforcement.rules import NATIONAL_RULES, RulesError, merge_rules


def test_national_method_scores_out_of_100_with_four_coloured_grades() -> None:
    assert NATIONAL_METHOD.max_score == pytest.approx(100.0)
    assert [g.colour_zh for g in NATIONAL_METHOD.grades] == ["绿牌", "蓝牌", "黄牌", "红牌"]
    scores = [g.min_score for g in NATIONAL_METHOD.grades]
    assert scores == sorted(scores, reverse=True)
    assert scores[-1] == 0
    assert all(g.source for g in NATIONAL_METHOD.grades)
    assert {v.grade for v in NATIONAL_METHOD.vetoes} == {"red"}


def test_every_row_cites_its_source_and_unconfirmed_thresholds_say_so() -> None:
    assert all("[U]" in g.source for g in NATIONAL_METHOD.grades)
    assert all(i.source and i.deduction > 0 for i in NATIONAL_METHOD.indicators)
    assert all(v.source for v in NATIONAL_METHOD.vetoes)


def test_default_draw_draws_red_and_yellow_more_often_than_green() -> None:
    for category in CATEGORIES:
        shares = DEFAULT_DRAW.proportions[category]
        assert shares["red"] >= shares["yellow"] >= shares["blue"] >= shares["green"]
        assert UNRATED in shares
    assert DEFAULT_DRAW.team_size >= 2


def test_empty_override_is_the_national_rules() -> None:
    assert merge_rules({}) == NATIONAL_RULES


def test_override_changes_only_what_it_names() -> None:
    rules = merge_rules(
        {
            "name": "省规则",
            "credit": {
                "grades": {"green": {"min_score": 90}},
                "indicators": {"noise": {"enabled": False}, "discharge_compliance": {"points": 20}},
                "vetoes": {"refuse": {"name_zh": "拒不履行", "grade": "red"}},
            },
            "draw": {"proportions": {"general": {"green": 0.5}}, "team_size": 3},
            "targeting": {"weights": {"data_fraud": {"weight": 20}}},
        }
    )
    assert rules.credit.grade("green").min_score == 90
    assert rules.credit.grade("blue") == NATIONAL_METHOD.grade("blue")
    keys = {i.key for i in rules.credit.indicators}
    assert "noise" not in keys
    assert len(keys) == len(NATIONAL_METHOD.indicators) - 1
    assert rules.credit.max_score == pytest.approx(100 - 4 + 5)
    assert "refuse" in {v.key for v in rules.credit.vetoes}
    assert rules.draw.proportions["general"]["green"] == 0.5
    assert rules.draw.proportions["general"]["red"] == DEFAULT_DRAW.proportions["general"]["red"]
    assert rules.draw.team_size == 3
    assert {w.kind: w.weight for w in rules.targeting.weights}["data_fraud"] == 20


def test_a_new_grade_such_as_jiangsu_black_can_be_added() -> None:
    rules = merge_rules(
        {
            "credit": {
                "grades": {
                    "red": {"min_score": 10},
                    "black": {"name_zh": "环保黑名单企业", "colour_zh": "黑牌", "min_score": 0},
                }
            }
        }
    )
    assert [g.key for g in rules.credit.grades][-1] == "black"


@pytest.mark.parametrize(
    ("override", "key"),
    [
        ({"colour": 1}, "colour"),
        ({"credit": {"grades": {"green": {"min_score": "高"}}}}, "credit.grades.green.min_score"),
        ({"credit": {"grades": {"green": {"min_score": 80}}}}, "credit.grades.blue.min_score"),
        ({"credit": {"grades": {"new": {"min_score": 50}}}}, "credit.grades.new.name_zh"),
        ({"credit": {"indicators": {"noise": {"points": -1}}}}, "credit.indicators.noise.points"),
        ({"credit": {"indicators": {"noise": {"weight": 1}}}}, "credit.indicators.noise.weight"),
        ({"credit": {"indicators": {"x": {"points": 1}}}}, "credit.indicators.x.name_zh"),
        ({"credit": {"vetoes": {"no_eia": {"grade": "purple"}}}}, "credit.vetoes.no_eia.grade"),
        ({"credit": {"vetoes": {"noise": {"name_zh": "噪声"}}}}, "credit.vetoes.noise"),
        ({"credit": {"grades": "green"}}, "credit.grades"),
        ({"draw": {"proportions": {"vip": {"red": 1}}}}, "draw.proportions.vip"),
        ({"draw": {"proportions": {"key": {"red": 1.5}}}}, "draw.proportions.key.red"),
        ({"draw": {"proportions": {"key": {"pink": 0.5}}}}, "draw.proportions.key.pink"),
        ({"draw": {"team_size": 1}}, "draw.team_size"),
        ({"draw": {"team_size": True}}, "draw.team_size"),
        ({"draw": {"reserved_share": 2}}, "draw.reserved_share"),
        ({"draw": {"inspector_scope": "city"}}, "draw.inspector_scope"),
        (
            {"targeting": {"weights": {"data_fraud": {"cap": 1.5}}}},
            "targeting.weights.data_fraud.cap",
        ),
        ({"targeting": {"weights": {"drone": {"weight": 1}}}}, "targeting.weights.drone.name_zh"),
    ],
)
def test_a_wrong_override_names_its_key_in_chinese(override: dict[str, object], key: str) -> None:
    with pytest.raises(RulesError) as caught:
        merge_rules(override)
    assert caught.value.key == key
    assert str(caught.value).startswith(f"键 {key}：")
