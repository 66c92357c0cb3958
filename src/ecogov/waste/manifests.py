"""Electronic transfer manifests (电子转移联单, TR Arts. 6–20) as a versioned state machine on the
platform's engine (:mod:`ecogov.platform.statemachine`).

The generator creates a draft and signs it out; the carrier signs for pickup (in transit) and
delivery; the receiver weighs and receives it (or receives it with a discrepancy of quantity,
code or packaging and its note, or rejects it) and confirms (closed). Corrections after receipt
are new versions, the earlier kept (e-Manifest's UnderCorrection → Corrected). Cancellation is
possible before pickup only. A transfer between provinces needs a recorded approval before it is
signed out (TR Art. 22). The receiver must confirm within 5 working days of accepting the waste
(TR Art. 18, :func:`ecogov.standards.waste.transfer.time_limit`): a missed limit fires an alert
(:func:`fire_time_limits`, on the platform clock).

Numbers follow TR Art. 15 (:func:`format_manifest_number`), the serial allocated per origin city
and year under a row lock. Creating is idempotent (a client key, or the same content while the
first is still a draft); two concurrent moves of one manifest cannot both win (row lock on
PostgreSQL, optimistic ``row_version`` everywhere): the loser gets a 409.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any, Final

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from ecogov.platform import clock, statemachine
from ecogov.platform.alerts import AlertDraft, AlertKind, publish
from ecogov.platform.db import Database
from ecogov.platform.errors import Conflict, InputError, NotFound
from ecogov.platform.permissions import authorize
from ecogov.platform.scope import SYSTEM, Principal, Role, principal_of
from ecogov.platform.statemachine import Labels, Move, actor_kind, register_actor
from ecogov.standards.timebase import BEIJING
from ecogov.standards.waste import catalogue
from ecogov.standards.waste.transfer import (
    ManifestNumberError,
    format_manifest_number,
    parse_manifest_number,
    time_limit,
)
from ecogov.standards.workdays import add_working_days
from ecogov.waste.access import MANIFESTS
from ecogov.waste.messages import MESSAGES
from ecogov.waste.models import (
    DISCREPANCY_KINDS,
    MANIFEST_STATES,
    Manifest,
    ManifestEvent,
    ManifestSerial,
    ManifestVersion,
    TrackPoint,
    TransferApproval,
    WasteParty,
)
from ecogov.waste.parties import (
    licensed,
    load_party,
    one_of,
    resubmitted,
    to_tonnes,
    waste_code,
)

__all__ = [
    "LATE_KIND",
    "MANIFEST",
    "Actor",
    "Correction",
    "ManifestDetail",
    "ManifestView",
    "NewManifest",
    "correct_manifest",
    "create_manifest",
    "fire_time_limits",
    "get_manifest",
    "list_manifests",
    "move_manifest",
]

WEIGHT_TOLERANCE: Final = 0.05
"""Relative difference between the weighed and the shipped amount a plain receipt accepts;
beyond it the receiver records a quantity discrepancy (TR Art. 12 asks for the accepted quantity
and Art. 18 for reporting mismatches, without a number) [D]."""
RECEIPT_LIMIT: Final = "manifest.receipt_confirmation"
"""TR Art. 18: the receiver confirms within 5 working days of accepting the waste."""
LATE_KIND: Final = AlertKind("waste.manifest_late", "联单超时未确认接收", "Manifest not confirmed")
BUNDLE_STATUS: Final = {
    "received_discrepancy": "received",
    "closed": "received",
    "under_correction": "received",
    "corrected": "received",
}
"""States → the bundle's status words (``docs/waste-bundle.md``; the others are the same word):
what happened to the goods — they were received."""
AWAITING_CONFIRMATION: Final = ("delivered", "received", "received_discrepancy", "rejected")
"""States in which the receipt-confirmation clock runs (from delivery, the 接受之日)."""


class Actor(StrEnum):
    """Who makes a manifest's moves (actor kinds registered with the engine)."""

    GENERATOR = "waste_generator"
    CARRIER = "waste_carrier"
    RECEIVER = "waste_receiver"
    SENDER_OR_RECEIVER = "waste_sender_or_receiver"


def _is(column: str) -> statemachine.ActorRule:
    def rule(principal: Principal, manifest: Any) -> bool:
        if principal.sees_everything:
            return True
        return (
            principal.role is Role.ENTERPRISE
            and principal.enterprise_id is not None
            and principal.enterprise_id == getattr(manifest, column, None)
        )

    return rule


def _sender_or_receiver(principal: Principal, manifest: Any) -> bool:
    return _is("generator_enterprise_id")(principal, manifest) or _is("receiver_enterprise_id")(
        principal, manifest
    )


