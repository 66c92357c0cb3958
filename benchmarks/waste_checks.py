"""Benchmark of the waste full-chain checks on a simulated province-year (issue 15).

50,000 generators (one waste code each, a batch about every 32 days, generation booked in two
entries), 300 carriers, 200 receivers: about 2.2 M ledger entries, 0.55 M manifests, 0.5 M
payments and 0.55 M GPS points, with 5 planted anomalies of every rule
(:func:`ecogov.waste.simulate.simulate`). Every rule runs (:func:`run_checks`); its findings must
be exactly the planted ones.

The baseline is the same rules written row by row in plain Python (:func:`loop_checks`: dicts,
loops, the scalar standards functions), timed on a sample — 1 % of the generators plus those
involved in a finding, with their ledger, manifests, payments and tracks — and extrapolated by the
ratio of rows; on that sample its findings (rule, subject, code, period) must equal the engine's.

The data is generated in a subprocess and handed over as Parquet, so the peak resident set size
printed (``ru_maxrss``) is that of reading the frames and checking them. Each side's best of
:data:`RUNS` runs is reported (the machine is shared).

Prints the figures and ends with ``RESULT name=waste_checks`` (value: seconds, ratio: loop /
engine) and ``RESULT name=waste_checks_memory`` (value: peak MB).
"""

from __future__ import annotations

import json
import math
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Mapping
from datetime import date
from itertools import pairwise
from pathlib import Path
from typing import Any, Final

import polars as pl

from ecogov.engine.waste import SCHEMAS, RuleSet, WasteFrames, configure, run_checks
from ecogov.engine.waste.checks import EARTH_RADIUS_KM, haversine_km
from ecogov.engine.waste.tables import OUT_STAGES
from ecogov.standards.workdays import add_working_days
from ecogov.waste.simulate import simulate

GENERATORS: Final = 50_000
SIMULATION: Final[Mapping[str, Any]] = {
    "generators": GENERATORS, "carriers": 300, "receivers": 200, "planted": 5,
    "interval_days": 32, "max_codes": 1, "generation_entries": 2, "invoices": False,
    "track_share": 0.2,
}  # fmt: skip
SEED: Final = 20251231
SAMPLE_EVERY: Final = 100  # the loop's share of the generators: 1 %
RUNS: Final = 3
TARGET_SECONDS: Final = 10.0
KB_PER_MB: Final = 1024
Key = tuple[str, str, str | None, str]
Rows = list[dict[str, Any]]


def generate(folder: Path) -> None:
    """Simulate the province-year; write its tables as Parquet and the expected findings."""
    result = simulate(SEED, **SIMULATION)
    for name in SCHEMAS:
        getattr(result.frames, name).write_parquet(folder / f"{name}.parquet")
    (folder / "expected.json").write_text(
        json.dumps({"as_of": result.as_of.isoformat(), "expected": result.expected})
    )


def load(folder: Path) -> tuple[WasteFrames, date, list[Key]]:
    """The frames, as-of date and expected findings written by :func:`generate`."""
    frames = WasteFrames.of(**{n: pl.read_parquet(folder / f"{n}.parquet") for n in SCHEMAS})
    meta = json.loads((folder / "expected.json").read_text())
    expected = [(e["rule"], e["subject"], e["code"], e["period"]) for e in meta["expected"]]
    return frames, date.fromisoformat(meta["as_of"]), expected


def keys(findings: pl.DataFrame) -> list[Key]:
    """The findings as sorted ``(rule, subject, code, period)``."""
    return sorted(findings.select("rule", "subject", "code", "period").iter_rows())


