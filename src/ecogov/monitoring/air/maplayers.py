"""What the air domain gives the one map component: the HJ 633 AQI legend, the GB 3095 annual
classes of the PM indicators, and the stations layer (latest hour's AQI)."""

from __future__ import annotations

from datetime import date
from typing import Any, Final

from ecogov.platform.i18n import Catalogue, register, translate
from ecogov.platform.maps import Legend, LegendItem, LegendSource, MapLayer
from ecogov.standards.editions import LimitStage, edition_for, limit_stage_for
from ecogov.standards.gb3095 import Averaging, Indicator, ZoneClass, limit
from ecogov.standards.hj633 import LEVELS

AQI_LEGEND: Final = "aqi"
"""Key of the AQI level legend."""
GB3095_WORSE_COLOUR: Final = "#d7263d"
MESSAGES: Final[Catalogue] = {
    f"air.stage.{LimitStage.GB3095_2012.name}": ("GB 3095-2012 限值", "GB 3095-2012 limits"),
    f"air.stage.{LimitStage.GB3095_2012_AMENDED_2018.name}": (
        "GB 3095-2012（2018 年修改单）限值",
        "GB 3095-2012 (2018 amendment) limits",
    ),
    f"air.stage.{LimitStage.GB3095_2026_TRANSITIONAL.name}": (
        "GB 3095-2026 过渡期限值",
        "GB 3095-2026 transitional limits",
    ),
    f"air.stage.{LimitStage.GB3095_2026_FINAL.name}": (
        "GB 3095-2026 最终限值",
        "GB 3095-2026 final limits",
    ),
}
"""The GB 3095 limit stages as a legend names its source."""
register(MESSAGES)


def aqi_legend(when: date) -> Legend:
    """AQI levels, categories and colours of the HJ 633 edition in force on ``when``
    (HJ 633-2012 Table 2 and Table A.1; HJ 633-2026 Table 1 and Table A.1)."""
    edition = edition_for(when)
    return Legend(
        key=AQI_LEGEND,
        title_zh="空气质量指数（AQI）级别",
        title_en="AQI level",
        source=f"HJ 633-{edition.value}",
        items=tuple(
            LegendItem(
                key=str(level.number),
                label_zh=f"{level.category_zh} {level.lower}–{level.upper or ''}",
                label_en=f"{level.category_en} {level.lower}–{level.upper or ''}",
                colour=level.hex,
                lower=level.lower,
                upper=level.upper,
            )
            for level in LEVELS[edition]
        ),
    )


def annual_classes(indicator: Indicator, name_zh: str) -> LegendSource:
    """Classes of an annual mean [µg/m³] by the GB 3095 limits of the stage in force: within the
    class 1 limit, within the class 2 limit, above it (the AQI level colours of HJ 633)."""

    def build(when: date) -> Legend:
        stage = limit_stage_for(when)
        one = float(limit(indicator, Averaging.YEAR, ZoneClass.ONE, stage))
        two = float(limit(indicator, Averaging.YEAR, ZoneClass.TWO, stage))
        green, yellow = (level.hex for level in LEVELS[edition_for(when)][:2])
        return Legend(
            key=f"gb3095.{indicator.value}.year",
            title_zh=f"{name_zh}（GB 3095 年均值限值）",
            title_en=f"{indicator.value} annual mean (GB 3095 limits)",
            source=translate(f"air.stage.{stage.name}"),
            items=(
                LegendItem("class_1", f"≤{one:g} 一级", f"≤{one:g} class 1", green, None, one),
                LegendItem("class_2", f"≤{two:g} 二级", f"≤{two:g} class 2", yellow, one, two),
                LegendItem(
                    "above", f">{two:g} 超二级", f">{two:g} above class 2", GB3095_WORSE_COLOUR, two
                ),
            ),
        )

    return build


def station_features(stations: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The stations of :func:`ecogov.monitoring.air.views.latest` as GeoJSON points, their AQI
    level as the category of the AQI legend."""
    return [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [row["lon"], row["lat"]]},
            "properties": {
                "code": row["code"],
                "name": row["name"],
                "city": row["city"],
                "value": row["aqi"],
                "aqi": row["aqi"],
                "category": None if row["level"] is None else str(row["level"]),
                "level": row["category"],
                "primary": row["primary"],
            },
        }
        for row in stations
        if row.get("lon") is not None and row.get("lat") is not None
    ]


STATIONS_LAYER: Final = MapLayer(
    key="stations",
    title_zh="空气监测站点（实时AQI）",
    title_en="Air stations (real-time AQI)",
    url="/api/v1/air/latest.geojson?region={region}",
    legend=AQI_LEGEND,
    link="/air/stations/{code}",
    tooltip=(
        ("城市", "City", "city"),
        ("AQI", "AQI", "aqi"),
        ("级别", "Level", "level"),
        ("首要污染物", "Primary pollutant", "primary"),
    ),
    order=10,
    symbol_size=14,
)
