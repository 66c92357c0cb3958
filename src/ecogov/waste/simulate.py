"""A seeded simulated waste bundle (模拟固废全链条数据): generators, carriers and receivers with
licences, plans, ledgers, manifests, payments and GPS tracks, consistent so that the checks find
nothing — and, on request, ``planted`` anomalies of every rule with the findings they must give.

Used by the tests, the benchmark and the demo. Every batch a generator makes is generated and
stored in on one day and handed over 3–20 days later on a manifest (when that is at least three
days before the as-of date); the receiver weighs it within 2 %, accepts it on arrival and
confirms within a day; the generator is invoiced and pays 10–60 days after acceptance at
0.8–1.5 × the market price. Each planted anomaly uses its own generator, manifest or party, so
that it gives exactly one finding.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Final

import polars as pl

from ecogov.engine.waste.checks import EARTH_RADIUS_KM, haversine_km
from ecogov.engine.waste.rules import MARKET_PRICES, RULES
from ecogov.engine.waste.tables import SCHEMAS, WasteFrames
from ecogov.standards.waste.transfer import format_manifest_number
from ecogov.standards.workdays import add_working_days

__all__ = ["CODES", "Simulation", "simulate", "write_bundle"]

CODES: Final = ("900-249-08", "900-041-49", "336-064-17", "900-252-12", "772-002-18", "261-151-50")
"""Waste codes the simulation uses (categories with a market price)."""
CITIES: Final = (
    ("330100", 120.15, 30.28),
    ("330200", 121.55, 29.87),
    ("330300", 120.70, 28.00),
    ("330400", 120.75, 30.75),
    ("330500", 120.09, 30.89),
    ("330600", 120.58, 30.03),
    ("330700", 119.65, 29.08),
    ("330800", 118.87, 28.94),
    ("330900", 122.20, 30.00),
    ("331000", 121.42, 28.66),
    ("331100", 119.92, 28.45),
)
"""Zhejiang's prefecture-level cities and their approximate centres (lon, lat)."""
OPEN_FROM: Final = date(2020, 1, 1)
OPEN_TO: Final = date(2030, 12, 31)
BIG_CAPACITY: Final = 1_000_000.0
FACILITY_CAPACITY: Final = 1000.0


