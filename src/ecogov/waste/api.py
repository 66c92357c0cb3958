"""Waste JSON API under ``/api/v1/waste``: parties, plans, ledgers, manifests and their moves,
money documents and reconciliation, each list also as an Excel or CSV download.

Thin: the services decide who may do what (the permission table) and refuse bad input with a
Chinese message (problem+json, 4xx); a duplicate or a lost race (two receipts at once) is a 409.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Header, Path, Query
from fastapi.responses import Response
from pydantic import BaseModel, Field

from ecogov.platform.db import Database
from ecogov.platform.exports import DOWNLOAD_RESPONSES, ColumnSpec, download_spec
from ecogov.platform.http import get_database, require_user
from ecogov.platform.params import Day, IdField, IdPath, IdQuery, OptionalYearQuery
from ecogov.platform.scope import Principal
from ecogov.waste import exports, manifests, money, parties, records
from ecogov.waste.manifests import Correction, NewManifest, Receipt

Db = Annotated[Database, Depends(get_database)]
User = Annotated[Principal, Depends(require_user)]
ManifestNo = Annotated[str, Path(pattern=r"^\d{14}$", description="14 位联单编号 (TR Art. 15)")]
Format = Annotated[Literal["xlsx", "csv"], Query(description="xlsx or csv")]
Limit = Annotated[int, Query(ge=1, le=5000)]
Offset = Annotated[int, Query(ge=0, le=10_000_000)]
Text = Annotated[str, Field(min_length=1, max_length=64)]
Note = Annotated[str, Field(max_length=2000)]
Amount = Annotated[float, Field(gt=0, le=1e9)]
Unit = Literal["t", "kg"]


class PartyIn(BaseModel):
    """An enterprise in a waste role."""

    enterprise_id: IdField
    kind: Literal["generator", "carrier", "receiver", "collector"]
    party_code: Text | None = None
    management_class: Literal["key", "simplified", "registration"] | None = None
    small_generator: bool = False
    collection_cycle_days: Annotated[int, Field(ge=1, le=3650)] | None = None
    transport_licence_no: Text | None = None
    vehicles: list[Annotated[str, Field(max_length=16)]] = Field(default=[], max_length=500)


class FacilityIn(BaseModel):
    """A facility of a party."""

    party_id: IdField
    facility_code: Text
    name: Annotated[str, Field(max_length=64)]
    kind: Literal["storage", "utilisation", "disposal"]
    capacity_t: Amount
    kinds_allowed: list[Annotated[str, Field(max_length=16)]] = Field(default=[], max_length=500)


class LicenceIn(BaseModel):
    """A licence line."""

    licence_no: Text
    party_id: IdField
    kind: Literal["operation", "transport"]
    valid_from: Day
    valid_to: Day
    waste_code: Annotated[str, Field(max_length=16)] = ""
    annual_capacity_t: Amount | None = None


class ApprovalIn(BaseModel):
    """A cross-province transfer approval."""

    approval_no: Text
    generator_id: IdField
    receiver_id: IdField
    waste_code: Annotated[str, Field(max_length=16)]
    approved_t: Amount
    valid_from: Day
    valid_to: Day


class PlanIn(BaseModel):
    """A line of a generator's annual plan."""

    party_id: IdField
    year: Annotated[int, Field(ge=2000, le=2100)]
    waste_code: Annotated[str, Field(max_length=16)]
    planned: Annotated[float, Field(ge=0, le=1e9)]
    unit: Unit = "t"
    receiver_id: IdField | None = None


class LedgerIn(BaseModel):
    """A ledger line."""

    entry_code: Annotated[str, Field(min_length=1, max_length=40)]
    party_id: IdField
    day: Day
    waste_code: Annotated[str, Field(max_length=16)]
    stage: Literal["generated", "stored_in", "stored_out", "utilised", "disposed", "handed_over"]
    amount: Amount
    unit: Unit = "t"
    facility_id: IdField | None = None
    batch: Annotated[str, Field(max_length=40)] | None = None
    manifest_no: Annotated[str, Field(pattern=r"^\d{14}$")] | None = None


class ManifestIn(BaseModel):
    """A new manifest, filled in by the generator."""

    generator_id: IdField
    carrier_id: IdField
    receiver_id: IdField
    waste_code: Annotated[str, Field(max_length=16)]
    shipped: Amount
    unit: Unit = "t"
    packaging: Annotated[str, Field(max_length=32)] | None = None


class MoveIn(BaseModel):
    """A move of a manifest and what it records."""

    action: Annotated[str, Field(max_length=32)]
    note: Note | None = None
    received: Amount | None = None
    unit: Unit = "t"
    discrepancy: Literal["quantity", "code", "packaging"] | None = None
    vehicle: Annotated[str, Field(max_length=16)] | None = None
    expected_version: Annotated[int, Field(ge=1)] | None = None


class CorrectionIn(BaseModel):
    """The corrected content of a manifest under correction."""

    note: Annotated[str, Field(min_length=1, max_length=2000)]
    waste_code: Annotated[str, Field(max_length=16)] | None = None
    shipped: Amount | None = None
    received: Amount | None = None
    unit: Unit = "t"
    packaging: Annotated[str, Field(max_length=32)] | None = None
    discrepancy: Literal["quantity", "code", "packaging"] | None = None


