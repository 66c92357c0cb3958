"""Water tables as a bureau sends them on: Chinese headers, reported values, Chinese names.

Column specs of ``/water/export/<table>.csv|xlsx`` (the JSON API keeps snake_case names and
unrounded values). Rounding is GB/T 8170 (四舍六入五成双) to the places of the reporting rules,
a tie judged on the exact value, not on the float's last bit (``round_computed_gbt8170``):

* concentrations to the assessment places of 地表水环境质量监测数据统计技术规定（试行）
  (CNEMC 2020, STANDARDS.md §E.4): total phosphorus 3 decimals, total nitrogen 2;
* shares, attainment and compliance rates to 0.1 %, their year-on-year changes to 0.1
  percentage point (shares of 地表水环境质量评价办法（试行）; bulletins print one decimal);
* the trophic state index TLI to 1 decimal, as the bulletins print it;
* the city water quality index CWQI to 4 decimals, as the monthly city rankings print it
  (城市地表水环境质量排名技术规定（试行）; observed practice, the rule names no place).

Categories are named in Chinese: 河流/湖库, 国控/省控/市控, Ⅰ类…劣Ⅴ类, 是/否, 达标/未达标.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Final

import polars as pl

from ecogov.platform.db import Database
from ecogov.platform.exports import (
    Column,
    ColumnSpec,
    Formatter,
    attained,
    labelled,
    rounded,
    yes_no,
)
from ecogov.platform.scope import Principal
from ecogov.regions.service import region_names
from ecogov.standards.gb3838 import WaterClass
from ecogov.standards.rounding import round_computed_gbt8170

__all__ = ["CLASS_NAMES", "GROUP_SPECS", "SECTION_SPEC", "spec_for", "with_region_names"]

CLASS_NAMES: Final = {water_class.label: water_class.label_zh for water_class in WaterClass}
"""Class labels of the evaluation (``"II"``, ``"劣V"``) → GB 3838 names (``"Ⅱ类"``, ``"劣Ⅴ类"``)."""
WATER_BODY_NAMES: Final = {"river": "河流", "lake": "湖库"}
CONTROL_LEVEL_NAMES: Final = {"national": "国控", "provincial": "省控", "municipal": "市控"}
GRADE_METHOD_NAMES: Final = {"shares": "断面比例法", "mean": "浓度均值法"}
TP_DECIMALS: Final = 3
"""Total phosphorus assessment places (CNEMC 2020 statistics rule, STANDARDS.md §E.4)."""
TN_DECIMALS: Final = 2
"""Total nitrogen assessment places (CNEMC 2020 statistics rule, STANDARDS.md §E.4)."""


def _decimals(places: int) -> Formatter:
    """Rounded to ``places`` decimals per GB/T 8170 §3.3; the values are computed means and
    shares, so a tie is judged on the exact value, not on the float's last bit."""

    def round_value(value: Any) -> Decimal:
        return round_computed_gbt8170(float(value), places)

    return rounded(round_value)


def _class_change(value: Any) -> str:
    """A change of class against the year before (negative = better) in words."""
    steps = int(value)
    if steps == 0:
        return "持平"
    return f"{'好转' if steps < 0 else '变差'}{abs(steps)}个类别"


_CLASS = labelled(CLASS_NAMES)
_PERCENT = _decimals(1)

SECTION_SPEC: Final[ColumnSpec] = (
    Column("section", "断面编码"),
    Column("name", "断面名称"),
    Column("water_name", "所在水体"),
    Column("water_body", "水体类型", labelled(WATER_BODY_NAMES)),
    Column("basin", "所属流域"),
    Column("region_name", "所在行政区"),
    Column("region_code", "行政区代码"),
    Column("control_level", "控制级别", labelled(CONTROL_LEVEL_NAMES)),
    Column("target", "水质目标", _CLASS),
    Column("class", "水质类别", _CLASS),
    Column("grade", "水质状况"),
    Column("attains", "是否达标", attained),
    Column("main_pollutants", "主要污染指标(超标倍数)"),
    Column("months", "评价月数"),
    Column("cwqi", "水质指数(CWQI)", _decimals(4)),
    Column("drinking_source", "饮用水水源地", yes_no),
    Column("drinking_compliant", "水源地是否达标", attained),
    Column("failing_items", "水源地超标项目"),
    Column("tli", "综合营养状态指数", _decimals(1)),
    Column("trophic_state", "营养状态"),
    Column("tp", "总磷(mg/L)", _decimals(TP_DECIMALS)),
    Column("tn", "总氮(mg/L)", _decimals(TN_DECIMALS)),
    Column("class_prev", "上年同期水质类别", _CLASS),
    Column("class_change", "类别变化", _class_change),
    Column("tp_prev", "上年同期总磷(mg/L)", _decimals(TP_DECIMALS)),
    Column("tn_prev", "上年同期总氮(mg/L)", _decimals(TN_DECIMALS)),
    Column("lon", "经度"),
    Column("lat", "纬度"),
    Column("simulated", "模拟数据", yes_no),
)
"""Section ledger (断面水质评价表)."""

_GROUP_TAIL: Final[ColumnSpec] = (
    Column("sections", "评价断面数"),
    Column("sections_I_III", "Ⅰ～Ⅲ类断面数"),
    Column("sections_worse_than_V", "劣Ⅴ类断面数"),
    Column("share_I_III", "Ⅰ～Ⅲ类断面比例(%)", _PERCENT),
    Column("share_worse_than_V", "劣Ⅴ类断面比例(%)", _PERCENT),
    Column("attainment", "目标达标率(%)", _PERCENT),
    Column("grade", "水质状况"),
    Column("grade_method", "评价方法", labelled(GRADE_METHOD_NAMES)),
    Column("main_pollutants", "主要污染指标"),
    Column("drinking_sources", "饮用水水源地数"),
    Column("drinking_compliance", "水源地达标率(%)", _PERCENT),
    Column("share_I_III_prev", "上年同期Ⅰ～Ⅲ类断面比例(%)", _PERCENT),
    Column("share_I_III_change", "Ⅰ～Ⅲ类比例变化(百分点)", _PERCENT),
    Column("share_worse_than_V_prev", "上年同期劣Ⅴ类断面比例(%)", _PERCENT),
    Column("share_worse_than_V_change", "劣Ⅴ类比例变化(百分点)", _PERCENT),
    Column("attainment_prev", "上年同期目标达标率(%)", _PERCENT),
    Column("attainment_change", "目标达标率变化(百分点)", _PERCENT),
)

GROUP_SPECS: Final[dict[str, ColumnSpec]] = {
    "basins": (Column("basin", "流域"), *_GROUP_TAIL),
    "cities": (Column("city", "城市代码"), Column("city_name", "城市"), *_GROUP_TAIL),
}
"""Basin and city tables (流域/城市水质状况表)."""


def spec_for(table: str) -> ColumnSpec:
    """The column spec of one of the water tables (sections, basins, cities, drinking)."""
    return GROUP_SPECS.get(table, SECTION_SPEC)


def with_region_names(db: Database, principal: Principal, rows: pl.DataFrame) -> pl.DataFrame:
    """``rows`` with ``region_name`` beside ``region_code`` (the code when no name is known)."""
    if "region_code" not in rows.columns:
        return rows
    names = region_names(db, principal, rows["region_code"].drop_nulls().to_list())
    return rows.with_columns(
        region_name=pl.col("region_code").replace_strict(names, default=pl.col("region_code"))
    )
