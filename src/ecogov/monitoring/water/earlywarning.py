"""Surface-water early warning (地表水水质预警): per section and factor, a seasonal trend model on
the monthly means — a least-squares regression on twelve month dummies and a linear trend
(statsmodels' STL is not a dependency) — predicts next month's value with its prediction spread,
hence the probability of exceeding the section's target-class limit (GB 3838-2002 Table 1,
normal prediction error). Sections above a configurable probability publish an alert, one per
section, factor and month (the dedupe key), into the one inbox.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Final

import numpy as np
from sqlalchemy import select

from ecogov.monitoring.water.access import SECTIONS
from ecogov.monitoring.water.models import Observation, Section
from ecogov.monitoring.water.service import data_version, stored_version
from ecogov.platform import alerts
from ecogov.platform.alerts import AlertDraft, AlertKind
from ecogov.platform.cache import TimedCache
from ecogov.platform.db import Database
from ecogov.platform.permissions import authorize
from ecogov.platform.scope import Principal
from ecogov.standards.gb3838 import NoLimitError, UnknownParameterError, WaterBody, class_limits
from ecogov.standards.timebase import BEIJING

KIND: Final = AlertKind("water.early_warning", "断面水质超标风险预警", "Section at risk next month")
MIN_MONTHS: Final = 24
"""Fewest monthly means a model is fitted on (two seasons, so each month dummy has two points)."""
DEFAULT_THRESHOLD: Final = 0.5
"""Probability of exceeding the target limit next month from which an alert is published."""


@dataclass(frozen=True)
class Prediction:
    """Next month's predicted value [the factor's unit] and the standard deviation of its
    prediction error, with the trend [unit per year] and the months fitted."""

    month: date
    value: float
    spread: float
    trend_per_year: float
    months: int


def _month_index(day: date) -> int:
    return day.year * 12 + day.month - 1


def predict_next(series: Sequence[tuple[date, float]]) -> Prediction | None:
    """Fit value = month effect + slope × t on the monthly ``series`` (first day of each month,
    gaps allowed) and predict the month after its last; None with fewer than
    :data:`MIN_MONTHS` points. The spread is the residual standard error widened by the new
    point's leverage (the ordinary least-squares prediction interval)."""
    if len(series) < MIN_MONTHS:
        return None
    ordered = sorted(series)
    start = _month_index(ordered[0][0])
    t = np.array([_month_index(d) - start for d, _ in ordered], dtype=float)
    y = np.array([v for _, v in ordered], dtype=float)

    def design(times: np.ndarray) -> np.ndarray:
        months = (times + start) % 12
        dummies = (months[:, None] == np.arange(12)[None, :]).astype(float)
        return np.column_stack([dummies, times / 12.0])

    x = design(t)
    coef, *_ = np.linalg.lstsq(x, y, rcond=None)
    rank = int(np.linalg.matrix_rank(x))
    dof = max(len(y) - rank, 1)
    residual = y - x @ coef
    sigma = math.sqrt(float(residual @ residual) / dof)
    nxt = t[-1] + 1
    x0 = design(np.array([nxt]))
    leverage = float((x0 @ np.linalg.pinv(x.T @ x) @ x0.T)[0, 0])
    index = start + int(nxt)
    return Prediction(
        month=date(index // 12, index % 12 + 1, 1),
        value=float((x0 @ coef)[0]),
        spread=sigma * math.sqrt(1.0 + leverage),
        trend_per_year=float(coef[-1]),
        months=len(y),
    )


def exceed_probability(prediction: Prediction, limit: float) -> float:
    """P(next month's value > ``limit``) under a normal prediction error (0 or 1 when the fit
    is exact)."""
    if prediction.spread <= 0:
        return 1.0 if prediction.value > limit else 0.0
    z = (limit - prediction.value) / prediction.spread
    return 0.5 * math.erfc(z / math.sqrt(2.0))


@dataclass(frozen=True)
class EarlyWarning:
    """A section's factor at risk of missing its target class next month."""

    section_id: int
    section_code: str
    section_name: str
    region_code: str
    parameter: str
    target_class: int
    limit: float
    prediction: Prediction
    probability: float


def _target_limit(parameter: str, target_class: int, water_body: str) -> float | None:
    body = WaterBody.LAKE_RESERVOIR if water_body == "lake" else WaterBody.RIVER
    try:
        limits = class_limits(parameter, water_body=body)
    except (NoLimitError, UnknownParameterError):
        return None
    if limits.lower is not None or limits.upper is None:
        return None  # pH and dissolved oxygen: not a "higher is worse" factor
    return float(limits.upper[target_class - 1])


CACHE_SECONDS: Final = 600.0
_assessments: TimedCache[tuple[Hashable, ...], tuple[EarlyWarning, ...]] = TimedCache(
    CACHE_SECONDS, max_entries=64
)


def assess(db: Database, principal: Principal) -> list[EarlyWarning]:
    """:func:`assess_now`, reused while no water import has run since (in this process or any
    other: the key holds both versions) by every user who sees the same sections (the key holds
    the principal's visibility). The models change only when observations arrive; fitting them
    for a province's 300 sections took 3-12 s a request (issue 20)."""
    authorize(principal, "read", SECTIONS)
    key = (db.url, data_version(), stored_version(db), principal.visibility)
    return list(_assessments.get(key, lambda: tuple(assess_now(db, principal))))


def assess_now(db: Database, principal: Principal) -> list[EarlyWarning]:
    """Every section and factor of the principal's region with a model: the monthly means of its
    observations (Beijing months), next month's prediction and the probability of exceeding the
    target-class limit, most probable first."""
    authorize(principal, "read", SECTIONS)
    sums: dict[tuple[int, str, date], list[float]] = defaultdict(list)
    with db.transaction(principal) as session:
        sections = {s.id: s for s in session.scalars(select(Section))}
        columns = (Observation.section_id, Observation.parameter, Observation.time)
        rows = session.execute(
            select(*columns, Observation.value).where(Observation.section_id.in_(list(sections)))
        )
        for section_id, parameter, time, value in rows:
            local = time.astimezone(BEIJING)
            sums[(section_id, parameter, date(local.year, local.month, 1))].append(value)
        found: list[EarlyWarning] = []
        series: dict[tuple[int, str], list[tuple[date, float]]] = defaultdict(list)
        for (section_id, parameter, month), values in sums.items():
            series[(section_id, parameter)].append((month, sum(values) / len(values)))
        for (section_id, parameter), points in series.items():
            section = sections[section_id]
            limit = _target_limit(parameter, section.target_class, section.water_body)
            prediction = predict_next(points) if limit is not None else None
            if prediction is None or limit is None:
                continue
            found.append(
                EarlyWarning(
                    section.id, section.code, section.name, section.region_code, parameter,
                    section.target_class, limit, prediction, exceed_probability(prediction, limit),
                )
            )  # fmt: skip
    return sorted(found, key=lambda w: (-w.probability, w.section_code, w.parameter))


def drafts(found: Sequence[EarlyWarning], threshold: float = DEFAULT_THRESHOLD) -> list[AlertDraft]:
    """The alerts of the warnings at or above ``threshold``: orange from the threshold, red from
    0.9; one per section, factor and predicted month."""
    out = []
    for w in found:
        if w.probability < threshold:
            continue
        month = w.prediction.month
        start = datetime(month.year, month.month, 1, tzinfo=BEIJING).astimezone(UTC)
        nxt = date(month.year + month.month // 12, month.month % 12 + 1, 1)
        end = datetime(nxt.year, nxt.month, 1, tzinfo=BEIJING).astimezone(UTC)
        out.append(
            AlertDraft(
                kind=KIND.key,
                severity="red" if w.probability >= 0.9 else "orange",
                title=f"{w.section_name}{month:%Y年%m月}{w.parameter}超{w.target_class}类风险"
                f"{w.probability:.0%}",
                region_code=w.region_code,
                window_start=start,
                window_end=end,
                dedupe_key=f"{KIND.key}:{w.section_code}:{w.parameter}:{month:%Y-%m}",
                evidence={
                    "predicted_mgl": round(w.prediction.value, 4),
                    "spread_mgl": round(w.prediction.spread, 4),
                    "limit_mgl": w.limit,
                    "probability": round(w.probability, 3),
                    "trend_per_year": round(w.prediction.trend_per_year, 4),
                    "months": w.prediction.months,
                },
                link=f"/water/early-warning?section={w.section_code}",
                site_code=w.section_code,
                site_name=w.section_name,
            )
        )
    return out


def publish(
    db: Database, principal: Principal, threshold: float = DEFAULT_THRESHOLD
) -> alerts.Published:
    """Assess the principal's sections and publish the alerts above ``threshold``."""
    return alerts.publish(db, drafts(assess(db, principal), threshold))
