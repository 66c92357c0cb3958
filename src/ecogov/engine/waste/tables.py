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

SCHEMAS: Final[Mapping[str, Mapping[str, pl.DataType]]] = {
    "parties": {
        "party_id": pl.String(), "kind": pl.String(), "name": pl.String(), "uscc": pl.String(),
        "region_code": pl.String(), "lon": pl.Float64(), "lat": pl.Float64(),
        "management_class": pl.String(), "small_generator": pl.Int8(),
        "collection_cycle_days": pl.Int32(),
    },
    "facilities": {
        "facility_id": pl.String(), "party_id": pl.String(), "kind": pl.String(),
        "capacity_t": pl.Float64(),
    },
    "licences": {
        "licence_no": pl.String(), "party_id": pl.String(), "kind": pl.String(),
        "waste_code": pl.String(), "annual_capacity_t": pl.Float64(), "valid_from": pl.Date(),
        "valid_to": pl.Date(),
    },
    "plans": {
        "party_id": pl.String(), "year": pl.Int32(), "waste_code": pl.String(),
        "planned_t": pl.Float64(), "receiver_id": pl.String(),
    },
    "ledger": {
        "entry_id": pl.String(), "party_id": pl.String(), "facility_id": pl.String(),
        "date": pl.Date(), "waste_code": pl.String(), "stage": pl.String(),
        "quantity_t": pl.Float64(), "manifest_no": pl.String(),
    },
    "manifests": {
        "manifest_no": pl.String(), "version": pl.Int32(), "generator_id": pl.String(),
        "carrier_id": pl.String(), "receiver_id": pl.String(), "waste_code": pl.String(),
        "shipped_t": pl.Float64(), "received_t": pl.Float64(), "status": pl.String(),
        "created_at": STAMP, "picked_up_at": STAMP, "delivered_at": STAMP, "accepted_at": STAMP,
        "confirmed_at": STAMP, "cross_province_approval": pl.String(),
        "discrepancy_note": pl.String(),
    },
    "payments": {
        "doc_id": pl.String(), "kind": pl.String(), "payer_id": pl.String(),
        "payee_id": pl.String(), "manifest_no": pl.String(), "date": pl.Date(),
        "amount_yuan": pl.Float64(), "quantity_t": pl.Float64(), "waste_code": pl.String(),
    },
    "tracks": {
        "manifest_no": pl.String(), "ts": STAMP, "lon": pl.Float64(), "lat": pl.Float64(),
    },
}  # fmt: skip
"""Every table of a bundle and its columns, in the documented order."""

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
