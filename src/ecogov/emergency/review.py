"""The review after a warning is lifted (预警过程评估): the forecast against what happened — each
day's forecast AQI beside the city's observed daily AQI (the air domain's stored daily values,
scored per HJ 633) — and, per enterprise of the reduction list at the warning's level, whether
its online emissions dropped: per factor the mean of its hourly values (HJ 212 2061: emission
amount where reported, else concentration) while the warning was in force over the mean of the
week before it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Final

from ecogov.emergency import service
from ecogov.emergency.access import WARNING_KIND
from ecogov.hj212 import service as hj212
from ecogov.monitoring.air.evaluation import city_daily_aqi
from ecogov.platform.db import Database
from ecogov.platform.errors import Conflict
from ecogov.platform.i18n import both
from ecogov.platform.permissions import authorize
from ecogov.platform.scope import Principal
from ecogov.standards.hj212.codes import lookup_factor
from ecogov.standards.timebase import BEIJING

BASELINE_DAYS: Final = 7
"""The week before the warning the emissions are compared with."""


@dataclass(frozen=True)
class DayReview:
    """One day of the warning: forecast and observed AQI (None: no observation)."""

    date: date
    forecast_aqi: int | None
    observed_aqi: int | None

    @property
    def error(self) -> int | None:
        """Forecast minus observed."""
        if self.forecast_aqi is None or self.observed_aqi is None:
            return None
        return self.forecast_aqi - self.observed_aqi


@dataclass(frozen=True)
class FactorRatio:
    """A factor's hourly mean during the warning over the week before (None without both)."""

    factor: str
    name: str
    during: float | None
    before: float | None
    hours_during: int
    hours_before: int
    ratio: float | None


@dataclass(frozen=True)
class EnterpriseReview:
    """An enterprise of the list: its measure and, per factor, whether its emissions dropped."""

    enterprise_id: int
    enterprise: str
    cut_pct: float
    measures: str
    factors: list[FactorRatio]


@dataclass(frozen=True)
class Review:
    """The review of a lifted warning."""

    warning_id: int
    window_start: datetime
    window_end: datetime
    days: list[DayReview]
    enterprises: list[EnterpriseReview]


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def _window(view: service.WarningView, lifted_at: datetime | None) -> tuple[datetime, datetime]:
    start = datetime.combine(view.starts_on, time(), BEIJING)
    end = datetime.combine(view.ends_on + timedelta(days=1), time(), BEIJING)
    return start, min(end, lifted_at.astimezone(BEIJING)) if lifted_at else end


def ratios(during: dict[str, list[float]], before: dict[str, list[float]]) -> list[FactorRatio]:
    """Per factor reported in either window, the mean during over the mean before."""
    found = []
    for code in sorted(set(during) | set(before)):
        now, then = _mean(during.get(code, [])), _mean(before.get(code, []))
        factor = lookup_factor(code)
        found.append(
            FactorRatio(
                code, factor.name.zh if factor else code, now, then,
                len(during.get(code, [])), len(before.get(code, [])),
                now / then if now is not None and then else None,
            )
        )  # fmt: skip
    return found


def review(db: Database, principal: Principal, warning_id: int) -> Review:
    """The review of a lifted warning (409 before it is lifted)."""
    authorize(principal, "read", WARNING_KIND)
    view = service.get(db, principal, warning_id)
    if view.state != "lifted":
        raise Conflict(both("emergency.error.not_lifted", id=warning_id))
    start, end = _window(view, view.lifted_at)
    forecast = {date.fromisoformat(d["date"]): int(d["aqi"]) for d in view.forecast}
    last = (end - timedelta(microseconds=1)).date()
    observed = city_daily_aqi(db, principal, view.region_code, view.starts_on, last)
    span = (last - view.starts_on).days + 1
    days = [
        DayReview(day, forecast.get(day), observed.get(day))
        for day in (view.starts_on + timedelta(days=i) for i in range(span))
    ]
    baseline = start - timedelta(days=BASELINE_DAYS)
    enterprises = [
        EnterpriseReview(
            row.enterprise_id, row.enterprise, row.cut_pct, row.measures,
            ratios(
                hj212.enterprise_hourly(db, principal, row.enterprise_id, start, end),
                hj212.enterprise_hourly(db, principal, row.enterprise_id, baseline, start),
            ),
        )
        for row in service.reduction_list(db, principal, view.region_code, view.level)
    ]  # fmt: skip
    return Review(warning_id, start, end, days, enterprises)
