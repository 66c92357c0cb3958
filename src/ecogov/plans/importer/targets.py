"""Quantitative targets (目标指标) read from plan sentences.

A target sentence names an indicator, a comparator and a value with its unit, sometimes a scope
and a deadline: ``到2022年，设区城市空气质量优良天数比率达到85%以上``. The reading is driven by
data tables, never by code branches:

* :data:`COMPARATORS` — words before the value (达到/不低于 → ``>=``; 不高于/低于/控制在 → ``<=``;
  change verbs 下降/降低 → ``>=`` on the size of the change); :data:`SUFFIXES` — words after it
  (以上 → ``>=``, 以内/以下 → ``<=``, 左右 → ``=``), which win over the word before;
  :data:`ZERO_MARKERS` — 消除/不得出现 → ``= 0``; ranks (``排名…前十``) → ``<= 10``;
* :data:`UNITS` — unit spellings to one symbol (微克/立方米 → ``µg/m³``, 个百分点 → ``pp``);
* :data:`INDICATORS` — patterns → indicator key, with the units the indicator accepts (a
  percentage never binds to a concentration), first match wins where anchors overlap;
* :data:`SCOPES` — region or water-body qualifiers (设区城市, 县级以上城市, 全市, 主要流域…);
* :data:`TARGET_HINTS` — words that make a clause without a number still a target to keep as
  text (稳中向好, 得到有效控制…), for a human to bind.

One clause may hold several values: ``受污染耕地、污染地块安全利用率分别不低于91%、90%`` gives
one target per indicator in order; ``…均达到92%`` gives the value to each. A clause with a value
but no subject (``力争下降至37微克/立方米以内``) continues the indicator of the clause before it
in the same sentence when the units agree.

A rectification plan's count of its work (整改方案共明确整改任务2164项, 包含37项具体问题整改措施)
is a target of ``inspection.rectified_items`` (:func:`plan_counts`), read per clause even in a
sentence that goes on to report progress (…，已完成1275项). Its year is only a deadline the text
names (到2018年底前, 今年): the items of such a plan each carry their own time limit (立行立改,
分阶段, 长期坚持), so the plan's year would be an invented deadline; it stays ``None`` for the
reviewer. A ``其中北京47项、上海46项`` clause after it breaks the count down by scope.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from functools import cache
from types import MappingProxyType
from typing import Final

from ecogov.plans.importer.dates import find_deadlines, latest, period_end
from ecogov.plans.importer.draft import Target
from ecogov.plans.importer.text import chinese_numeral, clauses, sentences

__all__ = [
    "COMPARATORS",
    "INDICATORS",
    "RESULT_CLAUSE",
    "RESULT_LANGUAGE",
    "SCOPES",
    "STRONG_TARGET_LANGUAGE",
    "SUFFIXES",
    "TARGET_HINTS",
    "TARGET_LANGUAGE",
    "TARGET_MET",
    "UNITS",
    "ZERO_MARKERS",
    "Baselines",
    "Indicator",
    "bind_indicator",
    "direction_comparator",
    "extract_targets",
    "future_deadline",
    "is_past",
    "is_result",
    "is_review",
    "is_target",
    "named_year",
    "plan_counts",
]


def _alternation(words: Sequence[str]) -> str:
    """Regex alternation of literal ``words``, longest first so that 不低于 wins over 低于."""
    return "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))


COMPARATORS: Final = MappingProxyType(
    {
        **dict.fromkeys(
            (
                "不低于", "不少于", "不小于", "达到", "达",
                "提高到", "提高至", "提升到", "提升至", "增加到", "增加至", "增至",
                "保持在", "稳定在", "维持在",
                # change verbs: the value is the size of the change (下降25%以上 → >= 25)
                "下降", "降低", "减少", "削减", "上升", "提高", "提升", "增加", "增长",
            ),
            ">=",
        ),
        **dict.fromkeys(
            (
                "不高于", "不超过", "不大于", "低于", "小于", "少于", "控制在",
                "下降到", "下降至", "降低到", "降低至", "降到", "降至", "减少到", "减少至", "减至",
            ),
            "<=",
        ),
        # exceeding words are strict: 超过25% is more than 25%
        **dict.fromkeys(("高于", "大于", "超过"), ">"),
    }
)  # fmt: skip
LEVEL_WORDS: Final = frozenset({"保持在", "稳定在", "维持在"})
"""Comparator words naming a level to hold rather than a direction: ``>=`` for an indicator
where higher is better, ``<=`` where lower is better (劣V类水体比例保持在1.4%)."""
LOWER_IS_BETTER: Final = re.compile(
    r"劣V类|浓度|污染天|超标|黑臭|排放(?:总)?量|能耗|煤炭消费|用水总量|发生率|事件|死亡率|密度"
)
"""Subjects where lower is better, for a value bound to no indicator the registry knows the
direction of (declared list)."""
SUFFIXES: Final = MappingProxyType(
    {"以上": ">=", "及以上": ">=", "以内": "<=", "以下": "<=", "及以下": "<=", "左右": "="}
)
ZERO_MARKERS: Final = ("彻底消除", "基本消除", "消除", "不得出现", "不出现", "杜绝")
UNITS: Final = MappingProxyType(
    {
        "%": "%", "个百分点": "pp", "百分点": "pp",
        "微克/立方米": "µg/m³", "µg/m³": "µg/m³", "μg/m³": "µg/m³", "µg/m3": "µg/m³",
        "μg/m3": "µg/m³", "ug/m3": "µg/m³",
        "毫克/升": "mg/L", "mg/L": "mg/L", "mg/l": "mg/L", "厘米": "cm", "cm": "cm",
        "千米": "km", "公里": "km", "平方公里": "km²",
        "万千瓦": "万千瓦", "亿立方米": "亿立方米", "万立方米": "万立方米", "立方米": "立方米",
        "万公顷": "万公顷", "公顷": "公顷", "万亩": "万亩", "亩": "亩", "万吨": "万吨", "吨": "吨",
        "天": "天", "个": "个", "项": "项", "家": "家", "座": "座", "条": "条", "件": "件",
        "万公里": "万公里", "亿亩": "亿亩", "万辆": "万辆", "辆": "辆", "处": "处",
        "万立方米/日": "万立方米/日", "万吨/日": "万吨/日", "万吨/天": "万吨/日",
        "平方米": "m²",
    }
)  # fmt: skip

SPLIT_WORDS: Final = (
    "国家", "专家", "事件", "条件", "软件", "事项", "专项", "今天", "明天", "当天",
)  # fmt: skip
"""Words whose second character is a measure word (家, 件, 项, 天) and whose first character
ends few other words. One digit between their two characters (建设国1家和6个中心) is a digit a
copy injected into the word, not a count. Words whose first character often ends another word
before a real count are left out (调整1个, 建好1处, 关停电厂1家, 发文1件); 全国1家 would still
read as 国家: a known ambiguity."""
_SPLIT_WORD: Final = "|".join(
    rf"(?<={re.escape(word[0])})\d{re.escape(word[1])}" for word in SPLIT_WORDS
)
_NUMBER: Final = (
    rf"(?:(?<![\dA-Za-z.\-—~〔［\[])(?!{_SPLIT_WORD})\d+(?:\.\d+)?(?![\d.])(?![年月日号])"
    r"(?![\-—~]\d)"
    # a Chinese numeral counts as a value only before a unit (一百个, 一千公里), never alone
    r"|(?<!第)[一二两三四五六七八九][十百千][零一二三四五六七八九十百千]*(?=\s?(?:[个处项家座条万]|公里)))"
)
_VALUE: Final = re.compile(rf"(?P<num>{_NUMBER})(?P<unit>{_alternation(list(UNITS))})?")
_VALUE_SOURCE: Final = rf"{_NUMBER}(?:{_alternation(list(UNITS))})?"
_QUANTITY: Final = re.compile(
    rf"(?P<zero>{_alternation(ZERO_MARKERS)}|^无(?=[\u4e00-\u9fff]))"
    rf"|(?P<ranked>排名[^，。；]{{0,6}}?前(?P<rank>\d{{1,3}}|[一二三四五六七八九十]{{1,3}})(?:名|位)?)"
    rf"|(?P<pre>{_alternation(list(COMPARATORS))})?[“\"]?(?:[一二三四五六七八九十两]个)?"
    rf"(?P<values>{_VALUE_SOURCE}(?:[、和]{_VALUE_SOURCE})*)[”\"]?"
    rf"(?P<post>{_alternation(list(SUFFIXES))})?"
)
_TRAILING: Final = '”"）》 '
WORK_VERBS: Final = re.compile(
    r"新建|新增|改建|扩建|建设|建成(?!区)|建立|改造|开展|实施|创建|打造|培育|整治|修复|淘汰|关停"
)
"""Verbs of work to be done: a count with its unit after one in the same clause (建设200个示范县,
新增污水处理能力2000万立方米/日) is a quantity the plan sets, not a number that only describes."""


@dataclass(frozen=True)
class Indicator:
    """One row of the indicator table: key, pattern and the units a value may carry.

    The pattern's named group ``a`` (else the whole match) is the anchor: two indicators never
    claim overlapping anchors in one clause, and targets come out in anchor order. An empty
    ``units`` accepts any unit; ``None`` in it accepts a value without unit.
    """

    key: str
    pattern: re.Pattern[str]
    units: frozenset[str | None]

    def accepts(self, unit: str | None) -> bool:
        """Whether a value in ``unit`` can measure this indicator."""
        return not self.units or unit in self.units


def _indicator(key: str, pattern: str, *units: str | None) -> Indicator:
    """Table row builder: compile ``pattern`` and freeze ``units``."""
    return Indicator(key, re.compile(pattern), frozenset(units))


_PM25: Final = r"(?:PM2\.5|细颗粒物)(?:（PM2\.5）)?"
_HAZARDOUS: Final = r"(?P<a>危险废物|危废)"

# Order matters: the first row whose anchor is free claims it.
INDICATORS: Final = (
    _indicator(
        "air.county_pm25_attainment_share",
        rf"县级(?:以上)?城市.{{0,6}}?(?P<a>{_PM25}).{{0,4}}达标",
        "%",
    ),
    _indicator("air.pm25_annual_mean", rf"(?P<a>{_PM25})(?:[^，。；]{{0,6}}?浓度)?", "µg/m³"),
    _indicator(
        "air.good_day_ratio",
        r"优良天数比[率例]?|空气(?:质量)?(?:优良|达标)率|(?<![水质体域面])优良率|优良天数",
        "%",
        "天",
    ),
    _indicator("air.heavy_pollution_days", r"重(?:度及以上)?污染天(?:数|气)?", "天", None),
    _indicator("air.city_rank", r"排名", None),
    _indicator("air.clean_air_zone_city_share", r"清新空气示范区", "%"),
    _indicator(
        "water.coastal_good_share", r"(?P<a>近岸海域)[^，。；]{0,8}?(?:优良|一、二类|I、II类)", "%"
    ),
    _indicator("water.count_worse_than_V", r"劣V类", None, "个"),
    _indicator(
        "water.drinking_source_compliance",
        r"(?P<a>饮用水(?:水)?源|水源地)[^，。；]{0,10}?(?:达标|优良)",
        "%",
    ),
    _indicator(
        "water.share_I_III",
        r"I\s*[—\-~至到]+\s*III类|(?:达到或)?[优好]于III类|III类(?:及)?以上"
        r"|(?:断面|水体)[^，。；]{0,6}?优良(?:水质)?(?:比例|比率)?|断面水质优良",
        "%",
    ),
    _indicator("water.function_zone_compliance", r"(?P<a>功能区)[^，。；]{0,4}?(?:比例|达标)", "%"),
    _indicator("water.assessed_section_compliance", r"(?P<a>考核断面)[^，。；]{0,4}?达标", "%"),
    _indicator("water.outflow_section_compliance", r"(?P<a>出境断面)[^，。；]{0,4}?达标", "%"),
    _indicator("water.river_suspended_solids", r"悬浮物", "mg/L"),
    _indicator("water.transparency", r"能见度|透明度", "cm"),
    _indicator("water.total_use", r"用水总量"),
    _indicator("water.sewage_treatment_rate", r"污水处理率", "%"),
    _indicator("water.reclaimed_use_rate", r"再生水利用率|污水资源化利用率", "%"),
    _indicator(
        "soil.polluted_farmland_safe_use_rate", r"(?P<a>受污染耕地)[^，。；]{0,12}?安全利用", "%"
    ),
    _indicator(
        "soil.contaminated_site_safe_use_rate",
        r"(?P<a>污染地块|建设用地)[^，。；]{0,12}?安全利用",
        "%",
    ),
    _indicator(
        "waste.hazardous_utilisation_disposal_rate",
        rf"{_HAZARDOUS}[^，。；]{{0,6}}?(?:利用处置率|处置利用率)",
        "%",
    ),
    _indicator(
        "waste.hazardous_harmless_disposal_rate", rf"{_HAZARDOUS}[^，。；]{{0,10}}?无害化", "%"
    ),
    _indicator(
        "waste.hazardous_standardised_management_rate",
        rf"{_HAZARDOUS}[^，。；]{{0,6}}?规范化管理",
        "%",
    ),
    _indicator("waste.sludge_harmless_disposal_rate", r"(?P<a>污泥)[^，。；]{0,10}?无害化", "%"),
    _indicator("waste.medical_disposal_rate", r"(?P<a>医疗废物)[^，。；]{0,6}?处置率", "%"),
    _indicator("eco.forest_coverage", r"森林覆盖率", "%"),
    _indicator("eco.plain_tree_coverage", r"平原林木覆盖率", "%"),
    _indicator("eco.forest_stock_area", r"森林保有量", "万亩", "亩"),
    _indicator("eco.public_welfare_forest_area", r"公益林面积"),
    _indicator("eco.wetland_area", r"湿地(?:总)?面积"),
    _indicator("eco.wetland_protection_rate", r"湿地保护率", "%"),
    _indicator(
        "energy.natural_gas_share", r"天然气[^，。；]{0,4}?一次能源[^，。；]{0,6}?比重", "%"
    ),
    _indicator("energy.non_fossil_share", r"非化石能源", "%"),
    _indicator("energy.renewable_capacity", r"可再生能源装机", "万千瓦"),
    _indicator("energy.electricity_final_share", r"电力[^，。；]{0,4}?终端能源", "%"),
    _indicator(
        "emission.vocs_reduction",
        r"(?P<a>VOCs|挥发性有机物)[^，。；]{0,6}?排放量[^，。；]{0,8}?(?:下降|减少|削减)",
        "%",
    ),
    _indicator(
        "emission.heavy_metal_reduction",
        r"(?P<a>重金属)[^，。；]{0,8}?排放量[^，。；]{0,8}?(?:下降|减少|削减)",
        "%",
    ),
    _indicator(
        "emission.coal_consumption_reduction",
        r"(?P<a>煤炭消费总量)[^，。；]{0,8}?(?:下降|减少|削减)",
        "%",
    ),
    _indicator(
        "marine.floating_litter_density_reduction",
        r"(?P<a>海漂垃圾)[^，。；]{0,6}?密度[^，。；]{0,6}?(?:降低|下降|减少)",
        "%",
    ),
    _indicator("risk.major_environmental_incidents", r"重特大[^，。；]{0,4}?(?:环境|突发)", None),
    _indicator("rural.sanitary_toilet_coverage", r"卫生厕所普及率", "%"),
    _indicator("inspection.rectified_items", r"完成整改", "项"),
)

SCOPES: Final = re.compile(
    r"全省|全市|全县|全区|市域|全域|设区城市|设区市|县级以上城市|县以上城市|县级城市|县级以上|县以上"
    r"|中心城区|县区建成区|建成区|县城|建制镇|\d+个重点城市"
    r"|(?:省控|市控|县控|国控)(?:以上)?(?:断面)?|[\u4e00-\u9fff]{0,2}流域"
)
_SCOPE_JOINERS: Final = frozenset("、和及与")
_MODAL: Final = re.compile(
    r"力争|确保|努力|争取|进一步|分别|均|都|并|且|全部|基本|其中|要|(?:19|20)\d{2}年(?:底)?"
)
TARGET_HINTS: Final = re.compile(
    r"达到|达标|不低于|不高于|不超过|低于|高于|以上|以内|控制|消除|不得|不出现|下降|降低|减少"
    r"|提高|提升|上升|增加|稳中|(?:持续|稳步|明显|全面|不断)改善|保持|零增长|负增长|全覆盖"
    r"|建成|遏制|完成[^，。；]{0,20}(?:目标|任务)|率|比例|浓度"
)


# Target or result (目标还是成效): a sentence stating what was achieved is a result, whatever its
# verbs (降到, 达到); target language makes a sentence a target. Data, checked in this order:
# a sentence naming only years before the plan's own is a result; :data:`RESULT_LANGUAGE`
# without :data:`TARGET_LANGUAGE` is a result; :data:`TARGET_LANGUAGE` is a target.
# Strong target language names the intent or the deadline itself; the weak kind (a comparator
# word: 达到…以上, 保持在, 控制在…以内, 消除) also words results in a review (农用地安全利用率保持在
# 90%以上 in a bulletin), so there it takes a strong word or a future deadline to make a target.
STRONG_TARGET_LANGUAGE: Final = re.compile(
    r"目标|力争|确保|争取|要求|(?:要|需|应|将)(?=[达控实下降提完确力保稳减消])"
    r"|(?<!截)(?:到|至)(?:19|20)\d{2}年|(?:19|20)\d{2}年(?:底)?前|“?十[三四五]五”?(?:时期|期间|末)"
)
TARGET_LANGUAGE: Final = re.compile(
    rf"{STRONG_TARGET_LANGUAGE.pattern}|不低于|不高于|不超过|不少于|控制在"
    r"|(?<=[\d%天个项吨米])(?:以上|以内|以下|左右)|稳定在|保持在|消除"
)
RESULT_LANGUAGE: Final = re.compile(
    r"为\d|同比|已经?|了|实现|累计|均值|平均为|分别为|首次|(?:好于|超过|优于|高于|低于|超出)[^，。；]{0,6}目标"
)
# A clause whose value is a measurement (为29微克, 同比下降, 首次降到, 由60.4%) is a result unless
# it names the target it meets (…同比下降4%的改善目标).
# A target met (提前达到“十四五”规划目标, 超额完成…目标) is result language, not target language,
# unless the sentence quotes the target's value in it (超额完成…同比下降4%的改善目标).
TARGET_MET: Final = re.compile(
    r"(?:提前|超额|圆满|顺利|已经?)(?:达到|完成|实现)(?P<what>[^，。；\d]*?)目标(?:要求)?"
)
RESULT_CLAUSE: Final = re.compile(
    r"为\d|同比|首次|[由从]\d|累计(?![^，。；\d]{0,8}?(?:达到|不低于|不少于|控制在))"
)
_YEAR_NAMED: Final = re.compile(r"(?<![比较与同于])((?:19|20)\d{2})年(?!以来)")


def named_year(text: str) -> int | None:
    """The last year ``text`` names that is not a baseline (比2015年) nor a start (2015年以来)."""
    years = [int(year) for year in _YEAR_NAMED.findall(text)]
    return years[-1] if years else None


def future_deadline(text: str, first: int | None) -> int | None:
    """The latest deadline ``text`` names (到2020年, 十四五) that is not before ``first``."""
    deadline = latest(find_deadlines(text)) or period_end(text)
    if deadline is None or is_past(deadline.year, first):
        return None
    return deadline.year


def is_review(paragraphs: Sequence[str], plan_year: int | None) -> bool:
    """Whether a section reviews results (总结、公报): more of its sentences state results
    than state targets in strong target language."""
    found = [sentence for paragraph in paragraphs for sentence in sentences(paragraph)]
    results = sum(is_result(sentence, plan_year) for sentence in found)
    targets = sum(
        bool(STRONG_TARGET_LANGUAGE.search(s)) and not is_result(s, plan_year) for s in found
    )
    return results > targets


def is_past(year: int | None, plan_year: int | None) -> bool:
    """Whether ``year`` lies before the plan's year (what it names is a result)."""
    return year is not None and plan_year is not None and year < plan_year


