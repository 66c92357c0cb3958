"""Reading the audit log for the admin page, its CSV export and the JSON API."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from ecogov.platform import audit
from ecogov.platform.db import Database
from ecogov.platform.errors import InputError
from ecogov.platform.params import check_year
from ecogov.platform.scope import Principal
from ecogov.standards.timebase import BEIJING


@dataclass(frozen=True)
class AuditFilter:
    """Filters of the audit browser; dates are Beijing calendar days, inclusive."""

    actor: str | None = None
    action: str | None = None
    entity: str | None = None
    since: str | None = None
    until: str | None = None
    limit: int = 200


def _day(value: str | None, *, end: bool) -> datetime | None:
    if not value:
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError as exc:
        raise InputError(f"date {value!r} is not YYYY-MM-DD") from exc
    check_year(day.year, "日期 date")
    if end:
        day += timedelta(days=1)
    return datetime.combine(day, time(), tzinfo=BEIJING)


def entries(db: Database, principal: Principal, flt: AuditFilter) -> list[dict[str, Any]]:
    """Matching entries as plain rows, newest first."""
    if not 1 <= flt.limit <= 5000:
        raise InputError("limit must be between 1 and 5000")
    with db.transaction(principal) as session:
        found = audit.query(
            session,
            actor=flt.actor or None,
            action=flt.action or None,
            entity=flt.entity or None,
            since=_day(flt.since, end=False),
            until=_day(flt.until, end=True),
            limit=flt.limit,
        )
        return [
            {
                "id": e.id,
                "at": e.at.astimezone(BEIJING).isoformat(timespec="seconds"),
                "actor": e.actor,
                "actor_role": e.actor_role,
                "action": e.action,
                "entity": e.entity,
                "entity_id": e.entity_id,
                "region_code": e.region_code,
                "before": e.before,
                "after": e.after,
            }
            for e in found
        ]


def to_csv(rows: list[dict[str, Any]]) -> str:
    """The rows as CSV (UTF-8 with BOM so Excel opens the Chinese text correctly)."""
    out = io.StringIO()
    out.write("\ufeff")
    columns = [
        "id",
        "at",
        "actor",
        "actor_role",
        "action",
        "entity",
        "entity_id",
        "region_code",
        "before",
        "after",
    ]
    writer = csv.DictWriter(out, fieldnames=columns)
    writer.writeheader()
    for row in rows:
        writer.writerow(
            {**row, "before": audit.dumps(row["before"]), "after": audit.dumps(row["after"])}
        )
    return out.getvalue()
