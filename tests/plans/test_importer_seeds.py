"""Acceptance on the real seed plans in ../shared/seeds (skipped when they are absent).

Every count below was checked by reading the documents: 000 has 10 parts and tasks 1–42;
002 has a goal part and six parts of （一）（二）… items; 003 has 22 numbered rectification tasks
in six sub-sections of 四、重点任务 plus four safeguards; 004 Annex 1 has rows 1–112, Annex 2
projects 1–28 and Annex 3's list rows 1–71.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from ecogov.plans.importer import PlanDraft, Section, Target, Task, parse_plan

ParseSeed = Callable[[str], PlanDraft]


@pytest.fixture(scope="module")
def seed(shared_dir: Path) -> ParseSeed:
    """Parse the seed whose file name starts with a prefix (000, 002…), once per module."""
    cache: dict[str, PlanDraft] = {}

    def parse(prefix: str) -> PlanDraft:
        if prefix not in cache:
            (path,) = (shared_dir / "seeds").glob(f"{prefix}_*.txt")
            cache[prefix] = parse_plan(path.read_text(encoding="utf-8"))
        return cache[prefix]

    return parse


def _bound(draft: PlanDraft) -> set[tuple[str | None, str | None, float | None, str | None]]:
    return {(t.indicator, t.comparator, t.value, t.unit) for t in draft.targets if t.indicator}


def _target(draft: PlanDraft, indicator: str, value: float) -> Target:
    (target,) = (t for t in draft.targets if t.indicator == indicator and t.value == value)
    return target


def _under(draft: PlanDraft, prefix: str) -> list[Section]:
    return [s for s in draft.sections if s.number is not None and s.number.startswith(prefix)]


def _task(draft: PlanDraft, number: str) -> Task:
    (task,) = (t for t in draft.tasks() if t.number == number)
    return task


@pytest.mark.parametrize("prefix", ["000", "002", "003", "004"])
def test_every_seed_gives_the_json_contract(seed: ParseSeed, prefix: str) -> None:
    draft = seed(prefix)
    assert json.loads(draft.to_json())["title"] == draft.title
    assert all(task.text for task in draft.tasks())


def test_000_zhejiang_2020_parts_and_tasks(seed: ParseSeed) -> None:
    draft = seed("000")
    assert draft.title == "2020年全省生态环境工作要点"
    assert [s.number for s in draft.sections] == list("一二三四五六七八九十")
    assert [len(s.tasks) for s in draft.sections] == [4, 5, 5, 3, 4, 4, 4, 5, 4, 4]
    assert [t.number.split(".")[-1] for t in draft.tasks()] == [str(n) for n in range(1, 43)]
    assert _task(draft, "三.10").text.startswith("持续推进“五水共治”。")
    assert draft.projects == ()


def test_000_zhejiang_2020_targets(seed: ParseSeed) -> None:
    draft = seed("000")
    assert _bound(draft) == {
        ("air.county_pm25_attainment_share", ">=", 90, "%"),
        ("air.good_day_ratio", ">=", 85, "%"),
        ("water.share_I_III", ">=", 88, "%"),
        ("water.count_worse_than_V", "=", 0, None),
        ("soil.contaminated_site_safe_use_rate", ">=", 90, "%"),
        ("waste.hazardous_utilisation_disposal_rate", ">=", 96, "%"),
    }
    assert _target(draft, "air.good_day_ratio", 85).scope == "设区城市"
    assert _target(draft, "air.county_pm25_attainment_share", 90).scope == "县级城市"
    assert {t.year for t in draft.targets} == {2020}
    unbound = {t.text for t in draft.targets if t.indicator is None}
    assert {"近岸海域水质保持稳中向好", "全省设区城市PM2.5平均浓度稳定达标"} <= unbound


def test_002_fuzhou_2021_targets(seed: ParseSeed) -> None:
    draft = seed("002")
    assert _bound(draft) == {
        ("air.pm25_annual_mean", "<=", 23, "µg/m³"),
        ("air.city_rank", "<=", 10, None),
        ("water.share_I_III", ">=", 90, "%"),
        ("water.count_worse_than_V", "=", 0, None),
        ("water.drinking_source_compliance", ">=", 100, "%"),
        ("water.coastal_good_share", ">=", 87.5, "%"),
        ("marine.floating_litter_density_reduction", ">=", 10, "%"),
        ("soil.polluted_farmland_safe_use_rate", ">=", 91, "%"),
        ("soil.contaminated_site_safe_use_rate", ">=", 90, "%"),
        ("waste.hazardous_utilisation_disposal_rate", ">=", 96, "%"),
        ("risk.major_environmental_incidents", "=", 0, None),
    }
    assert _target(draft, "water.share_I_III", 90).scope == "主要流域"
    assert _target(draft, "water.drinking_source_compliance", 100).scope == "县级以上"
    assert {t.year for t in draft.targets} == {2021}
    unbound = {t.text for t in draft.targets if t.indicator is None}
    assert "地下水考核点位V类比例不增加" in unbound


def test_002_fuzhou_2021_parts_and_items(seed: ParseSeed) -> None:
    draft = seed("002")
    assert draft.title == "2021年福州市生态环境保护工作要点"
    assert [(s.number, len(s.tasks)) for s in draft.sections] == [
        ("一", 0),
        ("二", 3),
        ("三", 4),
        ("四", 4),
        ("五", 4),
        ("六", 3),
        ("七", 3),
    ]
    assert _task(draft, "三.(四)").due == "2022"  # 6月底前, 12月底前, 2022年底前
    assert _task(draft, "六.(三)").due == "2021-12"


def test_003_ningbo_rectification_structure(seed: ParseSeed) -> None:
    draft = seed("003")
    assert draft.title == "宁波市贯彻落实第二轮中央生态环境保护督察报告整改方案"
    assert [(s.number, len(s.tasks)) for s in draft.sections] == [
        ("一", 0),
        ("二", 0),
        ("三", 0),
        ("四", 0),
        ("四.(一)", 3),
        ("四.(二)", 4),
        ("四.(三)", 4),
        ("四.(四)", 4),
        ("四.(五)", 3),
        ("四.(六)", 4),
        ("五", 4),
    ]
    assert _task(draft, "四.(三).1").due == "2023"
    assert _task(draft, "四.(二).2").due == "2021"
    assert all(not t.lead_units for t in draft.tasks())  # the plan names no units


def test_003_ningbo_targets(seed: ParseSeed) -> None:
    draft = seed("003")
    assert {
        ("water.share_I_III", ">=", 90, "%"),
        ("air.pm25_annual_mean", "<=", 26, "µg/m³"),
        ("air.good_day_ratio", ">=", 90, "%"),
        ("soil.polluted_farmland_safe_use_rate", ">=", 93, "%"),
        ("soil.contaminated_site_safe_use_rate", ">=", 95, "%"),
        ("inspection.rectified_items", ">=", 7, "项"),
        ("inspection.rectified_items", ">=", 8, "项"),
    } <= _bound(draft)
    assert _target(draft, "air.pm25_annual_mean", 26).year == 2022
    assert _target(draft, "inspection.rectified_items", 7).year == 2021
    assert _target(draft, "water.share_I_III", 90).scope == "市控以上断面"


def test_004_annex1_responsibility_table(seed: ParseSeed) -> None:
    draft = seed("004")
    groups = _under(draft, "附件1.")
    assert [len(s.tasks) for s in groups] == [15, 13, 14, 18, 9, 12, 17, 14]
    tasks = [t for s in groups for t in s.tasks]
    assert len(tasks) == 112
    assert [t.number.split(".")[-1] for t in tasks] == [str(n) for n in range(1, 113)]
    assert all(t.lead_units for t in tasks)
    # rows 3 and 4 have merged item and unit cells: they inherit row 2's
    for number in ("附件1.一.3", "附件1.一.4"):
        task = _task(draft, number)
        assert task.text.startswith("积极培育示范典型：")
        assert task.lead_units == ("市环保局",)
        assert task.co_units == ("市生态文明办", "市农办", "市发改委", "市经信委", "市旅发委")
    assert _task(draft, "附件1.二.25").lead_units == ("市委宣传部",)
    assert _task(draft, "附件1.三.36").co_units == ("市公安局", "市交通运输局")
    assert _task(draft, "附件1.一.7").due == "2022"


def test_004_annex2_key_projects(seed: ParseSeed) -> None:
    draft = seed("004")
    assert len(draft.projects) == 28
    assert [p.number.split(".")[-1] for p in draft.projects] == [str(n) for n in range(1, 29)]
    assert all(p.start_year == 2018 and p.end_year in (2019, 2020, 2022) for p in draft.projects)
    first = draft.projects[0]
    assert (first.number, first.name, first.units, first.end_year) == (
        "附件2.一.1",
        "天然气县县通项目",
        ("市发改委",),
        2020,
    )
    merged = draft.projects[2]  # two sub-rows, the second with a dash start
    assert merged.units == ("市环保局", "市经信委")
    assert merged.name == "涉气“散乱污”“低小散”企业清理整顿项目"
    assert draft.projects[22].name == "建设生态电力示范体验展厅"
    assert draft.projects[22].end_year == 2019


def test_004_annex3_plan_and_task_list(seed: ParseSeed) -> None:
    draft = seed("004")
    listing = [s for s in draft.sections if s.number is None]
    assert [len(s.tasks) for s in listing] == [9, 5, 16, 17, 8, 7, 9]
    assert listing[2].title == "1861治气攻坚工程"
    tasks = [t for s in listing for t in s.tasks]
    assert [t.number for t in tasks] == [f"附件3.附件.{n}" for n in range(1, 72)]
    assert all(t.lead_units for t in tasks)
    body = _under(draft, "附件3.二")[0]
    assert [t.number for t in body.tasks[:3]] == [
        "附件3.二.(一)",
        "附件3.二.(一).一是",
        "附件3.二.(一).二是",
    ]
    assert _target(draft, "air.pm25_annual_mean", 40).year == 2018
    assert _target(draft, "air.pm25_annual_mean", 37).year == 2018


def test_004_main_plan(seed: ParseSeed) -> None:
    draft = seed("004")
    assert draft.title == "湖州市生态文明示范创建行动计划（2018-2022）"
    main = [s for s in draft.sections if s.number is not None and not s.number.startswith("附件")]
    assert sum(len(s.tasks) for s in main if s.number and s.number.startswith("二")) == 29
    assert _target(draft, "air.pm25_annual_mean", 35).year == 2020
    assert _target(draft, "water.river_suspended_solids", 40).year == 2022
    assert _target(draft, "eco.wetland_area", 4.78).unit == "万公顷"  # 4\ue01078 in the capture
