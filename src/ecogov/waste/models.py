"""Tables of the waste full chain (GOVERNANCE.md §1): parties and their licences and facilities,
annual management plans, ledgers, electronic transfer manifests (with their versions and
timelines), cross-province approvals, money documents and GPS tracks.

The columns hold the facts of the bundle layout (``docs/waste-bundle.md``) so the database exports
to the same frames the checks read (:mod:`ecogov.waste.bundleexport`). Quantities are tonnes
(``_t``), money yuan; a party is a ``sources`` enterprise in one role (generator, carrier,
receiver, collector) and carries its ``party_code``, the id the bundle files use.

Scope: every table is region-scoped (the row's origin region: the generator's for manifests, the
payer's for money documents). Parties' own rows are enterprise-scoped; manifests and money
documents are read by the enterprises party to them (``Scope.PARTY`` of :mod:`.access`), through
the ``*_enterprise_id`` columns copied from the parties by the services.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Integer,
    Numeric,
    PrimaryKeyConstraint,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from ecogov.platform.models import Base, EnterpriseScoped, IdMixin, RegionScoped, UTCDateTime

PARTY_KINDS = ("generator", "carrier", "receiver", "collector")
"""产废单位, 运输单位, 接收单位 (利用处置经营单位), 小微收集单位 (小微收运)."""
MANAGEMENT_CLASSES = ("key", "simplified", "registration")
"""HJ 1259-2022 §4: 重点监管 / 简化管理 / 登记管理 (generators only)."""
FACILITY_KINDS = ("storage", "utilisation", "disposal")
"""贮存 / 利用 / 处置 facilities."""
LICENCE_KINDS = ("operation", "transport")
"""危险废物经营许可证 (receivers, per code and capacity) / 道路危险货物运输许可 (carriers)."""
STAGES = ("generated", "stored_in", "stored_out", "utilised", "disposed", "handed_over")
"""Ledger stages (HJ 1259 §5 台账: 产生, 入库, 出库, 自行利用, 自行处置, 委外转移)."""
UNITS = ("t", "kg")
"""Units a ledger amount may be entered in; stored in tonnes."""
MANIFEST_STATES = (
    "draft",
    "signed_out",
    "in_transit",
    "delivered",
    "received",
    "received_discrepancy",
    "rejected",
    "closed",
    "under_correction",
    "corrected",
    "cancelled",
)
"""States of a transfer manifest (:data:`ecogov.waste.manifests.MANIFEST`)."""
DISCREPANCY_KINDS = ("quantity", "code", "packaging")
"""What a receiver may find different from the manifest (e-Manifest: quantity, type, residue)."""
MONEY_KINDS = ("contract", "invoice", "payment")
"""处置合同, 发票, 付款."""


def _in(column: str, values: tuple[str, ...]) -> str:
    """SQL of a CHECK that ``column`` takes one of ``values``."""
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class WasteParty(IdMixin, RegionScoped, EnterpriseScoped, Base):
    """An enterprise in one waste role. ``party_code`` is the id the bundle files and imports
    use; generator columns: HJ 1259 ``management_class``, ``small_generator`` (小微产废单位) and
    its ``collection_cycle_days``; carrier columns: ``transport_licence_no`` and ``vehicles``
    (licence plates); ``simulated`` marks demo rows."""

    __tablename__ = "waste_party"
    __resource_kind__ = "waste.party"
    __table_args__ = (
        UniqueConstraint("enterprise_id", "kind"),
        CheckConstraint(_in("kind", PARTY_KINDS), name="kind"),
        CheckConstraint(
            f"management_class IS NULL OR {_in('management_class', MANAGEMENT_CLASSES)}",
            name="management_class",
        ),
        CheckConstraint("collection_cycle_days IS NULL OR collection_cycle_days > 0", name="cycle"),
    )

    party_code: Mapped[str] = mapped_column(String(40), unique=True)
    enterprise_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("enterprise.enterprise_id"), index=True
    )
    name: Mapped[str] = mapped_column(String(128))
    """The enterprise's name, copied when registered: the directory shows it to every user."""
    kind: Mapped[str] = mapped_column(String(12))
    management_class: Mapped[str | None] = mapped_column(String(16))
    small_generator: Mapped[bool] = mapped_column(Boolean, default=False)
    collection_cycle_days: Mapped[int | None] = mapped_column(Integer)
    transport_licence_no: Mapped[str | None] = mapped_column(String(40))
    vehicles: Mapped[list[str]] = mapped_column(JSON, default=list)
    simulated: Mapped[bool] = mapped_column(Boolean, default=False)


