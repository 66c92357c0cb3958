"""Generators' annual management plans (管理计划, HJ 1259 §5) and ledgers (管理台账, HJ 1259 §6):
entered in forms or imported (:mod:`ecogov.waste.importer`), amounts in t or kg stored in tonnes.

The ``*_in`` functions do the work inside a caller's transaction (a form's, or an import file's)
so both paths apply the same checks. Recording the same line again changes nothing; the same
entry id with other content is a conflict.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from ecogov.platform.db import Database
from ecogov.platform.errors import InputError, NotFound
from ecogov.platform.permissions import authorize
from ecogov.platform.scope import Principal
from ecogov.waste.access import RECORDS
from ecogov.waste.models import STAGES, LedgerEntry, WasteFacility, WastePlan
from ecogov.waste.parties import load_party, one_of, resubmitted, to_tonnes, waste_code

GENERATING_KINDS = ("generator", "collector")
"""Parties that keep a generator's plan and ledger (a collector keeps one for what it holds)."""
TOLERANCE_T = 1e-9


@dataclass(frozen=True)
class PlanLine:
    """One line of an annual plan: expected amount of a code, and the intended receiver."""

    party_id: int
    year: int
    waste_code: str
    planned: float
    unit: str = "t"
    receiver_id: int | None = None


@dataclass(frozen=True)
class PlanView:
    """A plan line as shown."""

    id: int
    party_id: int
    year: int
    waste_code: str
    planned_t: float
    receiver_id: int | None


def _plan_view(row: WastePlan) -> PlanView:
    return PlanView(row.id, row.party_id, row.year, row.waste_code, row.planned_t, row.receiver_id)


def set_plan_line_in(session: Session, line: PlanLine, where: str = "") -> tuple[WastePlan, bool]:
    """Create or update the plan line of (party, year, code); the row and whether it changed."""
    if not 2000 <= line.year <= 2100:
        raise InputError(f"{where}年份 {line.year} 不正确（year out of range）")
    code = waste_code(line.waste_code, where)
    planned = to_tonnes(line.planned, line.unit, f"{where}计划产生量：")
    party = load_party(session, line.party_id)
    one_of(party.kind, GENERATING_KINDS, f"{where}单位类型", "party kind")
    if line.receiver_id is not None:
        receiver = load_party(session, line.receiver_id)
        one_of(receiver.kind, ("receiver", "collector"), f"{where}拟接收单位类型", "receiver kind")
    row = session.scalars(
        select(WastePlan).where(
            WastePlan.party_id == party.id,
            WastePlan.year == line.year,
            WastePlan.waste_code == code,
        )
    ).first()
    if row is None:
        row = WastePlan(
            party_id=party.id,
            enterprise_id=party.enterprise_id,
            region_code=party.region_code,
            year=line.year,
            waste_code=code,
            planned_t=planned,
            receiver_id=line.receiver_id,
        )
        session.add(row)
        session.flush()
        return row, True
    if abs(row.planned_t - planned) <= TOLERANCE_T and row.receiver_id == line.receiver_id:
        return row, False
    row.planned_t, row.receiver_id = planned, line.receiver_id
    session.flush()
    return row, True


def set_plan_line(db: Database, principal: Principal, line: PlanLine) -> PlanView:
    """Record a line of a generator's annual plan (the generator itself, or officers)."""
    authorize(principal, "create", RECORDS)
    with db.transaction(principal, "waste.plan.set") as session:
        row, _ = set_plan_line_in(session, line)
        return _plan_view(row)


def list_plans(
    db: Database, principal: Principal, *, party_id: int | None = None, year: int | None = None
) -> list[PlanView]:
    """The plan lines the principal may read."""
    authorize(principal, "read", RECORDS)
    with db.transaction(principal) as session:
        query = select(WastePlan)
        if party_id is not None:
            query = query.where(WastePlan.party_id == party_id)
        if year is not None:
            query = query.where(WastePlan.year == year)
        rows = session.scalars(
            query.order_by(WastePlan.party_id, WastePlan.year, WastePlan.waste_code)
        ).all()
        return [_plan_view(row) for row in rows]


# --- ledger --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NewLedgerEntry:
    """A ledger line as entered: ``amount`` in ``unit`` (t or kg)."""

    entry_code: str
    party_id: int
    day: date
    waste_code: str
    stage: str
    amount: float
    unit: str = "t"
    facility_id: int | None = None
    batch: str | None = None
    manifest_no: str | None = None


