"""《企业环境信用评价办法（试行）》 (环发〔2013〕150号; GOVERNANCE.md §2.1) as data.

The national method scores weighted indicators; here each indicator has its maximum ``points``
(its weight × 100) and a ``deduction`` per recorded event, so that every point lost is traced to
an evidence record. Veto items (一票否决) grade the enterprise red whatever its score.

Tags: the grades, colours and veto items are [2] (CR-1, CR-2, CR-3, CR-5, CR-6); the five
weights read in 附件1 are [1] (CR-7); the score → grade thresholds are **not confirmed** for the
national method (open question 5) — the defaults are Anqing's [U]/[1] (CR-AQ); deductions per
event and the platform-evidence indicators filling the other points are [D]; which platform
record counts for which indicator (:data:`EVIDENCE_MAPPINGS`) is [D] with the clause it reads.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass
from typing import Final

__all__ = [
    "CREDIT_BASIS",
    "EVIDENCE_MAPPINGS",
    "NATIONAL_METHOD",
    "CreditMethod",
    "EvidenceMapping",
    "Grade",
    "Indicator",
    "Veto",
    "map_evidence",
]

CREDIT_BASIS: Final = "《企业环境信用评价办法（试行）》（环发〔2013〕150号）"


@dataclass(frozen=True, slots=True)
class Grade:
    """A credit grade: its key, Chinese name, colour and the lowest total score that earns it."""

    key: str
    name_zh: str
    colour_zh: str
    colour: str
    min_score: float
    source: str


@dataclass(frozen=True, slots=True)
class Indicator:
    """A scored indicator: ``points`` at most, ``deduction`` lost per event (never below 0)."""

    key: str
    name_zh: str
    area_zh: str
    points: float
    deduction: float
    source: str


@dataclass(frozen=True, slots=True)
class Veto:
    """A veto item (一票否决): one event in the period grades the enterprise ``grade``."""

    key: str
    name_zh: str
    grade: str
    source: str


@dataclass(frozen=True, slots=True)
class EvidenceMapping:
    """Which credit indicator (and which risk-score kind) a kind of platform record counts for.

    ``pattern`` matches the record's kind (``fnmatch``: ``waste.*``); the first mapping that
    matches wins. ``indicator`` is an indicator or veto key of the method; ``risk_kind`` a
    weight of the targeting rules ("" when the record does not count for risk).
    """

    pattern: str
    indicator: str
    risk_kind: str
    name_zh: str
    source: str


@dataclass(frozen=True, slots=True)
class CreditMethod:
    """A complete credit method: grades (best first), indicators and veto items."""

    name: str
    basis: str
    grades: tuple[Grade, ...]
    indicators: tuple[Indicator, ...]
    vetoes: tuple[Veto, ...]
    evidence: tuple[EvidenceMapping, ...] = ()

    @property
    def max_score(self) -> float:
        """The score of an enterprise without any event."""
        return sum(i.points for i in self.indicators)

    def grade(self, key: str) -> Grade:
        """The grade ``key`` (KeyError when the method has none)."""
        return next(g for g in self.grades if g.key == key)


_GRADES: Final = (
    Grade("green", "环保诚信企业", "绿牌", "#2e7d32", 95.0, "[2] CR-1,CR-2,CR-3; 阈值 [U] CR-AQ"),
    Grade("blue", "环保良好企业", "蓝牌", "#1565c0", 80.0, "[2] CR-1,CR-2,CR-3; 阈值 [U] CR-AQ"),
    Grade("yellow", "环保警示企业", "黄牌", "#f9a825", 60.0, "[2] CR-1,CR-2,CR-3; 阈值 [U] CR-AQ"),
    Grade("red", "环保不良企业", "红牌", "#c62828", 0.0, "[2] CR-1,CR-2,CR-3; 阈值 [U] CR-AQ"),
)

_POLLUTION, _ECOLOGY, _MANAGEMENT, _SOCIAL = "污染防治", "生态保护", "环境管理", "社会监督"

_INDICATORS: Final = (
    Indicator(
        "discharge_compliance",
        "大气及水污染物达标排放",
        _POLLUTION,
        15,
        5,
        "[1] CR-7 权重15%; 扣分 [D]",
    ),
    Indicator(
        "general_solid_waste",
        "一般固体废物处理处置",
        _POLLUTION,
        5,
        2.5,
        "[1] CR-7 权重5%; 扣分 [D]",
    ),
    Indicator(
        "hazardous_waste", "危险废物规范化管理", _POLLUTION, 5, 2.5, "[1] CR-7 权重5%; 扣分 [D]"
    ),
    Indicator("noise", "噪声污染防治", _POLLUTION, 4, 2, "[1] CR-7 权重4%; 扣分 [D]"),
    Indicator(
        "siting_ecology", "选址布局中的生态保护", _ECOLOGY, 2, 2, "[1] CR-7 权重2%; 扣分 [D]"
    ),
    Indicator(
        "monitoring_data", "自动监测数据真实有效", _POLLUTION, 15, 5, "[D] HJ 212 数据异常/造假"
    ),
    Indicator("online_device", "自动监测设备正常运行", _POLLUTION, 6, 1, "[D] HJ 212 设备离线"),
    Indicator("emission_permit", "排污许可证执行", _MANAGEMENT, 10, 5, "[D]"),
    Indicator("administrative_penalty", "环境行政处罚", _MANAGEMENT, 12, 6, "[D] CR-5 范围含罚款"),
    Indicator("penalty_execution", "处罚决定履行", _MANAGEMENT, 6, 6, "[D]"),
    Indicator("rectification", "整改按期完成", _MANAGEMENT, 8, 4, "[D]"),
    Indicator("disclosure", "环境信息依法披露", _SOCIAL, 6, 3, "[D] 令第24号"),
    Indicator("verified_complaint", "经查实的群众投诉", _SOCIAL, 6, 2, "[D]"),
)

_VETOES: Final = tuple(
    Veto(key, name, "red", "[2] CR-5,CR-6")
    for key, name in (
        ("environmental_crime", "环境违法犯罪"),
        ("no_eia", "未批先建（环评未批准擅自开工建设）"),
        ("no_acceptance", "环保设施未验收即投入生产"),
        ("major_change_no_eia", "重大变动未重新报批环评"),
        ("total_load_exceedance", "超过重点污染物排放总量控制指标"),
        ("bypass_discharge", "通过暗管、渗井、渗坑或不正常运行防治设施等逃避监管排污"),
        ("illegal_hazardous_waste", "非法处置危险废物或交无资质单位"),
    )
)

EVIDENCE_MAPPINGS: Final = (
    EvidenceMapping(
        "hj212.finding:missing",
        "online_device",
        "offline_device",
        "在线监测数据缺失（设备离线）",
        "[D] HJ 212-2017 数据传输；HJ 75-2017 有效数据率 → 指标“自动监测设备正常运行”",
    ),
    EvidenceMapping(
        "hj212.finding*",
        "monitoring_data",
        "data_fraud",
        "在线监测数据异常（疑似造假）",
        "[D] 环发〔2013〕150号 附件1“自动监控”；两高法释〔2016〕29号 第一条第（七）项",
    ),
    EvidenceMapping(
        "hj212.exceedance*",
        "discharge_compliance",
        "online_exceedance",
        "在线监测超标排放",
        "[1] CR-7 大气及水污染物达标排放（权重15%）；超标事件来自 HJ 212 在线数据",
    ),
    EvidenceMapping(
        "waste.*",
        "hazardous_waste",
        "waste_finding",
        "危险废物全过程监管发现",
        "[1] CR-7 危险废物规范化管理（权重5%）；《危险废物转移管理办法》（部令第23号）",
    ),
    EvidenceMapping(
        "enforcement.penalty",
        "administrative_penalty",
        "prior_penalty",
        "行政处罚决定",
        "[2] CR-5 评价范围含受到环境行政处罚；《生态环境行政处罚办法》（部令第30号）",
    ),
    EvidenceMapping(
        "enforcement.penalty_unexecuted",
        "penalty_execution",
        "",
        "处罚决定逾期未履行",
        "[D] 行政处罚法第六十七条（15日内缴纳罚款）、第七十二条",
    ),
    EvidenceMapping(
        "plans.rectification_overdue",
        "rectification",
        "overdue_rectification",
        "整改事项逾期未完成",
        "[D] 问题“闭环管控”：整改事项超过整改期限未销号",
    ),
    EvidenceMapping(
        "complaints.verified",
        "verified_complaint",
        "verified_complaint",
        "经查实的群众投诉",
        "[D] 环发〔2013〕150号 附件1“社会监督”；信访投诉领域提供记录",
    ),
)
"""Platform records → credit indicator and risk kind, in match order (first match wins)."""


def map_evidence(mappings: tuple[EvidenceMapping, ...], kind: str) -> EvidenceMapping | None:
    """The first mapping whose pattern matches the record kind ``kind`` (None: not evidence)."""
    return next((m for m in mappings if fnmatch.fnmatchcase(kind, m.pattern)), None)


NATIONAL_METHOD: Final = CreditMethod(
    name="国家方法（环发〔2013〕150号）",
    basis=CREDIT_BASIS,
    grades=_GRADES,
    indicators=_INDICATORS,
    vetoes=_VETOES,
    evidence=EVIDENCE_MAPPINGS,
)
"""The default credit method; its indicator points sum to 100."""
