"""The air period report as a bureau sends it on: Chinese headers, reported values.

Column spec of ``/air/report.csv|xlsx`` and ``ecogov air report`` (the JSON API keeps the
snake_case names and the evaluation's own values). Rounding follows the reporting rules:

* concentrations: whole µg/m³, CO to 0.1 mg/m³, GB/T 8170 (HJ 633-2026 §4.2.2-4.2.3; HJ 663
  statistics reported at that resolution, STANDARDS.md §C.6) — :func:`round_concentration`;
* composite index to 2 decimals (环办监测〔2018〕19号, :data:`INDEX_DECIMALS`);
* percentages (good-day ratio, change rate) to 1 decimal (STANDARDS.md §C.6).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Final

import polars as pl

from ecogov.monitoring.air.evaluation import ITEMS, Grouping
from ecogov.platform.exports import Column, ColumnSpec, Formatter, attained, rounded, spec_rows
from ecogov.standards.gb3095 import Indicator
from ecogov.standards.hj633 import round_concentration
from ecogov.standards.ranking import INDEX_DECIMALS
from ecogov.standards.rounding import round_gbt8170

__all__ = ["ITEM_NAMES", "report_spec", "reported_rows"]

ITEM_NAMES: Final = {
    "SO2": "二氧化硫",
    "NO2": "二氧化氮",
    "CO": "一氧化碳",
    "O3_8H": "臭氧",
    "PM10": "可吸入颗粒物(PM10)",
    "PM2.5": "细颗粒物(PM2.5)",
}
"""Chinese names of the HJ 663 assessment items, as reports print them."""


def _concentration(indicator: str) -> Formatter:
    """Rounded to the reporting resolution of ``indicator`` (HJ 633-2026 §4.2.2-4.2.3)."""
    return rounded(lambda value: round_concentration(value, Indicator(indicator)))


def _decimals(places: int) -> Formatter:
    """Rounded to ``places`` decimals per GB/T 8170 §3.3."""

    def round_value(value: Any) -> Decimal:
        return round_gbt8170(value, places)

    return rounded(round_value)


_PERCENT = _decimals(1)


def report_spec(by: Grouping) -> ColumnSpec:
    """Columns of the period report by station or by city, in the layout of the bureaus'
    monthly/annual air quality report (排名, 综合指数, 优良天数比例, six pollutants)."""
    key = "城市代码" if by == "city" else "站点编码"
    name = "城市" if by == "city" else "站点名称"
    head = [Column(by, key), Column("name", name)]
    if by == "city":
        head += [
            Column("rank", "排名"),
            Column("composite_index", "综合指数", _decimals(INDEX_DECIMALS)),
            Column("previous_index", "上年同期综合指数", _decimals(INDEX_DECIMALS)),
            Column("change_rate", "综合指数变化率(%)", _PERCENT),
        ]
    else:
        head.append(Column("composite_index", "综合指数", _decimals(INDEX_DECIMALS)))
    return [
        *head,
        Column("valid_days", "有效监测天数"),
        Column("days_expected", "应监测天数"),
        Column("good_days", "优良天数"),
        Column("good_day_ratio", "优良天数比例(%)", _PERCENT),
        Column("heavy_days", "重污染天数"),
        Column("pm25_mean", "PM2.5平均浓度(μg/m³)", _concentration("PM2.5")),
        Column("pm10_mean", "PM10平均浓度(μg/m³)", _concentration("PM10")),
        Column("so2_mean", "SO2平均浓度(μg/m³)", _concentration("SO2")),
        Column("no2_mean", "NO2平均浓度(μg/m³)", _concentration("NO2")),
        Column("co_p95", "CO日均值第95百分位数(mg/m³)", _concentration("CO")),
        Column("o3_8h_p90", "O3日最大8小时平均第90百分位数(μg/m³)", _concentration("O3_8H")),
        Column("attained", "是否达标", attained),
        *(
            Column(f"{prefix}_attained", f"{ITEM_NAMES[item]}是否达标", attained)
            for item, prefix in ITEMS.items()
        ),
        *(
            Column(f"{prefix}_days", f"{ITEM_NAMES[item]}有效天数")
            for item, prefix in ITEMS.items()
        ),
    ]


def reported_rows(table: pl.DataFrame, by: Grouping) -> list[dict[str, Any]]:
    """The rows of the period report as the export writes them (``5.00``, ``46``, 达标), keyed
    by the table's column names, so the report page shows the figures the file holds."""
    if table.is_empty():
        return []
    spec = report_spec(by)
    _, rows = spec_rows(table, spec)
    return [dict(zip((column.name for column in spec), row, strict=True)) for row in rows]
