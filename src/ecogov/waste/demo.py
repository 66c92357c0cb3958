"""Demo data of the waste domain: a simulated province year of the full chain (模拟数据).

The seeded simulator (:mod:`ecogov.waste.simulate`) makes a consistent year — generators with
plans and ledgers, carriers and receivers with licences, thousands of manifests with their
timelines, invoices, payments and GPS tracks — with one planted anomaly of every check rule.
Each simulated party becomes a role of one of the ``sources`` demo enterprises (the first
simulated enterprise, the ``qiye`` login, is the first generator); the rows are bulk-inserted in
one transaction, the simulated GPS tracks carried onto the routes between the enterprises; then
the checks run on the database's facts (exported in the bundle layout) and their findings go to
the alerts inbox. Demo logins are added for a carrier and a receiver.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, Final

import polars as pl
from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from ecogov.engine.waste import configure
from ecogov.engine.waste.checks import EARTH_RADIUS_KM
from ecogov.platform import audit, clock
from ecogov.platform.db import Database
from ecogov.platform.scope import SYSTEM
from ecogov.sources.demo import enterprise_login
from ecogov.sources.models import Enterprise
from ecogov.standards.timebase import BEIJING
from ecogov.waste.alerts import check_database
from ecogov.waste.models import (
    LedgerEntry,
    Manifest,
    ManifestEvent,
    MoneyDocument,
    TrackPoint,
    WasteFacility,
    WasteLicence,
    WasteParty,
    WastePlan,
)
from ecogov.waste.simulate import Simulation, simulate

SEED: Final = 2026
GENERATORS: Final = 300
CARRIERS: Final = 12
RECEIVERS: Final = 16
DEMO_USERS: Final = {
    "carrier": ("yunshu", "yunshu-demo"),
    "receiver": ("jieshou", "jieshou-demo"),
}
"""Demo logins of the first simulated carrier and receiver (username, password)."""
LOGIN_LABELS: Final = {
    "carrier": "危废运输单位（waste carrier）",
    "receiver": "危废接收单位（waste receiver）",
}
KIND_ORDER: Final = {"generator": 0, "carrier": 1, "receiver": 2, "collector": 3}
MOVES: Final = (
    ("create", None, "draft", "created_at", "generator_id"),
    ("sign_out", "draft", "signed_out", "created_at", "generator_id"),
    ("pick_up", "signed_out", "in_transit", "picked_up_at", "carrier_id"),
    ("deliver", "in_transit", "delivered", "delivered_at", "carrier_id"),
    ("receive", "delivered", "received", "accepted_at", "receiver_id"),
    ("close", "received", "closed", "confirmed_at", "receiver_id"),
)
"""The timeline a simulated manifest's timestamps stand for: move, from, to, time, actor."""


@dataclass(frozen=True)
class _Party:
    id: int
    enterprise_id: int
    region_code: str
    lon: float
    lat: float


def demo_year() -> int:
    """The simulated year: the last full calendar year before the clock's today."""
    return clock.today().year - 1


def _aware(value: datetime | None) -> datetime | None:
    """A simulated wall time (Beijing) as an aware datetime."""
    return None if value is None else value.replace(tzinfo=BEIJING)


def _insert(session: Session, model: type[Any], rows: list[dict[str, Any]]) -> None:
    """Bulk-insert ``rows`` (one executemany of the table, no ORM bookkeeping)."""
    if rows:
        session.execute(insert(model.__table__), rows)


def _ids(session: Session, key: Any, ident_column: Any, codes: Iterable[str]) -> dict[str, int]:
    """The ids of the rows just inserted, by their code column ``key``."""
    wanted = list(codes)
    found: dict[str, int] = {}
    for start in range(0, len(wanted), 900):
        chunk = wanted[start : start + 900]
        for code, ident in session.execute(select(key, ident_column).where(key.in_(chunk))):
            found[code] = ident
    return found


