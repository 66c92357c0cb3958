"""Role and region scope, enforced in one place for every ORM query and every flush.

Every session is opened for a :class:`Principal` (``Database.transaction``). Two session events
do the rest, so no page or service has to remember to filter:

* ``do_orm_execute`` adds loader criteria to every ORM ``SELECT``/``UPDATE``/``DELETE``: rows of
  :class:`RegionScoped` tables outside the principal's region, rows of :class:`EnterpriseScoped`
  tables of other enterprises, and rows nobody granted to anonymous users, are simply invisible.
* ``before_flush`` refuses any insert, update or delete the principal may not make.

Both read the one permission table (:mod:`ecogov.platform.permissions`): the scope a role has
for reading or writing a table's resource kind.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from functools import cache
from typing import Any, Final

from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction, with_loader_criteria
from sqlalchemy.sql.base import ExecutableOption
from sqlalchemy.sql.elements import ColumnElement

from ecogov.platform.errors import InvalidCode, PermissionDenied
from ecogov.platform.i18n import Catalogue, both, register, translate
from ecogov.platform.models import Base, EnterpriseScoped, RegionScoped

MESSAGES: Final[Catalogue] = {
    "scope.error.region": (
        "{user}（{role}）无权{operation}区域 {code} 的 {table} 记录",
        "{user} ({role}) may not {operation_en} {table} rows of region {code}",
    ),
    "scope.error.enterprise": (
        "{user}（{role}）无权{operation}企业 {code} 的 {table} 记录",
        "{user} ({role}) may not {operation_en} {table} rows of enterprise {code}",
    ),
    "scope.error.reference": (
        "{user}（{role}）无权{operation}参考数据 {table}",
        "{user} ({role}) may not {operation_en} {table} rows (reference data)",
    ),
    "scope.op.insert": ("新增", "insert"),
    "scope.op.update": ("修改", "update"),
    "scope.op.delete": ("删除", "delete"),
}
register(MESSAGES)


class Role(enum.StrEnum):
    """What a user may do (角色). Officers and leaders are further limited by region."""

    ADMIN = "admin"
    PROVINCE_OFFICER = "province_officer"
    CITY_OFFICER = "city_officer"
    COUNTY_OFFICER = "county_officer"
    LEADER = "leader"
    ENTERPRISE = "enterprise"
    PUBLIC = "public"


OFFICER_ROLES = frozenset({Role.PROVINCE_OFFICER, Role.CITY_OFFICER, Role.COUNTY_OFFICER})
READ_ONLY_ROLES = frozenset({Role.LEADER, Role.PUBLIC})
ROLE_REGION_LEVEL = {
    Role.PROVINCE_OFFICER: "province",
    Role.CITY_OFFICER: "city",
    Role.COUNTY_OFFICER: "county",
}


def region_prefix(code: str) -> str:
    """The code prefix shared by a region and everything below it (GB/T 2260 layout).

    ``330000`` (province) → ``33``; ``330100`` (prefecture city) → ``3301``; ``330106`` → itself.
    County-level codes never end in ``00``, which GB/T 2260 reserves for the level above.
    """
    if len(code) != 6 or not code.isdigit():
        raise InvalidCode(f"区划代码应为6位数字，收到 {code!r} / region code must be 6 digits")
    if code.endswith("0000"):
        return code[:2]
    if code.endswith("00"):
        return code[:4]
    return code


def region_within(code: str, scope_code: str) -> bool:
    """True when region ``code`` is ``scope_code`` or lies below it."""
    return code.startswith(region_prefix(scope_code))


@dataclass(frozen=True)
class Principal:
    """Who is acting: a logged-in user, an anonymous visitor, or the system itself."""

    username: str
    role: Role
    user_id: int | None = None
    region_code: str | None = None
    enterprise_id: int | None = None

    @property
    def sees_everything(self) -> bool:
        """Admins (and the system) are not limited by region."""
        return self.role is Role.ADMIN

    @property
    def read_only(self) -> bool:
        """Leaders and the public never change state."""
        return self.role in READ_ONLY_ROLES

    @property
    def is_authenticated(self) -> bool:
        """Anything but an anonymous visitor."""
        return self.role is not Role.PUBLIC

    @property
    def visibility(self) -> tuple[Role, str | None, int | None]:
        """What decides the rows this principal may read: the permission table's row filters
        look at the role, the region and the enterprise, never at who the user is. Results
        cached by visibility are shared by every user who sees the same rows (fifty officers
        of one city, one cached evaluation), where a key holding the principal keeps one per
        user."""
        return (self.role, self.region_code, self.enterprise_id)

    def can_see_region(self, code: str) -> bool:
        """Whether rows of region ``code`` are visible to this principal."""
        if self.sees_everything:
            return True
        if self.role in OFFICER_ROLES or self.role is Role.LEADER:
            return self.region_code is not None and region_within(code, self.region_code)
        return False

    def can_change(self, obj: object, operation: str = "update") -> bool:
        """Whether this principal may ``insert``, ``update`` or ``delete`` ``obj``: the
        permission table's scope for the action on the row's resource kind."""
        from ecogov.platform.permissions import WRITE_ACTION, allowed, kind_of_model

        return allowed(self, WRITE_ACTION[operation], kind_of_model(type(obj)), obj)


SYSTEM = Principal(username="system", role=Role.ADMIN)
ANONYMOUS = Principal(username="anonymous", role=Role.PUBLIC)


def _scoped_classes() -> tuple[type[Base], ...]:
    """Mapped classes the read filter applies to."""
    return _scoped_classes_among(len(Base.registry.mappers))


@cache
def _scoped_classes_among(mapper_count: int) -> tuple[type[Base], ...]:
    # Keyed on the number of mappers so a model imported later is never missed.
    classes: list[type[Base]] = [mapper.class_ for mapper in Base.registry.mappers]
    return tuple(
        cls
        for cls in classes
        if not cls.__scope_exempt__ and issubclass(cls, RegionScoped | EnterpriseScoped)
    )


def _read_filter(
    principal: Principal, cls: type[Base], action: str = "read"
) -> ColumnElement[bool] | None:
    """The WHERE clause limiting ``cls`` to the rows ``principal`` may ``action``, or None for
    all rows: the permission table's scope for that action on the table's resource kind."""
    from ecogov.platform.permissions import kind_of_model, row_filter

    return row_filter(principal, action, kind_of_model(cls), cls)


def principal_of(session: Session) -> Principal:
    """The principal a session was opened for; a session without one is a programming error."""
    principal = session.info.get("principal")
    if not isinstance(principal, Principal):
        raise RuntimeError("session opened without a principal: use Database.transaction()")
    return principal


ScopeKey = tuple[tuple["Role", str | None, int | None], str, int]
_scope_options: dict[ScopeKey, tuple[ExecutableOption, ...]] = {}
MAX_SCOPE_OPTIONS: Final = 4096
"""Visibilities × actions whose options are kept (a province has ~100 regions, a few thousand
enterprises); beyond, the kept ones are dropped and built again as asked."""


def scope_options(principal: Principal, action: str) -> tuple[ExecutableOption, ...]:
    """The loader criteria limiting every scoped class to the rows ``principal`` may
    ``action``, built once per visibility (:attr:`Principal.visibility`: the row filters read
    nothing else) and action. Building them for the 65 scoped classes cost more than the query
    itself — 1-4 ms of CPU on each ORM statement of a non-admin user (issue 20)."""
    key = (principal.visibility, action, len(Base.registry.mappers))
    options = _scope_options.get(key)
    if options is None:
        options = tuple(
            with_loader_criteria(cls, criterion, include_aliases=True)
            for cls in _scoped_classes()
            if (criterion := _read_filter(principal, cls, action)) is not None
        )
        if len(_scope_options) >= MAX_SCOPE_OPTIONS:
            _scope_options.clear()
        _scope_options[key] = options
    return options


@event.listens_for(Session, "do_orm_execute")
def _apply_read_scope(state: ORMExecuteState) -> None:
    if not (state.is_select or state.is_update or state.is_delete):
        return
    principal = principal_of(state.session)
    # Bulk UPDATE and DELETE statements reach only the rows the principal may change, not
    # every row it may read (a leader reads its region but changes nothing).
    action = "update" if state.is_update else "delete" if state.is_delete else "read"
    options = scope_options(principal, action)
    if options:
        state.statement = state.statement.options(*options)


@event.listens_for(Session, "before_flush")
def _guard_writes(session: Session, flush_context: UOWTransaction, instances: Any) -> None:
    principal = principal_of(session)
    changes = [
        *((obj, "insert") for obj in session.new),
        *((obj, "update") for obj in session.dirty),
        *((obj, "delete") for obj in session.deleted),
    ]
    for obj, operation in changes:
        if getattr(obj, "__scope_exempt__", False):
            continue
        if not principal.can_change(obj, operation):
            key, code = _scope_of(obj)
            raise PermissionDenied(
                both(
                    key,
                    user=principal.username,
                    role=principal.role,
                    operation=translate(f"scope.op.{operation}"),
                    operation_en=operation,
                    table=type(obj).__tablename__,
                    code=code,
                )
            )


def _scope_of(obj: object) -> tuple[str, str]:
    """The message key of a refused write to ``obj`` and the code of its scope."""
    if isinstance(obj, RegionScoped):
        return "scope.error.region", obj.region_code
    if isinstance(obj, EnterpriseScoped):
        return "scope.error.enterprise", str(obj.enterprise_id)
    return "scope.error.reference", ""
