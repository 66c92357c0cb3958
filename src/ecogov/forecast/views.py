"""What the forecast pages show, read from the stored forecasts: each site's latest issue (city
cards, map points), a site's 72 hours per pollutant with the band beside the observations that
have arrived since the issue, and the verification of the stored forecasts against the observed
days beside persistence and climatology (the scores of ``ecogov air forecast verify``).

Hourly concentrations are not stored: a day's hours are its forecast daily value (and the band's
ends) spread over the site's mean diurnal cycle of the :data:`service.SHAPE_DAYS` before the
issue, as the cities' hourly AQI is made (:func:`service.shaped_hours`). A city's observed hours
are the means of its stations' hours (HJ 663).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Final, Literal

import polars as pl
from sqlalchemy import func, select

from ecogov.engine import air as air_engine
from ecogov.engine import forecast as engine
from ecogov.forecast import service
from ecogov.forecast.access import FORECAST_KIND
from ecogov.forecast.backtesting import verify
from ecogov.forecast.models import ForecastDay, ForecastValue
from ecogov.monitoring.air.evaluation import (
    hourly_frame,
    station_daily_values,
    visible_stations,
)
from ecogov.monitoring.air.models import AirStation
from ecogov.platform import alerts
from ecogov.platform.alerts import InboxFilter
from ecogov.platform.db import Database
from ecogov.platform.errors import NotFound
from ecogov.platform.permissions import allowed, authorize
from ecogov.platform.scope import Principal, region_prefix
from ecogov.standards.editions import edition_for
from ecogov.standards.hj633 import LEVELS, Level
from ecogov.standards.timebase import BEIJING

SiteKind = Literal["station", "city"]
WARNING_ALERT: Final = "emergency.warning"
"""The alert kind a published heavy-pollution warning opens (the emergency domain's; read through
the one inbox, which the forecast domain sits below)."""
CHART_POLLUTANTS: Final = ("PM2.5", "PM10", "O3", "NO2", "SO2", "CO")
"""Pollutants of the hourly chart, in the selector's order."""


@dataclass(frozen=True)
class DayView:
    """One lead day of an issue: HJ 633 daily AQI with the band's AQI, level (1-6), primary
    pollutants and the forecast daily values ``{indicator: (value, lower, upper)}``."""

    date: date
    lead_day: int
    aqi: int | None
    aqi_low: int | None
    aqi_high: int | None
    level: int | None
    primary: tuple[str, ...]
    values: dict[str, tuple[float, float, float]] = field(default_factory=dict)


@dataclass(frozen=True)
class SiteForecast:
    """A site's latest issue: ``kind`` station or city, its code and name, the city it belongs
    to, the issue time (aware) and days 1-3."""

    kind: SiteKind
    code: str
    name: str
    city_code: str
    issued_at: datetime
    days: list[DayView]


@dataclass(frozen=True)
class CityCard:
    """A city card: its latest forecast and the level of a heavy-pollution warning in force
    (``blue`` … ``red``) with its link, when the principal may read the inbox."""

    forecast: SiteForecast
    warning_level: str | None
    warning_link: str | None


@dataclass(frozen=True)
class SiteChart:
    """A site's latest issue and its 72 hours: ``times`` (Beijing hour-ending ISO stamps) and
    per pollutant ``value``, ``lower``, ``upper`` and ``observed`` lists aligned to them (None
    where nothing is known)."""

    forecast: SiteForecast
    times: list[str]
    series: dict[str, dict[str, list[float | None]]]


def levels_of(day: date) -> dict[int, Level]:
    """The HJ 633 levels of the edition in force on ``day`` (names and Annex A colours), by
    number."""
    return {level.number: level for level in LEVELS[edition_for(day)]}


def _in_region(region: str | None) -> list[Any]:
    if not region:
        return []
    prefix = region_prefix(region)
    return [ForecastDay.region_code.startswith(prefix) | ForecastDay.city_code.startswith(prefix)]