def is_result(sentence: str, plan_year: int | None, context: int | None = None) -> bool:
    """Whether ``sentence`` states a result rather than a target: it names a year before the
    plan's (or follows one, ``context``, in its paragraph) or, naming none, a five-year period
    over before it (“十四五”时期…下降20% said in 2026), or it has result language without
    target language."""
    year = named_year(sentence)
    if year is None:
        period = period_end(sentence)
        year = period.year if period else context
    if is_past(year, plan_year):
        return True
    if TARGET_MET.search(sentence):
        return not TARGET_LANGUAGE.search(TARGET_MET.sub("", sentence))
    return bool(RESULT_LANGUAGE.search(sentence)) and not TARGET_LANGUAGE.search(sentence)


def is_target(sentence: str, plan_year: int | None, context: int | None = None) -> bool:
    """Whether ``sentence`` states a target: target language and no sign of a result."""
    return not is_result(sentence, plan_year, context) and bool(TARGET_LANGUAGE.search(sentence))


@dataclass(frozen=True)
class _Quantity:
    """One value group found in a clause: its span, comparator, values and unit."""

    start: int
    end: int
    comparator: str
    values: tuple[float, ...]
    unit: str | None
    explicit: bool = True  # the comparator is written, not the default ">="
    level: bool = False  # a level word (保持在) without suffix: the direction decides it


