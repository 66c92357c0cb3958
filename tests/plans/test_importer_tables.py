"""Tables flattened one cell per line: groups, wrapped cells, merged cells, sub-rows."""

from __future__ import annotations

import pytest

from ecogov.plans.importer.tables import UNIT_HEADS, is_header, parse_table
from ecogov.plans.importer.text import clean_lines

RESPONSIBILITY = """序号
工作内容
工作任务
牵头单位
配合单位
一、深入推进“两山”理念实践创新行动
1
积极培育示范
典型
深化示范市建设。
市环保局
市生态文明办、市农办
2
持续创建一批示范点。
3
大力培育绿色发展园区。
市发改委
市环保局、市生态
文明办
4
积极培育
绿色生活方式
倡导绿色低碳生活理念。
市委
宣传部
市环保局
5
推进老旧车船淘汰。
市环保局
市农业局
市公安局、市交通
运输局
6
建立健全分类收集网络。
市环保局、市建设局、
市农业局
市交通运输局
7
大力发展高效生态现代农业。
市农业局
二、深入推进绿色发展行动
8
加大扶持力度。
市经信委"""


def _rows() -> dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]]:
    result = parse_table(RESPONSIBILITY.splitlines(), prefix="附件1")
    return {t.number: (t.text, t.lead_units, t.co_units) for s in result.sections for t in s.tasks}


def test_groups_number_sections_and_tasks() -> None:
    result = parse_table(RESPONSIBILITY.splitlines(), prefix="附件1")
    assert [(s.number, s.title, len(s.tasks)) for s in result.sections] == [
        ("附件1.一", "深入推进“两山”理念实践创新行动", 7),
        ("附件1.二", "深入推进绿色发展行动", 1),
    ]
    assert result.projects == ()
    assert result.loose_tasks == ()


def test_wrapped_work_item_joins_and_prefixes_the_task() -> None:
    assert _rows()["附件1.一.1"][0] == "积极培育示范典型：深化示范市建设。"


def test_merged_cells_inherit_item_and_units_from_the_row_above() -> None:
    assert _rows()["附件1.一.2"] == (
        "积极培育示范典型：持续创建一批示范点。",
        ("市环保局",),
        ("市生态文明办", "市农办"),
    )


def test_wrapped_unit_names_join() -> None:
    rows = _rows()
    assert rows["附件1.一.3"][1:] == (("市发改委",), ("市环保局", "市生态文明办"))
    assert rows["附件1.一.4"][1:] == (("市委宣传部",), ("市环保局",))
    assert rows["附件1.一.6"][1:] == (("市环保局", "市建设局", "市农业局"), ("市交通运输局",))


def test_several_unit_cells_last_is_co_units() -> None:
    assert _rows()["附件1.一.5"][1:] == (("市环保局", "市农业局"), ("市公安局", "市交通运输局"))


def test_single_unit_cell_is_the_lead() -> None:
    assert _rows()["附件1.一.7"][1:] == (("市农业局",), ())


def test_inheritance_stops_at_a_group() -> None:
    assert _rows()["附件1.二.8"] == ("加大扶持力度。", ("市经信委",), ())


TASK_LIST = """序号
主要工作任务
牵头单位
主要配合单位
“两山”理念实践样板工程
1
启动生态保护红线勘界定标。
市环保局
市发改委
1861治气攻坚工程
2
启动清新空气示范区建设，2018年底前制订评价办法。
市环保局
市级相关部门"""


def test_unnumbered_groups_have_no_number() -> None:
    result = parse_table(TASK_LIST.splitlines(), prefix="附件3.附件")
    assert [(s.number, s.title) for s in result.sections] == [
        (None, "“两山”理念实践样板工程"),
        (None, "1861治气攻坚工程"),
    ]
    first, second = (s.tasks[0] for s in result.sections)
    assert (first.number, first.lead_units, first.co_units) == (
        "附件3.附件.1",
        ("市环保局",),
        ("市发改委",),
    )
    assert (second.number, second.due) == ("附件3.附件.2", "2018")


PROJECTS = """序号
项目名称
项 目 内 容
责任单位
启动
时间
完成
时间
一、改善空气质量行动重点项目
1
涉气企业清理
整顿项目
完成1000家涉气企业清理整顿任务。
市环保局
2018年
2020年
2018年淘汰100家企业的落后产能。
市经信委
——
2018年
2
建设生态电力示范体验展厅
建设展厅，倡导绿色用能。
市科技局、湖州电力局
2018
2019年"""


def test_projects_merge_sub_rows_and_years() -> None:
    projects = parse_table(clean_lines(PROJECTS), prefix="附件2").projects
    assert [(p.number, p.name, p.units, p.start_year, p.end_year) for p in projects] == [
        ("附件2.一.1", "涉气企业清理整顿项目", ("市环保局", "市经信委"), 2018, 2020),
        ("附件2.一.2", "建设生态电力示范体验展厅", ("市科技局", "湖州电力局"), 2018, 2019),
    ]
    assert projects[0].content == "完成1000家涉气企业清理整顿任务。2018年淘汰100家企业的落后产能。"


RECTIFICATION = """序号
整改任务
责任单位
整改时限
1
全面完成饮用水水源保护区整治。
市生态环境局
2021年12月底前
2
持续改善近岸海域水质。
市农业农村局
长期坚持"""


def test_due_column_gives_the_due_date() -> None:
    tasks = parse_table(RECTIFICATION.splitlines(), year=2021).loose_tasks
    assert [(t.number, t.lead_units, t.due) for t in tasks] == [
        ("1", ("市生态环境局",), "2021-12"),
        ("2", ("市农业农村局",), None),
    ]


def test_unit_heads_tell_a_unit_from_text_before_the_task() -> None:
    lines = ["序号", "牵头单位", "工作任务", "1", "湖州电力局", "建设充电网。"]
    assert parse_table(lines).loose_tasks[0].lead_units == ()
    with_region = parse_table(lines, heads=(*UNIT_HEADS, "湖州"))
    assert with_region.loose_tasks[0].lead_units == ("湖州电力局",)


def test_a_year_is_not_a_row_number() -> None:
    lines = ["序号", "项目名称", "项目内容", "启动时间", "完成时间", "1", "项目", "内容。", "2018"]
    lines += ["2022", "2", "项目二", "内容二。", "2019年", "2020年"]
    projects = parse_table(lines).projects
    assert [(p.number, p.start_year, p.end_year) for p in projects] == [
        ("1", 2018, 2022),
        ("2", 2019, 2020),
    ]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("序号", True),
        ("序号工作内容工作任务牵头单位配合单位", True),
        ("序号项目名称项目内容责任单位启动", True),
        ("工作内容", False),
        ("序号为", False),
        ("一、总体要求", False),
    ],
)
def test_is_header(line: str, expected: bool) -> None:
    assert is_header(line) is expected
