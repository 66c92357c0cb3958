"""Several receiver processes on one port (``ecogov hj212 serve --workers N``).

One receiver process runs its Python work — socket callbacks, intake, batching — under one
interpreter lock, so it handles at most about one core's worth of packets, whatever the machine
has. With ``workers`` > 1 the supervisor opens that many listening sockets on the same address
with ``SO_REUSEPORT`` (the kernel spreads new connections over them by their address hash) and
forks one receiver per socket. Every worker acknowledges only what it has committed, exactly as a
single receiver does; the database serialises their commits.

The supervisor forwards SIGINT and SIGTERM to the workers, and stops the others when one of them
fails; a worker whose supervisor has gone (killed) stops by itself. The first worker alone does
what concerns the whole store (see :class:`~ecogov.hj212.receiver.Receiver`).

Split packets (PNUM/PNO): a logger that reconnects in the middle of a group, or after a
restart, may send its parts to different workers. So groups are joined in the store rather
than in memory: each part is committed as a row, and the transaction that adds one reads the
group's rows and, once they are all there, writes the joined record and removes them (on
PostgreSQL under the group's advisory lock, so that of two workers committing the last parts at
once, one sees both). The first worker gives up on groups the store has held longer than the
split timeout, into the rejects ledger — unless the record of the group is already stored with
every field of the parts: those were resent after the group was joined. A single receiver does
the same.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import socket
from collections.abc import Callable
from types import FrameType
from typing import NoReturn

from ecogov.hj212.eventloop import run_loop
from ecogov.hj212.receiver import BACKLOG, ReceiverSettings, serve

log = logging.getLogger(__name__)
PARENT_CHECK_S = 1.0
"""How often [s] a worker checks that its supervisor is still there."""


def listening_sockets(host: str, port: int, count: int) -> list[socket.socket]:
    """``count`` sockets listening on ``host:port`` together (``SO_REUSEPORT``); with port 0 the
    first one picks the port and the others join it."""
    sockets: list[socket.socket] = []
    try:
        for _ in range(count):
            sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
            sockets.append(sock)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
            sock.bind((host, port))
            port = sock.getsockname()[1]
            sock.listen(BACKLOG)
            sock.setblocking(False)
    except OSError:
        for sock in sockets:
            sock.close()
        raise
    return sockets


def run_workers(url: str, settings: ReceiverSettings, ready: Callable[[int], None]) -> int:
    """Fork ``settings.workers`` receivers sharing one port and supervise them until they have
    all stopped; ``ready`` gets the port once it listens. Returns the exit status: 0 when every
    worker stopped cleanly."""
    sockets = listening_sockets(settings.host, settings.port, settings.workers)
    ready(sockets[0].getsockname()[1])
    children: dict[int, int] = {}
    for index in range(len(sockets)):
        pid = os.fork()
        if pid == 0:
            _worker_process(url, settings, sockets, index)
        children[pid] = index
    for sock in sockets:
        sock.close()
    return _supervise(children)


def _worker_process(
    url: str, settings: ReceiverSettings, sockets: list[socket.socket], index: int
) -> NoReturn:
    """The body of a forked worker: serve on its socket until stopped, then exit."""
    mine = sockets[index]
    for sock in sockets:
        if sock is not mine:
            sock.close()
    status = 0
    try:
        run_loop(_serve_worker(url, settings, mine, index, os.getppid()))
    except BaseException:
        log.exception("receiver worker %d failed", index)
        status = 1
    finally:
        logging.shutdown()
    os._exit(status)


async def _serve_worker(
    url: str, settings: ReceiverSettings, sock: socket.socket, index: int, parent: int
) -> None:
    """One worker: a receiver on ``sock`` until SIGINT, SIGTERM or the supervisor's end."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    watch = asyncio.create_task(_watch_parent(parent, stop))
    try:
        await serve(url, settings, stop, sock=sock, worker=index)
    finally:
        watch.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await watch


async def _watch_parent(parent: int, stop: asyncio.Event) -> None:
    """Set ``stop`` once the supervisor ``parent`` is gone (the worker was re-parented)."""
    while not stop.is_set():
        await asyncio.sleep(PARENT_CHECK_S)
        if os.getppid() != parent:
            log.warning("receiver supervisor %d is gone; stopping", parent)
            stop.set()


def _supervise(children: dict[int, int]) -> int:
    """Wait for the workers; pass SIGINT/SIGTERM on, and stop all when one fails."""

    def forward(signum: int, frame: FrameType | None) -> None:
        _signal_all(children, signal.SIGTERM)

    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, forward)
    status = 0
    while children:
        try:
            pid, wait_status = os.wait()
        except ChildProcessError:
            break
        index = children.pop(pid, None)
        code = os.waitstatus_to_exitcode(wait_status)
        if index is not None and code != 0:
            log.error("receiver worker %d ended with status %d; stopping the others", index, code)
            status = 1
            _signal_all(children, signal.SIGTERM)
    return status


def _signal_all(children: dict[int, int], signum: int) -> None:
    """Send ``signum`` to every worker still running."""
    for pid in children:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signum)
