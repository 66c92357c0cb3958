"""Key-indicator tables (主要指标表): rows, columns, comparators, layouts, result tables."""

from __future__ import annotations

from ecogov.plans.importer import parse_plan
from ecogov.plans.importer.keytable import read_key_tables
from ecogov.plans.importer.text import clean_lines

Key = tuple[str | None, str | None, float | None, str | None, int | None]

# One cell per line, as a Word table or a web capture flattens it.
CELLS = """专栏 主要指标
指标
2020年
2025年
属性
一、环境质量
城市空气质量优良天数比率（%）
86.2
>88
约束性
城市细颗粒物（PM2.5）浓度（微克/立方米）
35
30
约束性
地下水质量V类水比例（%）
-
25左右
预期性
"""
# The same kind of table with "|" between cells and a cumulative column.
PIPES = """指标 | 2015年 | 2020年 | 〔累计〕 | 属性
二氧化硫排放总量减少（%） | - | - | 〔15〕 | 约束性
地表水劣V类水体比例（%） | 9.5 | <5 | - | 约束性
"""


def _keys(text: str, since: int | None = 2021) -> list[Key]:
    return [
        (t.indicator, t.comparator, t.value, t.unit, t.year)
        for t in read_key_tables(clean_lines(text), since)[0]
    ]


def test_one_cell_per_line_rows_give_the_latest_years_cell() -> None:
    assert _keys(CELLS) == [
        ("air.good_day_ratio", ">", 88, "%", 2025),
        ("air.pm25_annual_mean", "<=", 30, "µg/m³", 2025),
        (None, "=", 25, "%", 2025),
    ]


def test_pipe_rows_and_the_cumulative_column() -> None:
    assert _keys(PIPES, 2016) == [(None, ">=", 15, "%", 2020), (None, "<", 5, "%", 2020)]


def test_a_table_of_past_years_reports_results() -> None:
    assert _keys(PIPES, 2021) == []


def test_indicator_in_running_text_opens_no_table() -> None:
    assert _keys("指标\n完善考核办法\n90\n约束性") == []


def test_a_stop_mark_between_digits_is_a_decimal_point() -> None:
    assert _keys("指标\n2025年\n森林覆盖率（%）\n24。1") == [
        ("eco.forest_coverage", ">=", 24.1, "%", 2025)
    ]


def test_the_table_lines_are_left_out_of_the_prose() -> None:
    lines = clean_lines(f"一、目标\n{PIPES}二、任务\n（一）加强监测。")
    assert read_key_tables(lines, 2016)[1] == ["一、目标", "二、任务", "（一）加强监测。"]


def test_the_plan_parser_reads_key_tables_once() -> None:
    draft = parse_plan("某市“十四五”生态环境保护规划\n" + CELLS, year=2021)
    assert [(t.indicator, t.comparator, t.value, t.year) for t in draft.targets] == [
        ("air.good_day_ratio", ">", 88, 2025),
        ("air.pm25_annual_mean", "<=", 30, 2025),
        (None, "=", 25, 2025),
    ]
