"""What the waste domain gives the one map component: the facility-kind legend and the
"waste facilities" layer (storage, utilisation and disposal facilities at their operator)."""

from __future__ import annotations

from datetime import date
from typing import Final

from ecogov.platform.maps import Legend, LegendItem, MapLayer

FACILITY_LEGEND: Final = "waste_facility_kind"
FACILITIES_KEY: Final = "waste_facilities"
FACILITY_KINDS: Final = (
    ("storage", "贮存设施", "Storage", "#dc6803"),
    ("utilisation", "利用设施", "Utilisation", "#12b76a"),
    ("disposal", "处置设施", "Disposal", "#7a5af8"),
)


def facility_legend(when: date) -> Legend:
    """Facilities by kind (贮存 利用 处置); the same on every day."""
    del when
    return Legend(
        key=FACILITY_LEGEND,
        title_zh="固废危废设施类别",
        title_en="Waste facility kind",
        items=tuple(LegendItem(key, zh, en, colour) for key, zh, en, colour in FACILITY_KINDS),
    )


FACILITIES_LAYER: Final = MapLayer(
    key=FACILITIES_KEY,
    title_zh="固废危废设施",
    title_en="Waste facilities",
    url="/waste/facilities.geojson?region={region}",
    legend=FACILITY_LEGEND,
    link="/waste/parties/{code}",
    tooltip=(("能力（吨）", "Capacity [t]", "capacity_t"), ("区划代码", "Region", "region_code")),
    order=45,
    symbol_size=7,
)
