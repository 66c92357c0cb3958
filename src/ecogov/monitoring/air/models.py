"""Air monitoring stations (空气质量监测站点) and their hourly observations.

Storage layout (measured, see ``docs/decisions/air-storage.md``): one row per station-hour with
the six pollutants as columns, keyed ``(ts, station_id)`` in a clustered table so that a national
import appends in time order. No second index and no foreign key slow the imports down: a
station's series is read by key lookups of its hours (``store.read_hourly``).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import (
    BigInteger,
    Date,
    Float,
    ForeignKey,
    Integer,
    PrimaryKeyConstraint,
    SmallInteger,
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


DAILY_COLUMNS = {
    "SO2": "so2",
    "NO2": "no2",
    "CO": "co",
    "O3_1H": "o3_1h",
    "O3_8H": "o3_8h",
    "PM10": "pm10",
    "PM2.5": "pm25",
}
"""Daily indicator (``engine.air.DAILY_INDICATORS``) → column prefix of ``air_daily``."""


class DailyValues:
    """The exact daily value of every indicator (``DAILY_COLUMNS``) of one station-day or
    city-day: ``<prefix>_num / <prefix>_den`` and the valid and expected hour (or window, or
    station) counts, as ``engine.air.daily_values`` and ``city_daily_values`` return them, with
    the day's AQI (HJ 633, the edition in force on the day; null without one)."""

    so2_num: Mapped[int | None] = mapped_column(BigInteger)
    so2_den: Mapped[int | None] = mapped_column(BigInteger)
    so2_n_valid: Mapped[int] = mapped_column(SmallInteger)
    so2_n_expected: Mapped[int] = mapped_column(SmallInteger)
    no2_num: Mapped[int | None] = mapped_column(BigInteger)
    no2_den: Mapped[int | None] = mapped_column(BigInteger)
    no2_n_valid: Mapped[int] = mapped_column(SmallInteger)
    no2_n_expected: Mapped[int] = mapped_column(SmallInteger)
    co_num: Mapped[int | None] = mapped_column(BigInteger)
    co_den: Mapped[int | None] = mapped_column(BigInteger)
    co_n_valid: Mapped[int] = mapped_column(SmallInteger)
    co_n_expected: Mapped[int] = mapped_column(SmallInteger)
    o3_1h_num: Mapped[int | None] = mapped_column(BigInteger)
    o3_1h_den: Mapped[int | None] = mapped_column(BigInteger)
    o3_1h_n_valid: Mapped[int] = mapped_column(SmallInteger)
    o3_1h_n_expected: Mapped[int] = mapped_column(SmallInteger)
    o3_8h_num: Mapped[int | None] = mapped_column(BigInteger)
    o3_8h_den: Mapped[int | None] = mapped_column(BigInteger)
    o3_8h_n_valid: Mapped[int] = mapped_column(SmallInteger)
    o3_8h_n_expected: Mapped[int] = mapped_column(SmallInteger)
    pm10_num: Mapped[int | None] = mapped_column(BigInteger)
    pm10_den: Mapped[int | None] = mapped_column(BigInteger)
    pm10_n_valid: Mapped[int] = mapped_column(SmallInteger)
    pm10_n_expected: Mapped[int] = mapped_column(SmallInteger)
    pm25_num: Mapped[int | None] = mapped_column(BigInteger)
    pm25_den: Mapped[int | None] = mapped_column(BigInteger)
    pm25_n_valid: Mapped[int] = mapped_column(SmallInteger)
    pm25_n_expected: Mapped[int] = mapped_column(SmallInteger)
    aqi: Mapped[int | None] = mapped_column(SmallInteger)


class AirDaily(DailyValues, Base):
    """Stored station daily values (HJ 663 §6.1.2 via ``engine.air.daily_values``) of one
    station-day (Beijing time), recomputed from ``air_hourly`` by every import of the hours of
    that day (``ecogov.monitoring.air.daily``): the columns of :class:`DailyValues`.

    Bulk data derived from the hours: not audited row by row and not scoped by the session
    guard (the service checks the principal as for the hours).
    """

    __tablename__ = "air_daily"
    __audited__ = False
    __scope_exempt__ = True
    __table_args__ = (PrimaryKeyConstraint("station_id", "day", name="pk_air_daily"),)

    station_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("air_station.id", ondelete="CASCADE")
    )
    day: Mapped[date] = mapped_column(Date)


class AirCityDaily(DailyValues, Base):
    """Stored city daily values (HJ 663 §5, the mean of the valid daily values of all the
    city's stations, via ``engine.air.city_daily_values``) of one city-day, recomputed with the
    station-days they come from (``ecogov.monitoring.air.daily``): the columns of
    :class:`DailyValues`, ``<prefix>_n_expected`` counting the city's stations.

    Derived bulk data like :class:`AirDaily`: not audited row by row, not scoped by the session
    guard (a city's official figures are read whoever looks; the service checks the principal
    as for the hours).
    """

    __tablename__ = "air_city_daily"
    __audited__ = False
    __scope_exempt__ = True
    __table_args__ = (PrimaryKeyConstraint("city_code", "day", name="pk_air_city_daily"),)

    city_code: Mapped[str] = mapped_column(String(6))
    day: Mapped[date] = mapped_column(Date)