def _number(text: str) -> float:
    """A decimal string as int when integral (90) and float otherwise (87.5); a Chinese
    numeral (一百) as its int."""
    if text.isascii():
        return float(text) if "." in text else int(text)
    return chinese_numeral(text) or 0


def _quantity(match: re.Match[str], clause: str) -> _Quantity | None:
    """The quantity a match of :data:`_QUANTITY` denotes, or None for a stray bare number."""
    start, end = match.span()
    if match.group("zero"):
        return _Quantity(start, end, "=", (0,), None)
    if match.group("ranked"):
        rank = match.group("rank")
        value = int(rank) if rank.isdigit() else chinese_numeral(rank)
        return None if value is None else _Quantity(start, end, "<=", (value,), None)
    found = list(_VALUE.finditer(match.group("values")))
    units = [UNITS[m.group("unit")] if m.group("unit") else None for m in found]
    pre, post = match.group("pre"), match.group("post")
    # a number ending an item after its subject (…达到90个); alone it is a list number (3。)
    ends_item = not clause[end:].strip(_TRAILING) or clause[end:].startswith("、")
    ends_item = ends_item and bool(clause[:start].strip())
    # a count of work with its unit (建设200个); a bare number after a work verb is a name
    # (实施“1861”工程) or a size class (淘汰35蒸吨/小时以下锅炉)
    planned = any(units) and bool(WORK_VERBS.search(clause[:start]))
    if not pre and not post and "%" not in units and not ends_item and not planned:
        return None  # a count such as "168个重点城市", not a target value
    comparator = SUFFIXES[post] if post else COMPARATORS[pre] if pre else ">="
    unit = next((u for u in reversed(units) if u is not None), None)
    values = tuple(_number(m.group("num")) for m in found)
    level = pre in LEVEL_WORDS and not post
    return _Quantity(start, end, comparator, values, unit, bool(pre or post), level)


