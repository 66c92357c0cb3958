"""Stored forecasts (空气质量预报) and the models that issued them.

A model is trained per province on its stations' hours (the learner shares one model across the
stations, the station a categorical feature): its training window, validation scores and the
serialized model. A forecast day is one site (a station or a city) and lead day of one issue:
its daily AQI, level and primary pollutant with the AQI of the band's ends, the hourly AQI of the
72 hours (cities) and one value row per forecast daily indicator with its band.
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
    LargeBinary,
    SmallInteger,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from ecogov.platform.models import Base, IdMixin, RegionScoped, UTCDateTime

FORECASTS = "forecast.forecasts"
MODELS = "forecast.models"
SITE_KINDS = ("station", "city")


class ForecastModelRecord(IdMixin, RegionScoped, Base):
    """A trained forecast model of a province (``region_code``): the stations it covers, its issue
    hour, training window (first issue day … the moment its history ends), the validation scores
    per indicator and lead day (MAE, bias [µg/m³; CO mg/m³], cases) and the pickled
    :class:`ecogov.engine.forecast.ForecastModel`."""

    __tablename__ = "forecast_model"
    __resource_kind__ = MODELS

    stations: Mapped[list[str]] = mapped_column(JSON)
    issue_hour: Mapped[int] = mapped_column(SmallInteger)
    train_from: Mapped[date] = mapped_column(Date)
    trained_until: Mapped[datetime] = mapped_column(UTCDateTime)
    trained_at: Mapped[datetime] = mapped_column(UTCDateTime)
    scores: Mapped[dict[str, Any]] = mapped_column(JSON)
    blob: Mapped[bytes] = mapped_column(LargeBinary)


class ForecastDay(IdMixin, RegionScoped, Base):
    """One site's forecast for one lead day of one issue. ``site_code`` is a station code or a
    city's region code (``site_kind``); ``region_code`` the region that sees it (the station's
    county, the city). ``primary`` holds pollutant codes joined with ";" ("" when AQI ≤ 50);
    ``hourly_aqi`` the [time ISO, AQI] pairs of the day's hours (hour-ending, Beijing)."""

    __tablename__ = "forecast_day"
    __resource_kind__ = FORECASTS
    __table_args__ = (
        UniqueConstraint("site_kind", "site_code", "issued_on", "lead_day", name="case"),
        CheckConstraint("site_kind IN ('station', 'city')", name="site_kind"),
    )

    model_id: Mapped[int | None] = mapped_column(ForeignKey("forecast_model.id"), index=True)
    site_kind: Mapped[str] = mapped_column(String(8))
    site_code: Mapped[str] = mapped_column(String(16), index=True)
    city_code: Mapped[str] = mapped_column(String(6), index=True)
    issued_on: Mapped[date] = mapped_column(Date, index=True)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime)
    date: Mapped[date] = mapped_column(Date)
    lead_day: Mapped[int] = mapped_column(SmallInteger)
    aqi: Mapped[int | None] = mapped_column(Integer)
    aqi_low: Mapped[int | None] = mapped_column(Integer)
    aqi_high: Mapped[int | None] = mapped_column(Integer)
    level: Mapped[int | None] = mapped_column(SmallInteger)
    primary: Mapped[str] = mapped_column(String(64), default="")
    hourly_aqi: Mapped[list[list[Any]]] = mapped_column(JSON, default=list)


class ForecastValue(IdMixin, RegionScoped, Base):
    """A forecast daily value of one indicator (``PM2.5``, ``O3_8H`` …, the engine's
    ``DAILY_TARGETS``) with its band [µg/m³; CO mg/m³]."""

    __tablename__ = "forecast_value"
    __resource_kind__ = FORECASTS
    __table_args__ = (UniqueConstraint("day_id", "pollutant", name="day_pollutant"),)

    day_id: Mapped[int] = mapped_column(
        ForeignKey("forecast_day.id", ondelete="CASCADE"), index=True
    )
    pollutant: Mapped[str] = mapped_column(String(8))
    value: Mapped[float] = mapped_column(Float)
    lower: Mapped[float] = mapped_column(Float)
    upper: Mapped[float] = mapped_column(Float)