def latest(
    db: Database,
    principal: Principal,
    kind: SiteKind,
    region: str | None = None,
    code: str | None = None,
) -> list[SiteForecast]:
    """The latest issue of every ``kind`` site the principal sees (within ``region``, or the
    site ``code``), by code."""
    authorize(principal, "read", FORECAST_KIND, region)
    conditions = [ForecastDay.site_kind == kind, *_in_region(region)]
    if code is not None:
        conditions.append(ForecastDay.site_code == code)
    with db.transaction(principal) as session:
        newest = (
            select(ForecastDay.site_code, func.max(ForecastDay.issued_on).label("issued_on"))
            .where(*conditions)
            .group_by(ForecastDay.site_code)
            .subquery()
        )
        rows = session.scalars(
            select(ForecastDay)
            .join(
                newest,
                (ForecastDay.site_code == newest.c.site_code)
                & (ForecastDay.issued_on == newest.c.issued_on),
            )
            .where(ForecastDay.site_kind == kind)
            .order_by(ForecastDay.site_code, ForecastDay.lead_day)
        ).all()
        values: dict[int, dict[str, tuple[float, float, float]]] = defaultdict(dict)
        for value in session.scalars(
            select(ForecastValue).where(ForecastValue.day_id.in_([r.id for r in rows]))
        ):
            values[value.day_id][value.pollutant] = (value.value, value.lower, value.upper)
        grouped: dict[str, list[ForecastDay]] = defaultdict(list)
        for row in rows:
            grouped[row.site_code].append(row)
    names = _names(db, principal, kind, list(grouped))
    return [
        SiteForecast(
            kind=kind,
            code=site,
            name=names.get(site, site),
            city_code=days[0].city_code,
            issued_at=days[0].issued_at,
            days=[
                DayView(
                    date=d.date,
                    lead_day=d.lead_day,
                    aqi=d.aqi,
                    aqi_low=d.aqi_low,
                    aqi_high=d.aqi_high,
                    level=d.level,
                    primary=tuple(p for p in d.primary.split(";") if p),
                    values=values.get(d.id, {}),
                )
                for d in days
            ],
        )
        for site, days in grouped.items()
    ]


def _names(db: Database, principal: Principal, kind: SiteKind, codes: list[str]) -> dict[str, str]:
    """Display names of stations or cities (their code when unknown)."""
    stations = visible_stations(db, principal, None)
    column = "station" if kind == "station" else "city"
    name = "station_name" if kind == "station" else "city_name"
    return {
        code: label
        for code, label in stations.select(column, name).unique().iter_rows()
        if code in set(codes)
    }


def city_cards(db: Database, principal: Principal, region: str | None) -> list[CityCard]:
    """The cards of the cities of ``region`` (default: the principal's scope) with the level of
    any heavy-pollution warning in force in the city."""
    forecasts = latest(db, principal, "city", region)
    in_force: dict[str, tuple[str, str | None]] = {}
    if forecasts and allowed(principal, "read", alerts.ALERTS_KIND):
        wanted = InboxFilter(region=region, kind=WARNING_ALERT, status="active", per_page=200)
        found = alerts.inbox(db, principal, wanted)
        for alert in sorted(found.alerts, key=lambda a: alerts.severity_rank(a.severity)):
            in_force[alert.region_code] = (alert.severity, alert.link)
    cards = []
    for found_city in forecasts:
        level, link = in_force.get(found_city.city_code, (None, None))
        cards.append(CityCard(found_city, level, link))
    return cards


def _coordinates(
    db: Database, principal: Principal, region: str | None
) -> tuple[dict[str, tuple[float, float]], dict[str, tuple[float, float]]]:
    """Station points and city points (the mean of their stations'), by code."""
    with db.transaction(principal) as session:
        stmt = select(AirStation.code, AirStation.city_code, AirStation.lon, AirStation.lat)
        if region:
            prefix = region_prefix(region)
            stmt = stmt.where(
                AirStation.region_code.startswith(prefix) | AirStation.city_code.startswith(prefix)
            )
        rows = session.execute(stmt).all()
    stations = {c: (lon, lat) for c, _, lon, lat in rows if lon is not None and lat is not None}
    members: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for code, city, _, _ in rows:
        if code in stations:
            members[city].append(stations[code])
    cities = {
        city: (sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points))
        for city, points in members.items()
    }
    return stations, cities


def map_features(
    db: Database, principal: Principal, region: str | None, lead_day: int
) -> list[dict[str, Any]]:
    """GeoJSON points of the stations and cities of ``region`` with their latest forecast of
    ``lead_day``: the HJ 633 level as the category of the AQI legend."""
    stations, cities = _coordinates(db, principal, region)
    features = []
    kinds: tuple[tuple[SiteKind, dict[str, tuple[float, float]]], ...] = (
        ("station", stations),
        ("city", cities),
    )
    for kind, points in kinds:
        for site in latest(db, principal, kind, region):
            day = next((d for d in site.days if d.lead_day == lead_day), None)
            point = points.get(site.code)
            if day is None or point is None:
                continue
            features.append(
                {
                    "type": "Feature",
                    "geometry": {"type": "Point", "coordinates": list(point)},
                    "properties": {
                        "code": site.code,
                        "kind": "stations" if kind == "station" else "cities",
                        "name": site.name,
                        "date": day.date.isoformat(),
                        "value": day.aqi,
                        "category": None if day.level is None else str(day.level),
                        "aqi": _aqi_range(day),
                        "primary": "、".join(day.primary) or "—",
                    },
                }
            )
    return features


