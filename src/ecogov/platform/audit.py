"""The audit log (审计日志): who changed what, when, before → after.

Entries are written by a session event for every insert, update and delete of an audited table, in
the same transaction as the change, so no service can forget it and no change lands without its
entry. Services name what they are doing with ``Database.transaction(principal, action=...)`` or
:func:`record` for events that change no row (a login, an export).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import TYPE_CHECKING, Any, Final

from sqlalchemy import JSON, Integer, Select, String, event, func, insert, inspect, select
from sqlalchemy.orm import Mapped, Session, UOWTransaction, mapped_column

from ecogov.platform.models import Base, RegionScoped, UTCDateTime, utcnow
from ecogov.platform.permissions import ResourceKind, Scope, authorize, register_kind
from ecogov.platform.scope import Principal, Role, principal_of
from ecogov.platform.sqltext import starts_with

if TYPE_CHECKING:
    from ecogov.platform.db import Database

AUDIT_KIND = ResourceKind(
    "platform.audit",
    "审计日志",
    "audit log",
    {"read": {Role.ADMIN: Scope.ALL}},
    refusals={
        "read": ("只有平台管理员可以查看审计日志", "only a platform admin reads the audit log")
    },
)
register_kind(AUDIT_KIND)

SESSION_ACTIONS: Final = ("auth.", "login_session.")
"""Audit actions of signing in and out, and of a lapsed session's removal (named after its
table when no action was given): they change the sessions, not what a page shows."""
REDACTED = "***"
SECRET_COLUMNS = frozenset({"password_hash", "token_hash", "pw"})


class AuditEntry(Base):
    """One state change (or security event) with its actor and before/after values."""

    __tablename__ = "audit_log"
    __audited__ = False
    __scope_exempt__ = True

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(64), index=True)
    actor_role: Mapped[str] = mapped_column(String(32))
    action: Mapped[str] = mapped_column(String(96), index=True)
    entity: Mapped[str] = mapped_column(String(64), index=True)
    entity_id: Mapped[str | None] = mapped_column(String(64))
    region_code: Mapped[str | None] = mapped_column(String(6), index=True)
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)


def _plain(value: Any) -> Any:
    """A JSON-safe form of a column value."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, bytes):
        return f"<{len(value)} bytes>"
    if isinstance(value, str) and len(value) > 2000:
        return value[:2000] + "…"
    return value


def _secret(obj: Any) -> frozenset[str]:
    """The columns of ``obj`` whose values the log records as :data:`REDACTED`: the platform's
    secrets and the personal data the model declares (``__redacted__``)."""
    return SECRET_COLUMNS | getattr(obj, "__redacted__", frozenset())


def _image(obj: Any, *, committed: bool) -> dict[str, Any]:
    """All column values of ``obj``: as committed (for deletes) or as they now stand (inserts)."""
    state = inspect(obj)
    secret = _secret(obj)
    values: dict[str, Any] = {}
    for attr in state.mapper.column_attrs:
        key = attr.key
        if committed:
            history = state.attrs[key].history
            known = history.deleted or history.unchanged
            value = known[0] if known else None
        else:
            value = state.dict.get(key)
        values[key] = REDACTED if key in secret and value is not None else _plain(value)
    return values


