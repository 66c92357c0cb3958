"""Responsible units named in task text (issue 19): bracket notes and label lines."""

from __future__ import annotations

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
