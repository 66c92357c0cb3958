"""Several receivers behind a TCP load balancer (issue 20, item 4): two ``ecogov hj212 serve``
processes on their own ports share one PostgreSQL database, HAProxy balances loggers' connections
over them, and a device's packets land on either.

Under the load of simulated loggers connecting through the balancer, other devices send every
upload to both receivers and through the balancer at once (the same frame three times: a resend
that crosses receivers), and split groups whose two parts reach the two receivers at the same
moment. The store keeps each upload once, unrevised, and joins every group: the store's key
(MN, CN, DataTime) and the group's advisory lock, not any receiver's memory, decide.
"""

from __future__ import annotations

import asyncio
import threading
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from ecogov.hj212.models import ReceiverStatus, Record, Reject, SplitPart
from ecogov.hj212.simulator import SimulatedDevice, SimulationConfig, simulate
from ecogov.platform.db import Database
from ecogov.platform.scope import SYSTEM
from tests.hj212.cluster import HAPROXY, receiver_cluster, reconcile, stop_cleanly
from tests.hj212.support import HOUR, Client, Registered, make_devices, split_upload, upload

pytestmark = pytest.mark.skipif(HAPROXY is None, reason="haproxy not installed (apt haproxy)")
HOURS = 6
"""Uploads each cross-sending device sends to both receivers and the balancer."""
GROUPS = 4
"""Split groups each cross-sending device sends, their parts to different receivers at once."""
GROUPS_FROM = HOUR + timedelta(days=30)


def shared_postgres(db: Database) -> None:
    """Skip unless ``db`` is PostgreSQL: receivers on several hosts share a server, while a SQLite
    store belongs to the processes of one host (``--workers``)."""
    if db.backend != "postgresql":
        pytest.skip("receivers behind a balancer share PostgreSQL (ECOGOV_TEST_DATABASE_URL)")


def _cross_send(device: Registered, first: int, second: int, balanced: int) -> None:
    """Each upload of ``device`` to both receivers and through the balancer at once, then each
    split group's parts to the two receivers at once; every copy must be answered 9014."""
    for hour in range(HOURS):
        frame = upload(device, moment=HOUR + timedelta(hours=hour))
        clients = [Client(port) for port in (first, second, balanced)]
        for client in clients:
            client.send(frame)
        for client in clients:
            assert [reply.segment.cn for reply in client.replies(1)] == ["9014"]
            client.close()
    for group in range(GROUPS):
        parts = split_upload(device, moment=GROUPS_FROM + timedelta(hours=group))
        clients = [Client(first), Client(second)]
        for client, part in zip(clients, parts, strict=True):
            client.send(part)
        for client in clients:
            assert [reply.segment.cn for reply in client.replies(1)] == ["9014"]
            client.close()


def test_two_receivers_behind_haproxy_store_each_packet_once(db: Database, tmp_path: Path) -> None:
    shared_postgres(db)
    registered = make_devices(db, 24)
    simulated, crossing = registered[:16], registered[16:]
    loggers = [SimulatedDevice(device.mn, device.pw, device.st) for device in simulated]
    acked_log = tmp_path / "acked.jsonl"
    summary: dict[str, float | int] = {}
    errors: list[BaseException] = []

    with receiver_cluster(db.url, tmp_path) as cluster:
        first, second = cluster.backends
        config = SimulationConfig(
            port=cluster.port, seconds=4, interval=0.02, timeout=2, defects=0.05
        )

        def load() -> None:
            summary.update(asyncio.run(simulate(loggers, config, acked_log)))

        def cross(device: Registered) -> None:
            try:
                _cross_send(device, first, second, cluster.port)
            except BaseException as error:  # reported by the test thread
                errors.append(error)

        threads = [threading.Thread(target=load)]
        threads += [threading.Thread(target=cross, args=(device,)) for device in crossing]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        assert [stop_cleanly(process) for process in cluster.processes] == [0, 0]
    assert errors == []
    check = reconcile(db, acked_log, {device.mn for device in simulated})
    assert check.acks == summary["acked"] >= check.acknowledged > 0
    assert (check.lost, check.unacknowledged, check.revised) == (0, 0, 0)
    with db.transaction(SYSTEM) as session:
        crossed = session.execute(
            select(Record.mn, func.count(), func.max(Record.revisions))
            .where(Record.mn.in_([device.mn for device in crossing]))
            .group_by(Record.mn)
        ).all()
        joined = session.scalars(
            select(Record.cp).where(
                Record.mn.in_([d.mn for d in crossing]),
                Record.data_time >= int(GROUPS_FROM.timestamp()),
            )
        ).all()
        parts_left = session.scalar(select(func.count()).select_from(SplitPart))
        rejected = session.scalars(
            select(Reject.reason).where(Reject.mn.in_([d.mn for d in crossing]))
        ).all()
        statuses = session.scalars(select(ReceiverStatus)).all()
    assert sorted(crossed) == sorted((device.mn, HOURS + GROUPS, 0) for device in crossing)
    assert len(joined) == len(crossing) * GROUPS
    assert all("w01018-Avg" in cp and "w21003-Avg" in cp for cp in joined)  # both parts' fields
    assert (parts_left, rejected) == (0, [])
    direct = len(crossing) * (HOURS + GROUPS)  # what each receiver got from cross-senders alone
    assert sorted(status.listen for status in statuses) == sorted(
        f"127.0.0.1:{port}" for port in cluster.backends
    )
    assert all(status.packets > direct + summary["sent"] // 10 for status in statuses), statuses
