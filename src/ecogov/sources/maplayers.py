"""What the sources domain gives the one map component: the key-level legend (重点排污单位
级别) and the enterprises layer."""

from __future__ import annotations

from datetime import date
from typing import Final

from ecogov.platform.maps import Legend, LegendItem, MapLayer

KEY_LEVEL_LEGEND: Final = "key_level"
KEY_LEVELS: Final = (
    ("national", "国控", "National", "#b42318"),
    ("provincial", "省控", "Provincial", "#dc6803"),
    ("municipal", "市控", "Municipal", "#2e90fa"),
    ("general", "一般", "General", "#98a2b3"),
)
"""Key levels of the enterprise registry, most closely watched first, with their map colours."""


def key_level_legend(when: date) -> Legend:
    """Enterprises by key level (国控 省控 市控 一般); the same on every day."""
    del when
    return Legend(
        key=KEY_LEVEL_LEGEND,
        title_zh="重点排污单位级别",
        title_en="Key level",
        items=tuple(LegendItem(key, zh, en, colour) for key, zh, en, colour in KEY_LEVELS),
    )


ENTERPRISES_LAYER: Final = MapLayer(
    key="enterprises",
    title_zh="污染源企业",
    title_en="Enterprises",
    url="/api/v1/sources/map?region={region}",
    legend=KEY_LEVEL_LEGEND,
    link="/sources/enterprises/{id}",
    tooltip=(("行业", "Industry", "industry"), ("区划代码", "Region", "region_code")),
    order=30,
    symbol_size=6,
)
