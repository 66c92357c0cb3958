"""The tables the waste checks read (docs/waste-bundle.md): names, columns and Polars types.

Dates are ``pl.Date``; timestamps ``pl.Datetime`` without a zone, in Beijing time (the bundle's
time base); quantities in tonnes, money in yuan. The bundle reader and the simulator build frames
of exactly these schemas; the checks assume them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Final

import polars as pl

__all__ = [
    "ACTIVE",
    "OUT_STAGES",
    "SCHEMAS",
    "WasteFrames",
    "empty",
    "latest_date",
]

STAMP: Final = pl.Datetime("us")
ID: Final = pl.Categorical()
"""Identifiers and codes the checks join and group on (hashed once, when the frame is built)."""
PARTY_KINDS: Final = pl.Enum(["generator", "carrier", "receiver", "collector"])
MANAGEMENT_CLASSES: Final = pl.Enum(["key", "simplified", "registration"])
"""HJ 1259 management classes: 重点监管 / 简化管理 / 登记管理."""
FACILITY_KINDS: Final = pl.Enum(["storage", "utilisation", "disposal"])
LICENCE_KINDS: Final = pl.Enum(["operation", "transport"])
STAGES: Final = pl.Enum(
    ["generated", "stored_in", "stored_out", "utilised", "disposed", "handed_over"]
)
STATUSES: Final = pl.Enum(
    ["draft", "signed_out", "in_transit", "delivered", "received", "rejected", "cancelled"]
)
DOCUMENT_KINDS: Final = pl.Enum(["contract", "invoice", "payment"])

SCHEMAS: Final[Mapping[str, Mapping[str, pl.DataType]]] = {
    "parties": {
        "party_id": ID, "kind": PARTY_KINDS, "name": pl.String(), "uscc": pl.String(),
        "region_code": pl.String(), "lon": pl.Float64(), "lat": pl.Float64(),
        "management_class": MANAGEMENT_CLASSES, "small_generator": pl.Int8(),
        "collection_cycle_days": pl.Int32(),
    },
    "facilities": {
        "facility_id": ID, "party_id": ID, "kind": FACILITY_KINDS,
        "capacity_t": pl.Float64(),
    },
    "licences": {
        "licence_no": pl.String(), "party_id": ID, "kind": LICENCE_KINDS,
        "waste_code": ID, "annual_capacity_t": pl.Float64(), "valid_from": pl.Date(),
        "valid_to": pl.Date(),
    },
    "plans": {
        "party_id": ID, "year": pl.Int32(), "waste_code": ID,
        "planned_t": pl.Float64(), "receiver_id": ID,
    },
    "ledger": {
        "entry_id": pl.String(), "party_id": ID, "facility_id": ID,
        "date": pl.Date(), "waste_code": ID, "stage": STAGES,
        "quantity_t": pl.Float64(), "manifest_no": ID,
    },
    "manifests": {
        "manifest_no": ID, "version": pl.Int32(), "generator_id": ID,
        "carrier_id": ID, "receiver_id": ID, "waste_code": ID,
        "shipped_t": pl.Float64(), "received_t": pl.Float64(), "status": STATUSES,
        "created_at": STAMP, "picked_up_at": STAMP, "delivered_at": STAMP, "accepted_at": STAMP,
        "confirmed_at": STAMP, "cross_province_approval": pl.String(),
        "discrepancy_note": pl.String(),
    },
    "payments": {
        "doc_id": pl.String(), "kind": DOCUMENT_KINDS, "payer_id": ID,
        "payee_id": ID, "manifest_no": ID, "date": pl.Date(),
        "amount_yuan": pl.Float64(), "quantity_t": pl.Float64(), "waste_code": ID,
    },
    "tracks": {
        "manifest_no": ID, "ts": STAMP, "lon": pl.Float64(), "lat": pl.Float64(),
    },
}  # fmt: skip
"""Every table of a bundle and its columns, in the documented order; a column of a few words is
an ``Enum`` of them."""

OUT_STAGES: Final = ("stored_out", "handed_over", "utilised", "disposed")
"""Ledger stages that take waste out of storage (first in, first out)."""
ACTIVE: Final = pl.col("status").is_in(["draft", "cancelled"]).not_()
"""Manifests that moved or are moving waste: neither drafts nor cancelled."""


def empty(table: str) -> pl.DataFrame:
    """An empty frame of ``table``'s schema."""
    return pl.DataFrame(schema=dict(SCHEMAS[table]))


@dataclass(frozen=True)
class WasteFrames:
    """One frame per bundle table, each of its :data:`SCHEMAS` schema."""

    parties: pl.DataFrame
    facilities: pl.DataFrame
    licences: pl.DataFrame
    plans: pl.DataFrame
    ledger: pl.DataFrame
    manifests: pl.DataFrame
    payments: pl.DataFrame
    tracks: pl.DataFrame

    @classmethod
    def of(cls, **frames: pl.DataFrame) -> WasteFrames:
        """Frames by table name; a table not given is empty; columns are cast to the schema."""
        unknown = set(frames) - set(SCHEMAS)
        if unknown:
            raise ValueError(f"unknown waste tables: {sorted(unknown)}")
        typed = {
            name: frames[name].select(
                pl.col(column).cast(dtype) for column, dtype in schema.items()
            )
            if name in frames
            else empty(name)
            for name, schema in SCHEMAS.items()
        }
        return cls(**typed)


def latest_date(frames: WasteFrames) -> date | None:
    """The latest date anywhere in the bundle (ledger and payment dates, manifest times, track
    times): the default as-of date of the checks; None for a bundle without dates."""
    stamps = ("created_at", "picked_up_at", "delivered_at", "accepted_at", "confirmed_at")
    candidates = [
        frames.ledger["date"].max(),
        frames.payments["date"].max(),
        frames.tracks["ts"].dt.date().max(),
        *(frames.manifests[column].dt.date().max() for column in stamps),
    ]
    found = [value for value in candidates if isinstance(value, date)]
    return max(found) if found else None