class _Table:
    """A table built column by column (rows are indices)."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.columns: dict[str, list[object]] = {column: [] for column in SCHEMAS[name]}
        self.dropped: set[int] = set()

    def add(self, **row: object) -> int:
        for column, values in self.columns.items():
            values.append(row.get(column))
        return len(next(iter(self.columns.values()))) - 1

    def get(self, index: int, column: str) -> object:
        return self.columns[column][index]

    def set(self, index: int, column: str, value: object) -> None:
        self.columns[column][index] = value

    def frame(self) -> pl.DataFrame:
        kept = [i for i in range(len(next(iter(self.columns.values())))) if i not in self.dropped]
        data = {c: [v[i] for i in kept] if self.dropped else v for c, v in self.columns.items()}
        return pl.DataFrame(data, schema=dict(SCHEMAS[self.name]))


@dataclass
class Simulation:
    """The bundle's frames, its as-of date and the findings the planted anomalies must give
    (``rule, subject, code, period``)."""

    frames: WasteFrames
    as_of: date
    expected: list[dict[str, str | None]] = field(default_factory=list)


@dataclass
class _Manifest:
    row: int
    generator: str
    receiver: str
    code: str
    accepted: date
    payment: int | None
    track: list[int]


class _Builder:
    """The simulation's state while it is built."""

    def __init__(self, seed: int, year: int) -> None:
        self.rng = random.Random(seed)
        self.year = year
        self.as_of = date(year, 12, 31)
        self.tables = {name: _Table(name) for name in SCHEMAS}
        self.place: dict[str, tuple[float, float]] = {}
        self.city: dict[str, str] = {}
        self.serial: dict[str, int] = {}
        self.manifests: list[_Manifest] = []
        self.expected: list[dict[str, str | None]] = []
        self.entries = 0
        self.docs = 0
        self.licences = 0

    def party(
        self,
        party_id: str,
        kind: str,
        *,
        small: bool = False,
        at: tuple[str, float, float] | None = None,
    ) -> None:
        city, lon, lat = at or self.rng.choice(CITIES)
        if at is None:
            lon, lat = (
                round(lon + self.rng.uniform(-0.2, 0.2), 5),
                round(lat + self.rng.uniform(-0.2, 0.2), 5),
            )
        self.place[party_id], self.city[party_id] = (lon, lat), city
        self.tables["parties"].add(
            party_id=party_id,
            kind=kind,
            name=f"模拟{party_id}",
            uscc=None,
            region_code=city,
            lon=lon,
            lat=lat,
            management_class="key" if kind == "generator" else None,
            small_generator=1 if small else 0,
            collection_cycle_days=90 if small else None,
        )
        if kind in ("generator", "receiver"):
            self.tables["facilities"].add(
                facility_id=f"F{party_id}",
                party_id=party_id,
                kind="storage",
                capacity_t=FACILITY_CAPACITY,
            )

    def licence(
        self,
        party_id: str,
        kind: str,
        codes: Sequence[str | None],
        capacity: float | None,
        valid_from: date = OPEN_FROM,
        valid_to: date = OPEN_TO,
    ) -> None:
        """One licence: a row per code it permits, all under one number (a receiver's 经营许可证
        lists every code it may take), each code with ``capacity``."""
        self.licences += 1
        for code in codes:
            self.tables["licences"].add(
                licence_no=f"L{self.licences:06d}",
                party_id=party_id,
                kind=kind,
                waste_code=code,
                annual_capacity_t=capacity,
                valid_from=valid_from,
                valid_to=valid_to,
            )

    def entry(
        self,
        party_id: str,
        day: date,
        code: str,
        stage: str,
        quantity: float,
        manifest_no: str | None = None,
    ) -> int:
        self.entries += 1
        return self.tables["ledger"].add(
            entry_id=f"E{self.entries:08d}",
            party_id=party_id,
            facility_id=f"F{party_id}",
            date=day,
            waste_code=code,
            stage=stage,
            quantity_t=quantity,
            manifest_no=manifest_no,
        )

    def doc(
        self,
        kind: str,
        payer: str,
        payee: str,
        manifest_no: str | None,
        day: date,
        amount: float,
        quantity: float | None,
        code: str,
    ) -> int:
        self.docs += 1
        return self.tables["payments"].add(
            doc_id=f"D{self.docs:08d}",
            kind=kind,
            payer_id=payer,
            payee_id=payee,
            manifest_no=manifest_no,
            date=day,
            amount_yuan=amount,
            quantity_t=quantity,
            waste_code=code,
        )

    def number(self, generator: str) -> str:
        city = self.city[generator]
        self.serial[city] = self.serial.get(city, 0) + 1
        return format_manifest_number(self.year, city, self.serial[city])

    def ship(
        self,
        generator: str,
        receiver: str,
        carrier: str,
        code: str,
        day: date,
        quantity: float,
        *,
        invoices: bool,
        track_share: float,
    ) -> str:
        rng = self.rng
        number = self.number(generator)
        (lon0, lat0), (lon1, lat1) = self.place[generator], self.place[receiver]
        picked = datetime.combine(day, time(9))
        hours = haversine_km(lon0, lat0, lon1, lat1) / 40 + rng.uniform(0.5, 4)
        delivered = picked + timedelta(hours=round(hours * 60) / 60)
        accepted = delivered + timedelta(hours=1)
        confirmed = accepted + timedelta(hours=rng.randint(1, 20))
        received = round(quantity * rng.uniform(0.98, 1.02), 3)
        row = self.tables["manifests"].add(
            manifest_no=number,
            version=1,
            generator_id=generator,
            carrier_id=carrier,
            receiver_id=receiver,
            waste_code=code,
            shipped_t=quantity,
            received_t=received,
            status="received",
            created_at=datetime.combine(day, time(8)),
            picked_up_at=picked,
            delivered_at=delivered,
            accepted_at=accepted,
            confirmed_at=confirmed,
            cross_province_approval=None,
            discrepancy_note=None,
        )
        price = MARKET_PRICES["HW" + code[-2:]] * rng.uniform(0.8, 1.5)
        amount = round(quantity * price, 2)
        if invoices and (invoiced := accepted.date() + timedelta(rng.randint(1, 10))) <= self.as_of:
            self.doc("invoice", generator, receiver, number, invoiced, amount, quantity, code)
        paid = accepted.date() + timedelta(days=rng.randint(10, 60))
        payment = None
        if paid <= self.as_of:
            payment = self.doc("payment", generator, receiver, number, paid, amount, quantity, code)
        track = []
        if rng.random() < track_share:
            for step in range(5):
                share = step / 4
                track.append(
                    self.tables["tracks"].add(
                        manifest_no=number,
                        ts=picked + (delivered - picked) * share,
                        lon=round(lon0 + (lon1 - lon0) * share + rng.uniform(-0.01, 0.01), 5),
                        lat=round(lat0 + (lat1 - lat0) * share + rng.uniform(-0.01, 0.01), 5),
                    )
                )
        self.manifests.append(
            _Manifest(row, generator, receiver, code, accepted.date(), payment, track)
        )
        return number

    def expect(self, rule: str, subject: str, code: str | None, period: str) -> None:
        assert rule in RULES
        self.expected.append({"rule": rule, "subject": subject, "code": code, "period": period})


