"""Group commit: durable before acknowledged, at the throughput of batches.

Every connection hands its outcomes to one :class:`GroupCommitter`. It gathers them for at most
``max_delay`` seconds (or ``max_items`` outcomes), writes them in one transaction on the
database thread, and only once that transaction has committed hands each outcome's reply back
to its connection. While one batch is being written the next one fills, so a slow commit
yields larger batches rather than a longer queue.

A batch that fails is never acknowledged. An operational error (database unreachable, locked,
disk full) is retried with back-off until it succeeds — the devices, unanswered, resend
meanwhile, and reading from them pauses while the backlog is over its limit. A batch refused
for its content is written again outcome by outcome, so one bad row costs only its own ack.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import time
from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass

import psycopg
from sqlalchemy.exc import OperationalError

from ecogov.hj212.intake import Outcome
from ecogov.hj212.store import Batch, Written

log = logging.getLogger(__name__)

Deliver = Callable[[bytes], None]
"""Sends a reply on the connection an outcome came from."""
Writer = Callable[[Batch], Written]
"""Writes and commits a batch (runs on the database thread)."""
TRANSIENT = (OperationalError, psycopg.OperationalError, sqlite3.OperationalError)
"""Errors of the database rather than of the rows (unreachable, locked, disk full): retried."""


@dataclass
class CommitStats:
    """Counters of the committer since it started."""

    batches: int = 0
    outcomes: int = 0
    changed: int = 0
    unchanged: int = 0
    failures: int = 0
    last_batch: int = 0
    last_seconds: float = 0.0


class GroupCommitter:
    """Collects outcomes from all connections and commits them in groups (module docstring)."""

    def __init__(
        self,
        write: Writer,
        executor: Executor,
        *,
        max_items: int = 2000,
        max_delay: float = 0.002,
        max_backlog: int = 50_000,
        retry_delay: float = 0.5,
    ) -> None:
        self._write = write
        self._executor = executor
        self._max_items = max_items
        self._max_delay = max_delay
        self._max_backlog = max_backlog
        self._retry_delay = retry_delay
        self._pending: list[tuple[Outcome, Deliver | None]] = []
        self._first_at = 0.0
        self._wakeup = asyncio.Event()
        self._drained = asyncio.Event()
        self._drained.set()
        self.stats = CommitStats()

    @property
    def backlog(self) -> int:
        """Outcomes waiting for a commit."""
        return len(self._pending)

    @property
    def overloaded(self) -> bool:
        """Whether connections should stop reading until the backlog is written."""
        return len(self._pending) >= self._max_backlog

    def submit(self, outcome: Outcome, deliver: Deliver | None) -> None:
        """Queue an outcome; its reply (if any) goes to ``deliver`` after the commit."""
        if not self._pending:
            self._first_at = time.monotonic()
        self._pending.append((outcome, deliver))
        self._drained.clear()
        self._wakeup.set()

    async def drained(self) -> None:
        """Wait until everything submitted so far is committed (or abandoned)."""
        await self._drained.wait()

    async def run(self) -> None:
        """Write batches until cancelled; cancel it only after :meth:`drained`."""
        while True:
            await self._wakeup.wait()
            wait = self._first_at + self._max_delay - time.monotonic()
            if len(self._pending) < self._max_items and wait > 0:
                await asyncio.sleep(wait)
            taken = self._pending[: self._max_items]
            del self._pending[: self._max_items]
            if self._pending:
                self._first_at = time.monotonic()
            else:
                self._wakeup.clear()
            await self._commit(taken)
            if not self._pending:
                self._drained.set()

    async def _commit(self, taken: list[tuple[Outcome, Deliver | None]]) -> None:
        """Write ``taken`` until it is durable, then deliver the replies."""
        loop = asyncio.get_running_loop()
        started = time.monotonic()
        while True:
            try:
                written = await loop.run_in_executor(self._executor, self._write, _batch(taken))
                break
            except TRANSIENT as error:
                self.stats.failures += 1
                log.warning("batch of %d not written, retrying: %s", len(taken), error)
                await asyncio.sleep(self._retry_delay)
            except Exception as error:  # a row the database refuses: isolate it
                self.stats.failures += 1
                log.error("batch of %d refused, writing one by one: %s", len(taken), error)
                await self._one_by_one(taken)
                return
        self._count(len(taken), written, time.monotonic() - started)
        _deliver(taken)

    async def _one_by_one(self, taken: list[tuple[Outcome, Deliver | None]]) -> None:
        """Write each outcome alone; those still refused are dropped unanswered and logged."""
        loop = asyncio.get_running_loop()
        for item in taken:
            try:
                written = await loop.run_in_executor(self._executor, self._write, _batch([item]))
            except Exception as error:  # never acknowledged; the device will resend it
                log.error("outcome dropped unanswered (%s): %s", item[0].archive, error)
                continue
            self._count(1, written, 0.0)
            _deliver([item])

    def _count(self, outcomes: int, written: Written, seconds: float) -> None:
        stats = self.stats
        stats.batches += 1
        stats.outcomes += outcomes
        stats.changed += written.changed
        stats.unchanged += written.unchanged
        stats.last_batch = outcomes
        stats.last_seconds = seconds


def _batch(items: list[tuple[Outcome, Deliver | None]]) -> Batch:
    batch = Batch()
    for outcome, _ in items:
        batch.add(outcome)
    return batch


def _deliver(items: list[tuple[Outcome, Deliver | None]]) -> None:
    """Send the replies of committed outcomes, in the order they were received."""
    for outcome, deliver in items:
        if deliver is not None and outcome.reply is not None:
            deliver(outcome.reply)
