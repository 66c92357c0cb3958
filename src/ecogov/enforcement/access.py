"""The enforcement domain's rows of the permission table (``ecogov.platform.permissions``).

* records (directory, draws, tasks, inspections, cases, credit): officers and leaders read their
  region, an enterprise user its own record, admins everything; officers of the region write
  and advance cases; leaders only read;
* the inspector pool: officers and leaders of the region read it (enterprises never see who may
  inspect them), officers and admins maintain it;
* credit repairs: an enterprise asks for its own, officers of the region decide;
* risk scores and the top-risk list: officers and leaders of the region (not enterprises).

Which tasks an inspector sees is narrower than their region: :func:`ecogov.enforcement.draws.
my_tasks` lists the tasks whose pair names the inspector linked to the user.
"""

from __future__ import annotations

from ecogov.enforcement.models import POOL, RECORDS, REPAIRS, RISK
from ecogov.platform.permissions import PUBLIC_READ, REGIONAL, ResourceKind, Scope, grant, officers
from ecogov.platform.scope import Role

_READ = {
    **grant(REGIONAL, Scope.REGION),
    Role.ENTERPRISE: Scope.ENTERPRISE,
    Role.ADMIN: Scope.ALL,
}
_OFFICERS_ONLY = ("只有生态环境执法人员和管理员可以办理", "only officers and admins do this")

ENFORCEMENT = ResourceKind(
    RECORDS,
    "执法监管记录（名录库、抽查、检查、案件、信用）",
    "enforcement records (directory, draws, inspections, cases, credit)",
    {
        # Credit grades, decided penalties, inspections and draws are disclosed (the portal).
        "read": {**_READ, **PUBLIC_READ},
        "create": officers(),
        "update": officers(),
        "advance": officers(),
    },
    refusals={"create": _OFFICERS_ONLY, "update": _OFFICERS_ONLY, "advance": _OFFICERS_ONLY},
)

INSPECTOR_POOL = ResourceKind(
    POOL,
    "执法人员名录库",
    "the inspector pool",
    {
        "read": {**grant(REGIONAL, Scope.REGION), Role.ADMIN: Scope.ALL},
        "create": officers(),
        "update": officers(),
    },
    refusals={
        "read": (
            "企业用户不能查看执法人员名录库",
            "enterprise users do not see the inspector pool",
        ),
        "create": _OFFICERS_ONLY,
        "update": _OFFICERS_ONLY,
    },
)

CREDIT_REPAIRS = ResourceKind(
    REPAIRS,
    "信用修复申请",
    "credit-repair requests",
    {
        "read": _READ,
        "create": {Role.ENTERPRISE: Scope.ENTERPRISE, **officers()},
        "update": officers(),
        "advance": officers(),
    },
    refusals={"advance": ("只有生态环境部门审核信用修复", "only officers decide credit repairs")},
)

RISK_SCORES = ResourceKind(
    RISK,
    "执法风险评分与重点对象清单",
    "risk scores and the top-risk list",
    {
        "read": {**grant(REGIONAL, Scope.REGION), Role.ADMIN: Scope.ALL},
        "update": officers(),
    },
    refusals={
        "read": (
            "企业用户不能查看执法风险评分（非现场执法靶向）",
            "enterprise users do not see risk scores (targeting is the bureau's)",
        ),
        "update": _OFFICERS_ONLY,
    },
)
"""Risk scores steer where inspectors go: like the pool, the bureau's own (never the
enterprise's); officers recompute them."""

KINDS = (ENFORCEMENT, INSPECTOR_POOL, CREDIT_REPAIRS, RISK_SCORES)
