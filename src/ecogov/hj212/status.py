"""The receiver's status (接收状态): connections, packet rate, stored records, rejects by reason.

A running receiver keeps its counters in memory (:class:`Counters`) and writes a snapshot to the
database every few seconds, so the web platform — another process — can show it.
"""

from __future__ import annotations

import time
from collections import Counter, deque
from dataclasses import asdict, dataclass, field
from datetime import datetime

from sqlalchemy import select

from ecogov.hj212.access import RECEIVER
from ecogov.hj212.models import ReceiverStatus
from ecogov.platform.db import Database
from ecogov.platform.models import utcnow
from ecogov.platform.permissions import authorize
from ecogov.platform.scope import SYSTEM, Principal

RATE_WINDOW_S = 10.0
"""Packets per second are averaged over this many seconds [s]."""


@dataclass(frozen=True)
class StatusView:
    """A receiver's last reported status."""

    listen: str
    started_at: datetime
    updated_at: datetime
    connections: int
    packets: int
    stored: int
    rejected: int
    packets_per_s: float
    rejects_by_reason: dict[str, int]


@dataclass
class Counters:
    """What a receiver counts while it runs."""

    listen: str
    started_at: datetime = field(default_factory=utcnow)
    connections: int = 0
    packets: int = 0
    stored: int = 0
    rejects: Counter[str] = field(default_factory=Counter)
    _samples: deque[tuple[float, int]] = field(default_factory=deque)

    def rate(self) -> float:
        """Packets per second over the last :data:`RATE_WINDOW_S` seconds."""
        now = time.monotonic()
        samples = self._samples
        samples.append((now, self.packets))
        while len(samples) > 2 and now - samples[1][0] >= RATE_WINDOW_S:
            samples.popleft()
        first_at, first = samples[0]
        return 0.0 if now <= first_at else (self.packets - first) / (now - first_at)

    def snapshot(self) -> StatusView:
        """The counters as a status view, stamped now."""
        return StatusView(
            listen=self.listen,
            started_at=self.started_at,
            updated_at=utcnow(),
            connections=self.connections,
            packets=self.packets,
            stored=self.stored,
            rejected=sum(self.rejects.values()),
            packets_per_s=round(self.rate(), 1),
            rejects_by_reason=dict(self.rejects),
        )


def write_status(db: Database, view: StatusView) -> None:
    """Replace the stored status of the receiver on ``view.listen``."""
    with db.transaction(SYSTEM, action="hj212.receiver.status") as session:
        session.merge(ReceiverStatus(**asdict(view)))


def read_status(db: Database, principal: Principal) -> list[StatusView]:
    """Every receiver's last status (officers and admins)."""
    authorize(principal, "read", RECEIVER)
    with db.transaction(principal) as session:
        rows = session.scalars(select(ReceiverStatus).order_by(ReceiverStatus.listen))
        return [
            StatusView(
                listen=row.listen,
                started_at=row.started_at,
                updated_at=row.updated_at,
                connections=row.connections,
                packets=row.packets,
                stored=row.stored,
                rejected=row.rejected,
                packets_per_s=row.packets_per_s,
                rejects_by_reason=dict(row.rejects_by_reason),
            )
            for row in rows
        ]
