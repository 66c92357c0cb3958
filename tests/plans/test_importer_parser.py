"""parse_plan end to end on hand-made documents, the JSON contract, and robustness."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ecogov.plans.importer import EmptyDocument, PlanDraft, parse_plan

CAPTURE = """当前位置: 首页 » 正文
2021年示范市生态环境工作要点_年度计划_示范市生态环境局
时间:2021-05-06 09:35 浏览量:595
示范市生态环境局关于印发2021年示范市生态环境工作要点的通知
各区县:
现将《2021年示范市生态环境工作要点》印发给你们。
2021年示范市生态环境工作要点
  一、主要目标
  PM2.5年均浓度不高于23微克/立方米,近岸海域水质保持稳中向好。
  二、深入打好污染防治攻坚战
  (一)实施“蓝天工程”。推动协同控制,6月底前完成治理。
  (二)实施“碧水工程”。全市再生水利用率达到18%。
附件:1.任务分解表
附件1
示范市任务分解表
序号
工作任务
牵头单位
配合单位
一、蓝天
1
推进锅炉整治。
市生态环境局
市发改委
扫一扫在手机上查看当前页面
"""


def test_json_contract_is_exact() -> None:
    draft = parse_plan(CAPTURE)
    data = json.loads(draft.to_json())
    assert list(data) == ["title", "sections", "targets", "projects"]
    assert data["title"] == "2021年示范市生态环境工作要点"
    assert data["sections"][1] == {
        "number": "二",
        "title": "深入打好污染防治攻坚战",
        "tasks": [
            {
                "number": "二.(一)",
                "text": "实施“蓝天工程”。推动协同控制，6月底前完成治理。",
                "lead_units": [],
                "co_units": [],
                "start": None,
                "due": "2021-06",
            },
            {
                "number": "二.(二)",
                "text": "实施“碧水工程”。全市再生水利用率达到18%。",
                "lead_units": [],
                "co_units": [],
                "start": None,
                "due": None,
            },
        ],
    }
    assert data["targets"][0] == {
        "indicator": "air.pm25_annual_mean",
        "comparator": "<=",
        "value": 23,
        "unit": "µg/m³",
        "scope": None,
        "year": 2021,
        "text": "PM2.5年均浓度不高于23微克/立方米",
        "confidence": "low",  # its year is the plan's, not named in the sentence
    }
    assert data["targets"][1]["indicator"] is None
    assert data["targets"][1]["confidence"] == "low"
    assert data["targets"][2]["indicator"] == "water.reclaimed_use_rate"  # from a task's text
    assert data["projects"] == []


def test_annexes_are_numbered_and_their_list_is_not_a_task() -> None:
    draft = parse_plan(CAPTURE)
    assert [(s.number, s.title) for s in draft.sections] == [
        ("一", "主要目标"),
        ("二", "深入打好污染防治攻坚战"),
        ("附件1", "示范市任务分解表"),
        ("附件1.一", "蓝天"),
    ]
    (task,) = draft.sections[3].tasks
    assert (task.number, task.lead_units, task.co_units) == (
        "附件1.一.1",
        ("市生态环境局",),
        ("市发改委",),
    )


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("关于加强生态环境保护工作的实施意见\n一、总体要求", "关于加强生态环境保护工作的实施意见"),
        ("某厅关于印发2020年工作要点的通知\n2020年工作要点\n一、任务", "2020年工作要点"),
        ("现将《2020年工作要点》印发给你们，请落实。\n一、任务", None),
    ],
)
def test_title_is_the_last_title_line_before_the_first_heading(
    text: str, title: str | None
) -> None:
    assert parse_plan(text).title == title


def test_year_defaults_to_the_title_and_the_caller_overrides_it() -> None:
    assert {t.year for t in parse_plan(CAPTURE).targets} == {2021}
    assert {t.year for t in parse_plan(CAPTURE, year=2025).targets} == {2025}


def test_nested_annex_and_annex_year() -> None:
    text = "\n".join(
        [
            "示范行动计划(2018-2022)",
            "一、任务",
            "1.推进工作。",
            "附件3",
            "2018年示范实施计划",
            "一、工作目标",
            "空气优良率确保提高至72%以上。",
            "附件",
            "2018年主要工作任务清单",
            "序号",
            "主要工作任务",
            "牵头单位",
            "1",
            "制订标准。",
            "市环保局",
        ]
    )
    draft = parse_plan(text)
    assert [s.number for s in draft.sections] == ["一", "附件3", "附件3.一", "附件3.附件"]
    assert [t.number for t in draft.tasks()] == ["一.1", "附件3.附件.1"]
    (target,) = draft.targets
    assert (target.indicator, target.year) == ("air.good_day_ratio", 2018)


def test_tasks_under_no_chapter_sit_in_a_section_named_by_the_title() -> None:
    draft = parse_plan("工作方案\n1.推进工作。\n2.完成验收。")
    assert [(s.number, s.title) for s in draft.sections] == [(None, "工作方案")]
    assert [t.number for t in draft.tasks()] == ["1", "2"]


def test_region_name_opens_unit_names() -> None:
    text = "序号\n牵头单位\n工作任务\n1\n湖州电力局\n建设充电网。"
    assert parse_plan(text).tasks()[0].lead_units == ()
    assert parse_plan(text, region="湖州市").tasks()[0].lead_units == ("湖州电力局",)


def test_text_without_structure_gives_an_empty_draft() -> None:
    assert parse_plan("这是一段没有任何结构的文字") == PlanDraft(None)


@pytest.mark.parametrize("text", ["", " ", "\n\t　\n"])
def test_empty_text_raises_a_typed_error(text: str) -> None:
    with pytest.raises(EmptyDocument):
        parse_plan(text)


# Fragments that exercise every rule: headings, annexes, table headers, units, dates, targets.
FRAGMENTS = st.sampled_from(
    [
        "一、",
        "（一）",
        "(二)",
        "1.",
        "2、",
        "一是",
        "二是",
        "附件",
        "附件1",
        "附件：",
        "序号",
        "工作内容",
        "牵头单位",
        "配合单位",
        "项目名称",
        "启动时间",
        "完成时间",
        "市环保局",
        "、",
        "市交通",
        "运输局",
        "2018年",
        "——",
        "到2022年底",
        "6月底前",
        "达到",
        "不低于",
        "以上",
        "以内",
        "分别",
        "90%",
        "87.5",
        "微克/立方米",
        "PM2.5",
        "优良天数比率",
        "劣V类",
        "消除",
        "排名前十",
        "全市",
        "，",
        "。",
        "；",
        "\n",
        "主要目标是：",
        "工作要点",
        "\ue010",
    ]
)
DOCUMENTS = st.lists(st.one_of(FRAGMENTS, st.text(max_size=8)), max_size=60).map("".join)


@given(DOCUMENTS.filter(str.strip))
@settings(max_examples=200, deadline=None)
def test_parsing_never_raises_and_always_gives_the_contract(text: str) -> None:
    data = json.loads(parse_plan(text).to_json())
    assert list(data) == ["title", "sections", "targets", "projects"]
    for target in data["targets"]:
        assert target["comparator"] in (">=", "<=", "=", None)
