"""Accounts logic: creating users, logging in and out, turning a session cookie into a principal."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from ecogov.accounts import throttle
from ecogov.accounts.access import USERS
from ecogov.accounts.models import LoginSession, LoginThrottle, User
from ecogov.platform import audit
from ecogov.platform.db import Database
from ecogov.platform.errors import (
    AuthenticationRequired,
    Conflict,
    InputError,
    NotFound,
    TooManyRequests,
)
from ecogov.platform.i18n import translate
from ecogov.platform.models import utcnow
from ecogov.platform.permissions import allowed, authorize
from ecogov.platform.scope import ROLE_REGION_LEVEL, SYSTEM, Principal, Role
from ecogov.platform.throttle import LoginThrottleRules
from ecogov.regions.models import Region

MIN_PASSWORD_LENGTH = 8
UNKNOWN_CLIENT = "unknown"
_hasher = PasswordHasher()


@dataclass(frozen=True)
class UserView:
    """A user as pages, the API and the CLI show it (never the password hash)."""

    id: int
    username: str
    display_name: str
    role: Role
    region_code: str | None
    enterprise_id: int | None
    active: bool


def _view(user: User) -> UserView:
    return UserView(
        id=user.id,
        username=user.username,
        display_name=user.display_name,
        role=Role(user.role),
        region_code=user.region_code,
        enterprise_id=user.enterprise_id,
        active=user.active,
    )


def principal_for(user: User | UserView) -> Principal:
    """The principal a user acts as."""
    return Principal(
        username=user.username,
        role=Role(user.role),
        user_id=user.id,
        region_code=user.region_code,
        enterprise_id=user.enterprise_id,
    )


def _check_role_fields(
    session: Session, role: Role, region_code: str | None, enterprise_id: int | None
) -> None:
    if role is Role.PUBLIC:
        raise InputError("the public role is for anonymous visitors, not accounts")
    if role is Role.ENTERPRISE:
        if enterprise_id is None:
            raise InputError("an enterprise user needs an enterprise id")
    elif enterprise_id is not None:
        raise InputError(f"role {role} takes no enterprise id")
    if role in (Role.ADMIN, Role.ENTERPRISE):
        if region_code is not None and role is Role.ADMIN:
            raise InputError("an admin is not limited to a region; give no region")
        return
    if region_code is None:
        raise InputError(f"role {role} needs a region code")
    region = session.get(Region, region_code)
    if region is None:
        raise InputError(f"region {region_code} does not exist")
    wanted = ROLE_REGION_LEVEL.get(role)
    if wanted is not None and region.level != wanted:
        raise InputError(
            f"role {role} needs a {wanted}-level region; {region_code} is {region.level}"
        )


def hash_password(password: str) -> str:
    """An argon2id hash of ``password`` (refuses passwords shorter than 8 characters)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InputError(f"password must have at least {MIN_PASSWORD_LENGTH} characters")
    return _hasher.hash(password)


def create_user(
    db: Database,
    principal: Principal,
    *,
    username: str,
    password: str,
    role: Role,
    display_name: str | None = None,
    region_code: str | None = None,
    enterprise_id: int | None = None,
) -> UserView:
    """Create an account (admins only)."""
    authorize(principal, "create", USERS)
    username = username.strip()
    if not username or len(username) > 64 or any(ch.isspace() for ch in username):
        raise InputError(f"username {username!r} must be 1–64 characters without spaces")
    with db.transaction(principal, action="users.create") as session:
        _check_role_fields(session, role, region_code, enterprise_id)
        if session.scalar(select(User.id).where(User.username == username)) is not None:
            raise Conflict(f"user {username} already exists")
        user = User(
            username=username,
            display_name=display_name or username,
            role=role.value,
            region_code=region_code,
            enterprise_id=enterprise_id,
            password_hash=hash_password(password),
            active=True,
        )
        session.add(user)
        session.flush()
        return _view(user)


def list_users(db: Database, principal: Principal, *, manage: bool = False) -> list[UserView]:
    """Accounts visible to ``principal`` (its region scope applies), by username; ``manage``
    asks for the admin's list (the users page), refused to anyone who may not manage accounts."""
    authorize(principal, "manage" if manage else "read", USERS)
    with db.transaction(principal) as session:
        return [_view(u) for u in session.scalars(select(User).order_by(User.username))]


def set_active(db: Database, principal: Principal, username: str, active: bool) -> UserView:
    """Enable or disable an account (admins only); disabling ends its sessions."""
    authorize(principal, "manage", USERS)
    with db.transaction(principal, action="users.enable" if active else "users.disable") as session:
        user = session.scalar(select(User).where(User.username == username))
        if user is None:
            raise InputError(f"user {username} does not exist")
        user.active = active
        if not active:
            session.execute(delete(LoginSession).where(LoginSession.user_id == user.id))
        return _view(user)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@cache
def _dummy_hash() -> str:
    """A hash of no one's password, checked for unknown usernames so that refusing them takes
    as long as refusing a wrong password (no timing oracle for which accounts exist)."""
    return _hasher.hash(secrets.token_urlsafe(16))


