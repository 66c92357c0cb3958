"""The portal's data: each domain's published figures, read as the anonymous public.

Every function asks the owning domain's service with :data:`PUBLIC` (the permission table's
``public`` role: read rights on the public kinds only) and keeps only the fields the endpoint's
schema declares (:mod:`ecogov.portal.schemas`). Results are kept for :data:`FRESH_SECONDS`
(:class:`Published`, with the body's ETag and the data's time), so a hundred visitors at once
cost one computation.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Final

import polars as pl
from sqlalchemy import select

from ecogov.enforcement import credit
from ecogov.enforcement import service as enforcement
from ecogov.enforcement.draws import view_of
from ecogov.enforcement.models import Draw
from ecogov.hj212 import disclosure as hj212_disclosure
from ecogov.monitoring.air import evaluation as air_evaluation
from ecogov.monitoring.air import ranking, views
from ecogov.monitoring.water import evaluation as water_evaluation
from ecogov.plans import disclosure as plans_disclosure
from ecogov.platform import clock
from ecogov.platform.cache import TimedCache
from ecogov.platform.db import Database
from ecogov.platform.errors import NotFound
from ecogov.platform.i18n import both
from ecogov.platform.scope import ANONYMOUS, Principal
from ecogov.platform.tables import TableQuery
from ecogov.portal import schemas
from ecogov.sources import disclosure as sources_disclosure
from ecogov.standards.timebase import BEIJING

PUBLIC: Final[Principal] = ANONYMOUS
"""Who the portal reads as: the anonymous public of the permission table."""
FRESH_SECONDS: Final = 60.0
"""How long a published result is reused (and what ``Cache-Control: max-age`` says)."""
LIST_LENGTH: Final = 10
"""Cities in the best and worst lists."""
DISCLOSED_CASE_STATES: Final = frozenset({"decided", "served", "executing", "closed"})
"""Penalty cases are public once decided (行政处罚决定公开); investigations are not."""


@dataclass(frozen=True)
class Published:
    """A public result: the validated record, its JSON body, ETag, the data's time and when
    it was computed (``time.monotonic()``: it is fresh for :data:`FRESH_SECONDS` from then)."""

    record: schemas.Public
    body: bytes
    etag: str
    modified: datetime | None
    computed: float

    def fresh_for(self) -> int:
        """Whole seconds this result stays fresh (what ``max-age`` may say): its lifetime less
        its age in whole seconds, as HTTP counts ``Age``."""
        return max(0, int(FRESH_SECONDS) - int(time.monotonic() - self.computed))


_published: TimedCache[Hashable, Published] = TimedCache(FRESH_SECONDS, max_entries=512)


def publish(
    db: Database, key: Hashable, build: Callable[[], tuple[schemas.Public, datetime | None]]
) -> Published:
    """The result of ``build`` for ``key``, reused while fresh."""

    def compute() -> Published:
        record, modified = build()
        body = record.model_dump_json().encode()
        etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
        return Published(record, body, etag, modified, time.monotonic())

    return _published.get((db.url, key), compute)


def clear() -> None:
    """Forget every published result (tests, after loading data)."""
    _published.clear()


def _day_time(day: date | None) -> datetime | None:
    return None if day is None else datetime(day.year, day.month, day.day, tzinfo=BEIJING)


# --- air ----------------------------------------------------------------------------------------


def air_latest(db: Database) -> Published:
    """Every station's real-time AQI at the latest hour (the map)."""

    def build() -> tuple[schemas.Public, datetime | None]:
        found = views.latest(db, PUBLIC, None)
        return schemas.LatestAqi.model_validate(found, from_attributes=True), found.time

    return publish(db, "air.latest", build)


def _ends(rows: list[Any]) -> tuple[list[Any], list[Any]]:
    ranked = [row for row in rows if row.rank is not None]
    return ranked[:LIST_LENGTH], ranked[::-1][:LIST_LENGTH]


def air_ranking(db: Database, kind: str, day: date | None = None) -> Published:
    """Real-time (``now``) or daily (``day``) city ranking as CNEMC publishes it."""

    def build() -> tuple[schemas.Public, datetime | None]:
        found = (
            ranking.ranking_now(db, PUBLIC)
            if kind == "now"
            else ranking.ranking_day(db, PUBLIC, None, day)
        )
        cities = [schemas.CityAqi.model_validate(row) for row in found.rows]
        best, worst = _ends(cities)
        record = schemas.AqiRanking(
            kind=found.kind, time=found.time, day=found.day, cities=cities, best=best, worst=worst
        )
        return record, found.time or _day_time(found.day)

    return publish(db, ("air.ranking", kind, day), build)


def default_period(kind: str) -> str:
    """The last complete month (``2026-10``) or year (``2025``) by the platform's clock."""
    today = clock.today()
    if kind == "year":
        return str(today.year - 1)
    month = today.month - 1 or 12
    return f"{today.year - (today.month == 1)}-{month:02d}"