class WasteFacility(IdMixin, RegionScoped, EnterpriseScoped, Base):
    """A storage, utilisation or disposal facility of a party: ``capacity_t`` [t] and the
    waste codes or categories (``HW08``) it may hold (empty: any)."""

    __tablename__ = "waste_facility"
    __resource_kind__ = "waste.party"
    __table_args__ = (
        CheckConstraint(_in("kind", FACILITY_KINDS), name="kind"),
        CheckConstraint("capacity_t > 0", name="capacity"),
    )

    facility_code: Mapped[str] = mapped_column(String(40), unique=True)
    party_id: Mapped[int] = mapped_column(Integer, ForeignKey("waste_party.id"), index=True)
    name: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(12))
    capacity_t: Mapped[float] = mapped_column(Float)
    kinds_allowed: Mapped[list[str]] = mapped_column(JSON, default=list)


class WasteLicence(IdMixin, RegionScoped, EnterpriseScoped, Base):
    """One line of a licence: an operation licence (经营许可证) for ``waste_code`` with its
    ``annual_capacity_t`` [t/a], or a transport licence (any code, no capacity); valid from
    ``valid_from`` to ``valid_to`` inclusive."""

    __tablename__ = "waste_licence"
    __resource_kind__ = "waste.party"
    __table_args__ = (
        UniqueConstraint("licence_no", "waste_code"),
        CheckConstraint(_in("kind", LICENCE_KINDS), name="kind"),
        CheckConstraint("valid_to >= valid_from", name="validity"),
        CheckConstraint(
            "annual_capacity_t IS NULL OR annual_capacity_t > 0", name="annual_capacity"
        ),
    )

    licence_no: Mapped[str] = mapped_column(String(40), index=True)
    party_id: Mapped[int] = mapped_column(Integer, ForeignKey("waste_party.id"), index=True)
    kind: Mapped[str] = mapped_column(String(12))
    waste_code: Mapped[str] = mapped_column(String(12), default="")
    """Empty: any code (transport licences)."""
    annual_capacity_t: Mapped[float | None] = mapped_column(Float)
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date] = mapped_column(Date)


