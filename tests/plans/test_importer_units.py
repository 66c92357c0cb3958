"""Responsible units named in task text (issue 19): bracket notes and label lines."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ecogov.plans.importer import parse_plan
from ecogov.plans.importer.units import named_units


def test_bracket_note_gives_lead_and_co_units_and_leaves_the_task_text() -> None:
    text, lead, co = named_units(
        "加强VOCs治理（牵头单位：市生态环境局；配合单位：市发展改革委、市经信局，各区县政府）"
    )
    assert text == "加强VOCs治理"
    assert lead == ("市生态环境局",)
    assert co == ("市发展改革委", "市经信局", "各区县政府")


def test_square_bracket_responsibility_joined_with_ji() -> None:
    assert named_units("完成整改。【责任单位：市住建局及市城管局等部门】")[1:] == (
        ("市住建局", "市城管局"),
        (),
    )


def test_label_lines_under_a_numbered_task_belong_to_it() -> None:
    draft = parse_plan(
        "二、主要任务\n7.环境空气质量。完善网格化监管网络。\n牵头单位：市生态环境局\n"
        "配合单位：市工信局、市住建局\n8.水环境质量。全面实施全域治理。\n牵头单位：市水务局",
        year=2023,
    )
    tasks = {task.number: task for task in draft.tasks()}
    assert tasks["二.7"].lead_units == ("市生态环境局",)
    assert tasks["二.7"].co_units == ("市工信局", "市住建局")
    assert "牵头单位" not in tasks["二.7"].text
    assert tasks["二.8"].lead_units == ("市水务局",)
    assert tasks["二.8"].co_units == ()


def test_text_without_unit_notes_is_unchanged() -> None:
    assert named_units("加强扬尘管控，牵头抓好落实。") == ("加强扬尘管控，牵头抓好落实。", (), ())


@pytest.mark.parametrize(
    ("text", "lead", "co"),
    [
        (
            "加强VOCs治理（市生态环境局牵头，市发展改革委、市经济和信息化局配合）",
            ("市生态环境局",),
            ("市发展改革委", "市经济和信息化局"),
        ),
        ("推进河湖治理。（市水务局负责）", ("市水务局",), ()),
        ("完成整治【县交通运输局牵头；县公安局参与】", ("县交通运输局",), ("县公安局",)),
        (
            "开展执法检查（市生态环境局牵头负责，各区县政府按职责分工负责）",
            ("市生态环境局",),
            ("各区县政府",),
        ),
    ],
)
def test_the_verb_form_names_lead_and_co_units(
    text: str, lead: tuple[str, ...], co: tuple[str, ...]
) -> None:
    stripped, found_lead, found_co = named_units(text)
    assert (found_lead, found_co) == (lead, co)
    assert stripped == re.split(r"[（【]", text, maxsplit=1)[0]  # the note is taken out


@pytest.mark.parametrize(
    "text",
    [
        "加强扬尘管控（牵头抓好落实）",  # a verb without unit names
        "各区政府（含北京经济技术开发区管委会）",  # a bracket without a role verb
        "推进工程建设（由项目业主负责）",  # a name that is no unit
    ],
)
def test_brackets_not_in_the_verb_form_stay_text(text: str) -> None:
    assert named_units(text) == (text, (), ())


_UNITS = ("市生态环境局", "市住建局", "县水务局", "区政府", "市交通运输委", "市城管执法中心")


@given(
    st.lists(st.sampled_from(_UNITS), min_size=1, max_size=3, unique=True),
    st.lists(st.sampled_from(_UNITS), min_size=0, max_size=3, unique=True),
)
def test_any_verb_note_gives_its_units_in_order(lead: list[str], co: list[str]) -> None:
    co = [name for name in co if name not in lead]
    note = "、".join(lead) + "牵头" + ("，" + "、".join(co) + "配合" if co else "")
    assert named_units(f"推进治理（{note}）") == ("推进治理", tuple(lead), tuple(co))


def test_a_task_in_a_plan_carries_the_units_of_its_verb_note() -> None:
    draft = parse_plan(
        "二、主要任务\n1.深化工业污染治理，完成重点企业提标改造（市生态环境局牵头，市工信局配合）。",
        year=2023,
    )
    (task,) = draft.tasks()
    assert (task.lead_units, task.co_units) == (("市生态环境局",), ("市工信局",))
