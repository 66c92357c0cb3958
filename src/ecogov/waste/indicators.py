"""Indicators of the waste chain, computed from the ledgers and manifests (plan targets bind to
them through ``Domain.indicators``), and the per-code balances behind them.

``waste.hazardous_utilisation_disposal_rate`` [%] = (utilised + disposed) / (generated + stock at
the start of the year), over the generators of a region: utilised and disposed count the
generators' own utilisation and disposal and what they handed over on manifests to licensed
receivers (委托利用处置), so a receiver's own ledger is not counted twice; the stock at the start is
what the ledgers hold at the end of the previous years (generated − utilised − disposed − handed
over, never below zero per generator and code). [D] — the statistical definition of the
industrial hazardous-waste utilisation and disposal rate (利用处置量 / (产生量 + 往年贮存量)) as
the issue states it; GOVERNANCE.md §1 gives no formula of its own.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from typing import Final

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ecogov.platform import clock
from ecogov.platform.db import Database
from ecogov.platform.indicators import Aggregation, Indicator, IndicatorValue
from ecogov.platform.permissions import authorize
from ecogov.platform.scope import SYSTEM, Principal, region_prefix
from ecogov.standards.timebase import BEIJING
from ecogov.waste.access import MANIFESTS, PARTIES, RECORDS
from ecogov.waste.models import LedgerEntry, Manifest, WasteLicence, WasteParty

OUT_STAGES: Final = ("utilised", "disposed", "handed_over")
"""Stages that take waste out of a generator's hands."""
RECEIVED_STATES: Final = (
    "received",
    "received_discrepancy",
    "closed",
    "under_correction",
    "corrected",
)


@dataclass(frozen=True)
class Balance:
    """A region's generators' balance of one code in a year [t]."""

    waste_code: str
    stock_start: float
    generated: float
    utilised: float
    disposed: float
    handed_over: float

    @property
    def stock_end(self) -> float:
        """What is left at the end of the year."""
        out = self.utilised + self.disposed + self.handed_over
        return max(self.stock_start + self.generated - out, 0.0)