def _quantities(clause: str) -> list[_Quantity]:
    """The quantities of a clause, left to right."""
    found = (_quantity(match, clause) for match in _QUANTITY.finditer(clause))
    return [quantity for quantity in found if quantity is not None]


_Named = tuple[int, int, Indicator | None]  # anchor span and indicator (None: unmapped item)


def _match_indicators(text: str, unit: str | None) -> list[tuple[int, int, Indicator]]:
    """Indicators named in ``text`` that accept ``unit``, as (anchor start, end, row), in order."""
    claimed: list[tuple[int, int, Indicator]] = []
    for row in INDICATORS:
        if not row.accepts(unit):
            continue
        for match in row.pattern.finditer(text):
            start, end = match.span("a") if "a" in row.pattern.groupindex else match.span()
            if all(end <= s or start >= e for s, e, _ in claimed):
                claimed.append((start, end, row))
                break
    return sorted(claimed, key=lambda item: item[0])


def bind_indicator(subject: str, unit: str | None) -> Indicator | None:
    """The one indicator ``subject`` names that accepts ``unit``, None for none or several."""
    named = _match_indicators(subject, unit)
    return named[0][2] if len(named) == 1 else None


def _scopes(text: str) -> list[tuple[int, int]]:
    """Spans of the scopes named in ``text``; adjacent ones joined by 、和及与 form one."""
    runs: list[tuple[int, int]] = []
    for match in SCOPES.finditer(text):
        gap = text[runs[-1][1] : match.start()] if runs else None
        if gap is not None and all(char in _SCOPE_JOINERS for char in gap):
            runs[-1] = (runs[-1][0], match.end())
        else:
            runs.append(match.span())
    return runs


