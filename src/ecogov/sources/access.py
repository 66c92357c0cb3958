"""The sources domain's row of the permission table (``ecogov.platform.permissions``)."""

from __future__ import annotations

from ecogov.platform.permissions import REGIONAL, ResourceKind, Scope, grant, officers
from ecogov.platform.scope import Role

REGISTRY = ResourceKind(
    "sources.registry",
    "污染源档案（企业、排放口、监测设备、许可限值、电表）",
    "the source registry (enterprises, outlets, devices, permit limits, meters)",
    {
        "read": {
            **grant(REGIONAL, Scope.REGION),
            Role.ENTERPRISE: Scope.ENTERPRISE,
            Role.ADMIN: Scope.ALL,
        },
        "create": officers(),
        "update": officers(),
    },
    refusals={
        "create": (
            "只有生态环境部门工作人员和管理员可以修改污染源档案",
            "only officers and admins change the source registry",
        ),
        "update": (
            "只有生态环境部门工作人员和管理员可以修改污染源档案",
            "only officers and admins change the source registry",
        ),
    },
)
"""The registry: read within one's region (enterprise users: their own enterprise); changed by
the region's officers and admins (enterprise users and leaders only read)."""

DEVICE_SECRETS = ResourceKind(
    "sources.device_secret",
    "监测设备访问密码",
    "device passwords",
    {"read": {Role.ADMIN: Scope.ALL}},
    refusals={"read": ("只有系统可以读取设备密码", "only the system reads device passwords")},
)
"""The devices' MN/PW credentials: read by the receiver (the system) only."""