def sample(frames: WasteFrames, findings: pl.DataFrame) -> WasteFrames:
    """Every :data:`SAMPLE_EVERY`-th generator and every generator a finding involves (as its
    subject, or through the manifest or payment it names), with their rows."""
    named = findings.select(
        no=pl.col("evidence").str.json_path_match("$.manifest_no").cast(pl.Categorical)
    )
    via = frames.manifests.join(named, left_on="manifest_no", right_on="no", how="semi")
    paying = frames.payments.join(named, left_on="manifest_no", right_on="no", how="semi")
    parties = frames.parties.filter(pl.col("kind") == "generator")["party_id"].cast(pl.String)
    chosen = (
        pl.concat(
            [
                parties.gather_every(SAMPLE_EVERY),
                findings["subject"].filter(findings["subject"].is_in(parties.implode())),
                via["generator_id"].cast(pl.String),
                paying["payer_id"].cast(pl.String),
            ]
        )
        .unique()
        .cast(pl.Categorical)
    )
    mine = frames.manifests.filter(pl.col("generator_id").is_in(chosen.implode()))
    numbers = mine["manifest_no"].implode()
    return WasteFrames.of(
        parties=frames.parties,
        facilities=frames.facilities,
        licences=frames.licences,
        plans=frames.plans.filter(pl.col("party_id").is_in(chosen.implode())),
        ledger=frames.ledger.filter(pl.col("party_id").is_in(chosen.implode())),
        manifests=mine,
        payments=frames.payments.filter(pl.col("payer_id").is_in(chosen.implode())),
        tracks=frames.tracks.filter(pl.col("manifest_no").is_in(numbers)),
    )


def size(frames: WasteFrames) -> int:
    """Rows of the big tables (ledger, manifests, payments, tracks)."""
    return sum(getattr(frames, t).height for t in ("ledger", "manifests", "payments", "tracks"))


# --- the baseline: the same rules, row by row ---------------------------------------------------


def _g(tonnes: float | None) -> int:
    return round((tonnes or 0.0) * 1_000_000)


def _off_km(
    point: tuple[float, float], start: tuple[float, float], end: tuple[float, float]
) -> float:
    scale = math.pi / 180 * EARTH_RADIUS_KM
    squeeze = math.cos(math.radians((start[1] + end[1]) / 2))
    x, y = (point[0] - start[0]) * scale * squeeze, (point[1] - start[1]) * scale
    dx, dy = (end[0] - start[0]) * scale * squeeze, (end[1] - start[1]) * scale
    length2 = dx * dx + dy * dy
    t = min(1.0, max(0.0, (x * dx + y * dy) / length2)) if length2 > 0 else 0.0
    return math.hypot(x - t * dx, y - t * dy)


def _storage(
    rows: Mapping[str, Rows], as_of: date, p: Mapping[str, Mapping[str, float]]
) -> list[Key]:
    found: list[Key] = []
    ledger = [e for e in rows["ledger"] if e["date"] <= as_of]
    batches: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    taken: dict[tuple[str, str], int] = defaultdict(int)
    for e in ledger:
        if e["stage"] == "stored_in":
            batches[(e["party_id"], e["waste_code"])].append(e)
        elif e["stage"] in OUT_STAGES:
            taken[(e["party_id"], e["waste_code"])] += _g(e["quantity_t"])
    for key, entries in batches.items():
        high = 0
        for e in sorted(entries, key=lambda e: (e["date"], e["entry_id"])):
            low, high = high, high + _g(e["quantity_t"])
            left = high - max(low, taken[key])
            if left > 0 and (as_of - e["date"]).days > p["storage_age"]["limit_days"]:
                found.append(("storage_age", key[0], key[1], e["date"].isoformat()))
    capacity = {
        f["facility_id"]: (f["party_id"], _g(f["capacity_t"]))
        for f in rows["facilities"]
        if f["kind"] == "storage" and f["capacity_t"] is not None
    }
    daily: dict[str, dict[date, int]] = defaultdict(lambda: defaultdict(int))
    for e in ledger:
        if e["facility_id"] in capacity and e["stage"] in ("stored_in", *OUT_STAGES):
            sign = 1 if e["stage"] == "stored_in" else -1
            daily[e["facility_id"]][e["date"]] += sign * _g(e["quantity_t"])
    for facility, days in daily.items():
        stock, years = 0, set()
        for day in sorted(days):
            stock += days[day]
            if stock > capacity[facility][1]:
                years.add(day.year)
        found += [("storage_capacity", capacity[facility][0], None, str(y)) for y in years]
    return found