def _scope_between(text: str, start: int, end: int) -> str | None:
    """The last scope of ``text`` opening in ``[start, end)``, or None."""
    runs = [run for run in _scopes(text) if start <= run[0] < end]
    return text[runs[-1][0] : runs[-1][1]] if runs else None


def _is_subjectless(text: str) -> bool:
    """Whether ``text`` (before a value) holds nothing but modal words and scopes."""
    return not SCOPES.sub("", _MODAL.sub("", text)).strip()


def _clause_targets(
    clause: str, year: int | None, carry: list[Indicator], *, keep_unmapped: bool
) -> Iterator[Target]:
    """Targets of one clause; ``carry`` holds the single indicator of the clause before."""
    found = _quantities(clause)
    if not found:
        if keep_unmapped and TARGET_HINTS.search(clause):
            scope = _scope_between(clause, 0, len(clause))
            yield Target(None, None, None, None, scope, year, clause, "low")
        return
    carried = list(carry)
    carry.clear()
    bounds = [0, *(q.end for q in found)]
    for index, quantity in enumerate(found):
        start, stop = bounds[index], found[index + 1].start if index + 1 < len(found) else None
        segment = clause[start : quantity.end]
        named = _match_indicators(segment, quantity.unit)
        if not named:
            segment = clause[start:stop]
            named = _match_indicators(segment, quantity.unit)
        subjectless = _is_subjectless(clause[start : quantity.start])
        if not named and subjectless and len(carried) == 1 and carried[0].accepts(quantity.unit):
            named = [(len(segment), len(segment), carried[0])]
        text = segment.strip("，、 ")
        if len(named) == 1:
            carry.append(named[0][2])
        pairs: list[_Named] = list(named)
        if len(quantity.values) > 1 and len(named) != len(quantity.values):
            pairs = _listed(segment, quantity.start - start, quantity) or pairs
        yield from _assign(quantity, pairs, segment, text, year, keep_unmapped=keep_unmapped)


