"""The record of every generated report (已生成报告): which region and month, which layout,
when, by whom, on demand or by the monthly schedule, and the figures it printed with their
sources — so a report can be downloaded again exactly as generated and every number in it
traced to the query that produced it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, String
from sqlalchemy.orm import Mapped, mapped_column

from ecogov.platform.models import Base, IdMixin, RegionScoped, UTCDateTime, utcnow
from ecogov.reports.access import MONTHLY

KINDS = ("monthly", "ranking")
"""环境质量月报 and 排名通报."""
TRIGGERS = ("demand", "schedule")


class GeneratedReport(IdMixin, RegionScoped, Base):
    """One generated report of a region and month; the schedule keeps one per (kind, region,
    period) and does not generate it twice."""

    __tablename__ = "generated_report"
    __resource_kind__ = MONTHLY
    __leader_writes__ = frozenset({"insert"})
    __table_args__ = (
        CheckConstraint("kind IN ('monthly', 'ranking')", name="kind"),
        CheckConstraint("trigger IN ('demand', 'schedule')", name="trigger"),
    )

    kind: Mapped[str] = mapped_column(String(16))
    period: Mapped[str] = mapped_column(String(7), index=True)
    layout: Mapped[str] = mapped_column(String(64))
    trigger: Mapped[str] = mapped_column(String(16))
    generated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    generated_by: Mapped[str] = mapped_column(String(64))
    figures: Mapped[dict[str, Any]] = mapped_column(JSON)
