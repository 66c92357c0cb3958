"""What the enforcement domain gives the one map component: the credit-grade legend (the
standards' 绿/蓝/黄/红牌 and their colours, plus 未评价) and the "enterprises by credit grade" layer
of the inspection-object directory, each point telling its open cases."""

from __future__ import annotations

from datetime import date
from typing import Final

from ecogov.platform.maps import NO_DATA_COLOUR, Legend, LegendItem, MapLayer
from ecogov.standards.enforcement.draw import UNRATED
from ecogov.standards.enforcement.rules import NATIONAL_RULES

GRADE_LEGEND: Final = "enf_credit_grade"
CREDIT_KEY: Final = "enf_credit"


def grade_legend(when: date) -> Legend:
    """Credit grades with the colours of the national rules; the same on every day."""
    del when
    items = tuple(
        LegendItem(g.key, f"{g.colour_zh}（{g.name_zh}）", g.key, g.colour)
        for g in NATIONAL_RULES.credit.grades
    )
    return Legend(
        key=GRADE_LEGEND,
        title_zh="企业环境信用等级",
        title_en="Environmental credit grade",
        items=(*items, LegendItem(UNRATED, "未评价", "unrated", NO_DATA_COLOUR)),
    )


CREDIT_LAYER: Final = MapLayer(
    key=CREDIT_KEY,
    title_zh="执法监管对象（信用等级）",
    title_en="Inspection objects (credit grade)",
    url="/enforcement/map/objects.geojson?region={region}",
    legend=GRADE_LEGEND,
    link="/enforcement/enterprises/{id}",
    tooltip=(
        ("在办案件", "Open cases", "open_cases"),
        ("本期立案", "Cases filed in the period", "period_cases"),
        ("监管类别", "Category", "category_name"),
    ),
    order=50,
    symbol_size=8,
)
