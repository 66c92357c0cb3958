"""Heavy-pollution warnings (重污染天气预警), their decision trail, and the emergency-reduction
list (应急减排清单): what each enterprise does at each warning level.

A warning belongs to a city (its region code); its events are the officers' decisions with their
notes; a reduction measure belongs to an enterprise (enterprise users read their own).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from ecogov.platform.models import Base, EnterpriseScoped, IdMixin, RegionScoped, UTCDateTime

WARNINGS = "emergency.warnings"
REDUCTIONS = "emergency.reductions"
STATES = ("suggested", "published", "adjusted", "lifted", "rejected")
LEVELS = ("blue", "yellow", "orange", "red")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class AirWarning(IdMixin, RegionScoped, Base):
    """A warning of a city: its level on the warning machine, the edition of the criteria and
    the reason the level was suggested, the forecast it rests on (daily: date, AQI, level), and
    the period it covers (Beijing dates)."""

    __tablename__ = "emergency_warning"
    __resource_kind__ = WARNINGS
    __table_args__ = (
        CheckConstraint(_in("state", STATES), name="state"),
        CheckConstraint(_in("level", LEVELS), name="level"),
    )

    level: Mapped[str] = mapped_column(String(8))
    suggested_level: Mapped[str] = mapped_column(String(8))
    state: Mapped[str] = mapped_column(String(12), default="suggested", index=True)
    edition: Mapped[str] = mapped_column(String(16))
    reason_zh: Mapped[str] = mapped_column(Text)
    reason_en: Mapped[str] = mapped_column(Text)
    forecast: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    starts_on: Mapped[date] = mapped_column(Date, index=True)
    ends_on: Mapped[date] = mapped_column(Date)
    issued_on: Mapped[date] = mapped_column(Date)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    lifted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    suggested_by: Mapped[str] = mapped_column(String(64))


class WarningEvent(IdMixin, RegionScoped, Base):
    """One decision on a warning: the move, the states and levels before and after, who made it
    and why (the officer's note)."""

    __tablename__ = "emergency_warning_event"
    __resource_kind__ = WARNINGS

    warning_id: Mapped[int] = mapped_column(ForeignKey("emergency_warning.id"), index=True)
    move: Mapped[str] = mapped_column(String(16))
    from_state: Mapped[str] = mapped_column(String(12))
    to_state: Mapped[str] = mapped_column(String(12))
    level_before: Mapped[str | None] = mapped_column(String(8))
    level_after: Mapped[str] = mapped_column(String(8))
    actor: Mapped[str] = mapped_column(String(64))
    note: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UTCDateTime)


class ReductionMeasure(IdMixin, RegionScoped, EnterpriseScoped, Base):
    """An enterprise's measure at one warning level (应急减排措施): what it does, the production
    cut [%] and the factors it reduces (HJ 212 codes, comma-separated), from the imported list."""

    __tablename__ = "emergency_reduction_measure"
    __resource_kind__ = REDUCTIONS
    __table_args__ = (
        UniqueConstraint("enterprise_id", "level", name="enterprise_level"),
        CheckConstraint(_in("level", LEVELS), name="level"),
    )

    level: Mapped[str] = mapped_column(String(8))
    cut_pct: Mapped[float] = mapped_column(Float)
    measures: Mapped[str] = mapped_column(Text)
    factors: Mapped[str] = mapped_column(String(128), default="")
    source_file: Mapped[str] = mapped_column(String(256))
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime)


class WarningTask(IdMixin, RegionScoped, EnterpriseScoped, Base):
    """A task a published warning gave a unit: the enterprise's reduction at the warning's
    level, tracked as the rectification item its alert was converted into."""

    __tablename__ = "emergency_warning_task"
    __resource_kind__ = WARNINGS
    __table_args__ = (UniqueConstraint("warning_id", "enterprise_id", "level", name="once"),)

    warning_id: Mapped[int] = mapped_column(ForeignKey("emergency_warning.id"), index=True)
    level: Mapped[str] = mapped_column(String(8))
    alert_id: Mapped[int] = mapped_column(Integer)
    item_ref: Mapped[str] = mapped_column(String(64))
