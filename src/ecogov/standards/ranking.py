"""City ranking: composite index and change rate (环办监测〔2018〕19号).

Rule: 城市环境空气质量排名技术规定 (2018), issued with 环办监测〔2018〕19号.

Composite index (环境空气质量综合指数) I = Σ C_i / S_i over six pollutants, unweighted: period
means of SO2, NO2, PM10, PM2.5 over their annual 二级 limits, the CO 95th percentile of daily means
over the CO 24-hour limit and the O3 90th percentile of MDA8 over the O3 MDA8 limit. The
denominators S_i are read from :mod:`ecogov.standards.gb3095` for the limit stage of the period,
so they follow the GB 3095 edition: 60/40/70/35/4/160 under GB 3095-2012; PM10 60 and PM2.5 30
under the GB 3095-2026 transitional stage; SO2 20, NO2 30, PM10 50, PM2.5 25 under the final stage.

Decisions (STANDARDS.md §G.2, §G.9):

* Denominators follow the stage in force (§G.2 is unresolved: no 2026 ranking rule was found;
  one third-party source uses the transitional limits). Compute the index of the same period of
  the previous year with the *same* stage when a change rate is wanted.
* The statistics are rounded to their reporting resolution (whole µg/m³, CO 0.1 mg/m³, GB/T 8170)
  before dividing, the sum is kept exact and only the index is rounded, to 2 decimals (GB/T 8170).
  This reproduces the published Wuyuan 2023-09 (2.63) and July example (3.06) indices; two other
  releases (Naiman, Heyuan) differ by 0.01, consistent with those agencies using unrounded values.
* Rankings use the reported (2-decimal) index, so cities equal at the published precision share a
  rank. The unverified weighted variant (PM2.5 ×3, NO2 ×2, O3 ×2, STANDARDS.md §D.3) is not
  implemented: it does not reproduce any published index.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from types import MappingProxyType
from typing import TypeVar

from ecogov.standards.editions import LimitStage
from ecogov.standards.gb3095 import Averaging, Indicator, ZoneClass, limit
from ecogov.standards.hj633 import round_concentration
from ecogov.standards.hj663 import arithmetic_mean, percentile
from ecogov.standards.rounding import InvalidValueError, Number, round_gbt8170, to_fraction

__all__ = [
    "COMPOSITE_ITEMS",
    "INDEX_DECIMALS",
    "CompositeIndex",
    "CompositeItem",
    "change_rate",
    "competition_rank",
    "composite_index",
    "denominators",
    "period_statistics",
    "rank_by_composite_index",
    "rank_deterioration",
]

K = TypeVar("K", bound=Hashable)

INDEX_DECIMALS = 2
"""Composite indices are reported with 2 decimals (GB/T 8170), as in every provincial release."""


@dataclass(frozen=True, slots=True)
class CompositeItem:
    """One term of the composite index: its statistic and the GB 3095 limit it is divided by.

    ``percentile`` None means the period mean; otherwise that percentile of the daily values
    (HJ 663 Appendix A). ``limit_averaging`` picks the 二级 limit used as denominator.
    """

    indicator: Indicator
    percentile: int | None
    limit_averaging: Averaging


COMPOSITE_ITEMS: tuple[CompositeItem, ...] = (
    CompositeItem(Indicator.SO2, None, Averaging.YEAR),
    CompositeItem(Indicator.NO2, None, Averaging.YEAR),
    CompositeItem(Indicator.PM10, None, Averaging.YEAR),
    CompositeItem(Indicator.PM2_5, None, Averaging.YEAR),
    CompositeItem(Indicator.CO, 95, Averaging.DAY),
    CompositeItem(Indicator.O3_8H, 90, Averaging.DAILY_MAX_8H),
)
"""环办监测〔2018〕19号 §3 and Annex (composite index), STANDARDS.md §D.1."""


def denominators(stage: LimitStage) -> dict[Indicator, Decimal]:
    """Denominators S_i [µg/m³; CO mg/m³]: the GB 3095 二级 limits of each composite item.

    Annual limits for SO2, NO2, PM10, PM2.5; 24-hour limit for CO; MDA8 limit for O3.
    Source: 环办监测〔2018〕19号 with GB 3095-2012 Table 1; GB 3095-2026 Table 1 for the 2026
    stages (decision, see module notes). Editions: all limit stages.
    """
    return {
        item.indicator: limit(item.indicator, item.limit_averaging, ZoneClass.TWO, stage)
        for item in COMPOSITE_ITEMS
    }


def period_statistics(daily: Mapping[Indicator, Collection[Number]]) -> dict[Indicator, Fraction]:
    """Statistics C_i of the composite index from the period's valid daily values, exact.

    ``daily`` maps each composite indicator to its valid daily values [µg/m³; CO mg/m³] (daily
    means; MDA8 for O3_8H) over the month, quarter or year. Period mean for SO2, NO2, PM10,
    PM2.5; CO 95th and O3 90th percentiles (HJ 663-2013 Appendix A). Source: 环办监测〔2018〕19号.
    Editions: 2012, 2026.

    Raises:
        KeyError: when a composite indicator is missing from ``daily``.
    """
    return {
        item.indicator: arithmetic_mean(daily[item.indicator])
        if item.percentile is None
        else percentile(daily[item.indicator], item.percentile)
        for item in COMPOSITE_ITEMS
    }


@dataclass(frozen=True, slots=True)
class CompositeIndex:
    """Composite index: single indices I_i = C_i/S_i, their exact sum, the reported value.

    ``primary`` lists the indicators with the largest I_i (the composite's primary pollutant).
    """

    sub_indices: Mapping[Indicator, Fraction]
    total: Fraction
    reported: Decimal
    primary: tuple[Indicator, ...]


def composite_index(statistics: Mapping[Indicator, Number], stage: LimitStage) -> CompositeIndex:
    """Composite index I = Σ C_i/S_i (环办监测〔2018〕19号 Annex; STANDARDS.md §D.1).

    ``statistics`` holds C_i [µg/m³; CO mg/m³] for the six composite items (see
    :func:`period_statistics`); each is rounded to its reporting resolution per GB/T 8170 first.
    ``reported`` is the index rounded to 2 decimals (GB/T 8170). Dimensionless.
    Editions: all limit stages (denominators from :func:`denominators`).

    Raises:
        KeyError: when a composite indicator is missing from ``statistics``.
    """
    limits = denominators(stage)
    sub_indices = {
        indicator: to_fraction(round_concentration(statistics[indicator], indicator))
        / to_fraction(denominator)
        for indicator, denominator in limits.items()
    }
    total = sum(sub_indices.values(), Fraction(0))
    highest = max(sub_indices.values())
    return CompositeIndex(
        sub_indices=MappingProxyType(sub_indices),
        total=total,
        reported=round_gbt8170(total, INDEX_DECIMALS),
        primary=tuple(i for i, value in sub_indices.items() if value == highest),
    )


def change_rate(current: Number, previous: Number) -> Fraction:
    """Change rate of the composite index vs the same period last year, as a ratio (×100 → %).

    (I_current − I_previous) / I_previous: > 0 worse, < 0 better, 0 unchanged
    (环办监测〔2018〕19号, 变化程度排名; STANDARDS.md §D.2). Report it with
    :func:`ecogov.standards.hj663.report_percent` (one decimal %). Dimensionless.
    Editions: all limit stages (both indices must use the same stage).

    Raises:
        InvalidValueError: when the previous index is 0.
    """
    before = to_fraction(previous)
    if before == 0:
        raise InvalidValueError("change rate against a zero composite index is undefined")
    return (to_fraction(current) - before) / before


def competition_rank(values: Mapping[K, Number], *, descending: bool = False) -> dict[K, int]:
    """Rank with ties sharing a rank ("1, 2, 2, 4"); rank 1 is the smallest value by default.

    Source: 环办监测〔2018〕19号 (equal values share a rank). Dimensionless. Editions: any.
    """
    exact = {key: to_fraction(value) for key, value in values.items()}
    ordered = sorted(exact.values(), reverse=descending)
    first_position: dict[Fraction, int] = {}
    for position, value in enumerate(ordered, start=1):
        first_position.setdefault(value, position)
    return {key: first_position[value] for key, value in exact.items()}


def rank_by_composite_index(indices: Mapping[K, CompositeIndex]) -> dict[K, int]:
    """City ranking by composite index, best (lowest) first, on the reported 2-decimal value.

    Cities equal at the published precision share a rank (环办监测〔2018〕19号 §3). Editions: all.
    """
    return competition_rank({key: index.reported for key, index in indices.items()})


def rank_deterioration(
    change_rates: Mapping[K, Number], fully_attaining: Collection[K]
) -> dict[K, int]:
    """Ranking of the largest deterioration (largest change rate first), ties sharing a rank.

    Cities in ``fully_attaining`` (every pollutant meets 二级 in the period) are excluded, as the
    change-rate ranking rule prescribes (环办监测〔2018〕19号, 变化程度排名; STANDARDS.md §D.2).
    Change rates dimensionless. Editions: all.
    """
    candidates = {key: rate for key, rate in change_rates.items() if key not in fully_attaining}
    return competition_rank(candidates, descending=True)
