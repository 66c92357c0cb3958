"""The figures of a monthly report (环境质量月报), each computed by a named query of the domain
that owns it and carrying that query's name and parameters (its *source*), so every number of
the report can be traced and recomputed.

Figures are already rounded as the standards report them: the air statistics come rounded from
the engine (HJ 663: good-day ratio to 0.1 %, composite index to 0.01, change rate to 0.1 %), the
region's good-day ratio and the water shares are rounded here to 0.1 % per GB/T 8170 §3.3
(四舍六入五成双), as the air and water exports round.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from fractions import Fraction
from typing import Any, Final

import polars as pl

from ecogov.complaints import service as complaints
from ecogov.complaints.workflow import PUBLIC_ANSWER_STATES
from ecogov.hj212.alerts import EXCEEDANCE, FINDING
from ecogov.monitoring.air import evaluation as air
from ecogov.monitoring.air.evaluation import LEVEL_NUMBERS
from ecogov.monitoring.air.ranking import primary_text
from ecogov.monitoring.water import evaluation as water
from ecogov.plans import queries as plans
from ecogov.platform import alerts, periods
from ecogov.platform.db import Database
from ecogov.platform.periods import Period, period_text
from ecogov.platform.plugins import region_directory
from ecogov.platform.scope import Principal
from ecogov.standards.periods import Kind
from ecogov.standards.rounding import round_computed_gbt8170, round_gbt8170
from ecogov.standards.timebase import BEIJING

SHARE_DECIMALS: Final = 1
"""Shares and ratios [%] are reported to 0.1 (HJ 663 §5; 《地表水环境质量评价办法》)."""
WORST_SECTIONS: Final = 5
"""How many of the worst sections the report lists."""
WATER_CLASSES: Final = ("I", "II", "III", "IV", "V", "劣V")
GOOD_CLASSES: Final = frozenset({"I", "II", "III"})
MONTH_ONLY: Final[tuple[Kind, ...]] = ("month",)


@dataclass(frozen=True)
class Source:
    """The query that produced a figure: its dotted name and the parameters it was called with."""

    query: str
    params: dict[str, Any]

    def as_dict(self) -> dict[str, Any]:
        """The source as JSON."""
        return {"query": self.query, "params": self.params}


@dataclass(frozen=True)
class Figure:
    """One figure of a report: a number, a text, a series or a table (a list of rows)."""

    key: str
    value: Any
    source: Source

    def as_dict(self) -> dict[str, Any]:
        """The figure as JSON: its value and source."""
        return {"value": self.value, "source": self.source.as_dict()}


@dataclass(frozen=True)
class Figures:
    """The figures of a region and month, by key, with the region's name and the period."""

    region_code: str
    region_name: str
    period: str
    by_key: dict[str, Figure]

    def value(self, key: str) -> Any:
        """The value of figure ``key``."""
        return self.by_key[key].value

    def as_dict(self) -> dict[str, Any]:
        """The figures as JSON (the stored record and the API's ``format=json``)."""
        return {
            "region": self.region_code,
            "region_name": self.region_name,
            "period": self.period,
            "figures": {key: figure.as_dict() for key, figure in self.by_key.items()},
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Figures:
        """Figures as stored (:meth:`as_dict`)."""
        return cls(
            data["region"],
            data["region_name"],
            data["period"],
            {
                key: Figure(key, item["value"], Source(**item["source"]))
                for key, item in data["figures"].items()
            },
        )


def parse_month(text: str) -> Period:
    """A month ``YYYY-MM``; InputError in zh-CN and English for anything else."""
    return periods.parse_period(text, MONTH_ONLY, allow_range=False)


def share(part: int, whole: int) -> float | None:
    """``part / whole`` in % rounded to 0.1 per GB/T 8170, exactly (None when ``whole`` is 0)."""
    if whole == 0:
        return None
    return float(round_gbt8170(Fraction(100 * part, whole), SHARE_DECIMALS))


def _percent(value: float | None) -> float | None:
    return None if value is None else float(round_computed_gbt8170(value, SHARE_DECIMALS))


class _Collector:
    """Collects figures, each with the source of the query it came from."""

    def __init__(self) -> None:
        self.found: dict[str, Figure] = {}

    def add(self, source: Source, **values: Any) -> None:
        for key, value in values.items():
            name = key.replace("__", ".")
            self.found[name] = Figure(name, value, source)


# --- air ---------------------------------------------------------------------------------------


def _air_row(row: dict[str, Any]) -> dict[str, Any]:
    primary = row["composite_primary"]
    codes = [] if not primary else str(primary).split(";")
    return {
        "city": row["city"],
        "name": row["name"],
        "valid_days": row["valid_days"],
        "good_days": row["good_days"],
        "good_day_ratio": row["good_day_ratio"],
        **{f"level_{n}_days": row[f"level_{n}_days"] for n in LEVEL_NUMBERS},
        "composite_index": row["composite_index"],
        "rank": row["rank"],
        "previous_index": row["previous_index"],
        "change_rate": row["change_rate"],
        "primary": primary_text(codes),
        "primary_codes": codes,
    }


def _air(db: Database, principal: Principal, month: Period, region: str, out: _Collector) -> None:
    source = Source(
        "ecogov.monitoring.air.evaluation.evaluate",
        {"period": month.label, "by": "city", "region": region},
    )
    table = air.evaluate(db, principal, month.label, "city", region)
    cities = [_air_row(row) for row in table.iter_rows(named=True)] if table.height else []
    ranked = sorted((c for c in cities if c["rank"] is not None), key=lambda c: c["rank"])
    valid = sum(c["valid_days"] or 0 for c in cities)
    good = sum(c["good_days"] or 0 for c in cities)
    levels = [sum(c[f"level_{n}_days"] or 0 for c in cities) for n in LEVEL_NUMBERS]
    primary = Counter(code for c in cities for code in c["primary_codes"])
    out.add(source, air__cities=cities)
    summed = Source(source.query, {**source.params, "then": "sum over cities"})
    out.add(
        summed,
        air__valid_days=valid,
        air__good_days=good,
        air__good_day_ratio=share(good, valid),
        air__level_days=levels,
        air__heavy_days=sum(levels[4:]),
        air__primary=[
            {"pollutant": primary_text([code]), "cities": count}
            for code, count in sorted(primary.items(), key=lambda item: (-item[1], item[0]))
        ],
        air__best=ranked[0]["name"] if ranked else None,
        air__worst=ranked[-1]["name"] if ranked else None,
    )


# --- water -------------------------------------------------------------------------------------


def _class_order(label: str | None) -> int:
    return WATER_CLASSES.index(label) if label in WATER_CLASSES else -1


def _water(db: Database, principal: Principal, month: Period, region: str, out: _Collector) -> None:
    source = Source(
        "ecogov.monitoring.water.evaluation.evaluate",
        {"period": month.label, "by": "section", "region": region},
    )
    rows = water.evaluate(db, principal, month, "section", region)
    totals = water.summarize(rows)
    classed = rows.filter(pl.col("class").is_not_null())
    counts = Counter(classed["class"].to_list())
    changes = Counter(
        "better" if change < 0 else "worse" if change > 0 else "same"
        for change in classed["class_change"].drop_nulls().to_list()
    )
    worst = sorted(
        (r for r in classed.iter_rows(named=True) if r["class"] not in GOOD_CLASSES),
        key=lambda r: (-_class_order(r["class"]), r["section"]),
    )[:WORST_SECTIONS]
    current, before = totals["share_I_III"], totals["share_I_III_prev"]
    summary = Source("ecogov.monitoring.water.evaluation.summarize", source.params)
    out.add(
        summary,
        water__sections=totals["sections"],
        water__share_I_III=_percent(current),
        water__share_worse_than_V=_percent(totals["share_worse_than_V"]),
        water__attainment=_percent(totals["attainment"]),
        water__share_I_III_prev=_percent(before),
        water__share_I_III_change=(
            None
            if current is None or before is None
            else float(round_computed_gbt8170(current - before, SHARE_DECIMALS))
        ),
    )
    out.add(
        source,
        water__classes=[counts.get(label, 0) for label in WATER_CLASSES],
        water__better=changes["better"],
        water__worse=changes["worse"],
        water__same=changes["same"],
        water__worst_sections=[
            {
                "section": r["section"],
                "name": r["name"],
                "water_name": r["water_name"],
                "class": r["class"],
                "target": r["target"],
                "main_pollutants": r["main_pollutants"] or "",
                "class_prev": r["class_prev"],
            }
            for r in worst
        ],
    )


# --- pollution sources, complaints, rectification ----------------------------------------------


def _window(month: Period) -> tuple[datetime, datetime]:
    start = datetime.combine(month.first, time(), BEIJING)
    return start, datetime.combine(month.last + timedelta(days=1), time(), BEIJING)


def _sources(
    db: Database, principal: Principal, month: Period, region: str, out: _Collector
) -> None:
    since, until = _window(month)
    for key, kind in (("sources.exceedances", EXCEEDANCE), ("sources.findings", FINDING)):
        flt = alerts.InboxFilter(region=region, kind=kind.key, since=since, until=until)
        found = alerts.inbox(db, principal, flt)
        params = {
            "region": region,
            "kind": kind.key,
            "since": since.isoformat(),
            "until": until.isoformat(),
        }
        out.add(
            Source("ecogov.platform.alerts.inbox", params), **{key.replace(".", "__"): found.total}
        )


def _complaints(
    db: Database, principal: Principal, month: Period, region: str, out: _Collector
) -> None:
    rows = complaints.ledger(db, principal, region, month)
    source = Source("ecogov.complaints.service.ledger", {"region": region, "received": month.label})
    categories = Counter(row.category for row in rows)
    out.add(
        source,
        complaints__received=len(rows),
        complaints__answered=sum(row.state in PUBLIC_ANSWER_STATES for row in rows),
        complaints__overdue=sum(row.overdue for row in rows),
        complaints__categories=dict(sorted(categories.items())),
    )


def _rectification(
    db: Database, principal: Principal, month: Period, region: str, out: _Collector
) -> None:
    rows = plans.item_ledger(db, principal, plans.ItemFilter(region=region))
    since, until = _window(month)

    def within(moment: datetime | None) -> bool:
        return moment is not None and since <= moment < until

    open_at_end = [
        r for r in rows if r.created_at < until and (r.closed_at is None or r.closed_at >= until)
    ]
    source = Source("ecogov.plans.queries.item_ledger", {"region": region, "month": month.label})
    out.add(
        source,
        rectification__new=sum(within(r.created_at) for r in rows),
        rectification__closed=sum(within(r.closed_at) for r in rows),
        rectification__open=len(open_at_end),
        rectification__overdue=sum(r.deadline < month.last for r in open_at_end),
    )


PARTS: Final[dict[str, Callable[[Database, Principal, Period, str, _Collector], None]]] = {
    "air": _air,
    "water": _water,
    "sources": _sources,
    "complaints": _complaints,
    "rectification": _rectification,
}
"""The parts of the monthly report, each from the domain that owns it."""


def monthly(
    db: Database, principal: Principal, region: str, period: str, parts: tuple[str, ...] = ()
) -> Figures:
    """Every figure of the monthly report of ``region`` for ``period`` (``YYYY-MM``), read as
    ``principal`` (the figures of what it may see); ``parts`` limits them (the ranking
    announcement needs the air figures only)."""
    month = parse_month(period)
    found = region_directory().get(db, principal, region)
    out = _Collector()
    for name, part in PARTS.items():
        if not parts or name in parts:
            part(db, principal, month, region, out)
    out.add(
        Source("ecogov.platform.periods.period_text", {"period": month.label}),
        period__text=period_text(month),
    )
    return Figures(region, found.name, month.label, out.found)