register_actor(
    Actor.GENERATOR, ("产废（移出）单位", "the generator"), _is("generator_enterprise_id")
)
register_actor(Actor.CARRIER, ("运输单位", "the carrier"), _is("carrier_enterprise_id"))
register_actor(Actor.RECEIVER, ("接收单位", "the receiver"), _is("receiver_enterprise_id"))
register_actor(
    Actor.SENDER_OR_RECEIVER, ("移出单位或接收单位", "the generator or the receiver"),
    _sender_or_receiver,
)  # fmt: skip


def _m(name: str, sources: str, target: str, actor: Actor, *, note: bool = False) -> Move[Actor]:
    return Move(name, frozenset(sources.split()), target, actor, needs_note=note)


_RECEIVED = "received received_discrepancy rejected"
_MOVES: Final = (
    _m("sign_out", "draft", "signed_out", Actor.GENERATOR),
    _m("cancel", "draft signed_out", "cancelled", Actor.GENERATOR, note=True),
    _m("pick_up", "signed_out", "in_transit", Actor.CARRIER),
    _m("deliver", "in_transit", "delivered", Actor.CARRIER),
    _m("receive", "delivered", "received", Actor.RECEIVER),
    _m("receive_with_discrepancy", "delivered", "received_discrepancy", Actor.RECEIVER, note=True),
    _m("reject", "delivered", "rejected", Actor.RECEIVER, note=True),
    _m("close", _RECEIVED, "closed", Actor.RECEIVER),
    _m(
        "request_correction",
        f"{_RECEIVED} closed corrected",
        "under_correction",
        Actor.SENDER_OR_RECEIVER,
        note=True,
    ),
    _m("correct", "under_correction", "corrected", Actor.SENDER_OR_RECEIVER, note=True),
)


def _labels(prefix: str, codes: tuple[str, ...]) -> dict[str, Labels]:
    return {code: MESSAGES[f"waste.{prefix}.{code}"] for code in codes}


MANIFEST: Final = statemachine.Machine[Actor](
    subject="waste_manifest",
    title=MESSAGES["waste.subject.manifest"],
    initial="draft",
    states=MANIFEST_STATES,
    moves=_MOVES,
    state_names=_labels("state", MANIFEST_STATES),
    move_names=_labels("move", tuple(m.name for m in _MOVES)),
    finals=frozenset({"cancelled"}),
)
"""The manifest: draft → signed_out → in_transit → delivered → received | received_discrepancy |
rejected → closed; corrections (under_correction → corrected); cancelled before pickup."""


# --- views ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ManifestView:
    """A manifest as pages, the API and exports show it (its current version)."""

    manifest_no: str
    version: int
    row_version: int
    status: str
    generator_id: int
    carrier_id: int
    receiver_id: int
    region_code: str
    destination_region_code: str
    waste_code: str
    shipped_t: float
    received_t: float | None
    packaging: str | None
    vehicle: str | None
    discrepancy: str | None
    discrepancy_note: str | None
    approval_no: str | None
    created_at: datetime
    signed_out_at: datetime | None
    picked_up_at: datetime | None
    delivered_at: datetime | None
    accepted_at: datetime | None
    confirmed_at: datetime | None
    cancelled_at: datetime | None
    confirm_due: date | None


@dataclass(frozen=True)
class EventView:
    """A step of the chain-of-custody timeline."""

    version: int
    move: str
    from_state: str | None
    to_state: str
    at: datetime
    actor: str
    note: str | None
    data: dict[str, Any]


@dataclass(frozen=True)
class VersionView:
    """A content version of the manifest (the first, then one per correction): what it changed
    against the version before (field → [before, after]), who made it, when and why. ``reason``
    is the corrector's text, or a catalogue key ``waste.version.*`` for the system's own."""

    version: int
    content: dict[str, Any]
    reason: str
    created_at: datetime
    created_by: str
    changes: dict[str, list[Any]]


@dataclass(frozen=True)
class TrackFix:
    """A GPS fix of the vehicle carrying the manifest."""

    at: datetime
    lon: float
    lat: float


@dataclass(frozen=True)
class ManifestDetail:
    """A manifest with its timeline, versions and GPS track, the catalogue's name of its waste,
    and the moves the principal may make now."""

    manifest: ManifestView
    events: tuple[EventView, ...]
    versions: tuple[VersionView, ...]
    possible: tuple[str, ...]
    waste_name: str | None
    track: tuple[TrackFix, ...]


VERSION_CREATED: Final = "waste.version.created"
VERSION_IMPORTED: Final = "waste.version.imported"
"""The reasons of the versions the system writes: catalogue keys, shown in the reader's
language."""


def waste_name(code: str, on: date) -> str | None:
    """``HW08 900-249-08 废矿物油…``: the category and description of ``code`` in the edition of
    the national list in force on ``on``, or None when the code is not listed there."""
    try:
        row = catalogue.lookup(code, on)
    except ValueError:
        return None
    return None if row is None else f"{row.category.label} {row.code} {row.description}"


