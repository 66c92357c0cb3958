"""Randomized scope probes: random principals × random objects of every scoped table, through the
session guard every service uses, through the services themselves and through the API — with no
read or write outside the permission table's scope (issue 14, acceptance: ≥ 10,000 probes, 0
leaks).

The expected answer is stated here independently: the scopes come from the table as the bureaus
asked for it (``EXPECTED`` of ``test_permissions``) or, for tables that declare no kind, from the
generic rule; whether a row lies within a scope is computed here from its codes.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    Float,
    Integer,
    LargeBinary,
    Numeric,
    String,
    Table,
    Text,
    UniqueConstraint,
    select,
    update,
)
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified
from sqlalchemy.sql.elements import KeyedColumnElement

from ecogov.accounts.models import User
from ecogov.enforcement import draws, inspections
from ecogov.hj212 import commands
from ecogov.hj212.commands import CommandRequest
from ecogov.monitoring.air import views as air_views
from ecogov.monitoring.air.models import AirStation
from ecogov.monitoring.water import service as water
from ecogov.monitoring.water.models import Section
from ecogov.plans import queries
from ecogov.plans import service as plans
from ecogov.platform.db import Database
from ecogov.platform.errors import EcogovError, PermissionDenied
from ecogov.platform.models import Base, EnterpriseScoped, RegionScoped, UTCDateTime, utcnow
from ecogov.platform.permissions import kinds
from ecogov.platform.plugins import domains
from ecogov.platform.scope import ANONYMOUS, SYSTEM, Principal, Role
from ecogov.sources import service as sources
from ecogov.sources.demo import demo_uscc
from ecogov.sources.service import NewEnterprise
from ecogov.waste import manifests as waste_manifests
from ecogov.waste import money as waste_money
from ecogov.waste import parties as waste_parties
from ecogov.waste import records as waste_records
from tests.helpers import login, make_user
from tests.monitoring.water.test_pages import REGISTRY
from tests.plans.support import small_plan
from tests.platform.test_permissions import EXPECTED

MIN_PROBES = 10_000
ROWS_PER_TABLE = 50
"""Rows the filler adds to a scoped table the services left empty."""
COUNTIES = ["330106", "330102", "330212", "330302"]
OFFICER_REGIONS = {
    Role.PROVINCE_OFFICER: ["330000", "110000"],
    Role.CITY_OFFICER: ["330100", "330200", "330300"],
    Role.COUNTY_OFFICER: ["330106", "330102", "330212"],
    Role.LEADER: ["330000", "330100", "330200"],
}
WRITE = {"insert": "create", "update": "update", "delete": "delete"}


class _Rollback(Exception):
    """Raised to leave a probing transaction without committing."""


def scoped_classes() -> list[type[Base]]:
    """Every mapped table under region or enterprise scope."""
    domains()  # every domain's models imported
    classes: list[type[Base]] = [mapper.class_ for mapper in Base.registry.mappers]
    found = [
        cls
        for cls in classes
        if issubclass(cls, RegionScoped | EnterpriseScoped)
        and not cls.__scope_exempt__
        and not cls.__tablename__.startswith("test_")
    ]
    # parents before children, so a filler row's foreign keys find a row to point at
    order = {table.name: index for index, table in enumerate(Base.metadata.sorted_tables)}
    return sorted(found, key=lambda cls: (order[str(cls.__tablename__)], str(cls.__tablename__)))


# --- the rule, stated independently -------------------------------------------------------------


def _prefix(code: str) -> str:
    level = 2 if code.endswith("0000") else 4 if code.endswith("00") else 6
    return code[:level]


def _generic_scope(cls: type[Base], role: Role, action: str) -> str:
    """Tables without a kind: admins all; officers and leaders their region; enterprises their
    own; leaders write only what ``__leader_writes__`` names; the public nothing."""
    if action == "read" and cls.__public_read__:
        return "all"
    if role is Role.ADMIN:
        return "all"
    if role is Role.ENTERPRISE:
        return "enterprise"
    if role in (Role.PROVINCE_OFFICER, Role.CITY_OFFICER, Role.COUNTY_OFFICER):
        return "region"
    if role is Role.LEADER:
        if action == "read":
            return "region"
        operation = {v: k for k, v in WRITE.items()}[action]
        return "region" if operation in cls.__leader_writes__ else "none"
    return "none"


def expected_scope(cls: type[Base], role: Role, action: str) -> str:
    kind = cls.__resource_kind__
    if kind is None:
        return _generic_scope(cls, role, action)
    return str(EXPECTED[kind].get(action, {}).get(role, "none"))


@dataclass(frozen=True)
class Row:
    """What decides a row's scope: its table, key, region and enterprise."""

    cls: type[Base]
    key: Any
    region_code: str | None
    enterprise_id: int | None
    parties: frozenset[int] = frozenset()
    """The enterprises party to the row, for kinds with party grants (a waste manifest's
    generator, carrier and receiver)."""
    regions: frozenset[str] = frozenset()
    """Every region the row names in a ``…region_code`` column (a waste manifest's origin,
    carrier's and receiver's), for kinds with concerned-region grants."""


