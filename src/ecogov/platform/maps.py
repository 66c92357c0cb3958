"""The one map component's server side: legends, point layers and the map configuration.

Every map of the platform is drawn by one JavaScript module (``web/static/map.js``) from one
Jinja macro (``web/templates/_map.html`` ``region_map``). The page hands the macro a
configuration built here (:func:`config`); the module reads it as JSON.

* **Legends** come from the standards, never from the data's range: each domain declares the
  legends it owns (``Domain.legends``: the AQI levels and colours of HJ 633 from air, the water
  classes I–劣V from water, the target statuses from plans, the enterprise key levels from
  sources). A legend item has a ``key`` (a category a feature names, e.g. water class ``"III"``)
  and/or absolute bounds ``lower``/``upper`` (e.g. AQI 51–100): a feature is coloured by the
  item its ``category`` names, else by the item whose bounds hold its ``value``.
* **Point layers** are any GeoJSON FeatureCollection of points behind a URL (``{region}`` in the
  URL is replaced by the map's region) or given inline. Each domain declares its layers
  (``Domain.map_layers``: stations, sections, enterprises …); the map's layer switcher lists the
  layers a page passes. A later domain (the alerts inbox) plugs its layer in by declaring a
  :class:`MapLayer` whose URL answers GeoJSON points with ``name`` and ``category`` (or
  ``value``) properties — nothing else changes. See ``docs/map.md``.

Nothing here names a domain; the platform only collects what domains declare.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Final

from ecogov.platform import clock
from ecogov.platform.i18n import register
from ecogov.platform.scope import Principal, Role

NO_DATA_COLOUR: Final = "#9aa5b1"
"""Colour of an area or point without a value (grey, outside every legend)."""
AREA_COLOUR: Final = "#e3f2ea"
"""Colour of an area when the map shades no indicator."""
DARK_AREA_COLOUR: Final = "#16324f"
"""The same on a dark page (``MapConfig.theme == "dark"``)."""

register(
    {
        "map.layers": ("图层", "Layers"),
        "map.no_data": ("无数据", "No data"),
        "map.legend": ("图例", "Legend"),
    }
)


@dataclass(frozen=True)
class LegendItem:
    """One class of a legend: its key, its names, its colour and its absolute bounds.

    ``lower`` and ``upper`` are inclusive bounds in the indicator's unit (None: open end).
    """

    key: str
    label_zh: str
    label_en: str
    colour: str
    lower: float | None = None
    upper: float | None = None

    def label(self, language: str) -> str:
        """The item's name in ``language`` (zh or en)."""
        return self.label_en if language == "en" else self.label_zh


@dataclass(frozen=True)
class Legend:
    """A legend: the classes of a standard (or of a target) with their official colours."""

    key: str
    title_zh: str
    title_en: str
    items: tuple[LegendItem, ...]
    source: str = ""
    """The clause the classes and colours come from (shown under the legend)."""

    def title(self, language: str) -> str:
        """The legend's title in ``language`` (zh or en)."""
        return self.title_en if language == "en" else self.title_zh

    def as_json(self, language: str) -> dict[str, Any]:
        """The legend as the map module reads it."""
        return {
            "key": self.key,
            "title": self.title(language),
            "source": self.source,
            "noData": NO_DATA_COLOUR,
            "items": [
                {
                    "key": item.key,
                    "label": item.label(language),
                    "colour": item.colour,
                    "lower": item.lower,
                    "upper": item.upper,
                }
                for item in self.items
            ],
        }

    def classify(self, value: float | None, category: str | None = None) -> LegendItem | None:
        """The item a feature falls in: by its category key first, else by its value's bounds."""
        if category is not None:
            for item in self.items:
                if item.key == category:
                    return item
        if value is None:
            return None
        for item in self.items:
            bounded = item.lower is not None or item.upper is not None
            above = item.lower is None or value >= item.lower
            below = item.upper is None or value <= item.upper
            if bounded and above and below:
                return item
        return None


