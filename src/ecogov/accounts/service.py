"""Accounts logic: creating users, logging in and out, turning a session cookie into a principal."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, or_, select
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
from ecogov.platform.i18n import register, translate
from ecogov.platform.models import Base, utcnow
from ecogov.platform.params import ID_MAX
from ecogov.platform.permissions import allowed, authorize
from ecogov.platform.scope import ROLE_REGION_LEVEL, SYSTEM, Principal, Role, region_prefix
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


MAX_ENTERPRISE_ID = ID_MAX
"""The largest enterprise id (the column is a 32-bit integer on every backend)."""

MESSAGES = {
    "audit.entity.login_throttle": ("登录限制", "Login limit"),
    "users.error.public_role": (
        "公众角色仅用于匿名访问，不能用于账号",
        "the public role is for anonymous visitors, not accounts",
    ),
    "users.error.enterprise_needed": (
        "企业用户必须选择所属企业",
        "an enterprise user needs an enterprise id",
    ),
    "users.error.enterprise_unknown": (
        "企业 {enterprise_id} 不存在",
        "enterprise {enterprise_id} does not exist",
    ),
    "users.error.enterprise_range": (
        "企业编号 {enterprise_id} 无效",
        "enterprise id {enterprise_id} is not valid",
    ),
    "users.error.no_enterprise": (
        "{role}不属于企业，不能填写企业",
        "role {role_key} takes no enterprise id",
    ),
    "users.error.admin_region": (
        "平台管理员不限于某个区域，请不要选择区划",
        "an admin is not limited to a region; give no region",
    ),
    "users.error.enterprise_region": (
        "企业用户以所属企业为范围，请不要选择区划",
        "an enterprise user is scoped to its enterprise; give no region",
    ),
    "users.error.region_needed": (
        "{role}必须选择所属区划",
        "role {role_key} needs a region code",
    ),
    "users.error.region_unknown": (
        "区划 {region_code} 不存在",
        "region {region_code} does not exist",
    ),
    "users.error.region_level": (
        "{role}须选择{wanted}区划；{region_code}（{name}）是{actual}",
        "role {role_key} needs a {wanted_key}-level region; {region_code} is {actual_key}",
    ),
    "users.error.username": (
        "用户名“{username}”须为 1–64 个字符，且不含空格",
        "username {username!r} must be 1–64 characters without spaces",
    ),
    "users.error.password_short": (
        "密码至少需要 {minimum} 个字符",
        "password must have at least {minimum} characters",
    ),
    "users.error.exists": ("用户 {username} 已存在", "user {username} already exists"),
    "users.error.display_name": (
        "姓名/单位不能超过 128 个字符",
        "the display name must have at most 128 characters",
    ),
    "users.error.self": (
        "不能停用自己的账号或更改自己的角色",
        "you cannot disable your own account or change your own role",
    ),
}
register(MESSAGES)


def _message(key: str, **values: object) -> str:
    """A message of this module, zh-CN first then English in brackets (errors carry both)."""
    zh = translate(key, "zh").format(**values)
    en = translate(key, "en").format(**values)
    return f"{zh}（{en}）"


def _role_words(role: Role) -> dict[str, str]:
    return {"role": translate(f"role.{role.value}"), "role_key": role.value}


def enterprise_names(session: Session) -> dict[int, str] | None:
    """Enterprise id → name from the enterprise register, or None when no domain installs one.

    Accounts sits below the sources domain (which builds on accounts), so it cannot import the
    register's model; ``users.enterprise_id`` refers to the ``enterprise`` table by the same
    convention as :class:`~ecogov.platform.models.EnterpriseScoped`, read here through the
    shared metadata. Only admins reach this (the users pages and API).
    """
    table = Base.metadata.tables.get("enterprise")
    if table is None or "enterprise_id" not in table.c or "name" not in table.c:
        return None
    rows = session.execute(
        select(table.c.enterprise_id, table.c.name).order_by(table.c.enterprise_id)
    )
    return {int(ident): str(name) for ident, name in rows}


def _check_role_fields(
    session: Session,
    role: Role,
    region_code: str | None,
    enterprise_id: int | None,
    *,
    verify_enterprise: bool = False,
) -> None:
    """Refuse (InputError, zh-CN first) a role whose region or enterprise does not fit it: a
    county officer needs a county code, a city officer a city code, a province officer a
    province code, a leader any region; an enterprise user an enterprise (one of the register
    when ``verify_enterprise``) and no region; an admin neither."""
    words = _role_words(role)
    if role is Role.PUBLIC:
        raise InputError(_message("users.error.public_role"))
    if enterprise_id is not None and not 1 <= enterprise_id <= MAX_ENTERPRISE_ID:
        raise InputError(_message("users.error.enterprise_range", enterprise_id=enterprise_id))
    if role is Role.ENTERPRISE:
        # an enterprise account's scope is its enterprise; a region would be misleading
        if region_code is not None:
            raise InputError(_message("users.error.enterprise_region"))
        if enterprise_id is None:
            raise InputError(_message("users.error.enterprise_needed"))
        names = enterprise_names(session) if verify_enterprise else None
        if names is not None and enterprise_id not in names:
            unknown = _message("users.error.enterprise_unknown", enterprise_id=enterprise_id)
            raise InputError(unknown)
        return
    if enterprise_id is not None:
        raise InputError(_message("users.error.no_enterprise", **words))
    if role is Role.ADMIN:
        if region_code is not None:
            raise InputError(_message("users.error.admin_region"))
        return
    if region_code is None:
        raise InputError(_message("users.error.region_needed", **words))
    region = session.get(Region, region_code)
    if region is None:
        raise InputError(_message("users.error.region_unknown", region_code=region_code))
    wanted = ROLE_REGION_LEVEL.get(role)
    if wanted is not None and region.level != wanted:
        raise InputError(
            _message(
                "users.error.region_level",
                **words,
                wanted=translate(f"region.level.{wanted}"),
                wanted_key=wanted,
                region_code=region_code,
                name=region.name,
                actual=translate(f"region.level.{region.level}"),
                actual_key=region.level,
            )
        )


def hash_password(password: str) -> str:
    """An argon2id hash of ``password`` (refuses passwords shorter than 8 characters)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InputError(_message("users.error.password_short", minimum=MIN_PASSWORD_LENGTH))
    return _hasher.hash(password)