def within(principal: Principal, scope: str, row: Row) -> bool:
    if scope == "all":
        return True
    if scope == "region":
        return (
            issubclass(row.cls, RegionScoped)
            and principal.region_code is not None
            and row.region_code is not None
            and row.region_code.startswith(_prefix(principal.region_code))
        )
    if scope == "enterprise":
        return (
            issubclass(row.cls, EnterpriseScoped)
            and principal.enterprise_id is not None
            and row.enterprise_id == principal.enterprise_id
        )
    if scope == "concerned":
        return principal.region_code is not None and any(
            region.startswith(_prefix(principal.region_code)) for region in row.regions
        )
    if scope == "party":
        return principal.enterprise_id is not None and principal.enterprise_id in row.parties
    return False


def may(principal: Principal, action: str, row: Row) -> bool:
    return within(principal, expected_scope(row.cls, principal.role, action), row)


# --- a small dataset with rows in every scoped table ------------------------------------------


def _seed_sources(db: Database) -> list[int]:
    ids = []
    for index, county in enumerate(COUNTIES, start=1):
        firm = sources.create_enterprise(
            db,
            SYSTEM,
            NewEnterprise(
                uscc=demo_uscc(70_000 + index, county),
                name=f"探针企业{index}",
                industry_code="C2614",
                industry="有机化学原料制造",
                region_code=county,
            ),
        )
        outlet = sources.add_outlet(
            db, SYSTEM, firm.enterprise_id, code="DA001", name="", medium="gas"
        )
        mn = f"{county}{index:018X}"
        device = sources.register_device(db, SYSTEM, outlet.id, mn=mn, pw="123456")
        sources.add_device_factor(
            db, SYSTEM, device.id, factor_code="a21026", unit="mg/m³", range_high=200
        )
        sources.set_permit_limit(
            db, SYSTEM, outlet.id, factor_code="a21026", limit_value=35, unit="mg/m³"
        )
        sources.add_meter(
            db, SYSTEM, firm.enterprise_id, code="TM01", name="", line="treatment", running_kw=10
        )
        commands.send_command(db, SYSTEM, mn, CommandRequest("1011"))
        ids.append(firm.enterprise_id)
    return ids


def _seed_plans(db: Database) -> None:
    small_plan(db, "330100", [("1", "2026-06-30", ("杭州市生态环境局",))])
    small_plan(db, "330200", [("1", "2026-06-30", ("宁波市生态环境局",))], title="宁波要点")
    for county in ("330106", "330212"):
        item = plans.create_item(
            db,
            SYSTEM,
            region_code=county,
            problem="探针问题",
            origin="inspection",
            target="整改到位",
            measures="落实措施",
            deadline=date(2026, 12, 31),
            unit_name=None,
        )
        files = [plans.EvidenceFile("photo.jpg", "image/jpeg", b"evidence")]
        plans.add_report(db, SYSTEM, "rectification", item, "进展", files)


def _seed_monitoring(db: Database) -> None:
    water.import_files(db, SYSTEM, "sections", [("sections.csv", REGISTRY.encode())])
    with db.transaction(SYSTEM) as session:
        for index, county in enumerate(COUNTIES, start=1):
            session.add(
                AirStation(
                    code=f"PRB{index:02d}",
                    name=f"探针站{index}",
                    region_code=county,
                    city_code=county[:4] + "00",
                    kind="national",
                    source="test",
                )
            )