_LIST_SEPARATOR: Final = re.compile(r"、(?![^（]*）)")  # not inside brackets
_EACH: Final = re.compile(r"(?:分别|均|都)$")


def _listed(segment: str, value_start: int, quantity: _Quantity) -> list[_Named] | None:
    """Indicators of an enumerated subject (``A、B…分别控制在X和Y``): one per listed item when
    the items are as many as the values, each item bound to its own indicator or, for one the
    table does not know, an unmapped placeholder (``None``); else None."""
    subject = _EACH.sub("", segment[:value_start].rstrip("，、 "))
    cuts = [0, *(m.end() for m in _LIST_SEPARATOR.finditer(subject)), len(subject) + 1]
    items = [(cuts[i], cuts[i + 1] - 1) for i in range(len(cuts) - 1)]
    if len(items) != len(quantity.values):
        return None
    named: list[_Named] = []
    for item_start, item_end in items:
        found = _match_indicators(subject[item_start:item_end], quantity.unit)
        row = found[0][2] if len(found) == 1 else None
        named.append((item_start + (found[0][0] if found else 0), item_end, row))
    return named


@cache
def _registry_lower_is_better() -> dict[str, bool]:
    """Whether lower is better, by indicator key, from the platform's indicator registry."""
    from ecogov.platform.indicators import registry

    return {key: not indicator.higher_is_better for key, indicator in registry().items()}


def _comparator(quantity: _Quantity, row: Indicator | None, subject: str) -> str:
    """The comparator of a value: a level word reads ``<=`` for an indicator where lower is
    better (the registry's direction, else :data:`LOWER_IS_BETTER` in its subject text)."""
    return direction_comparator(row, subject) if quantity.level else quantity.comparator


def direction_comparator(row: Indicator | None, subject: str) -> str:
    """The comparator of a level with no direction written: ``<=`` for an indicator where lower
    is better (the registry's direction, else :data:`LOWER_IS_BETTER` in ``subject``), else
    ``>=``."""
    known = _registry_lower_is_better().get(row.key) if row else None
    lower = known if known is not None else bool(LOWER_IS_BETTER.search(subject))
    return "<=" if lower else ">="


def _assign(
    quantity: _Quantity,
    named: list[_Named],
    segment: str,
    text: str,
    year: int | None,
    *,
    keep_unmapped: bool,
) -> Iterator[Target]:
    """Targets pairing indicators with values: one each, one for all, or unmapped per value."""
    values = quantity.values
    if named and len(values) in (1, len(named)):
        # a scope before the first indicator is shared by the list (全市A、B…), else each
        # indicator takes the scope between the indicator before it and its own anchor
        shared = _scope_between(segment, 0, named[0][0])
        floor = 0
        for index, (anchor, end, row) in enumerate(named):
            value = values[0] if len(values) == 1 else values[index]
            scope = _scope_between(segment, floor, anchor) or shared
            floor = end
            if row is not None or keep_unmapped:
                key = row.key if row else None
                sure = "high" if row and quantity.explicit else "low"
                comparator = _comparator(quantity, row, segment[anchor:end])
                yield Target(key, comparator, value, quantity.unit, scope, year, text, sure)
    elif keep_unmapped:
        scope = _scope_between(segment, 0, len(segment))
        comparator = _comparator(quantity, None, segment)
        for value in values:
            yield Target(None, comparator, value, quantity.unit, scope, year, text, "low")


