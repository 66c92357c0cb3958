"""Surface-water sections (地表水监测断面) and their observations."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Float,
    ForeignKey,
    Integer,
    PrimaryKeyConstraint,
    SmallInteger,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column

from ecogov.platform.models import Base, IdMixin, RegionScoped, UTCDateTime

WATER_BODIES = ("river", "lake")
"""河流 (rivers, river-type reservoirs) and 湖库 (lakes and reservoirs)."""
CONTROL_LEVELS = ("national", "provincial", "municipal")
"""国控, 省控, 市控 sections."""


class Section(IdMixin, RegionScoped, Base):
    """A monitoring section or point (断面/点位) on a river, lake or reservoir.

    ``region_code`` is the county (or city) the section lies in; officers see the sections of
    their region and below. ``target_class`` is the class the section must meet (目标水质类别,
    1–5 for I–V). ``lon``/``lat`` [WGS-84 degrees]. ``simulated`` marks generated demo sections.
    """

    __tablename__ = "water_section"
    __resource_kind__ = "water.section"
    __table_args__ = (
        CheckConstraint("target_class BETWEEN 1 AND 5", name="target_class"),
        CheckConstraint("water_body IN ('river', 'lake')", name="water_body"),
        CheckConstraint(
            "control_level IN ('national', 'provincial', 'municipal')", name="control_level"
        ),
    )

    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(128))
    water_name: Mapped[str] = mapped_column(String(64))
    water_body: Mapped[str] = mapped_column(String(8))
    basin: Mapped[str] = mapped_column(String(64), index=True)
    region_code: Mapped[str] = mapped_column(String(6), ForeignKey("region.code"), index=True)
    target_class: Mapped[int] = mapped_column(SmallInteger)
    control_level: Mapped[str] = mapped_column(String(16))
    drinking_source: Mapped[bool] = mapped_column(Boolean, default=False)
    lon: Mapped[float | None] = mapped_column(Float)
    lat: Mapped[float | None] = mapped_column(Float)
    simulated: Mapped[bool] = mapped_column(Boolean, default=False)


class Observation(Base):
    """One value of one item at one section and time, in the item's GB 3838 unit.

    Bulk data: written with Core statements by the importers (one audit summary per import, not
    one entry per row) and read only through a join with :class:`Section`, whose region scope
    then applies. ``parameter`` is the canonical item code (HJ 212 code, or ``chla``/``sd``);
    ``flag`` the HJ 212 data flag (null for manual samples); ``below_detection`` marks a value
    reported under the detection limit and stored as half of it.
    """

    __tablename__ = "water_observation"
    __audited__ = False
    __table_args__ = (PrimaryKeyConstraint("section_id", "time", "parameter"),)

    section_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("water_section.id", ondelete="CASCADE")
    )
    time: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    parameter: Mapped[str] = mapped_column(String(8))
    value: Mapped[float] = mapped_column(Float)
    flag: Mapped[str | None] = mapped_column(String(4))
    below_detection: Mapped[bool] = mapped_column(Boolean, default=False)


class PeriodMean(Base):
    """The mean of one item at one section over one period (month, quarter or year), from the
    monthly means (环办〔2011〕22号): what the evaluation of a period starts from.

    Derived data: recomputed by every observation import, in the import's transaction, for the
    sections and years it touched (:mod:`ecogov.monitoring.water.means`), so that the pages and
    the API evaluate a period without reading its raw observations. ``period`` is the canonical
    label (``2025``, ``2025-Q2``, ``2025-05``); ``months`` how many monthly values were averaged,
    ``samples`` how many samples those monthly values rest on (the period's coverage).
    Read, like the observations, only through the sections the principal may see.
    """

    __tablename__ = "water_period_mean"
    __audited__ = False
    __table_args__ = (PrimaryKeyConstraint("period", "section_id", "parameter"),)

    period: Mapped[str] = mapped_column(String(7))
    section_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("water_section.id", ondelete="CASCADE"), index=True
    )
    parameter: Mapped[str] = mapped_column(String(8))
    value: Mapped[float] = mapped_column(Float)
    months: Mapped[int] = mapped_column(SmallInteger)
    samples: Mapped[int] = mapped_column(Integer)