def _changed(obj: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """Only the columns an update changed, before and after."""
    state = inspect(obj)
    hidden = _secret(obj)
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for attr in state.mapper.column_attrs:
        history = state.attrs[attr.key].history
        if not history.has_changes():
            continue
        old = history.deleted[0] if history.deleted else None
        new = history.added[0] if history.added else None
        secret = attr.key in hidden
        before[attr.key] = REDACTED if secret and old is not None else _plain(old)
        after[attr.key] = REDACTED if secret and new is not None else _plain(new)
    return before, after


def _entity_id(obj: Any) -> str | None:
    # The identity key is assigned only after the flush; read the primary key columns instead.
    key = inspect(obj).mapper.primary_key_from_instance(obj)
    if any(part is None for part in key):
        return None
    return "/".join(str(part) for part in key)


def _row(session: Session, obj: Any, op: str, before: Any, after: Any) -> dict[str, Any]:
    principal = principal_of(session)
    table = type(obj).__tablename__
    region = obj.region_code if isinstance(obj, RegionScoped) else principal.region_code
    return {
        "at": utcnow(),
        "actor": principal.username,
        "actor_role": str(principal.role),
        "action": session.info.get("action") or f"{table}.{op}",
        "entity": table,
        "entity_id": _entity_id(obj),
        "region_code": region,
        "before": before,
        "after": after,
    }


@event.listens_for(Session, "before_flush")
def _capture_updates_and_deletes(
    session: Session, flush_context: UOWTransaction, instances: Any
) -> None:
    # Attribute history is still intact before the flush: capture update and delete images now.
    pending = session.info.setdefault("audit_pending", [])
    for obj in session.dirty:
        if getattr(obj, "__audited__", False) and session.is_modified(obj):
            before, after = _changed(obj)
            if before != after:
                pending.append((obj, "update", before, after))
    for obj in session.deleted:
        if getattr(obj, "__audited__", False):
            pending.append((obj, "delete", _image(obj, committed=True), None))


@event.listens_for(Session, "after_flush")
def _write_entries(session: Session, flush_context: UOWTransaction) -> None:
    pending = session.info.pop("audit_pending", [])
    rows = [_row(session, obj, op, before, after) for obj, op, before, after in pending]
    rows.extend(
        _row(session, obj, "insert", None, _image(obj, committed=False))
        for obj in session.new
        if getattr(obj, "__audited__", False)
    )
    if rows:
        session.connection().execute(insert(AuditEntry), rows)


@event.listens_for(Session, "after_soft_rollback")
def _drop_pending(session: Session, previous_transaction: Any) -> None:
    session.info.pop("audit_pending", None)


def record(
    session: Session,
    action: str,
    *,
    entity: str,
    entity_id: str | None = None,
    details: Mapping[str, Any] | None = None,
    actor: Principal | None = None,
) -> None:
    """Log an event that changes no audited row (login, logout, a bulk import's summary).

    ``actor`` names who acted when the session runs as the system on their behalf (a login).
    """
    principal = actor or principal_of(session)
    session.add(
        AuditEntry(
            actor=principal.username,
            actor_role=str(principal.role),
            action=action,
            entity=entity,
            entity_id=entity_id,
            region_code=principal.region_code,
            before=None,
            after={key: _plain(value) for key, value in (details or {}).items()},
        )
    )


def dumps(values: Mapping[str, Any] | None) -> str:
    """Compact JSON for display and CSV export of before/after images."""
    return "" if values is None else json.dumps(values, ensure_ascii=False, sort_keys=True)


def _filtered(
    session: Session,
    *,
    actor: str | None,
    action: str | None,
    entity: str | None,
    since: datetime | None,
    until: datetime | None,
) -> Select[AuditEntry]:
    """Entries filtered by actor, action prefix, entity and time range (admins only)."""
    authorize(principal_of(session), "read", AUDIT_KIND)
    stmt = select(AuditEntry)
    if actor:
        stmt = stmt.where(AuditEntry.actor == actor)
    if action:
        stmt = stmt.where(starts_with(AuditEntry.action, action))
    if entity:
        stmt = stmt.where(AuditEntry.entity == entity)
    if since:
        stmt = stmt.where(AuditEntry.at >= since)
    if until:
        stmt = stmt.where(AuditEntry.at < until)
    return stmt


def query(
    session: Session,
    *,
    actor: str | None = None,
    action: str | None = None,
    entity: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int = 200,
    offset: int = 0,
    before_id: int | None = None,
) -> list[AuditEntry]:
    """Audit entries, newest first, filtered by actor, action prefix, entity and time range.

    ``offset`` pages a browser; ``before_id`` continues a scan below the last id seen (keyset
    paging, for exports of any length)."""
    stmt = _filtered(session, actor=actor, action=action, entity=entity, since=since, until=until)
    if before_id is not None:
        stmt = stmt.where(AuditEntry.id < before_id)
    stmt = stmt.order_by(AuditEntry.id.desc()).offset(offset).limit(limit)
    return list(session.scalars(stmt))


def count(
    session: Session,
    *,
    actor: str | None = None,
    action: str | None = None,
    entity: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> int:
    """How many entries match the same filters as :func:`query`."""
    stmt = _filtered(session, actor=actor, action=action, entity=entity, since=since, until=until)
    return session.scalar(select(func.count()).select_from(stmt.subquery())) or 0


def last_change(db: Database) -> int:
    """The id of the newest audit entry that may change what a page shows (0 when none): it
    moves with every audited change, so a page kept since then may be out of date
    (:class:`ecogov.platform.cache.ResponseCache`). Signing in and out
    (:data:`SESSION_ACTIONS`) changes no page and is left out, or every login would make every
    kept page out of date. Reads the primary key's index backwards to the first such entry."""
    statement = select(AuditEntry.id)
    for prefix in SESSION_ACTIONS:
        statement = statement.where(~starts_with(AuditEntry.action, prefix))
    with db.engine.connect() as connection:  # a plain read: no session, no row scope
        return int(connection.scalar(statement.order_by(AuditEntry.id.desc()).limit(1)) or 0)
