"""Surface-water indicators that plan targets bind to (``water.*``), from the section evaluation.

A region's value for a year is computed over the sections within the region (any level:
province, city or county): the annual assessment of each section (the mean of its monthly
values, 环办〔2011〕22号) and the shares over them. The current year gives the year-to-date
value (``partial``). One evaluation per region and year serves every water indicator for a short
while; an import in this process makes the next request compute afresh.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Final

import polars as pl

from ecogov.monitoring.water.evaluation import evaluate, parse_period
from ecogov.monitoring.water.service import stored_version
from ecogov.platform import clock
from ecogov.platform.cache import TimedCache
from ecogov.platform.db import Database
from ecogov.platform.indicators import Indicator, IndicatorValue
from ecogov.platform.scope import SYSTEM

CACHE_SECONDS: Final = 30.0
_evaluations: TimedCache[tuple[str, str, int, int], pl.DataFrame] = TimedCache(CACHE_SECONDS)


def _sections(db: Database, region: str, year: int) -> pl.DataFrame:
    """The year's section evaluation of the region (cached briefly; new data, new key)."""
    return _evaluations.get(
        (db.url, region, year, stored_version(db)),
        lambda: evaluate(
            db, SYSTEM, parse_period(str(year)), "section", region, with_previous=False
        ),
    )


def _percent(count: int, total: int) -> float:
    """``count / total`` in % with one decimal, rounded half to even (GB/T 8170)."""
    share = Decimal(100 * count) / Decimal(total)
    return float(share.quantize(Decimal("0.1"), ROUND_HALF_EVEN))


def _value(rows: pl.DataFrame, value: float, year: int) -> IndicatorValue:
    """The indicator value with its coverage (sections with a class of the sections in the
    region); the current year's value is partial, for the part of the year elapsed."""
    today = clock.today()
    partial = year == today.year
    days = (date(year, 12, 31) - date(year, 1, 1)).days
    return IndicatorValue(
        value=value,
        year=year,
        partial=partial,
        elapsed_fraction=min(1.0, (today - date(year, 1, 1)).days / days) if partial else 1.0,
        expected=rows.height,
        valid=int(rows["class"].is_not_null().sum()),
    )


def _share(rows: pl.DataFrame, year: int, among: pl.Expr, hit: pl.Expr) -> IndicatorValue | None:
    """The share [%] of the sections ``among`` that ``hit``, or None without such sections."""
    counted = rows.filter(among)
    if counted.is_empty():
        return None
    return _value(rows, _percent(counted.filter(hit).height, counted.height), year)


def share_I_III(db: Database, region: str, year: int) -> IndicatorValue | None:  # noqa: N802
    """Share [%] of the region's sections whose annual class is I–III (水质优良断面比例)."""
    classed = pl.col("class").is_not_null()
    good = pl.col("class").is_in(["I", "II", "III"])
    return _share(_sections(db, region, year), year, classed, good)


def count_worse_than_V(db: Database, region: str, year: int) -> IndicatorValue | None:  # noqa: N802
    """Number of the region's sections whose annual class is worse than V (劣Ⅴ类断面数)."""
    rows = _sections(db, region, year)
    if rows["class"].is_not_null().sum() == 0:
        return None
    return _value(rows, float((rows["class"] == "劣V").sum()), year)


def assessed_section_compliance(db: Database, region: str, year: int) -> IndicatorValue | None:
    """Share [%] of the region's sections meeting their target class (考核断面达标率)."""
    attains = pl.col("attains")
    return _share(_sections(db, region, year), year, attains.is_not_null(), attains)


def drinking_source_compliance(db: Database, region: str, year: int) -> IndicatorValue | None:
    """Share [%] of the region's drinking-water sources in compliance (饮用水水源地达标率):
    the annual means of the 21 basic items reach class III and the GB 3838 Table 2 items
    measured are within their limits."""
    compliant = pl.col("drinking_compliant")
    return _share(_sections(db, region, year), year, compliant.is_not_null(), compliant)


INDICATORS: Final = (
    Indicator(
        "water.share_I_III",
        "地表水水质优良（Ⅰ～Ⅲ类）断面比例",
        "Sections in classes I–III",
        "%",
        higher_is_better=True,
        compute=share_I_III,
        version=stored_version,
    ),
    Indicator(
        "water.count_worse_than_V",
        "劣Ⅴ类水质断面数",
        "Sections worse than class V",
        "个",
        higher_is_better=False,
        compute=count_worse_than_V,
        version=stored_version,
    ),
    Indicator(
        "water.assessed_section_compliance",
        "考核断面水质达标率",
        "Sections meeting their target class",
        "%",
        higher_is_better=True,
        compute=assessed_section_compliance,
        version=stored_version,
    ),
    Indicator(
        "water.drinking_source_compliance",
        "集中式饮用水水源地水质达标率",
        "Drinking-water sources in compliance",
        "%",
        higher_is_better=True,
        compute=drinking_source_compliance,
        version=stored_version,
    ),
)
"""The water indicators the plans bind targets to (keys of ``ecogov.plans`` target patterns)."""