def _parties(session: Session, frame: pl.DataFrame, licences: pl.DataFrame) -> dict[str, _Party]:
    """One party row per simulated party, each on its own demo enterprise (generators first)."""
    rows = sorted(frame.iter_rows(named=True), key=lambda r: (KIND_ORDER[r["kind"]], r["party_id"]))
    enterprises = list(
        session.execute(
            select(
                Enterprise.enterprise_id,
                Enterprise.region_code,
                Enterprise.name,
                Enterprise.lon,
                Enterprise.lat,
            )
            .where(Enterprise.simulated.is_(True))
            .order_by(Enterprise.enterprise_id)
            .limit(len(rows))
        )
    )
    if len(enterprises) < len(rows):
        raise RuntimeError("the waste demo needs the sources demo's enterprises loaded first")
    transport = {
        r["party_id"]: r["licence_no"]
        for r in licences.filter(pl.col("kind") == "transport").iter_rows(named=True)
    }
    values = [
        {
            "party_code": row["party_id"],
            "name": name,
            "enterprise_id": enterprise_id,
            "region_code": region_code,
            "kind": row["kind"],
            "management_class": row["management_class"],
            "small_generator": bool(row["small_generator"]),
            "collection_cycle_days": row["collection_cycle_days"],
            "transport_licence_no": transport.get(row["party_id"]),
            "vehicles": [],
            "simulated": True,
        }
        for row, (enterprise_id, region_code, name, _, _) in zip(rows, enterprises, strict=False)
    ]
    _insert(session, WasteParty, values)
    ids = _ids(session, WasteParty.party_code, WasteParty.id, (v["party_code"] for v in values))
    return {
        value["party_code"]: _Party(
            ids[value["party_code"]], enterprise_id, region_code, lon or 0.0, lat or 0.0
        )
        for value, (enterprise_id, region_code, _, lon, lat) in zip(
            values, enterprises, strict=False
        )
    }


def _owned(party: _Party) -> dict[str, Any]:
    return {
        "party_id": party.id,
        "enterprise_id": party.enterprise_id,
        "region_code": party.region_code,
    }


