"""Region and enterprise scope: randomized probes never see or change rows outside their scope."""

from __future__ import annotations

import random
from collections.abc import Iterator

import pytest
from sqlalchemy import String, delete, select, update
from sqlalchemy.orm import Mapped, mapped_column

from ecogov.platform.db import Database
from ecogov.platform.errors import PermissionDenied
from ecogov.platform.models import Base, EnterpriseScoped, IdMixin, RegionScoped
from ecogov.platform.scope import (
    ANONYMOUS,
    SYSTEM,
    Principal,
    Role,
    region_prefix,
    region_within,
    scope_options,
)


class ScopeProbe(IdMixin, RegionScoped, EnterpriseScoped, Base):
    """A test-only table under region and enterprise scope."""

    __tablename__ = "test_scope_probe"
    label: Mapped[str] = mapped_column(String(32))


REGIONS = ["330102", "330106", "330108", "330212", "330281", "330302", "110101", "110105", "330122"]
PRINCIPALS = [
    Principal("zj", Role.PROVINCE_OFFICER, region_code="330000"),
    Principal("hz", Role.CITY_OFFICER, region_code="330100"),
    Principal("nb", Role.CITY_OFFICER, region_code="330200"),
    Principal("xh", Role.COUNTY_OFFICER, region_code="330106"),
    Principal("bj", Role.PROVINCE_OFFICER, region_code="110000"),
    Principal("ld", Role.LEADER, region_code="330000"),
    Principal("e1", Role.ENTERPRISE, enterprise_id=1),
    Principal("e2", Role.ENTERPRISE, enterprise_id=2),
    ANONYMOUS,
    Principal("admin", Role.ADMIN),
]


def expected_visible(principal: Principal, row: ScopeProbe) -> bool:
    """The rule, stated independently of the implementation."""
    if principal.role is Role.ADMIN:
        return True
    if principal.role is Role.ENTERPRISE:
        return row.enterprise_id == principal.enterprise_id
    if principal.role is Role.PUBLIC:
        return False
    assert principal.region_code is not None
    return row.region_code.startswith(region_prefix(principal.region_code))


def expected_writable(principal: Principal, row: ScopeProbe) -> bool:
    """Read-only roles change nothing; everyone else may change what they see."""
    return principal.role not in (Role.LEADER, Role.PUBLIC) and expected_visible(principal, row)


@pytest.fixture
def probe_db(db: Database) -> Iterator[Database]:
    """The test database with the probe table."""
    table = Base.metadata.tables[ScopeProbe.__tablename__]
    table.create(db.engine, checkfirst=True)
    yield db
    table.drop(db.engine)


def _seed(db: Database, rng: random.Random, count: int) -> list[ScopeProbe]:
    rows = [
        ScopeProbe(
            region_code=rng.choice(REGIONS),
            enterprise_id=rng.choice([None, 1, 2, 3]),
            label=f"row{i}",
        )
        for i in range(count)
    ]
    with db.transaction(SYSTEM) as session:
        session.add_all(rows)
    return rows


def test_region_prefix_follows_gb2260_levels() -> None:
    assert region_prefix("330000") == "33"
    assert region_prefix("330100") == "3301"
    assert region_prefix("330106") == "330106"
    assert region_within("330106", "330100")
    assert not region_within("330212", "330100")
    with pytest.raises(ValueError, match="6 digits"):
        region_prefix("3301")


@pytest.mark.parametrize("seed", range(5))
def test_random_probes_read_only_their_scope(probe_db: Database, seed: int) -> None:
    rng = random.Random(seed)
    rows = _seed(probe_db, rng, 60)
    for principal in PRINCIPALS:
        with probe_db.transaction(principal) as session:
            seen = {row.label for row in session.scalars(select(ScopeProbe))}
            counted = len(session.execute(select(ScopeProbe.id)).all())
        wanted = {row.label for row in rows if expected_visible(principal, row)}
        assert seen == wanted, principal
        assert counted == len(wanted)


@pytest.mark.parametrize("seed", range(3))
def test_random_probes_change_only_their_scope(probe_db: Database, seed: int) -> None:
    rng = random.Random(100 + seed)
    rows = _seed(probe_db, rng, 30)
    for principal in PRINCIPALS:
        target = rng.choice(rows)
        try:
            with probe_db.transaction(principal) as session:
                loaded = session.get(ScopeProbe, target.id)
                if loaded is None:
                    assert not expected_visible(principal, target)
                    continue
                loaded.label = f"changed-by-{principal.username}"
            assert expected_writable(principal, target), principal
        except PermissionDenied:
            assert not expected_writable(principal, target), principal
        # an insert outside scope is refused too
        foreign = ScopeProbe(region_code="650102", enterprise_id=9, label="foreign")
        if principal.role is not Role.ADMIN:
            with pytest.raises(PermissionDenied), probe_db.transaction(principal) as session:
                session.add(foreign)


def test_bulk_update_and_delete_statements_are_scoped(probe_db: Database) -> None:
    rows = _seed(probe_db, random.Random(7), 40)
    city = Principal("hz", Role.CITY_OFFICER, region_code="330100")
    with probe_db.transaction(city) as session:
        session.execute(update(ScopeProbe).values(label="bulk"))
        session.execute(delete(ScopeProbe).where(ScopeProbe.enterprise_id == 3))
    with probe_db.transaction(SYSTEM) as session:
        after = {row.id: row for row in session.scalars(select(ScopeProbe))}
    for row in rows:
        inside = row.region_code.startswith("3301")
        if inside and row.enterprise_id == 3:
            assert row.id not in after
        elif inside:
            assert after[row.id].label == "bulk"
        else:
            assert after[row.id].label == row.label


def test_enterprise_user_without_enterprise_sees_nothing(probe_db: Database) -> None:
    _seed(probe_db, random.Random(3), 10)
    orphan = Principal("orphan", Role.ENTERPRISE)
    with probe_db.transaction(orphan) as session:
        assert session.scalars(select(ScopeProbe)).all() == []


def test_session_without_principal_is_refused(probe_db: Database) -> None:
    from sqlalchemy.orm import Session

    with Session(probe_db.engine) as session, pytest.raises(RuntimeError, match="principal"):
        session.scalars(select(ScopeProbe)).all()


def test_users_who_see_the_same_rows_share_the_scope_options(probe_db: Database) -> None:
    """The loader criteria are built once per visibility and action (issue 20): a second user of
    the same city reuses them and reads the same rows; another city, another role or another
    action has its own, and reads only its rows."""
    rows = _seed(probe_db, random.Random(11), 60)
    first = Principal("hz1", Role.CITY_OFFICER, user_id=1, region_code="330100")
    second = Principal("hz2", Role.CITY_OFFICER, user_id=2, region_code="330100")
    other = Principal("nb", Role.CITY_OFFICER, user_id=3, region_code="330200")
    leader = Principal("ld", Role.LEADER, user_id=4, region_code="330100")
    assert first.visibility == second.visibility != other.visibility
    assert scope_options(first, "read") is scope_options(second, "read")
    assert scope_options(first, "read") is not scope_options(other, "read")
    assert scope_options(first, "read") is not scope_options(first, "update")
    assert scope_options(first, "read") is not scope_options(leader, "read")
    for principal in (first, second, other, leader):
        with probe_db.transaction(principal) as session:
            seen = {row.id for row in session.scalars(select(ScopeProbe))}
        assert seen == {row.id for row in rows if expected_visible(principal, row)}