def _balance(
    rows: Mapping[str, Rows], as_of: date, p: Mapping[str, Mapping[str, float]]
) -> list[Key]:
    found: list[Key] = []
    ledger = [e for e in rows["ledger"] if e["date"] <= as_of]
    active = _active(rows, as_of)
    generated: dict[tuple[str, str, int], int] = defaultdict(int)
    handed: dict[tuple[str, str, int], int] = defaultdict(int)
    first: dict[tuple[str, str], date] = {}
    total: dict[tuple[str, str], int] = defaultdict(int)
    on_site: set[tuple[str, str]] = set()
    for e in ledger:
        key = (e["party_id"], e["waste_code"])
        if e["stage"] == "generated":
            generated[(*key, e["date"].year)] += _g(e["quantity_t"])
            total[key] += _g(e["quantity_t"])
            first[key] = min(first.get(key, e["date"]), e["date"])
        elif e["stage"] == "handed_over":
            handed[(*key, e["date"].year)] += _g(e["quantity_t"])
        elif e["stage"] in ("utilised", "disposed"):
            on_site.add(key)
    planned: dict[tuple[str, str, int], int] = defaultdict(int)
    for plan in rows["plans"]:
        planned[(plan["party_id"], plan["waste_code"], plan["year"])] += _g(plan["planned_t"])
    tolerance = p["plan_exceeded"]["tolerance"]
    for triple, amount in generated.items():
        if amount > planned.get(triple, 0) * (1 + tolerance):
            found.append(("plan_exceeded", triple[0], triple[1], str(triple[2])))
    shipped: dict[tuple[str, str, int], int] = defaultdict(int)
    for m in active:
        shipped[(m["generator_id"], m["waste_code"], m["transfer_date"].year)] += _g(m["shipped_t"])
    q = p["handover_mismatch"]
    for year_key in set(handed) | set(shipped):
        h, s = handed.get(year_key, 0), shipped.get(year_key, 0)
        if abs(h - s) > q["absolute_t"] * 1_000_000 + q["relative"] * max(h, s):
            found.append(("handover_mismatch", year_key[0], year_key[1], str(year_key[2])))
    moved = {(m["generator_id"], m["waste_code"]) for m in active}
    grace = p["never_shipped"]["grace_days"]
    for pair, amount in total.items():
        kept = amount > 0 and pair not in on_site and pair not in moved
        if kept and (as_of - first[pair]).days > grace:
            found.append(("never_shipped", pair[0], pair[1], first[pair].isoformat()))
    starts: dict[str, date] = {}
    for e in ledger:
        starts[e["party_id"]] = min(starts.get(e["party_id"], e["date"]), e["date"])
    picks: dict[str, set[date]] = defaultdict(set)
    for m in active:
        picks[m["generator_id"]].add(m["transfer_date"])
    for party in rows["parties"]:
        if party["small_generator"] != 1:
            continue
        cycle = party["collection_cycle_days"] or p["small_collection"]["default_cycle_days"]
        pid = party["party_id"]
        visits = sorted(picks[pid] | {as_of} | ({starts[pid]} if pid in starts else set()))
        for before, after in pairwise(visits):
            if (after - before).days > cycle:
                found.append(("small_collection", pid, None, before.isoformat()))
    return found


def _active(rows: Mapping[str, Rows], as_of: date) -> Rows:
    active = []
    for m in rows["manifests"]:
        if m["status"] in ("draft", "cancelled"):
            continue
        day = (m["picked_up_at"] or m["created_at"]).date()
        if day <= as_of:
            active.append({**m, "transfer_date": day})
    return active


