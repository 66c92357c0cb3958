"""The big screen's snapshot: one JSON document of a region's state, assembled from each
domain's services as the principal (never by reading another domain's tables).

Latest AQI per station (air), the real-time city ranking, the surface-water sections' classes in
the newest month with data, the online-monitoring alerts of the last 24 hours (alerts inbox,
newest first), open and overdue rectification items and the targets' traffic lights (plans),
and the complaints received today (complaints). A wall polls it every few seconds, so a snapshot
is kept per region and language for :data:`CACHE_SECONDS` and answered with an ETag.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Hashable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Final

from ecogov.bigscreen.access import BIGSCREEN
from ecogov.complaints import service as complaints
from ecogov.monitoring.air import ranking, views
from ecogov.monitoring.air.maplayers import station_features
from ecogov.monitoring.water import evaluation as water_evaluation
from ecogov.monitoring.water.maplayers import CLASS_COLOURS
from ecogov.monitoring.water.service import latest_observation
from ecogov.plans import queries as plans_queries
from ecogov.plans import tracking
from ecogov.plans.targets import STATUS_COLOURS, Status
from ecogov.platform import alerts, clock
from ecogov.platform.cache import TimedCache
from ecogov.platform.db import Database
from ecogov.platform.i18n import translate
from ecogov.platform.permissions import authorize
from ecogov.platform.scope import Principal
from ecogov.regions import service as regions
from ecogov.standards.periods import period_of
from ecogov.standards.timebase import BEIJING

CACHE_SECONDS: Final = 5.0
"""How long a region's snapshot is reused: walls polling faster share one computation."""
TICKER_ROWS: Final = 8
"""Alerts the ticker shows: the newest of the last 24 hours (the page keeps this many rows)."""
RANKING_ROWS: Final = 15
"""Cities of the ranking shown, best first."""
TARGET_ROWS: Final = 10
"""Targets shown with their traffic light, worst first."""
ALERT_WINDOW: Final = timedelta(hours=24)
ONLINE_KINDS: Final = "hj212.*"
"""The alert kinds of online monitoring (在线监测超标与数据异常)."""
TARGET_ORDER: Final = (
    Status.MISSED,
    Status.AT_RISK,
    Status.NO_DATA,
    Status.ON_TRACK,
    Status.MET,
    Status.UNBOUND,
)
"""Traffic lights worst first: what needs the room's attention leads."""


@dataclass(frozen=True)
class Snapshot:
    """A region's snapshot as JSON, its ETag and when it was assembled."""

    body: bytes
    etag: str
    made: datetime


SNAPSHOTS: Final[TimedCache[Hashable, Snapshot]] = TimedCache(CACHE_SECONDS, max_entries=64)
"""Snapshots by (database, region, language)."""


def snapshot(db: Database, principal: Principal, region: str, language: str) -> Snapshot:
    """The region's snapshot (PermissionDenied outside the principal's scope), reused while
    fresh. The region decides what is counted; the permission to open it is asked first, so a
    kept snapshot is only handed to principals who may see that region."""
    authorize(principal, "read", BIGSCREEN, region)
    regions.ensure_visible(principal, region)

    def build() -> Snapshot:
        document = assemble(db, principal, region, language)
        body = json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()
        etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
        return Snapshot(body, etag, clock.now())

    return SNAPSHOTS.get((db.url, region, language), build)


def assemble(db: Database, principal: Principal, region: str, language: str) -> dict[str, Any]:
    """Every panel's data for ``region`` now (see the module notes), labels in ``language``."""
    now = clock.now().astimezone(BEIJING)
    return {
        "region": {"code": region, "name": regions.get_region(db, principal, region).name},
        "now": now.isoformat(),
        "air": _air(db, principal, region),
        "ranking": _ranking(db, principal, region, language),
        "water": _water(db, principal, region),
        "alerts": _alerts(db, principal, region, now, language),
        "items": _items(db, principal, region, now),
        "complaints": _complaints(db, principal, region, now, language),
        "targets": _targets(db, principal, region, now, language),
    }


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.astimezone(BEIJING).isoformat()


def _air(db: Database, principal: Principal, region: str) -> dict[str, Any]:
    latest = views.latest(db, principal, region)
    return {
        "time": _iso(latest.time),
        "stations": len(latest.stations),
        "features": station_features(latest.stations),
    }