def air_index_ranking(db: Database, kind: str, period: str | None = None) -> Published:
    """Monthly or annual city ranking by composite index (HJ 663), with change rates."""
    chosen = period or default_period(kind)

    def build() -> tuple[schemas.Public, datetime | None]:
        table = air_evaluation.evaluate(db, PUBLIC, chosen, "city")
        rows = [] if table.is_empty() else table.sort("rank", nulls_last=True).to_dicts()
        cities = [schemas.CityIndex.model_validate(row) for row in rows]
        best, worst = _ends(cities)
        record = schemas.IndexRanking(
            kind=kind, period=chosen, cities=cities, best=best, worst=worst
        )
        return record, None

    return publish(db, ("air.index", kind, chosen), build)


# --- water --------------------------------------------------------------------------------------


def water_sections(db: Database) -> Published:
    """Every section's class in the newest assessed year, and drinking-source compliance."""

    def build() -> tuple[schemas.Public, datetime | None]:
        period = water_evaluation.default_period(db, PUBLIC)
        if period is None:
            return schemas.WaterSections(period=None, sections=[]), None
        table = water_evaluation.evaluate(db, PUBLIC, period, "section", with_previous=False)
        rows = table.with_columns(pl.col("class").alias("water_class")).to_dicts()
        sections = [schemas.SectionClass.model_validate(_texts(row)) for row in rows]
        return schemas.WaterSections(period=period.label, sections=sections), period.end_time

    return publish(db, "water.sections", build)


def _texts(row: dict[str, Any]) -> dict[str, Any]:
    """Lists of the engine (main pollutants) as the text pages show."""
    return {k: "、".join(map(str, v)) if isinstance(v, list) else v for k, v in row.items()}


# --- enterprises --------------------------------------------------------------------------------


def enterprises(db: Database, table: TableQuery) -> Published:
    """One page of the key polluters matching ``table`` (name or credit code, key level)."""

    def build() -> tuple[schemas.Public, datetime | None]:
        rows, total = sources_disclosure.page_key_units(db, PUBLIC, table)
        record = schemas.Enterprises.model_validate(
            {"total": total, "page": table.page, "size": table.size, "enterprises": rows},
            from_attributes=True,
        )
        return record, None

    key = (table.page, table.size, table.sort, table.search, tuple(sorted(table.chosen.items())))
    return publish(db, ("enterprises", key), build)


def _finding(
    finding: tuple[int, str, str, str | None], progress: dict[str, plans_disclosure.Progress]
) -> schemas.FindingEntry:
    _, description, severity, ref = finding
    found = progress.get(ref or "")
    return schemas.FindingEntry(
        description=description,
        severity=severity,
        rectification=None
        if found is None
        else schemas.RectificationState.model_validate(found, from_attributes=True),
    )


def disclosure(db: Database, enterprise_id: int) -> Published:
    """What a key polluter discloses: its facts and permit limits, online hourly data against
    the limits with exceedances, credit grades, decided penalties, inspections and the progress
    of the rectification of what they found."""

    def build() -> tuple[schemas.Public, datetime | None]:
        entry, limits = sources_disclosure.key_unit(db, PUBLIC, enterprise_id)
        online = hj212_disclosure.key_unit_online(db, PUBLIC, enterprise_id)
        try:
            history = enforcement.history(db, PUBLIC, enterprise_id)
        except NotFound:
            history = None
        grades = credit.history(db, PUBLIC, enterprise_id) if history is None else history.credit
        inspections = history.inspections if history else ()
        refs = [ref for item in inspections for *_, ref in item.findings if ref]
        progress = plans_disclosure.progress(db, PUBLIC, refs)
        record = schemas.Disclosure(
            enterprise=schemas.EnterpriseEntry.model_validate(entry, from_attributes=True),
            permits=[schemas.PermitEntry.model_validate(p, from_attributes=True) for p in limits],
            online=[
                schemas.OutletOnline.model_validate(outlet, from_attributes=True)
                for outlet in online
            ],
            grade=None if history is None else history.grade,
            credit=[schemas.CreditGrade.model_validate(g, from_attributes=True) for g in grades],
            penalties=[
                schemas.Penalty.model_validate(case, from_attributes=True)
                for case in (history.cases if history else ())
                if case.state in DISCLOSED_CASE_STATES
            ],
            inspections=[
                schemas.InspectionEntry(
                    inspected_at=item.inspected_at,
                    findings=[_finding(finding, progress) for finding in item.findings],
                )
                for item in inspections
            ],
        )
        newest = max((outlet.chart.until for outlet in online), default=None)
        return record, newest

    return publish(db, ("disclosure", enterprise_id), build)


# --- double-random draws ------------------------------------------------------------------------


def draws(db: Database) -> Published:
    """Draws whose seed hash is published, newest first; seed and objects once revealed."""

    def build() -> tuple[schemas.Public, datetime | None]:
        with db.transaction(PUBLIC) as session:
            rows = session.scalars(
                select(Draw).where(Draw.status != "planned").order_by(Draw.id.desc()).limit(100)
            ).all()
            shown = [view_of(row) for row in rows]
        published = [
            schemas.DrawPublication.model_validate(
                {
                    **vars(view),
                    "tasks": view.result.get("tasks", []) if view.seed else [],
                }
            )
            for view in shown
        ]
        newest = max(
            (d.seed_revealed_at or d.hash_published_at for d in shown if d.hash_published_at),
            default=None,
        )
        return schemas.Draws(draws=published), newest

    return publish(db, "draws", build)


def not_found(what: str) -> NotFound:
    """The portal's 404 for a missing public record."""
    return NotFound(both("portal.not_found", what=what))