def _generate(
    b: _Builder,
    generators: int,
    carriers: int,
    receivers: int,
    *,
    interval_days: int,
    max_codes: int,
    generation_entries: int,
    invoices: bool,
    track_share: float,
) -> list[tuple[str, list[str]]]:
    rng = b.rng
    receiver_ids = [f"R{i:04d}" for i in range(1, receivers + 1)]
    carrier_ids = [f"C{i:04d}" for i in range(1, carriers + 1)]
    for receiver in receiver_ids:
        b.party(receiver, "receiver")
        b.licence(receiver, "operation", CODES, BIG_CAPACITY)
    for carrier in carrier_ids:
        b.party(carrier, "carrier")
        b.licence(carrier, "transport", [None], None)
    first = date(b.year, 1, 1)
    made: list[tuple[str, list[str]]] = []
    for index in range(1, generators + 1):
        generator = f"G{index:06d}"
        b.party(generator, "generator", small=rng.random() < 0.2)
        codes = rng.sample(CODES, rng.randint(1, max_codes))
        made.append((generator, codes))
        for code in codes:
            receiver = rng.choice(receiver_ids)
            generated = 0.0
            day = first + timedelta(days=rng.randint(0, interval_days - 1))
            while day <= b.as_of:
                quantity = round(rng.uniform(0.2, 5.0), 3)
                generated += quantity
                part = round(quantity / generation_entries, 3)
                for step in range(generation_entries):
                    last = step == generation_entries - 1
                    amount = round(quantity - part * step, 3) if last else part
                    b.entry(generator, day, code, "generated", amount)
                b.entry(generator, day, code, "stored_in", quantity)
                pickup = day + timedelta(days=rng.randint(3, 20))
                if pickup + timedelta(days=3) <= b.as_of:
                    number = b.ship(
                        generator,
                        receiver,
                        rng.choice(carrier_ids),
                        code,
                        pickup,
                        quantity,
                        invoices=invoices,
                        track_share=track_share,
                    )
                    b.entry(generator, pickup, code, "handed_over", quantity, number)
                day += timedelta(days=interval_days)
            b.tables["plans"].add(
                party_id=generator,
                year=b.year,
                waste_code=code,
                planned_t=round(generated * rng.uniform(1.0, 1.08) + 0.001, 3),
                receiver_id=receiver,
            )
    return made


