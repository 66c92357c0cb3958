"""The HJ 212 receiver (数据接收服务): an asyncio TCP server for online-monitoring data loggers.

Per connection, a :class:`~ecogov.standards.hj212.Framer` cuts the byte stream into frames
whatever the TCP segmentation (sticky and split reads, garbage, oversize length fields); each
frame goes through the :class:`~ecogov.hj212.intake.Intake` (parse with the device's profile,
MN + PW against the registry, split packets joined) and its outcome to the
:class:`~ecogov.hj212.committer.GroupCommitter`; the reply (9014, 9013, or a refusing 9011) is
written only after the outcome is committed.

Limits: ``max_connections`` (further connections are closed at once), the frame size the framer
accepts, ``idle_timeout`` (silent connections are closed), ``max_errors`` refused frames per
connection, and ``max_backlog`` uncommitted outcomes (reading pauses above it). Beside the
connections, one maintenance task sends due reverse commands, expires split groups, refreshes
the device registry and writes the status. Every write runs on one database thread, in order;
what writes nothing the devices wait for (registry reads, SQLite WAL checkpoints) runs on a
second thread so that it never delays a commit.
"""

from __future__ import annotations

import asyncio
import fcntl
import gc
import logging
import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import IO, Any, Final, cast

from sqlalchemy import Connection, event, make_url
from sqlalchemy.orm import Session

from ecogov.hj212 import aggregates, commands
from ecogov.hj212.access import RECEIVER
from ecogov.hj212.committer import GroupCommitter
from ecogov.hj212.intake import GroupKey, Intake, RegisteredDevice
from ecogov.hj212.status import Counters, StatusView, write_status
from ecogov.hj212.store import (
    Batch,
    Written,
    group_parts,
    stale_groups,
    stored_cp,
    write_batch,
)
from ecogov.platform import audit
from ecogov.platform.db import Database
from ecogov.platform.permissions import scoped_read
from ecogov.platform.scope import SYSTEM
from ecogov.sources.protocols import profile_named
from ecogov.sources.service import device_credentials
from ecogov.standards.hj212 import Frame, Framer, FramerEvent

log = logging.getLogger(__name__)
CHECKPOINT_ROUNDS: Final = 8
"""Checkpoint rounds beside the commits at most before the last one, which pauses them."""
CHECKPOINT_PAUSE_FRAMES: Final = 256
"""WAL frames (pages) new since the last round below which the last round is run: about 1 MB,
a few milliseconds of copying while commits wait."""
WAL_RESTART_FRAMES: Final = 262_144
"""WAL frames (pages: 1 GB of 4 KB) above which a checkpoint pauses the commits to finish.

Each pause holds every ack for 15-120 ms. A receiver's commits write about 9 KB of WAL per upload
(a 4 KB index page per device, rewritten whole each time), so at 256 MB the pause came every 3.5
s at 9,000 uploads/s: 10-12 pauses in a 40 s benchmark against 3-4 at 1 GB, and paced p99s of
168 and 175 ms against 75-140. Reads search only the frames no round has copied yet, so the
WAL's size alone does not slow them. The file stays 1 GB until the receiver stops."""
BACKLOG: Final = 1024
"""Connections the kernel queues per listening socket before the receiver accepts them."""
SETTLE_DAYS: Final = 25
"""Device-days whose statistics one chunk of a settle recomputes: about 600 hourly records
decoded on the side thread, then about 3,100 statistics (five factors) stored in a few
milliseconds of the receiver's turn to commit, which the packets' commits wait for (chunks of
100 days held them 10-30 ms: paced ack p99 84-87 ms against 37-45 ms)."""
SETTLE_CHUNKS: Final = 4
"""Chunks a periodic settle runs at most (each its own commit, the packets' commits between
them): up to 100 device-days a second."""
WILDCARDS: Final = frozenset({"", "0.0.0.0", "::"})
"""Listen addresses meaning every interface of the machine."""