class MoneyIn(BaseModel):
    """A contract, invoice or payment."""

    doc_code: Annotated[str, Field(min_length=1, max_length=40)]
    kind: Literal["contract", "invoice", "payment"]
    payer_id: IdField
    payee_id: IdField
    day: Day
    amount_yuan: Annotated[Decimal, Field(ge=0, le=Decimal("1e12"), decimal_places=2)]
    manifest_no: Annotated[str, Field(pattern=r"^\d{14}$")] | None = None
    quantity: Amount | None = None
    unit: Unit = "t"
    waste_code: Annotated[str, Field(max_length=16)] | None = None


def _download(views: list[Any], spec: ColumnSpec, fmt: str, name: str) -> Response:
    return download_spec(exports.frame(views, spec), spec, fmt, name)


def router() -> APIRouter:
    """Routes under ``/api/v1/waste``."""
    api = APIRouter(prefix="/waste", tags=["waste"])

    @api.get("/parties")
    def list_parties(
        db: Db,
        principal: User,
        kind: Literal["generator", "carrier", "receiver", "collector"] | None = None,
    ) -> list[parties.PartyView]:
        """The directory of waste parties."""
        return parties.list_parties(db, principal, kind)

    @api.get("/parties/export", responses=DOWNLOAD_RESPONSES)
    def export_parties(db: Db, principal: User, fmt: Format = "xlsx") -> Response:
        """The directory as a download."""
        return _download(parties.list_parties(db, principal), exports.PARTIES, fmt, "waste-parties")

    @api.post("/parties", status_code=201)
    def create_party(body: PartyIn, db: Db, principal: User) -> parties.PartyView:
        """Register an enterprise in a waste role (officers of its region)."""
        values = body.model_dump()
        values["vehicles"] = tuple(values["vehicles"])
        return parties.create_party(db, principal, parties.NewParty(**values))

    @api.get("/parties/{party_id}")
    def get_party(party_id: IdPath, db: Db, principal: User) -> parties.PartyView:
        """One party."""
        return parties.get_party(db, principal, party_id)

    @api.post("/facilities", status_code=201)
    def add_facility(body: FacilityIn, db: Db, principal: User) -> parties.FacilityView:
        """Register a facility (officers)."""
        values = body.model_dump()
        values["kinds_allowed"] = tuple(values["kinds_allowed"])
        return parties.add_facility(db, principal, parties.NewFacility(**values))

    @api.post("/licences", status_code=201)
    def add_licence(body: LicenceIn, db: Db, principal: User) -> parties.LicenceView:
        """Record a licence line (officers)."""
        return parties.add_licence(db, principal, parties.NewLicence(**body.model_dump()))

    @api.post("/approvals", status_code=201)
    def record_approval(body: ApprovalIn, db: Db, principal: User) -> parties.ApprovalView:
        """Record a cross-province approval (officers)."""
        return parties.record_approval(db, principal, parties.NewApproval(**body.model_dump()))

    @api.get("/plans")
    def list_plans(
        db: Db, principal: User, party_id: IdQuery = None, year: OptionalYearQuery = None
    ) -> list[records.PlanView]:
        """Plan lines."""
        return records.list_plans(db, principal, party_id=party_id, year=year)

    @api.get("/plans/export", responses=DOWNLOAD_RESPONSES)
    def export_plans(
        db: Db, principal: User, year: OptionalYearQuery = None, fmt: Format = "xlsx"
    ) -> Response:
        """Plan lines as a download."""
        views = records.list_plans(db, principal, year=year)
        return _download(views, exports.PLANS, fmt, "waste-plans")

    @api.put("/plans")
    def set_plan(body: PlanIn, db: Db, principal: User) -> records.PlanView:
        """Set a plan line (the generator, or officers); the same line again changes nothing."""
        return records.set_plan_line(db, principal, records.PlanLine(**body.model_dump()))

    @api.get("/ledger")
    def list_ledger(
        db: Db,
        principal: User,
        party_id: IdQuery = None,
        start: Annotated[Day | None, Query()] = None,
        end: Annotated[Day | None, Query()] = None,
        limit: Limit = 1000,
        offset: Offset = 0,
    ) -> list[records.LedgerView]:
        """Ledger lines, by day."""
        return records.list_ledger(
            db, principal, party_id=party_id, start=start, end=end, limit=limit, offset=offset
        )

    @api.get("/ledger/export", responses=DOWNLOAD_RESPONSES)
    def export_ledger(
        db: Db,
        principal: User,
        party_id: IdQuery = None,
        start: Annotated[Day | None, Query()] = None,
        end: Annotated[Day | None, Query()] = None,
        fmt: Format = "xlsx",
    ) -> Response:
        """Ledger lines as a download."""
        views = records.list_ledger(
            db, principal, party_id=party_id, start=start, end=end, limit=100_000
        )
        return _download(views, exports.LEDGER, fmt, "waste-ledger")

    @api.post("/ledger", status_code=201)
    def add_ledger(
        body: Annotated[list[LedgerIn], Field(min_length=1, max_length=1000)],
        db: Db,
        principal: User,
    ) -> list[records.LedgerView]:
        """Record ledger lines (one transaction); lines already recorded change nothing."""
        entries = [records.NewLedgerEntry(**line.model_dump()) for line in body]
        return records.add_ledger_entries(db, principal, entries)

    @api.get("/manifests")
    def list_manifests(
        db: Db,
        principal: User,
        status: Annotated[str | None, Query(max_length=24)] = None,
        party_id: IdQuery = None,
        limit: Limit = 200,
        offset: Offset = 0,
    ) -> list[manifests.ManifestView]:
        """Manifests the caller may see (each party its own; officers their region)."""
        return manifests.list_manifests(
            db, principal, status=status, party_id=party_id, limit=limit, offset=offset
        )

    @api.get("/manifests/export", responses=DOWNLOAD_RESPONSES)
    def export_manifests(
        db: Db,
        principal: User,
        status: Annotated[str | None, Query(max_length=24)] = None,
        fmt: Format = "xlsx",
    ) -> Response:
        """Manifests as a download."""
        views = manifests.list_manifests(db, principal, status=status, limit=100_000)
        return _download(views, exports.MANIFESTS, fmt, "waste-manifests")

    @api.post("/manifests", status_code=201)
    def create_manifest(
        body: ManifestIn,
        db: Db,
        principal: User,
        idempotency_key: Annotated[str | None, Header(max_length=64)] = None,
    ) -> manifests.ManifestView:
        """Create a draft manifest (the generator). Send an ``Idempotency-Key`` header to make
        a retry safe: the same key returns the first manifest."""
        new = NewManifest(**body.model_dump())
        return manifests.create_manifest(db, principal, new, idempotency_key)

    @api.get("/manifests/{manifest_no}")
    def get_manifest(manifest_no: ManifestNo, db: Db, principal: User) -> manifests.ManifestDetail:
        """A manifest with its timeline, versions and the moves the caller may make."""
        return manifests.get_manifest(db, principal, manifest_no)

    @api.post("/manifests/{manifest_no}/moves")
    def move_manifest(
        manifest_no: ManifestNo, body: MoveIn, db: Db, principal: User
    ) -> manifests.ManifestView:
        """Make a move (sign out, pick up, deliver, receive …); 409 when someone moved it first."""
        return manifests.move_manifest(
            db,
            principal,
            manifest_no,
            body.action,
            note=body.note,
            receipt=Receipt(body.received, body.unit, body.discrepancy),
            vehicle=body.vehicle,
            expected_version=body.expected_version,
        )

    @api.post("/manifests/{manifest_no}/correction")
    def correct_manifest(
        manifest_no: ManifestNo, body: CorrectionIn, db: Db, principal: User
    ) -> manifests.ManifestView:
        """Submit the corrected content of a manifest under correction (a new version)."""
        values = body.model_dump()
        note = values.pop("note")
        return manifests.correct_manifest(db, principal, manifest_no, Correction(**values), note)

    @api.get("/money")
    def list_money(
        db: Db,
        principal: User,
        kind: Literal["contract", "invoice", "payment"] | None = None,
        start: Annotated[Day | None, Query()] = None,
        end: Annotated[Day | None, Query()] = None,
        limit: Limit = 1000,
        offset: Offset = 0,
    ) -> list[money.MoneyView]:
        """Contracts, invoices and payments the caller is party to (officers: their region)."""
        return money.list_money(
            db, principal, kind=kind, start=start, end=end, limit=limit, offset=offset
        )

    @api.get("/money/export", responses=DOWNLOAD_RESPONSES)
    def export_money(
        db: Db,
        principal: User,
        start: Annotated[Day | None, Query()] = None,
        end: Annotated[Day | None, Query()] = None,
        fmt: Format = "xlsx",
    ) -> Response:
        """Money documents as a download."""
        views = money.list_money(db, principal, start=start, end=end, limit=100_000)
        return _download(views, exports.MONEY, fmt, "waste-money")

    @api.post("/money", status_code=201)
    def add_money(body: MoneyIn, db: Db, principal: User) -> money.MoneyView:
        """Record a contract, invoice or payment; the same document again changes nothing."""
        return money.add_money_document(db, principal, money.NewMoneyDocument(**body.model_dump()))

    @api.get("/reconciliation")
    def reconcile(
        db: Db,
        principal: User,
        start: Annotated[Day, Query()],
        end: Annotated[Day, Query()],
    ) -> list[money.Mismatch]:
        """Money against goods in a period: the mismatches."""
        return money.reconcile(db, principal, start, end)

    @api.get("/reconciliation/export", responses=DOWNLOAD_RESPONSES)
    def export_reconciliation(
        db: Db,
        principal: User,
        start: Annotated[Day, Query()],
        end: Annotated[Day, Query()],
        fmt: Format = "xlsx",
    ) -> Response:
        """The mismatches as a download."""
        views = money.reconcile(db, principal, start, end)
        return _download(views, exports.MISMATCHES, fmt, f"waste-reconciliation-{start}-{end}")

    return api