def _aqi_range(day: DayView) -> str:
    if day.aqi is None:
        return "—"
    return f"{day.aqi}（{day.aqi_low}–{day.aqi_high}）"


def _members(db: Database, principal: Principal, kind: SiteKind, code: str) -> pl.DataFrame:
    """The stations whose hours make the site: the station itself, or the city's stations."""
    stations = visible_stations(db, principal, None)
    column = "station" if kind == "station" else "city"
    return stations.filter(pl.col(column) == code)


def _site_hours(wide: pl.DataFrame, code: str) -> pl.DataFrame:
    """The site's hourly series (``city`` = ``code``, ``time``, pollutants): the mean of its
    stations' hours."""
    present = [p for p in air_engine.POLLUTANTS if p in wide.columns]
    return (
        wide.group_by("time")
        .agg(pl.col(p).mean() for p in present)
        .with_columns(pl.lit(code).alias("city"))
        .sort("time")
    )


def site_chart(db: Database, principal: Principal, kind: SiteKind, code: str) -> SiteChart:
    """The site's latest issue as 72 hourly values per pollutant with the band, beside the
    observed hours after the issue time. NotFound for a site without a forecast in scope."""
    found = latest(db, principal, kind, code=code)
    if not found:
        raise NotFound(
            f"{'站点' if kind == 'station' else '城市'} {code} 暂无预报"
            f" / no forecast for {kind} {code}"
        )
    forecast = found[0]
    issued = forecast.issued_at.astimezone(BEIJING).replace(tzinfo=None)
    members = _members(db, principal, kind, code)
    last_day = max(d.date for d in forecast.days)
    wide = hourly_frame(
        db, principal, members, issued.date() - timedelta(days=service.SHAPE_DAYS), last_day
    )
    hours = _site_hours(wide, code)
    past = hours.filter(
        (pl.col("time") <= issued) & (pl.col("time") > issued - timedelta(days=service.SHAPE_DAYS))
    )
    shape = service.diurnal_shape(past)
    first = datetime.combine(forecast.days[0].date, datetime.min.time())
    times = [first + timedelta(hours=h) for h in range(1, 24 * len(forecast.days) + 1)]
    series: dict[str, dict[str, list[float | None]]] = {}
    ends = {}
    for index, end in enumerate(("value", "lower", "upper")):
        days = pl.DataFrame(
            [
                {"city": code, "date": d.date} | {p: v[index] for p, v in d.values.items()}
                for d in forecast.days
            ]
        )
        ends[end] = service.shaped_hours(shape, days) if not shape.is_empty() else pl.DataFrame()
    after = hours.filter(pl.col("time") > issued)
    for pollutant in CHART_POLLUTANTS:
        entry = {end: _aligned(frame, pollutant, times) for end, frame in ends.items()} | {
            "observed": _aligned(after, pollutant, times)
        }
        if any(v is not None for values in entry.values() for v in values):
            series[pollutant] = entry
    stamps = [t.replace(tzinfo=BEIJING).isoformat() for t in times]
    return SiteChart(forecast, stamps, series)


def _aligned(frame: pl.DataFrame, column: str, times: list[datetime]) -> list[float | None]:
    """``column`` of ``frame`` at each of ``times`` (None where absent), rounded for display."""
    if column not in frame.columns:
        return [None] * len(times)
    known = {
        t: (None if v is None else round(float(v), 3 if column == "CO" else 1))
        for t, v in frame.select("time", column).iter_rows()
    }
    return [known.get(t) for t in times]


