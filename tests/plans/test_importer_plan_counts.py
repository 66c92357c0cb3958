"""Counts of a rectification plan's work (整改任务数, issue 19): targets of
``inspection.rectified_items`` without an invented year; work done is no target."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ecogov.plans.importer import parse_plan
from ecogov.plans.importer.draft import Target
from ecogov.plans.importer.targets import RECTIFICATION_KEY, extract_targets, plan_counts
from ecogov.plans.importer.text import normalise


def _counts(
    text: str, year: int | None = 2019
) -> list[tuple[float | None, str | None, int | None]]:
    found = extract_targets(normalise(text), year)
    return [(t.value, t.unit, t.year) for t in found if t.indicator == RECTIFICATION_KEY]


@pytest.mark.parametrize(
    ("sentence", "value", "unit"),
    [
        ("市整改方案共明确整改任务120项，逐项明确责任单位和完成时限。", 120, "项"),
        ("县委县政府印发整改方案，梳理出58个问题整改清单。", 58, "个"),
        ("方案包含二十六项具体问题整改措施，实行清单化管理。", 26, "项"),
        ("针对反馈意见，全区确定214条整改措施。", 214, "条"),
        ("整改事项合计73项，全部纳入督办台账。", 73, "项"),
    ],
)
def test_a_plans_count_of_rectification_work_is_a_target_without_a_year(
    sentence: str, value: int, unit: str
) -> None:
    assert _counts(sentence) == [(value, unit, None)]


def test_the_count_stays_a_target_in_a_sentence_that_goes_on_to_report_progress() -> None:
    text = "整改方案共明确整改任务200项，截至2022年底，已完成150项，完成率75%。"
    assert _counts(text, 2023) == [(200, "项", None)]


@pytest.mark.parametrize(
    "sentence",
    [
        "截至2022年底，已完成整改任务1275项。",
        "反馈的45个问题均已整改到位。",
        "整改任务已办结销号32项。",
        "此次审计调查发现问题涉及我市的共六类25个具体问题，均已积极采取措施整改。",
        "2018年完成整改任务37项。",  # a past year: a result of the plan of 2019
        "建设200个农业面源污染综合治理示范县。",  # a count of work, not of rectification
    ],
)
def test_work_done_or_other_counts_give_no_rectification_target(sentence: str) -> None:
    assert _counts(sentence) == []


def test_a_deadline_named_in_the_sentence_or_this_year_is_the_year() -> None:
    assert _counts("到2020年底前，完成中央督察反馈的37项问题整改。") == [(37, "项", 2020)]
    assert _counts("今年要完成整改任务30项。", 2019) == [(30, "项", 2019)]


def test_a_year_named_in_another_sentence_is_no_deadline_of_the_items() -> None:
    text = "督察组于2019年4月完成督察反馈。整改方案共确定整改任务64项。"
    assert _counts(text, 2019) == [(64, "项", None)]


def test_a_breakdown_after_the_count_gives_one_target_per_part() -> None:
    found, claimed = plan_counts("共计确定100项整改任务，其中甲市40项、乙县60项", 2017, 2017)
    assert [(t.value, t.scope, t.year) for t in found] == [
        (100, None, None),
        (40, "甲市", None),
        (60, "乙县", None),
    ]
    assert claimed == {0, 1}


def test_a_breakdown_without_a_count_before_it_is_no_target() -> None:
    assert plan_counts("其中甲市40项、乙县60项", 2017, 2017) == ([], set())


def test_the_plan_year_given_to_the_parser_is_not_invented_for_the_count() -> None:
    draft = parse_plan("整改方案共明确整改任务2164项，已完成1275项。", year=2023)
    (count,) = [t for t in draft.targets if t.indicator == RECTIFICATION_KEY]
    assert count == Target(
        RECTIFICATION_KEY, ">=", 2164, "项", None, None, "整改方案共明确整改任务2164项", "low"
    )


@given(
    st.integers(min_value=1, max_value=99_999),
    st.sampled_from(
        [
            ("整改方案共明确整改任务{n}项", "项"),
            ("方案包含{n}项具体问题整改措施", "项"),
            ("{n}个问题整改", "个"),
        ]
    ),
    st.sampled_from(["", "已完成"]),
)
def test_any_count_reads_as_written_unless_it_is_done(
    n: int, wording: tuple[str, str], done: str
) -> None:
    text, unit = wording
    assert _counts(done + text.format(n=n) + "。") == ([] if done else [(n, unit, None)])


def test_a_count_of_measures_stands_for_the_problems_only_when_it_is_the_only_count() -> None:
    assert _counts("全市共梳理整改问题37个，制定整改措施120条。") == [(37, "个", None)]
    assert _counts("县整改方案明确整改措施86条。") == [(86, "条", None)]
