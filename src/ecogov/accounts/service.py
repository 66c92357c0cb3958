"""Accounts logic: creating users, logging in and out, turning a session cookie into a principal."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ecogov.accounts.access import USERS
from ecogov.accounts.models import LoginAttempt, LoginSession, User
from ecogov.platform import audit
from ecogov.platform.db import Database
from ecogov.platform.errors import AuthenticationRequired, Conflict, InputError
from ecogov.platform.models import utcnow
from ecogov.platform.permissions import authorize
from ecogov.platform.scope import ROLE_REGION_LEVEL, SYSTEM, Principal, Role
from ecogov.regions.models import Region

MAX_FAILURES = 5
LOCK_MINUTES = 15
MIN_PASSWORD_LENGTH = 8
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


def _register_failure(session: Session, username: str, now: datetime) -> None:
    attempt = session.get(LoginAttempt, username) or LoginAttempt(username=username, failures=0)
    attempt.failures += 1
    if attempt.failures >= MAX_FAILURES:
        attempt.locked_until = now + timedelta(minutes=LOCK_MINUTES)
        attempt.failures = 0
    session.add(attempt)


def login(db: Database, username: str, password: str, session_hours: int) -> tuple[str, UserView]:
    """Check a password and open a session; returns the cookie token and the user.

    Five failures in a row lock the username for 15 minutes. Every attempt is audited.
    """
    now = utcnow()
    with db.transaction(SYSTEM, action="auth.login") as session:
        attempt = session.get(LoginAttempt, username)
        if attempt is not None and attempt.locked_until is not None and attempt.locked_until > now:
            audit.record(session, "auth.login_locked", entity="users", entity_id=username)
            raise AuthenticationRequired("too many failed logins; try again later")
        user = session.scalar(select(User).where(User.username == username))
        if user is None or not user.active or not _verify(user.password_hash, password):
            _register_failure(session, username, now)
            audit.record(session, "auth.login_failed", entity="users", entity_id=username)
            failed = True
        else:
            failed = False
            if attempt is not None:
                session.delete(attempt)
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
    if failed:  # raised after the commit so the failure counter and its audit entry are kept
        raise AuthenticationRequired("wrong username or password")
    return token, view


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
