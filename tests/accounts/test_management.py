"""The admin's account management in the service (issue 14, defect 11): which role takes which
region or enterprise (property-tested over every role and region level), editing, enabling,
disabling and password resets, each audited and refused to non-admins."""

from __future__ import annotations

import itertools
from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from ecogov.accounts import service
from ecogov.platform.audit import AuditEntry
from ecogov.platform.db import Database
from ecogov.platform.errors import (
    AuthenticationRequired,
    Conflict,
    InputError,
    NotFound,
    PermissionDenied,
)
from ecogov.platform.scope import SYSTEM, Principal, Role
from ecogov.sources import service as sources
from ecogov.sources.demo import demo_uscc
from ecogov.sources.service import NewEnterprise
from tests.helpers import PASSWORD, make_user

NEW_PASSWORD = "new-secret-42"
PROBES = itertools.count()
REGIONS = {"province": "330000", "city": "330100", "county": "330106", "missing": "990000"}
LEVEL_OF_ROLE = {
    Role.PROVINCE_OFFICER: "province",
    Role.CITY_OFFICER: "city",
    Role.COUNTY_OFFICER: "county",
}


def _accepted(role: Role, region: str | None, enterprise: int | None) -> bool:
    """The rule, stated independently of the service: which (role, region level, enterprise)
    an account may have."""
    if role is Role.PUBLIC:
        return False
    if role is Role.ADMIN:
        return region is None and enterprise is None
    if role is Role.ENTERPRISE:
        return region is None and enterprise is not None
    if enterprise is not None or region is None or region == "missing":
        return False
    return role is Role.LEADER or LEVEL_OF_ROLE[role] == region


def _actions(db: Database) -> list[str]:
    with db.transaction(SYSTEM) as session:
        return list(session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    role=st.sampled_from(list(Role)),
    region=st.sampled_from([None, *REGIONS]),
    enterprise=st.sampled_from([None, 1]),
)
def test_role_region_and_enterprise_must_agree(
    db: Database, role: Role, region: str | None, enterprise: int | None
) -> None:
    code = None if region is None else REGIONS[region]
    refusal: InputError | None = None
    try:
        user = service.create_user(
            db,
            SYSTEM,
            username=f"probe{next(PROBES)}",
            password=PASSWORD,
            role=role,
            region_code=code,
            enterprise_id=enterprise,
        )
    except InputError as exc:
        refusal = exc
    if refusal is not None:
        assert not _accepted(role, region, enterprise), refusal
        assert "\u4e00" <= str(refusal)[0] <= "\u9fff", f"not Chinese first: {refusal}"
    else:
        assert _accepted(role, region, enterprise)
        assert (user.role, user.region_code, user.enterprise_id) == (role, code, enterprise)


def test_enterprise_accounts_are_linked_to_enterprises_of_the_register(db: Database) -> None:
    firm = sources.create_enterprise(
        db,
        SYSTEM,
        NewEnterprise(
            uscc=demo_uscc(1, "330106"),
            name="测试印染有限公司",
            industry_code="C1713",
            industry="棉印染精加工",
            region_code="330106",
        ),
    )
    assert service.enterprise_choices(db, SYSTEM) == {firm.enterprise_id: "测试印染有限公司"}
    with pytest.raises(InputError, match="企业 999 不存在"):
        service.create_user(
            db,
            SYSTEM,
            username="qy",
            password=PASSWORD,
            role=Role.ENTERPRISE,
            enterprise_id=999,
            verify_enterprise=True,
        )
    made = service.create_user(
        db,
        SYSTEM,
        username="qy",
        password=PASSWORD,
        role=Role.ENTERPRISE,
        enterprise_id=firm.enterprise_id,
        verify_enterprise=True,
    )
    assert made.enterprise_id == firm.enterprise_id
    with pytest.raises(InputError, match="企业 998 不存在"):
        service.update_user(
            db, SYSTEM, "qy", display_name=None, role=Role.ENTERPRISE, enterprise_id=998
        )
    with pytest.raises(InputError, match=r"企业编号 \d+ 无效"):
        service.update_user(
            db, SYSTEM, "qy", display_name=None, role=Role.ENTERPRISE, enterprise_id=2**63
        )


