"""Risk-score weights for off-site targeting (非现场执法; issue 16 item 5) as data [D].

A score is the sum over evidence kinds of ``weight × min(events, cap)``; the credit grade adds a
fixed number of points. No regulation fixes these numbers: they are design choices a province
overrides in its rules file.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

__all__ = ["DEFAULT_TARGETING", "RiskWeight", "TargetingRules"]


@dataclass(frozen=True, slots=True)
class RiskWeight:
    """Points per event of one evidence kind, counting at most ``cap`` events."""

    kind: str
    name_zh: str
    weight: float
    cap: int


@dataclass(frozen=True, slots=True)
class TargetingRules:
    """Weights per evidence kind and points per credit grade."""

    weights: tuple[RiskWeight, ...]
    grade_points: dict[str, float]
    source: str


DEFAULT_TARGETING: Final = TargetingRules(
    weights=(
        RiskWeight("online_exceedance", "在线监测超标", 3.0, 20),
        RiskWeight("data_fraud", "监测数据异常或造假", 10.0, 5),
        RiskWeight("offline_device", "监测设备离线", 1.5, 20),
        RiskWeight("waste_finding", "危险废物监管发现", 4.0, 10),
        RiskWeight("verified_complaint", "经查实的投诉", 2.0, 10),
        RiskWeight("prior_penalty", "既往行政处罚", 5.0, 5),
        RiskWeight("overdue_rectification", "逾期未整改", 4.0, 5),
    ),
    grade_points={"green": 0.0, "blue": 2.0, "yellow": 8.0, "red": 15.0, "unrated": 4.0},
    source="[D] 设计取值，可由省级规则文件覆盖",
)
