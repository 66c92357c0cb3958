"""Administrative divisions (行政区划, GB/T 2260)."""

from __future__ import annotations

from sqlalchemy import Float, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ecogov.platform.models import Base

LEVELS = ("province", "city", "county")


class Region(Base):
    """A province, prefecture-level city or county-level division with its 6-digit code.

    Reference data: readable by everyone, written only by the loader (admin/system).
    ``boundary`` holds a simplified GeoJSON geometry [WGS-84 degrees] for the regions in use.
    """

    __tablename__ = "region"
    __public_read__ = True
    __audited__ = False  # bulk reference load; the loader writes one summary audit entry

    code: Mapped[str] = mapped_column(String(6), primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    level: Mapped[str] = mapped_column(String(8), index=True)
    parent_code: Mapped[str | None] = mapped_column(
        String(6), ForeignKey("region.code"), index=True
    )
    center_lon: Mapped[float | None] = mapped_column(Float)
    center_lat: Mapped[float | None] = mapped_column(Float)
    boundary: Mapped[str | None] = mapped_column(Text)
