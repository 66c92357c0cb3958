"""The receiver end to end on loopback: real sockets, bounded loops, every backend.

Hostile input (sticky and split packets, byte-at-a-time senders, garbage, oversize lengths,
connection storms, unknown devices and wrong passwords) never stops other devices' data.
"""

from __future__ import annotations

import asyncio
import json
import os
import socket
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from ecogov.hj212.models import ReceiverStatus, Record, Reject, SplitPart
from ecogov.hj212.receiver import WalSync
from ecogov.hj212.service import archived_frames
from ecogov.hj212.simulator import SimulatedDevice, SimulationConfig, simulate
from ecogov.platform.db import Database
from ecogov.platform.scope import SYSTEM
from ecogov.standards.timebase import BEIJING
from tests.hj212.support import (
    HOUR,
    Client,
    Registered,
    make_devices,
    qn_rtn,
    running_receiver,
    split_upload,
    upload,
    wait_for,
)


def count(db: Database, model: type[object], **where: object) -> int:
    with db.transaction(SYSTEM) as session:
        stmt = select(func.count()).select_from(model)
        for name, value in where.items():
            stmt = stmt.where(getattr(model, name) == value)
        return int(session.scalar(stmt) or 0)


def reasons(db: Database) -> list[str]:
    with db.transaction(SYSTEM) as session:
        return list(session.scalars(select(Reject.reason).order_by(Reject.id)))


def archived(db: Database, mn: str) -> list[bytes]:
    """The frames of ``mn`` in the raw archive received within the last hour."""
    now = datetime.now(BEIJING)
    return [f.raw for f in archived_frames(db, SYSTEM, mn, now - timedelta(hours=1), now)]


def hours(device: Registered, n: int, start: int = 0) -> list[bytes]:
    return [upload(device, moment=HOUR + timedelta(hours=start + i)) for i in range(n)]


def test_upload_is_stored_then_acknowledged(db: Database) -> None:
    (device,) = make_devices(db, 1)
    with running_receiver(db) as receiver:
        client = Client(receiver.port)
        client.send(upload(device))
        (ack,) = client.replies(1)
        assert ack.segment.cn == "9014"
        assert count(db, Record, mn=device.mn) == 1  # committed before the ack arrived
        client.close()
    assert archived(db, device.mn) == [upload(device)]


def test_sticky_packets_and_one_byte_at_a_time(db: Database) -> None:
    first, second = make_devices(db, 2)
    with running_receiver(db) as receiver:
        sticky = Client(receiver.port)
        sticky.send(b"".join(hours(first, 5)))
        dribble = Client(receiver.port)
        for byte in b"".join(hours(second, 2)):
            dribble.send(bytes([byte]))
        assert [p.segment.cn for p in sticky.replies(5)] == ["9014"] * 5
        assert [p.segment.cn for p in dribble.replies(2)] == ["9014"] * 2
        sticky.close()
        dribble.close()
    assert count(db, Record, mn=first.mn) == 5
    assert count(db, Record, mn=second.mn) == 2


def test_packets_split_at_every_position(db: Database) -> None:
    (device,) = make_devices(db, 1)
    frames = hours(device, 40)
    with running_receiver(db) as receiver:
        client = Client(receiver.port)
        for cut, frame in enumerate(frames, start=1):
            client.send(frame[: cut * 7 % len(frame)])
            client.send(frame[cut * 7 % len(frame) :])
        assert len(client.replies(40)) == 40
        client.close()
    assert count(db, Record) == 40


def test_garbage_and_oversize_lengths_are_ledgered_and_skipped(db: Database) -> None:
    good, other = make_devices(db, 2)
    with running_receiver(db) as receiver:
        hostile = Client(receiver.port)
        neighbour = Client(receiver.port)
        hostile.send(b"\x00\xff garbage " + upload(good))
        hostile.send(b"##9999" + b"x" * 3000 + upload(good, moment=HOUR + timedelta(hours=1)))
        neighbour.send(upload(other))
        assert [p.segment.cn for p in hostile.replies(2)] == ["9014", "9014"]
        assert neighbour.replies(1)[0].segment.cn == "9014"
        hostile.close()
        neighbour.close()
    assert count(db, Record, mn=good.mn) == 2
    assert {"frame-garbage", "frame-too-long"} <= set(reasons(db))


def test_unknown_mn_and_wrong_pw_are_refused_and_ledgered(db: Database) -> None:
    device, other = make_devices(db, 2)
    stranger = Registered("330106FFFFFFFFFFFFFFFFFF", "111111", "32", 0, 0, 0)
    with running_receiver(db) as receiver:
        client = Client(receiver.port)
        client.send(upload(stranger) + upload(device, pw="999999") + upload(other))
        refusal_mn, refusal_pw, ack = client.replies(3)
        client.close()
    assert (refusal_mn.segment.cn, qn_rtn(refusal_mn)) == ("9011", "4")
    assert (refusal_pw.segment.cn, qn_rtn(refusal_pw)) == ("9011", "3")
    assert ack.segment.cn == "9014"
    assert reasons(db) == ["unknown-mn", "wrong-pw"]
    assert count(db, Record) == 1


def test_resends_are_stored_once_and_acknowledged_each_time(db: Database) -> None:
    (device,) = make_devices(db, 1)
    frame = upload(device)
    with running_receiver(db) as receiver:
        client = Client(receiver.port)
        for _ in range(3):
            client.send(frame)
            assert client.replies(1)[0].segment.cn == "9014"
        client.send(upload(device, cod="55.5", qn="20260301090000001"))
        client.replies(1)
        client.close()
    with db.transaction(SYSTEM) as session:
        (record,) = session.scalars(select(Record))
    assert record.revisions == 1
    assert "w01018-Avg=55.5" in record.cp
    assert archived(db, device.mn)[:3] == [frame] * 3
    assert len(archived(db, device.mn)) == 4


