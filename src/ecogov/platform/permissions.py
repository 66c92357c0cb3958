"""The one permission table: (role, action, resource kind) → scope, asked through one function.

Every resource kind (资源类别) states, as data, which scope each role has for each action:

* ``ALL`` — every row (admins; public monitoring data for every role, the anonymous public
  included; what an enterprise must disclose, for the public);
* ``REGION`` — the principal's region and everything below it (GB/T 2260 prefix);
* ``CONCERNED`` — records that concern the principal's region (and below) through any of the
  regions the kind's ``regions`` names (a manifest's origin, carrier's and receiver's regions);
* ``ENTERPRISE`` — rows of the principal's own enterprise;
* ``PARTY`` — records the principal's enterprise is a party to (a manifest's generator, carrier
  or receiver), named by the kind's ``parties`` callable;
* ``NONE`` — refused (a role missing from a grant is refused).

Services call :func:`authorize` (raises :class:`PermissionDenied` with a zh-CN message and its
English) or :func:`allowed` (a boolean); routers and pages only authenticate. The session guard
(:mod:`ecogov.platform.scope`) reads the same table for every ORM query and flush, and bulk reads
outside the ORM go through :func:`scoped_read`, so there is one rule for each kind.

Domains declare their kinds in ``Domain.permissions``; the platform names none of them.
Tables without a declared kind (``Base.__resource_kind__`` unset) follow :func:`record_kind`,
the generic rule derived from the table's flags.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Collection, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any, Final

from sqlalchemy import Connection, false, true
from sqlalchemy.sql.elements import ColumnElement

from ecogov.platform.errors import PermissionDenied
from ecogov.platform.i18n import register, translate
from ecogov.platform.models import EnterpriseScoped, RegionScoped
from ecogov.platform.scope import OFFICER_ROLES, Principal, Role, region_prefix, region_within

if TYPE_CHECKING:
    from ecogov.platform.db import Database


class Scope(enum.StrEnum):
    """How far a grant reaches, from nothing to everything."""

    NONE = "none"
    PARTY = "party"
    ENTERPRISE = "enterprise"
    REGION = "region"
    CONCERNED = "concerned"
    ALL = "all"


@dataclass(frozen=True)
class Action:
    """Something a principal does to a resource (查看, 新建 …)."""

    key: str
    name_zh: str
    name_en: str


ACTIONS: dict[str, Action] = {
    action.key: action
    for action in (
        Action("read", "查看", "read"),
        Action("create", "新建", "create"),
        Action("update", "修改", "update"),
        Action("delete", "删除", "delete"),
        Action("import", "导入", "import"),
        Action("advance", "办理", "advance the workflow of"),
        Action("sign", "签字验收", "sign off"),
        Action("command", "下发指令", "send commands to"),
        Action("manage", "管理", "manage"),
    )
}
"""The actions every kind may grant; a kind may add its own (``ResourceKind.actions``)."""

WRITE_ACTION = {"insert": "create", "update": "update", "delete": "delete"}
"""Flush operation of the session guard → action of the table."""

ROLES = tuple(Role)
LOGGED_IN = tuple(role for role in Role if role is not Role.PUBLIC)
REGIONAL = (*sorted(OFFICER_ROLES), Role.LEADER)

Grants = Mapping[str, Mapping[Role, Scope]]
"""Action → role → scope; a role or action absent from the mapping is refused."""

Parties = Callable[[Any], Collection[int]]
"""A record → the ids of the enterprises party to it."""

PartyFilter = Callable[[Any, int], ColumnElement[bool]]
"""(mapped class, enterprise id) → the WHERE clause of the rows that enterprise is party to."""

Regions = Callable[[Any], Collection[str]]
"""A record → the codes of every region it concerns."""

RegionFilter = Callable[[Any, str], ColumnElement[bool]]
"""(mapped class, region prefix) → the WHERE clause of the rows concerning a region under it."""


def grant(roles: Collection[Role], scope: Scope) -> dict[Role, Scope]:
    """``scope`` for every role of ``roles`` (a helper to write tables compactly)."""
    return dict.fromkeys(roles, scope)


def officers(scope: Scope = Scope.REGION, *, admin: bool = True) -> dict[Role, Scope]:
    """Officers at ``scope`` (their region by default) and admins at ``ALL``."""
    table = grant(OFFICER_ROLES, scope)
    if admin:
        table[Role.ADMIN] = Scope.ALL
    return table


PUBLIC_READ: Final = {Role.PUBLIC: Scope.ALL}
"""The anonymous public's read grant on a kind the public portal publishes (environmental
quality, what enterprises must disclose): the public reads only through the portal, whose
responses are limited to each endpoint's declared public fields."""


