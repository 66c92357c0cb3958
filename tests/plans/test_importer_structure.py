"""Outline of plan prose: sections, hierarchical task numbers, goal paragraphs."""

from __future__ import annotations

from ecogov.plans.importer.draft import Section
from ecogov.plans.importer.structure import join_number, parse_outline


def _numbers(sections: tuple[Section, ...]) -> list[tuple[str | None, list[str]]]:
    return [(s.number, [t.number for t in s.tasks]) for s in sections]


def test_chapters_and_numbered_items() -> None:
    outline = parse_outline(
        [
            "一、推动空气质量稳定达标",
            "1.推进四大结构调整。围绕行动计划推动落地。",
            "2.推进工业治气行动。深化治理。",
            "二、深化碧水保卫战",
            "3.持续推进五水共治。到2022年完成。",
        ]
    )
    assert _numbers(outline.sections) == [("一", ["一.1", "一.2"]), ("二", ["二.3"])]
    assert outline.sections[0].title == "推动空气质量稳定达标"
    task = outline.sections[1].tasks[0]
    assert task.text == "持续推进五水共治。到2022年完成。"
    assert task.due == "2022"


def test_subsection_with_items_is_a_section() -> None:
    outline = parse_outline(
        [
            "四、重点任务",
            "（一）坚持减污降碳协同增效，加快绿色低碳发展",
            "1.启动实施碳达峰行动。研究制定方案。",
            "2.持续推动产业转型升级。2021年，完成整治。",
            "（二）统筹推进无废城市建设",
            "1.狠抓污水收集处置能力建设。到2023年底完成。",
        ]
    )
    assert _numbers(outline.sections) == [
        ("四", []),
        ("四.(一)", ["四.(一).1", "四.(一).2"]),
        ("四.(二)", ["四.(二).1"]),
    ]
    assert outline.sections[1].title == "坚持减污降碳协同增效，加快绿色低碳发展"
    assert [t.due for t in outline.sections[1].tasks] == [None, "2021"]


def test_subsection_without_items_is_a_task_and_points_nest() -> None:
    outline = parse_outline(
        [
            "二、加快绿色低碳发展",
            "（一）推进碳达峰工作。编制行动方案，6月底前完成。",
            "（二）统筹疫情防控。",
            "三、其他",
            "1.加强监测。",
            "（1）建设站点。",
            "（2）联网。",
        ],
        year=2021,
    )
    assert _numbers(outline.sections) == [
        ("二", ["二.(一)", "二.(二)"]),
        ("三", ["三.1", "三.1.(1)", "三.1.(2)"]),
    ]
    assert outline.sections[0].tasks[0].due == "2021-06"


def test_inline_items_become_tasks_after_the_lead_in() -> None:
    outline = parse_outline(
        [
            "二、重点任务",
            "（一）全力实施样板工程。紧紧围绕目标。一是加强生态保护。划定红线。"
            "二是培育示范典型。深化建设。三是完善标准制度。",
        ]
    )
    tasks = outline.sections[0].tasks
    assert [t.number for t in tasks] == [
        "二.(一)",
        "二.(一).一是",
        "二.(一).二是",
        "二.(一).三是",
    ]
    assert tasks[0].text == "全力实施样板工程。紧紧围绕目标。"
    assert tasks[1].text == "加强生态保护。划定红线。"
    assert tasks[3].text == "完善标准制度。"


def test_inline_markers_must_count_up() -> None:
    outline = parse_outline(["一、任务", "1.统一是关键。一是加强保护。"])
    assert [t.number for t in outline.sections[0].tasks] == ["一.1"]


def test_principle_and_goal_chapters_hold_no_tasks() -> None:
    outline = parse_outline(
        [
            "一、总体要求",
            "（一）指导思想。以新思想为指导。",
            "（二）工作目标。2020年，打赢攻坚战。具体目标如下：",
            "——环境空气质量。2020年，PM2.5年均浓度控制在35微克/立方米以内。",
            "二、基本原则",
            "（一）属地为主，协同联动。各级负责。",
            "三、工作目标",
            "（一）问题全面整改到位。2021年底前完成整改7项。",
            "四、重点任务",
            "1.争当模范生。",
        ]
    )
    assert _numbers(outline.sections) == [("一", []), ("二", []), ("三", []), ("四", ["四.1"])]
    assert outline.goals == (
        "2020年，打赢攻坚战。具体目标如下：",
        "——环境空气质量。2020年，PM2.5年均浓度控制在35微克/立方米以内。",
        "（一）问题全面整改到位。2021年底前完成整改7项。"[len("（一）") :],
    )


def test_goal_lead_paragraph_and_goal_chapter_paragraphs() -> None:
    outline = parse_outline(
        [
            "2020年是收官之年。",
            "主要目标是：设区城市空气质量优良天数比率达到85%。",
            "一、主要目标",
            "生态环境质量继续保持全优。",
            "二、加快发展",
            "（一）推进工作。",
        ]
    )
    assert outline.goals == (
        "主要目标是：设区城市空气质量优良天数比率达到85%。",
        "生态环境质量继续保持全优。",
    )
    assert _numbers(outline.sections) == [("一", []), ("二", ["二.(一)"])]


def test_items_under_no_chapter_are_loose_tasks_with_the_prefix() -> None:
    outline = parse_outline(["1.制订标准。", "2.启动改造。"], prefix="附件3")
    assert outline.sections == ()
    assert [t.number for t in outline.loose_tasks] == ["附件3.1", "附件3.2"]


def test_a_number_with_a_decimal_is_not_an_item() -> None:
    outline = parse_outline(["一、任务", "2.5万吨能力建成。"])
    assert outline.sections[0].tasks == ()


def test_join_number_skips_empty_parts() -> None:
    assert join_number("", "二", None, "(三)", "5") == "二.(三).5"


def test_a_subsection_under_no_chapter_is_a_section_not_a_task() -> None:
    outline = parse_outline(
        [
            "（一）水环境治理",
            "3.推进污水管网建设。年底前完成。",
            "4.整治入河排污口。",
            "（二）土壤污染防治",
            "5.开展农用地详查。",
        ]
    )
    assert _numbers(outline.sections) == [("(一)", ["(一).3", "(一).4"]), ("(二)", ["(二).5"])]
    assert outline.loose_tasks == ()
