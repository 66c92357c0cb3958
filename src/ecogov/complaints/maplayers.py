"""What the complaints domain gives the one map component: the complaint-category legend and the
hot-spot layer ``complaints`` (complaints with a point, by category, over a period)."""

from __future__ import annotations

from datetime import date
from typing import Final

from ecogov.complaints.messages import MESSAGES
from ecogov.complaints.models import CATEGORIES
from ecogov.platform.maps import Legend, LegendItem, MapLayer
from ecogov.platform.scope import OFFICER_ROLES, Role

CATEGORY_LEGEND: Final = "complaints_category"
LAYER_KEY: Final = "complaints"
COLOURS: Final = {
    "air": "#7a5af8",
    "water": "#1570ef",
    "noise": "#f79009",
    "waste": "#6c737f",
    "odour": "#d92d20",
    "other": "#12b76a",
}


def category_legend(when: date) -> Legend:
    """Complaints by category; the same on every day."""
    del when
    return Legend(
        key=CATEGORY_LEGEND,
        title_zh="信访投诉类别",
        title_en="Complaint category",
        items=tuple(
            LegendItem(key, *MESSAGES[f"complaints.category.{key}"], COLOURS[key])
            for key in CATEGORIES
        ),
    )


COMPLAINTS_LAYER: Final = MapLayer(
    key=LAYER_KEY,
    title_zh="信访投诉热点",
    title_en="Complaint hot spots",
    url="/complaints/hotspots.geojson?region={region}",
    legend=CATEGORY_LEGEND,
    link="/complaints/{id}",
    tooltip=(("登记日期", "Received", "received_on"), ("办理状态", "Status", "state_name")),
    roles=OFFICER_ROLES | {Role.ADMIN, Role.LEADER},
    order=46,
    symbol_size=8,
)
"""Only the roles that read the complaint ledger are offered the layer (its URL checks too)."""
