"""The one map component's JSON: the legends of the standards and the point layers a user may
switch on (for pages and for a domain plugging a layer in at runtime, see docs/map.md)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request

from ecogov.platform import clock, maps
from ecogov.platform.http import require_user
from ecogov.platform.params import Day
from ecogov.platform.scope import Principal
from ecogov.platform.templating import language_of


def router() -> APIRouter:
    """Routes under ``/api/v1/map``."""
    api = APIRouter(prefix="/map", tags=["map"])

    @api.get("/legends")
    def legends(
        request: Request,
        day: Annotated[
            Day | None, Query(description="day whose standards apply (default: today)")
        ] = None,
        principal: Principal = Depends(require_user),
    ) -> dict[str, Any]:
        """Every legend the domains declare (AQI levels of HJ 633, water classes of GB 3838,
        target statuses, key levels …) with the classes' colours and absolute bounds."""
        language = language_of(request)
        found = maps.legends(day or clock.today())
        return {key: legend.as_json(language) for key, legend in found.items()}

    @api.get("/layers")
    def layers(
        request: Request, principal: Principal = Depends(require_user)
    ) -> list[dict[str, Any]]:
        """The point layers the caller may switch on, each with its GeoJSON URL (``{region}``
        to fill in), its legend key, link and tooltip properties."""
        language = language_of(request)
        return [
            {
                "key": layer.key,
                "title": layer.title(language),
                "url": layer.url,
                "legend": layer.legend,
                "link": layer.link,
                "tooltip": [
                    [label_en if language == "en" else label_zh, prop]
                    for label_zh, label_en, prop in layer.tooltip
                ],
            }
            for layer in maps.layers(principal)
        ]

    return api