def _manifests(
    rows: Mapping[str, Rows], as_of: date, p: Mapping[str, Mapping[str, float]]
) -> list[Key]:
    found: list[Key] = []
    active = _active(rows, as_of)
    place = {party["party_id"]: (party["lon"], party["lat"]) for party in rows["parties"]}
    licences: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for lic in rows["licences"]:
        licences[(lic["party_id"], lic["kind"])].append(lic)
    track: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for point in rows["tracks"]:
        track[point["manifest_no"]].append(point)
    for m in active:
        day, code = m["transfer_date"], m["waste_code"]
        if m["accepted_at"] is not None:
            accepted = m["accepted_at"].date()
            deadline = add_working_days(accepted, int(p["receipt_overdue"]["working_days"]))
            confirmed = m["confirmed_at"].date() if m["confirmed_at"] else None
            late = confirmed > deadline if confirmed is not None else as_of > deadline
            if late:
                found.append(("receipt_overdue", m["receiver_id"], code, accepted.isoformat()))
        if m["received_t"] is not None:
            q = p["weight_discrepancy"]
            shipped = _g(m["shipped_t"])
            if (
                abs(_g(m["received_t"]) - shipped)
                > q["absolute_t"] * 1_000_000 + q["relative"] * shipped
            ):
                found.append(("weight_discrepancy", m["generator_id"], code, day.isoformat()))
        for kind, party, picked_only in (
            ("operation", "receiver_id", False),
            ("transport", "carrier_id", True),
        ):
            covering = [
                lic for lic in licences[(m[party], kind)]
                if lic["waste_code"] is None or lic["waste_code"] == code
            ]  # fmt: skip
            valid = any(
                lic["valid_from"] <= day and (lic["valid_to"] is None or day <= lic["valid_to"])
                for lic in covering
            )
            if picked_only:
                if m["picked_up_at"] is not None and not valid:
                    found.append(("carrier_unlicensed", m[party], code, day.isoformat()))
            elif not covering:
                found.append(("receiver_unlicensed", m[party], code, day.isoformat()))
            elif not valid:
                found.append(("receiver_licence_expired", m[party], code, day.isoformat()))
        start, end = place.get(m["generator_id"]), place.get(m["receiver_id"])
        if start is None or end is None or None in (*start, *end):
            continue
        if m["picked_up_at"] is not None and m["delivered_at"] is not None:
            hours = (m["delivered_at"] - m["picked_up_at"]).total_seconds() / 3600
            q = p["transport_overtime"]
            if hours > haversine_km(*start, *end) / q["speed_kmh"] + q["allowance_h"]:
                found.append(("transport_overtime", m["carrier_id"], code, day.isoformat()))
        limit = p["route_deviation"]["max_km"]
        if any(
            _off_km((pt["lon"], pt["lat"]), start, end) > limit for pt in track[m["manifest_no"]]
        ):
            found.append(("route_deviation", m["carrier_id"], code, day.isoformat()))
    found += _capacity(rows, active, as_of)
    return found


def _capacity(rows: Mapping[str, Rows], active: Rows, as_of: date) -> list[Key]:
    capacity: dict[tuple[str, str | None, int], int] = defaultdict(int)
    for lic in rows["licences"]:
        if lic["kind"] != "operation" or lic["annual_capacity_t"] is None:
            continue
        last = lic["valid_to"].year if lic["valid_to"] else as_of.year
        for year in range(lic["valid_from"].year, last + 1):
            capacity[(lic["party_id"], lic["waste_code"], year)] += _g(lic["annual_capacity_t"])
    received: dict[tuple[str, str | None, int], int] = defaultdict(int)
    for m in active:
        if m["received_t"] is not None:
            year = m["transfer_date"].year
            received[(m["receiver_id"], m["waste_code"], year)] += _g(m["received_t"])
            received[(m["receiver_id"], None, year)] += _g(m["received_t"])
    return [
        ("receiver_capacity", key[0], key[1], str(key[2]))
        for key, amount in received.items()
        if key in capacity and amount > capacity[key]
    ]


def _money(
    rows: Mapping[str, Rows],
    as_of: date,
    p: Mapping[str, Mapping[str, float]],
    prices: Mapping[str, float],
) -> list[Key]:
    found: list[Key] = []
    received = {m["manifest_no"]: m["received_t"] for m in rows["manifests"]}
    named: set[str] = set()
    period: dict[tuple[str, str], date] = {}
    for d in rows["payments"]:
        if d["date"] > as_of:
            continue
        named_goods = d["manifest_no"] is not None and d["kind"] in ("invoice", "payment")
        if named_goods and (received.get(d["manifest_no"]) or 0) <= 0:
            found.append(
                ("payment_without_goods", d["payee_id"], d["waste_code"], d["date"].isoformat())
            )
        if d["kind"] == "payment":
            if d["manifest_no"] is not None:
                named.add(d["manifest_no"])
            else:
                pair = (d["payer_id"], d["payee_id"])
                period[pair] = max(period.get(pair, d["date"]), d["date"])
        if (
            d["quantity_t"]
            and d["quantity_t"] > 0
            and d["amount_yuan"] is not None
            and d["waste_code"]
        ):
            market = prices.get("HW" + d["waste_code"][-2:])
            if (
                market is not None
                and d["amount_yuan"] / d["quantity_t"] < p["price_below_market"]["share"] * market
            ):
                found.append(
                    ("price_below_market", d["payer_id"], d["waste_code"], d["date"].isoformat())
                )
    for m in _active(rows, as_of):
        if not (m["received_t"] or 0) > 0 or m["accepted_at"] is None:
            continue
        accepted = m["accepted_at"].date()
        if (as_of - accepted).days <= p["goods_without_payment"]["days"] or m[
            "manifest_no"
        ] in named:
            continue
        last = period.get((m["generator_id"], m["receiver_id"]))
        if last is None or last.year < accepted.year:
            found.append(
                ("goods_without_payment", m["generator_id"], m["waste_code"], accepted.isoformat())
            )
    return found