# Counts of a rectification plan's work (整改任务数): data, see the module docstring.
RECTIFICATION_KEY: Final = "inspection.rectified_items"
_RECTIFY: Final = re.compile(r"整改")
_COUNT_NUMBER: Final = (
    r"(?<![\d.])(?:\d+|[一二两三四五六七八九十百千]*[十百千][一二三四五六七八九]?)"
)
_COUNT_ITEM: Final = r"任务|措施|事项|问题"
_PLAN_COUNT: Final = re.compile(
    rf"(?:整改(?P<i1>{_COUNT_ITEM})(?:共|合计|总计|计)?(?P<n1>{_COUNT_NUMBER})(?P<u1>项|个|条))"
    rf"|(?:(?P<n2>{_COUNT_NUMBER})(?P<u2>项|个|条)[^，。；、\d]{{0,8}}?(?P<i2>{_COUNT_ITEM}))"
)
"""A count of rectification items: ``整改任务2164项`` or ``375项整改任务``, ``37项具体问题``.
A count of measures (整改措施120条) is finer than the indicator's problems: it stands for them
only where the sentence counts nothing else (共梳理问题37个，制定整改措施120条 → 37)."""
MEASURES: Final = "措施"
COUNT_RESULT: Final = re.compile(r"已|完成率|累计|正在|办结|销号|到位|剩余|其余")
"""Words making a clause's count one of work done (已完成1275项), not of work to do."""
_THIS_YEAR: Final = re.compile(r"今年|年内|本年度?|当年")
_BREAKDOWN: Final = re.compile(r"^其中")
_BREAKDOWN_ITEM: Final = re.compile(
    rf"(?P<scope>[^、，和及\d]{{1,8}}?)(?P<n>{_COUNT_NUMBER})(?P<unit>项|个|条)"
)


def _count_value(text: str) -> int | None:
    """An item count written in digits (37) or Chinese numerals (三十七)."""
    return int(text) if text.isdigit() else chinese_numeral(text)


def _counts_of(clause: str, year: int | None) -> list[tuple[Target, bool]]:
    """The rectification counts one clause states as work to do (none for work done), each
    with whether it counts measures (整改措施) rather than problems or tasks."""
    if not _RECTIFY.search(clause) or COUNT_RESULT.search(clause):
        return []
    found: list[tuple[Target, bool]] = []
    for match in _PLAN_COUNT.finditer(clause):
        value = _count_value(match.group("n1") or match.group("n2"))
        if value:
            unit = match.group("u1") or match.group("u2")
            scope = _scope_between(clause, 0, match.start())
            target = Target(RECTIFICATION_KEY, ">=", value, unit, scope, year, clause, "low")
            found.append((target, (match.group("i1") or match.group("i2")) == MEASURES))
    return found


def _breakdown(clause: str, total: Target) -> list[Target]:
    """``其中北京47项、上海46项`` after a count: one target per named part, same unit."""
    if not _BREAKDOWN.search(clause):
        return []
    parts: list[Target] = []
    for match in _BREAKDOWN_ITEM.finditer(_BREAKDOWN.sub("", clause)):
        value = _count_value(match.group("n"))
        if value and match.group("unit") == total.unit:
            scope = match.group("scope").strip("：，、 ")
            parts.append(replace(total, value=value, scope=scope or None, text=clause))
    return parts


def plan_counts(
    sentence: str, plan_year: int | None, first: int | None
) -> tuple[list[Target], set[int]]:
    """Targets of the rectification counts of ``sentence`` and the indices of its clauses
    they come from (the generic reading skips those).

    A count's year is the deadline its clause or an earlier clause of the sentence names, or
    ``plan_year`` where it says 今年 / 年内, else ``None``: a year named elsewhere in the text
    (the date of the inspection, of the feedback) is no deadline of the plan's items. A count
    under a past year (2018年完成整改任务37项 said in 2019) is a result.
    """
    found: list[tuple[Target, bool]] = []
    claimed: set[int] = set()
    year: int | None = None
    total: tuple[Target, bool] | None = None  # the count a 其中 clause breaks down
    for index, clause in enumerate(clauses(sentence)):
        deadline = latest(find_deadlines(clause))
        year = deadline.year if deadline else plan_year if _THIS_YEAR.search(clause) else year
        counted = [] if is_past(year, first) else _counts_of(clause, year)
        parts = [(p, total[1]) for p in _breakdown(clause, total[0])] if total else []
        total = counted[-1] if counted else None
        if counted or parts:
            found.extend(counted or parts)
            claimed.add(index)
    problems = not all(measures for _, measures in found)
    return [target for target, measures in found if not (problems and measures)], claimed


