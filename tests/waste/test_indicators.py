"""The indicators against hand-computed cases."""

from __future__ import annotations

from datetime import date

import pytest

from ecogov.platform import clock
from ecogov.platform.db import Database
from ecogov.platform.indicators import registry
from ecogov.platform.scope import SYSTEM
from ecogov.waste import records
from ecogov.waste.indicators import balances, capacity_use
from ecogov.waste.records import NewLedgerEntry
from tests.waste.support import CODE, OTHER_CODE, Chain, build_chain
from tests.waste.test_manifests import do, manifest_in


@pytest.fixture
def chain(db: Database) -> Chain:
    return build_chain(db)


def ledger(db: Database, chain: Chain, rows: list[tuple[str, str, str, float]]) -> None:
    entries = [
        NewLedgerEntry(
            f"L{i}", chain.generator.id, date.fromisoformat(day), code, stage, amount,
            manifest_no="20263301000001" if stage == "handed_over" else None,
        )
        for i, (day, code, stage, amount) in enumerate(rows)
    ]  # fmt: skip
    records.add_ledger_entries(db, SYSTEM, entries)


def test_utilisation_disposal_rate_by_hand(db: Database, chain: Chain) -> None:
    ledger(
        db,
        chain,
        [
            # 2025: 10 t generated, 6 t handed over → 4 t in stock at the start of 2026
            ("2025-05-01", CODE, "generated", 10.0),
            ("2025-06-01", CODE, "handed_over", 6.0),
            # 2026: 20 t generated; 3 t utilised, 2 t disposed on site, 15 t handed over
            ("2026-02-01", CODE, "generated", 20.0),
            ("2026-02-02", CODE, "stored_in", 20.0),  # storage moves are not in the balance
            ("2026-03-01", CODE, "utilised", 3.0),
            ("2026-03-02", CODE, "disposed", 2.0),
            ("2026-04-01", CODE, "handed_over", 15.0),
            # another code: 5 t generated, nothing out
            ("2026-05-01", OTHER_CODE, "generated", 5.0),
            # 2027 entries do not count for 2026
            ("2027-01-05", CODE, "generated", 100.0),
        ],
    )
    rows = {b.waste_code: b for b in balances(db, SYSTEM, "330100", 2026)}
    assert rows[CODE].stock_start == 4.0
    assert rows[CODE].stock_end == 4.0
    assert rows[OTHER_CODE].stock_end == 5.0
    rate = registry()["waste.hazardous_utilisation_disposal_rate"]
    assert rate.compute is not None
    with clock.frozen(date(2027, 6, 1)):
        value = rate.compute(db, "330100", 2026)
        # (3 + 2 + 15) / (20 + 5 + 4) = 20 / 29
        assert value is not None
        assert value.value == pytest.approx(68.97)
        assert not value.partial
        assert rate.compute(db, "330200", 2026) is None  # Ningbo has no generators
        generated = registry()["waste.hazardous_generated_t"].compute
        assert generated is not None
        assert generated(db, "330000", 2026).value == 25.0  # type: ignore[union-attr]


def test_capacity_use_and_on_time_receipts(db: Database, chain: Chain) -> None:
    manifest_in(db, chain, "closed", amount=100.0)  # confirmed the day it was delivered
    late = manifest_in(db, chain, "received", amount=50.0)  # delivered 2 March, never confirmed
    [use] = [u for u in capacity_use(db, SYSTEM, "330200", 2026) if u.waste_code == CODE]
    assert (use.capacity_t, use.received_t, use.use_pct) == (1000.0, 150.0, 15.0)
    on_time = registry()["waste.on_time_receipt_rate"].compute
    assert on_time is not None
    with clock.frozen(
        date(2026, 3, 9)
    ):  # the last day of the limit: the late one still counts as open
        assert on_time(db, "330000", 2026).value == 100.0  # type: ignore[union-attr]
    with clock.frozen(date(2026, 3, 10)):
        assert on_time(db, "330000", 2026).value == 50.0  # type: ignore[union-attr]
        do(db, chain, late, "close")  # confirmed late
        assert on_time(db, "330000", 2026).value == 50.0  # type: ignore[union-attr]
    capacity = registry()["waste.receiver_capacity_use"].compute
    assert capacity is not None
    # Ningbo receiver: 150 t of 2 000 t licensed (1 000 t for each of two codes)
    assert capacity(db, "330200", 2026).value == 7.5  # type: ignore[union-attr]