def _approval_no(session: Session, manifest: Manifest) -> str | None:
    if manifest.approval_id is None:
        return None
    found = session.get(TransferApproval, manifest.approval_id)
    return None if found is None else found.approval_no


def _utc(moment: datetime | None) -> Any:
    """A moment as stored (UTC), whether it was just set or read back."""
    return None if moment is None else moment.astimezone(UTC)


def view_of(manifest: Manifest, approval_no: str | None) -> ManifestView:
    """The view of a manifest row."""
    return ManifestView(
        manifest_no=manifest.manifest_no,
        version=manifest.version,
        row_version=manifest.row_version,
        status=manifest.status,
        generator_id=manifest.generator_id,
        carrier_id=manifest.carrier_id,
        receiver_id=manifest.receiver_id,
        region_code=manifest.region_code,
        destination_region_code=manifest.destination_region_code,
        waste_code=manifest.waste_code,
        shipped_t=manifest.shipped_t,
        received_t=manifest.received_t,
        packaging=manifest.packaging,
        vehicle=manifest.vehicle,
        discrepancy=manifest.discrepancy,
        discrepancy_note=manifest.discrepancy_note,
        approval_no=approval_no,
        created_at=_utc(manifest.created_at),
        signed_out_at=_utc(manifest.signed_out_at),
        picked_up_at=_utc(manifest.picked_up_at),
        delivered_at=_utc(manifest.delivered_at),
        accepted_at=_utc(manifest.accepted_at),
        confirmed_at=_utc(manifest.confirmed_at),
        cancelled_at=_utc(manifest.cancelled_at),
        confirm_due=manifest.confirm_due,
    )


# --- creating ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NewManifest:
    """What the generator fills in (TR Art. 10)."""

    generator_id: int
    carrier_id: int
    receiver_id: int
    waste_code: str
    shipped: float
    unit: str = "t"
    packaging: str | None = None


CONTENT_FIELDS: Final = ("waste_code", "shipped_t", "received_t", "packaging", "discrepancy")
"""The fields a version records (besides the parties) and a correction may change."""


def _content(manifest: Manifest) -> dict[str, Any]:
    return {
        "generator_id": manifest.generator_id,
        "carrier_id": manifest.carrier_id,
        "receiver_id": manifest.receiver_id,
        **{name: getattr(manifest, name) for name in CONTENT_FIELDS},
        "discrepancy_note": manifest.discrepancy_note,
    }


def content_hash(new: NewManifest, shipped_t: float, code: str) -> str:
    """The fingerprint of a submission: same parties, code, amount and packaging → same hash."""
    canonical = json.dumps(
        [new.generator_id, new.carrier_id, new.receiver_id, code, round(shipped_t, 6),
         new.packaging or ""],
    )  # fmt: skip
    return hashlib.sha256(canonical.encode()).hexdigest()


def _ensure_counter(session: Session, city: str, year: int) -> None:
    """Create the counter row of ``city`` (4 digits) and ``year`` unless it exists."""
    backend = session.get_bind().dialect.name
    insert = pg_insert if backend == "postgresql" else sqlite_insert
    session.execute(
        insert(ManifestSerial)
        .values(year=year, city_code=city, last_serial=0)
        .on_conflict_do_nothing(index_elements=["year", "city_code"])
    )


def allocate_number(session: Session, region_code: str, year: int) -> str:
    """The next 14-digit number of the origin city ``region_code[:4]`` in ``year``: the counter
    row is created if missing and incremented in place (the UPDATE locks the row until commit, so
    concurrent allocations queue and never share a serial)."""
    city = region_code[:4]
    _ensure_counter(session, city, year)
    serial = session.execute(
        update(ManifestSerial)
        .where(ManifestSerial.year == year, ManifestSerial.city_code == city)
        .values(last_serial=ManifestSerial.last_serial + 1)
        .returning(ManifestSerial.last_serial)
    ).scalar_one()
    return format_manifest_number(year, region_code, serial)


def _existing(session: Session, key: str | None, digest: str, generator_id: int) -> Manifest | None:
    if key is not None:
        return session.scalars(select(Manifest).where(Manifest.idempotency_key == key)).first()
    query = select(Manifest).where(
        Manifest.content_hash == digest,
        Manifest.generator_id == generator_id,
        Manifest.status == "draft",
    )
    return session.scalars(query).first()


def _same_submission(found: Manifest, digest: str) -> Manifest:
    if found.content_hash != digest:
        raise Conflict(
            f"该提交编号已用于联单 {found.manifest_no}，内容不同"
            "（the idempotency key was used for a different manifest）"
        )
    return found


def _party(session: Session, party_id: int, kinds: tuple[str, ...], role: str) -> WasteParty:
    party = load_party(session, party_id)
    if party.kind not in kinds:
        raise InputError(
            f"{role}（{party.party_code}）须为 {'/'.join(kinds)} 类单位"
            f"（the {role} must be a {' or '.join(kinds)}）"
        )
    return party


