"""Air quality in the alerts inbox: stations and cities whose period evaluation does not attain
GB 3095-2012 Class II (超标), published whenever a period is evaluated.

One alert per station (or city) merges the periods while the problem persists. Severity follows
the heavy-pollution days (AQI > 200, 重度及以上污染) of the period, after the levels of the
heavy-pollution weather warnings (重污染天气预警: 黄色 2 days, 橙色 3 days, 红色 4 days of
AQI > 200, here counted, not required consecutive): none → blue, 1–2 → yellow, 3 → orange,
4 or more → red.

City figures are published only for an evaluation that sees the whole city, so a county officer's
view, computed from the stations in their county, never speaks for the city.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Final

import polars as pl

from ecogov.platform import alerts
from ecogov.platform.alerts import AlertDraft, AlertKind
from ecogov.platform.db import Database
from ecogov.platform.scope import Principal
from ecogov.standards.timebase import BEIJING

STATION_KIND: Final = AlertKind("air.station_exceedance", "空气站点超标", "Air station exceedance")
CITY_KIND: Final = AlertKind("air.city_exceedance", "城市空气质量超标", "City air exceedance")
KINDS: Final = (STATION_KIND, CITY_KIND)
ITEM_NAMES: Final = {
    "so2": "SO₂",
    "no2": "NO₂",
    "co": "CO",
    "o3_8h": "O₃-8h",
    "pm10": "PM₁₀",
    "pm25": "PM₂.₅",
}


def severity_of(heavy_days: int) -> str:
    """Severity of a non-attaining period with ``heavy_days`` days of AQI > 200."""
    if heavy_days >= 4:
        return "red"
    if heavy_days >= 3:
        return "orange"
    if heavy_days >= 1:
        return "yellow"
    return "blue"


def _instant(day: date) -> datetime:
    return datetime.combine(day, time(), BEIJING).astimezone(UTC)


def _number(value: Any) -> float | None:
    return None if value is None else round(float(value), 3)


def drafts(
    table: pl.DataFrame,
    by: str,
    first: date,
    last: date,
    label: str,
    regions: dict[str, str],
) -> list[AlertDraft]:
    """Drafts for the rows of an evaluation table (``by`` station or city) that do not attain;
    ``regions`` maps each station or city key to its region code."""
    if table.is_empty() or "attained" not in table.columns:
        return []
    kind = STATION_KIND if by == "station" else CITY_KIND
    found: list[AlertDraft] = []
    for row in table.filter(pl.col("attained") == False).iter_rows(named=True):  # noqa: E712
        key = row[by]
        region = regions.get(key)
        if region is None:
            continue
        heavy = int(row.get("heavy_days") or 0)
        failing = [
            name for item, name in ITEM_NAMES.items() if row.get(f"{item}_attained") is False
        ]
        found.append(
            AlertDraft(
                kind=kind.key,
                severity=severity_of(heavy),
                title=(
                    f"{row['name'] or key} {label} 空气质量未达标"
                    f"（超标项目：{'、'.join(failing) or '—'}；重污染 {heavy} 天）"
                ),
                region_code=region,
                window_start=_instant(first),
                window_end=_instant(last + timedelta(days=1)),
                dedupe_key=f"{kind.key}:{key}",
                evidence={
                    "period": label,
                    "failing_items": failing,
                    "heavy_days": heavy,
                    "good_day_ratio_pct": _number(row.get("good_day_ratio")),
                    "composite_index": _number(row.get("composite_index")),
                    "pm25_mean_ugm3": _number(row.get("pm25_mean")),
                    "valid_days": row.get("valid_days"),
                },
                link=f"/air/stations/{key}" if by == "station" else f"/air/report?period={label}",
                site_code=key,
                site_name=row["name"],
            )
        )
    return found


def publish(
    db: Database,
    principal: Principal,
    table: pl.DataFrame,
    stations: pl.DataFrame,
    by: str,
    period: tuple[date, date, str],
) -> alerts.Published:
    """Publish the non-attaining stations or cities of an evaluation (idempotent). Cities only
    when ``principal`` sees the whole city."""
    if by == "station":
        regions = dict(zip(stations["station"], stations["county"], strict=True))
    else:
        regions = {
            city: city
            for city in stations["city"].unique().to_list()
            if principal.sees_everything or principal.can_see_region(city)
        }
    first, last, label = period
    return alerts.publish(db, drafts(table, by, first, last, label, regions))