PUBLIC_DISCLOSURE: Final = {"read": dict.fromkeys(Role, Scope.ALL)}
"""Grants of a disclosure kind (信息公开): every role, the anonymous public included, reads the
disclosed fields of every record; nobody writes through it (the records themselves keep their
own kind's write rules)."""


def public_data_grants() -> dict[str, dict[Role, Scope]]:
    """Grants of public environmental-quality data (air, surface water …).

    Every role reads it, the anonymous public (the portal) included. Enterprise users, who
    have no region, read all of it; officers and leaders open the regions of their scope (and
    below), but the official figure of a city or province is computed from all of that
    region's sites whoever looks (the aggregates read the observations, granted to every
    role). Officers of the region
    and admins import and register sites; only admins delete them.
    """
    read = {
        **grant(REGIONAL, Scope.REGION),
        Role.ENTERPRISE: Scope.ALL,
        Role.ADMIN: Scope.ALL,
        **PUBLIC_READ,
    }
    return {
        "read": read,
        "import": officers(),
        "create": officers(),
        "update": officers(),
        "delete": {Role.ADMIN: Scope.ALL},
    }


def public_observation_grants() -> dict[str, dict[Role, Scope]]:
    """Grants of the observations behind official figures: every role reads all of them
    (aggregates of a region are the same whoever looks; the public through the portal);
    officers and admins import."""
    return {"read": grant(ROLES, Scope.ALL), "import": officers()}


@dataclass(frozen=True)
class ResourceKind:
    """A kind of resource and its row of the permission table."""

    key: str
    name_zh: str
    name_en: str
    grants: Grants
    """Action → role → scope (see :class:`Scope`)."""
    parties: Parties | None = None
    """For ``PARTY`` grants: the enterprises party to a record."""
    party_filter: PartyFilter | None = None
    """For ``PARTY`` grants: the same rule as SQL, for the session guard and bulk reads."""
    regions: Regions | None = None
    """For ``CONCERNED`` grants: the regions a record concerns."""
    region_filter: RegionFilter | None = None
    """For ``CONCERNED`` grants: the same rule as SQL, for the session guard and bulk reads."""
    refusals: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    """Action → (zh-CN, English) message for a role the action is not granted to."""
    actions: tuple[Action, ...] = ()
    """Actions of this kind beyond :data:`ACTIONS`."""

    def scope(self, role: Role, action: str) -> Scope:
        """The scope ``role`` has for ``action`` on this kind (``NONE`` when not granted)."""
        return self.grants.get(action, {}).get(role, Scope.NONE)

    def action(self, key: str) -> Action:
        """The action ``key`` (the kind's own or a platform action)."""
        for own in self.actions:
            if own.key == key:
                return own
        found = ACTIONS.get(key)
        if found is None:
            raise KeyError(f"action {key!r} is not declared for resource kind {self.key}")
        return found

    def action_keys(self) -> tuple[str, ...]:
        """Every action the kind's grants name, in table order."""
        return tuple(self.grants)


