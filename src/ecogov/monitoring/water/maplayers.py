"""What the surface-water domain gives the one map component: the water-class legend (GB 3838
classes I–劣V in the grade colours of 环办〔2011〕22号) and the sections layer."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any, Final

from ecogov.platform.maps import Legend, LegendItem, MapLayer
from ecogov.standards.gb3838 import WaterClass
from ecogov.standards.water_assessment import grade_for_class

COLOUR_HEX: Final = {
    "blue": "#1f6fd1",
    "green": "#2e9e44",
    "yellow": "#f2c500",
    "orange": "#f28c28",
    "red": "#d7263d",
}
"""Display shades of the grade colours of 环办〔2011〕22号 (蓝 绿 黄 橙 红). The method names the
colours, not their values: these hex values are the platform's palette."""
CLASS_COLOURS: Final = {c.label: COLOUR_HEX[grade_for_class(c).colour] for c in WaterClass}
"""Map colour of each class label: I–II blue, III green, IV yellow, V orange, 劣V red."""
WATER_CLASS_LEGEND: Final = "water_class"


def water_class_legend(when: date) -> Legend:
    """Water classes I–劣V (GB 3838-2002) in the grade colours of 环办〔2011〕22号 (the same on
    every day: ``when`` is the registry's signature)."""
    del when
    return Legend(
        key=WATER_CLASS_LEGEND,
        title_zh="水质类别",
        title_en="Water class",
        source="GB 3838-2002；环办〔2011〕22号",
        items=tuple(
            LegendItem(
                key=water_class.label,
                label_zh=water_class.label_zh,
                label_en=f"Class {water_class.label}".replace("劣V", "worse than V"),
                colour=CLASS_COLOURS[water_class.label],
            )
            for water_class in WaterClass
        ),
    )


def section_features(rows: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Evaluated sections (rows with ``section``, ``name``, ``lon``, ``lat``, ``class``,
    ``main_pollutants``) as GeoJSON points, the class as the category of the class legend."""
    return [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [row["lon"], row["lat"]]},
            "properties": {
                "code": row["section"],
                "name": row["name"],
                "category": row.get("class"),
                "class": row.get("class") or "",
                "water_name": row.get("water_name"),
                "main_pollutants": row.get("main_pollutants"),
            },
        }
        for row in rows
        if row.get("lon") is not None and row.get("lat") is not None
    ]


SECTIONS_LAYER: Final = MapLayer(
    key="sections",
    title_zh="地表水断面（水质类别）",
    title_en="Water sections (class)",
    url="/api/v1/water/sections.geojson?region={region}",
    legend=WATER_CLASS_LEGEND,
    link="/water/sections/{code}",
    tooltip=(
        ("断面编码", "Code", "code"),
        ("水体", "Water body", "water_name"),
        ("水质类别", "Class", "class"),
        ("主要污染指标", "Main pollutants", "main_pollutants"),
    ),
    order=20,
    symbol_size=9,
)