@dataclass(frozen=True)
class ReceiverSettings:
    """Where the receiver listens and its limits (times in seconds)."""

    host: str = "127.0.0.1"
    port: int = 9212
    max_connections: int = 5000
    max_segment_length: int = 1024
    idle_timeout: float = 600.0
    max_errors: int = 50
    batch_size: int = 2000
    batch_delay: float = 0.002
    max_backlog: int = 50_000
    split_timeout: float = 120.0
    registry_refresh: float = 10.0
    status_interval: float = 2.0
    statistics_interval: float = 1.0
    """Seconds between two settles of the device statistics the commits marked (each of at most
    ``SETTLE_CHUNKS`` chunks of ``SETTLE_DAYS`` device-days)."""
    command_interval: float = 1.0
    checkpoint_interval: float = 1.0
    workers: int = 1
    timing: commands.Timing = field(default_factory=commands.Timing)


def _receiver_sqlite(dbapi_connection: Any, connection_record: Any) -> None:
    """SQLite as the receiver uses it: commits write the WAL without syncing it (NORMAL; the
    receiver syncs it after each batch, see :class:`WalSync`), and no commit copies the WAL
    back into the database (auto-checkpoint off): that copy and its sync would stall the batch
    behind it; :meth:`Receiver._checkpoint` does it beside them."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA wal_autocheckpoint=0")
    cursor.close()


class WalSync:
    """Makes what a SQLite database committed durable: ``fdatasync`` of its WAL.

    An acknowledged packet must survive a power cut. SQLite's own way (``synchronous=FULL``)
    syncs inside the commit, while the commit turn is held, so two workers wait for each other's
    syncs one after the other. Under ``synchronous=NORMAL`` a commit only writes the WAL (every
    checkpoint still syncs the WAL before copying it and the database file after, so the WAL
    never starts over on pages that are not on the disk); the receiver syncs the WAL itself
    after the turn is given back and before it acknowledges anything, so one worker's sync runs
    while the other writes. SQLite locks the database and its shared-memory file, never the WAL,
    so holding a descriptor of the WAL open is safe. A WAL replaced since (the last connection
    closed it after a checkpoint that synced the database file) is opened anew; without a WAL,
    everything committed is in the synced database file.
    """

    def __init__(self, database_path: str) -> None:
        self.path = f"{database_path}-wal"
        self._descriptor: int | None = None

    def sync(self) -> None:
        """Put every transaction committed so far on the disk."""
        try:
            current = os.stat(self.path).st_ino
        except FileNotFoundError:
            return
        if self._descriptor is None or os.fstat(self._descriptor).st_ino != current:
            self.close()
            self._descriptor = os.open(self.path, os.O_RDONLY)
        os.fdatasync(self._descriptor)

    def close(self) -> None:
        """Close the WAL's descriptor."""
        if self._descriptor is not None:
            os.close(self._descriptor)
            self._descriptor = None


def _wal_frames(connection: Connection, mode: str) -> int:
    """Run a WAL checkpoint of ``mode``; returns the frames the WAL then held."""
    row = connection.exec_driver_sql(f"PRAGMA wal_checkpoint({mode})").one()
    return int(row[1])


def _sqlite_file(db: Database) -> str | None:
    """The path of a SQLite database file; None for PostgreSQL or an in-memory database."""
    path = make_url(db.url).database
    if db.backend != "sqlite" or not path or path == ":memory:":
        return None
    return path


def _wal_sync(db: Database) -> WalSync | None:
    """The WAL sync of a SQLite database file; None for PostgreSQL (its commits are durable)."""
    path = _sqlite_file(db)
    return None if path is None else WalSync(path)


def _commit_lock(db: Database, workers: int) -> IO[bytes] | None:
    """The lock file the workers of one SQLite database take turns on for their commits, or None
    (one worker, or PostgreSQL). SQLite lets one writer in at a time and makes the others poll,
    sleeping 1, 2, 5 … 100 ms between tries: two workers committing every few milliseconds
    would spend their time asleep. A worker blocked on the lock wakes as soon as it is free."""
    path = _sqlite_file(db)
    if workers < 2 or path is None:
        return None
    return Path(f"{path}-hj212.lock").open("ab")


def load_registry(db: Database) -> dict[str, RegisteredDevice]:
    """Active devices by MN with their codec profile (read as the system)."""
    return {
        cred.mn: RegisteredDevice(
            cred.mn, cred.pw, profile_named(cred.profile), cred.device_id, cred.system_code
        )
        for cred in device_credentials(db, SYSTEM)
    }


