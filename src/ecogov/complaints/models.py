"""Complaint records (信访投诉): the complaint and its moves, its photos, the complainant's
identity (a table of its own, readable only by the handling officers), and rewards.

A complaint is region-scoped (the county or unit handling it) and optionally linked to the
enterprise concerned; the identity table is a separate resource kind so no query of complaints,
no page and no export can carry a name, phone or e-mail by accident.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Integer,
    LargeBinary,
    Numeric,
    String,
    Text,
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

CATEGORIES = ("air", "water", "noise", "waste", "odour", "other")
"""What a complaint is about: 大气、水、噪声、固废、异味、其他."""
CHANNELS = ("portal", "phone_12345", "phone_12369", "import_12345")
"""How it came in: the public portal, an officer logging a 12345 or 12369 call, a 12345 export."""

RECORDS = "complaints.records"
IDENTITY = "complaints.identity"


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Complaint(IdMixin, RegionScoped, EnterpriseScoped, Base):
    """A complaint: what, where, its state on the complaint machine and the running clock's
    end (``due_on``), the case it is linked into (``cluster_id``: the first complaint of the
    case), the handling unit, and the public answer. ``code_hash`` is the sha256 of the receipt
    code (查询码) the complainant follows it with; the code itself is never stored."""

    __tablename__ = "complaint"
    __resource_kind__ = RECORDS
    __table_args__ = (
        CheckConstraint(_in("category", CATEGORIES), name="category"),
        CheckConstraint(_in("channel", CHANNELS), name="channel"),
    )

    no: Mapped[str] = mapped_column(String(24), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    channel: Mapped[str] = mapped_column(String(16))
    external_no: Mapped[str | None] = mapped_column(String(64), unique=True)
    category: Mapped[str] = mapped_column(String(8), index=True)
    text: Mapped[str] = mapped_column(Text)
    address: Mapped[str | None] = mapped_column(String(256))
    lon: Mapped[float | None] = mapped_column(Float)
    lat: Mapped[float | None] = mapped_column(Float)
    anonymous: Mapped[bool] = mapped_column(Boolean, default=True)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    received_on: Mapped[date] = mapped_column(Date)
    state: Mapped[str] = mapped_column(String(16), default="registered", index=True)
    due_on: Mapped[date | None] = mapped_column(Date, index=True)
    accepted_on: Mapped[date | None] = mapped_column(Date)
    extended: Mapped[bool] = mapped_column(Boolean, default=False)
    unit_name: Mapped[str | None] = mapped_column(String(64))
    cluster_id: Mapped[int | None] = mapped_column(Integer, index=True)
    verified: Mapped[bool | None] = mapped_column(Boolean)
    answer: Mapped[str | None] = mapped_column(Text)
    answered_on: Mapped[date | None] = mapped_column(Date)
    satisfaction: Mapped[str | None] = mapped_column(String(16))
    reason: Mapped[str | None] = mapped_column(Text)
    """Why it was not accepted (不予受理理由), shown to the public."""
    rectification_ref: Mapped[str | None] = mapped_column(String(64))
    filed_by: Mapped[str] = mapped_column(String(64))


class ComplaintEvent(IdMixin, RegionScoped, Base):
    """A move of a complaint (the timeline): who, from what state to what, with the note."""

    __tablename__ = "complaint_event"
    __resource_kind__ = RECORDS

    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaint.id"), index=True)
    move: Mapped[str] = mapped_column(String(32))
    from_state: Mapped[str] = mapped_column(String(16))
    to_state: Mapped[str] = mapped_column(String(16))
    actor: Mapped[str] = mapped_column(String(64))
    note: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ComplaintPhoto(IdMixin, RegionScoped, Base):
    """A photo sent with a complaint (checked type and size; always served as an attachment)."""

    __tablename__ = "complaint_photo"
    __resource_kind__ = RECORDS

    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaint.id"), index=True)
    filename: Mapped[str] = mapped_column(String(256))
    content_type: Mapped[str] = mapped_column(String(32))
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary)


class ComplainantIdentity(IdMixin, RegionScoped, Base):
    """Who complained and from where: name, phone, e-mail, the client address, and the hash of
    the normalised contact the abuse limits count by. Readable only by the handling officers;
    every read goes through :func:`ecogov.complaints.service.identity_of`, which audits it. The
    audit log records its rows with the personal columns redacted."""

    __tablename__ = "complainant_identity"
    __resource_kind__ = IDENTITY
    __redacted__ = frozenset({"name", "phone", "email", "contact_hash", "client_ip"})

    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaint.id"), unique=True)
    name: Mapped[str | None] = mapped_column(String(64))
    phone: Mapped[str | None] = mapped_column(String(32))
    email: Mapped[str | None] = mapped_column(String(128))
    contact_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    client_ip: Mapped[str | None] = mapped_column(String(64), index=True)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


class ComplaintReward(IdMixin, RegionScoped, Base):
    """A reward granted for a verified report (有奖举报, GOVERNANCE.md §4.3)."""

    __tablename__ = "complaint_reward"
    __resource_kind__ = RECORDS

    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaint.id"), unique=True)
    amount_yuan: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    decided_on: Mapped[date] = mapped_column(Date)
    decided_by: Mapped[str] = mapped_column(String(64))
    note: Mapped[str | None] = mapped_column(Text)
