"""The plans domain's row of the permission table (``ecogov.platform.permissions``)."""

from __future__ import annotations

from ecogov.platform.permissions import PUBLIC_DISCLOSURE, ResourceKind, Scope, officers
from ecogov.platform.scope import Role

PLANS = ResourceKind(
    "plans.plan",
    "规划、任务与整改事项",
    "plans, tasks and rectification items",
    {
        "read": {**officers(), Role.LEADER: Scope.REGION},
        "create": officers(),
        "update": officers(),
        "import": officers(),
        # Leaders make the moves their state machine gives them (sign-offs); the machine decides
        # which move whose actor kind a principal is.
        "advance": {**officers(), Role.LEADER: Scope.REGION},
        "sign": {**officers(), Role.LEADER: Scope.REGION},
    },
    refusals={
        "read": (
            "规划与任务仅供生态环境部门工作人员和领导查看",
            "plans are for the bureau's officers and leaders",
        )
    },
)
"""Plans, targets, tasks, key projects, rectification items, drafts and manual indicator values:
read by officers and leaders of the region, changed by its officers (leaders only sign off)."""

RECTIFICATION_DISCLOSURE = ResourceKind(
    "plans.rectification_disclosure",
    "整改进展公开（检查、督察反馈问题的整改状态与期限）",
    "rectification progress as disclosed (state and deadline of items on reported problems)",
    PUBLIC_DISCLOSURE,
)
"""督察整改公开: the state, deadline and closing date of the rectification items that disclosed
findings link to — read by everyone through :func:`ecogov.plans.disclosure.progress`; no
measures, units, people or notes."""