LegendSource = Callable[[date], Legend]
"""Builds a domain's legend for a day (standards change by edition, e.g. HJ 633-2012 → 2026)."""


@dataclass(frozen=True)
class MapLayer:
    """A point layer a domain offers to every map (stations, sections, enterprises, alerts …).

    ``url`` answers a GeoJSON FeatureCollection of points; ``{region}`` in it is replaced by the
    map's region. Feature properties the module reads: ``name`` (tooltip title), ``category``
    or ``value`` (colour by ``legend``), ``code`` or ``id`` (``{code}``/``{id}`` of ``link``),
    and the properties named by ``tooltip`` as (message label zh, label en, property) triples.
    """

    key: str
    title_zh: str
    title_en: str
    url: str
    legend: str | None = None
    link: str | None = None
    tooltip: tuple[tuple[str, str, str], ...] = ()
    roles: frozenset[Role] | None = None
    """Roles that may see the layer (None: every logged-in user; the URL still checks scope)."""
    order: int = 100
    symbol_size: int = 10

    def title(self, language: str) -> str:
        """The layer's name in ``language`` (zh or en)."""
        return self.title_en if language == "en" else self.title_zh


_platform_legends: list[LegendSource] = []
_platform_layers: list[MapLayer] = []


def register_platform_layer(layer: MapLayer, legend: LegendSource | None = None) -> None:
    """Offer a layer (and its legend) that belongs to the platform rather than to a domain —
    the alerts inbox's open alerts. Domains declare theirs in ``Domain.map_layers``."""
    if all(known.key != layer.key for known in _platform_layers):
        _platform_layers.append(layer)
    if legend is not None and legend not in _platform_legends:
        _platform_legends.append(legend)


def _domain_legend_sources() -> list[LegendSource]:
    from ecogov.platform.plugins import domains

    return [*_platform_legends, *(source for domain in domains() for source in domain.legends)]


def legends(when: date) -> dict[str, Legend]:
    """Every legend the installed domains declare, as in force on ``when``, by key."""
    found: dict[str, Legend] = {}
    for source in _domain_legend_sources():
        legend = source(when)
        if legend.key in found:
            raise ValueError(f"legend {legend.key} declared twice")
        found[legend.key] = legend
    return found


def layers(principal: Principal) -> list[MapLayer]:
    """The point layers of every installed domain this principal may switch on, in order."""
    from ecogov.platform.plugins import domains

    offered = [*_platform_layers, *(layer for domain in domains() for layer in domain.map_layers)]
    return sorted(
        (
            layer
            for layer in offered
            if principal.is_authenticated and (layer.roles is None or principal.role in layer.roles)
        ),
        key=lambda layer: (layer.order, layer.key),
    )


@dataclass(frozen=True)
class Areas:
    """What the region areas show: values per area code from a URL or inline, and legends.

    ``url`` answers a JSON list of ``{code, name, value, category}``; ``unit`` follows values in
    the tooltip. Without values the areas are drawn plain (:data:`AREA_COLOUR`).
    """

    legends: tuple[Legend, ...] = ()
    url: str | None = None
    values: tuple[Mapping[str, Any], ...] = ()
    unit: str = ""


@dataclass(frozen=True)
class LayerChoice:
    """A layer as one page shows it: switched on or off, with the page's URL or features."""

    layer: MapLayer
    visible: bool = False
    url: str | None = None
    features: Sequence[Mapping[str, Any]] | None = None


@dataclass(frozen=True)
class PointPick:
    """A form's longitude and latitude inputs (element ids) that the map picks a point for:
    a click on the map writes the point into them (5 decimals, about a metre) and puts a marker
    there; a point typed into them moves the marker."""

    lon: str
    lat: str

    def as_json(self) -> dict[str, str]:
        """The ids the module reads."""
        return {"lon": self.lon, "lat": self.lat}