def loop_checks(rows: Mapping[str, Rows], as_of: date, rules: RuleSet) -> list[Key]:
    """Every rule, row by row: the findings as sorted ``(rule, subject, code, period)``."""
    p = rules.params
    found = _storage(rows, as_of, p) + _balance(rows, as_of, p) + _manifests(rows, as_of, p)
    found += _money(rows, as_of, p, rules.market_prices)
    return sorted(found)


# --- running ---------------------------------------------------------------------------------


def cpu_seconds() -> float:
    """User + system CPU time of this process so far [s] (all threads)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def peak_mb() -> float:
    """Peak resident set size of this process [MB] (Linux reports ``ru_maxrss`` in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / KB_PER_MB


def main() -> None:
    """Generate (in a subprocess), run both, check, print."""
    if len(sys.argv) == 3 and sys.argv[1] == "--generate":
        generate(Path(sys.argv[2]))
        return
    rules = configure()
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        subprocess.run([sys.executable, __file__, "--generate", folder], check=True)
        generated = time.perf_counter() - started
        frames, as_of, expected = load(Path(folder))
    print(
        f"data: {frames.parties.height:,} parties, {frames.ledger.height:,} ledger entries, "
        f"{frames.manifests.height:,} manifests, {frames.payments.height:,} payments, "
        f"{frames.tracks.height:,} track points (simulated in {generated:.0f} s); "
        f"{len(expected)} planted anomalies"
    )
    engine_runs, engine_cpu = [], []
    for _ in range(RUNS):
        start, cpu = time.perf_counter(), cpu_seconds()
        findings, _ = run_checks(frames, rules, as_of)
        engine_runs.append(time.perf_counter() - start)
        engine_cpu.append(cpu_seconds() - cpu)
    assert keys(findings) == sorted(expected), "the engine's findings are not the planted ones"
    engine = min(engine_runs)
    memory = peak_mb()
    print(
        f"engine: {engine:.2f} s (best of {RUNS}: {', '.join(f'{s:.2f}' for s in engine_runs)}; "
        f"CPU {min(engine_cpu):.2f} s); "
        f"{findings.height} findings, exactly the planted ones; peak RSS {memory:,.0f} MB "
        "(frames included)"
    )
    part = sample(frames, findings)
    share = size(frames) / size(part)
    sample_findings, _ = run_checks(part, rules, as_of)
    rows = {name: getattr(part, name).rows(named=True) for name in SCHEMAS}
    loop_runs, loop_cpu = [], []
    for _ in range(RUNS):
        start, cpu = time.perf_counter(), cpu_seconds()
        looped = loop_checks(rows, as_of, rules)
        loop_runs.append(time.perf_counter() - start)
        loop_cpu.append(cpu_seconds() - cpu)
    engine_keys = keys(sample_findings)
    assert looped == engine_keys, (
        f"the loop differs from the engine on the sample: {Counter(looped) - Counter(engine_keys)}"
        f" / {Counter(engine_keys) - Counter(looped)}"
    )
    loop = min(loop_runs) * share
    print(
        f"python loop (row by row): {min(loop_runs):.2f} s (best of {RUNS}) on a sample of "
        f"{part.ledger.height:,} ledger entries and {part.manifests.height:,} manifests "
        f"(1/{share:.0f} of the rows), extrapolated to {loop:.0f} s; its {len(looped)} findings "
        "on the sample equal the engine's"
    )
    ratio = loop / engine
    cpu_ratio = min(loop_cpu) * share / min(engine_cpu)
    print(
        f"speed-up: {ratio:.0f}x wall (target >= 20x), {cpu_ratio:.0f}x CPU; target <= "
        f"{TARGET_SECONDS:.0f} s; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
    )
    print(
        f"RESULT name=waste_checks value={engine:.3f} unit=s baseline=python_loop ratio={ratio:.1f}"
    )
    print(f"RESULT name=waste_checks_memory value={memory:.0f} unit=MB baseline=none ratio=1.0")


if __name__ == "__main__":
    main()