def create_manifest(
    db: Database, principal: Principal, new: NewManifest, idempotency_key: str | None = None
) -> ManifestView:
    """Create a draft manifest as its generator; the same submission again returns the first."""
    authorize(principal, "create", MANIFESTS)
    code = waste_code(new.waste_code, "废物代码：")
    shipped_t = to_tonnes(new.shipped, new.unit, "转移量：")
    if idempotency_key is not None and not (0 < len(idempotency_key) <= 64):
        raise InputError("提交编号长度须为 1–64（the idempotency key must have 1–64 characters）")
    digest = content_hash(new, shipped_t, code)
    try:
        with db.transaction(principal, "waste.manifest.create") as session:
            generator = _party(session, new.generator_id, ("generator", "collector"), "移出单位")
            carrier = _party(session, new.carrier_id, ("carrier",), "运输单位")
            receiver = _party(session, new.receiver_id, ("receiver", "collector"), "接收单位")
            found = _existing(session, idempotency_key, digest, generator.id)
            if found is not None:
                return view_of(_same_submission(found, digest), _approval_no(session, found))
            now = clock.now()
            if not licensed(session, receiver, code, now.date()):
                raise InputError(
                    f"接收单位 {receiver.party_code} 未持有 {code} 的有效危险废物经营许可证"
                    f"（the receiver holds no valid licence for {code}）"
                )
            manifest = Manifest(
                manifest_no=allocate_number(session, generator.region_code, now.year),
                version=1,
                status=MANIFEST.initial,
                generator_id=generator.id,
                carrier_id=carrier.id,
                receiver_id=receiver.id,
                generator_enterprise_id=generator.enterprise_id,
                carrier_enterprise_id=carrier.enterprise_id,
                receiver_enterprise_id=receiver.enterprise_id,
                region_code=generator.region_code,
                destination_region_code=receiver.region_code,
                carrier_region_code=carrier.region_code,
                waste_code=code,
                shipped_t=shipped_t,
                packaging=new.packaging,
                created_at=now,
                idempotency_key=idempotency_key,
                content_hash=digest,
                created_by=principal.username,
            )
            if not actor_kind(Actor.GENERATOR).admits(principal, manifest):
                raise statemachine.ActorRefused(
                    "actor",
                    {
                        "move": "“新建联单”",
                        "move_en": "create a manifest",
                        "action": "create",
                        "actor": "产废（移出）单位",
                        "actor_en": "the generator",
                    },
                )
            session.add(manifest)
            session.flush()
            session.add(_version(manifest, VERSION_CREATED, principal, now))
            session.add(_event(manifest, "create", None, principal, now, None, {}))
            return view_of(manifest, None)
    except IntegrityError:  # a concurrent identical submission won the key: return it
        with db.transaction(principal) as session:
            found = _existing(session, idempotency_key, digest, new.generator_id)
            if found is None:
                raise
            return view_of(_same_submission(found, digest), _approval_no(session, found))


def _scope(manifest: Manifest) -> dict[str, Any]:
    return {
        "manifest_id": manifest.id,
        "region_code": manifest.region_code,
        "destination_region_code": manifest.destination_region_code,
        "carrier_region_code": manifest.carrier_region_code,
        "generator_enterprise_id": manifest.generator_enterprise_id,
        "carrier_enterprise_id": manifest.carrier_enterprise_id,
        "receiver_enterprise_id": manifest.receiver_enterprise_id,
    }


def _version(manifest: Manifest, reason: str, who: Principal, now: datetime) -> ManifestVersion:
    return ManifestVersion(
        **_scope(manifest),
        version=manifest.version,
        content=_content(manifest),
        reason=reason,
        created_at=now,
        created_by=who.username,
    )


def _event(
    manifest: Manifest,
    move: str,
    from_state: str | None,
    who: Principal,
    now: datetime,
    note: str | None,
    data: dict[str, Any],
) -> ManifestEvent:
    return ManifestEvent(
        **_scope(manifest),
        version=manifest.version,
        move=move,
        from_state=from_state,
        to_state=manifest.status,
        at=now,
        actor=who.username,
        note=note,
        data=data,
    )


# --- moving --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Receipt:
    """What the receiver records (TR Art. 12): the weighed amount, and for a discrepancy its kind
    (quantity, code, packaging)."""

    received: float | None = None
    unit: str = "t"
    discrepancy: str | None = None


@contextmanager
def _race(manifest_no: str) -> Iterator[None]:
    """Turn a lost race (another transaction moved the manifest first) into a 409."""
    try:
        yield
    except StaleDataError:
        raise _lost(manifest_no) from None
    except OperationalError as error:  # SQLite: a stale snapshot cannot be upgraded to write
        if "locked" not in str(error):
            raise
        raise _lost(manifest_no) from None