def verification(
    db: Database,
    principal: Principal,
    kind: SiteKind,
    region: str | None = None,
    code: str | None = None,
    month: str | None = None,
) -> pl.DataFrame:
    """Scores of the stored forecasts of ``kind`` sites (within ``region``, or the site ``code``;
    target days in ``month`` YYYY-MM) per site, month and lead day, beside persistence and
    climatology on the same cases, against the observed days (:func:`backtesting.verify`, the
    scores of ``ecogov air forecast verify``). Columns: ``model``, ``lead_day``, ``station``
    (the site), ``month``, ``cases``, the accuracies and the per-pollutant errors, plus ``name``.
    Empty when no stored forecast has an observed day yet.

    Reads no year of hours: the baselines' hours only (:func:`engine.baseline_days`: the issue
    blocks and, before each issue month, the target calendar months of the history) and the
    stations' observed days stored at import — the scores of every hour of the history."""
    authorize(principal, "read", FORECAST_KIND, region)
    conditions = [ForecastDay.site_kind == kind, *_in_region(region)]
    if code is not None:
        conditions.append(ForecastDay.site_code == code)
    if month is not None:
        start = date.fromisoformat(f"{month}-01")
        end = (start + timedelta(days=32)).replace(day=1)
        conditions += [ForecastDay.date >= start, ForecastDay.date < end]
    with db.transaction(principal) as session:
        days = session.execute(
            select(
                ForecastDay.id,
                ForecastDay.issued_at,
                ForecastDay.site_code,
                ForecastDay.lead_day,
                ForecastDay.date,
            ).where(*conditions)
        ).all()
        values = session.execute(
            select(ForecastValue.day_id, ForecastValue.pollutant, ForecastValue.value)
            .join(ForecastDay, ForecastValue.day_id == ForecastDay.id)
            .where(*conditions)
        ).all()
    if not values:
        return pl.DataFrame()
    # a day's values travel once per value, its keys once per day (no per-value Python objects)
    keys = pl.DataFrame(
        [
            (day_id, at.astimezone(BEIJING).replace(tzinfo=None), site, lead, day)
            for day_id, at, site, lead, day in days
        ],
        schema={
            "day_id": pl.Int64,
            "issued": pl.Datetime("us"),
            "station": pl.String,
            "lead_day": pl.Int8,
            "date": pl.Date,
        },
        orient="row",
    )
    long = pl.DataFrame(
        values,
        schema={"day_id": pl.Int64, "pollutant": pl.String, "value": pl.Float64},
        orient="row",
    ).join(keys, on="day_id", maintain_order="left")
    forecast = engine.with_aqi(
        long.pivot("pollutant", index=list(engine.CASE_KEYS), values="value")
    )
    sites = forecast["station"].unique().to_list()
    stations = visible_stations(db, principal, None)
    members = stations.filter(pl.col("station" if kind == "station" else "city").is_in(sites))
    first = forecast["issued"].min()
    assert isinstance(first, datetime)
    since = first.date() - timedelta(days=service.TRAIN_DAYS)
    cases = forecast.select("station", "issued", "lead_day")
    # the baselines read only the hours they need; a station's observed days are those stored
    # at import, a city's are the days of its mean hours (as its baselines are made)
    ranges = engine.baseline_days(cases, since, targets=kind == "city")
    wide = _hours(db, principal, members, ranges)
    observed: pl.DataFrame | None = None
    if kind == "city":
        wide = _city_wide(wide, members)
    else:
        stored = station_daily_values(
            db,
            principal,
            members,
            forecast["date"].min(),  # type: ignore[arg-type]
            forecast["date"].max(),  # type: ignore[arg-type]
        )
        if stored.is_empty():
            return pl.DataFrame()
        observed = engine.observed_of_days(stored)
    if wide.is_empty() and observed is None:
        return pl.DataFrame()
    table = verify(forecast, wide, ("station", "month"), observed)
    if table.is_empty():
        return table
    names = _names(db, principal, kind, sites)
    return table.with_columns(
        pl.col("station").replace_strict(names, default=pl.col("station")).alias("name")
    ).sort("station", "month", "lead_day", maintain_order=True)


def _hours(
    db: Database, principal: Principal, members: pl.DataFrame, ranges: list[tuple[date, date]]
) -> pl.DataFrame:
    """The wide hourly frame of ``members`` over the Beijing day ``ranges`` (disjoint)."""
    parts = [hourly_frame(db, principal, members, first, last) for first, last in ranges]
    if not parts:
        return pl.DataFrame()
    return pl.concat(parts).sort("station", "time")


def _city_wide(wide: pl.DataFrame, members: pl.DataFrame) -> pl.DataFrame:
    """Each city's hours as one series: the mean of its stations' hours (HJ 663)."""
    present = [p for p in air_engine.POLLUTANTS if p in wide.columns]
    return (
        wide.with_columns(pl.col("station").cast(pl.String))
        .join(members.select("station", "city"), on="station")
        .group_by("city", "time")
        .agg(pl.col(p).mean() for p in present)
        .rename({"city": "station"})
        .sort("station", "time")
    )