class DeviceConnection(asyncio.Protocol):
    """One TCP connection of a data logger."""

    def __init__(self, receiver: Receiver) -> None:
        self.receiver = receiver
        self.transport: asyncio.Transport | None = None
        self.peer = "?"
        self.framer = Framer(receiver.settings.max_segment_length)
        self.last_seen = time.monotonic()
        self.errors = 0
        self.mns: set[str] = set()

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        """Admit the connection, or close it at once when the receiver is full."""
        self.transport = cast(asyncio.Transport, transport)  # uvloop's is no subclass
        host, port, *_ = transport.get_extra_info("peername") or ("?", 0)
        self.peer = f"{host}:{port}"
        self.receiver.admit(self)

    def data_received(self, data: bytes) -> None:
        """Frame the bytes and hand every frame or framing error to the receiver."""
        self.last_seen = time.monotonic()
        for item in self.framer.feed(data):
            self.receiver.handle(self, item)

    def connection_lost(self, exc: Exception | None) -> None:
        """Report what the stream left unfinished, and forget the connection."""
        for item in self.framer.close():
            self.receiver.handle(self, item)
        self.receiver.forget(self)

    def deliver(self, reply: bytes) -> None:
        """Write a reply (called once its packet is committed)."""
        if self.transport is not None and not self.transport.is_closing():
            self.transport.write(reply)

    def close(self) -> None:
        """Close the connection (pending writes are flushed first)."""
        if self.transport is not None:
            self.transport.close()