def _lost(manifest_no: str) -> Conflict:
    return Conflict(
        f"联单 {manifest_no} 已被他人同时办理，请刷新后重试"
        f"（manifest {manifest_no} was changed meanwhile: reload and retry）"
    )


def _load(session: Session, manifest_no: str, *, lock: bool = False) -> Manifest:
    query = select(Manifest).where(Manifest.manifest_no == manifest_no)
    if lock:
        query = query.with_for_update()
    found = session.scalars(query).first()
    if found is None:
        raise NotFound(
            f"联单 {manifest_no} 不存在或不在您的权限范围内（no manifest {manifest_no}）"
        )
    return found


def _beijing_day(moment: datetime) -> date:
    return moment.astimezone(BEIJING).date()


def _cross_province(manifest: Manifest) -> bool:
    return manifest.region_code[:2] != manifest.destination_region_code[:2]


def _approval(session: Session, manifest: Manifest, on: date) -> TransferApproval:
    """The valid approval covering this cross-province manifest, or InputError (TR Art. 22)."""
    candidates = session.scalars(
        select(TransferApproval).where(
            TransferApproval.generator_id == manifest.generator_id,
            TransferApproval.receiver_id == manifest.receiver_id,
            TransferApproval.waste_code == manifest.waste_code,
            TransferApproval.valid_from <= on,
            TransferApproval.valid_to >= on,
        )
    ).all()
    for approval in candidates:
        used = session.scalar(
            select(func.coalesce(func.sum(Manifest.shipped_t), 0.0)).where(
                Manifest.approval_id == approval.id, Manifest.status != "cancelled"
            )
        )
        if float(used or 0.0) + manifest.shipped_t <= approval.approved_t + 1e-9:
            return approval
    raise InputError(
        f"联单 {manifest.manifest_no} 为跨省转移，未找到有效且余量足够的跨省转移审批"
        "（a cross-province transfer needs a valid approval with enough quantity left）"
    )


def _receive(manifest: Manifest, action: str, receipt: Receipt) -> dict[str, Any]:
    if receipt.received is None:
        if action == "reject":
            return {}
        raise InputError("接收须填写过磅重量（the weighed amount is required）")
    received_t = to_tonnes(receipt.received, receipt.unit, "接收量：")
    manifest.received_t = received_t
    data: dict[str, Any] = {"received_t": received_t}
    if action == "receive_with_discrepancy":
        if receipt.discrepancy is None:
            raise InputError("有差异接收须注明差异类型（quantity/code/packaging）")
        manifest.discrepancy = one_of(
            receipt.discrepancy, DISCREPANCY_KINDS, "差异类型", "discrepancy"
        )
        data["discrepancy"] = manifest.discrepancy
    elif action == "receive":
        gap = abs(received_t - manifest.shipped_t) / manifest.shipped_t
        if gap > WEIGHT_TOLERANCE:
            raise InputError(
                f"过磅重量 {received_t:g} t 与转移量 {manifest.shipped_t:g} t 相差 {gap:.1%}，"
                f"超过 {WEIGHT_TOLERANCE:.0%}：请按“有差异接收”办理并说明"
                f"（the weighed amount differs by {gap:.1%}: receive with a quantity discrepancy）"
            )
    return data


def move_manifest(
    db: Database,
    principal: Principal,
    manifest_no: str,
    action: str,
    *,
    note: str | None = None,
    receipt: Receipt | None = None,
    vehicle: str | None = None,
    expected_version: int | None = None,
) -> ManifestView:
    """Make the move ``action`` on a manifest as ``principal`` (refused with the reason when the
    table, the actor or the data do not allow it). ``expected_version`` is the ``row_version``
    the client saw: a different one is a 409 (someone moved it meanwhile)."""
    authorize(principal, "advance", MANIFESTS)
    if action == "correct":
        raise InputError(
            "提交更正须附更正内容（submit a correction with its content: correct_manifest）"
        )
    with _race(manifest_no), db.transaction(principal, f"waste.manifest.{action}") as session:
        manifest = _load(session, manifest_no, lock=True)
        if expected_version is not None and expected_version != manifest.row_version:
            raise _lost(manifest_no)
        move = statemachine.check_move(
            MANIFEST, action, manifest.status, principal, manifest, note=note
        )
        now = clock.now()
        before = manifest.status
        data = _apply(session, manifest, move.name, now, receipt or Receipt(), vehicle)
        if note is not None and move.name in {"receive_with_discrepancy", "reject"}:
            manifest.discrepancy_note = note
        manifest.status = move.target
        session.add(_event(manifest, move.name, before, principal, now, note, data))
        session.flush()
        return view_of(manifest, _approval_no(session, manifest))