class WastePlan(IdMixin, RegionScoped, EnterpriseScoped, Base):
    """A line of a generator's annual management plan (管理计划): ``planned_t`` [t] of
    ``waste_code`` in ``year``, to the intended receiver (None: own utilisation/disposal)."""

    __tablename__ = "waste_plan"
    __resource_kind__ = "waste.records"
    __table_args__ = (
        UniqueConstraint("party_id", "year", "waste_code"),
        CheckConstraint("planned_t >= 0", name="planned"),
    )

    party_id: Mapped[int] = mapped_column(Integer, ForeignKey("waste_party.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    waste_code: Mapped[str] = mapped_column(String(12))
    planned_t: Mapped[float] = mapped_column(Float)
    receiver_id: Mapped[int | None] = mapped_column(Integer, ForeignKey("waste_party.id"))


class LedgerEntry(IdMixin, RegionScoped, EnterpriseScoped, Base):
    """A ledger line (台账): ``quantity_t`` [t] of ``waste_code`` at ``stage`` on ``day``, as
    entered (``entered_amount`` in ``entered_unit``); ``entry_code`` is its id in the bundle and
    imports; ``manifest_no`` names the manifest of a hand-over."""

    __tablename__ = "waste_ledger_entry"
    __resource_kind__ = "waste.records"
    __table_args__ = (
        CheckConstraint(_in("stage", STAGES), name="stage"),
        CheckConstraint(_in("entered_unit", UNITS), name="unit"),
        CheckConstraint("quantity_t > 0", name="quantity"),
    )

    entry_code: Mapped[str] = mapped_column(String(40), unique=True)
    party_id: Mapped[int] = mapped_column(Integer, ForeignKey("waste_party.id"), index=True)
    facility_id: Mapped[int | None] = mapped_column(Integer, ForeignKey("waste_facility.id"))
    day: Mapped[date] = mapped_column(Date, index=True)
    waste_code: Mapped[str] = mapped_column(String(12), index=True)
    stage: Mapped[str] = mapped_column(String(12))
    quantity_t: Mapped[float] = mapped_column(Float)
    entered_amount: Mapped[float] = mapped_column(Float)
    entered_unit: Mapped[str] = mapped_column(String(2))
    batch: Mapped[str | None] = mapped_column(String(40))
    manifest_no: Mapped[str | None] = mapped_column(String(14), index=True)


class TransferApproval(IdMixin, RegionScoped, EnterpriseScoped, Base):
    """A cross-province transfer approval (跨省转移审批, TR Arts. 22–27): the generator may move
    up to ``approved_t`` [t] of ``waste_code`` to ``receiver_id`` in the destination province,
    from ``valid_from`` to ``valid_to``."""

    __tablename__ = "waste_transfer_approval"
    __resource_kind__ = "waste.approval"
    __table_args__ = (
        CheckConstraint("valid_to >= valid_from", name="validity"),
        CheckConstraint("approved_t > 0", name="approved"),
    )

    approval_no: Mapped[str] = mapped_column(String(40), unique=True)
    generator_id: Mapped[int] = mapped_column(Integer, ForeignKey("waste_party.id"), index=True)
    receiver_id: Mapped[int] = mapped_column(Integer, ForeignKey("waste_party.id"))
    destination_region_code: Mapped[str] = mapped_column(String(6))
    waste_code: Mapped[str] = mapped_column(String(12))
    approved_t: Mapped[float] = mapped_column(Float)
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date] = mapped_column(Date)


class _ManifestParties(RegionScoped):
    """The columns the PARTY and CONCERNED scopes of manifests read (copied from the manifest's
    parties): ``region_code`` is the origin (the generator's), ``destination_region_code`` the
    receiver's, ``carrier_region_code`` the carrier's."""

    generator_enterprise_id: Mapped[int] = mapped_column(Integer, index=True)
    carrier_enterprise_id: Mapped[int] = mapped_column(Integer, index=True)
    receiver_enterprise_id: Mapped[int] = mapped_column(Integer, index=True)
    destination_region_code: Mapped[str] = mapped_column(String(6), index=True)
    carrier_region_code: Mapped[str] = mapped_column(String(6), index=True)


class Manifest(IdMixin, _ManifestParties, Base):
    """An electronic transfer manifest (电子转移联单), its current version.

    ``status`` moves by the table of :mod:`ecogov.waste.manifests`; ``version`` counts content
    versions (corrections add one, the earlier ones are kept in :class:`ManifestVersion`);
    ``row_version`` is the optimistic lock (a concurrent move loses with a conflict);
    ``idempotency_key`` and ``content_hash`` make a resubmission a no-op. ``region_code`` is the
    origin, ``destination_region_code`` the receiver's, ``carrier_region_code`` the carrier's
    (officers of each read it); ``confirm_due`` the last day the
    receiver may confirm (TR Art. 18, working days); ``late_alerted`` that its alert fired.
    """

    __tablename__ = "waste_manifest"
    __resource_kind__ = "waste.manifest"
    __table_args__ = (
        CheckConstraint(_in("status", MANIFEST_STATES), name="status"),
        CheckConstraint(
            f"discrepancy IS NULL OR {_in('discrepancy', DISCREPANCY_KINDS)}", name="discrepancy"
        ),
        CheckConstraint("shipped_t > 0", name="shipped"),
    )

    manifest_no: Mapped[str] = mapped_column(String(14), unique=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    row_version: Mapped[int] = mapped_column(Integer, default=1)
    status: Mapped[str] = mapped_column(String(24), index=True)
    generator_id: Mapped[int] = mapped_column(Integer, ForeignKey("waste_party.id"), index=True)
    carrier_id: Mapped[int] = mapped_column(Integer, ForeignKey("waste_party.id"), index=True)
    receiver_id: Mapped[int] = mapped_column(Integer, ForeignKey("waste_party.id"), index=True)
    waste_code: Mapped[str] = mapped_column(String(12))
    shipped_t: Mapped[float] = mapped_column(Float)
    received_t: Mapped[float | None] = mapped_column(Float)
    packaging: Mapped[str | None] = mapped_column(String(32))
    vehicle: Mapped[str | None] = mapped_column(String(16))
    discrepancy: Mapped[str | None] = mapped_column(String(12))
    discrepancy_note: Mapped[str | None] = mapped_column(Text)
    approval_id: Mapped[int | None] = mapped_column(
        Integer, ForeignKey("waste_transfer_approval.id")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    signed_out_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    picked_up_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    confirm_due: Mapped[date | None] = mapped_column(Date)
    late_alerted: Mapped[bool] = mapped_column(Boolean, default=False)
    idempotency_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    content_hash: Mapped[str] = mapped_column(String(64), index=True)
    created_by: Mapped[str] = mapped_column(String(64))

    __mapper_args__: dict[str, Any] = {"version_id_col": row_version}  # noqa: RUF012


class ManifestVersion(IdMixin, _ManifestParties, Base):
    """A content version of a manifest as it stood (kept when a correction replaces it)."""

    __tablename__ = "waste_manifest_version"
    __resource_kind__ = "waste.manifest"
    __table_args__ = (UniqueConstraint("manifest_id", "version"),)

    manifest_id: Mapped[int] = mapped_column(Integer, ForeignKey("waste_manifest.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    content: Mapped[dict[str, Any]] = mapped_column(JSON)
    reason: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by: Mapped[str] = mapped_column(String(64))


class ManifestEvent(IdMixin, _ManifestParties, Base):
    """One step of a manifest's chain-of-custody timeline: a move, who made it, when, with its
    note and data (weighed amount, discrepancy …)."""

    __tablename__ = "waste_manifest_event"
    __resource_kind__ = "waste.manifest"

    manifest_id: Mapped[int] = mapped_column(Integer, ForeignKey("waste_manifest.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    move: Mapped[str] = mapped_column(String(32))
    from_state: Mapped[str | None] = mapped_column(String(24))
    to_state: Mapped[str] = mapped_column(String(24))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    actor: Mapped[str] = mapped_column(String(64))
    note: Mapped[str | None] = mapped_column(Text)
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class ManifestSerial(Base):
    """The last serial allocated per origin city and year (TR Art. 15): rows locked while a
    number is allocated, so numbers are unique and gap-free per city-year."""

    __tablename__ = "waste_manifest_serial"
    __scope_exempt__ = True
    __audited__ = False
    __table_args__ = (PrimaryKeyConstraint("year", "city_code", name="pk_waste_manifest_serial"),)

    year: Mapped[int] = mapped_column(Integer)
    city_code: Mapped[str] = mapped_column(String(4))
    last_serial: Mapped[int] = mapped_column(Integer)


class MoneyDocument(IdMixin, RegionScoped, Base):
    """A contract, invoice or payment between two parties, for one manifest or for a period
    (``manifest_no`` None), with ``amount_yuan`` and the goods it covers (``quantity_t`` of
    ``waste_code``); region = the payer's."""

    __tablename__ = "waste_money_document"
    __resource_kind__ = "waste.money"
    __table_args__ = (
        CheckConstraint(_in("kind", MONEY_KINDS), name="kind"),
        CheckConstraint("amount_yuan >= 0", name="amount"),
        CheckConstraint("quantity_t IS NULL OR quantity_t >= 0", name="quantity"),
    )

    doc_code: Mapped[str] = mapped_column(String(40), unique=True)
    kind: Mapped[str] = mapped_column(String(10))
    payer_id: Mapped[int] = mapped_column(Integer, ForeignKey("waste_party.id"), index=True)
    payee_id: Mapped[int] = mapped_column(Integer, ForeignKey("waste_party.id"), index=True)
    payer_enterprise_id: Mapped[int] = mapped_column(Integer, index=True)
    payee_enterprise_id: Mapped[int] = mapped_column(Integer, index=True)
    manifest_no: Mapped[str | None] = mapped_column(String(14), index=True)
    day: Mapped[date] = mapped_column(Date)
    amount_yuan: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    quantity_t: Mapped[float | None] = mapped_column(Float)
    waste_code: Mapped[str | None] = mapped_column(String(12))


class TrackPoint(Base):
    """A GPS fix of the vehicle carrying a manifest (bulk: read through the manifest)."""

    __tablename__ = "waste_track_point"
    __audited__ = False
    __scope_exempt__ = True
    __table_args__ = (PrimaryKeyConstraint("manifest_id", "ts", name="pk_waste_track_point"),)

    manifest_id: Mapped[int] = mapped_column(Integer, ForeignKey("waste_manifest.id"))
    ts: Mapped[int] = mapped_column(BigInteger)
    """Unix seconds."""
    lon: Mapped[float] = mapped_column(Float)
    lat: Mapped[float] = mapped_column(Float)