def login(
    db: Database,
    username: str,
    password: str,
    session_hours: int,
    *,
    client: str = UNKNOWN_CLIENT,
    rules: LoginThrottleRules | None = None,
    now: datetime | None = None,
) -> tuple[str, UserView]:
    """Check a password and open a session; returns the cookie token and the user.

    Attempts are throttled per (client, account), account and client (``rules``, default the
    settings' :class:`~ecogov.platform.throttle.LoginThrottleRules`): a throttled attempt is
    refused with :class:`~ecogov.platform.errors.TooManyRequests` saying how many seconds to
    wait, without checking the password. Every refusal takes the time of one password check.
    Every attempt is audited.
    """
    rules = rules or LoginThrottleRules()
    now = now or utcnow()
    keys = throttle.keys_for(rules, username, client)
    try:
        throttle.reserve(db, keys, rules, now)
    except throttle.Throttled as throttled:
        with db.transaction(SYSTEM, action="auth.login") as session:
            audit.record(
                session,
                "auth.login_throttled",
                entity="users",
                entity_id=username[: throttle.USERNAME_KEY_LENGTH],
                details={"client": client, "retry_after": throttled.seconds},
            )
        raise TooManyRequests(
            translate("auth.throttled").format(seconds=throttled.seconds),
            retry_after=throttled.seconds,
        ) from None
    with db.transaction(SYSTEM) as session:
        user = session.scalar(select(User).where(User.username == username))
        stored = user.password_hash if user is not None else _dummy_hash()
    # the password is checked outside any transaction: no lock is held for its ~0.1 s
    good = _verify(stored, password) and user is not None and user.active
    with db.transaction(SYSTEM, action="auth.login") as session:
        if not good or user is None:
            audit.record(
                session,
                "auth.login_failed",
                entity="users",
                entity_id=username[: throttle.USERNAME_KEY_LENGTH],
                details={"client": client},
            )
        else:
            throttle.release(session, keys, now)
            throttle.forget_stale(session, rules, now)
            token = secrets.token_urlsafe(32)
            session.add(
                LoginSession(
                    token_hash=_token_hash(token),
                    user_id=user.id,
                    expires_at=now + timedelta(hours=session_hours),
                )
            )
            audit.record(
                session,
                "auth.login",
                entity="users",
                entity_id=str(user.id),
                actor=principal_for(user),
            )
            view = _view(user)
    if not good:
        raise AuthenticationRequired(translate("auth.failed"))
    return token, view


def unlock(db: Database, principal: Principal, username: str) -> int:
    """Clear every login throttle of ``username`` (admins only, audited); the number of
    counters cleared."""
    authorize(principal, "manage", USERS)
    with db.transaction(principal, action="users.unlock") as session:
        if session.scalar(select(User.id).where(User.username == username)) is None:
            raise NotFound(translate("auth.no_such_user").format(username=username))
        cleared = len(
            session.execute(
                delete(LoginThrottle)
                .where(LoginThrottle.username == username)
                .returning(LoginThrottle.key)
                .execution_options(synchronize_session=False)
            ).all()
        )
        audit.record(
            session,
            "users.unlock",
            entity="users",
            entity_id=username,
            details={"cleared": cleared},
        )
        return cleared


def throttled_accounts(
    db: Database, principal: Principal, now: datetime | None = None
) -> dict[str, datetime]:
    """Usernames some client must currently wait for, with the latest instant they wait until
    (for those who manage accounts; nobody else learns which accounts are under attack)."""
    if not allowed(principal, "manage", USERS):
        return {}
    now = now or utcnow()
    with db.transaction(principal) as session:
        rows = session.execute(
            select(LoginThrottle.username, func.max(LoginThrottle.blocked_until))
            .where(LoginThrottle.username.is_not(None), LoginThrottle.blocked_until > now)
            .group_by(LoginThrottle.username)
        )
        return {name: until for name, until in rows if name is not None and until is not None}


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def principal_from_token(db: Database, token: str | None) -> Principal | None:
    """The principal of a live session token, or None (unknown, expired or disabled account)."""
    if not token:
        return None
    with db.transaction(SYSTEM) as session:
        row = session.execute(
            select(LoginSession, User)
            .join(User, User.id == LoginSession.user_id)
            .where(LoginSession.token_hash == _token_hash(token))
        ).first()
        if row is None:
            return None
        login_session, user = row
        if login_session.expires_at <= utcnow() or not user.active:
            session.delete(login_session)
            return None
        return principal_for(user)


def logout(db: Database, token: str) -> None:
    """End the session of ``token`` (idempotent)."""
    with db.transaction(SYSTEM, action="auth.logout") as session:
        login_session = session.get(LoginSession, _token_hash(token))
        if login_session is None:
            return
        user = session.get(User, login_session.user_id)
        session.delete(login_session)
        if user is not None:
            audit.record(
                session,
                "auth.logout",
                entity="users",
                entity_id=str(user.id),
                actor=principal_for(user),
            )