MESSAGES = {
    "permissions.denied": ("{role}无权{action}{kind}", "{role} may not {action} {kind}"),
    "permissions.out_of_scope": (
        "{kind}不在您的权限范围内（{scope}）",
        "this {kind} is outside your scope ({scope})",
    ),
    "scope.none": ("无", "none"),
    "scope.party": ("本企业参与的记录", "records your enterprise is party to"),
    "scope.enterprise": ("本企业", "your own enterprise"),
    "scope.region": ("本辖区及下级", "your region and below"),
    "scope.concerned": (
        "涉及本辖区及下级的记录（移出、途经或转入）",
        "records concerning your region and below (origin, carrier or destination)",
    ),
    "scope.all": ("全部", "everything"),
}
register(MESSAGES)

# --- the registry -----------------------------------------------------------------------------

_extra: dict[str, ResourceKind] = {}


def register_kind(kind: ResourceKind) -> None:
    """Add a kind that no domain declares (platform kinds, test tables)."""
    _extra[kind.key] = kind
    _table.cache_clear()
    _model_kinds.clear()


def unregister_kind(key: str) -> None:
    """Remove a kind added by :func:`register_kind`."""
    _extra.pop(key, None)
    _table.cache_clear()
    _model_kinds.clear()


@cache
def _table() -> dict[str, ResourceKind]:
    from ecogov.platform.plugins import domains

    found: dict[str, ResourceKind] = dict(_extra)
    for domain in domains():
        for kind in domain.permissions:
            if kind.key in found:
                raise ValueError(f"resource kind {kind.key} declared twice")
            found[kind.key] = kind
    return found


def kinds() -> dict[str, ResourceKind]:
    """Every resource kind of the platform and of every installed domain, by key."""
    return dict(_table())


def kind_named(kind: str | ResourceKind) -> ResourceKind:
    """The kind ``kind`` (a key or the kind itself)."""
    if isinstance(kind, ResourceKind):
        return kind
    found = _table().get(kind)
    if found is None:
        raise KeyError(f"resource kind {kind!r} is not registered")
    return found


def record_kind(model: type[Any]) -> ResourceKind:
    """The generic rule of a table that declares no kind, derived from its flags.

    Reads: admins everything; officers and leaders their region; enterprise users their own
    enterprise; anonymous visitors nothing (``__public_read__`` tables: everyone everything).
    Writes: as reads, but leaders only the operations of ``__leader_writes__`` and the public
    never.
    """
    if getattr(model, "__public_read__", False):
        read: dict[Role, Scope] = grant(ROLES, Scope.ALL)
    else:
        read = {**grant(REGIONAL, Scope.REGION), Role.ADMIN: Scope.ALL}
        read[Role.ENTERPRISE] = Scope.ENTERPRISE
    writes: dict[str, dict[Role, Scope]] = {}
    leader_writes: frozenset[str] = getattr(model, "__leader_writes__", frozenset())
    for operation, action in WRITE_ACTION.items():
        table = {**officers(), Role.ENTERPRISE: Scope.ENTERPRISE}
        if operation in leader_writes:
            table[Role.LEADER] = Scope.REGION
        writes[action] = table
    name = getattr(model, "__tablename__", model.__name__)
    return ResourceKind(f"table.{name}", f"数据表{name}", f"{name} rows", {"read": read, **writes})


_model_kinds: dict[type[Any], ResourceKind] = {}


def kind_of_model(model: type[Any]) -> ResourceKind:
    """The kind a mapped class belongs to (its declared kind, else :func:`record_kind`)."""
    found = _model_kinds.get(model)
    if found is None:
        key = getattr(model, "__resource_kind__", None)
        found = record_kind(model) if key is None else kind_named(key)
        _model_kinds[model] = found
    return found


# --- the one question -------------------------------------------------------------------------


def _region_of(subject: object) -> str | None:
    if isinstance(subject, str):
        return subject
    region = getattr(subject, "region_code", None)
    return region if isinstance(region, str) else None


