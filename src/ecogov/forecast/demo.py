"""Demo forecasts (模拟数据), after the air demo's hours and before the emergency demo: the
forecast issued on the last full day of the stored hours, so the warning pages and the forecast
pages have a forecast to show. Deterministic (fixed random state, fixed issue day) and
idempotent (a day already issued is left as it is)."""

from __future__ import annotations

from datetime import datetime, timedelta

from ecogov.forecast import service
from ecogov.monitoring.air.evaluation import visible_stations
from ecogov.monitoring.air.views import latest_hour
from ecogov.platform.db import Database
from ecogov.platform.scope import SYSTEM
from ecogov.standards.timebase import BEIJING


def load(db: Database) -> list[str]:
    """Issue the demo forecast (nothing without stored hours)."""
    stations = visible_stations(db, SYSTEM, None)
    last = latest_hour(db, SYSTEM, stations["station_id"].to_list())
    if last is None:
        return ["  forecast: no air hours, nothing issued"]
    # the day whose issue hour the stored hours reach
    day = (datetime.fromtimestamp(last, BEIJING) - timedelta(hours=service.ISSUE_HOUR)).date()
    report = service.run(db, SYSTEM, day)
    if report.already_issued:
        return [f"  forecast: {day} already issued"]
    return [
        f"  forecast: {day} issued for {report.stations} stations and {report.cities} cities "
        f"({report.trained} models trained) (模拟数据)"
    ]
