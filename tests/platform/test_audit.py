"""The audit log: every state change with who, when, what, before → after."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from ecogov.accounts.models import User
from ecogov.accounts.service import set_active
from ecogov.platform import audit
from ecogov.platform.audit import AuditEntry
from ecogov.platform.db import Database
from ecogov.platform.errors import PermissionDenied
from ecogov.platform.scope import SYSTEM, Principal, Role
from tests.helpers import make_user


def _entries(db: Database, **filters: str) -> list[AuditEntry]:
    with db.transaction(SYSTEM) as session:
        return audit.query(session, **filters)  # type: ignore[arg-type]


def test_insert_is_logged_with_after_image_and_redacted_secret(db: Database) -> None:
    user = make_user(db, "wz", Role.CITY_OFFICER, "330300")
    [entry] = _entries(db, action="users.create")
    assert entry.actor == "system"
    assert entry.entity == "users"
    assert entry.entity_id == str(user.id)
    assert entry.region_code == "330300"
    assert entry.before is None
    assert entry.after is not None
    assert entry.after["username"] == "wz"
    assert entry.after["password_hash"] == audit.REDACTED


def test_update_logs_only_changed_columns_before_and_after(db: Database) -> None:
    make_user(db, "hz2", Role.CITY_OFFICER, "330100")
    set_active(db, SYSTEM, "hz2", False)
    [entry] = _entries(db, action="users.disable")
    assert entry.before == {"active": True}
    assert entry.after == {"active": False}


def test_delete_logs_before_image(db: Database) -> None:
    user = make_user(db, "gone", Role.COUNTY_OFFICER, "330106")
    with db.transaction(SYSTEM, action="users.delete") as session:
        session.delete(session.get(User, user.id))
    [entry] = _entries(db, action="users.delete")
    assert entry.before is not None
    assert entry.before["username"] == "gone"
    assert entry.after is None


def test_actor_is_the_acting_principal(db: Database) -> None:
    make_user(db, "nb", Role.CITY_OFFICER, "330200")
    officer = Principal("zj-officer", Role.PROVINCE_OFFICER, region_code="330000")
    with db.transaction(officer, action="users.rename") as session:
        user = session.scalar(select(User).where(User.username == "nb"))
        assert user is not None
        user.display_name = "宁波市生态环境局"
    [entry] = _entries(db, action="users.rename")
    assert (entry.actor, entry.actor_role) == ("zj-officer", "province_officer")
    assert entry.after == {"display_name": "宁波市生态环境局"}


def test_refused_change_leaves_no_entry(db: Database) -> None:
    make_user(db, "sx", Role.CITY_OFFICER, "330600")
    leader = Principal("leader", Role.LEADER, region_code="330000")
    with pytest.raises(PermissionDenied), db.transaction(leader, action="users.rename") as session:
        user = session.scalar(select(User).where(User.username == "sx"))
        assert user is not None
        user.display_name = "changed"
    assert _entries(db, action="users.rename") == []


def test_only_admins_read_the_log(db: Database) -> None:
    officer = Principal("zj", Role.PROVINCE_OFFICER, region_code="330000")
    with pytest.raises(PermissionDenied), db.transaction(officer) as session:
        audit.query(session)


def test_filters_by_actor_action_and_entity(db: Database) -> None:
    make_user(db, "a1", Role.CITY_OFFICER, "330100")
    make_user(db, "a2", Role.CITY_OFFICER, "330200")
    assert len(_entries(db, action="users.")) == 2
    assert len(_entries(db, entity="users", actor="system")) == 2
    assert _entries(db, actor="nobody") == []
