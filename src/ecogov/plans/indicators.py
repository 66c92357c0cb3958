"""Manually reported indicators (人工填报指标): values a unit enters with its evidence.

Soil safe-use rates, hazardous-waste disposal rates, forest cover, energy shares … are statistics
of other departments, not computed from monitoring data. The plans domain declares them (every
key the plan importer binds to that no monitoring engine computes) and stores their values in
:class:`~ecogov.plans.models.ManualIndicatorValue`, one per indicator, region and year. The
``air.*`` and ``water.*`` indicators computed from monitoring data are declared by those domains.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from typing import Final

from sqlalchemy import select

from ecogov.plans.access import PLANS
from ecogov.plans.models import ManualIndicatorValue
from ecogov.platform.db import Database
from ecogov.platform.errors import InputError
from ecogov.platform.i18n import Catalogue, both, register
from ecogov.platform.indicators import Aggregation, Indicator, IndicatorValue
from ecogov.platform.permissions import authorize
from ecogov.platform.scope import SYSTEM, Principal, region_prefix
from ecogov.regions.service import get_region

ERRORS: Final[Catalogue] = {
    "plans.error.value_year": (
        "年份 {year} 应在 {first} 至 {last} 之间",
        "year {year} must lie between {first} and {last}",
    ),
    "plans.error.value_negative": (
        "{key}：数值 {value} 应为不小于 0 的数",
        "{key}: value {value} must be a number ≥ 0",
    ),
    "plans.error.value_percent": (
        "{key}：{value} % 超过 100 %",
        "{key}: {value} % is more than 100 %",
    ),
    "plans.error.not_manual": (
        "{key!r} 不是人工填报的指标",
        "{key!r} is not a manually reported indicator",
    ),
    "plans.error.no_evidence": (
        "填报值须注明依据（来源文件、表格或公报）",
        "a reported value needs its evidence (source document, table, bulletin)",
    ),
}
register(ERRORS)

FIRST_YEAR: Final = 2000
"""The earliest year a manual value may be reported for."""


def manual_value(db: Database, key: str, region_code: str, year: int) -> IndicatorValue | None:
    """The reported value of ``key`` for a region and year, or None when nobody reported it.

    Read as the system: the caller (the target service) has already checked the region is in
    the user's scope.
    """
    with db.transaction(SYSTEM) as session:
        value = session.scalar(
            select(ManualIndicatorValue.value).where(
                ManualIndicatorValue.indicator == key,
                ManualIndicatorValue.region_code == region_code,
                ManualIndicatorValue.year == year,
            )
        )
    return None if value is None else IndicatorValue(value=value, year=year)


def _manual(
    key: str,
    name_zh: str,
    name_en: str,
    unit: str,
    *,
    higher_is_better: bool = True,
    aggregation: Aggregation = Aggregation.LEVEL,
) -> Indicator:
    """Declare a manual indicator whose values come from :func:`manual_value`."""

    def compute(db: Database, region_code: str, year: int) -> IndicatorValue | None:
        return manual_value(db, key, region_code, year)

    return Indicator(
        key=key,
        name_zh=name_zh,
        name_en=name_en,
        unit=unit,
        higher_is_better=higher_is_better,
        aggregation=aggregation,
        compute=compute,
        manual=True,
    )


MANUAL_INDICATORS: Final = (
    _manual(
        "soil.contaminated_site_safe_use_rate",
        "污染地块安全利用率",
        "Contaminated sites in safe use",
        "%",
    ),
    _manual(
        "soil.polluted_farmland_safe_use_rate",
        "受污染耕地安全利用率",
        "Polluted farmland in safe use",
        "%",
    ),
    _manual(
        "waste.hazardous_harmless_disposal_rate",
        "危险废物无害化处置率",
        "Hazardous waste disposed harmlessly",
        "%",
    ),
    _manual(
        "waste.hazardous_standardised_management_rate",
        "危险废物规范化管理达标率",
        "Hazardous-waste management up to standard",
        "%",
    ),
    _manual(
        "waste.sludge_harmless_disposal_rate",
        "污泥无害化处置率",
        "Sewage sludge disposed harmlessly",
        "%",
    ),
    _manual("waste.medical_disposal_rate", "医疗废物处置率", "Medical waste disposed", "%"),
    _manual(
        "air.clean_air_zone_city_share",
        "建成清新空气示范区的县级以上城市比例",
        "Cities that are clean-air demonstration zones",
        "%",
    ),
    _manual("water.sewage_treatment_rate", "污水处理率", "Sewage treatment rate", "%"),
    _manual("water.reclaimed_use_rate", "再生水利用率", "Reclaimed water use rate", "%"),
    _manual("water.total_use", "用水总量", "Total water use", "亿立方米", higher_is_better=False),
    _manual("eco.forest_coverage", "森林覆盖率", "Forest cover", "%"),
    _manual("eco.plain_tree_coverage", "平原林木覆盖率", "Tree cover of the plains", "%"),
    _manual("eco.forest_stock_area", "森林保有量", "Forest area kept", "万亩"),
    _manual(
        "eco.public_welfare_forest_area", "重点公益林面积", "Key public-welfare forest area", "万亩"
    ),
    _manual("eco.wetland_area", "湿地面积", "Wetland area", "万公顷"),
    _manual("eco.wetland_protection_rate", "湿地保护率", "Wetland protection rate", "%"),
    _manual(
        "energy.natural_gas_share", "天然气占一次能源消费比重", "Natural gas in primary energy", "%"
    ),
    _manual(
        "energy.non_fossil_share",
        "非化石能源占一次能源消费比重",
        "Non-fossil share of primary energy",
        "%",
    ),
    _manual(
        "energy.renewable_capacity", "可再生能源装机容量", "Renewable generating capacity", "万千瓦"
    ),
    _manual(
        "energy.electricity_final_share",
        "电力占终端能源消费比重",
        "Electricity in final energy use",
        "%",
    ),
    _manual(
        "emission.vocs_reduction",
        "重点行业VOCs排放量削减比例",
        "Cut in VOCs emissions of key sectors",
        "%",
    ),
    _manual(
        "emission.heavy_metal_reduction",
        "重点重金属污染物排放量削减比例",
        "Cut in heavy-metal emissions",
        "%",
    ),
    _manual(
        "emission.coal_consumption_reduction",
        "煤炭消费总量削减比例",
        "Cut in coal consumption",
        "%",
    ),
    _manual(
        "marine.floating_litter_density_reduction",
        "海漂垃圾密度降低比例",
        "Cut in floating marine litter density",
        "%",
    ),
    _manual(
        "risk.major_environmental_incidents",
        "重特大突发环境事件数",
        "Major environmental incidents",
        "起",
        higher_is_better=False,
        aggregation=Aggregation.COUNT,
    ),
    _manual(
        "rural.sanitary_toilet_coverage",
        "农村卫生厕所普及率",
        "Rural sanitary toilet coverage",
        "%",
    ),
    _manual(
        "inspection.rectified_items",
        "督察反馈问题完成整改数",
        "Inspection findings rectified",
        "项",
        aggregation=Aggregation.COUNT,
    ),
)
"""The manual indicators, in the order the report form lists them."""

MANUAL_BY_KEY: Final = {indicator.key: indicator for indicator in MANUAL_INDICATORS}


@dataclass(frozen=True)
class ManualValueView:
    """A reported value with who reported it and the evidence they cited."""

    id: int
    indicator: str
    region_code: str
    year: int
    value: float
    reported_by: str
    evidence: str | None


def _check_value(indicator: Indicator, year: int, value: float, today: date) -> None:
    if not FIRST_YEAR <= year <= today.year:
        raise InputError(
            both("plans.error.value_year", year=year, first=FIRST_YEAR, last=today.year)
        )
    if not math.isfinite(value) or value < 0:
        raise InputError(both("plans.error.value_negative", key=indicator.key, value=value))
    if indicator.unit == "%" and value > 100:
        raise InputError(both("plans.error.value_percent", key=indicator.key, value=value))


def report_value(
    db: Database,
    principal: Principal,
    *,
    key: str,
    region_code: str,
    year: int,
    value: float,
    evidence: str,
    today: date,
) -> int:
    """Record (or correct) the value of a manual indicator for a region and year, with the
    evidence it rests on (a bulletin, a statistics table…). Officers of the region report;
    a correction replaces the value and the audit log keeps the one before."""
    authorize(principal, "create", PLANS)
    indicator = MANUAL_BY_KEY.get(key)
    if indicator is None:
        raise InputError(both("plans.error.not_manual", key=key))
    if not evidence.strip():
        raise InputError(both("plans.error.no_evidence"))
    get_region(db, principal, region_code)
    _check_value(indicator, year, value, today)
    with db.transaction(principal, action="plans.indicator.report") as session:
        row = session.scalar(
            select(ManualIndicatorValue).where(
                ManualIndicatorValue.indicator == key,
                ManualIndicatorValue.region_code == region_code,
                ManualIndicatorValue.year == year,
            )
        )
        if row is None:
            row = ManualIndicatorValue(indicator=key, region_code=region_code, year=year)
            session.add(row)
        row.value = value
        row.evidence = evidence.strip()
        row.reported_by = principal.username
        session.flush()
        return row.id


def reported_values(db: Database, principal: Principal, region_code: str) -> list[ManualValueView]:
    """Values reported for a region and the regions below it, newest year first."""
    authorize(principal, "read", PLANS)
    with db.transaction(principal) as session:
        rows = session.scalars(
            select(ManualIndicatorValue)
            .where(ManualIndicatorValue.region_code.startswith(region_prefix(region_code)))
            .order_by(
                ManualIndicatorValue.year.desc(),
                ManualIndicatorValue.region_code,
                ManualIndicatorValue.indicator,
            )
        ).all()
        return [
            ManualValueView(
                r.id, r.indicator, r.region_code, r.year, r.value, r.reported_by, r.evidence
            )
            for r in rows
        ]