def _registry_rows(
    sim: Simulation, parties: Mapping[str, _Party]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    """Facilities, licences and plans."""
    facilities = [
        {
            **_owned(parties[r["party_id"]]),
            "facility_code": r["facility_id"],
            "name": f"{r['facility_id']}贮存设施",
            "kind": r["kind"],
            "capacity_t": r["capacity_t"],
            "kinds_allowed": [],
        }
        for r in sim.frames.facilities.iter_rows(named=True)
    ]
    licences = [
        {
            **_owned(parties[r["party_id"]]),
            "licence_no": r["licence_no"],
            "kind": r["kind"],
            "waste_code": r["waste_code"] or "",
            "annual_capacity_t": r["annual_capacity_t"],
            "valid_from": r["valid_from"],
            "valid_to": r["valid_to"],
        }
        for r in sim.frames.licences.iter_rows(named=True)
    ]
    plans = [
        {
            **_owned(parties[r["party_id"]]),
            "year": r["year"],
            "waste_code": r["waste_code"],
            "planned_t": r["planned_t"],
            "receiver_id": parties[r["receiver_id"]].id if r["receiver_id"] else None,
        }
        for r in sim.frames.plans.iter_rows(named=True)
    ]
    return facilities, licences, plans


def _ledger_rows(
    sim: Simulation, parties: Mapping[str, _Party], facilities: Mapping[str, int]
) -> list[dict[str, Any]]:
    return [
        {
            **_owned(parties[r["party_id"]]),
            "entry_code": r["entry_id"],
            "facility_id": facilities.get(r["facility_id"]) if r["facility_id"] else None,
            "day": r["date"],
            "waste_code": r["waste_code"],
            "stage": r["stage"],
            "quantity_t": r["quantity_t"],
            "entered_amount": r["quantity_t"],
            "entered_unit": "t",
            "manifest_no": r["manifest_no"],
        }
        for r in sim.frames.ledger.iter_rows(named=True)
    ]


def _content_hash(row: Mapping[str, Any]) -> str:
    keys = ("manifest_no", "generator_id", "carrier_id", "receiver_id", "waste_code", "shipped_t")
    text = json.dumps({key: row[key] for key in keys}, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


def manifest_status(bundle_status: str, note: str | None, confirmed: bool) -> str:
    """The state of the manifest machine a simulated manifest stands in: the bundle's
    ``received`` is ``closed`` once confirmed, else received (with a discrepancy when noted)."""
    if bundle_status != "received":
        return bundle_status
    if confirmed:
        return "closed"
    return "received_discrepancy" if note else "received"


def _manifest_rows(sim: Simulation, parties: Mapping[str, _Party]) -> list[dict[str, Any]]:
    rows = []
    for r in sim.frames.manifests.iter_rows(named=True):
        generator, carrier, receiver = (
            parties[r[key]] for key in ("generator_id", "carrier_id", "receiver_id")
        )
        created = _aware(r["created_at"])
        rows.append(
            {
                "manifest_no": r["manifest_no"],
                "version": r["version"],
                "row_version": 1,
                "status": manifest_status(
                    r["status"], r["discrepancy_note"], r["confirmed_at"] is not None
                ),
                "generator_id": generator.id,
                "carrier_id": carrier.id,
                "receiver_id": receiver.id,
                "generator_enterprise_id": generator.enterprise_id,
                "carrier_enterprise_id": carrier.enterprise_id,
                "receiver_enterprise_id": receiver.enterprise_id,
                "region_code": generator.region_code,
                "destination_region_code": receiver.region_code,
                "carrier_region_code": carrier.region_code,
                "waste_code": r["waste_code"],
                "shipped_t": r["shipped_t"],
                "received_t": r["received_t"],
                "discrepancy": "quantity" if r["discrepancy_note"] else None,
                "discrepancy_note": r["discrepancy_note"],
                "created_at": created,
                "signed_out_at": created if r["status"] != "draft" else None,
                "picked_up_at": _aware(r["picked_up_at"]),
                "delivered_at": _aware(r["delivered_at"]),
                "accepted_at": _aware(r["accepted_at"]),
                "confirmed_at": _aware(r["confirmed_at"]),
                "late_alerted": False,
                "content_hash": _content_hash(r),
                "created_by": "demo",
            }
        )
    return rows


def _event_rows(
    manifests: Iterable[dict[str, Any]], ids: Mapping[str, int]
) -> list[dict[str, Any]]:
    """The timeline of each simulated manifest, as far as its timestamps go."""
    rows = []
    actors = {  # simulated signers, named as the timeline shows them
        "generator_id": "模拟产废单位",
        "carrier_id": "模拟运输单位",
        "receiver_id": "模拟接收单位",
    }
    for manifest in manifests:
        manifest_id = ids[manifest["manifest_no"]]
        parties = {
            key: manifest[key]
            for key in (
                "region_code",
                "destination_region_code",
                "carrier_region_code",
                "generator_enterprise_id",
                "carrier_enterprise_id",
                "receiver_enterprise_id",
            )
        }
        received = "received_discrepancy" if manifest["discrepancy_note"] else "received"
        for move, before, after, stamp, actor in MOVES:
            at = manifest[stamp]
            if at is None or (after == "signed_out" and manifest["signed_out_at"] is None):
                break
            data: dict[str, Any] = {}
            note = None
            if move == "receive":
                data = {"received_t": manifest["received_t"]}
                note = manifest["discrepancy_note"]
                if note:
                    move, after = "receive_with_discrepancy", received
                    data["discrepancy"] = "quantity"
            rows.append(
                {
                    **parties,
                    "manifest_id": manifest_id,
                    "version": manifest["version"],
                    "move": move,
                    "from_state": received if move == "close" else before,
                    "to_state": after,
                    "at": at,
                    "actor": actors[actor],
                    "note": note,
                    "data": data,
                }
            )
    return rows


def _money_rows(sim: Simulation, parties: Mapping[str, _Party]) -> list[dict[str, Any]]:
    rows = []
    for r in sim.frames.payments.iter_rows(named=True):
        payer, payee = parties[r["payer_id"]], parties[r["payee_id"]]
        rows.append(
            {
                "doc_code": r["doc_id"],
                "kind": r["kind"],
                "payer_id": payer.id,
                "payee_id": payee.id,
                "payer_enterprise_id": payer.enterprise_id,
                "payee_enterprise_id": payee.enterprise_id,
                "region_code": payer.region_code,
                "manifest_no": r["manifest_no"],
                "day": r["date"],
                "amount_yuan": Decimal(str(round(r["amount_yuan"], 2))),
                "quantity_t": r["quantity_t"],
                "waste_code": r["waste_code"],
            }
        )
    return rows


def km_plane(lat: float) -> tuple[float, float]:
    """Kilometres per degree of longitude and of latitude around ``lat``."""
    per_degree = math.pi / 180 * EARTH_RADIUS_KM
    return per_degree * math.cos(math.radians(lat)), per_degree


def moved_point(
    point: tuple[float, float],
    route: tuple[tuple[float, float], tuple[float, float]],
    onto: tuple[tuple[float, float], tuple[float, float]],
) -> tuple[float, float]:
    """A GPS fix of a simulated ``route`` (origin, destination; lon/lat) carried onto the demo
    enterprises' route ``onto``: the same share of the way along it (the same km before the
    origin or past the destination) and the same distance [km] beside it, so a fix off the
    simulated route is as far off the demo one."""
    (a0, b0), (a1, b1) = route
    kx, ky = km_plane((b0 + b1) / 2)
    dx, dy = (a1 - a0) * kx, (b1 - b0) * ky
    px, py = (point[0] - a0) * kx, (point[1] - b0) * ky
    length = math.hypot(dx, dy) or 1e-9
    along = (px * dx + py * dy) / length**2
    beside = (dx * py - dy * px) / length
    (c0, d0), (c1, d1) = onto
    mx, my = km_plane((d0 + d1) / 2)
    ex, ey = (c1 - c0) * mx, (d1 - d0) * my
    span = math.hypot(ex, ey) or 1e-9
    if along < 0:  # before the origin: as many km before it
        along = along * length / span
    elif along > 1:  # past the destination: as many km past it
        along = 1 + (along - 1) * length / span
    x = along * ex - beside * ey / span
    y = along * ey + beside * ex / span
    return round(c0 + x / mx, 6), round(d0 + y / my, 6)


def _track_rows(
    sim: Simulation, parties: Mapping[str, _Party], manifest_ids: Mapping[str, int]
) -> list[dict[str, Any]]:
    """The simulated tracks, carried onto the routes between the demo enterprises."""
    place = {r["party_id"]: (r["lon"], r["lat"]) for r in sim.frames.parties.iter_rows(named=True)}
    ends = {
        r["manifest_no"]: (r["generator_id"], r["receiver_id"])
        for r in sim.frames.manifests.iter_rows(named=True)
    }
    rows = []
    for r in sim.frames.tracks.iter_rows(named=True):
        if r["manifest_no"] not in manifest_ids:
            continue
        generator, receiver = ends[r["manifest_no"]]
        lon, lat = moved_point(
            (r["lon"], r["lat"]),
            (place[generator], place[receiver]),
            ((parties[generator].lon, parties[generator].lat),
             (parties[receiver].lon, parties[receiver].lat)),
        )  # fmt: skip
        rows.append(
            {
                "manifest_id": manifest_ids[r["manifest_no"]],
                "ts": int(r["ts"].replace(tzinfo=BEIJING).timestamp()),
                "lon": lon,
                "lat": lat,
            }
        )
    return rows


def load_simulation(db: Database, sim: Simulation) -> dict[str, int]:
    """Insert a simulation onto the demo enterprises in one transaction; returns the counts."""
    with db.transaction(SYSTEM, action="waste.demo.load") as session:
        parties = _parties(session, sim.frames.parties, sim.frames.licences)
        facilities, licences, plans = _registry_rows(sim, parties)
        _insert(session, WasteFacility, facilities)
        facility_ids = _ids(
            session,
            WasteFacility.facility_code,
            WasteFacility.id,
            (f["facility_code"] for f in facilities),
        )
        _insert(session, WasteLicence, licences)
        _insert(session, WastePlan, plans)
        ledger = _ledger_rows(sim, parties, facility_ids)
        _insert(session, LedgerEntry, ledger)
        manifests = _manifest_rows(sim, parties)
        _insert(session, Manifest, manifests)
        by_no = _ids(
            session, Manifest.manifest_no, Manifest.id, (m["manifest_no"] for m in manifests)
        )
        events = _event_rows(manifests, by_no)
        _insert(session, ManifestEvent, events)
        money = _money_rows(sim, parties)
        _insert(session, MoneyDocument, money)
        tracks = _track_rows(sim, parties, by_no)
        _insert(session, TrackPoint, tracks)
        counts = {
            "parties": len(parties),
            "facilities": len(facilities),
            "licences": len(licences),
            "plans": len(plans),
            "ledger entries": len(ledger),
            "manifests": len(manifests),
            "manifest events": len(events),
            "money documents": len(money),
            "track points": len(tracks),
        }
        audit.record(session, "waste.demo.load", entity="waste_party", details=counts)
    return counts


def _demo_users(db: Database) -> list[str]:
    """The carrier and receiver demo logins (created when missing)."""
    lines = []
    for kind, (username, password) in DEMO_USERS.items():
        with db.transaction(SYSTEM) as session:
            party = session.scalar(
                select(WasteParty)
                .where(WasteParty.kind == kind, WasteParty.simulated.is_(True))
                .order_by(WasteParty.party_code)
            )
            enterprise = session.get(Enterprise, party.enterprise_id) if party else None
        if enterprise is None:
            continue
        enterprise_login(db, username, password, enterprise)
        lines.append(f"  {username} / {password} — {LOGIN_LABELS[kind]}，{enterprise.name}")
    return lines


def build(year: int | None = None) -> Simulation:
    """The demo's simulated year with one planted anomaly of every rule."""
    return simulate(
        SEED,
        generators=GENERATORS,
        carriers=CARRIERS,
        receivers=RECEIVERS,
        planted=1,
        year=year or demo_year(),
    )


def load(db: Database) -> list[str]:
    """Load the simulated year once, run the checks and publish their alerts (a second load
    finds the data and adds nothing)."""
    with db.transaction(SYSTEM) as session:
        present = session.scalar(select(func.count()).where(WasteParty.simulated.is_(True)))
    if present:
        summary = f"  waste: {present} simulated parties already loaded (模拟数据)"
    else:
        sim = build()
        counts = load_simulation(db, sim)
        run = check_database(db, configure(), sim.as_of)
        summary = "  waste: " + ", ".join(f"{n} {what}" for what, n in counts.items())
        summary += f", {run.findings.height} findings published as alerts (模拟数据)"
    return [summary, *_demo_users(db)]
