"""Issuing forecasts from the stored hours (``ecogov forecast run``) and the city forecast the
emergency domain reads: stored once per issue day, read by the city's officers, picked up by
the warning suggestion."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from ecogov.emergency import service as emergency
from ecogov.forecast import demo as forecast_demo
from ecogov.forecast import service
from ecogov.forecast.models import ForecastDay, ForecastModelRecord, ForecastValue
from ecogov.monitoring.air import demo as air_demo
from ecogov.platform.db import Database
from ecogov.platform.errors import PermissionDenied
from ecogov.platform.scope import SYSTEM, Principal, Role
from ecogov.standards.timebase import BEIJING

ISSUED = date(2025, 4, 8)
CITY = Principal("hz", Role.CITY_OFFICER, region_code="330100")
OTHER = Principal("nb", Role.CITY_OFFICER, region_code="330200")


@pytest.fixture
def issued(db: Database) -> Database:
    air_demo.load(db, hours=24 * 100)  # 2025-01-01 … 2025-04-10
    report = service.run(db, SYSTEM, ISSUED)
    assert (report.trained, report.reused, report.already_issued) == (1, 0, False)
    assert report.cities == 11
    assert report.stations == 44
    return db


def test_run_stores_station_and_city_days_once_per_issue_day(issued: Database) -> None:
    with issued.transaction(SYSTEM) as session:
        days = session.scalars(select(ForecastDay).order_by(ForecastDay.id)).all()
        values = session.scalar(select(func.count()).select_from(ForecastValue))
        model = session.scalars(select(ForecastModelRecord)).one()
    assert {(d.site_kind, d.lead_day) for d in days} == {
        (k, lead) for k in ("station", "city") for lead in (1, 2, 3)
    }
    assert len(days) == (44 + 11) * 3
    assert all(d.date == ISSUED + timedelta(days=d.lead_day) for d in days)
    assert all((d.aqi_low or 0) <= d.aqi <= (d.aqi_high or 0) for d in days if d.aqi is not None)
    assert values
    assert values >= len(days) * 5
    assert model.region_code == "330000"
    assert model.trained_until.date() == ISSUED
    assert model.scores
    assert all(s["cases"] > 0 for s in model.scores.values())
    again = service.run(issued, SYSTEM, ISSUED)
    assert again.already_issued
    with issued.transaction(SYSTEM) as session:
        assert session.scalar(select(func.count()).select_from(ForecastDay)) == len(days)
    later = service.run(issued, SYSTEM, ISSUED + timedelta(days=1))
    assert (later.trained, later.reused) == (0, 1)  # the month-old model serves


def test_city_daily_forecast_is_the_seam_of_the_warnings(issued: Database) -> None:
    days = service.city_daily_forecast(issued, CITY, "330100", ISSUED + timedelta(days=2))
    assert [d.lead_day for d in days] == [1, 2, 3]
    assert [d.date for d in days] == [ISSUED + timedelta(days=k) for k in (1, 2, 3)]
    for day in days:
        assert day.aqi_low <= day.aqi <= day.aqi_high
        assert 1 <= day.level <= 6
        assert len(day.hourly_aqi) == 24
        assert all(t.tzinfo is not None for t, _ in day.hourly_aqi)
        first = day.hourly_aqi[0][0].astimezone(BEIJING)
        assert (first.date(), first.hour) == (day.date, 1)
        # the diurnal shape scaled to the day: hours on both sides of the daily AQI
        hourly = [a for _, a in day.hourly_aqi]
        assert min(hourly) <= day.aqi + 25
        assert max(hourly) >= day.aqi - 25
    assert service.city_daily_forecast(issued, CITY, "330100", ISSUED - timedelta(days=1)) == []
    with pytest.raises(PermissionDenied):
        service.city_daily_forecast(issued, OTHER, "330100", ISSUED)
    source = emergency.forecast_source()
    assert source is not None
    assessed = emergency.judge(source(issued, CITY, "330100"))
    assert assessed.level in {"none", "blue", "yellow", "orange", "red"}


def test_the_demo_issues_on_the_last_day_the_hours_reach(db: Database) -> None:
    air_demo.load(db, hours=24 * 90)  # hours end 2025-04-01 08:00 Beijing
    (note,) = forecast_demo.load(db)
    assert "2025-03-31 issued for 44 stations and 11 cities" in note
    assert forecast_demo.load(db) == ["  forecast: 2025-03-31 already issued"]