def _apply(
    session: Session,
    manifest: Manifest,
    action: str,
    now: datetime,
    receipt: Receipt,
    vehicle: str | None,
) -> dict[str, Any]:
    """Record what the move ``action`` says on the manifest; the data for its timeline entry."""
    if action == "sign_out":
        if _cross_province(manifest):
            approval = _approval(session, manifest, _beijing_day(now))
            manifest.approval_id = approval.id
        manifest.signed_out_at = now
        return {}
    if action == "cancel":
        manifest.cancelled_at = now
        return {}
    if action == "pick_up":
        carrier = session.get(WasteParty, manifest.carrier_id)
        registered = carrier.vehicles if carrier is not None else []
        if vehicle is not None and registered and vehicle not in registered:
            raise InputError(
                f"车辆 {vehicle} 不在运输单位登记的车辆中（vehicle {vehicle} is not registered）"
            )
        manifest.vehicle = vehicle
        manifest.picked_up_at = now
        return {"vehicle": vehicle} if vehicle else {}
    if action == "deliver":
        day = _beijing_day(now)
        limit = time_limit(RECEIPT_LIMIT, day)
        manifest.delivered_at = now
        manifest.confirm_due = add_working_days(day, limit.amount)
        return {"confirm_due": manifest.confirm_due.isoformat()}
    if action in {"receive", "receive_with_discrepancy", "reject"}:
        manifest.accepted_at = now
        return _receive(manifest, action, receipt)
    if action == "close":
        manifest.confirmed_at = now
        return {}
    return {}  # request_correction: the note says it all


@dataclass(frozen=True)
class Correction:
    """What a correction changes (None: unchanged)."""

    waste_code: str | None = None
    shipped: float | None = None
    received: float | None = None
    unit: str = "t"
    packaging: str | None = None
    discrepancy: str | None = None


def correct_manifest(
    db: Database, principal: Principal, manifest_no: str, change: Correction, note: str
) -> ManifestView:
    """Submit the corrected content of a manifest under correction: a new version, the earlier
    kept (e-Manifest Corrected)."""
    authorize(principal, "advance", MANIFESTS)
    with _race(manifest_no), db.transaction(principal, "waste.manifest.correct") as session:
        manifest = _load(session, manifest_no, lock=True)
        move = statemachine.check_move(
            MANIFEST, "correct", manifest.status, principal, manifest, note=note
        )
        before = _content(manifest)
        if change.waste_code is not None:
            manifest.waste_code = waste_code(change.waste_code, "废物代码：")
        if change.shipped is not None:
            manifest.shipped_t = to_tonnes(change.shipped, change.unit, "转移量：")
        if change.received is not None:
            manifest.received_t = to_tonnes(change.received, change.unit, "接收量：")
        if change.packaging is not None:
            manifest.packaging = change.packaging
        if change.discrepancy is not None:
            manifest.discrepancy = one_of(
                change.discrepancy, DISCREPANCY_KINDS, "差异类型", "discrepancy"
            )
        after = _content(manifest)
        changed = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
        if not changed:
            raise InputError("更正未改变任何内容（the correction changes nothing）")
        now = clock.now()
        manifest.version += 1
        manifest.status = move.target
        session.add(_version(manifest, note, principal, now))
        session.add(_event(manifest, "correct", "under_correction", principal, now, note, changed))
        session.flush()
        return view_of(manifest, _approval_no(session, manifest))


# --- reading -------------------------------------------------------------------------------------


def get_manifest(db: Database, principal: Principal, manifest_no: str) -> ManifestDetail:
    """A manifest with its timeline, versions and the moves ``principal`` may make now."""
    authorize(principal, "read", MANIFESTS)
    with db.transaction(principal) as session:
        manifest = _load(session, manifest_no)
        events = session.scalars(
            select(ManifestEvent)
            .where(ManifestEvent.manifest_id == manifest.id)
            .order_by(ManifestEvent.at, ManifestEvent.id)
        ).all()
        versions = session.scalars(
            select(ManifestVersion)
            .where(ManifestVersion.manifest_id == manifest.id)
            .order_by(ManifestVersion.version)
        ).all()
        possible = tuple(
            m.name
            for m in MANIFEST.moves_from(manifest.status)
            if actor_kind(m.actor).admits(principal, manifest)
        )
        # Track points are read through their manifest (the guard has just admitted it).
        track = session.execute(
            select(TrackPoint.ts, TrackPoint.lon, TrackPoint.lat)
            .where(TrackPoint.manifest_id == manifest.id)
            .order_by(TrackPoint.ts)
        ).all()
        return ManifestDetail(
            manifest=view_of(manifest, _approval_no(session, manifest)),
            events=tuple(_event_view(e) for e in events),
            versions=_version_views(versions, events),
            possible=possible,
            waste_name=waste_name(manifest.waste_code, _beijing_day(_utc(manifest.created_at))),
            track=tuple(
                TrackFix(datetime.fromtimestamp(ts, UTC), lon, lat) for ts, lon, lat in track
            ),
        )


