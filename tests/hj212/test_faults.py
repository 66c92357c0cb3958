"""Faults of a scaled-out receiver deployment (issue 20, item 5).

- One of two receivers behind HAProxy is killed (SIGKILL) under load: the loggers on it
  reconnect through the balancer to the other and send again what was not acknowledged.
- PostgreSQL restarts during ingest (a throwaway server of this test, stopped as by a crash):
  the receivers acknowledge nothing while it is away, then resume.
- The archive folder's disk is full: ``ecogov hj212 archive-months`` refuses with a
  Chinese-first message and the store keeps every row.

After each, every acknowledged packet is in the store with the values acknowledged, nothing is in
the store that no acknowledgement covers, and no packet was written twice (0 lost, 0 duplicated).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import random
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import func, select

from ecogov.cli import main
from ecogov.hj212.models import Record
from ecogov.hj212.simulator import SimulatedDevice, SimulationConfig, simulate
from ecogov.platform.db import Database
from ecogov.platform.migrate import upgrade
from ecogov.regions.service import load_registry
from tests.conftest import TEST_BOUNDARIES
from tests.hj212.cluster import (
    HAPROXY,
    acked,
    kill_all,
    postgres_missing,
    receiver_cluster,
    reconcile,
    stop_cleanly,
    throwaway_postgres,
)
from tests.hj212.support import make_devices, store_hours, wait_for
from tests.hj212.test_balancer import shared_postgres

needs_haproxy = pytest.mark.skipif(HAPROXY is None, reason="haproxy not installed (apt haproxy)")
LOAD = SimulationConfig(seconds=6, interval=0.02, timeout=1, defects=0.05, drain=30)
"""20 loggers sending 50 packets/s each for 6 s through the balancer, a packet unanswered for
1 s sent again on a new connection."""


@contextlib.contextmanager
def loggers(
    devices: list[SimulatedDevice], port: int, log: Path
) -> Iterator[dict[str, float | int]]:
    """Simulated loggers uploading through ``port`` in a thread; the summary once they end."""
    summary: dict[str, float | int] = {}
    config = replace(LOAD, port=port)
    thread = threading.Thread(
        target=lambda: summary.update(asyncio.run(simulate(devices, config, log)))
    )
    thread.start()
    try:
        wait_for(lambda: len(acked(log)) > 0, timeout=60)
        yield summary
    finally:
        thread.join(timeout=120)


@needs_haproxy
def test_killing_one_of_two_receivers_loses_and_duplicates_nothing(
    db: Database, tmp_path: Path
) -> None:
    shared_postgres(db)
    devices = [SimulatedDevice(d.mn, d.pw, d.st) for d in make_devices(db, 20)]
    seed = random.randrange(1_000_000)
    rng = random.Random(seed)
    log = tmp_path / "acked.jsonl"
    with receiver_cluster(db.url, tmp_path) as cluster:
        victim, survivor = rng.sample(cluster.processes, 2)
        with loggers(devices, cluster.port, log) as summary:
            time.sleep(rng.uniform(0.2, 1.5))
            kill_all(victim)
            victim.wait(timeout=30)
            at_kill = len(acked(log))
        assert stop_cleanly(survivor) == 0
    check = reconcile(db, log, {device.mn for device in devices})
    assert check.acks == summary["acked"] > at_kill > 0, f"seed {seed}"
    assert summary["reconnects"] > 0, f"seed {seed}: the kill went unnoticed"
    assert (check.lost, check.unacknowledged, check.revised) == (0, 0, 0), f"seed {seed}"


@needs_haproxy
def test_postgres_restart_stops_acks_then_resumes_losing_nothing(tmp_path: Path) -> None:
    missing = postgres_missing()
    if missing is not None:
        pytest.skip(missing)
    with throwaway_postgres() as server:
        db = Database(server.url)
        upgrade(db.engine)
        load_registry(db, TEST_BOUNDARIES)
        devices = [SimulatedDevice(d.mn, d.pw, d.st) for d in make_devices(db, 20)]
        db.dispose()
        log = tmp_path / "acked.jsonl"
        with receiver_cluster(server.url, tmp_path) as cluster:
            with loggers(devices, cluster.port, log) as summary:
                time.sleep(1.0)
                server.stop("immediate")
                time.sleep(0.5)  # acks of commits that ended before the stop arrive
                away = len(acked(log))
                time.sleep(1.5)
                during = len(acked(log)) - away
                server.start()
                wait_for(lambda: len(acked(log)) > away, timeout=30)
            assert [stop_cleanly(process) for process in cluster.processes] == [0, 0]
        check = reconcile(db, log, {device.mn for device in devices})
        db.dispose()
    assert during == 0, "acknowledged while the database was away"
    assert check.acks == summary["acked"] > away > 0
    assert (check.lost, check.unacknowledged, check.revised) == (0, 0, 0)


@contextlib.contextmanager
def tiny_filesystem(folder: Path, size_kb: int) -> Iterator[Path]:
    """A tmpfs of ``size_kb`` mounted on ``folder`` (root only); unmounted at the end."""
    folder.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root (the simulated ENOSPC test still runs)")
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size_kb}k", "tmpfs", str(folder)],
        capture_output=True,
        text=True,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=True)


def _stored(db: Database) -> int:
    with db.engine.connect() as connection:
        return int(connection.scalar(select(func.count()).select_from(Record)) or 0)


def archive_months(folder: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    """``ecogov hj212 archive-months --before 2026-04 --dir folder``: exit status and stderr."""
    with pytest.raises(SystemExit) as ended:
        main(["hj212", "archive-months", "--before", "2026-04", "--dir", str(folder)])
    return int(ended.value.code or 0), capsys.readouterr().err


def test_archive_to_a_full_disk_refuses_and_the_store_keeps_its_rows(
    cli_db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = cli_db
    (device,) = make_devices(db, 1)
    store_hours(db, device, [f"{40 + hour % 30}.{hour}" for hour in range(24 * 28)])
    before = _stored(db)
    with tiny_filesystem(tmp_path / "disk", 64) as disk:
        filler = disk / "filler"
        # Everything but a few KB: less than a month's file.
        with filler.open("wb") as out, contextlib.suppress(OSError):
            out.write(b"\0" * (60 * 1024))
        archive = disk / "archive"
        status, refusal = archive_months(archive, capsys)
        assert status == 2, refusal
        assert refusal.startswith("错误：归档目录"), refusal
        assert "磁盘空间不足" in refusal
        assert "库中数据未删除" in refusal
        assert _stored(db) == before
        assert [path for path in archive.rglob("*") if path.is_file()] == []
        filler.unlink()
        assert archive_months(archive, capsys) == (0, "")
        assert (archive / "manifest.json").is_file()
    assert _stored(db) == 0
