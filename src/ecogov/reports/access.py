"""The reports domain's row of the permission table (``ecogov.platform.permissions``): officers
and leaders read and generate the reports of their region (and below); admins everything.

Generating writes a record of the report (who, when, which figures), so leaders — read-only
elsewhere — may insert these rows (``GeneratedReport.__leader_writes__``)."""

from __future__ import annotations

from ecogov.platform.permissions import REGIONAL, ResourceKind, Scope, grant
from ecogov.platform.scope import Role

MONTHLY = "reports.monthly"

_REGION = {**grant(REGIONAL, Scope.REGION), Role.ADMIN: Scope.ALL}

REPORTS = ResourceKind(
    MONTHLY,
    "环境质量月报",
    "monthly environmental-quality reports",
    {"read": _REGION, "create": _REGION},
    refusals={
        "read": (
            "只有生态环境部门工作人员和领导可以查看环境质量月报",
            "only the bureau's officers and leaders read the monthly reports",
        ),
        "create": (
            "只有生态环境部门工作人员和领导可以生成环境质量月报",
            "only the bureau's officers and leaders generate the monthly reports",
        ),
    },
)

KINDS = (REPORTS,)
