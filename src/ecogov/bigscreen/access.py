"""The big screen's row of the permission table (``ecogov.platform.permissions``)."""

from __future__ import annotations

from ecogov.platform.permissions import ResourceKind, Scope, officers
from ecogov.platform.scope import Role

BIGSCREEN = ResourceKind(
    "bigscreen.view",
    "指挥中心大屏",
    "the command centre's big screen",
    {"read": {**officers(), Role.LEADER: Scope.REGION}},
    refusals={
        "read": (
            "指挥中心大屏仅供生态环境部门工作人员和领导查看",
            "the big screen is for the bureau's officers and leaders",
        )
    },
)
"""The wall of a region: officers and leaders open their region and below, admins every region;
each panel's data is still read through its own domain's kind."""