def test_update_changes_the_scope_a_live_session_acts_with(db: Database) -> None:
    make_user(db, "hz", Role.CITY_OFFICER, "330100")
    token, _ = service.login(db, "hz", PASSWORD, 1)
    changed = service.update_user(
        db,
        SYSTEM,
        "hz",
        display_name=" 西湖区分局 ",
        role=Role.COUNTY_OFFICER,
        region_code="330106",
    )
    assert changed.display_name == "西湖区分局"
    principal = service.principal_from_token(db, token)
    assert principal is not None
    assert (principal.role, principal.region_code) == (Role.COUNTY_OFFICER, "330106")
    assert _actions(db)[-1] == "users.update"
    with pytest.raises(NotFound, match="用户 nobody 不存在"):
        service.update_user(db, SYSTEM, "nobody", display_name=None, role=Role.ADMIN)


def test_reset_password_ends_every_session_and_is_audited_without_it(db: Database) -> None:
    make_user(db, "hz", Role.CITY_OFFICER, "330100")
    tokens = [service.login(db, "hz", PASSWORD, 1, client=f"10.0.0.{n}")[0] for n in (1, 2)]
    with pytest.raises(InputError, match="密码至少需要 8 个字符"):
        service.reset_password(db, SYSTEM, "hz", "short")
    assert service.reset_password(db, SYSTEM, "hz", NEW_PASSWORD) == 2
    assert all(service.principal_from_token(db, token) is None for token in tokens)
    with pytest.raises(AuthenticationRequired):
        service.login(db, "hz", PASSWORD, 1)
    assert service.login(db, "hz", NEW_PASSWORD, 1)[1].username == "hz"
    with db.transaction(SYSTEM) as session:
        entries = list(
            session.scalars(select(AuditEntry).where(AuditEntry.action == "users.reset_password"))
        )
    assert entries
    assert all(NEW_PASSWORD not in f"{e.before} {e.after}" for e in entries)


def test_an_admin_cannot_lock_themself_out(db: Database) -> None:
    root = make_user(db, "root", Role.ADMIN)
    me = service.principal_for(root)
    with pytest.raises(Conflict, match="不能停用自己的账号"):
        service.set_active(db, me, "root", False)
    with pytest.raises(Conflict, match="更改自己的角色"):
        service.update_user(
            db, me, "root", display_name=None, role=Role.PROVINCE_OFFICER, region_code="330000"
        )
    assert service.update_user(db, me, "root", display_name="管理员", role=Role.ADMIN).active


@pytest.mark.parametrize(
    "principal",
    [
        Principal("zj", Role.PROVINCE_OFFICER, region_code="330000"),
        Principal("ld", Role.LEADER, region_code="330000"),
        Principal("qy", Role.ENTERPRISE, enterprise_id=1),
    ],
)
def test_only_admins_manage_accounts(db: Database, principal: Principal) -> None:
    make_user(db, "hz", Role.CITY_OFFICER, "330100")
    calls: list[Callable[[], object]] = [
        lambda: service.get_user(db, principal, "hz"),
        lambda: service.update_user(
            db, principal, "hz", display_name="x", role=Role.CITY_OFFICER, region_code="330100"
        ),
        lambda: service.set_active(db, principal, "hz", False),
        lambda: service.reset_password(db, principal, "hz", NEW_PASSWORD),
        lambda: service.assignable_regions(db, principal, ("330000",)),
        lambda: service.enterprise_choices(db, principal),
    ]
    for call in calls:
        with pytest.raises(PermissionDenied, match="只有平台管理员"):
            call()
    assert service.login(db, "hz", PASSWORD, 1)[1].active


def test_assignable_regions_are_the_served_provinces_by_level(db: Database) -> None:
    choices = service.assignable_regions(db, SYSTEM, ("330000",))
    assert [c.code for c in choices["province"]] == ["330000"]
    assert "330100" in [c.code for c in choices["city"]]
    assert {c.level for c in choices["county"]} == {"county"}
    assert all(c.code.startswith("33") for level in choices.values() for c in level)
    assert service.assignable_regions(db, SYSTEM, ("bad",)) == {
        "province": [],
        "city": [],
        "county": [],
    }