def _seed_waste(db: Database, enterprises: list[int]) -> None:
    """Every waste table through the waste services: each probe enterprise a generator (with a
    facility, a plan line and a ledger entry), a carrier and a receiver licensed for one code;
    manifests between enterprises of different counties, received, each with a payment, and a
    cross-province approval."""
    code, start = "900-249-08", date(2026, 1, 1)
    generators, carriers, receivers = [], [], []
    for index, firm in enumerate(enterprises):
        generator = waste_parties.create_party(
            db, SYSTEM, waste_parties.NewParty(firm, "generator", management_class="key")
        )
        carriers.append(
            waste_parties.create_party(
                db,
                SYSTEM,
                waste_parties.NewParty(
                    firm,
                    "carrier",
                    transport_licence_no=f"运{index}",
                    vehicles=(f"浙A0000{index}",),
                ),
            )
        )
        receiver = waste_parties.create_party(db, SYSTEM, waste_parties.NewParty(firm, "receiver"))
        waste_parties.add_licence(
            db,
            SYSTEM,
            waste_parties.NewLicence(
                f"L{index}", receiver.id, "operation", start, date(2028, 12, 31), code, 1000.0
            ),
        )
        waste_parties.add_facility(
            db,
            SYSTEM,
            waste_parties.NewFacility(generator.id, f"F{index}", "贮存库", "storage", 50),
        )
        waste_records.set_plan_line(
            db, SYSTEM, waste_records.PlanLine(generator.id, 2026, code, 10)
        )
        waste_records.add_ledger_entries(
            db,
            SYSTEM,
            [waste_records.NewLedgerEntry(f"E{index}", generator.id, start, code, "generated", 1)],
        )
        generators.append(generator)
        receivers.append(receiver)
    far = sources.create_enterprise(
        db,
        SYSTEM,
        NewEnterprise(
            uscc=demo_uscc(79_999, "320115"),
            name="探针省外处置企业",
            industry_code="N7724",
            industry="危险废物治理",
            region_code="320115",
        ),
    )
    far_receiver = waste_parties.create_party(
        db, SYSTEM, waste_parties.NewParty(far.enterprise_id, "receiver")
    )
    for index, generator in enumerate(generators):
        waste_parties.record_approval(
            db,
            SYSTEM,
            waste_parties.NewApproval(
                f"A{index}", generator.id, far_receiver.id, code, 100, start, date(2026, 12, 31)
            ),
        )
    for index, generator in enumerate(generators):
        carrier = carriers[(index + 1) % len(carriers)]
        receiver = receivers[(index + 2) % len(receivers)]
        number = waste_manifests.create_manifest(
            db,
            SYSTEM,
            waste_manifests.NewManifest(generator.id, carrier.id, receiver.id, code, 2.0),
        ).manifest_no
        for move in ("sign_out", "pick_up", "deliver", "receive"):
            receipt = waste_manifests.Receipt(received=2.0)
            waste_manifests.move_manifest(db, SYSTEM, number, move, receipt=receipt)
        waste_money.add_money_document(
            db,
            SYSTEM,
            waste_money.NewMoneyDocument(
                f"M{index}",
                "payment",
                generator.id,
                receiver.id,
                start,
                3000,
                manifest_no=number,
                quantity=2.0,
                waste_code=code,
            ),
        )


def _seed_enforcement(db: Database) -> None:
    """The directory from the seeded enterprises, and a checklist (reference data, not scoped)
    for the inspections the filler makes."""
    draws.sync_directory(db, SYSTEM, "330000")
    inspections.add_checklist(db, SYSTEM, "*", "routine", "探针检查表", [("permit", "持证排污")])


def _enumerated(cls: type[Base]) -> dict[str, str]:
    """The first allowed value of every column a ``col IN ('a', …)`` check constraint closes."""
    found: dict[str, str] = {}
    table = cls.__table__
    assert isinstance(table, Table)
    for constraint in table.constraints:
        if isinstance(constraint, CheckConstraint):
            match = re.match(r"\s*(\w+) IN \('([^']*)'", str(constraint.sqltext))
            if match:
                found[match.group(1)] = match.group(2)
    return found


def _one_to_one(column: KeyedColumnElement[Any]) -> bool:
    """Whether ``column`` may hold each value once (a one-to-one foreign key)."""
    assert isinstance(column, Column)
    assert isinstance(column.table, Table)
    return bool(column.unique) or any(
        isinstance(c, UniqueConstraint) and list(c.columns) == [column]
        for c in column.table.constraints
    )