def test_a_thousand_connects_and_disconnects(db: Database) -> None:
    (device,) = make_devices(db, 1)
    with running_receiver(db) as receiver:
        for _ in range(1000):
            socket.create_connection(("127.0.0.1", receiver.port), timeout=5).close()
        client = Client(receiver.port)
        client.send(upload(device))
        assert client.replies(1)[0].segment.cn == "9014"
        client.close()
        wait_for(lambda: receiver.counters.connections == 0)


def test_connection_limit_and_idle_timeout(db: Database) -> None:
    (device,) = make_devices(db, 1)
    with running_receiver(db, max_connections=2, idle_timeout=1.0) as receiver:
        first, second = Client(receiver.port), Client(receiver.port)
        wait_for(lambda: receiver.counters.connections == 2)
        third = Client(receiver.port)
        assert third.replies(1, timeout=2) == []  # closed at once
        wait_for(lambda: receiver.counters.connections == 0, timeout=5)  # idle ones closed
        client = Client(receiver.port)
        client.send(upload(device))
        assert client.replies(1)[0].segment.cn == "9014"
        for each in (first, second, third, client):
            each.close()
    assert receiver.refused_connections >= 1


def test_split_packets_across_a_restart(db: Database) -> None:
    (device,) = make_devices(db, 1)
    whole = split_upload(device)
    with running_receiver(db) as receiver:
        client = Client(receiver.port)
        client.send(whole[0])
        assert client.replies(1)[0].segment.cn == "9014"
        client.close()
    with running_receiver(db) as receiver:  # the acknowledged part survived the restart
        client = Client(receiver.port)
        client.send(whole[1])
        assert client.replies(1)[0].segment.cn == "9014"
        client.close()
    assert count(db, Record, mn=device.mn) == 1


def test_a_resent_last_part_is_no_loss_and_a_lone_part_is(db: Database) -> None:
    """One receiver gives up on split groups in the store as several do. A logger that missed
    the answer to its last part sends it again: that is dropped quietly, the group being stored;
    a group whose other part never comes goes to the ledger."""
    resending, losing = make_devices(db, 2)
    with running_receiver(db, split_timeout=0.3) as receiver:
        client = Client(receiver.port)
        parts = split_upload(resending)
        for part in (*parts, parts[1], split_upload(losing)[0]):
            client.send(part)
        assert [reply.segment.cn for reply in client.replies(4)] == ["9014"] * 4
        wait_for(lambda: count(db, SplitPart) == 0, timeout=10)
        client.close()
    assert count(db, Record, mn=resending.mn) == 1
    assert count(db, Record, mn=losing.mn) == 0
    with db.transaction(SYSTEM) as session:
        rows = [(r.mn, r.reason) for r in session.scalars(select(Reject))]
    assert rows == [(losing.mn, "split-timeout")]


def test_simulated_loggers_with_defects_get_every_packet_stored(
    db: Database, tmp_path: Path
) -> None:
    devices = [SimulatedDevice(d.mn, d.pw, d.st) for d in make_devices(db, 5)]
    acked_log = tmp_path / "acked.jsonl"
    with running_receiver(db) as receiver:
        config = SimulationConfig(
            port=receiver.port, seconds=2, interval=0.01, timeout=2, defects=0.6
        )
        summary = asyncio.run(simulate(devices, config, acked_log))
    acked = [json.loads(line) for line in acked_log.read_text().splitlines()]
    assert len(acked) == summary["acked"] > 50
    assert summary["refused"] > 0  # corrupted CRCs were refused with 9011, then resent
    with db.transaction(SYSTEM) as session:
        stored = {(r.mn, r.cn, r.data_time): r.cp for r in session.scalars(select(Record))}
    assert all(stored[p["mn"], p["cn"], p["data_time"]] == p["cp"] for p in acked)
    assert {"frame-garbage", "crc-mismatch"} <= set(reasons(db))


def test_wal_sync_flushes_the_current_wal_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    synced: list[int] = []
    real = os.fdatasync

    def recording(descriptor: int) -> None:
        synced.append(os.fstat(descriptor).st_ino)
        real(descriptor)

    monkeypatch.setattr(os, "fdatasync", recording)
    wal = tmp_path / "store.db-wal"
    sync = WalSync(str(tmp_path / "store.db"))
    sync.sync()  # no WAL: everything committed is in the database file
    assert synced == []
    wal.write_bytes(b"frames")
    sync.sync()
    sync.sync()
    wal.unlink()
    wal.write_bytes(b"a new WAL")  # the last connection closed the old one, a new one began
    sync.sync()
    sync.close()
    first, again, renewed = synced
    assert first == again != renewed == wal.stat().st_ino


def test_a_receiver_on_every_interface_names_its_status_by_host(db: Database) -> None:
    """Receivers on several hosts behind a balancer all listen on ``0.0.0.0``: each status row
    carries its host's name, so none overwrites another's."""
    with running_receiver(db, host="0.0.0.0") as receiver:
        wait_for(lambda: bool(status_rows(db)), timeout=20)
        port = receiver.port
    assert [row.listen for row in status_rows(db)] == [f"{socket.gethostname()}:{port}"]


def status_rows(db: Database) -> list[ReceiverStatus]:
    """The receivers' stored status rows."""
    with db.transaction(SYSTEM) as session:
        return list(session.scalars(select(ReceiverStatus)))
