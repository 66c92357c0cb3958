"""Double-random draw defaults (双随机、一公开; GOVERNANCE.md §2.2) as data.

National ratios are **not confirmed** (open question 6): the defaults below follow Fuzhou's
practice [1] DR-FZ — special objects and enterprises graded 警示/不良 every quarter (100 %), key
objects at least 25 % a quarter — and scale the rest [D] so that a red or yellow grade is drawn
more often than a green one (差别化). One draw is one quarter's selection.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final

__all__ = [
    "CATEGORIES",
    "CATEGORY_ALIASES",
    "DEFAULT_DRAW",
    "GRADE_ALIASES",
    "UNRATED",
    "DrawRules",
]

CATEGORIES: Final = ("special", "key", "general")
"""Object categories: 特殊 / 重点 / 一般 (DR-CODE [1]; national definitions [U])."""
CATEGORY_ALIASES: Final = {
    "special": ("special", "特殊", "特殊监管对象"),
    "key": ("key", "重点", "重点监管对象"),
    "general": ("general", "一般", "一般监管对象"),
}
UNRATED: Final = "unrated"
"""The grade of an object without a credit rating (drawn like a blue one by default [D])."""
GRADE_ALIASES: Final = {
    "green": ("green", "绿", "绿牌", "诚信", "环保诚信企业"),
    "blue": ("blue", "蓝", "蓝牌", "良好", "环保良好企业"),
    "yellow": ("yellow", "黄", "黄牌", "警示", "环保警示企业"),
    "red": ("red", "红", "红牌", "不良", "环保不良企业"),
    UNRATED: (UNRATED, "未评价", "未评级"),
}


@dataclass(frozen=True, slots=True)
class DrawRules:
    """How a draw selects objects and staffs tasks.

    ``proportions[category][grade]`` is the share of the stratum drawn (0–1);
    ``reserved_share`` of the tasks goes to the highest risk scores first; every task gets
    ``team_size`` inspectors (≥ 2, GOVERNANCE §2.2 [D]); ``inspector_scope`` ``region`` draws
    inspectors of the object's region only, ``any`` from the whole pool.
    """

    proportions: dict[str, dict[str, float]] = field(default_factory=dict)
    reserved_share: float = 0.0
    team_size: int = 2
    inspector_scope: str = "region"
    qualification: str = ""
    """A qualification every drawn inspector must hold ("" = none required)."""
    source: str = ""


DEFAULT_DRAW: Final = DrawRules(
    proportions={
        "special": {"green": 1.0, "blue": 1.0, "yellow": 1.0, "red": 1.0, UNRATED: 1.0},
        "key": {"green": 0.15, "blue": 0.25, "yellow": 1.0, "red": 1.0, UNRATED: 0.25},
        "general": {"green": 0.03, "blue": 0.05, "yellow": 1.0, "red": 1.0, UNRATED: 0.05},
    },
    reserved_share=0.0,
    team_size=2,
    inspector_scope="region",
    qualification="",
    source="[1] DR-FZ (特殊 100%/季, 重点 ≥25%/季, 警示/不良 归特殊); 其余比例 [D]",
)
