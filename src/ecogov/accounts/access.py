"""The accounts domain's row of the permission table (``ecogov.platform.permissions``)."""

from __future__ import annotations

from ecogov.platform.permissions import REGIONAL, ResourceKind, Scope, grant, officers
from ecogov.platform.scope import Role

ADMIN_ONLY = {Role.ADMIN: Scope.ALL}

USERS = ResourceKind(
    "accounts.user",
    "用户账号",
    "user accounts",
    {
        "read": {**grant(REGIONAL, Scope.REGION), Role.ENTERPRISE: Scope.ENTERPRISE, **ADMIN_ONLY},
        "create": ADMIN_ONLY,
        # Officers may correct the accounts of their region (display names); enabling,
        # disabling, editing roles and scopes and resetting passwords is managing them.
        "update": {**officers(), Role.ENTERPRISE: Scope.ENTERPRISE},
        "delete": ADMIN_ONLY,
        "manage": ADMIN_ONLY,
    },
    refusals={
        "create": ("只有平台管理员可以创建账号", "only a platform admin creates accounts"),
        "manage": (
            "只有平台管理员可以管理（编辑、启用、停用、重置密码）账号",
            "only a platform admin manages (edits, enables, disables, resets passwords of) "
            "accounts",
        ),
    },
)
"""Accounts: listed and corrected within one's scope; created, edited, enabled, disabled and
given new passwords by admins only (logins and logouts are the system's)."""