@dataclass(frozen=True)
class LedgerView:
    """A ledger line as shown, in tonnes, with what was entered."""

    id: int
    entry_code: str
    party_id: int
    facility_id: int | None
    day: date
    waste_code: str
    stage: str
    quantity_t: float
    entered_amount: float
    entered_unit: str
    batch: str | None
    manifest_no: str | None


def _ledger_view(row: LedgerEntry) -> LedgerView:
    return LedgerView(
        row.id, row.entry_code, row.party_id, row.facility_id, row.day, row.waste_code,
        row.stage, row.quantity_t, row.entered_amount, row.entered_unit, row.batch,
        row.manifest_no,
    )  # fmt: skip


def add_ledger_entry_in(
    session: Session, new: NewLedgerEntry, where: str = ""
) -> tuple[LedgerEntry, bool]:
    """Record a ledger line in ``session``; the row and whether it is new (the same line again
    is a no-op; the same entry id with other content a 409)."""
    if not new.entry_code or len(new.entry_code) > 40:
        raise InputError(f"{where}台账编号须为 1–40 个字符（entry id must have 1–40 characters）")
    code = waste_code(new.waste_code, where)
    one_of(new.stage, STAGES, f"{where}环节", "stage")
    quantity = to_tonnes(new.amount, new.unit, f"{where}数量：")
    if new.stage == "handed_over" and not new.manifest_no:
        raise InputError(f"{where}委外转移须填写联单编号（a hand-over names its manifest）")
    party = load_party(session, new.party_id)
    one_of(party.kind, GENERATING_KINDS, f"{where}单位类型", "party kind")
    if new.facility_id is not None:
        facility = session.get(WasteFacility, new.facility_id)
        if facility is None or facility.party_id != party.id:
            raise NotFound(
                f"{where}设施 {new.facility_id} 不属于该单位（facility of another party）"
            )
    existing = session.scalars(
        select(LedgerEntry).where(LedgerEntry.entry_code == new.entry_code)
    ).first()
    values = {
        "party_id": party.id,
        "facility_id": new.facility_id,
        "day": new.day,
        "waste_code": code,
        "stage": new.stage,
        "quantity_t": quantity,
        "entered_amount": float(new.amount),
        "entered_unit": new.unit,
        "batch": new.batch or None,
        "manifest_no": new.manifest_no or None,
    }
    if existing is not None:
        resubmitted(
            _same_entry(existing, values), "台账编号", "ledger entry", new.entry_code, where
        )
        return existing, False
    row = LedgerEntry(
        entry_code=new.entry_code,
        enterprise_id=party.enterprise_id,
        region_code=party.region_code,
        **values,
    )
    session.add(row)
    return row, True


def _same_entry(row: LedgerEntry, values: Mapping[str, object]) -> bool:
    """Whether ``values`` record the same fact as ``row``: the same quantity in tonnes whatever
    the unit it was entered in, the batch only when given (the bundle has no batch column)."""
    facts = ("party_id", "facility_id", "day", "waste_code", "stage", "manifest_no")
    if any(getattr(row, k) != values[k] for k in facts):
        return False
    if values["batch"] is not None and row.batch != values["batch"]:
        return False
    quantity = values["quantity_t"]
    assert isinstance(quantity, float)
    return abs(row.quantity_t - quantity) <= 1e-9 * max(row.quantity_t, 1.0)


def add_ledger_entries(
    db: Database, principal: Principal, entries: list[NewLedgerEntry]
) -> list[LedgerView]:
    """Record ledger lines in one transaction (the generator itself, or officers)."""
    authorize(principal, "create", RECORDS)
    with db.transaction(principal, "waste.ledger.add") as session:
        rows = [add_ledger_entry_in(session, entry)[0] for entry in entries]
        session.flush()
        return [_ledger_view(row) for row in rows]


def list_ledger(
    db: Database,
    principal: Principal,
    *,
    party_id: int | None = None,
    start: date | None = None,
    end: date | None = None,
    limit: int = 1000,
    offset: int = 0,
) -> list[LedgerView]:
    """The ledger lines the principal may read, by day."""
    authorize(principal, "read", RECORDS)
    with db.transaction(principal) as session:
        query = select(LedgerEntry)
        if party_id is not None:
            query = query.where(LedgerEntry.party_id == party_id)
        if start is not None:
            query = query.where(LedgerEntry.day >= start)
        if end is not None:
            query = query.where(LedgerEntry.day <= end)
        rows = session.scalars(
            query.order_by(LedgerEntry.day, LedgerEntry.id).limit(limit).offset(offset)
        ).all()
        return [_ledger_view(row) for row in rows]
