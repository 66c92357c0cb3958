"""Receivers as separate processes, HAProxy in front of several, and a throwaway PostgreSQL
server: the harness of the scale-out and fault tests (and of ``benchmarks/capacity_sim.py``).

Every process runs in a session of its own and is killed (SIGKILL of its process group) if still
running when its context ends, so a failing test leaves nothing behind. The throwaway PostgreSQL
cluster lives in a temporary folder, on a free port of its own: restarting it touches no other
server on the machine.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import selectors
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from sqlalchemy import select

from ecogov.hj212.models import Record
from ecogov.platform.db import Database
from ecogov.platform.scope import SYSTEM

ECOGOV: Final = str(Path(sys.executable).parent / "ecogov")
LISTENING: Final = re.compile(rb"listening on [\d.]+:(\d+)")
SEARCH_PATH: Final = os.pathsep.join([os.environ.get("PATH", os.defpath), "/usr/sbin"])
"""Where programs are looked for: the PATH, and ``/usr/sbin`` (HAProxy's place on Debian)."""
HAPROXY: Final = shutil.which("haproxy", path=SEARCH_PATH)
POSTGRES_BIN: Final = Path(os.environ.get("ECOGOV_TEST_POSTGRES_BIN", "/usr/lib/postgresql/15/bin"))
HEALTH_CHECK_MS: Final = 200
"""How often [ms] HAProxy probes each receiver; one failed probe takes it out of rotation."""
HAPROXY_CONFIG: Final = """\
global
    maxconn 8000

defaults
    mode tcp
    timeout connect 1s
    timeout client 10m
    timeout server 10m
    retries 3
    option redispatch

frontend hj212
    bind 127.0.0.1:{port}
    default_backend receivers

backend receivers
    balance roundrobin
{servers}
"""
"""A TCP balancer over the receivers: round robin, a connection refused by a dead receiver is
tried on another (``retries``, ``redispatch``), and a receiver failing its health check gets no
new connections until it answers again. Idle timeouts are the receiver's own (10 minutes): a
logger sending once a minute or once an hour keeps its connection."""


def free_port() -> int:
    """A loopback TCP port nobody listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


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
def spawned_receiver(
    url: str, port: int, log: Path, workers: int = 1
) -> Iterator[subprocess.Popen[bytes]]:
    """``ecogov hj212 serve`` on the database ``url`` started as a child process in a session of
    its own (its workers with it), not yet listening; the whole session is killed if still
    running at the end."""
    with log.open("ab") as errors:
        process = subprocess.Popen(
            [ECOGOV, "hj212", "serve", "--port", str(port), "--workers", str(workers)],
            env={**os.environ, "ECOGOV_DATABASE_URL": url},
            stdout=subprocess.PIPE,
            stderr=errors,
            start_new_session=True,
        )
    try:
        yield process
    finally:
        kill_all(process)
        process.wait(timeout=30)
        assert process.stdout is not None
        process.stdout.close()


@contextmanager
def receiver_process(
    url: str, port: int, log: Path, workers: int = 1
) -> Iterator[tuple[subprocess.Popen[bytes], int]]:
    """A :func:`spawned_receiver` once it listens, with the port it listens on."""
    with spawned_receiver(url, port, log, workers) as process:
        yield process, _listening_port(process)


def kill_all(process: subprocess.Popen[bytes]) -> None:
    """SIGKILL a process and every process it forked (its process group), if still there."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)


def wait_listening(port: int, process: subprocess.Popen[bytes], timeout: float = 20.0) -> None:
    """Wait until ``process`` accepts connections on the loopback ``port`` (bounded)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, f"exited with status {process.returncode}"
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.5):
            return
        time.sleep(0.05)
    raise AssertionError(f"nothing listens on port {port}")


def haproxy_config(port: int, backends: list[int]) -> str:
    """The configuration of :data:`HAPROXY_CONFIG` listening on ``port`` over the receivers'
    loopback ports ``backends``."""
    servers = "\n".join(
        f"    server receiver{index} 127.0.0.1:{backend} "
        f"check inter {HEALTH_CHECK_MS} fall 1 rise 1"
        for index, backend in enumerate(backends)
    )
    return HAPROXY_CONFIG.format(port=port, servers=servers)


@contextmanager
def balancer(backends: list[int], folder: Path) -> Iterator[tuple[subprocess.Popen[bytes], int]]:
    """HAProxy (TCP mode) in front of the receivers listening on ``backends``; yields its process
    and the port loggers connect to. Its configuration and log stay in ``folder``."""
    assert HAPROXY is not None, "haproxy is not installed"
    port = free_port()
    config = folder / "haproxy.cfg"
    config.write_text(haproxy_config(port, backends))
    with (folder / "haproxy.log").open("ab") as log:
        process = subprocess.Popen(
            [HAPROXY, "-db", "-f", str(config)],
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        wait_listening(port, process)
        yield process, port
    finally:
        kill_all(process)
        process.wait(timeout=30)


@dataclass
class ReceiverCluster:
    """Receiver processes sharing one database behind HAProxy (``balancer``): ``port`` is the
    balancer's, ``backends`` the receivers' own."""

    port: int
    backends: list[int]
    processes: list[subprocess.Popen[bytes]]
    balancer: subprocess.Popen[bytes]


@contextmanager
def receiver_cluster(url: str, folder: Path, receivers: int = 2) -> Iterator[ReceiverCluster]:
    """``receivers`` receiver processes on the database ``url``, each on its own port, and
    HAProxy in front of them (logs in ``folder``)."""
    with contextlib.ExitStack() as stack:
        processes = [  # all started before any is waited for: each takes seconds to start
            stack.enter_context(spawned_receiver(url, 0, folder / f"receiver{index}.log"))
            for index in range(receivers)
        ]
        backends = [_listening_port(process) for process in processes]
        haproxy, port = stack.enter_context(balancer(backends, folder))
        yield ReceiverCluster(port, backends, processes, haproxy)


def stop_cleanly(process: subprocess.Popen[bytes], timeout: float = 60.0) -> int:
    """SIGTERM a receiver and wait for it to commit what it received; its exit status."""
    process.send_signal(signal.SIGTERM)
    return process.wait(timeout=timeout)


# What was acknowledged against what is stored


def acked(path: Path) -> list[dict[str, Any]]:
    """The packets of a simulator's acked log (complete lines only: it may be being written)."""
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.endswith("}")]


