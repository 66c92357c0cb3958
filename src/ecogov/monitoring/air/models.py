"""Air monitoring stations (空气质量监测站点) and their hourly observations.

Storage layout (measured, see ``docs/decisions/air-storage.md``): one row per station-hour with
the six pollutants as columns, keyed ``(ts, station_id)`` in a clustered table so that a national
import appends in time order. No second index and no foreign key slow the imports down: a
station's series is read by key lookups of its hours (``store.read_hourly``).
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Float,
    ForeignKey,
    Integer,
    PrimaryKeyConstraint,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column

from ecogov.platform.models import Base, IdMixin, RegionScoped

POLLUTANT_COLUMNS = {
    "SO2": "so2",
    "NO2": "no2",
    "CO": "co",
    "O3": "o3",
    "PM10": "pm10",
    "PM2.5": "pm25",
}
"""Pollutant code → column of ``air_hourly`` (1-hour concentration [µg/m³]; CO [mg/m³])."""

QC_BIT = {code: 1 << i for i, code in enumerate(POLLUTANT_COLUMNS)}
"""Bit of ``air_hourly.qc`` set when that pollutant's value is flagged invalid."""


class AirStation(IdMixin, RegionScoped, Base):
    """A monitoring station. ``region_code`` is its county (or city when unknown);
    ``city_code`` the city it reports for (municipalities: their province-level code)."""

    __tablename__ = "air_station"
    __resource_kind__ = "air.station"

    code: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(64))
    city_code: Mapped[str] = mapped_column(String(6), ForeignKey("region.code"), index=True)
    network_city: Mapped[str | None] = mapped_column(String(32))
    lon: Mapped[float | None] = mapped_column(Float)
    lat: Mapped[float | None] = mapped_column(Float)
    kind: Mapped[str] = mapped_column(String(16), default="national")
    source: Mapped[str] = mapped_column(String(32))


class AirHourly(Base):
    """1-hour concentrations of one station-hour. ``ts`` is the Unix time [s] of the hour's
    end (HH:00 Beijing time labels the hour ending at HH:00, as CNEMC publishes it).

    Bulk data: not audited row by row (each import writes one audit entry) and not scoped by
    the session guard (the service checks the principal against the station's region).
    """

    __tablename__ = "air_hourly"
    __audited__ = False
    __scope_exempt__ = True
    __table_args__ = (
        PrimaryKeyConstraint("ts", "station_id", name="pk_air_hourly"),
        {"sqlite_with_rowid": False},
    )

    ts: Mapped[int] = mapped_column(BigInteger)
    # Not a foreign key: a per-row check halves bulk import speed; ids come only from the
    # import service's code → id mapping (air_0002, docs/decisions/air-storage.md).
    station_id: Mapped[int] = mapped_column(Integer)
    so2: Mapped[float | None] = mapped_column(Float)
    no2: Mapped[float | None] = mapped_column(Float)
    co: Mapped[float | None] = mapped_column(Float)
    o3: Mapped[float | None] = mapped_column(Float)
    pm10: Mapped[float | None] = mapped_column(Float)
    pm25: Mapped[float | None] = mapped_column(Float)
    qc: Mapped[int] = mapped_column(Integer, default=0)


class AirFlag(Base):
    """The original QC flag of a flagged value (rare), beside the bit set in ``air_hourly.qc``."""

    __tablename__ = "air_flag"
    __audited__ = False
    __scope_exempt__ = True
    __table_args__ = (PrimaryKeyConstraint("station_id", "ts", "pollutant", name="pk_air_flag"),)

    station_id: Mapped[int] = mapped_column(Integer, ForeignKey("air_station.id"))
    ts: Mapped[int] = mapped_column(BigInteger)
    pollutant: Mapped[str] = mapped_column(String(8))
    flag: Mapped[str] = mapped_column(String(16))
