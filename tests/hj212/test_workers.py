"""``ecogov hj212 serve --workers 2``: two processes share the port, each acknowledges what it
committed, each reports its own status, and both stop cleanly with the supervisor."""

from __future__ import annotations

import signal
import threading
import time
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, update

from ecogov.hj212.intake import Outcome
from ecogov.hj212.models import ReceiverStatus, Record, Reject, SplitPart
from ecogov.hj212.receiver import Receiver, ReceiverSettings, load_registry
from ecogov.hj212.store import Batch
from ecogov.platform.audit import AuditEntry
from ecogov.platform.db import Database
from ecogov.platform.scope import SYSTEM
from ecogov.standards.hj212 import parse_packet
from tests.hj212.cluster import receiver_process
from tests.hj212.support import HOUR, Client, make_devices, split_upload, upload, wait_for


def test_two_workers_share_the_port_and_stop_together(db: Database, tmp_path: Path) -> None:
    devices = make_devices(db, 24)
    with receiver_process(db.url, 0, tmp_path / "receiver.log", workers=2) as (supervisor, port):
        clients = [Client(port) for _ in devices]
        for hour in range(3):
            for client, device in zip(clients, devices, strict=True):
                client.send(upload(device, moment=HOUR + timedelta(hours=hour)))
            for client in clients:
                assert [reply.segment.cn for reply in client.replies(1)] == ["9014"]
        with db.transaction(SYSTEM) as session:
            assert len(session.scalars(select(Record)).all()) == 3 * len(devices)
        wait_for(lambda: len(_statuses(db)) == 2, timeout=20)
        for client in clients:
            client.close()
        supervisor.send_signal(signal.SIGTERM)
        assert supervisor.wait(timeout=60) == 0
    labels = [status.listen for status in _statuses(db)]
    assert labels == [f"127.0.0.1:{port}/0", f"127.0.0.1:{port}/1"]
    assert sum(status.packets for status in _statuses(db)) == 3 * len(devices)
    with db.transaction(SYSTEM) as session:
        actions = session.scalars(select(AuditEntry.action)).all()
    assert sorted(a for a in actions if a.startswith("hj212.receiver.")) == [
        "hj212.receiver.start",
        "hj212.receiver.start",
        "hj212.receiver.stop",
        "hj212.receiver.stop",
    ]


def test_split_parts_over_two_connections_are_joined_whichever_workers_take_them(
    db: Database, tmp_path: Path
) -> None:
    """Each device sends its two parts on two connections. The kernel spreads connections over
    the workers by their address hash, so about half the devices' parts reach different workers
    (none of 12 would with probability 2⁻¹²)."""
    devices = make_devices(db, 12)
    with receiver_process(db.url, 0, tmp_path / "receiver.log", workers=2) as (supervisor, port):
        for device in devices:
            for part in split_upload(device):
                client = Client(port)
                client.send(part)
                assert [reply.segment.cn for reply in client.replies(1)] == ["9014"]
                client.close()
        wait_for(lambda: len(_rows(db, Record)) == len(devices), timeout=20)
        supervisor.send_signal(signal.SIGTERM)
        assert supervisor.wait(timeout=60) == 0
    assert sorted(r.mn for r in _rows(db, Record)) == sorted(d.mn for d in devices)
    assert _rows(db, SplitPart) == []
    assert _rows(db, Reject) == []


def _statuses(db: Database) -> list[ReceiverStatus]:
    with db.transaction(SYSTEM) as session:
        return list(session.scalars(select(ReceiverStatus).order_by(ReceiverStatus.listen)))


HOUR_MS = 3_600_000


def _receivers(db: Database, split_timeout: float = 120.0) -> list[Receiver]:
    """Two workers' receivers on one store (not listening: their intake and commits only)."""
    settings = replace(ReceiverSettings(), workers=2, split_timeout=split_timeout)
    receivers = [Receiver(db.url, settings, worker) for worker in (0, 1)]
    for receiver in receivers:
        receiver.intake.registry = load_registry(db)
    return receivers


def _close(receivers: list[Receiver]) -> None:
    for receiver in receivers:
        receiver.executor.shutdown()
        receiver.side.shutdown()
        receiver.db.dispose()