Baselines = dict[tuple[str, int], tuple[float, str | None]]
"""Results kept as context: (indicator, year) → (value, unit) measured in an earlier sentence."""
_CHANGE_FROM: Final = re.compile(
    r"较(?P<year>(?:19|20)\d{2})年[^，。；、\d]{0,4}?(?P<way>上升|提高|增加|提升|下降|减少|降低)"
)
_UP: Final = frozenset({"上升", "提高", "增加", "提升"})


def _record(sentence: str, year: int | None, baselines: Baselines) -> None:
    """Keep the bound values a result ``sentence`` measures for ``year`` (2015年，…优良率70.7%)."""
    if year is None:
        return
    carry: list[Indicator] = []
    for clause in clauses(sentence):
        for found in _clause_targets(clause, year, carry, keep_unmapped=False):
            if found.indicator and found.value is not None and not _CHANGE_FROM.search(clause):
                baselines[(found.indicator, year)] = (found.value, found.unit)


def _against_baseline(clause: str, year: int | None, baselines: Baselines) -> Iterator[Target]:
    """Targets of items without a value that ask for a change from a year whose result the
    document gave (空气质量达标率较2015年上升 after 2015年…优良率70.7% → ``> 70.7``)."""
    for item in clause.split("、"):
        change = _CHANGE_FROM.search(item)
        if change is None or _quantities(item):
            continue
        for row in INDICATORS:
            if not row.pattern.search(item[: change.start()]):
                continue
            base = baselines.get((row.key, int(change.group("year"))))
            if base is not None and row.accepts(base[1]):
                comparator = ">" if change.group("way") in _UP else "<"
                scope = _scope_between(item, 0, len(item))
                yield Target(row.key, comparator, base[0], base[1], scope, year, item, "low")
            break


def extract_targets(
    paragraph: str,
    default_year: int | None,
    *,
    keep_unmapped: bool = True,
    stated_only: bool = False,
    since: int | None = None,
    section_year: int | None = None,
    review: bool = False,
    baselines: Baselines | None = None,
) -> list[Target]:
    """Targets of one normalised paragraph.

    The year of a target is the deadline its clause names, else the last one named earlier in
    the paragraph (``2020年，…；…``), else ``section_year`` (a deadline named in an earlier
    paragraph of the section: ``到2020年，…`` / ``PM2.5浓度下降18%以上``), else
    ``default_year``. With ``keep_unmapped`` false only targets bound to an indicator are
    returned (for task text, where unbound numbers are mostly counts of work, not targets).
    Sentences that state results give none; with ``stated_only`` (running text outside goal
    paragraphs) only sentences in target language give targets, or any sentence not a result
    under a carried ``section_year``; in a ``review`` section weak target language (达到,
    保持在…以上) needs a strong word or a future deadline too. Years before ``since`` (the
    plan's first year, else ``default_year``) are past: what a sentence or clause names for
    them is a result. Results bound to an indicator are kept in ``baselines`` (shared by the
    paragraphs of a document): a later item asking for a change from that year without a value
    (较2015年上升) becomes a target against it.
    """
    kept: Baselines = {} if baselines is None else baselines
    first = since if since is not None else default_year
    targets: list[Target] = []
    year = section_year or default_year
    context: int | None = None  # the last year the paragraph names
    for sentence in sentences(paragraph):
        skip = is_result(sentence, first, context) or (
            stated_only and not _stated(sentence, first, context, section_year, review=review)
        )
        context = named_year(sentence) or context
        counts, claimed = plan_counts(sentence, default_year, first)
        targets.extend(counts)
        if skip:
            _record(sentence, named_year(sentence), kept)
            continue
        carry: list[Indicator] = []
        # a deadline named in the sentence and target words in it make a bound target sure
        sure = bool(find_deadlines(sentence) or period_end(sentence))
        sure = sure and bool(TARGET_LANGUAGE.search(sentence))
        for index, clause in enumerate(clauses(sentence)):
            deadline = latest(find_deadlines(clause)) or period_end(clause)
            year = deadline.year if deadline else year
            if index in claimed:
                continue
            found = list(_clause_targets(clause, year, carry, keep_unmapped=keep_unmapped))
            against = list(_against_baseline(clause, year, kept))
            if against:  # the clause's values now come from its baselines, not kept as text
                found = [t for t in found if t.value is not None] + against
            measured = RESULT_CLAUSE.search(clause) and "目标" not in clause
            if not measured and not is_past(named_year(clause), first):  # 2020年要达到… in 2021
                targets.extend(t if sure else replace(t, confidence="low") for t in found)
    return targets


def _stated(
    sentence: str, first: int | None, context: int | None, section_year: int | None, *, review: bool
) -> bool:
    """Whether a sentence of running text (not a goal paragraph) states a target."""
    strong = STRONG_TARGET_LANGUAGE.search(sentence) or future_deadline(sentence, first)
    if review and not strong:
        return False
    return section_year is not None or is_target(sentence, first, context)
