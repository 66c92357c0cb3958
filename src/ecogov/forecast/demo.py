"""Demo forecasts (模拟数据), after the air demo's hours and before the emergency demo: the
forecasts issued on the :data:`VERIFIED_DAYS` days before the last full day of the stored hours
(oldest first, so one model serves them all) and on that day, so the warning pages and the
forecast pages have a forecast to show and the verification page observed days to score.
Deterministic (fixed random state, fixed issue days) and idempotent (a day already issued is
left as it is)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Final

from ecogov.forecast import service
from ecogov.monitoring.air.evaluation import visible_stations
from ecogov.monitoring.air.views import latest_hour
from ecogov.platform.db import Database
from ecogov.platform.scope import SYSTEM
from ecogov.standards.timebase import BEIJING

VERIFIED_DAYS: Final = 3
"""Issues before the last one: their lead days are observed by the stored hours."""


def load(db: Database) -> list[str]:
    """Issue the demo forecasts (nothing without stored hours)."""
    stations = visible_stations(db, SYSTEM, None)
    last = latest_hour(db, SYSTEM, stations["station_id"].to_list())
    if last is None:
        return ["  forecast: no air hours, nothing issued"]
    # the day whose issue hour the stored hours reach
    day = (datetime.fromtimestamp(last, BEIJING) - timedelta(hours=service.ISSUE_HOUR)).date()
    earlier = [
        service.run(db, SYSTEM, day - timedelta(days=back)) for back in range(VERIFIED_DAYS, 0, -1)
    ]
    report = service.run(db, SYSTEM, day)
    trained = report.trained + sum(r.trained for r in earlier)
    if report.already_issued:
        return [f"  forecast: {day} already issued"]
    return [
        f"  forecast: {day} issued for {report.stations} stations and {report.cities} cities "
        f"({trained} models trained, {VERIFIED_DAYS} earlier issues to verify) (模拟数据)"
    ]