def _filler(cls: type[Base], session: Session, rng: random.Random, serial: int) -> Base:
    """A row of ``cls`` with every required column filled (foreign keys: an existing row;
    enumerated columns: an allowed value)."""
    values: dict[str, Any] = dict(_enumerated(cls))
    for column in cls.__table__.columns:
        if column.primary_key and isinstance(column.type, Integer):
            continue
        if column.name == "region_code":
            values[column.name] = rng.choice(COUNTIES)
            continue
        if column.nullable or column.default is not None or column.server_default is not None:
            continue
        if column.name in values:
            continue
        if column.foreign_keys:
            (fk,) = column.foreign_keys
            parents = select(fk.column)
            if _one_to_one(column):
                parents = parents.where(fk.column.not_in(select(column)))
            values[column.name] = session.scalar(parents.limit(1))
        elif isinstance(column.type, UTCDateTime):
            values[column.name] = utcnow()
        elif isinstance(column.type, Date):
            values[column.name] = date(2026, 1, 1)
        elif isinstance(column.type, Boolean):
            values[column.name] = False
        elif isinstance(column.type, Integer):
            values[column.name] = 2026
        elif isinstance(column.type, Float):
            values[column.name] = 1.0
        elif isinstance(column.type, Numeric):
            values[column.name] = Decimal("1.00")
        elif isinstance(column.type, JSON):
            values[column.name] = []
        elif isinstance(column.type, LargeBinary):
            values[column.name] = b"x"
        elif isinstance(column.type, String | Text):
            length = getattr(column.type, "length", None) or 16
            values[column.name] = f"p{serial}"[:length]
    return cls(**values)


def api_users(enterprises: list[int]) -> list[Principal]:
    """The accounts the API probes log in as, one or two of every role."""
    return [
        Principal("p-zj", Role.PROVINCE_OFFICER, region_code="330000"),
        Principal("p-nb", Role.CITY_OFFICER, region_code="330200"),
        Principal("p-xh", Role.COUNTY_OFFICER, region_code="330106"),
        Principal("p-ld", Role.LEADER, region_code="330100"),
        Principal("p-e1", Role.ENTERPRISE, enterprise_id=enterprises[0]),
        Principal("p-admin", Role.ADMIN),
    ]


def seed(db: Database, rng: random.Random) -> list[int]:
    enterprises = _seed_sources(db)
    first, *others = api_users(enterprises)
    make_user(db, first.username, first.role, first.region_code, first.enterprise_id)
    with db.transaction(SYSTEM) as session:
        # one password hash for all (argon2 is slow on purpose)
        password_hash = session.scalars(select(User.password_hash)).one()
        for user in others:
            session.add(
                User(
                    username=user.username,
                    display_name=user.username,
                    role=user.role.value,
                    region_code=user.region_code,
                    enterprise_id=user.enterprise_id,
                    password_hash=password_hash,
                    active=True,
                )
            )
    _seed_plans(db)
    _seed_monitoring(db)
    _seed_waste(db, enterprises)
    _seed_enforcement(db)
    with db.transaction(SYSTEM) as session:
        # parents before children, so a filler's foreign keys find a row
        order = {table.name: index for index, table in enumerate(Base.metadata.sorted_tables)}
        ordered = sorted(scoped_classes(), key=lambda cls: order[str(cls.__tablename__)])
        for serial, cls in enumerate(ordered):
            if session.scalar(select(cls).limit(1)) is None:
                for extra in range(ROWS_PER_TABLE):
                    session.add(_filler(cls, session, rng, serial * 10 + extra))
                session.flush()
    return enterprises


def snapshot(db: Database) -> dict[type[Base], list[Row]]:
    rows: dict[type[Base], list[Row]] = {}
    with db.transaction(SYSTEM) as session:
        for cls in scoped_classes():
            (key,) = cls.__mapper__.primary_key
            rows[cls] = [
                Row(cls, obj_key, region, firm)
                for obj_key, region, firm in session.execute(
                    select(
                        key,
                        getattr(cls, "region_code", None) or key,
                        getattr(cls, "enterprise_id", None) or key,
                    ).order_by(key)
                ).all()
            ]
            party_of = getattr(kinds().get(str(cls.__resource_kind__)), "parties", None)
            if party_of is not None:
                rows[cls] = [
                    Row(cls, r.key, r.region_code, r.enterprise_id, frozenset(party_of(obj)))
                    for r in rows[cls]
                    for obj in (session.get(cls, r.key),)
                ]
            region_columns = [c for c in cls.__table__.columns if c.name.endswith("region_code")]
            rows[cls] = [
                replace(r, regions=frozenset(v for v in values if v is not None))
                for r, values in zip(
                    rows[cls],
                    session.execute(select(*region_columns).order_by(key)).all()
                    if region_columns
                    else [() for _ in rows[cls]],
                    strict=True,
                )
            ]
            if not issubclass(cls, RegionScoped):
                rows[cls] = [replace(r, region_code=None) for r in rows[cls]]
            if not issubclass(cls, EnterpriseScoped):
                rows[cls] = [replace(r, enterprise_id=None) for r in rows[cls]]
    return rows


