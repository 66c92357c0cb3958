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
import contextlib
import json
import os
import random
import re
import selectors
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from ecogov.hj212.models import Record
from ecogov.hj212.simulator import SimulatedDevice, SimulationConfig, simulate
from ecogov.platform.db import Database
from ecogov.platform.scope import SYSTEM
from tests.hj212.support import make_devices, wait_for

ECOGOV = str(Path(sys.executable).parent / "ecogov")
LISTENING = re.compile(rb"listening on [\d.]+:(\d+)")


def _environment(db: Database) -> dict[str, str]:
    return {**os.environ, "ECOGOV_DATABASE_URL": db.url}


def _listening_port(process: subprocess.Popen[bytes], timeout: float = 60.0) -> int:
    """Wait for the receiver's ``listening on host:port`` line (bounded) and return the port."""
    assert process.stdout is not None
    selector = selectors.DefaultSelector()
    selector.register(process.stdout, selectors.EVENT_READ)
    deadline = time.monotonic() + timeout
    seen = b""
    while time.monotonic() < deadline:
        if selector.select(timeout=0.5):
            line = process.stdout.readline()
            seen += line
            match = LISTENING.search(line)
            if match:
                return int(match.group(1))
        assert process.poll() is None, f"receiver exited: {seen!r}"
    raise AssertionError(f"receiver did not start: {seen!r}")


@contextmanager
def receiver_process(
    db: Database, port: int, log: Path, workers: int = 1
) -> Iterator[tuple[subprocess.Popen[bytes], int]]:
    """``ecogov hj212 serve`` as a child process in a session of its own (its workers with it);
    the whole session is killed if still running at the end."""
    with log.open("ab") as errors:
        process = subprocess.Popen(
            [ECOGOV, "hj212", "serve", "--port", str(port), "--workers", str(workers)],
            env=_environment(db),
            stdout=subprocess.PIPE,
            stderr=errors,
            start_new_session=True,
        )
    try:
        yield process, _listening_port(process)
    finally:
        kill_all(process)
        process.wait(timeout=30)
        assert process.stdout is not None
        process.stdout.close()


def kill_all(process: subprocess.Popen[bytes]) -> None:
    """SIGKILL the receiver and every worker it forked (its process group), if still there."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)


def _acked(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.endswith("}")]


@pytest.mark.parametrize("workers", [1, 2])
def test_sigkill_loses_nothing_acknowledged(db: Database, tmp_path: Path, workers: int) -> None:
    devices = [SimulatedDevice(device.mn, device.pw, device.st) for device in make_devices(db, 20)]
    seed = random.randrange(1_000_000)
    rng = random.Random(seed)
    acked_log = tmp_path / "acked.jsonl"
    stderr = tmp_path / "receiver.log"
    summary: dict[str, float | int] = {}
    with receiver_process(db, 0, stderr, workers) as (first, port):
        config = SimulationConfig(port=port, seconds=4, interval=0.02, timeout=1, defects=0.05)
        simulator = threading.Thread(
            target=lambda: summary.update(asyncio.run(simulate(devices, config, acked_log)))
        )
        simulator.start()
        wait_for(lambda: len(_acked(acked_log)) > 0, timeout=60)
        time.sleep(rng.uniform(0.0, 2.0))
        kill_all(first)
        first.wait(timeout=30)
    killed_at = len(_acked(acked_log))
    with receiver_process(db, port, stderr, workers) as (second, _):
        simulator.join(timeout=120)
        second.send_signal(signal.SIGTERM)
        assert second.wait(timeout=60) == 0
    acked = _acked(acked_log)
    assert len(acked) == summary["acked"] > killed_at > 0, f"seed {seed}"
    assert summary["reconnects"] > 0, f"seed {seed}: the kill went unnoticed"
    with db.transaction(SYSTEM) as session:
        stored = {(r.mn, r.cn, r.data_time): r.cp for r in session.scalars(select(Record))}
    for packet in acked:
        key = (packet["mn"], packet["cn"], packet["data_time"])
        assert stored.get(key) == packet["cp"], f"seed {seed}: acknowledged {key} not stored"
