"""What the air pages and API show: the latest hour's AQI map, a station's series and calendar."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Final

import polars as pl
from sqlalchemy import select

from ecogov.engine import air as engine
from ecogov.monitoring.air.access import OBSERVATIONS
from ecogov.monitoring.air.evaluation import hourly_frame, visible_stations
from ecogov.monitoring.air.models import AirHourly, AirStation
from ecogov.platform.db import Database
from ecogov.platform.errors import NotFound
from ecogov.platform.i18n import Catalogue, both, register
from ecogov.platform.permissions import scoped_read
from ecogov.platform.scope import Principal
from ecogov.standards.editions import Edition, edition_for
from ecogov.standards.hj633 import LEVELS, Level
from ecogov.standards.timebase import BEIJING

ERRORS: Final[Catalogue] = {
    "air.error.no_station": (
        "站点 {code} 不存在或不在您的辖区内",
        "station {code} does not exist or is outside your region",
    ),
}
register(ERRORS)


def level_of(aqi: int | None, when: date) -> Level | None:
    """The HJ 633 level (with its official colour) of an AQI under the edition of ``when``."""
    if aqi is None:
        return None
    for level in LEVELS[edition_for(when)]:
        if level.upper is None or aqi <= level.upper:
            return level
    return None


def latest_hour(db: Database, principal: Principal, station_ids: list[int]) -> int | None:
    """The newest hour stamp (epoch seconds, hour-ending) of any of the stations, or None."""
    if not station_ids:
        return None
    with scoped_read(db, principal, OBSERVATIONS) as read:
        # Newest first along the clustered key: stops at the first hour of these stations.
        latest_ts: int | None = read.connection.scalar(
            select(AirHourly.ts)
            .where(AirHourly.station_id.in_(station_ids))
            .order_by(AirHourly.ts.desc())
            .limit(1)
        )
    return latest_ts


@dataclass(frozen=True)
class LatestMap:
    """The latest published hour of the stations in a region, with AQI and level colours."""

    time: datetime | None
    stations: list[dict[str, Any]]


def latest(db: Database, principal: Principal, region: str | None) -> LatestMap:
    """Real-time AQI (HJ 633, published method) of every visible station at the latest hour."""
    stations = visible_stations(db, principal, region)
    last = latest_hour(db, principal, stations["station_id"].to_list())
    if last is None:
        return LatestMap(None, [])
    when = datetime.fromtimestamp(last, BEIJING)
    day = (when - timedelta(hours=1)).date()
    hourly = hourly_frame(db, principal, stations, day, day).filter(
        pl.col("time") == when.replace(tzinfo=None)
    )
    if hourly.is_empty():
        return LatestMap(when, [])
    report = engine.hourly_aqi(hourly).join(stations, on="station", how="left")
    coords = _coordinates(db, principal, report["station"].to_list())
    rows = []
    for row in report.iter_rows(named=True):
        level = level_of(row["aqi"], day)
        rows.append(
            {
                "code": row["station"],
                "name": row["station_name"],
                "city": row["city_name"],
                "aqi": row["aqi"],
                "level": level.number if level else None,
                "category": level.category_zh if level else None,
                "colour": level.hex if level else "#9E9E9E",
                "primary": _primary_text(row.get("primary_pollutants")),
                "lon": coords.get(row["station"], (None, None))[0],
                "lat": coords.get(row["station"], (None, None))[1],
            }
        )
    return LatestMap(when, sorted(rows, key=lambda r: (r["aqi"] is None, -(r["aqi"] or 0))))


def _primary_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ";".join(str(v) for v in value)
    return str(value)


def _coordinates(
    db: Database, principal: Principal, codes: list[str]
) -> dict[str, tuple[float | None, float | None]]:
    with db.transaction(principal) as session:
        rows = session.execute(
            select(AirStation.code, AirStation.lon, AirStation.lat).where(
                AirStation.code.in_(codes)
            )
        ).all()
    return {code: (lon, lat) for code, lon, lat in rows}


def station(db: Database, principal: Principal, code: str) -> dict[str, Any]:
    """One station's registry entry (NotFound outside the principal's scope)."""
    with db.transaction(principal) as session:
        found = session.scalar(select(AirStation).where(AirStation.code == code))
        if found is None:
            raise NotFound(both("air.error.no_station", code=code))
        return {
            "code": found.code,
            "name": found.name,
            "region_code": found.region_code,
            "city_code": found.city_code,
            "lon": found.lon,
            "lat": found.lat,
            "kind": found.kind,
        }


def _one(db: Database, principal: Principal, code: str) -> pl.DataFrame:
    station(db, principal, code)
    frame = visible_stations(db, principal, None)
    return frame.filter(pl.col("station") == code)


def series(db: Database, principal: Principal, code: str, days: int = 14) -> dict[str, Any]:
    """Hourly concentrations and real-time AQI of a station's last ``days`` days of data."""
    one = _one(db, principal, code)
    last = latest_hour(db, principal, one["station_id"].to_list())
    if last is None:
        return {"time": [], "aqi": [], "pollutants": {}}
    end = datetime.fromtimestamp(last, BEIJING).date()
    hourly = hourly_frame(db, principal, one, end - timedelta(days=days), end).sort("time")
    report = hourly.join(
        engine.hourly_aqi(hourly).select("station", "time", "aqi"),
        on=["station", "time"],
        how="left",
    )
    return {
        "time": [t.isoformat(timespec="minutes") for t in report["time"].to_list()],
        "aqi": report["aqi"].to_list(),
        "pollutants": {p: report[p].to_list() for p in engine.POLLUTANTS},
    }


def calendar(db: Database, principal: Principal, code: str, year: int) -> dict[str, Any]:
    """Daily AQI of a station over a year (calendar heat map) and days per level."""
    one = _one(db, principal, code)
    hourly = hourly_frame(db, principal, one, date(year, 1, 1), date(year, 12, 31))
    if hourly.is_empty():
        return {"days": [], "levels": {}}
    daily = engine.daily_aqi(engine.daily_values(hourly)).sort("date")
    days = [
        [d.isoformat(), aqi]
        for d, aqi in daily.select("date", "aqi").iter_rows()
        if aqi is not None
    ]
    counts = daily.group_by("level").len().drop_nulls("level").sort("level")
    edition = edition_for(date(year, 12, 31))
    names = {lv.number: lv for lv in LEVELS[edition]}
    return {
        "days": days,
        "levels": [
            {
                "level": int(lv),
                "category": names[int(lv)].category_zh,
                "colour": names[int(lv)].hex,
                "days": int(n),
            }
            for lv, n in counts.iter_rows()
        ],
        "edition": "2026" if edition is Edition.E2026 else "2012",
    }