def _sums(session: Session, prefix: str, year: int) -> dict[tuple[int, str], dict[str, float]]:
    """(party, code) → {stage: tonnes in the year, ``before``: net stock at its start}."""
    start = date(year, 1, 1)
    end = date(year, 12, 31)
    before = (LedgerEntry.day < start).label("is_before")
    query = (
        select(
            LedgerEntry.party_id,
            LedgerEntry.waste_code,
            LedgerEntry.stage,
            before,
            func.sum(LedgerEntry.quantity_t),
        )
        .join(WasteParty, WasteParty.id == LedgerEntry.party_id)
        .where(
            WasteParty.kind == "generator",
            LedgerEntry.region_code.startswith(prefix),
            LedgerEntry.day <= end,
            LedgerEntry.stage.in_(("generated", *OUT_STAGES)),
        )
        .group_by(LedgerEntry.party_id, LedgerEntry.waste_code, LedgerEntry.stage, before)
    )
    sums: dict[tuple[int, str], dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for party, code, stage, earlier, total in session.execute(query):
        cell = sums[(party, code)]
        if earlier:
            cell["before"] += float(total) * (1 if stage == "generated" else -1)
        else:
            cell[stage] += float(total)
    return sums


def balances(db: Database, principal: Principal, region_code: str, year: int) -> list[Balance]:
    """Per code, what the generators of ``region_code`` had at the start of ``year``,
    generated, utilised, disposed and handed over in it, within the principal's scope."""
    authorize(principal, "read", RECORDS, region_code)
    with db.transaction(principal) as session:
        sums = _sums(session, region_prefix(region_code), year)
    by_code: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for (_, code), cell in sums.items():
        total = by_code[code]
        total["stock_start"] += max(cell["before"], 0.0)
        for stage in ("generated", *OUT_STAGES):
            total[stage] += cell[stage]
    return [
        Balance(code, t["stock_start"], t["generated"], t["utilised"], t["disposed"],
                t["handed_over"])
        for code, t in sorted(by_code.items())
    ]  # fmt: skip


def _coverage(year: int, value: float) -> IndicatorValue:
    today = clock.today()
    if year != today.year:
        return IndicatorValue(value, year)
    days = (date(year, 12, 31) - date(year, 1, 1)).days + 1
    elapsed = ((today - date(year, 1, 1)).days + 1) / days
    return IndicatorValue(value, year, partial=True, elapsed_fraction=elapsed)


def utilisation_disposal_rate(db: Database, region_code: str, year: int) -> IndicatorValue | None:
    """``waste.hazardous_utilisation_disposal_rate`` [%] of the module docstring."""
    rows = balances(db, SYSTEM, region_code, year)
    base = sum(r.generated + r.stock_start for r in rows)
    if base <= 0:
        return None
    done = sum(r.utilised + r.disposed + r.handed_over for r in rows)
    return _coverage(year, round(100.0 * done / base, 2))


def generated_t(db: Database, region_code: str, year: int) -> IndicatorValue | None:
    """Hazardous waste generated by the region's generators in the year [t]."""
    rows = balances(db, SYSTEM, region_code, year)
    if not rows:
        return None
    return _coverage(year, round(sum(r.generated for r in rows), 3))


def stock_t(db: Database, region_code: str, year: int) -> IndicatorValue | None:
    """Hazardous waste held by the region's generators at the end of the year (so far) [t]."""
    rows = balances(db, SYSTEM, region_code, year)
    if not rows:
        return None
    return _coverage(year, round(sum(r.stock_end for r in rows), 3))


def _beijing_day(moment: datetime | None) -> date | None:
    return None if moment is None else moment.astimezone(BEIJING).date()


@dataclass(frozen=True)
class CapacityUse:
    """A receiver's use of its licensed annual capacity for one code [t, %]."""

    receiver_id: int
    waste_code: str
    capacity_t: float
    received_t: float

    @property
    def use_pct(self) -> float:
        """Received over capacity [%]."""
        return round(100.0 * self.received_t / self.capacity_t, 2)


def capacity_use(
    db: Database, principal: Principal, region_code: str, year: int
) -> list[CapacityUse]:
    """Per receiver of ``region_code`` and licensed code: the annual capacity of its licence
    lines valid in ``year`` and what it received on manifests accepted in the year."""
    authorize(principal, "read", PARTIES)
    authorize(principal, "read", MANIFESTS)
    prefix = region_prefix(region_code)
    start, end = date(year, 1, 1), date(year, 12, 31)
    with db.transaction(principal) as session:
        capacity: dict[tuple[int, str], float] = defaultdict(float)
        for line in session.scalars(
            select(WasteLicence).where(
                WasteLicence.kind == "operation",
                WasteLicence.region_code.startswith(prefix),
                WasteLicence.valid_from <= end,
                WasteLicence.valid_to >= start,
            )
        ):
            capacity[(line.party_id, line.waste_code)] += line.annual_capacity_t or 0.0
        received: dict[tuple[int, str], float] = defaultdict(float)
        for manifest in session.scalars(
            select(Manifest).where(
                Manifest.destination_region_code.startswith(prefix),
                Manifest.status.in_(RECEIVED_STATES),
            )
        ):
            day = _beijing_day(manifest.accepted_at)
            if day is not None and start <= day <= end:
                received[(manifest.receiver_id, manifest.waste_code)] += manifest.received_t or 0.0
    return [
        CapacityUse(receiver, code, cap, received.get((receiver, code), 0.0))
        for (receiver, code), cap in sorted(capacity.items())
        if cap > 0
    ]


def capacity_use_pct(db: Database, region_code: str, year: int) -> IndicatorValue | None:
    """Receivers' use of their licensed capacity in the region [%]."""
    rows = capacity_use(db, SYSTEM, region_code, year)
    total = sum(r.capacity_t for r in rows)
    if total <= 0:
        return None
    return _coverage(year, round(100.0 * sum(r.received_t for r in rows) / total, 2))


def on_time_receipt_rate(db: Database, region_code: str, year: int) -> IndicatorValue | None:
    """Share of the region's manifests delivered in the year whose receipt was confirmed within
    the time limit (TR Art. 18) [%]; manifests still within their limit are not counted."""
    prefix = region_prefix(region_code)
    today = clock.today()
    on_time = counted = 0
    with db.transaction(SYSTEM) as session:
        for manifest in session.scalars(
            select(Manifest).where(
                Manifest.region_code.startswith(prefix), Manifest.confirm_due.is_not(None)
            )
        ):
            delivered = _beijing_day(manifest.delivered_at)
            if delivered is None or delivered.year != year or manifest.confirm_due is None:
                continue
            confirmed = _beijing_day(manifest.confirmed_at)
            if confirmed is None and today <= manifest.confirm_due:
                continue
            counted += 1
            on_time += confirmed is not None and confirmed <= manifest.confirm_due
    if counted == 0:
        return None
    return _coverage(year, round(100.0 * on_time / counted, 2))


INDICATORS: Final = (
    Indicator(
        "waste.hazardous_utilisation_disposal_rate",
        "工业危险废物利用处置率",
        "Hazardous waste utilisation and disposal rate",
        "%",
        higher_is_better=True,
        compute=utilisation_disposal_rate,
    ),
    Indicator(
        "waste.hazardous_generated_t",
        "危险废物产生量",
        "Hazardous waste generated",
        "t",
        higher_is_better=False,
        aggregation=Aggregation.COUNT,
        compute=generated_t,
    ),
    Indicator(
        "waste.hazardous_stock_t",
        "危险废物贮存量",
        "Hazardous waste in storage",
        "t",
        higher_is_better=False,
        compute=stock_t,
    ),
    Indicator(
        "waste.receiver_capacity_use",
        "利用处置单位经营规模利用率",
        "Receivers' capacity use",
        "%",
        higher_is_better=True,
        compute=capacity_use_pct,
    ),
    Indicator(
        "waste.on_time_receipt_rate",
        "联单按时确认接收率",
        "Manifests confirmed on time",
        "%",
        higher_is_better=True,
        compute=on_time_receipt_rate,
    ),
)
"""The waste domain's indicators, for ``Domain.indicators``."""