def _take(receiver: Receiver, frame: bytes) -> Outcome:
    """One frame through a worker's intake and commit, as its connection would have it."""
    outcome = receiver.intake.frame(frame, "127.0.0.1:5000", time.time_ns() // 1_000_000)
    batch = Batch()
    batch.add(outcome)
    receiver._write(batch)
    return outcome


def _rows(db: Database, model: type[Record] | type[SplitPart] | type[Reject]) -> list[Any]:
    with db.transaction(SYSTEM) as session:
        return list(session.scalars(select(model)))


def test_parts_reaching_different_workers_are_joined_in_the_store(db: Database) -> None:
    device = make_devices(db, 1)[0]
    first, second = split_upload(device)
    receivers = _receivers(db)
    try:
        assert _take(receivers[0], first).reply is not None  # each part is answered
        assert _rows(db, Record) == []
        assert len(_rows(db, SplitPart)) == 1
        _take(receivers[1], second)
    finally:
        _close(receivers)
    records = _rows(db, Record)
    assert [(r.mn, r.cn) for r in records] == [(device.mn, "2061")]
    whole = parse_packet(upload(device)).segment
    assert records[0].cp == whole.cp.text()
    assert _rows(db, SplitPart) == []
    assert _rows(db, Reject) == []


def test_the_leader_gives_up_on_a_group_the_store_holds_too_long(db: Database) -> None:
    device = make_devices(db, 1)[0]
    receivers = _receivers(db, split_timeout=0.0)
    try:
        _take(receivers[1], split_upload(device)[0])
        time.sleep(0.01)
        receivers[0]._expire_groups()
    finally:
        _close(receivers)
    assert [r.reason for r in _rows(db, Reject)] == ["split-timeout"]
    assert _rows(db, SplitPart) == []
    assert _rows(db, Record) == []


def test_the_leader_writes_nothing_while_no_group_is_stale(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The once-a-second look for stale groups takes no commit turn when there are none."""
    device = make_devices(db, 1)[0]
    receivers = _receivers(db)
    try:
        _take(receivers[1], split_upload(device)[0])

        def no_write() -> None:
            raise AssertionError("a write transaction with nothing to give up")

        monkeypatch.setattr(receivers[0], "_committing", no_write)
        receivers[0]._expire_groups()
    finally:
        _close(receivers)
    assert len(_rows(db, SplitPart)) == 1
    assert _rows(db, Reject) == []


def test_parts_kept_over_a_restart_get_a_whole_timeout_from_the_start(db: Database) -> None:
    """A part acknowledged long before the receiver (re)started is not given up at once: its
    logger may send the rest once it has reconnected."""
    device = make_devices(db, 1)[0]
    receivers = _receivers(db, split_timeout=60.0)
    try:
        _take(receivers[1], split_upload(device)[0])
        with db.engine.begin() as connection:
            connection.execute(
                update(SplitPart).values(received_at=SplitPart.received_at - HOUR_MS)
            )
        receivers[0]._expire_groups()
        assert len(_rows(db, SplitPart)) == 1
        receivers[0].started_ms -= 61_000  # a minute and more after the start
        receivers[0]._expire_groups()
    finally:
        _close(receivers)
    assert [r.reason for r in _rows(db, Reject)] == ["split-timeout"]
    assert _rows(db, SplitPart) == []


def test_last_parts_committed_at_once_by_two_workers_are_joined_once(db: Database) -> None:
    devices = make_devices(db, 8)
    receivers = _receivers(db)
    try:
        for device in devices:
            parts = split_upload(device)
            start = threading.Barrier(2)

            def send(
                worker: int, parts: list[bytes] = parts, start: threading.Barrier = start
            ) -> None:
                start.wait()
                _take(receivers[worker], parts[worker])

            threads = [threading.Thread(target=send, args=(worker,)) for worker in (0, 1)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
    finally:
        _close(receivers)
    assert sorted(r.mn for r in _rows(db, Record)) == sorted(d.mn for d in devices)
    assert _rows(db, SplitPart) == []
    assert _rows(db, Reject) == []
