"""The HJ 212 domain's rows of the permission table (``ecogov.platform.permissions``)."""

from __future__ import annotations

from ecogov.platform.permissions import PUBLIC_DISCLOSURE, ResourceKind, Scope, officers
from ecogov.platform.scope import Role

RECEIVER = ResourceKind(
    "hj212.receiver",
    "数据接收状态",
    "the HJ 212 receiver's status",
    {"read": officers()},
    refusals={
        "read": (
            "只有生态环境部门工作人员和管理员可以查看数据接收状态",
            "only officers and admins see the receiver status",
        )
    },
)
"""The receiver's status and the online-data pages: officers and admins."""

COMMANDS = ResourceKind(
    "hj212.command",
    "反控指令",
    "reverse commands to devices",
    {"command": officers()},
    refusals={
        "command": (
            "只有生态环境部门工作人员和管理员可以向设备下发指令",
            "only officers and admins send commands to devices",
        )
    },
)
"""Reverse commands (反控): sent by the officers of the device's region and by admins."""

REJECTS = ResourceKind(
    "hj212.rejects",
    "拒收数据台账",
    "the rejects ledger",
    {"read": {Role.ADMIN: Scope.ALL}},
    refusals={
        "read": ("只有平台管理员可以查看拒收台账", "only a platform admin reads the rejects ledger")
    },
)
"""Packets the receiver refused: admins only (they may carry any enterprise's data)."""

DISCLOSURE = ResourceKind(
    "hj212.disclosure",
    "重点排污单位自动监测数据公开（小时均值、许可限值、超标情况）",
    "key polluters' online data as disclosed (hourly means, limits, exceedances)",
    PUBLIC_DISCLOSURE,
)
"""Online hourly means of key polluters against their permit limits and the exceedance events
(自动监测数据公开): read by everyone through :mod:`ecogov.hj212.disclosure`, by outlet — no
device MN or password, no person."""

STORE = ResourceKind(
    "hj212.store",
    "在线监测数据存储（分区与归档）",
    "the online-data store (partitions and archive)",
    {"update": {Role.ADMIN: Scope.ALL}},
    refusals={
        "update": (
            "只有平台管理员可以维护在线监测数据的分区与归档",
            "only a platform admin maintains the online-data partitions and archive",
        )
    },
)
"""The record store's monthly partitions and its Parquet archive of older months: admins (and
the system's scheduled runs) only — archiving moves every enterprise's data out of the store."""