@dataclass
class _Pools:
    """What planted anomalies draw from: non-small generators and old, paid, tracked manifests;
    each is used once."""

    generators: Iterator[tuple[str, list[str]]]
    manifests: Iterator[_Manifest]
    made: list[tuple[str, list[str]]]


def _rows(table: _Table, **match: object) -> Iterator[int]:
    """Rows of ``table`` whose columns equal ``match``, in order."""
    size = len(next(iter(table.columns.values())))
    return (r for r in range(size) if all(table.get(r, c) == v for c, v in match.items()))


def _float(table: _Table, row: int, column: str) -> float:
    value = table.get(row, column)
    assert isinstance(value, float)
    return value


def _plant_storage(b: _Builder, pools: _Pools, i: int) -> None:
    """An old batch of a code the generator does not otherwise have; a tiny facility; a plan
    far below the generation; a hand-over 1 t above its manifest; a code generated but kept."""
    g, codes = next(pools.generators)
    code = next(c for c in CODES if c not in codes)
    day = b.as_of - timedelta(days=400 + i)
    b.entry(g, day, code, "stored_in", 1.0)
    b.expect("storage_age", g, code, day.isoformat())

    g, codes = next(pools.generators)
    for row in _rows(b.tables["facilities"], party_id=g):
        b.tables["facilities"].set(row, "capacity_t", 0.001)
    b.expect("storage_capacity", g, None, str(b.year))

    g, codes = next(pools.generators)
    plans = b.tables["plans"]
    plans.set(next(_rows(plans, party_id=g, waste_code=codes[0])), "planned_t", 0.1)
    b.expect("plan_exceeded", g, codes[0], str(b.year))

    g, codes = next(pools.generators)
    ledger = b.tables["ledger"]
    row = next(_rows(ledger, party_id=g, stage="handed_over"))
    ledger.set(row, "quantity_t", round(_float(ledger, row, "quantity_t") + 1.0, 3))
    b.expect("handover_mismatch", g, str(ledger.get(row, "waste_code")), str(b.year))

    g, codes = next(pools.generators)
    code = next(c for c in CODES if c not in codes)
    day = b.as_of - timedelta(days=100 + i)
    b.entry(g, day, code, "generated", 1.0)
    b.entry(g, day, code, "stored_in", 1.0)
    plans.add(party_id=g, year=b.year, waste_code=code, planned_t=2.0, receiver_id=None)
    b.expect("never_shipped", g, code, day.isoformat())

    g = f"GS{i:05d}"
    b.party(g, "generator", small=True)
    day = b.as_of - timedelta(days=150 + i)
    b.entry(g, day, CODES[0], "stored_in", 1.0)
    b.expect("small_collection", g, None, day.isoformat())


def _plant_manifests(b: _Builder, pools: _Pools, i: int) -> None:
    """A late confirmation; a received amount 20 % short."""
    manifests = b.tables["manifests"]
    m = next(pools.manifests)
    deadline = add_working_days(m.accepted, 5)
    manifests.set(m.row, "confirmed_at", datetime.combine(deadline + timedelta(days=1), time(10)))
    b.expect("receipt_overdue", m.receiver, m.code, m.accepted.isoformat())

    m = next(pools.manifests)
    manifests.set(m.row, "received_t", round(_float(manifests, m.row, "shipped_t") * 0.8, 3))
    b.expect("weight_discrepancy", m.generator, m.code, _pickup(manifests, m.row).isoformat())


