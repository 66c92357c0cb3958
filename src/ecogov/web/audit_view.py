"""Reading the audit log for the admin page, its CSV export and the JSON API.

The page shows one page of entries at a time with the total; the CSV export streams every
matching entry in batches (keyset paging on the id), however many there are. Actions, entities
and roles are shown by their Chinese names (English second), with the action code beside.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from ecogov.platform import audit
from ecogov.platform.db import Database
from ecogov.platform.errors import InputError
from ecogov.platform.exports import csv_cell
from ecogov.platform.i18n import translate
from ecogov.platform.params import check_year
from ecogov.platform.scope import Principal
from ecogov.standards.timebase import BEIJING

PAGE_SIZE = 50
"""Entries per page of the audit browser."""
EXPORT_BATCH = 1000
"""Entries read per query while streaming the CSV export."""
OPERATIONS = ("insert", "update", "delete")


@dataclass(frozen=True)
class AuditFilter:
    """Filters of the audit browser; dates are Beijing calendar days, inclusive."""

    actor: str | None = None
    action: str | None = None
    entity: str | None = None
    since: str | None = None
    until: str | None = None
    limit: int = 200
    page: int = 1


@dataclass(frozen=True)
class AuditPage:
    """One page of the audit browser."""

    rows: list[dict[str, Any]]
    total: int
    page: int
    pages: int


def _day(value: str | None, *, end: bool) -> datetime | None:
    if not value:
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError as exc:
        raise InputError(
            f"日期“{value}”格式不对，应为 YYYY-MM-DD (date {value!r} is not YYYY-MM-DD)"
        ) from exc
    check_year(day.year, "日期 date")
    if end:
        day += timedelta(days=1)
    return datetime.combine(day, time(), tzinfo=BEIJING)


def _filters(flt: AuditFilter) -> dict[str, Any]:
    return {
        "actor": flt.actor or None,
        "action": flt.action or None,
        "entity": flt.entity or None,
        "since": _day(flt.since, end=False),
        "until": _day(flt.until, end=True),
    }


def _name(key: str, fallback: str, language: str) -> str:
    text = translate(key, language)
    return fallback if text == key else text


def entity_label(entity: str, language: str = "zh") -> str:
    """The name of an audited table or event subject (``plan_task`` → 重点任务)."""
    return _name(f"audit.entity.{entity}", entity, language)


def action_label(action: str, language: str = "zh") -> str:
    """The name of an action: a registered one (``users.create`` → 新建用户); one under a
    registered prefix (``plans.task.start`` → 重点任务流转 · 开始办理); a row change named by its
    table and operation (``plan_task.update`` → 修改 重点任务); else the code itself."""
    named = _name(f"audit.action.{action}", "", language)
    if named:
        return named
    head, _, last = action.rpartition(".")
    if not head:
        return action
    prefix = _name(f"audit.action.{head}", "", language)
    if prefix:
        return f"{prefix} · {_name(f'audit.word.{last}', last, language)}"
    if last in OPERATIONS:
        return f"{translate(f'audit.op.{last}', language)} {entity_label(head, language)}"
    return action


def role_label(role: str, language: str = "zh") -> str:
    """The name of a role (``province_officer`` → 省级用户)."""
    return _name(f"role.{role}", role, language)


def _row(entry: audit.AuditEntry, language: str) -> dict[str, Any]:
    return {
        "id": entry.id,
        "at": entry.at.astimezone(BEIJING).isoformat(timespec="seconds"),
        "actor": entry.actor,
        "actor_role": entry.actor_role,
        "action": entry.action,
        "entity": entry.entity,
        "entity_id": entry.entity_id,
        "region_code": entry.region_code,
        "before": entry.before,
        "after": entry.after,
        "action_name": action_label(entry.action, language),
        "entity_name": entity_label(entry.entity, language),
        "role_name": role_label(entry.actor_role, language),
    }


def entries(
    db: Database, principal: Principal, flt: AuditFilter, language: str = "zh"
) -> list[dict[str, Any]]:
    """Matching entries as plain rows, newest first (at most ``flt.limit``)."""
    if not 1 <= flt.limit <= 5000:
        raise InputError("条数上限应在 1 到 5000 之间 (limit must be between 1 and 5000)")
    with db.transaction(principal) as session:
        found = audit.query(session, **_filters(flt), limit=flt.limit)
        return [_row(entry, language) for entry in found]


def page_of(
    db: Database, principal: Principal, flt: AuditFilter, language: str = "zh"
) -> AuditPage:
    """Page ``flt.page`` of the matching entries, newest first, with the total count."""
    if flt.page < 1:
        raise InputError("页码应从 1 开始 (page numbers start at 1)")
    filters = _filters(flt)
    with db.transaction(principal) as session:
        total = audit.count(session, **filters)
        pages = max(1, -(-total // PAGE_SIZE))
        page = min(flt.page, pages)
        found = audit.query(session, **filters, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
        rows = [_row(entry, language) for entry in found]
    return AuditPage(rows=rows, total=total, page=page, pages=pages)


CSV_COLUMNS = (
    ("id", "编号"),
    ("at", "时间"),
    ("actor", "操作人"),
    ("role_name", "角色"),
    ("action_name", "操作"),
    ("action", "操作代码"),
    ("entity_name", "对象"),
    ("entity_id", "对象编号"),
    ("region_code", "区划代码"),
    ("before", "变更前"),
    ("after", "变更后"),
)


def _csv_line(values: list[Any]) -> str:
    out = io.StringIO()
    csv.writer(out).writerow(values)
    return out.getvalue()


def csv_chunks(
    db: Database, principal: Principal, flt: AuditFilter, language: str = "zh"
) -> Iterator[str]:
    """Every matching entry as CSV text (UTF-8 with BOM for Excel), newest first, in chunks.

    Each batch is read in its own short transaction below the last id sent, so an export of
    any length holds no transaction open and never skips or repeats an entry.
    """
    filters = _filters(flt)
    with db.transaction(principal) as session:  # refuse non-admins before the first byte
        audit.count(session, **filters)
    yield "\ufeff" + _csv_line([title for _, title in CSV_COLUMNS])
    before_id: int | None = None
    while True:
        with db.transaction(principal) as session:
            found = audit.query(session, **filters, limit=EXPORT_BATCH, before_id=before_id)
            rows = [_row(entry, language) for entry in found]
        if not rows:
            return
        lines = []
        for row in rows:
            row = {**row, "before": audit.dumps(row["before"]), "after": audit.dumps(row["after"])}
            lines.append(_csv_line([csv_cell(row[key]) for key, _ in CSV_COLUMNS]))
        yield "".join(lines)
        before_id = rows[-1]["id"]
