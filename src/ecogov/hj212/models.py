"""HJ 212 online-monitoring data and the receiver's books.

* :class:`Record` — one upload per (MN, CN, DataTime): real-time 2011, minute 2051, hourly 2061,
  daily 2031 … The key makes resends idempotent.
* :class:`ArchiveSegment` — every frame received, as bytes, with what became of it, by commit.
* :class:`Reject` — the rejects ledger: every refused or unreadable frame and why.
* :class:`SplitPart` — parts of split packets (PNUM/PNO) acknowledged but not yet complete, so
  an acknowledged part survives a restart of the receiver.
* :class:`Command` — reverse commands (反控) sent to devices, tracked until their 9012 result.
* :class:`ReceiverStatus` — what each running receiver last reported about itself.

Times of the bulk tables are integers (``data_time`` [Unix s], ``received_at`` [Unix ms]) so the
receiver writes them without conversion; HJ 212 ``DataTime`` is Beijing time (UTC+8) on the wire.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    Float,
    ForeignKey,
    Integer,
    LargeBinary,
    PrimaryKeyConstraint,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from ecogov.platform.models import (
    Base,
    EnterpriseScoped,
    IdMixin,
    RegionScoped,
    UTCDateTime,
    utcnow,
)

BigId = BigInteger().with_variant(Integer(), "sqlite")
"""A 64-bit surrogate key (SQLite auto-increments only an ``INTEGER`` primary key)."""

COMMAND_STATES = (
    "queued",
    "sent",
    "accepted",
    "succeeded",
    "failed",
    "refused",
    "timed_out",
    "expired",
)
"""States of a reverse command (see :mod:`ecogov.hj212.commands`)."""


class Record(Base):
    """One upload of a device: its CP area as received (``cp``, split packets joined), keyed by
    MN, CN and ``data_time`` (the CP's DataTime [Unix s]: the start of the interval for 2051,
    2061 and 2031, the sampling instant for 2011). ``revisions`` counts resends that changed it.

    Bulk data: written by the receiver in batches (not audited row by row, not scoped by the
    session guard: the read services check the device's scope).
    """

    __tablename__ = "hj212_record"
    __audited__ = False
    __scope_exempt__ = True
    # An ordinary table on SQLite too: rows in arrival order, the key in its own narrow index
    # (hj212_0002: clustering on the key made every commit rewrite a page per device).
    __table_args__ = (PrimaryKeyConstraint("mn", "cn", "data_time", name="pk_hj212_record"),)

    mn: Mapped[str] = mapped_column(String(24))
    cn: Mapped[str] = mapped_column(String(4))
    data_time: Mapped[int] = mapped_column(BigInteger)
    st: Mapped[str] = mapped_column(String(2))
    qn: Mapped[str | None] = mapped_column(String(20))
    cp: Mapped[str] = mapped_column(Text)
    received_at: Mapped[int] = mapped_column(BigInteger)
    revisions: Mapped[int] = mapped_column(Integer, default=0)


class ArchiveSegment(Base):
    """The frames one commit of the receiver archived (see :mod:`ecogov.hj212.archive`):
    ``data`` holds their bytes one after the other, ``entries`` one JSON entry per frame."""

    __tablename__ = "hj212_archive_segment"
    __audited__ = False
    __scope_exempt__ = True

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    received_from: Mapped[int] = mapped_column(BigInteger)
    received_to: Mapped[int] = mapped_column(BigInteger, index=True)
    frames: Mapped[int] = mapped_column(Integer)
    entries: Mapped[str] = mapped_column(Text)
    data: Mapped[bytes] = mapped_column(LargeBinary)


class Reject(Base):
    """The rejects ledger: a refused or unreadable frame, the stable ``reason`` code (a codec
    violation code such as ``crc-mismatch``, or ``unknown-mn``, ``wrong-pw`` …) and a ``detail``
    saying what and where. ``raw`` holds the frame's first bytes when there was a frame."""

    __tablename__ = "hj212_reject"
    __audited__ = False
    __scope_exempt__ = True

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    received_at: Mapped[int] = mapped_column(BigInteger, index=True)
    peer: Mapped[str] = mapped_column(String(64))
    mn: Mapped[str | None] = mapped_column(String(24), index=True)
    cn: Mapped[str | None] = mapped_column(String(4))
    qn: Mapped[str | None] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(String(32), index=True)
    detail: Mapped[str] = mapped_column(Text)
    raw: Mapped[bytes | None] = mapped_column(LargeBinary)


class SplitPart(Base):
    """An acknowledged part of a split packet whose other parts have not all arrived.

    Keyed like the codec's reassembly groups (MN, ST, CN, PNUM, DataTime text) plus PNO;
    ``segment`` is the part's data segment text. Deleted when its group completes.
    """

    __tablename__ = "hj212_split_part"
    __audited__ = False
    __scope_exempt__ = True
    __table_args__ = (
        PrimaryKeyConstraint(
            "mn", "st", "cn", "pnum", "data_time", "pno", name="pk_hj212_split_part"
        ),
    )

    mn: Mapped[str] = mapped_column(String(24))
    st: Mapped[str] = mapped_column(String(2))
    cn: Mapped[str] = mapped_column(String(4))
    pnum: Mapped[int] = mapped_column(Integer)
    data_time: Mapped[str] = mapped_column(String(17))
    pno: Mapped[int] = mapped_column(Integer)
    segment: Mapped[str] = mapped_column(Text)
    received_at: Mapped[int] = mapped_column(BigInteger)


class Command(IdMixin, RegionScoped, EnterpriseScoped, Base):
    """A reverse command (反控命令) to a device, from request to its 9012 execution result.

    ``params`` are the CP fields sent; ``response`` the fields the device answered with (e.g.
    ``SystemTime`` for 1011). ``qn_rtn`` (Table 7) and ``exe_rtn`` (Table 6) as received.
    """

    __tablename__ = "hj212_command"
    __table_args__ = (
        UniqueConstraint("mn", "qn"),
        CheckConstraint(
            "state IN (" + ", ".join(f"'{state}'" for state in COMMAND_STATES) + ")",
            name="state",
        ),
    )

    device_id: Mapped[int] = mapped_column(Integer, ForeignKey("monitoring_device.id"))
    enterprise_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("enterprise.enterprise_id"), index=True
    )
    mn: Mapped[str] = mapped_column(String(24), index=True)
    cn: Mapped[str] = mapped_column(String(4))
    qn: Mapped[str] = mapped_column(String(20))
    params: Mapped[dict[str, Any]] = mapped_column(JSON)
    state: Mapped[str] = mapped_column(String(16), index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    qn_rtn: Mapped[int | None] = mapped_column(Integer)
    exe_rtn: Mapped[int | None] = mapped_column(Integer)
    response: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    requested_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ReceiverStatus(Base):
    """The last status report of a receiver listening on ``listen`` (host:port)."""

    __tablename__ = "hj212_receiver_status"
    __audited__ = False
    __scope_exempt__ = True

    listen: Mapped[str] = mapped_column(String(64), primary_key=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    connections: Mapped[int] = mapped_column(Integer)
    packets: Mapped[int] = mapped_column(BigInteger)
    stored: Mapped[int] = mapped_column(BigInteger)
    rejected: Mapped[int] = mapped_column(BigInteger)
    packets_per_s: Mapped[float] = mapped_column(Float)
    rejects_by_reason: Mapped[dict[str, int]] = mapped_column(JSON)


class DeviceStat(Base):
    """The statistics of one factor of one device over one Beijing-time hour or day (``span``
    ``hour``/``day``, ``start`` [Unix s]) of its hourly (2061) records: mean, minimum and
    maximum of the valid values, ``count`` the valid hours and ``expected`` the hours the span
    holds (its coverage), as :func:`ecogov.hj212.frames.device_stats` computes them.

    Derived bulk data, recomputed for the hours and days a batch touches in the batch's
    transaction (:mod:`ecogov.hj212.aggregates`): not audited row by row, not scoped by the
    session guard (the read services check the device's scope).
    """

    __tablename__ = "hj212_device_stat"
    __audited__ = False
    __scope_exempt__ = True
    __table_args__ = (
        PrimaryKeyConstraint("mn", "span", "start", "code", name="pk_hj212_device_stat"),
        CheckConstraint("span IN ('hour', 'day')", name="span"),
    )

    mn: Mapped[str] = mapped_column(String(24))
    span: Mapped[str] = mapped_column(String(4))
    start: Mapped[int] = mapped_column(BigInteger)
    code: Mapped[str] = mapped_column(String(16))
    avg: Mapped[float | None] = mapped_column(Float)
    min: Mapped[float | None] = mapped_column(Float)
    max: Mapped[float | None] = mapped_column(Float)
    count: Mapped[int] = mapped_column(Integer)
    expected: Mapped[int] = mapped_column(Integer)


class PendingStat(Base):
    """A device-day whose statistics (:class:`DeviceStat`) wait to be recomputed: what the
    receiver marks in its commit instead of recomputing them there (an hourly upload would
    otherwise re-read and re-decode its whole day at every packet), settled by its periodic
    job within seconds (:func:`ecogov.hj212.aggregates.settle`). Derived bookkeeping: not
    audited, not scoped."""

    __tablename__ = "hj212_stat_pending"
    __audited__ = False
    __scope_exempt__ = True
    __table_args__ = (PrimaryKeyConstraint("mn", "start", name="pk_hj212_stat_pending"),)

    mn: Mapped[str] = mapped_column(String(24))
    start: Mapped[int] = mapped_column(BigInteger)
    """The Beijing day [Unix s of its start]."""
    token: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    """The random token of the batch that marked the day last: a settle stores the day's
    statistics only if the token is still the one it read."""
