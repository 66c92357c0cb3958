"""Benchmark: the capacity model of ``docs/capacity.md`` checked at 1/100 of the national load.

The nation: 300,000 devices sending minute data (one 2051 upload a minute each, 5,000 packets/s).
At 1/100 that is 3,000 loggers: the registered devices of the demo province. They connect
through HAProxy (TCP mode) to two ``ecogov hj212 serve`` processes sharing one PostgreSQL
database, the deployment of ``docs/capacity.md`` scaled down (the harness of
``tests/hj212/test_balancer.py``); the loggers are the native load generator of
``hj212_ingest.py``, stop-and-wait as HJ 212 §6.2 has them.

Two phases, each compared with what the model predicts from the per-packet costs it is built on
(``MODEL_*``, the ingest benchmark's figures in ``benchmarks/README.md``):

- **steady**: each logger sends one packet a minute (random phase) — 50 packets/s offered. The
  model: every packet acknowledged (throughput = offered load), the receivers busy
  ``rate × MODEL_RECEIVER_US`` of a core, and an ack after one batch delay and one commit.
- **catch-up**: each logger sends one packet a second — 3,000 packets/s, the national minute
  load compressed 60 times, what reconnecting loggers resend after an outage of the centre.

For each phase it measures acknowledged packets/s, ack latency p50/p99, and the CPU time per
acknowledged packet of the receivers, of HAProxy and of the PostgreSQL backends serving this
database (not the server's background writers, nor anything else on a shared server); after
the run, the store's bytes per record and the receivers' memory per open connection. It prints
the model's national and provincial figures recomputed with the costs measured here.

PostgreSQL: ``ECOGOV_BENCH_POSTGRES_URL``, or the local ``test_bench_hj212`` of
``hj212_ingest.py`` (**its public schema is wiped**). Needs ``haproxy`` and ``cc``.

Prints ``RESULT name=capacity_sim_throughput`` (the catch-up phase's packets/s; ratio =
measured / predicted) and ``RESULT name=capacity_sim_receiver_us`` (receiver CPU µs per packet
beyond their idle cost; ratio = model / measured: above 1, the model is on the safe side).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Final

import polars as pl
from sqlalchemy import func, select

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the harness is in tests/

from tests.hj212.cluster import HAPROXY, ReceiverCluster, receiver_cluster

from ecogov.hj212.frames import RECORD_SCHEMA, factor_frame
from ecogov.hj212.models import Record
from ecogov.hj212.record_archive import archive_before
from ecogov.hj212.service import simulation_devices
from ecogov.hj212.simulator import SimulatedDevice
from ecogov.platform.db import Database
from ecogov.platform.periods import parse_period
from ecogov.platform.scope import SYSTEM
from ecogov.sources.service import device_credentials
from ecogov.standards.timebase import BEIJING
from hj212_ingest import (
    build_loadgen,
    cpu_seconds,
    loadgen_run,
    memory_folder,
    postgres_url,
    prepare,
    settle,
)

NATION_DEVICES: Final = 300_000
PROVINCE_DEVICES: Final = 3_000
SCALE: Final = 100
LOGGERS: Final = NATION_DEVICES // SCALE
"""Loggers of the simulation: 1/100 of the nation, or every registered device of the demo
province when it has fewer (2,892: 1/104)."""
MINUTE_S: Final = 60.0
CATCH_UP: Final = 60
"""The catch-up phase sends this many times the steady rate (one packet a second)."""
STEADY_SECONDS: Final = float(os.environ.get("ECOGOV_BENCH_STEADY_SECONDS", "30"))
CATCH_UP_SECONDS: Final = float(os.environ.get("ECOGOV_BENCH_CATCH_UP_SECONDS", "15"))
RECEIVERS: Final = 2
IDLE_SECONDS: Final = 5.0
"""How long the receivers' CPU is measured with no load before the phases."""
ARCHIVE_BEFORE: Final = "2099-01"
"""Every month the phases' DataTimes fall in (2030 and 2040) is archived before this one."""
MODEL_RECEIVER_US: Final = 22.0
"""Receiver CPU per acknowledged packet on PostgreSQL (µs): 21-23 in ``hj212_ingest.py``'s
closed loop, ``benchmarks/README.md``."""
MODEL_SERVER_US: Final = 9.5
"""PostgreSQL server CPU per acknowledged packet (µs): 9-10 in the same runs."""
MODEL_BATCH_DELAY_MS: Final = 2.0
"""The receiver gathers a batch for at most this long (``--batch-delay-ms``)."""
MODEL_COMMIT_MS: Final = 3.0
"""A small batch's commit on PostgreSQL with synchronous commit (one pipeline round trip and
one WAL flush): about 1-3 ms on this machine's disk."""
UTILISATION: Final = 0.5
"""Cores are provisioned for twice the load: a logger's backlog after an outage, and one
receiver host of N taken out (N + 1)."""


