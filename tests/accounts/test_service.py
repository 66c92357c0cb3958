"""Account rules: role/region consistency, password hashing, lockout, disabling."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from ecogov.accounts import service
from ecogov.accounts.models import User
from ecogov.platform.db import Database
from ecogov.platform.errors import (
    AuthenticationRequired,
    Conflict,
    InputError,
    PermissionDenied,
    TooManyRequests,
)
from ecogov.platform.scope import SYSTEM, Principal, Role
from ecogov.platform.throttle import LoginThrottleRules
from tests.helpers import PASSWORD, make_user


def test_password_is_stored_as_argon2id(db: Database) -> None:
    make_user(db, "zj", Role.PROVINCE_OFFICER, "330000")
    with db.transaction(SYSTEM) as session:
        stored = session.scalar(select(User.password_hash).where(User.username == "zj"))
    assert stored is not None
    assert stored.startswith("$argon2id$")
    assert PASSWORD not in stored


@pytest.mark.parametrize(
    ("role", "region", "enterprise", "message"),
    [
        (Role.CITY_OFFICER, "330000", None, "city-level"),
        (Role.COUNTY_OFFICER, "330100", None, "county-level"),
        (Role.PROVINCE_OFFICER, None, None, "needs a region"),
        (Role.PROVINCE_OFFICER, "990000", None, "does not exist"),
        (Role.ADMIN, "330000", None, "not limited"),
        (Role.ENTERPRISE, None, None, "enterprise id"),
        (Role.LEADER, "330000", 5, "takes no enterprise"),
        (Role.PUBLIC, None, None, "anonymous"),
    ],
)
def test_role_and_scope_must_agree(
    db: Database, role: Role, region: str | None, enterprise: int | None, message: str
) -> None:
    with pytest.raises(InputError, match=message):
        make_user(db, "u1", role, region, enterprise)


def test_usernames_are_unique(db: Database) -> None:
    make_user(db, "zj", Role.PROVINCE_OFFICER, "330000")
    with pytest.raises(Conflict):
        make_user(db, "zj", Role.PROVINCE_OFFICER, "330000")


def test_short_passwords_are_refused(db: Database) -> None:
    with pytest.raises(InputError, match="at least 8"):
        service.create_user(db, SYSTEM, username="x", password="short", role=Role.ADMIN)


def test_only_admins_create_accounts(db: Database) -> None:
    officer = Principal("zj", Role.PROVINCE_OFFICER, region_code="330000")
    with pytest.raises(PermissionDenied):
        service.create_user(
            db,
            officer,
            username="y",
            password=PASSWORD,
            role=Role.CITY_OFFICER,
            region_code="330100",
        )


def test_repeated_failures_make_that_client_wait_not_the_real_user(db: Database) -> None:
    """Issue 14: five failures used to lock the username for everyone, right password included;
    now the guessing client waits and the user's own client still gets in."""
    make_user(db, "zj", Role.PROVINCE_OFFICER, "330000")
    rules = LoginThrottleRules()
    for _ in range(rules.pair.free_failures):
        with pytest.raises(AuthenticationRequired, match="用户名或密码错误"):
            service.login(db, "zj", "not-the-password", 1, client="10.0.0.66")
    with pytest.raises(TooManyRequests, match="秒后再试"):
        service.login(db, "zj", PASSWORD, 1, client="10.0.0.66")
    token, user = service.login(db, "zj", PASSWORD, 1, client="10.0.0.7")
    assert user.username == "zj"
    assert service.principal_from_token(db, token) is not None


def test_disabled_account_cannot_log_in_and_loses_sessions(db: Database) -> None:
    make_user(db, "zj", Role.PROVINCE_OFFICER, "330000")
    token, _ = service.login(db, "zj", PASSWORD, 1)
    assert service.principal_from_token(db, token) is not None
    service.set_active(db, SYSTEM, "zj", False)
    assert service.principal_from_token(db, token) is None
    with pytest.raises(AuthenticationRequired):
        service.login(db, "zj", PASSWORD, 1)


def test_expired_session_yields_no_principal(db: Database) -> None:
    make_user(db, "zj", Role.PROVINCE_OFFICER, "330000")
    token, _ = service.login(db, "zj", PASSWORD, 0)
    assert service.principal_from_token(db, token) is None


def test_officers_list_only_accounts_in_their_region(db: Database) -> None:
    make_user(db, "hz", Role.CITY_OFFICER, "330100")
    make_user(db, "xh", Role.COUNTY_OFFICER, "330106")
    make_user(db, "nb", Role.CITY_OFFICER, "330200")
    make_user(db, "root", Role.ADMIN)
    city = Principal("hz", Role.CITY_OFFICER, region_code="330100")
    assert [u.username for u in service.list_users(db, city)] == ["hz", "xh"]
    assert len(service.list_users(db, SYSTEM)) == 4
