"""Nothing acknowledged is ever lost: SIGKILL the receiver while simulated loggers upload.

The receiver runs as a child process (``ecogov hj212 serve``) on the test database (SQLite, and
PostgreSQL when configured); the simulated loggers, with their acked log, run in this process.
The receiver (one process, or a supervisor and its two workers, all killed at once) is killed at
a random moment and restarted on the same port; the loggers resend what was not acknowledged.
Afterwards every packet in the simulator's acked log must be in the store, exactly once, with the
values acknowledged.
"""

from __future__ import annotations

import asyncio
import random
import signal
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from ecogov.hj212.models import Record
from ecogov.hj212.simulator import SimulatedDevice, SimulationConfig, simulate
from ecogov.platform.db import Database
from ecogov.platform.scope import SYSTEM
from tests.hj212.cluster import acked, kill_all, receiver_process
from tests.hj212.support import make_devices, wait_for


@pytest.mark.parametrize("workers", [1, 2])
def test_sigkill_loses_nothing_acknowledged(db: Database, tmp_path: Path, workers: int) -> None:
    devices = [SimulatedDevice(device.mn, device.pw, device.st) for device in make_devices(db, 20)]
    seed = random.randrange(1_000_000)
    rng = random.Random(seed)
    acked_log = tmp_path / "acked.jsonl"
    stderr = tmp_path / "receiver.log"
    summary: dict[str, float | int] = {}
    with receiver_process(db.url, 0, stderr, workers) as (first, port):
        config = SimulationConfig(port=port, seconds=4, interval=0.02, timeout=1, defects=0.05)
        simulator = threading.Thread(
            target=lambda: summary.update(asyncio.run(simulate(devices, config, acked_log)))
        )
        simulator.start()
        wait_for(lambda: len(acked(acked_log)) > 0, timeout=60)
        time.sleep(rng.uniform(0.0, 2.0))
        kill_all(first)
        first.wait(timeout=30)
    killed_at = len(acked(acked_log))
    with receiver_process(db.url, port, stderr, workers) as (second, _):
        simulator.join(timeout=120)
        second.send_signal(signal.SIGTERM)
        assert second.wait(timeout=60) == 0
    packets = acked(acked_log)
    assert len(packets) == summary["acked"] > killed_at > 0, f"seed {seed}"
    assert summary["reconnects"] > 0, f"seed {seed}: the kill went unnoticed"
    with db.transaction(SYSTEM) as session:
        stored = {(r.mn, r.cn, r.data_time): r.cp for r in session.scalars(select(Record))}
    for packet in packets:
        key = (packet["mn"], packet["cn"], packet["data_time"])
        assert stored.get(key) == packet["cp"], f"seed {seed}: acknowledged {key} not stored"