@dataclass(frozen=True)
class Reconciliation:
    """The store against an acked log: its acknowledgements (``acks``, a packet acknowledged
    again counted again) and the packets they name (``acknowledged``), acknowledged packets
    missing or stored with other values (``lost``), stored records no acknowledgement covers
    (``unacknowledged``), and records written more than once with different values
    (``revised``: a resend stored as a change)."""

    acks: int
    acknowledged: int
    lost: int
    unacknowledged: int
    revised: int


def reconcile(db: Database, log: Path, mns: set[str]) -> Reconciliation:
    """Compare the records of the devices ``mns`` with the packets of the acked ``log``."""
    with db.transaction(SYSTEM) as session:
        rows = session.execute(
            select(Record.mn, Record.cn, Record.data_time, Record.cp, Record.revisions).where(
                Record.mn.in_(mns)
            )
        ).all()
    stored = {(mn, cn, at): cp for mn, cn, at, cp, _ in rows}
    lines = acked(log)
    packets = {(p["mn"], p["cn"], p["data_time"]): p["cp"] for p in lines}
    return Reconciliation(
        acks=len(lines),
        acknowledged=len(packets),
        lost=sum(stored.get(key) != cp for key, cp in packets.items()),
        unacknowledged=len(stored.keys() - packets.keys()),
        revised=sum(revisions > 0 for *_, revisions in rows),
    )


# A throwaway PostgreSQL server


def postgres_missing() -> str | None:
    """Why a throwaway PostgreSQL server cannot be started here, or None when it can."""
    for name in ("initdb", "pg_ctl"):
        if not (POSTGRES_BIN / name).is_file():
            return f"PostgreSQL server binaries not found in {POSTGRES_BIN} ({name})"
    if os.geteuid() == 0 and shutil.which("runuser") is None:
        return "running as root without runuser: cannot start PostgreSQL as another user"
    return None


@dataclass
class ThrowawayPostgres:
    """A PostgreSQL cluster of this test alone: its data folder, port and database URL."""

    data: Path
    port: int

    @property
    def url(self) -> str:
        """The URL of its ``postgres`` database."""
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, *command: str) -> None:
        """Run a server program (as the ``postgres`` OS user when this runs as root)."""
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        subprocess.run(
            [*prefix, *command], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )

    def start(self) -> None:
        """Start the server and wait until it accepts connections."""
        self._run(
            str(POSTGRES_BIN / "pg_ctl"),
            "start",
            "-w",
            "-D",
            str(self.data),
            "-l",
            str(self.data / "server.log"),
            "-o",
            f"-p {self.port} -k {self.data}",
        )

    def stop(self, mode: str = "fast") -> None:
        """Stop the server (``immediate``: as a crash, recovering from its WAL at the next
        start)."""
        self._run(str(POSTGRES_BIN / "pg_ctl"), "stop", "-w", "-m", mode, "-D", str(self.data))


@contextmanager
def throwaway_postgres() -> Iterator[ThrowawayPostgres]:
    """A new PostgreSQL cluster (``initdb``, trust authentication on loopback) on a free port,
    started; stopped and removed at the end. Under root its folder belongs to ``postgres``."""
    folder = Path(tempfile.mkdtemp(prefix="ecogov-pg-"))
    data = folder / "data"
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    server = ThrowawayPostgres(data, free_port())
    try:
        server._run(
            str(POSTGRES_BIN / "initdb"),
            "-D",
            str(data),
            "-U",
            "postgres",
            "--auth=trust",
            "--encoding=UTF8",
            "--no-sync",
        )
        with (data / "postgresql.conf").open("a") as conf:
            conf.write("listen_addresses = '127.0.0.1'\nmax_connections = 50\n")
        server.start()
        yield server
    finally:
        with contextlib.suppress(subprocess.CalledProcessError):
            server.stop("immediate")
        shutil.rmtree(folder, ignore_errors=True)
