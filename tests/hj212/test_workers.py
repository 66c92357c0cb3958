"""``ecogov hj212 serve --workers 2``: two processes share the port, each acknowledges what it
committed, each reports its own status, and both stop cleanly with the supervisor."""

from __future__ import annotations

import signal
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from ecogov.hj212.models import ReceiverStatus, Record
from ecogov.platform.audit import AuditEntry
from ecogov.platform.db import Database
from ecogov.platform.scope import SYSTEM
from tests.hj212.support import HOUR, Client, make_devices, upload, wait_for
from tests.hj212.test_kill import receiver_process


def test_two_workers_share_the_port_and_stop_together(db: Database, tmp_path: Path) -> None:
    devices = make_devices(db, 24)
    with receiver_process(db, 0, tmp_path / "receiver.log", workers=2) as (supervisor, port):
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


def _statuses(db: Database) -> list[ReceiverStatus]:
    with db.transaction(SYSTEM) as session:
        return list(session.scalars(select(ReceiverStatus).order_by(ReceiverStatus.listen)))
