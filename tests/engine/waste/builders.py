"""Hand-made waste frames for the rule tests: rows give only the columns a case needs."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

import polars as pl

from ecogov.engine.waste import RULES, SCHEMAS, WasteFrames, configure, run_checks

AS_OF = date(2025, 12, 31)


def table(name: str, rows: Sequence[Mapping[str, Any]]) -> pl.DataFrame:
    """A frame of ``name``'s schema; columns a row does not give are empty."""
    schema = dict(SCHEMAS[name])
    data = {column: [row.get(column) for row in rows] for column in schema}
    return pl.DataFrame(data, schema=schema)


def bundle(**tables: Sequence[Mapping[str, Any]]) -> WasteFrames:
    """Frames of the given rows (a table not given is empty)."""
    return WasteFrames.of(**{name: table(name, rows) for name, rows in tables.items()})


def findings(
    frames: WasteFrames,
    rule: str,
    as_of: date = AS_OF,
    rules: Mapping[str, float] | None = None,
) -> list[dict[str, Any]]:
    """The findings of ``rule`` alone (the others turned off), evidence decoded; ``rules``
    adds parameters of that rule."""
    chosen: dict[str, dict[str, Any]] = {other: {"enabled": other == rule} for other in RULES}
    chosen[rule].update(rules or {})
    found, _ = run_checks(frames, configure({"rules": chosen}), as_of)
    return [{**row, "evidence": json.loads(row["evidence"])} for row in found.iter_rows(named=True)]


def party(party_id: str, kind: str = "generator", **extra: Any) -> dict[str, Any]:
    """A party at a fixed place."""
    return {"party_id": party_id, "kind": kind, "lon": 120.0, "lat": 30.0, **extra}


def manifest(number: str, day: date, **extra: Any) -> dict[str, Any]:
    """A received manifest G1 → R1 by C1 of 900-249-08, 1 t, picked up at 09:00 on ``day``."""
    picked = datetime.combine(day, datetime.min.time()).replace(hour=9)
    return {
        "manifest_no": number, "version": 1, "generator_id": "G1", "carrier_id": "C1",
        "receiver_id": "R1", "waste_code": "900-249-08", "shipped_t": 1.0, "received_t": 1.0,
        "status": "received", "created_at": picked, "picked_up_at": picked, **extra,
    }  # fmt: skip