@dataclass(frozen=True)
class Phase:
    """One measured phase: offered and acknowledged packets/s, latencies, CPU per packet."""

    name: str
    offered: float
    rate: float
    p50_ms: float
    p99_ms: float
    receiver_us: float
    marginal_us: float
    balancer_us: float
    server_us: float
    reconnects: int


def backend_pids(db: Database) -> list[int]:
    """The PostgreSQL backends connected to ``db``'s database now (the receivers')."""
    with db.engine.connect() as connection:
        rows = connection.exec_driver_sql(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid()"
        )
        return [int(row[0]) for row in rows]


def total_cpu(pids: list[int]) -> float:
    """CPU seconds so far of the processes ``pids`` that still exist (others count 0)."""
    total = 0.0
    for pid in pids:
        try:
            total += cpu_seconds(pid)
        except OSError:  # ended meanwhile
            continue
    return total


def resident_kb(pid: int, field: str = "VmRSS") -> int:
    """A memory figure of ``/proc/<pid>/status`` [kB] (``VmRSS`` now, ``VmHWM`` its peak)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    return 0


def loggers(db: Database) -> list[SimulatedDevice]:
    """The devices the simulated loggers speak for (see :data:`LOGGERS`)."""
    return simulation_devices(db, SYSTEM, min(LOGGERS, len(device_credentials(db, SYSTEM))))


def idle_cpu(cluster: ReceiverCluster) -> float:
    """CPU seconds per second the receivers spend with no logger connected: their maintenance
    (status, reverse commands, registry, split groups), a fixed cost per receiver."""
    receivers = [process.pid for process in cluster.processes]
    before, started = total_cpu(receivers), time.monotonic()
    time.sleep(IDLE_SECONDS)
    return (total_cpu(receivers) - before) / (time.monotonic() - started)


def run_phase(
    name: str,
    cluster: ReceiverCluster,
    db: Database,
    folder: Path,
    interval: float,
    seconds: float,
    idle: float,
) -> Phase:
    """One run of the load generator (in ``folder``) through the balancer, ``seconds`` long, at
    one packet per ``interval`` per logger, with the CPU it cost each party; ``idle`` is what
    the receivers spend without load (:func:`idle_cpu`), taken out of their marginal cost."""
    devices = loggers(db)
    loadgen = folder / "hj212_loadgen"
    receivers = [process.pid for process in cluster.processes]
    settle(db)
    servers = backend_pids(db)
    before = (total_cpu(receivers), cpu_seconds(cluster.balancer.pid), total_cpu(servers))
    started = time.monotonic()
    start = datetime(2030 if name == "steady" else 2040, 1, 1, tzinfo=BEIJING)
    summary = loadgen_run(
        loadgen,
        devices,
        cluster.port,
        folder / name,
        interval,
        seconds=seconds,
        start=start,
        cn="2051",
    )
    after = (total_cpu(receivers), cpu_seconds(cluster.balancer.pid), total_cpu(servers))
    elapsed = time.monotonic() - started
    acked = float(summary["acked"])
    per_packet = [1e6 * (b - a) / max(acked, 1.0) for a, b in zip(before, after, strict=True)]
    return Phase(
        name=name,
        offered=len(devices) / interval,
        rate=acked / float(summary["seconds"]),
        p50_ms=float(summary["p50_ms"]),
        p99_ms=float(summary["p99_ms"]),
        receiver_us=per_packet[0],
        marginal_us=1e6 * (after[0] - before[0] - idle * elapsed) / max(acked, 1.0),
        balancer_us=per_packet[1],
        server_us=per_packet[2],
        reconnects=int(summary["reconnects"]),
    )


def store_bytes_per_record(db: Database) -> tuple[float, float]:
    """Bytes on disk per stored record: the record store (partitions, indexes, TOAST) and the
    raw frame archive beside it."""
    with db.engine.connect() as connection:
        records = int(connection.scalar(select(func.count()).select_from(Record)) or 1)
        store = connection.exec_driver_sql(
            "SELECT coalesce(sum(pg_total_relation_size(relid)), 0) "
            "FROM pg_partition_tree('hj212_record')"
        ).scalar_one()
        raw = connection.exec_driver_sql(
            "SELECT pg_total_relation_size('hj212_archive_segment')"
        ).scalar_one()
    return float(store) / records, float(raw) / records


def engine_us_per_record(db: Database) -> float:
    """CPU µs per record of the engine's first step of every judgement and quality check on
    the stored records: their CP areas parsed into one row per factor (``factor_frame``). It is
    what a Spark executor runs per partition."""
    with db.engine.connect() as connection:
        rows = connection.execute(select(Record.data_time, Record.cp)).all()
    records = pl.DataFrame(rows, schema=RECORD_SCHEMA, orient="row")
    started = time.process_time()
    factor_frame(records)
    return 1e6 * (time.process_time() - started) / max(records.height, 1)


def parquet_bytes_per_record(db: Database, folder: Path) -> float:
    """Archive every stored month to Parquet in ``folder`` (the store is emptied: run last);
    bytes of the files per record."""
    months = archive_before(db, SYSTEM, parse_period(ARCHIVE_BEFORE), folder)
    rows = sum(month.rows for month in months)
    size = sum(path.stat().st_size for path in folder.rglob("*.parquet"))
    return size / max(rows, 1)


def report(
    phases: list[Phase], sizes: dict[str, float], connection_kb: dict[str, float], idle: float
) -> None:
    """Print the phases against the model, then the model recomputed with the measured costs
    (``idle``: the receivers' CPU seconds per second without load, both together)."""
    for phase in phases:
        predicted_ms = MODEL_BATCH_DELAY_MS + MODEL_COMMIT_MS
        print(
            f"{phase.name}: offered {phase.offered:,.0f} packets/s (model: all acknowledged), "
            f"measured {phase.rate:,.0f}; ack latency p50 {phase.p50_ms} ms, p99 "
            f"{phase.p99_ms} ms (model ≈ {predicted_ms:.0f} ms: batch delay + commit); CPU per "
            f"packet: receivers {phase.receiver_us:.1f} µs, {phase.marginal_us:.1f} µs beyond "
            f"their idle cost (model {MODEL_RECEIVER_US}), "
            f"HAProxy {phase.balancer_us:.1f} µs, PostgreSQL backends {phase.server_us:.1f} µs "
            f"(model {MODEL_SERVER_US}); reconnects {phase.reconnects}"
        )
    busy = phases[-1]
    print(
        f"store: {sizes['store']:,.0f} bytes per record with its indexes, raw frame archive "
        f"{sizes['raw']:,.0f} bytes per record, Parquet archive {sizes['parquet']:,.0f} bytes "
        f"per record; engine: {sizes['engine_us']:.2f} µs CPU per record to parse its CP area; "
        f"resident memory per open connection: receivers {connection_kb['receivers']:.1f} KB, "
        f"HAProxy {connection_kb['balancer']:.1f} KB; receivers idle: "
        f"{1000 * idle / RECEIVERS:.0f} ms CPU per second each (load average "
        f"{os.getloadavg()[0]:.1f}: CPU figures are inflated by whatever else shares the cores)"
    )
    for label, devices in (("province", PROVINCE_DEVICES), ("nation", NATION_DEVICES)):
        rate = devices / MINUTE_S
        receiver_cores = rate * busy.marginal_us / 1e6 / UTILISATION
        server_cores = rate * busy.server_us / 1e6 / UTILISATION
        balancer_cores = rate * busy.balancer_us / 1e6 / UTILISATION
        per_day = rate * 86_400
        executor_hours = per_day * sizes["engine_us"] / 1e6 / 3600
        stored = per_day * (sizes["store"] + sizes["raw"]) / 1e9
        print(
            f"model with measured costs, {label} ({devices:,} devices, minute data): "
            f"{rate:,.0f} packets/s, receiver cores {receiver_cores:.2f} (+ "
            f"{idle / RECEIVERS:.2f} per receiver process), PostgreSQL cores "
            f"{server_cores:.2f}, HAProxy cores {balancer_cores:.2f}, PostgreSQL "
            f"{stored:,.1f} GB/day, Parquet {per_day * sizes['parquet'] / 1e9:,.1f} GB/day, "
            f"memory for connections: receivers {devices * connection_kb['receivers'] / 1e6:.2f} "
            f"GB, HAProxy {devices * connection_kb['balancer'] / 1e6:.2f} GB; engine "
            f"{executor_hours:.2f} core-hours per day of data"
        )
    print(
        f"RESULT name=capacity_sim_throughput value={busy.rate:.0f} unit=packets/s "
        f"baseline=model_{busy.offered:.0f} ratio={busy.rate / busy.offered:.2f}"
    )
    print(
        f"RESULT name=capacity_sim_receiver_us value={busy.marginal_us:.1f} unit=us "
        f"baseline=model_{MODEL_RECEIVER_US:.0f}us ratio={MODEL_RECEIVER_US / busy.marginal_us:.2f}"
    )


def main() -> None:
    if HAPROXY is None:
        print("capacity_sim skipped: haproxy is not installed (apt-get install haproxy)")
        return
    url = postgres_url()
    if url is None:
        return
    db = prepare(url)
    with (
        tempfile.TemporaryDirectory() as logs,
        tempfile.TemporaryDirectory(dir=memory_folder()) as acks,
        receiver_cluster(url, Path(logs), RECEIVERS) as cluster,
    ):
        pids = [process.pid for process in cluster.processes]
        idle_kb = sum(resident_kb(pid) for pid in pids)
        balancer_kb = resident_kb(cluster.balancer.pid)
        folder = Path(acks)
        build_loadgen(folder)
        idle = idle_cpu(cluster)
        phases = [
            run_phase("steady", cluster, db, folder, MINUTE_S, STEADY_SECONDS, idle),
            run_phase("catch-up", cluster, db, folder, MINUTE_S / CATCH_UP, CATCH_UP_SECONDS, idle),
        ]
        count = len(loggers(db))
        connection_kb = {
            "receivers": (sum(resident_kb(pid, "VmHWM") for pid in pids) - idle_kb) / count,
            "balancer": (resident_kb(cluster.balancer.pid, "VmHWM") - balancer_kb) / count,
        }
    store_b, raw_b = store_bytes_per_record(db)
    sizes = {"store": store_b, "raw": raw_b, "engine_us": engine_us_per_record(db)}
    with tempfile.TemporaryDirectory() as archive:
        sizes["parquet"] = parquet_bytes_per_record(db, Path(archive))
    db.dispose()
    report(phases, sizes, connection_kb, idle)


if __name__ == "__main__":
    main()
