"""User accounts (用户) and login sessions."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from ecogov.platform.models import (
    Base,
    EnterpriseScoped,
    IdMixin,
    RegionScoped,
    UTCDateTime,
    utcnow,
)


class User(IdMixin, RegionScoped, EnterpriseScoped, Base):
    """A person who logs in. Officers and leaders are scoped to ``region_code`` and below;
    enterprise users to ``enterprise_id``; admins have neither."""

    __tablename__ = "users"
    __resource_kind__ = "accounts.user"

    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(128))
    role: Mapped[str] = mapped_column(String(32))
    region_code: Mapped[str | None] = mapped_column(  # type: ignore[assignment]
        String(6), ForeignKey("region.code"), index=True
    )
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class LoginSession(Base):
    """A server-side login session; the cookie holds a random token, the table its SHA-256."""

    __tablename__ = "login_session"
    __audited__ = False  # login and logout are audited as events by the auth service
    __scope_exempt__ = True

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(Integer, ForeignKey("users.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)


class LoginThrottle(Base):
    """Login failures counted per key, for throttling password guessing (``ecogov.platform.
    throttle``): ``kind`` is ``pair`` (one client, one username), ``account`` (one username,
    any client) or ``client`` (one client, any username)."""

    __tablename__ = "login_throttle"
    __audited__ = False  # login refusals and unlocks are audited as events by the auth service
    __scope_exempt__ = True

    key: Mapped[str] = mapped_column(String(160), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    username: Mapped[str | None] = mapped_column(String(64), index=True)
    client: Mapped[str | None] = mapped_column(String(64))
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_failure_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    blocked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    succeeded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    """Pairs only: the last successful login of this client to this account (a known device)."""
