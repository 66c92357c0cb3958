"""The waste domain's rows of the permission table (``ecogov.platform.permissions``).

* ``waste.party`` — parties, facilities, licences: officers of the region register and change
  them; every logged-in user reads the whole directory (the licensed carriers and receivers a
  generator chooses from, and an origin province approving a transfer to another province, look
  beyond their region; holders of 危险废物经营许可证 are published lists).
* ``waste.records`` — plans and ledgers: a generator keeps its own; officers read and correct
  their region's.
* ``waste.manifest`` — manifests, their versions and timelines: each of the three parties
  (generator, carrier, receiver) reads and moves it; officers and leaders read those concerning
  their region (origin, carrier's or receiver's region: a waste coming in is the receiving
  bureau's business too) and change only their origin region's; the system fires time limits.
* ``waste.approval`` — cross-province approvals: recorded by officers, read by the generator.
* ``waste.money`` — contracts, invoices, payments: payer and payee each read and record them;
  officers read their region's (the payer's).
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from sqlalchemy import or_
from sqlalchemy.sql.elements import ColumnElement

from ecogov.platform.permissions import (
    LOGGED_IN,
    REGIONAL,
    ResourceKind,
    Scope,
    grant,
    officers,
)
from ecogov.platform.scope import Role

_MANIFEST_PARTY_COLUMNS = (
    "generator_enterprise_id",
    "carrier_enterprise_id",
    "receiver_enterprise_id",
)
_MONEY_PARTY_COLUMNS = ("payer_enterprise_id", "payee_enterprise_id")
_MANIFEST_REGION_COLUMNS = ("region_code", "carrier_region_code", "destination_region_code")


def _ids(record: Any, columns: tuple[str, ...]) -> frozenset[int]:
    return frozenset(v for v in (getattr(record, c, None) for c in columns) if isinstance(v, int))


def _where(model: Any, enterprise_id: int, columns: tuple[str, ...]) -> ColumnElement[bool]:
    return or_(*(getattr(model, c) == enterprise_id for c in columns))


def manifest_parties(record: Any) -> Collection[int]:
    """The enterprises party to a manifest (or its version or event): generator, carrier,
    receiver."""
    return _ids(record, _MANIFEST_PARTY_COLUMNS)


def manifest_party_filter(model: Any, enterprise_id: int) -> ColumnElement[bool]:
    """The manifest rows ``enterprise_id`` is party to, as SQL."""
    return _where(model, enterprise_id, _MANIFEST_PARTY_COLUMNS)


def manifest_regions(record: Any) -> Collection[str]:
    """The regions a manifest (or its version or event) concerns: origin, carrier's, receiver's."""
    found = (getattr(record, c, None) for c in _MANIFEST_REGION_COLUMNS)
    return frozenset(v for v in found if isinstance(v, str))


def manifest_region_filter(model: Any, prefix: str) -> ColumnElement[bool]:
    """The manifest rows concerning a region under ``prefix`` (GB/T 2260), as SQL."""
    return or_(*(getattr(model, c).startswith(prefix) for c in _MANIFEST_REGION_COLUMNS))


def money_parties(record: Any) -> Collection[int]:
    """The enterprises party to a money document: payer and payee."""
    return _ids(record, _MONEY_PARTY_COLUMNS)


def money_party_filter(model: Any, enterprise_id: int) -> ColumnElement[bool]:
    """The money documents ``enterprise_id`` pays or is paid by, as SQL."""
    return _where(model, enterprise_id, _MONEY_PARTY_COLUMNS)


def _reads(enterprise: Scope) -> dict[Role, Scope]:
    return {**grant(REGIONAL, Scope.REGION), Role.ENTERPRISE: enterprise, Role.ADMIN: Scope.ALL}


_OFFICERS_ONLY = (
    "只有生态环境部门工作人员和管理员可以登记危废经营单位、设施和许可证",
    "only officers and admins register waste parties, facilities and licences",
)

PARTIES = ResourceKind(
    "waste.party",
    "固废危废单位档案（产废、运输、接收单位，设施，许可证）",
    "waste parties (generators, carriers, receivers), facilities and licences",
    {
        "read": grant(LOGGED_IN, Scope.ALL),
        "create": officers(),
        "update": officers(),
        "delete": officers(),
        "import": officers(),
    },
    refusals=dict.fromkeys(("create", "update", "delete", "import"), _OFFICERS_ONLY),
)

_OWN = {**officers(), Role.ENTERPRISE: Scope.ENTERPRISE}

RECORDS = ResourceKind(
    "waste.records",
    "危废管理计划与台账",
    "waste management plans and ledgers",
    {
        "read": _reads(Scope.ENTERPRISE),
        "create": _OWN,
        "update": _OWN,
        "delete": _OWN,
        "import": _OWN,
    },
)

_PARTY = {**officers(), Role.ENTERPRISE: Scope.PARTY}

MANIFESTS = ResourceKind(
    "waste.manifest",
    "危险废物电子转移联单",
    "hazardous-waste transfer manifests",
    {
        "read": {
            **grant(REGIONAL, Scope.CONCERNED),
            Role.ENTERPRISE: Scope.PARTY,
            Role.ADMIN: Scope.ALL,
        },
        "create": _PARTY,
        "update": _PARTY,
        "advance": {Role.ENTERPRISE: Scope.PARTY, Role.ADMIN: Scope.ALL},
        "import": officers(),
    },
    parties=manifest_parties,
    party_filter=manifest_party_filter,
    regions=manifest_regions,
    region_filter=manifest_region_filter,
    refusals={
        "create": (
            "电子转移联单由产废单位填写",
            "transfer manifests are created by the generator",
        ),
        "update": (
            "电子转移联单只能由其产废、运输、接收单位办理",
            "only a manifest's generator, carrier and receiver move it",
        ),
        "advance": (
            "电子转移联单只能由其产废、运输、接收单位办理",
            "only a manifest's generator, carrier and receiver move it",
        ),
    },
)

APPROVALS = ResourceKind(
    "waste.approval",
    "危险废物跨省转移审批",
    "cross-province transfer approvals",
    {
        "read": _reads(Scope.ENTERPRISE),
        "create": officers(),
        "update": officers(),
        "import": officers(),
    },
    refusals={
        "create": (
            "跨省转移审批由生态环境部门登记",
            "cross-province approvals are recorded by officers",
        )
    },
)

MONEY = ResourceKind(
    "waste.money",
    "危废处置合同、发票与付款",
    "waste disposal contracts, invoices and payments",
    {
        "read": _reads(Scope.PARTY),
        "create": _PARTY,
        "update": _PARTY,
        "import": _PARTY,
    },
    parties=money_parties,
    party_filter=money_party_filter,
)

KINDS = (PARTIES, RECORDS, MANIFESTS, APPROVALS, MONEY)
"""Every kind of the waste domain, for ``Domain.permissions``."""