def random_principal(rng: random.Random, enterprises: list[int]) -> Principal:
    role = rng.choice(list(Role))
    if role in OFFICER_REGIONS:
        return Principal("probe", role, region_code=rng.choice(OFFICER_REGIONS[role]))
    if role is Role.ENTERPRISE:
        return Principal("probe", role, enterprise_id=rng.choice([*enterprises, None, 999]))
    return Principal("admin", role) if role is Role.ADMIN else ANONYMOUS


# --- the probes ------------------------------------------------------------------------------


class Probes:
    """Counts probes and collects leaks (an answer other than the rule's)."""

    def __init__(self) -> None:
        self.count = 0
        self.leaks: list[str] = []

    def check(self, ok: bool, what: str) -> None:
        self.count += 1
        if not ok:
            self.leaks.append(what)


def _key_attribute(cls: type[Base]) -> Any:
    """The mapped primary-key attribute (the ORM entity's, so the session guard applies)."""
    (column,) = cls.__mapper__.primary_key
    return getattr(cls, cls.__mapper__.get_property_by_column(column).key)


def probe_reads(
    db: Database, probes: Probes, principal: Principal, rows: dict[Any, list[Row]]
) -> None:
    """Every row of every scoped table: visible exactly when the rule says so."""
    with db.transaction(principal) as session:
        for cls, all_rows in rows.items():
            seen = set(session.scalars(select(_key_attribute(cls))))
            for row in all_rows:
                probes.check(
                    (row.key in seen) is may(principal, "read", row),
                    f"read {cls.__tablename__} {row} as {principal}",
                )


def probe_get_and_write(db: Database, probes: Probes, principal: Principal, row: Row) -> None:
    """Load one row by key, then try to change it (rolled back): both as the rule says."""
    try:
        with db.transaction(principal) as session:
            loaded = session.get(row.cls, row.key)
            probes.check(
                (loaded is not None) is may(principal, "read", row),
                f"get {row} as {principal}",
            )
            if loaded is None:
                return
            flag_modified(loaded, "region_code" if row.region_code else "enterprise_id")
            try:
                session.flush()
                changed = True
            except PermissionDenied:
                changed = False
            probes.check(changed is may(principal, "update", row), f"update {row} as {principal}")
            raise _Rollback
    except _Rollback:
        pass


def probe_bulk_update(
    db: Database, probes: Probes, principal: Principal, cls: type[Base], all_rows: list[Row]
) -> None:
    """A bulk UPDATE reaches exactly the rows the principal may update (rolled back)."""
    (key,) = cls.__mapper__.primary_key
    try:
        with db.transaction(principal) as session:
            result = session.execute(
                update(cls).values({key.name: key}),
                execution_options={"synchronize_session": False},
            )
            reached: int = getattr(result, "rowcount", -1)
            wanted = sum(1 for row in all_rows if may(principal, "update", row))
            probes.check(
                reached == wanted, f"bulk update {cls.__tablename__} as {principal}: {reached}"
            )
            raise _Rollback
    except _Rollback:
        pass


SERVICES: dict[str, tuple[str, Callable[[Database, Principal, Any], object]]] = {
    "enterprise": ("read", lambda db, p, key: sources.get_enterprise(db, p, key)),
    "hj212_command": ("read", lambda db, p, key: commands.get_command(db, p, key)),
    "air_station": ("read", lambda db, p, code: air_views.station(db, p, code)),
    "water_section": ("read", lambda db, p, code: water.get_section(db, p, code)),
    "rectification_item": ("read", lambda db, p, key: queries.detail(db, p, "rectification", key)),
    "plan_task": ("read", lambda db, p, key: queries.detail(db, p, "task", key)),
}
"""Service getters by table: they answer for rows in scope and refuse the others."""


