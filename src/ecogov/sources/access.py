"""The sources domain's row of the permission table (``ecogov.platform.permissions``)."""

from __future__ import annotations

from ecogov.platform.permissions import (
    PUBLIC_DISCLOSURE,
    REGIONAL,
    ResourceKind,
    Scope,
    grant,
    officers,
)
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

DISCLOSURE = ResourceKind(
    "sources.disclosure",
    "重点排污单位公开信息（名称、统一社会信用代码、位置、行业、区划、许可限值）",
    "key polluters' disclosed facts (name, credit code, position, industry, region, limits)",
    PUBLIC_DISCLOSURE,
)
"""What a key polluter (重点排污单位) must disclose (《企业环境信息依法披露管理办法》): read by
everyone through :mod:`ecogov.sources.disclosure`, which selects only these fields of key
units; the registry's own read and write rules are unchanged."""