def _version_views(
    versions: Sequence[ManifestVersion], events: Sequence[ManifestEvent]
) -> tuple[VersionView, ...]:
    """The versions, each with what its correction changed (the ``correct`` event of that
    version records field → [before, after]; the first version changes nothing)."""
    changed = {e.version: dict(e.data or {}) for e in events if e.move == "correct"}
    return tuple(
        VersionView(
            v.version,
            dict(v.content),
            v.reason,
            v.created_at,
            v.created_by,
            changed.get(v.version, {}),
        )
        for v in versions
    )


def _event_view(event: ManifestEvent) -> EventView:
    return EventView(
        event.version,
        event.move,
        event.from_state,
        event.to_state,
        event.at,
        event.actor,
        event.note,
        dict(event.data or {}),
    )


def list_manifests(
    db: Database,
    principal: Principal,
    *,
    status: str | None = None,
    party_id: int | None = None,
    limit: int = 200,
    offset: int = 0,
) -> list[ManifestView]:
    """The manifests the principal may read (newest first), by status or party when given."""
    authorize(principal, "read", MANIFESTS)
    with db.transaction(principal) as session:
        query = select(Manifest)
        if status is not None:
            query = query.where(
                Manifest.status == one_of(status, MANIFEST_STATES, "联单状态", "status")
            )
        if party_id is not None:
            query = query.where(
                (Manifest.generator_id == party_id)
                | (Manifest.carrier_id == party_id)
                | (Manifest.receiver_id == party_id)
            )
        rows = session.scalars(
            query.order_by(Manifest.created_at.desc(), Manifest.id.desc())
            .limit(limit)
            .offset(offset)
        ).all()
        approvals = _approval_numbers(session, {m.approval_id for m in rows if m.approval_id})
        return [view_of(m, approvals.get(m.approval_id or 0)) for m in rows]