def _clean_display_name(display_name: str | None, username: str) -> str:
    name = (display_name or "").strip() or username
    if len(name) > 128:
        raise InputError(_message("users.error.display_name"))
    return name


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
    verify_enterprise: bool = False,
) -> UserView:
    """Create an account (admins only, audited). ``verify_enterprise`` also requires an
    enterprise user's enterprise to be in the register (the admin's pages and API ask it)."""
    authorize(principal, "create", USERS)
    username = username.strip()
    if not username or len(username) > 64 or any(ch.isspace() for ch in username):
        raise InputError(_message("users.error.username", username=username))
    name = _clean_display_name(display_name, username)
    with db.transaction(principal, action="users.create") as session:
        _check_role_fields(
            session, role, region_code, enterprise_id, verify_enterprise=verify_enterprise
        )
        if session.scalar(select(User.id).where(User.username == username)) is not None:
            raise Conflict(_message("users.error.exists", username=username))
        user = User(
            username=username,
            display_name=name,
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


def _managed_user(session: Session, username: str) -> User:
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        raise NotFound(translate("auth.no_such_user").format(username=username))
    return user


def _end_sessions(session: Session, user: User) -> None:
    session.execute(delete(LoginSession).where(LoginSession.user_id == user.id))


def _refuse_self(principal: Principal, user: User) -> None:
    """An admin may not lock themself out (the platform would be left without its admin)."""
    if principal.user_id is not None and principal.user_id == user.id:
        raise Conflict(_message("users.error.self"))


def get_user(db: Database, principal: Principal, username: str) -> UserView:
    """One account, for the admin's edit form (admins only)."""
    authorize(principal, "manage", USERS)
    with db.transaction(principal) as session:
        return _view(_managed_user(session, username))


def update_user(
    db: Database,
    principal: Principal,
    username: str,
    *,
    display_name: str | None,
    role: Role,
    region_code: str | None = None,
    enterprise_id: int | None = None,
) -> UserView:
    """Change an account's display name, role, region and enterprise (admins only, audited
    before → after); an empty ``display_name`` keeps the current one. The new role must agree
    with its region or enterprise as on creation; a session of the account carries the new
    scope from its next request on."""
    authorize(principal, "manage", USERS)
    with db.transaction(principal, action="users.update") as session:
        user = _managed_user(session, username)
        if role.value != user.role:
            _refuse_self(principal, user)
        verify = enterprise_id is not None and enterprise_id != user.enterprise_id
        _check_role_fields(session, role, region_code, enterprise_id, verify_enterprise=verify)
        user.display_name = _clean_display_name(display_name or user.display_name, user.username)
        user.role = role.value
        user.region_code = region_code
        user.enterprise_id = enterprise_id
        session.flush()
        return _view(user)


def set_active(db: Database, principal: Principal, username: str, active: bool) -> UserView:
    """Enable or disable an account (admins only, audited); disabling ends its sessions."""
    authorize(principal, "manage", USERS)
    with db.transaction(principal, action="users.enable" if active else "users.disable") as session:
        user = _managed_user(session, username)
        if not active:
            _refuse_self(principal, user)
        user.active = active
        if not active:
            _end_sessions(session, user)
        session.flush()
        return _view(user)


def reset_password(db: Database, principal: Principal, username: str, password: str) -> int:
    """Set a new password chosen by an admin (the password rules apply; admins only, audited
    without the password) and end every session of the account; the sessions ended."""
    authorize(principal, "manage", USERS)
    password_hash = hash_password(password)
    with db.transaction(principal, action="users.reset_password") as session:
        user = _managed_user(session, username)
        user.password_hash = password_hash
        ended = len(
            session.execute(
                delete(LoginSession)
                .where(LoginSession.user_id == user.id)
                .returning(LoginSession.token_hash)
                .execution_options(synchronize_session=False)
            ).all()
        )
        audit.record(
            session,
            "users.reset_password",
            entity="users",
            entity_id=str(user.id),
            details={"username": user.username, "sessions_ended": ended},
        )
        return ended


@dataclass(frozen=True)
class RegionChoice:
    """A region an admin may assign to an account, for the form's select."""

    code: str
    name: str
    level: str


def assignable_regions(
    db: Database, principal: Principal, provinces: Sequence[str]
) -> dict[str, list[RegionChoice]]:
    """Regions an admin may give an account, by level (``province``, ``city``, ``county``): the
    provinces the platform serves (``provinces``, the settings' boundary provinces) and every
    division below them, by code. Admins only."""
    authorize(principal, "manage", USERS)
    by_level: dict[str, list[RegionChoice]] = {level: [] for level in ROLE_REGION_LEVEL.values()}
    prefixes = tuple(region_prefix(code) for code in provinces if _is_code(code))
    if not prefixes:
        return by_level
    with db.transaction(principal) as session:
        rows = session.scalars(
            select(Region)
            .where(or_(*(Region.code.startswith(prefix) for prefix in prefixes)))
            .order_by(Region.code)
        )
        for region in rows:
            if region.level in by_level:
                by_level[region.level].append(RegionChoice(region.code, region.name, region.level))
    return by_level


def _is_code(code: str) -> bool:
    return len(code) == 6 and code.isdigit()


def enterprise_choices(db: Database, principal: Principal) -> dict[int, str] | None:
    """Enterprises an admin may link an enterprise account to (id → name), or None when no
    enterprise register is installed. Admins only."""
    authorize(principal, "manage", USERS)
    with db.transaction(principal) as session:
        return enterprise_names(session)


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
