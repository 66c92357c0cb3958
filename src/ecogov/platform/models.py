"""Declarative base and the mixins that put a table under region or enterprise scope."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import DateTime, Integer, MetaData, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

from ecogov.platform.clock import utcnow as utcnow

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware timestamp on any backend (SQLite: naive UTC; PostgreSQL: timestamptz)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        """Refuse naive datetimes and normalise to UTC."""
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given where a timezone-aware one is required")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        """SQLite hands back naive values: they were stored as UTC."""
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


class Base(DeclarativeBase):
    """Base of every table. Class flags read by the platform:

    ``__audited__`` (default True): state changes are written to the audit log.
    ``__public_read__`` (default False): anonymous and enterprise users may read every row.
    ``__scope_exempt__`` (default False): internal bookkeeping the scope guard does not police.
    ``__leader_writes__`` (default none): operations (``insert``, ``update``) read-only leaders
    may still make on these rows within their region (sign-offs: 验收销号党政领导双签字).
    ``__redacted__`` (default none): columns of personal data the audit log records as ``***``
    (the entry keeps who, when and which row).
    ``__resource_kind__`` (default none): the key of the permission table's resource kind the
    rows belong to (``ecogov.platform.permissions``); without one the generic rule derived from
    the flags above applies.
    """

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    __audited__: ClassVar[bool] = True
    __public_read__: ClassVar[bool] = False
    __scope_exempt__: ClassVar[bool] = False
    __leader_writes__: ClassVar[frozenset[str]] = frozenset()
    __resource_kind__: ClassVar[str | None] = None
    __redacted__: ClassVar[frozenset[str]] = frozenset()


class IdMixin:
    """Integer surrogate primary key."""

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)


class RegionScoped:
    """Rows that belong to an administrative region (GB/T 2260 code).

    Officers and leaders see the rows of their region and every region below it.
    """

    region_code: Mapped[str] = mapped_column(String(6), index=True)


class EnterpriseScoped:
    """Rows that belong to one enterprise; an enterprise user sees only its own."""

    enterprise_id: Mapped[int | None] = mapped_column(Integer, index=True)