@dataclass(frozen=True)
class MapConfig:
    """Everything the macro and the module need to draw one map."""

    region: str
    language: str
    drill: str | None = None
    """URL template (``{code}``) opened by clicking an area that has subdivisions."""
    areas: Areas = field(default_factory=Areas)
    layers: tuple[LayerChoice, ...] = ()
    layer_legends: Mapping[str, Legend] = field(default_factory=dict)
    theme: str = "light"
    """``light`` for the pages, ``dark`` for a dark page (the command centre's big screen)."""
    pick: PointPick | None = None
    """Form fields a click on the map fills with the point clicked (a marker shows it)."""

    @property
    def no_data(self) -> str:
        """Colour of what has no value."""
        return NO_DATA_COLOUR

    def shown_legends(self) -> list[Legend]:
        """The legends under the map: the areas' legends, then each layer's, each once."""
        seen: dict[str, Legend] = {legend.key: legend for legend in self.areas.legends}
        for choice in self.layers:
            key = choice.layer.legend
            if key and key in self.layer_legends and key not in seen:
                seen[key] = self.layer_legends[key]
        return list(seen.values())

    def as_json(self) -> dict[str, Any]:
        """The configuration the module reads (``<script type="application/json">``)."""
        language = self.language
        legend_json = {legend.key: legend.as_json(language) for legend in self.shown_legends()}
        return {
            "region": self.region,
            "theme": self.theme,
            "boundaries": {
                "children": f"/api/v1/regions/{self.region}/children.geojson",
                "self": f"/api/v1/regions/{self.region}/self.geojson",
            },
            "drill": self.drill,
            "pick": None if self.pick is None else self.pick.as_json(),
            "legends": legend_json,
            "noData": NO_DATA_COLOUR,
            "areaColour": DARK_AREA_COLOUR if self.theme == "dark" else AREA_COLOUR,
            "areas": {
                "legends": [legend.key for legend in self.areas.legends],
                "url": self.areas.url,
                "values": [dict(value) for value in self.areas.values],
                "unit": self.areas.unit,
            },
            "layers": [
                {
                    "key": choice.layer.key,
                    "title": choice.layer.title(language),
                    "url": (choice.url or choice.layer.url).replace("{region}", self.region),
                    "features": None if choice.features is None else list(choice.features),
                    "legend": choice.layer.legend,
                    "link": choice.layer.link,
                    "tooltip": [
                        [label_en if language == "en" else label_zh, prop]
                        for label_zh, label_en, prop in choice.layer.tooltip
                    ],
                    "visible": choice.visible,
                    "symbolSize": choice.layer.symbol_size,
                }
                for choice in self.layers
            ],
        }


def config(
    principal: Principal,
    region: str,
    language: str,
    *,
    when: date | None = None,
    drill: str | None = None,
    areas: Areas | None = None,
    visible: Iterable[str] = (),
    urls: Mapping[str, str] | None = None,
    features: Mapping[str, Sequence[Mapping[str, Any]]] | None = None,
    with_layers: bool = True,
) -> MapConfig:
    """The configuration of a map of ``region`` with every layer ``principal`` may switch on.

    ``visible`` names the layers shown first; ``urls`` and ``features`` replace a layer's URL or
    give its points inline (e.g. the stations a page already holds); ``with_layers=False``
    draws the areas alone (an indicator map).
    """
    shown = set(visible)
    chosen_urls = dict(urls or {})
    inline = dict(features or {})
    choices = tuple(
        LayerChoice(
            layer,
            visible=layer.key in shown,
            url=chosen_urls.get(layer.key),
            features=inline.get(layer.key),
        )
        for layer in (layers(principal) if with_layers else [])
    )
    return MapConfig(
        region=region,
        language=language,
        drill=drill,
        areas=areas or Areas(),
        layers=choices,
        layer_legends=legends(when or clock.today()),
    )


def feature_collection(features: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """A GeoJSON FeatureCollection of ``features``."""
    return {"type": "FeatureCollection", "features": list(features)}