def _within(principal: Principal, region: str | None) -> bool:
    return (
        region is not None
        and principal.region_code is not None
        and len(region) == 6
        and region.isdigit()
        and region_within(region, principal.region_code)
    )


def _subject_in_scope(principal: Principal, kind: ResourceKind, scope: Scope, subject: Any) -> bool:
    if scope is Scope.ALL:
        return True
    if scope is Scope.CONCERNED and kind.regions is not None and not isinstance(subject, str):
        return any(_within(principal, region) for region in kind.regions(subject))
    if scope in (Scope.REGION, Scope.CONCERNED):
        if not (isinstance(subject, str) or _region_scoped(subject)):
            return False
        return _within(principal, _region_of(subject))
    if principal.enterprise_id is None:
        return False
    if scope is Scope.ENTERPRISE:
        if not _enterprise_scoped(subject):
            return False
        return getattr(subject, "enterprise_id", None) == principal.enterprise_id
    if scope is Scope.PARTY and kind.parties is not None:
        return principal.enterprise_id in kind.parties(subject)
    return False


def _region_scoped(subject: object) -> bool:
    """Rows of tables must be region-scoped; plain records (views, dataclasses) qualify by
    carrying a region code."""
    if isinstance(subject, RegionScoped):
        return True
    return not hasattr(type(subject), "__table__")


def _enterprise_scoped(subject: object) -> bool:
    if isinstance(subject, EnterpriseScoped):
        return True
    return not hasattr(type(subject), "__table__")


def scope_of(principal: Principal, action: str, kind: str | ResourceKind) -> Scope:
    """The scope the permission table gives ``principal`` for ``action`` on ``kind``."""
    found = kind_named(kind)
    found.action(action)  # unknown actions are programming errors
    return found.scope(principal.role, action)


def allowed(
    principal: Principal, action: str, kind: str | ResourceKind, subject: Any = None
) -> bool:
    """Whether ``principal`` may do ``action`` on ``kind`` (on ``subject`` when given).

    Without a subject the question is whether the role may do it at all (to some rows in its
    scope); a subject is a row or record (its ``region_code``, ``enterprise_id``, or the kind's
    ``parties``), or a region code (may the principal open that region?).
    """
    found = kind_named(kind)
    scope = scope_of(principal, action, found)
    if scope is Scope.NONE:
        return False
    if subject is None:
        return True
    return _subject_in_scope(principal, found, scope, subject)


def _denied(principal: Principal, action: str, kind: ResourceKind, scope: Scope) -> str:
    verb = kind.action(action)
    if scope is Scope.NONE:
        if action in kind.refusals:
            zh, en = kind.refusals[action]
            return f"{zh}（{en}）"
        role = f"role.{principal.role}"
        zh = translate("permissions.denied").format(
            role=translate(role), action=verb.name_zh, kind=kind.name_zh
        )
        en = translate("permissions.denied", "en").format(
            role=translate(role, "en"), action=verb.name_en, kind=kind.name_en
        )
        return f"{zh}（{en}）"
    key = f"scope.{scope}"
    zh = translate("permissions.out_of_scope").format(kind=kind.name_zh, scope=translate(key))
    en = translate("permissions.out_of_scope", "en").format(
        kind=kind.name_en, scope=translate(key, "en")
    )
    return f"{zh}（{en}）"


def authorize(
    principal: Principal, action: str, kind: str | ResourceKind, subject: Any = None
) -> Scope:
    """Refuse (PermissionDenied, zh-CN then English) unless :func:`allowed`; returns the scope."""
    found = kind_named(kind)
    scope = scope_of(principal, action, found)
    if not allowed(principal, action, found, subject):
        raise PermissionDenied(_denied(principal, action, found, scope))
    return scope


# --- rows: the session guard and bulk reads ----------------------------------------------------


