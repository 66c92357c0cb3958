"""Automatic stations' real-time exceedances (水质自动站实时超标): the hourly values an automatic
station reported (water observations carrying an HJ 212 data flag; manual samples have none)
that break the section's target-class limits of GB 3838-2002 Table 1 — above the upper limit, or
below the lower one (dissolved oxygen, pH) — publish an alert, one per section, factor and
Beijing day (the dedupe key), red when the value is worse than class V too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Final

from sqlalchemy import select

from ecogov.monitoring.water.access import SECTIONS
from ecogov.monitoring.water.models import Observation, Section
from ecogov.platform import alerts
from ecogov.platform.alerts import AlertDraft, AlertKind
from ecogov.platform.db import Database
from ecogov.platform.permissions import authorize
from ecogov.platform.scope import Principal
from ecogov.standards.gb3838 import (
    ClassLimits,
    NoLimitError,
    UnknownParameterError,
    WaterBody,
    class_limits,
)
from ecogov.standards.timebase import BEIJING
from ecogov.standards.water_assessment import lookup_item

KIND: Final = AlertKind("water.realtime", "水质自动站实时超标", "Automatic station over its limit")
VALID_FLAG: Final = "N"
"""HJ 212 flag of a normal (valid) value: only those are judged."""


@dataclass(frozen=True)
class Exceedance:
    """A section's factor beyond its target-class limit on one day: the worst hourly value,
    the limit it broke, how many hours did and when the first and last did."""

    section_code: str
    section_name: str
    region_code: str
    parameter: str
    day: date
    target_class: int
    limit: float
    worst: float
    hours: int
    first: datetime
    last: datetime
    worse_than_v: bool


def _limits(parameter: str, water_body: str) -> ClassLimits | None:
    body = WaterBody.LAKE_RESERVOIR if water_body == "lake" else WaterBody.RIVER
    try:
        return class_limits(parameter, water_body=body)
    except (NoLimitError, UnknownParameterError):
        return None


@dataclass(frozen=True)
class Breach:
    """The limit a value broke, whether it broke class V too, and by how much (in the item's
    unit, positive: how far beyond the limit)."""

    limit: float
    worse_than_v: bool
    excess: float


def breach(limits: ClassLimits, target_class: int, value: float) -> Breach | None:
    """What ``value`` breaks at ``target_class``; None when it meets the class."""
    index = target_class - 1
    if limits.upper is not None and value > limits.upper[index]:
        return Breach(limits.upper[index], value > limits.upper[4], value - limits.upper[index])
    if limits.lower is not None and value < limits.lower[index]:
        return Breach(limits.lower[index], value < limits.lower[4], limits.lower[index] - value)
    return None


def exceedances(
    db: Database, principal: Principal, since: datetime, until: datetime
) -> list[Exceedance]:
    """The automatic-station exceedances of the principal's sections with ``since ≤ time <
    until``, per section, factor and Beijing day, by section and time."""
    authorize(principal, "read", SECTIONS)
    groups: dict[tuple[int, str, date], list[tuple[datetime, float, Breach]]] = {}
    with db.transaction(principal) as session:
        sections = {s.id: s for s in session.scalars(select(Section))}
        rows = session.execute(
            select(Observation.section_id, Observation.parameter, Observation.time,
                   Observation.value)
            .where(Observation.section_id.in_(list(sections)))
            .where(Observation.flag == VALID_FLAG)
            .where(Observation.time >= since, Observation.time < until)
            .order_by(Observation.time)
        ).all()  # fmt: skip
        for section_id, parameter, at, value in rows:
            section = sections[section_id]
            limits = _limits(parameter, section.water_body)
            broken = breach(limits, section.target_class, value) if limits else None
            if broken is None:
                continue
            local = at.astimezone(BEIJING)
            key = (section_id, parameter, local.date())
            groups.setdefault(key, []).append((local, value, broken))
    found = []
    for (section_id, parameter, day), hits in groups.items():
        section = sections[section_id]
        worst = max(hits, key=lambda h: h[2].excess)
        found.append(
            Exceedance(
                section.code, section.name, section.region_code, parameter, day,
                section.target_class, worst[2].limit, worst[1], len(hits), hits[0][0],
                hits[-1][0], any(h[2].worse_than_v for h in hits),
            )
        )  # fmt: skip
    return sorted(found, key=lambda e: (e.section_code, e.first, e.parameter))


def drafts(found: Sequence[Exceedance]) -> list[AlertDraft]:
    """One alert per section, factor and day."""
    out = []
    for e in found:
        start = datetime.combine(e.day, time(), BEIJING)
        name = lookup_item(e.parameter).name_zh
        out.append(
            AlertDraft(
                kind=KIND.key,
                severity="red" if e.worse_than_v else "orange",
                title=f"{e.section_name}{e.day:%m月%d日}{name}超{e.target_class}类限值",
                region_code=e.region_code,
                window_start=e.first.astimezone(UTC),
                window_end=min(e.last + timedelta(hours=1), start + timedelta(days=1)).astimezone(
                    UTC
                ),
                dedupe_key=f"{KIND.key}:{e.section_code}:{e.parameter}:{e.day.isoformat()}",
                evidence={
                    "factor": e.parameter,
                    "factor_name": name,
                    "peak": e.worst,
                    "limit": e.limit,
                    "hours": e.hours,
                    "target": e.target_class,
                },
                link=f"/water/sections/{e.section_code}",
                site_code=e.section_code,
                site_name=e.section_name,
            )
        )
    return out


def publish(
    db: Database, principal: Principal, since: datetime, until: datetime
) -> alerts.Published:
    """Judge the automatic stations' hours in the window and publish their alerts (republishing
    the same hours changes nothing; new hours of the day merge into its alert)."""
    return alerts.publish(db, drafts(exceedances(db, principal, since, until)))