def probe_service(db: Database, probes: Probes, principal: Principal, row: Row, key: Any) -> None:
    action, call = SERVICES[row.cls.__tablename__]
    wanted = may(principal, action, row)
    if row.cls.__tablename__ in ("rectification_item", "plan_task"):
        wanted = wanted and EXPECTED["plans.plan"]["read"][principal.role] != "none"
    try:
        call(db, principal, key)
        answered = True
    except (EcogovError, ValueError):
        answered = False
    probes.check(answered is wanted, f"service {row} as {principal}")


def test_random_principals_never_reach_outside_their_scope(
    db: Database, client: TestClient
) -> None:
    rng = random.Random(20261206)
    enterprises = seed(db, rng)
    rows = snapshot(db)
    empty = [cls.__tablename__ for cls, found in rows.items() if not found]
    assert not empty, f"scoped tables without rows to probe: {empty}"
    probes = Probes()
    principals = [random_principal(rng, enterprises) for _ in range(30)]

    # the session guard every service reads and writes through
    for principal in principals:
        probe_reads(db, probes, principal, rows)
    every_row = [row for found in rows.values() for row in found]
    for _ in range(120):
        probe_get_and_write(db, probes, rng.choice(principals), rng.choice(every_row))
    for _ in range(60):
        cls = rng.choice(list(rows))
        probe_bulk_update(db, probes, rng.choice(principals), cls, rows[cls])

    # the services' own getters
    codes = _natural_keys(db)
    service_rows = [row for row in every_row if row.cls.__tablename__ in SERVICES]
    for _ in range(120):
        row = rng.choice(service_rows)
        probe_service(
            db, probes, rng.choice(principals), row, codes.get((row.cls, row.key), row.key)
        )

    # the API, as logged-in users of every role
    probe_api(db, client, probes, rng, rows, enterprises, codes)

    assert probes.leaks == [], f"{len(probes.leaks)} leaks, first: {probes.leaks[:5]}"
    assert probes.count >= MIN_PROBES, probes.count


def _natural_keys(db: Database) -> dict[tuple[type[Base], Any], Any]:
    """Stations and sections are addressed by code, not by id."""
    keys: dict[tuple[type[Base], Any], Any] = {}
    with db.transaction(SYSTEM) as session:
        for cls in (AirStation, Section):
            for key, code in session.execute(select(cls.id, cls.code)):
                keys[(cls, key)] = code
    return keys


API_PATHS: dict[str, str] = {
    "enterprise": "/api/v1/sources/enterprises/{key}",
    "hj212_command": "/api/v1/hj212/commands/{key}",
    "water_section": "/api/v1/water/sections/{key}",
    "air_station": "/api/v1/air/stations/{key}/series?days=1",
    "plan_task": "/api/v1/plans/tasks/{key}",
    "rectification_item": "/api/v1/plans/rectifications/{key}",
    "plan": "/api/v1/plans/{key}",
}


def probe_api(
    db: Database,
    client: TestClient,
    probes: Probes,
    rng: random.Random,
    rows: dict[type[Base], list[Row]],
    enterprises: list[int],
    codes: dict[tuple[type[Base], Any], Any],
) -> None:
    by_table = {cls.__tablename__: found for cls, found in rows.items()}
    for principal in api_users(enterprises):
        username = principal.username
        client.cookies.clear()
        login(client, username)
        # lists: every row returned is in scope, every row in scope is returned
        listed = {s["code"] for s in client.get("/api/v1/water/sections").json()}
        for row in by_table["water_section"]:
            code = codes[(Section, row.key)]
            probes.check((code in listed) is may(principal, "read", row), f"api list {row}")
        names = {u["username"] for u in client.get("/api/v1/users").json()}
        probes.check(username in names, f"api users {username}")
        for _ in range(20):
            table = rng.choice(list(API_PATHS))
            row = rng.choice(by_table[table])
            key = codes.get((row.cls, row.key), row.key)
            wanted = may(principal, "read", row)
            if table.startswith("plan") or table == "rectification_item":
                wanted = wanted and EXPECTED["plans.plan"]["read"][principal.role] != "none"
            status = client.get(API_PATHS[table].format(key=key)).status_code
            probes.check(
                (status == 200) is wanted and status in (200, 403, 404),
                f"api {table} {key} as {username}: {status}",
            )