def _approval_numbers(session: Session, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = session.execute(
        select(TransferApproval.id, TransferApproval.approval_no).where(
            TransferApproval.id.in_(ids)
        )
    ).all()
    return {row.id: row.approval_no for row in rows}


# --- clocks --------------------------------------------------------------------------------------


def fire_time_limits(db: Database) -> list[str]:
    """Publish an alert for each manifest whose receipt-confirmation limit (TR Art. 18, counted
    in working days from delivery) has passed at the platform clock's today without the
    receiver's confirmation; each fires once. Returns the manifest numbers alerted."""
    today = clock.today()
    with db.transaction(SYSTEM, "waste.manifest.time_limit") as session:
        late = session.scalars(
            select(Manifest).where(
                Manifest.status.in_(AWAITING_CONFIRMATION),
                Manifest.confirm_due < today,
                Manifest.late_alerted.is_(False),
            )
        ).all()
        drafts = [_late_draft(m, today) for m in late]
        for manifest in late:
            manifest.late_alerted = True
            session.add(
                _event(
                    manifest, "time_limit", manifest.status, SYSTEM, clock.now(), None,
                    {"limit": RECEIPT_LIMIT, "due": _iso(manifest.confirm_due)},
                )
            )  # fmt: skip
        numbers = [m.manifest_no for m in late]
    publish(db, drafts)
    return numbers


def _iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


def _late_draft(manifest: Manifest, today: date) -> AlertDraft:
    limit = time_limit(RECEIPT_LIMIT, today)
    assert manifest.delivered_at is not None
    assert manifest.confirm_due is not None
    return AlertDraft(
        kind=LATE_KIND.key,
        severity="yellow",
        title=f"联单 {manifest.manifest_no} 超过 {limit.amount} 个工作日未确认接收",
        region_code=manifest.destination_region_code,
        window_start=manifest.delivered_at,
        window_end=clock.now(),
        dedupe_key=f"{LATE_KIND.key}:{manifest.manifest_no}",
        evidence={
            "manifest_no": manifest.manifest_no,
            "status": manifest.status,
            "delivered": _beijing_day(manifest.delivered_at).isoformat(),
            "confirm_due": manifest.confirm_due.isoformat(),
            "limit_working_days": limit.amount,
            "basis": limit.basis,
        },
        link=f"/waste/manifests/{manifest.manifest_no}",
        enterprise_id=manifest.receiver_enterprise_id,
    )


# --- importing -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportedManifest:
    """A manifest as another system recorded it (a row of the bundle's ``manifests`` file)."""

    manifest_no: str
    version: int
    generator_id: int
    carrier_id: int
    receiver_id: int
    waste_code: str
    shipped_t: float
    received_t: float | None
    status: str
    created_at: datetime
    picked_up_at: datetime | None = None
    delivered_at: datetime | None = None
    accepted_at: datetime | None = None
    confirmed_at: datetime | None = None
    approval_no: str | None = None
    discrepancy_note: str | None = None


_IMPORTED_FIELDS: Final = (
    "version", "generator_id", "carrier_id", "receiver_id", "waste_code", "shipped_t",
    "received_t", "status", "created_at", "picked_up_at", "delivered_at", "accepted_at",
    "confirmed_at", "discrepancy_note",
)  # fmt: skip


def _raise_serial(session: Session, manifest_no: str) -> None:
    """Keep the city-year counter at or above an imported number's serial."""
    parsed = parse_manifest_number(manifest_no)
    _ensure_counter(session, parsed.city_code[:4], parsed.year)
    session.execute(
        update(ManifestSerial)
        .where(
            ManifestSerial.year == parsed.year,
            ManifestSerial.city_code == parsed.city_code[:4],
            ManifestSerial.last_serial < parsed.serial,
        )
        .values(last_serial=parsed.serial)
    )


def _same(stored: Any, given: Any) -> bool:
    """Whether a stored value is what an import gives, in the bundle's terms: states by their
    bundle word, times to the second."""
    if isinstance(stored, str) and stored in MANIFEST_STATES and given in MANIFEST_STATES:
        return bool(BUNDLE_STATUS.get(stored, stored) == BUNDLE_STATUS.get(given, given))
    if isinstance(stored, datetime) and isinstance(given, datetime):
        return abs((stored - given).total_seconds()) < 1
    if isinstance(stored, float) and isinstance(given, float):
        return abs(stored - given) <= 1e-6 * max(abs(stored), 1.0)
    return bool(stored == given)


def import_manifest_in(
    session: Session, given: ImportedManifest, where: str = ""
) -> tuple[Manifest, bool]:
    """Record a manifest of another system in ``session`` as it stands; the row and whether it
    is new (the same row again is a no-op, the same number with other content a 409)."""
    try:
        parse_manifest_number(given.manifest_no)
    except ManifestNumberError as bad:
        raise InputError(f"{where}{bad.zh}（{bad.en}）") from None
    one_of(given.status, MANIFEST_STATES, f"{where}联单状态", "status")
    code = waste_code(given.waste_code, where)
    shipped = to_tonnes(given.shipped_t, "t", f"{where}转移量：")
    received = None if given.received_t is None else to_tonnes(given.received_t, "t", where)
    generator = _party(session, given.generator_id, ("generator", "collector"), "移出单位")
    carrier = _party(session, given.carrier_id, ("carrier",), "运输单位")
    receiver = _party(session, given.receiver_id, ("receiver", "collector"), "接收单位")
    approval_id = None
    if given.approval_no:
        approval = session.scalars(
            select(TransferApproval).where(TransferApproval.approval_no == given.approval_no)
        ).first()
        if approval is None:
            raise NotFound(f"{where}跨省转移审批 {given.approval_no} 未登记（no such approval）")
        approval_id = approval.id
    values: dict[str, Any] = {
        "version": given.version,
        "generator_id": generator.id,
        "carrier_id": carrier.id,
        "receiver_id": receiver.id,
        "waste_code": code,
        "shipped_t": shipped,
        "received_t": received,
        "status": given.status,
        "created_at": given.created_at,
        "picked_up_at": given.picked_up_at,
        "delivered_at": given.delivered_at,
        "accepted_at": given.accepted_at,
        "confirmed_at": given.confirmed_at,
        "discrepancy_note": given.discrepancy_note or None,
    }
    existing = session.scalars(
        select(Manifest).where(Manifest.manifest_no == given.manifest_no)
    ).first()
    if existing is not None:
        same = all(_same(getattr(existing, k), values[k]) for k in _IMPORTED_FIELDS)
        resubmitted(same, "联单", "manifest", given.manifest_no, where)
        return existing, False
    who = principal_of(session)
    due = None
    if given.delivered_at is not None:
        day = _beijing_day(given.delivered_at)
        due = add_working_days(day, time_limit(RECEIPT_LIMIT, day).amount)
    new = NewManifest(generator.id, carrier.id, receiver.id, code, shipped)
    manifest = Manifest(
        manifest_no=given.manifest_no,
        generator_enterprise_id=generator.enterprise_id,
        carrier_enterprise_id=carrier.enterprise_id,
        receiver_enterprise_id=receiver.enterprise_id,
        region_code=generator.region_code,
        destination_region_code=receiver.region_code,
        carrier_region_code=carrier.region_code,
        approval_id=approval_id,
        confirm_due=due,
        content_hash=content_hash(new, shipped, code),
        created_by=who.username,
        **values,
    )
    session.add(manifest)
    session.flush()
    _raise_serial(session, given.manifest_no)
    session.add(_version(manifest, VERSION_IMPORTED, who, clock.now()))
    session.add(_event(manifest, "import", None, who, clock.now(), None, {}))
    return manifest, True