def _plant_licences(b: _Builder, pools: _Pools, i: int) -> None:
    """Manifests moved to new receivers at the same place — one without licences, one whose
    licence ended the day before, one licensed for half the amount — and to a carrier without
    a licence."""
    manifests = b.tables["manifests"]
    for rule, suffix in (
        ("receiver_unlicensed", "U"),
        ("receiver_licence_expired", "X"),
        ("receiver_capacity", "K"),
    ):
        m = next(pools.manifests)
        receiver = f"R{suffix}{i:04d}"
        lon, lat = b.place[m.receiver]
        b.party(receiver, "receiver", at=(b.city[m.receiver], lon, lat))
        transfer = _pickup(manifests, m.row)
        if rule == "receiver_licence_expired":
            ended = transfer - timedelta(days=1)
            b.licence(receiver, "operation", [m.code], BIG_CAPACITY, OPEN_FROM, ended)
        if rule == "receiver_capacity":
            half = round(_float(manifests, m.row, "received_t") * 0.5, 3)
            year = (date(b.year, 1, 1), date(b.year, 12, 31))
            b.licence(receiver, "operation", [m.code], half, *year)
        manifests.set(m.row, "receiver_id", receiver)
        period = str(b.year) if rule == "receiver_capacity" else transfer.isoformat()
        b.expect(rule, receiver, m.code, period)

    m = next(pools.manifests)
    carrier = f"CU{i:04d}"
    b.party(carrier, "carrier")
    manifests.set(m.row, "carrier_id", carrier)
    b.expect("carrier_unlicensed", carrier, m.code, _pickup(manifests, m.row).isoformat())


def _plant_transport(b: _Builder, pools: _Pools, i: int) -> None:
    """A delivery 6 h past the allowed time; a track point 30 km off the route."""
    manifests, tracks = b.tables["manifests"], b.tables["tracks"]
    m = next(pools.manifests)
    (lon0, lat0), (lon1, lat1) = b.place[m.generator], b.place[m.receiver]
    picked = manifests.get(m.row, "picked_up_at")
    assert isinstance(picked, datetime)
    delivered = picked + timedelta(
        hours=math.ceil(haversine_km(lon0, lat0, lon1, lat1) / 40 + 12) + 6
    )
    manifests.set(m.row, "delivered_at", delivered)
    manifests.set(m.row, "accepted_at", delivered + timedelta(hours=1))
    manifests.set(m.row, "confirmed_at", delivered + timedelta(hours=2))
    carrier = str(manifests.get(m.row, "carrier_id"))
    b.expect("transport_overtime", carrier, m.code, picked.date().isoformat())

    m = next(pools.manifests)
    lon, lat = _aside(b.place[m.generator], b.place[m.receiver], km=30.0)
    tracks.set(m.track[2], "lon", lon)
    tracks.set(m.track[2], "lat", lat)
    carrier = str(manifests.get(m.row, "carrier_id"))
    b.expect("route_deviation", carrier, m.code, _pickup(manifests, m.row).isoformat())


def _plant_money(b: _Builder, pools: _Pools, i: int) -> None:
    """A payment naming a manifest that does not exist; a received manifest whose payment is
    gone; a payment at a tenth of the market price."""
    manifests, payments = b.tables["manifests"], b.tables["payments"]
    generator, codes = b.rng.choice(pools.made)
    receiver = str(manifests.get(next(pools.manifests).row, "receiver_id"))
    day = b.as_of - timedelta(days=10 + i)
    missing = format_manifest_number(b.year, "330100", 999_999 - i)
    b.doc("payment", generator, receiver, missing, day, 1000.0, None, codes[0])
    b.expect("payment_without_goods", receiver, codes[0], day.isoformat())

    m = next(pools.manifests)
    assert m.payment is not None
    payments.dropped.add(m.payment)
    b.expect("goods_without_payment", m.generator, m.code, m.accepted.isoformat())

    m = next(pools.manifests)
    assert m.payment is not None
    price = MARKET_PRICES["HW" + m.code[-2:]]
    amount = round(_float(payments, m.payment, "quantity_t") * price * 0.1, 2)
    payments.set(m.payment, "amount_yuan", amount)
    paid = payments.get(m.payment, "date")
    assert isinstance(paid, date)
    b.expect("price_below_market", m.generator, m.code, paid.isoformat())


