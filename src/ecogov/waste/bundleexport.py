"""The database's waste facts as the bundle frames (``docs/waste-bundle.md``): the tables and
columns the checks read, so the same checks run on the database as on an uploaded bundle.

Only what the principal may read goes out (the session guard filters every query). Ids are the
parties' ``party_code``, the facilities' ``facility_code``, the ledger's ``entry_code`` and the
money documents' ``doc_code`` — the ids an import of the same files resolves — so an exported
bundle imports back to the same rows. Manifest states the bundle has no word for map to what
happened to the goods: closed, corrected and under correction are ``received``, as is a receipt
with a discrepancy (its note says so).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Final

import polars as pl
from sqlalchemy import select
from sqlalchemy.orm import Session

from ecogov.platform.db import Database
from ecogov.platform.permissions import authorize
from ecogov.platform.scope import Principal
from ecogov.sources.models import Enterprise
from ecogov.standards.timebase import BEIJING
from ecogov.waste.access import MANIFESTS, MONEY, PARTIES, RECORDS
from ecogov.waste.manifests import BUNDLE_STATUS
from ecogov.waste.models import (
    LedgerEntry,
    Manifest,
    MoneyDocument,
    TrackPoint,
    TransferApproval,
    WasteFacility,
    WasteLicence,
    WasteParty,
    WastePlan,
)

COLUMNS: Final[dict[str, tuple[str, ...]]] = {
    "parties": (
        "party_id", "kind", "name", "uscc", "region_code", "lon", "lat", "management_class",
        "small_generator", "collection_cycle_days",
    ),
    "facilities": ("facility_id", "party_id", "kind", "capacity_t"),
    "licences": (
        "licence_no", "party_id", "kind", "waste_code", "annual_capacity_t", "valid_from",
        "valid_to",
    ),
    "plans": ("party_id", "year", "waste_code", "planned_t", "receiver_id"),
    "ledger": (
        "entry_id", "party_id", "facility_id", "date", "waste_code", "stage", "quantity_t",
        "manifest_no",
    ),
    "manifests": (
        "manifest_no", "version", "generator_id", "carrier_id", "receiver_id", "waste_code",
        "shipped_t", "received_t", "status", "created_at", "picked_up_at", "delivered_at",
        "accepted_at", "confirmed_at", "cross_province_approval", "discrepancy_note",
    ),
    "payments": (
        "doc_id", "kind", "payer_id", "payee_id", "manifest_no", "date", "amount_yuan",
        "quantity_t", "waste_code",
    ),
    "tracks": ("manifest_no", "ts", "lon", "lat"),
}  # fmt: skip
"""The bundle layout: file (without ``.csv``) → its columns, in order."""


def timestamp(moment: datetime | None) -> str:
    """A stored moment as the bundle writes it: Beijing time ``YYYY-MM-DD HH:MM:SS``."""
    return "" if moment is None else moment.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M:%S")


def _day(value: date | None) -> str:
    return "" if value is None else value.isoformat()


def _frame(name: str, rows: list[tuple[Any, ...]]) -> pl.DataFrame:
    columns = COLUMNS[name]
    data = {column: [row[i] for row in rows] for i, column in enumerate(columns)}
    return pl.DataFrame(data, schema=dict.fromkeys(columns, pl.String), strict=False)


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return f"{value:.6f}".rstrip("0").rstrip(".")
    return str(value)


def _rows(items: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    return [tuple(_text(v) for v in row) for row in items]


def _parties(session: Session) -> tuple[pl.DataFrame, dict[int, str]]:
    rows = session.execute(
        select(WasteParty, Enterprise)
        .outerjoin(Enterprise, Enterprise.enterprise_id == WasteParty.enterprise_id)
        .order_by(WasteParty.party_code)
    ).all()
    codes = {party.id: party.party_code for party, _ in rows}
    out = [
        (
            p.party_code, p.kind, p.name, e.uscc if e else None, p.region_code,
            e.lon if e else None, e.lat if e else None, p.management_class, p.small_generator,
            p.collection_cycle_days,
        )
        for p, e in rows
    ]  # fmt: skip
    return _frame("parties", _rows(out)), codes


def _simple(
    session: Session, codes: dict[int, str]
) -> tuple[dict[str, pl.DataFrame], dict[int, str]]:
    facilities = session.scalars(select(WasteFacility).order_by(WasteFacility.facility_code)).all()
    facility_codes = {f.id: f.facility_code for f in facilities}
    licences = session.scalars(
        select(WasteLicence).order_by(WasteLicence.licence_no, WasteLicence.waste_code)
    ).all()
    plans = session.scalars(
        select(WastePlan).order_by(WastePlan.party_id, WastePlan.year, WastePlan.waste_code)
    ).all()
    frames = {
        "facilities": _frame(
            "facilities",
            _rows([(f.facility_code, codes.get(f.party_id), f.kind, f.capacity_t)
                   for f in facilities]),
        ),
        "licences": _frame(
            "licences",
            _rows([
                (x.licence_no, codes.get(x.party_id), x.kind, x.waste_code, x.annual_capacity_t,
                 _day(x.valid_from), _day(x.valid_to))
                for x in licences
            ]),
        ),
        "plans": _frame(
            "plans",
            _rows([
                (codes.get(p.party_id), p.year, p.waste_code, p.planned_t,
                 codes.get(p.receiver_id) if p.receiver_id else None)
                for p in plans
            ]),
        ),
    }  # fmt: skip
    return frames, facility_codes


def _ledger(session: Session, codes: dict[int, str], facilities: dict[int, str]) -> pl.DataFrame:
    rows = session.scalars(select(LedgerEntry).order_by(LedgerEntry.day, LedgerEntry.id)).all()
    return _frame(
        "ledger",
        _rows([
            (e.entry_code, codes.get(e.party_id),
             facilities.get(e.facility_id) if e.facility_id else None, _day(e.day),
             e.waste_code, e.stage, e.quantity_t, e.manifest_no)
            for e in rows
        ]),
    )  # fmt: skip


def _manifests(session: Session, codes: dict[int, str]) -> tuple[pl.DataFrame, dict[int, str]]:
    rows = session.scalars(select(Manifest).order_by(Manifest.manifest_no)).all()
    approvals = {a.id: a.approval_no for a in session.scalars(select(TransferApproval))}
    out = [
        (
            m.manifest_no, m.version, codes.get(m.generator_id), codes.get(m.carrier_id),
            codes.get(m.receiver_id), m.waste_code, m.shipped_t, m.received_t,
            BUNDLE_STATUS.get(m.status, m.status), timestamp(m.created_at),
            timestamp(m.picked_up_at), timestamp(m.delivered_at), timestamp(m.accepted_at),
            timestamp(m.confirmed_at), approvals.get(m.approval_id) if m.approval_id else None,
            m.discrepancy_note,
        )
        for m in rows
    ]  # fmt: skip
    return _frame("manifests", _rows(out)), {m.id: m.manifest_no for m in rows}


def _payments(session: Session, codes: dict[int, str]) -> pl.DataFrame:
    rows = session.scalars(select(MoneyDocument).order_by(MoneyDocument.day, MoneyDocument.id))
    return _frame(
        "payments",
        _rows([
            (d.doc_code, d.kind, codes.get(d.payer_id), codes.get(d.payee_id), d.manifest_no,
             _day(d.day), f"{d.amount_yuan:.2f}", d.quantity_t, d.waste_code)
            for d in rows
        ]),
    )  # fmt: skip


def _tracks(session: Session, numbers: dict[int, str]) -> pl.DataFrame:
    if not numbers:
        return _frame("tracks", [])
    points = session.scalars(
        select(TrackPoint)
        .where(TrackPoint.manifest_id.in_(numbers))
        .order_by(TrackPoint.manifest_id, TrackPoint.ts)
    ).all()
    return _frame(
        "tracks",
        _rows([
            (numbers[p.manifest_id], timestamp(datetime.fromtimestamp(p.ts, BEIJING)), p.lon,
             p.lat)
            for p in points
        ]),
    )  # fmt: skip


def bundle_frames(db: Database, principal: Principal) -> dict[str, pl.DataFrame]:
    """Every bundle table of what ``principal`` may read, as string frames in the layout."""
    for kind in (PARTIES, RECORDS, MANIFESTS, MONEY):
        authorize(principal, "read", kind)
    with db.transaction(principal) as session:
        parties, codes = _parties(session)
        frames, facilities = _simple(session, codes)
        manifests, numbers = _manifests(session, codes)
        return {
            "parties": parties,
            **frames,
            "ledger": _ledger(session, codes, facilities),
            "manifests": manifests,
            "payments": _payments(session, codes),
            "tracks": _tracks(session, numbers),
        }


def export_bundle(db: Database, principal: Principal) -> dict[str, bytes]:
    """The bundle's CSV files (UTF-8, one header row) by file name, of what ``principal`` may
    read."""
    return {
        f"{name}.csv": frame.write_csv().encode("utf-8")
        for name, frame in bundle_frames(db, principal).items()
    }