class Receiver:
    """The receiver: listening socket, connections, intake, committer and maintenance.

    ``worker`` numbers the process among ``settings.workers`` processes sharing one port (see
    :mod:`ecogov.hj212.workers`). The first one (0) alone does what concerns the whole store:
    it gives up on split groups the store has held too long, checkpoints the SQLite WAL and
    times out the reverse commands of devices connected nowhere.
    """

    def __init__(self, url: str, settings: ReceiverSettings, worker: int = 0) -> None:
        self.settings = settings
        self.started_ms = time.time_ns() // 1_000_000
        self.worker = worker
        self.leader = worker == 0
        self.db = Database(url)
        if self.db.backend == "sqlite":
            event.listen(self.db.engine, "connect", _receiver_sqlite)
        self._commit_lock = _commit_lock(self.db, settings.workers)
        self._wal = _wal_sync(self.db)
        self._local_turn = threading.Lock()
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="hj212-db")
        # Work that must not hold up commits: WAL checkpoints and registry reads.
        self.side = ThreadPoolExecutor(max_workers=1, thread_name_prefix="hj212-side")
        self.intake = Intake({})
        self.committer = GroupCommitter(
            self._write,
            self.executor,
            max_items=settings.batch_size,
            max_delay=settings.batch_delay,
            max_backlog=settings.max_backlog,
        )
        self.counters = Counters(listen=self._label(settings.port))
        self.connections: set[DeviceConnection] = set()
        self.by_mn: dict[str, DeviceConnection] = {}
        self.paused: set[DeviceConnection] = set()
        self.refused_connections = 0
        self._server: asyncio.Server | None = None
        self._tasks: list[asyncio.Task[None]] = []

    @property
    def port(self) -> int:
        """The port actually listened on (useful with port 0)."""
        assert self._server is not None
        return int(self._server.sockets[0].getsockname()[1])

    async def _db(self, function: Callable[..., Any], *args: Any) -> Any:
        """Run database work on the receiver's one database thread."""
        return await asyncio.get_running_loop().run_in_executor(self.executor, function, *args)

    async def _beside(self, function: Callable[..., Any], *args: Any) -> Any:
        """Run database work that commits nothing the devices wait for on the side thread."""
        return await asyncio.get_running_loop().run_in_executor(self.side, function, *args)

    def _checkpoint(self, mode: str = "PASSIVE") -> None:
        """Copy committed WAL frames into the SQLite database file, and let the WAL start over
        once it has grown large.

        The copy runs beside the commits (PASSIVE: it neither waits for nor holds them up), but
        a WAL starts over only after a checkpoint has copied all of it, and under steady load
        commits keep landing while one copies: with such copies alone the WAL grew without end
        (3 GB in 20 s at 18,000 packets/s, every read and commit slowing down with it). So the
        copy is repeated while each round finds many new frames (each copies what landed during
        the last, fewer each time), and once the WAL holds over ``WAL_RESTART_FRAMES`` the last
        few are copied while no commit runs; the next commit then starts a new WAL. That pause
        (15-120 ms, mostly the syncs that end a checkpoint) comes every 6-14 s under load
        rather than at every round. ``mode`` is the last checkpoint's (``TRUNCATE`` when the
        receiver stops: it empties the file, and always pauses)."""
        with scoped_read(self.db, SYSTEM, RECEIVER) as read:
            connection = read.connection
            last = -1
            for _ in range(CHECKPOINT_ROUNDS):
                frames = _wal_frames(connection, "PASSIVE")
                if 0 <= frames - last <= CHECKPOINT_PAUSE_FRAMES or frames < last:
                    break
                last = frames
            if mode == "PASSIVE" and frames < WAL_RESTART_FRAMES:
                return
            with self._turn():
                _wal_frames(connection, mode)

    def _write(self, batch: Batch) -> Written:
        """Commit one batch (database thread), applying command events in the same transaction;
        returns once it is on the disk. Split groups are joined in the store: a batch with parts
        also writes what the groups they belong to now come to."""
        with self._committing() as session:
            connection = session.connection()
            written = write_batch(connection, batch, deferred=True)
            if batch.parts:
                keys = sorted({part[:5] for part in batch.parts})
                joined = self._join_groups(connection, keys, give_up=False)
                written = Written(
                    written.changed + joined.changed, written.unchanged + joined.unchanged
                )
            if batch.events:
                commands.apply_events(session, batch.events, self.settings.timing)
        return written

    async def _settle_statistics(self, everything: bool = False) -> None:
        """Recompute the device statistics of the days the commits marked, oldest first, in
        chunks of ``SETTLE_DAYS`` (at most ``SETTLE_CHUNKS`` of them; every one when
        ``everything``): each computed in a read on the side thread, beside the commits, then
        stored by a short commit of the receiver's turn that takes only the marks no batch has
        marked again since (:func:`~ecogov.hj212.aggregates.apply`)."""
        chunks = 0
        while everything or chunks < SETTLE_CHUNKS:
            settlement = await self._beside(self._prepare_settlement)
            if settlement.marks.is_empty():
                return
            await self._db(self._apply_settlement, settlement)
            chunks += 1
            if settlement.marks.height < SETTLE_DAYS:
                return

    def _prepare_settlement(self) -> aggregates.Settlement:
        """Read the oldest ``SETTLE_DAYS`` marks and compute their days' statistics (side
        thread, no write)."""
        with scoped_read(self.db, SYSTEM, RECEIVER) as read:
            return aggregates.prepare(read.connection, SETTLE_DAYS)

    def _apply_settlement(self, settlement: aggregates.Settlement) -> None:
        """Store a prepared settlement in the receiver's turn (database thread)."""
        with self._committing() as session:
            aggregates.apply(session.connection(), settlement)

    def _expire_groups(self) -> None:
        """The leader, every second: give up on split groups whose first part the store has held
        longer than ``split_timeout``, as a reassembler would. Parts kept over a restart get a
        whole ``split_timeout`` from the receiver's start: their logger may send the rest once it
        has reconnected.

        It looks first, outside any write: most seconds there is nothing to give up, and a write
        transaction would take a turn from the commits (and on SQLite sync the WAL once more).
        The groups are read again in the write, which decides."""
        cutoff = time.time_ns() // 1_000_000 - int(self.settings.split_timeout * 1000)
        if cutoff <= self.started_ms:
            return
        with scoped_read(self.db, SYSTEM, RECEIVER) as read:
            if not stale_groups(read.connection, cutoff):
                return
        with self._committing() as session:
            connection = session.connection()
            self._join_groups(connection, stale_groups(connection, cutoff), give_up=True)

    def _join_groups(self, connection: Connection, keys: list[GroupKey], give_up: bool) -> Written:
        """Write what the persisted parts of each split group come to (see
        :meth:`Intake.join_persisted`; given up, with the CP of the record stored for the
        group, if any), in the caller's transaction."""
        now_ms = time.time_ns() // 1_000_000
        joined = Batch()
        for key in keys:
            parts = group_parts(connection, key)
            stored = stored_cp(connection, key) if give_up else None
            joined.add(self.intake.join_persisted(parts, now_ms, give_up, stored))
        return write_batch(connection, joined, deferred=True)

    @contextmanager
    def _committing(self) -> Iterator[Session]:
        """A transaction of the receiver's, in its turn to commit; on the disk when it ends."""
        with self._turn(), self.db.transaction(SYSTEM, action="hj212.receive") as session:
            yield session
        if self._wal is not None:
            self._wal.sync()

    @contextmanager
    def _turn(self) -> Iterator[None]:
        """Hold the turn to commit: this process's database thread or WAL checkpoint, and the
        workers' commit lock when there is one."""
        with self._local_turn:
            if self._commit_lock is None:
                yield
                return
            fcntl.flock(self._commit_lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(self._commit_lock, fcntl.LOCK_UN)

    def _label(self, port: int) -> str:
        """Where this receiver listens, as its status names it (``host:port``, then ``/worker``
        when several processes share the port). A wildcard address (``0.0.0.0``, ``::``) is
        named by the machine's host name: receivers on several hosts behind a load balancer
        all listen on ``0.0.0.0:9212``, and each keeps a status row of its own."""
        host = self.settings.host
        label = f"{socket.gethostname() if host in WILDCARDS else host}:{port}"
        return f"{label}/{self.worker}" if self.settings.workers > 1 else label

    async def start(self, sock: socket.socket | None = None) -> None:
        """Load the registry, then listen (on ``sock`` when given: a socket already listening,
        shared with other workers)."""
        self.intake.registry = await self._db(load_registry, self.db)
        await self._db(self._audit, "hj212.receiver.start", {"listen": self.counters.listen})
        gc.freeze()  # what start-up loaded lives on: keep it out of the collector's full scans
        loop = asyncio.get_running_loop()
        if sock is None:
            self._server = await loop.create_server(
                lambda: DeviceConnection(self),
                self.settings.host,
                self.settings.port,
                reuse_address=True,
                backlog=BACKLOG,
            )
        else:
            self._server = await loop.create_server(
                lambda: DeviceConnection(self), sock=sock, backlog=BACKLOG
            )
        self.counters.listen = self._label(self.port)
        self._tasks = [
            asyncio.create_task(self.committer.run()),
            asyncio.create_task(self._maintain()),
        ]
        if self.db.backend == "sqlite" and self.leader:
            self._tasks.append(asyncio.create_task(self._checkpoints()))

    def _audit(self, action: str, details: dict[str, Any]) -> None:
        with self.db.transaction(SYSTEM, action=action) as session:
            audit.record(session, action, entity="hj212_receiver", details=details)

    async def stop(self) -> None:
        """Stop listening, close every connection, commit what was received, record the stop."""
        if self._server is not None:
            self._server.close()
        for connection in list(self.connections):
            connection.close()
        try:
            await asyncio.wait_for(self.committer.drained(), timeout=30)
        except TimeoutError:
            log.error(
                "stopping with %d packets uncommitted (never acknowledged)", self.committer.backlog
            )
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        try:
            await self._settle_statistics(everything=True)
        except Exception:  # the database may be away: the next receiver settles the marks
            log.exception("settling the device statistics at stop failed")
        await self._db(write_status, self.db, self._status())
        summary = {**asdict(self.committer.stats), "refused_connections": self.refused_connections}
        await self._db(self._audit, "hj212.receiver.stop", summary)
        self.executor.shutdown(wait=True)
        if self.db.backend == "sqlite" and self.leader:
            await self._beside(self._checkpoint, "TRUNCATE")
        self.side.shutdown(wait=True)
        self.db.dispose()
        if self._commit_lock is not None:
            self._commit_lock.close()
        if self._wal is not None:
            self._wal.close()

    def admit(self, connection: DeviceConnection) -> None:
        """Register a new connection, or close it when ``max_connections`` are open."""
        if len(self.connections) >= self.settings.max_connections:
            self.refused_connections += 1
            self.counters.rejects["too-many-connections"] += 1
            assert connection.transport is not None
            connection.transport.abort()
            return
        self.connections.add(connection)
        self.counters.connections = len(self.connections)

    def forget(self, connection: DeviceConnection) -> None:
        """Drop a closed connection."""
        self.connections.discard(connection)
        self.paused.discard(connection)
        for mn in connection.mns:
            if self.by_mn.get(mn) is connection:
                del self.by_mn[mn]
        self.counters.connections = len(self.connections)

    def handle(self, connection: DeviceConnection, item: FramerEvent) -> None:
        """Turn a frame (or framing error) into an outcome and queue it for the next commit."""
        now_ms = time.time_ns() // 1_000_000
        if isinstance(item, Frame):
            self.counters.packets += 1
            outcome = self.intake.frame(item.data, connection.peer, now_ms)
        else:
            outcome = self.intake.framing_error(item, connection.peer, now_ms)
        if outcome.mn is not None:
            self.by_mn[outcome.mn] = connection
            connection.mns.add(outcome.mn)
        if outcome.rejects:
            connection.errors += 1
            for row in outcome.rejects:
                self.counters.rejects[row[5]] += 1
        self.committer.submit(outcome, connection.deliver)
        if connection.errors > self.settings.max_errors:
            log.warning("closing %s after %d refused frames", connection.peer, connection.errors)
            connection.close()
        elif self.committer.overloaded and connection.transport is not None:
            connection.transport.pause_reading()
            self.paused.add(connection)

    async def _maintain(self) -> None:
        """Every second: idle connections, paused readers, split timeouts, commands; registry
        and status at their own intervals. A failing step is logged and tried again later."""
        settings = self.settings
        intervals = {
            "commands": settings.command_interval,
            "registry": settings.registry_refresh,
            "status": settings.status_interval,
            "statistics": settings.statistics_interval,
        }
        last = dict.fromkeys(intervals, time.monotonic())
        while True:
            await asyncio.sleep(min(1.0, settings.command_interval))
            now = time.monotonic()
            self._close_idle(now)
            self._resume_readers()
            if self.leader:
                try:
                    await self._db(self._expire_groups)
                except Exception:  # the database may be away: the receiver keeps going
                    log.exception("receiver split-group expiry failed; trying again later")
            for job, interval in intervals.items():
                if now - last[job] >= interval:
                    last[job] = now
                    try:
                        await self._periodic(job)
                    except Exception:  # the database may be away: the receiver keeps going
                        log.exception("receiver %s job failed; trying again later", job)

    async def _checkpoints(self) -> None:
        """SQLite: checkpoint the WAL every ``checkpoint_interval`` seconds (on the side thread;
        see :meth:`_checkpoint`), until cancelled."""
        while True:
            await asyncio.sleep(self.settings.checkpoint_interval)
            try:
                await self._beside(self._checkpoint)
            except Exception:  # the disk may be full for a moment: the receiver keeps going
                log.exception("WAL checkpoint failed; trying again later")

    async def _periodic(self, job: str) -> None:
        """One periodic job: ``commands`` (send due ones), ``registry``, ``status``, and the
        leader's ``statistics`` (settle the device-days its commits marked)."""
        if job == "statistics":
            if self.leader:
                await self._settle_statistics()
        elif job == "commands":
            await self._dispatch_commands()
        elif job == "registry":
            self.intake.registry = await self._beside(load_registry, self.db)
        else:
            await self._db(write_status, self.db, self._status())

    def _status(self) -> StatusView:
        """The counters now, with the records the committer has stored."""
        self.counters.stored = self.committer.stats.changed
        return self.counters.snapshot()

    def _close_idle(self, now: float) -> None:
        for connection in list(self.connections):
            if now - connection.last_seen > self.settings.idle_timeout:
                connection.close()

    def _resume_readers(self) -> None:
        if self.paused and not self.committer.overloaded:
            for connection in self.paused:
                if connection.transport is not None:
                    connection.transport.resume_reading()
            self.paused.clear()

    def _take_due(self, connected: set[str]) -> list[commands.Dispatch]:
        return commands.take_due(self.db, connected, self.settings.timing, everyone=self.leader)

    async def _dispatch_commands(self) -> None:
        """Send due reverse commands to the connections of their devices."""
        due = await self._db(self._take_due, set(self.by_mn))
        for dispatch in due:
            connection = self.by_mn.get(dispatch.mn)
            if connection is not None:
                connection.deliver(dispatch.frame)


async def serve(
    url: str,
    settings: ReceiverSettings,
    stop: asyncio.Event,
    ready: Callable[[Receiver], None] | None = None,
    *,
    sock: socket.socket | None = None,
    worker: int = 0,
) -> Receiver:
    """Run a receiver until ``stop`` is set; ``ready`` is called once it listens. A worker of
    several is given its number and the listening ``sock`` it shares the port with."""
    receiver = Receiver(url, settings, worker)
    await receiver.start(sock)
    if ready is not None:
        ready(receiver)
    await stop.wait()
    await receiver.stop()
    return receiver