PLANTERS: Final = (
    _plant_storage,
    _plant_manifests,
    _plant_licences,
    _plant_transport,
    _plant_money,
)
"""Each plants one anomaly of each of its rules (together: every rule)."""


def _plant(b: _Builder, made: list[tuple[str, list[str]]], count: int) -> None:
    """``count`` anomalies of every rule, each on its own generator, manifest or new party."""
    flags = b.tables["parties"].columns
    small = {p for p, flag in zip(flags["party_id"], flags["small_generator"], strict=True) if flag}
    generators = [(g, codes) for g, codes in made if g not in small]
    b.rng.shuffle(generators)
    cutoff = b.as_of - timedelta(days=120)
    old = [m for m in b.manifests if m.accepted <= cutoff and m.payment is not None and m.track]
    b.rng.shuffle(old)
    pools = _Pools(iter(generators), iter(old), made)
    for i in range(count):
        for planter in PLANTERS:
            planter(b, pools, i)


def _pickup(manifests: _Table, row: int) -> date:
    picked = manifests.get(row, "picked_up_at")
    assert isinstance(picked, datetime)
    return picked.date()


def _aside(start: tuple[float, float], end: tuple[float, float], km: float) -> tuple[float, float]:
    """The point ``km`` to the side of the middle of the segment between two (lon, lat)."""
    (x0, y0), (x1, y1) = start, end
    scale = math.pi / 180 * EARTH_RADIUS_KM
    squeeze = math.cos(math.radians((y0 + y1) / 2))
    dx, dy = (x1 - x0) * scale * squeeze, (y1 - y0) * scale
    length = math.hypot(dx, dy)
    mx, my = dx / 2 - dy / length * km, dy / 2 + dx / length * km
    return round(x0 + mx / (scale * squeeze), 5), round(y0 + my / scale, 5)


def simulate(
    seed: int = 1,
    *,
    generators: int = 20,
    carriers: int = 3,
    receivers: int = 4,
    planted: int = 0,
    year: int = 2025,
    interval_days: int = 30,
    max_codes: int = 2,
    generation_entries: int = 1,
    invoices: bool = True,
    track_share: float = 1.0,
) -> Simulation:
    """A consistent bundle for ``year`` (as of 31 December) and ``planted`` anomalies of every
    rule with the findings they give. ``generators`` must leave enough non-small generators
    and old manifests for the anomalies (about 8 generators and 14 manifests per anomaly)."""
    builder = _Builder(seed, year)
    made = _generate(
        builder,
        generators,
        carriers,
        receivers,
        interval_days=interval_days,
        max_codes=max_codes,
        generation_entries=generation_entries,
        invoices=invoices,
        track_share=track_share,
    )
    if planted:
        _plant(builder, made, planted)
    frames = WasteFrames.of(**{name: table.frame() for name, table in builder.tables.items()})
    return Simulation(frames, builder.as_of, builder.expected)


def write_bundle(simulation: Simulation, folder: Path) -> None:
    """Write the simulation as a bundle folder: one CSV per table (UTF-8, dates ``YYYY-MM-DD``,
    times ``YYYY-MM-DD HH:MM:SS``) and a ``rules.toml`` fixing the as-of date."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in SCHEMAS:
        frame: pl.DataFrame = getattr(simulation.frames, name)
        text = frame.with_columns(
            pl.col(pl.Datetime).dt.strftime("%Y-%m-%d %H:%M:%S"),
            pl.col(pl.Float64).round(6),
        )
        text.write_csv(folder / f"{name}.csv")
    day = simulation.as_of.isoformat()
    (folder / "rules.toml").write_text(
        f"# the as-of date of the checks (docs/waste-bundle.md)\nas_of = {day}\n", encoding="utf-8"
    )
