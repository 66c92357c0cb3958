"""Parties of the waste chain and what they hold: an enterprise of ``sources`` in a waste role
(generator, carrier, receiver, collector), its facilities, its licence lines, and the
cross-province approvals of generators (TR Arts. 22–27). Also the field checks every waste
service shares (waste codes, quantities and units, dates).

Officers of the region register them (``waste.party``, ``waste.approval`` of :mod:`.access`);
the session guard refuses anything outside the principal's scope.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ecogov.platform.db import Database
from ecogov.platform.errors import Conflict, InputError, NotFound
from ecogov.platform.permissions import authorize
from ecogov.platform.scope import Principal
from ecogov.sources.models import Enterprise
from ecogov.standards.waste.codes import WasteCodeError, parse_waste_code
from ecogov.waste.access import APPROVALS, PARTIES
from ecogov.waste.models import (
    FACILITY_KINDS,
    LICENCE_KINDS,
    MANAGEMENT_CLASSES,
    PARTY_KINDS,
    UNITS,
    TransferApproval,
    WasteFacility,
    WasteLicence,
    WasteParty,
)

KG_PER_T = 1000.0


# --- shared field checks -------------------------------------------------------------------------


def waste_code(text: str, where: str = "") -> str:
    """The code ``DDD-NNN-CC`` of ``text``; InputError (zh-CN, English) naming ``where``."""
    try:
        return parse_waste_code(text).text
    except WasteCodeError as bad:
        raise InputError(f"{where}{bad.zh}（{bad.en}）") from None


def to_tonnes(amount: float, unit: str, where: str = "") -> float:
    """``amount`` in ``unit`` (t or kg) as tonnes; refuses a unit other than t/kg and an amount
    that is not a positive finite number."""
    if unit not in UNITS:
        raise InputError(
            f"{where}计量单位“{unit}”不正确，应为 t 或 kg（unit must be t or kg, got {unit!r}）"
        )
    if not math.isfinite(amount) or amount <= 0:
        raise InputError(f"{where}数量须为正数（the amount must be positive, got {amount!r}）")
    return amount / KG_PER_T if unit == "kg" else float(amount)


def one_of(value: str, allowed: tuple[str, ...], what_zh: str, what_en: str) -> str:
    """``value`` when it is one of ``allowed``; else InputError listing them."""
    if value not in allowed:
        raise InputError(
            f"{what_zh}“{value}”不正确，应为 {'/'.join(allowed)}"
            f"（{what_en} must be one of {', '.join(allowed)}）"
        )
    return value


def check_period(valid_from: date, valid_to: date) -> None:
    """Refuse a validity that ends before it starts."""
    if valid_to < valid_from:
        raise InputError(
            f"有效期止（{valid_to}）早于有效期起（{valid_from}）"
            f"（valid_to {valid_to} is before valid_from {valid_from}）"
        )


def unique(session: Session, what_zh: str, what_en: str, key: str) -> None:
    """Flush, turning a unique-constraint violation into a 409 naming the duplicate."""
    try:
        session.flush()
    except IntegrityError:  # the transaction is spoilt: the refusal rolls it back
        raise Conflict(f"{what_zh}“{key}”已存在（{what_en} {key!r} already exists）") from None


def resubmitted(same: bool, what_zh: str, what_en: str, key: str, where: str = "") -> bool:
    """A record submitted again: True (nothing to do) when it is ``same`` as the stored one,
    else a 409 naming it (its id is taken by other content)."""
    if same:
        return True
    raise Conflict(
        f"{where}{what_zh} {key} 已存在且内容不同（{what_en} {key} exists with other content）"
    )


# --- parties -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class NewParty:
    """Registering an enterprise in a waste role."""

    enterprise_id: int
    kind: str
    party_code: str | None = None
    """The id imports and bundles use; default ``<USCC>-<kind>``."""
    management_class: str | None = None
    small_generator: bool = False
    collection_cycle_days: int | None = None
    transport_licence_no: str | None = None
    vehicles: tuple[str, ...] = ()
    simulated: bool = False


@dataclass(frozen=True)
class PartyView:
    """A party as pages, the API and exports show it."""

    id: int
    party_code: str
    enterprise_id: int
    name: str
    uscc: str | None
    """None when the enterprise's registry row is outside the reader's scope."""
    region_code: str
    kind: str
    management_class: str | None
    small_generator: bool
    collection_cycle_days: int | None
    transport_licence_no: str | None
    vehicles: tuple[str, ...]
    lon: float | None = None
    lat: float | None = None


def _check_party(new: NewParty) -> None:
    one_of(new.kind, PARTY_KINDS, "单位类型", "party kind")
    if new.management_class is not None:
        if new.kind != "generator":
            raise InputError(
                "只有产废单位有管理类别（HJ 1259）（only generators have a management class）"
            )
        one_of(new.management_class, MANAGEMENT_CLASSES, "管理类别", "management class")
    if new.collection_cycle_days is not None and new.collection_cycle_days <= 0:
        raise InputError("收运周期须为正整数天（the collection cycle must be a positive number)")
    if new.small_generator and new.kind != "generator":
        raise InputError("只有产废单位可标为小微产废单位（only generators are small generators）")
    if new.kind == "carrier" and not new.transport_licence_no:
        raise InputError("运输单位须填写道路运输许可证号（a carrier needs its transport licence）")


def _enterprise(session: Session, enterprise_id: int) -> Enterprise:
    found = session.get(Enterprise, enterprise_id)
    if found is None:
        raise NotFound(f"企业 {enterprise_id} 不存在（no enterprise {enterprise_id}）")
    return found


def view_party(party: WasteParty, enterprise: Enterprise | None) -> PartyView:
    """The view of a party row and its enterprise (when the reader may see it)."""
    return PartyView(
        id=party.id,
        party_code=party.party_code,
        enterprise_id=party.enterprise_id,
        name=party.name,
        uscc=None if enterprise is None else enterprise.uscc,
        region_code=party.region_code,
        kind=party.kind,
        management_class=party.management_class,
        small_generator=party.small_generator,
        collection_cycle_days=party.collection_cycle_days,
        transport_licence_no=party.transport_licence_no,
        vehicles=tuple(party.vehicles or ()),
        lon=None if enterprise is None else enterprise.lon,
        lat=None if enterprise is None else enterprise.lat,
    )


def create_party(db: Database, principal: Principal, new: NewParty) -> PartyView:
    """Register an enterprise in a waste role (officers of its region)."""
    authorize(principal, "create", PARTIES)
    _check_party(new)
    with db.transaction(principal, "waste.party.create") as session:
        enterprise = _enterprise(session, new.enterprise_id)
        authorize(principal, "create", PARTIES, enterprise.region_code)
        code = new.party_code or f"{enterprise.uscc}-{new.kind}"
        party = WasteParty(
            party_code=code,
            name=enterprise.name,
            enterprise_id=enterprise.enterprise_id,
            region_code=enterprise.region_code,
            kind=new.kind,
            management_class=new.management_class,
            small_generator=new.small_generator,
            collection_cycle_days=new.collection_cycle_days,
            transport_licence_no=new.transport_licence_no,
            vehicles=list(new.vehicles),
            simulated=new.simulated,
        )
        session.add(party)
        unique(session, "单位编码或企业的该类角色", "party code or role of the enterprise", code)
        return view_party(party, enterprise)


def load_party(session: Session, party_id: int, kind: str | None = None) -> WasteParty:
    """A party the session may read, of ``kind`` when given; NotFound otherwise."""
    party = session.get(WasteParty, party_id)
    if party is None or (kind is not None and party.kind != kind):
        label = kind or "party"
        raise NotFound(f"单位 {party_id} 不存在或不是{label}（no {label} {party_id}）")
    return party


def party_by_code(session: Session, code: str) -> WasteParty | None:
    """The party of ``party_code`` the session may read, or None."""
    return session.scalars(select(WasteParty).where(WasteParty.party_code == code)).first()


def list_parties(db: Database, principal: Principal, kind: str | None = None) -> list[PartyView]:
    """The parties the principal may read, of ``kind`` when given, by code."""
    authorize(principal, "read", PARTIES)
    with db.transaction(principal) as session:
        query = select(WasteParty, Enterprise).outerjoin(
            Enterprise, Enterprise.enterprise_id == WasteParty.enterprise_id
        )
        if kind is not None:
            query = query.where(WasteParty.kind == one_of(kind, PARTY_KINDS, "单位类型", "kind"))
        rows = session.execute(query.order_by(WasteParty.party_code)).all()
        return [view_party(party, enterprise) for party, enterprise in rows]


def get_party(db: Database, principal: Principal, party_id: int) -> PartyView:
    """One party the principal may read."""
    authorize(principal, "read", PARTIES)
    with db.transaction(principal) as session:
        party = load_party(session, party_id)
        return view_party(party, session.get(Enterprise, party.enterprise_id))


# --- facilities and licences ---------------------------------------------------------------------


@dataclass(frozen=True)
class NewFacility:
    """A storage, utilisation or disposal facility of a party."""

    party_id: int
    facility_code: str
    name: str
    kind: str
    capacity_t: float
    kinds_allowed: tuple[str, ...] = ()


@dataclass(frozen=True)
class FacilityView:
    """A facility as shown."""

    id: int
    facility_code: str
    party_id: int
    name: str
    kind: str
    capacity_t: float
    kinds_allowed: tuple[str, ...]


def add_facility(db: Database, principal: Principal, new: NewFacility) -> FacilityView:
    """Register a facility of a party (officers of its region)."""
    authorize(principal, "create", PARTIES)
    one_of(new.kind, FACILITY_KINDS, "设施类型", "facility kind")
    capacity = to_tonnes(new.capacity_t, "t", "设施能力：")
    with db.transaction(principal, "waste.facility.create") as session:
        party = load_party(session, new.party_id)
        row = WasteFacility(
            facility_code=new.facility_code,
            party_id=party.id,
            enterprise_id=party.enterprise_id,
            region_code=party.region_code,
            name=new.name,
            kind=new.kind,
            capacity_t=capacity,
            kinds_allowed=list(new.kinds_allowed),
        )
        session.add(row)
        unique(session, "设施编码", "facility code", new.facility_code)
        return FacilityView(
            row.id, row.facility_code, row.party_id, row.name, row.kind, row.capacity_t,
            tuple(row.kinds_allowed),
        )  # fmt: skip


@dataclass(frozen=True)
class NewLicence:
    """A licence line: an operation licence for one code with its annual capacity, or a
    transport licence (any code, no capacity)."""

    licence_no: str
    party_id: int
    kind: str
    valid_from: date
    valid_to: date
    waste_code: str = ""
    annual_capacity_t: float | None = None


@dataclass(frozen=True)
class LicenceView:
    """A licence line as shown."""

    id: int
    licence_no: str
    party_id: int
    kind: str
    waste_code: str
    annual_capacity_t: float | None
    valid_from: date
    valid_to: date


def check_licence(new: NewLicence, where: str = "") -> tuple[str, float | None]:
    """The normalised (code, capacity) of a licence line, or InputError."""
    one_of(new.kind, LICENCE_KINDS, f"{where}许可证类型", "licence kind")
    check_period(new.valid_from, new.valid_to)
    if new.kind == "transport":
        if new.waste_code or new.annual_capacity_t is not None:
            raise InputError(
                f"{where}运输许可证不分废物代码、不填年经营规模"
                "（a transport licence has no waste code and no capacity）"
            )
        return "", None
    code = waste_code(new.waste_code, where)
    if new.annual_capacity_t is None:
        raise InputError(f"{where}经营许可证须填写年经营规模（t）（capacity is required）")
    return code, to_tonnes(new.annual_capacity_t, "t", f"{where}年经营规模：")


def _licence_view(row: WasteLicence) -> LicenceView:
    return LicenceView(
        row.id, row.licence_no, row.party_id, row.kind, row.waste_code, row.annual_capacity_t,
        row.valid_from, row.valid_to,
    )  # fmt: skip


def add_licence_in(session: Session, new: NewLicence, where: str = "") -> tuple[WasteLicence, bool]:
    """Record a licence line in ``session``; the row and whether it is new (the same line again
    is a no-op; the same licence and code with other content a 409)."""
    code, capacity = check_licence(new, where)
    party = load_party(session, new.party_id)
    expected = ("receiver", "collector") if new.kind == "operation" else ("carrier",)
    if party.kind not in expected:
        raise InputError(
            f"{where}{party.party_code} 是{party.kind}，不能持有该类许可证"
            f"（a {party.kind} cannot hold a {new.kind} licence）"
        )
    values = {
        "party_id": party.id,
        "kind": new.kind,
        "annual_capacity_t": capacity,
        "valid_from": new.valid_from,
        "valid_to": new.valid_to,
    }
    existing = session.scalars(
        select(WasteLicence).where(
            WasteLicence.licence_no == new.licence_no, WasteLicence.waste_code == code
        )
    ).first()
    if existing is not None:
        same = all(getattr(existing, k) == v for k, v in values.items())
        resubmitted(same, "许可证", "licence line", f"{new.licence_no} {code}", where)
        return existing, False
    row = WasteLicence(
        licence_no=new.licence_no,
        waste_code=code,
        enterprise_id=party.enterprise_id,
        region_code=party.region_code,
        **values,
    )
    session.add(row)
    return row, True


def add_licence(db: Database, principal: Principal, new: NewLicence) -> LicenceView:
    """Record a licence line of a party (officers of its region)."""
    authorize(principal, "create", PARTIES)
    with db.transaction(principal, "waste.licence.create") as session:
        row, _ = add_licence_in(session, new)
        session.flush()
        return _licence_view(row)


def licensed(session: Session, receiver: WasteParty, code: str, on: date) -> bool:
    """Whether ``receiver`` holds an operation licence for ``code`` valid on ``on``."""
    query = select(WasteLicence.id).where(
        WasteLicence.party_id == receiver.id,
        WasteLicence.kind == "operation",
        WasteLicence.waste_code == code,
        WasteLicence.valid_from <= on,
        WasteLicence.valid_to >= on,
    )
    return session.scalars(query).first() is not None


# --- cross-province approvals --------------------------------------------------------------------


@dataclass(frozen=True)
class NewApproval:
    """A cross-province transfer approval (origin province's decision, TR Art. 26)."""

    approval_no: str
    generator_id: int
    receiver_id: int
    waste_code: str
    approved_t: float
    valid_from: date
    valid_to: date


@dataclass(frozen=True)
class ApprovalView:
    """An approval as shown."""

    id: int
    approval_no: str
    generator_id: int
    receiver_id: int
    destination_region_code: str
    waste_code: str
    approved_t: float
    valid_from: date
    valid_to: date


def record_approval(db: Database, principal: Principal, new: NewApproval) -> ApprovalView:
    """Record a cross-province approval (officers of the generator's region)."""
    authorize(principal, "create", APPROVALS)
    code = waste_code(new.waste_code)
    amount = to_tonnes(new.approved_t, "t", "批准转移量：")
    check_period(new.valid_from, new.valid_to)
    with db.transaction(principal, "waste.approval.create") as session:
        generator = load_party(session, new.generator_id, "generator")
        receiver = load_party(session, new.receiver_id, "receiver")
        if generator.region_code[:2] == receiver.region_code[:2]:
            raise InputError(
                "产废单位与接收单位同省，无须跨省转移审批"
                "（generator and receiver are in one province: no approval needed）"
            )
        row = TransferApproval(
            approval_no=new.approval_no,
            generator_id=generator.id,
            receiver_id=receiver.id,
            enterprise_id=generator.enterprise_id,
            region_code=generator.region_code,
            destination_region_code=receiver.region_code,
            waste_code=code,
            approved_t=amount,
            valid_from=new.valid_from,
            valid_to=new.valid_to,
        )
        session.add(row)
        unique(session, "审批文号", "approval number", new.approval_no)
        return ApprovalView(
            row.id, row.approval_no, row.generator_id, row.receiver_id,
            row.destination_region_code, row.waste_code, row.approved_t, row.valid_from,
            row.valid_to,
        )  # fmt: skip
