"""The warning machine (重污染天气预警流程) on the platform's state-machine engine.

建议 suggested (the platform, from the city forecast) → 发布 published (the officer's decision) →
调整 adjusted (level raised or lowered, any number of times) → 解除 lifted; a suggestion the
officer does not adopt is 不予发布 rejected. Every move needs the officer's note (the decision
recorded); only the officers of the warning's city or its province make them (大气污染防治法
第九十五条), the actor kind ``warning_decider``.
"""

from __future__ import annotations

from typing import Any, Final

from ecogov.platform.scope import OFFICER_ROLES, Principal, Role
from ecogov.platform.statemachine import Labels, Machine, Move, register_actor

STATES: Final[dict[str, Labels]] = {
    "suggested": ("建议", "Suggested"),
    "published": ("已发布", "Published"),
    "adjusted": ("已调整", "Adjusted"),
    "lifted": ("已解除", "Lifted"),
    "rejected": ("不予发布", "Not published"),
}
MOVES: Final[dict[str, Labels]] = {
    "publish": ("发布预警", "Publish"),
    "reject": ("不予发布", "Do not publish"),
    "adjust": ("调整级别", "Adjust the level"),
    "lift": ("解除预警", "Lift"),
}
ACTIVE: Final = frozenset({"published", "adjusted"})
"""States in which a warning is in force."""


def _decides(principal: Principal, region_code: Any) -> bool:
    """Officers of the city or its province (not county officers), and admins."""
    if principal.sees_everything:
        return True
    if principal.role not in OFFICER_ROLES or principal.role is Role.COUNTY_OFFICER:
        return False
    return principal.can_see_region(str(region_code))


DECIDER: Final = register_actor(
    "warning_decider", ("市级或省级生态环境部门", "city or province officers"), _decides
)


def _move(name: str, sources: str, target: str) -> Move[str]:
    return Move(name, frozenset(sources.split()), target, DECIDER.name, needs_note=True)


WARNING: Final = Machine[str](
    subject="warning",
    title=("重污染天气预警", "Heavy-pollution warning"),
    initial="suggested",
    states=tuple(STATES),
    moves=(
        _move("publish", "suggested", "published"),
        _move("reject", "suggested", "rejected"),
        _move("adjust", "published adjusted", "adjusted"),
        _move("lift", "published adjusted", "lifted"),
    ),
    state_names=STATES,
    move_names=MOVES,
    finals=frozenset({"lifted", "rejected"}),
)