def _ranking(db: Database, principal: Principal, region: str, language: str) -> dict[str, Any]:
    found = ranking.ranking_now(db, principal, region)
    ranked = [row for row in found.rows if row["rank"] is not None][:RANKING_ROWS]
    return {
        "time": _iso(found.time),
        "rows": [
            {
                "rank": row["rank"],
                "city": row["city"],
                "name": row["name"],
                "aqi": row["aqi"],
                "category": row["category"],
                "colour": row["colour"],
                "primary": ranking.primary_text(row["primary"], language),
            }
            for row in ranked
        ],
    }


def _water(db: Database, principal: Principal, region: str) -> dict[str, Any]:
    latest = latest_observation(db, principal, region)
    if latest is None:
        return {"period": None, "sections": 0, "classes": [], "share_I_III": None}
    period = period_of("month", latest.astimezone(BEIJING).date())
    rows = water_evaluation.evaluate(db, principal, period, "section", region, with_previous=False)
    totals = water_evaluation.summarize(rows)
    counts = rows.get_column("class").drop_nulls().value_counts()
    by_class = dict(zip(counts["class"].to_list(), counts["count"].to_list(), strict=True))
    return {
        "period": period.label,
        "sections": totals["sections"],
        "share_I_III": totals["share_I_III"],
        "attainment": totals["attainment"],
        "classes": [
            {"class": label, "count": by_class.get(label, 0), "colour": colour}
            for label, colour in CLASS_COLOURS.items()
        ],
    }


def _alerts(
    db: Database, principal: Principal, region: str, now: datetime, language: str
) -> dict[str, Any]:
    page = alerts.inbox(
        db,
        principal,
        alerts.InboxFilter(
            region=region,
            kind=ONLINE_KINDS,
            seen_since=now - ALERT_WINDOW,
            newest_first=True,
            per_page=TICKER_ROWS,
        ),
    )
    return {
        "total": page.total,
        "rows": [
            {
                "id": alert.id,
                "time": alert.last_seen.astimezone(BEIJING).strftime("%H:%M"),
                "severity": alert.severity,
                "severity_name": translate(f"alerts.severity.{alert.severity}", language),
                "colour": alerts.SEVERITY[alert.severity].colour,
                "title": alert.title,
                "site": alert.site_name or "",
            }
            for alert in page.alerts
        ],
    }


def _items(db: Database, principal: Principal, region: str, now: datetime) -> dict[str, Any]:
    counts = plans_queries.item_counts(db, principal, region, now.date())
    return {"open": counts.open, "overdue": counts.overdue}


def _complaints(
    db: Database, principal: Principal, region: str, now: datetime, language: str
) -> dict[str, Any]:
    counts = complaints.day_counts(db, principal, region, now.date())
    return {
        "day": counts.day.isoformat(),
        "total": counts.total,
        "categories": [
            {
                "key": key,
                "name": translate(f"complaints.category.{key}", language),
                "count": count,
            }
            for key, count in counts.by_category.items()
        ],
    }


def _targets(
    db: Database, principal: Principal, region: str, now: datetime, language: str
) -> dict[str, Any]:
    found = [
        target
        for target in tracking.region_targets(db, principal, region, now.date())
        if target.indicator_key
    ]
    found.sort(key=lambda t: (TARGET_ORDER.index(t.result.status), t.id))
    lights = {status.value: 0 for status in TARGET_ORDER if status is not Status.UNBOUND}
    for target in found:
        if target.result.status.value in lights:
            lights[target.result.status.value] += 1
    return {
        "counts": [
            {
                "status": status,
                "name": translate(f"plans.target.{status}", language),
                "colour": STATUS_COLOURS[Status(status)],
                "count": count,
            }
            for status, count in lights.items()
        ],
        "rows": [
            {
                "id": target.id,
                "name": target.indicator_name(language) or target.text,
                "status": target.result.status.value,
                "status_name": translate(f"plans.target.{target.result.status.value}", language),
                "colour": STATUS_COLOURS[target.result.status],
                "value": None if target.result.latest is None else target.result.latest.value,
                "goal": target.goal,
                "comparator": target.comparator,
                "unit": target.unit or "",
                "year": target.year,
            }
            for target in found[:TARGET_ROWS]
        ],
    }
