"""Deadlines and periods read from plan text."""

from __future__ import annotations

import pytest

from ecogov.plans.importer.dates import Deadline, find_deadlines, find_start, latest, title_year


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("到2022年，全市建成", ["2022"]),
        ("2021年底前完成整改7项", ["2021"]),
        ("到2022年6月底实现全覆盖", ["2022-06"]),
        ("2020年12月31日前完成", ["2020-12-31"]),
        ("2020年上半年完成", ["2020-06"]),
        ("2021年，完成1500家企业整治", ["2021"]),
        ("6月底前基本完成治理任务，12月底前建立机制", ["2021-06", "2021-12"]),
        ("力争10月底试运行", ["2021-10"]),
        ("比2016年下降25%以上", []),  # baseline, not a deadline
        ("较2013年下降4%", []),
        ("继续推进《危险废物处置设施建设规划（2016-2020年）》实施", []),
        ("办好2020年浙江省生态环境科技服务活动", []),  # a name, not a deadline
        ("2019年起实施", []),  # a start
        ("13月底前", []),  # no such month
    ],
)
def test_find_deadlines(text: str, expected: list[str]) -> None:
    assert [deadline.iso() for deadline in find_deadlines(text, 2021)] == expected


def test_month_only_deadline_needs_a_year() -> None:
    assert find_deadlines("6月底前完成") == []


def test_latest_counts_a_bare_year_as_its_end() -> None:
    deadlines = [Deadline(2021, 12), Deadline(2022), Deadline(2022, 6)]
    assert latest(deadlines) == Deadline(2022)
    assert latest([]) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [("自2019年起实施", "2019"), ("2020年3月开始执行", "2020-03"), ("到2022年完成", None)],
)
def test_find_start(text: str, expected: str | None) -> None:
    start = find_start(text)
    assert (start.iso() if start else None) == expected


@pytest.mark.parametrize(
    ("title", "year"),
    [
        ("湖州市生态文明示范创建行动计划（2018-2022）", 2022),
        ("深入践行“两山”理念规划纲要(2020—2035年)", 2035),
        ("2020年全省生态环境工作要点", 2020),
        ("宁波市贯彻落实第二轮中央生态环境保护督察报告整改方案", None),
        (None, None),
    ],
)
def test_title_year(title: str | None, year: int | None) -> None:
    assert title_year(title) == year
