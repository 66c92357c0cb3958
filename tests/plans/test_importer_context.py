"""Targets read with their section's context (issue 19): deadlines carried across paragraphs,
enumerated subjects bound value by value, hard-wrapped lines joined, review sections."""

from __future__ import annotations

from ecogov.plans.importer import parse_plan
from ecogov.plans.importer.text import join_wrapped


def _keys(text: str, year: int) -> set[tuple[str | None, str | None, float | None, int | None]]:
    return {
        (t.indicator, t.comparator, t.value, t.year) for t in parse_plan(text, year=year).targets
    }


def test_a_deadline_named_earlier_in_the_section_reaches_later_paragraphs() -> None:
    text = (
        "到2020年，二氧化硫排放总量比2015年下降15%以上。\n"
        "要经过三年努力，大幅减少排放。城市空气质量优良天数比率达到80%。"
    )
    assert ("air.good_day_ratio", ">=", 80, 2020) in _keys(text, 2018)


def test_a_heading_ends_the_carried_deadline() -> None:
    text = "全国：\n“十四五”时期，森林覆盖率达到24.1%。\n北京：\n湿地保护率提高到55%。"
    keys = _keys(text, 2021)
    assert ("eco.forest_coverage", ">=", 24.1, 2025) in keys
    assert ("eco.wetland_protection_rate", ">=", 55, 2025) not in keys


def test_each_listed_item_takes_its_own_value() -> None:
    text = (
        "到2025年，细颗粒物（PM2.5）、可吸入颗粒物（PM10）浓度分别控制在25微克/立方米和"
        "55微克/立方米。"
    )
    keys = _keys(text, 2021)
    assert ("air.pm25_annual_mean", "<=", 25, 2025) in keys
    assert (None, "<=", 55, 2025) in keys
    assert ("air.pm25_annual_mean", "<=", 55, 2025) not in keys


def test_weak_target_words_in_a_review_are_results() -> None:
    text = (
        "2022年全国生态环境质量继续向好。细颗粒物浓度为29微克/立方米，同比下降3.3%。"
        "土壤环境状况总体稳定。农用地安全利用率保持在90%以上。"
    )
    assert not [t for t in parse_plan(text, year=2023).targets if t.value is not None]


def test_a_five_year_period_over_before_the_plan_is_a_result() -> None:
    text = "“十四五”时期全国重污染天数减少25%，森林覆盖率达到25%。"
    assert not [t for t in parse_plan(text, year=2026).targets if t.value is not None]


def test_hard_wrapped_lines_are_joined_but_headings_stay() -> None:
    paragraph = (
        "主要目标是：全省地表水省控断面优良比例达到89.3%，劣V类断面比例控制在0.3%以内；"
        "全省受污染耕地安全利用率稳定在91%以上，农村生活污水治理率达32%；确保核与辐射环境安全。"
    )
    lines = [paragraph[i : i + 20] for i in range(0, len(paragraph), 20)]
    joined = join_wrapped([*lines, "二、重点任务", "（一）深入打好蓝天保卫战"])
    assert joined == [paragraph, "二、重点任务", "（一）深入打好蓝天保卫战"]
    assert join_wrapped(["一、总体要求", "二、重点任务"]) == ["一、总体要求", "二、重点任务"]
