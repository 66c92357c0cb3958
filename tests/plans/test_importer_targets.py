"""Target sentences: comparators, units, indicator keys, scopes, years, unbound text."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ecogov.plans.importer.draft import Target
from ecogov.plans.importer.targets import Baselines, extract_targets, is_result
from ecogov.plans.importer.text import normalise


def _targets(text: str, year: int | None = 2020) -> list[Target]:
    return extract_targets(normalise(text), year)


def _one(text: str, year: int | None = 2020) -> Target:
    (target,) = _targets(text, year)
    return target


@pytest.mark.parametrize(
    ("sentence", "comparator", "value", "unit"),
    [
        ("设区城市空气质量优良天数比率达到85%", ">=", 85, "%"),
        ("空气优良率达到85%以上", ">=", 85, "%"),
        ("空气质量优良天数比率保持在90%以上", ">=", 90, "%"),
        ("空气优良率确保提高至72%以上", ">=", 72, "%"),
        ("近岸海域水质优良比例不低于87.5%", ">=", 87.5, "%"),
        ("PM2.5年均浓度不高于23微克/立方米", "<=", 23, "µg/m³"),
        ("PM2.5年均浓度控制在35微克/立方米以内", "<=", 35, "µg/m³"),
        ("PM2.5平均浓度低于26μg/m3", "<=", 26, "µg/m³"),
        ("PM2.5浓度确保下降至40微克/立方米以内", "<=", 40, "µg/m³"),
        ("非化石能源提高至18%左右", "=", 18, "%"),
        ("彻底消除劣V类水质断面", "=", 0, None),
        ("不得出现劣Ⅴ类水质和“牛奶溪”", "=", 0, None),
        ("县级以上水源地水质达标率100%", ">=", 100, "%"),
        ("保持县级以上城市集中式饮用水源地水质100%达标", ">=", 100, "%"),
    ],
)
def test_comparators_values_and_units(
    sentence: str, comparator: str, value: float, unit: str | None
) -> None:
    target = _one(sentence)
    assert (target.comparator, target.value, target.unit) == (comparator, value, unit)
    assert target.indicator is not None


@pytest.mark.parametrize(
    ("sentence", "indicator"),
    [
        ("PM2.5年均浓度不高于23微克/立方米", "air.pm25_annual_mean"),
        ("细颗粒物（PM2.5）平均浓度低于30微克/立方米", "air.pm25_annual_mean"),
        ("设区城市空气质量优良天数比率达到85%", "air.good_day_ratio"),
        ("重污染天数不超过3天", "air.heavy_pollution_days"),
        ("90%以上的县级城市PM2.5达标", "air.county_pm25_attainment_share"),
        ("在168个重点城市空气质量排名力争前十", "air.city_rank"),
        ("省控III类及以上水质断面比例达到88%以上", "water.share_I_III"),
        ("主要流域Ⅰ—Ⅲ类水质比例达到90%", "water.share_I_III"),
        ("市控以上断面水质优良率达到90%", "water.share_I_III"),
        ("彻底消除劣V类水质断面", "water.count_worse_than_V"),
        ("县级以上水源地水质达标率100%", "water.drinking_source_compliance"),
        ("近岸海域水质优良比例不低于87.5%", "water.coastal_good_share"),
        ("污染地块安全利用率达到90%以上", "soil.contaminated_site_safe_use_rate"),
        ("受污染耕地安全利用率达到91%", "soil.polluted_farmland_safe_use_rate"),
        ("工业危险废物利用处置率达到96%以上", "waste.hazardous_utilisation_disposal_rate"),
        ("危废处置利用率不低于96%", "waste.hazardous_utilisation_disposal_rate"),
        ("重点行业VOCs排放量下降30%以上", "emission.vocs_reduction"),
        ("海漂垃圾分布密度较去年降低10%", "marine.floating_litter_density_reduction"),
        ("全市全年不出现重特大环境安全风险问题", "risk.major_environmental_incidents"),
    ],
)
def test_indicator_table(sentence: str, indicator: str) -> None:
    assert _one(sentence).indicator == indicator


def test_rank_value_and_scope() -> None:
    target = _one("在168个重点城市空气质量排名力争前十")
    assert (target.comparator, target.value, target.unit) == ("<=", 10, None)
    assert target.scope == "168个重点城市"


def test_a_percentage_never_binds_to_a_concentration() -> None:
    target = _one("PM2.5年均浓度比2016年下降25%以上")
    assert (target.indicator, target.comparator, target.value, target.unit) == (
        None,
        ">=",
        25,
        "%",
    )


@pytest.mark.parametrize(
    ("sentence", "scope"),
    [
        ("设区城市空气质量优良天数比率达到85%", "设区城市"),
        ("全省设区城市空气质量优良天数比率达到85%", "全省设区城市"),
        ("90%以上的县级城市PM2.5达标", "县级城市"),
        ("县级以上城市空气质量优良天数比率达到80%", "县级以上城市"),
        ("全市森林覆盖率稳定在48%以上", "全市"),
        ("主要流域Ⅰ—Ⅲ类水质比例达到90%", "主要流域"),
        ("中心城区、县区建成区主要河道悬浮物低于50mg/L", "中心城区、县区建成区"),
        ("污染地块安全利用率达到90%以上", None),
    ],
)
def test_scope(sentence: str, scope: str | None) -> None:
    assert _one(sentence).scope == scope


def test_respectively_pairs_values_with_indicators_in_order() -> None:
    targets = _targets("受污染耕地、污染地块安全利用率分别不低于91%、90%")
    assert [(t.indicator, t.value) for t in targets] == [
        ("soil.polluted_farmland_safe_use_rate", 91),
        ("soil.contaminated_site_safe_use_rate", 90),
    ]


def test_one_value_for_all_indicators() -> None:
    targets = _targets("污染地块安全利用率和受污染耕地安全利用率均达到92%")
    assert [(t.indicator, t.value) for t in targets] == [
        ("soil.contaminated_site_safe_use_rate", 92),
        ("soil.polluted_farmland_safe_use_rate", 92),
    ]


def test_a_shared_scope_opens_a_list() -> None:
    targets = _targets("全市危险废物和污泥无害化处置率分别达到90%、95%以上")
    assert [(t.indicator, t.value, t.scope) for t in targets] == [
        ("waste.hazardous_harmless_disposal_rate", 90, "全市"),
        ("waste.sludge_harmless_disposal_rate", 95, "全市"),
    ]


def test_run_on_clauses_split_at_each_value() -> None:
    targets = _targets(
        "海漂垃圾分布密度较去年降低10%受污染耕地、污染地块安全利用率分别不低于91%、90%"
    )
    assert [(t.indicator, t.value) for t in targets] == [
        ("marine.floating_litter_density_reduction", 10),
        ("soil.polluted_farmland_safe_use_rate", 91),
        ("soil.contaminated_site_safe_use_rate", 90),
    ]


def test_a_subjectless_clause_continues_the_indicator_before() -> None:
    targets = _targets("PM2.5浓度确保下降至40微克/立方米以内，力争下降至37微克/立方米以内")
    assert [(t.indicator, t.value) for t in targets] == [
        ("air.pm25_annual_mean", 40),
        ("air.pm25_annual_mean", 37),
    ]
    rates = _targets("全市城市污水处理率达到95%以上，县城达到94%以上；建制镇达到72%以上")
    assert [(t.indicator, t.scope, t.value) for t in rates] == [
        ("water.sewage_treatment_rate", "全市", 95),
        ("water.sewage_treatment_rate", "县城", 94),
        (None, "建制镇", 72),  # a new sentence: nothing to continue
    ]


def test_a_count_is_not_a_target_value() -> None:
    (target,) = _targets("完成285个“千吨万人”以上饮用水水源保护区整治")
    assert (target.indicator, target.value) == (None, None)


def test_year_from_the_clause_or_the_paragraph_or_the_default() -> None:
    targets = _targets(
        "2020年，空气优良率达到85%；到2022年底，空气优良率达到90%。污染地块安全利用率达到90%"
    )
    assert [t.year for t in targets] == [2020, 2022, 2022]
    assert _one("空气优良率达到85%", year=2021).year == 2021
    assert _one("空气优良率比2016年上升20个百分点", year=None).year is None


def test_unmappable_sentences_stay_text_for_a_human() -> None:
    target = _one("近岸海域水质保持稳中向好")
    assert target == Target(None, None, None, None, None, 2020, "近岸海域水质保持稳中向好", "low")
    points = _one("空气优良率比2016年上升20个百分点")
    assert (points.indicator, points.comparator, points.value, points.unit) == (
        None,
        ">=",
        20,
        "pp",
    )


def test_rhetoric_is_not_a_target() -> None:
    assert _targets("以习近平生态文明思想为统领，立足新发展阶段") == []


def test_bound_only_mode_drops_text_targets() -> None:
    text = normalise("全市空气质量稳步改善，空气优良率达到85%，比2016年上升20个百分点")
    targets = extract_targets(text, 2020, keep_unmapped=False)
    assert [t.indicator for t in targets] == ["air.good_day_ratio"]


def test_confidence_is_high_only_when_nothing_is_inferred() -> None:
    sure = _one("到2025年，森林覆盖率达到45%以上")
    assert sure.confidence == "high"
    assert _one("森林覆盖率达到45%以上").confidence == "low"  # the year is the plan's
    assert _one("到2025年，森林覆盖率45%").confidence == "low"  # no comparator written
    assert _one("到2025年，人均公园绿地面积达到16.7%").confidence == "low"  # unbound


@pytest.mark.parametrize(
    ("sentence", "indicator", "comparator"),
    [
        # bound: the registry's direction decides what a level to hold means
        ("到2025年，PM2.5浓度保持在30微克/立方米", "air.pm25_annual_mean", "<="),
        ("到2025年，空气质量优良天数比率稳定在90%", "air.good_day_ratio", ">="),
        # unbound: the declared list of subjects where lower is better
        ("到2025年，劣V类水体比例保持在1.4%", None, "<="),
        ("到2025年，城市黑臭水体比例维持在5%", None, "<="),
        ("到2025年，城市绿地率保持在40%", None, ">="),
        # a written suffix still wins over the direction
        ("到2025年，PM2.5浓度保持在30微克/立方米以上", "air.pm25_annual_mean", ">="),
    ],
)
def test_a_level_to_hold_reads_by_the_indicators_direction(
    sentence: str, indicator: str | None, comparator: str
) -> None:
    target = _one(sentence)
    assert (target.indicator, target.comparator) == (indicator, comparator)


@pytest.mark.parametrize(
    ("sentence", "result"),
    [
        (
            "全国优良水质断面比例达到90.4%，近岸海域水质优良比例为83.7%，提前达到“十四五”规划目标",
            True,
        ),
        ("森林覆盖率达到45%，超额完成省下达的目标任务", True),
        # a met target quoting its value is still the target it was
        ("长三角地区超额完成PM2.5平均浓度同比均减少2%的改善目标", False),
        # a target still to meet, and a met one beside a target in the same sentence
        ("确保完成国家下达的“十四五”目标", False),
        ("提前完成年度目标，到2025年力争达到90%", False),
    ],
)
def test_a_target_met_is_a_result(sentence: str, result: bool) -> None:
    assert is_result(normalise(sentence), 2025) is result


@pytest.mark.parametrize(
    ("sentence", "value", "unit"),
    [
        ("到2025年，新建污水管网1500公里", 1500, "km"),
        ("到2025年，建设30个美丽河湖示范段", 30, "个"),
        ("到2025年，新增垃圾处理能力12万吨/日", 12, "万吨/日"),
        ("到2025年，改造老旧管网2.5万公里", 2.5, "万公里"),
    ],
)
def test_a_count_of_work_to_do_is_a_target(sentence: str, value: float, unit: str) -> None:
    target = _one(sentence)
    assert (target.comparator, target.value, target.unit, target.year) == (">=", value, unit, 2025)


def test_a_count_without_a_work_verb_still_describes() -> None:
    assert _targets("到2025年，全市35个乡镇纳入监测范围") == []


@pytest.mark.parametrize(
    ("sentence", "value"),
    [
        ("到2025年，开展三十个无废细胞建设", 30),
        ("到2025年，建成 一百 处湿地保护小区", 100),
        ("到2025年，新建二千五百公里绿道", 2500),
    ],
)
def test_a_chinese_numeral_before_a_unit_is_a_value(sentence: str, value: int) -> None:
    assert _one(sentence).value == value


def test_a_chinese_numeral_without_a_unit_is_no_value() -> None:
    assert [t.value for t in _targets("“十四五”时期，实施三百多项治理工程") if t.value] == []


def test_a_document_number_is_no_value() -> None:
    text = "根据《某市大气污染防治方案》（某政发〔2021〕18号）要求，开展治理"
    assert [t.value for t in _targets(text, 2022) if t.value] == []


@pytest.mark.parametrize(("word", "comparator"), [("超过", ">"), ("高于", ">"), ("不超过", "<=")])
def test_exceeding_words_are_strict(word: str, comparator: str) -> None:
    assert _one(f"到2025年，城市污水资源化利用率{word}30%").comparator == comparator


def test_a_cumulative_amount_with_a_target_verb_is_a_target() -> None:
    text = "到2025年，化学需氧量、氨氮重点工程累计减排量分别达到1.2万吨、0.3万吨。"
    assert [(t.value, t.unit) for t in _targets(text, 2021)] == [(1.2, "万吨"), (0.3, "万吨")]
    assert _targets("2020年，化学需氧量重点工程累计减排1.5万吨。", 2021) == []


def test_a_lone_number_is_a_list_number() -> None:
    assert _targets("到2025年，3。") == []


@pytest.mark.parametrize(
    "sentence",
    ["到2025年，全面实施“2468”护水工程", "到2025年，淘汰20蒸吨/小时以下燃煤锅炉"],
)
def test_a_number_without_unit_after_a_work_verb_is_no_count(sentence: str) -> None:
    assert [t.value for t in _targets(sentence) if t.value is not None] == []


def test_a_change_from_a_measured_year_is_a_target_against_that_result() -> None:
    kept: Baselines = {}
    review = "2020年，全市空气优良率82.5%，细颗粒物浓度为36微克/立方米。"
    assert extract_targets(normalise(review), 2021, baselines=kept) == []
    plan = "2021年，全市空气优良率较2020年提高、细颗粒物浓度较2020年下降。"
    found = [
        (t.indicator, t.comparator, t.value, t.unit, t.year)
        for t in extract_targets(normalise(plan), 2021, baselines=kept)
    ]
    assert found == [
        ("air.good_day_ratio", ">", 82.5, "%", 2021),
        ("air.pm25_annual_mean", "<", 36, "µg/m³", 2021),
    ]


def test_a_change_from_a_year_without_a_result_gives_no_value() -> None:
    found = _targets("2021年，全市空气优良率较2020年提高。", 2021)
    assert [t.value for t in found if t.value is not None] == []


@pytest.mark.parametrize(
    ("sentence", "indicator"),
    [
        ("到2025年，优良率达到88%", "air.good_day_ratio"),
        ("到2025年，空气质量达标率达到88%", "air.good_day_ratio"),
        ("到2025年，国控断面优良率达到88%", "water.share_I_III"),
        ("到2025年，水质优良率达到88%", None),
    ],
)
def test_a_bare_good_rate_is_the_air_one_unless_water_is_named(
    sentence: str, indicator: str | None
) -> None:
    assert _one(sentence).indicator == indicator


@pytest.mark.parametrize(
    ("sentence", "values"),
    [
        ("“十四五”时期，建设国1家和6个区域性危废风险防控技术中心。", [6]),
        ("“十四五”时期，开展专2家会诊和3个技术服务中心建设。", [3]),
        ("“十四五”时期，实施事4项审批改革和12个示范园区建设。", [12]),
        # real counts glued to the text before them stay values
        ("“十四五”时期，建设1家国家级和6个区域性危废风险防控技术中心。", [1, 6]),
        ("“十四五”时期，关停电厂3家，新建5个示范区。", [3, 5]),
        ("“十四五”时期，建设国家级中心12家。", [12]),
    ],
)
def test_a_digit_injected_inside_a_word_is_no_value(sentence: str, values: list[float]) -> None:
    assert [t.value for t in _targets(sentence, 2021) if t.value is not None] == values


@given(st.integers(min_value=0, max_value=9), st.sampled_from(["国家", "专家", "事项", "条件"]))
def test_any_one_digit_splitting_a_listed_word_is_dropped(digit: int, word: str) -> None:
    sentence = f"“十四五”时期，建设{word[0]}{digit}{word[1]}和25个示范区。"
    assert [t.value for t in _targets(sentence, 2021) if t.value is not None] == [25]