def row_filter(
    principal: Principal,
    action: str,
    kind: str | ResourceKind,
    model: type[Any],
    *,
    region_column: Any = None,
    enterprise_column: Any = None,
) -> ColumnElement[bool] | None:
    """The WHERE clause limiting rows of ``model`` to what ``principal`` may ``action``, or
    None for every row. Columns default to the model's ``region_code``/``enterprise_id``."""
    found = kind_named(kind)
    scope = found.scope(principal.role, action)
    if scope is Scope.ALL:
        return None
    if scope is Scope.CONCERNED and found.region_filter is not None and region_column is None:
        if principal.region_code is None:
            return false()
        return found.region_filter(model, region_prefix(principal.region_code))
    if scope in (Scope.REGION, Scope.CONCERNED):
        column = region_column
        if column is None and issubclass(model, RegionScoped):
            column = model.region_code
        if column is None or principal.region_code is None:
            return false()
        return column.startswith(region_prefix(principal.region_code))  # type: ignore[no-any-return]
    if principal.enterprise_id is None:
        return false()
    if scope is Scope.ENTERPRISE:
        column = enterprise_column
        if column is None and issubclass(model, EnterpriseScoped):
            column = model.enterprise_id
        return false() if column is None else column == principal.enterprise_id
    if scope is Scope.PARTY and found.party_filter is not None:
        return found.party_filter(model, principal.enterprise_id)
    return false()


@dataclass(frozen=True)
class ScopedRead:
    """A connection for a bulk read on behalf of ``principal``, and the filter it must apply."""

    connection: Connection
    principal: Principal
    kind: ResourceKind
    scope: Scope

    def where(
        self, model: type[Any], *, region_column: Any = None, enterprise_column: Any = None
    ) -> ColumnElement[bool]:
        """The clause limiting ``model``'s rows to the principal's scope (true for ``ALL``)."""
        clause = row_filter(
            self.principal,
            "read",
            self.kind,
            model,
            region_column=region_column,
            enterprise_column=enterprise_column,
        )
        return true() if clause is None else clause


@contextmanager
def scoped_read(
    db: Database, principal: Principal, kind: str | ResourceKind, subject: Any = None
) -> Iterator[ScopedRead]:
    """A read-only connection for a bulk (Core) read of ``kind`` after :func:`authorize`.

    The only way domain code reads around the ORM: the principal's read scope on the kind is
    checked first, and the yielded :class:`ScopedRead` gives the WHERE clause its rows need.
    """
    found = kind_named(kind)
    scope = authorize(principal, "read", found, subject)
    with db.engine.connect() as connection:
        yield ScopedRead(connection, principal, found, scope)


# --- for people and tests ----------------------------------------------------------------------


@dataclass(frozen=True)
class TableRow:
    """One cell of the permission table, spelled out."""

    kind: str
    kind_zh: str
    action: str
    action_zh: str
    role: Role
    scope: Scope


def table_rows() -> list[TableRow]:
    """The whole table, every (kind, action, role), for documentation, pages and tests."""
    rows: list[TableRow] = []
    for kind in sorted(_table().values(), key=lambda k: k.key):
        for action in kind.action_keys():
            verb = kind.action(action)
            for role in ROLES:
                rows.append(
                    TableRow(
                        kind.key, kind.name_zh, action, verb.name_zh, role, kind.scope(role, action)
                    )
                )
    return rows


def render_table() -> str:
    """The table as Markdown (kind × action rows, one column per role)."""
    head = "| 资源 kind | 操作 action | " + " | ".join(translate(f"role.{r}") for r in ROLES) + " |"
    lines = [head, "|" + "---|" * (len(ROLES) + 2)]
    for kind in sorted(_table().values(), key=lambda k: k.key):
        for action in kind.action_keys():
            cells = " | ".join(str(kind.scope(role, action)) for role in ROLES)
            lines.append(
                f"| {kind.name_zh} `{kind.key}` | {kind.action(action).name_zh} | {cells} |"
            )
    return "\n".join(lines)
