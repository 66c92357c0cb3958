"""What the forecast domain gives the one map component: the forecast layer (stations and cities
coloured by the HJ 633 level of their forecast daily AQI, on the air domain's AQI legend). The
layer shows lead day 1; the forecast page asks for day 2 or 3 through the layer's URL."""

from __future__ import annotations

from typing import Final

from ecogov.monitoring.air.maplayers import AQI_LEGEND
from ecogov.platform.maps import MapLayer

FORECAST_LAYER_KEY: Final = "forecast"
FORECAST_URL: Final = "/api/v1/forecast/map.geojson?region={region}&lead_day="


def forecast_url(lead_day: int) -> str:
    """The layer's URL for ``lead_day`` (1-3); ``{region}`` is filled by the map."""
    return f"{FORECAST_URL}{lead_day}"


FORECAST_LAYER: Final = MapLayer(
    key=FORECAST_LAYER_KEY,
    title_zh="空气质量预报（AQI级别）",
    title_en="Air-quality forecast (AQI level)",
    url=forecast_url(1),
    legend=AQI_LEGEND,
    link="/forecast/{kind}/{code}",
    tooltip=(
        ("日期", "Date", "date"),
        ("预报AQI（范围）", "Forecast AQI (range)", "aqi"),
        ("首要污染物", "Primary pollutant", "primary"),
    ),
    order=15,
    symbol_size=11,
)
