"""Air-quality forecast (空气质量预报): 72-hour forecasts per station and city with measured
skill against the naive baselines (issue Wave 2 · 5 of 7, items 1, 2, 5, 6)."""

from __future__ import annotations

from pathlib import Path

from ecogov.forecast import api, cli, demo, maplayers, pages
from ecogov.forecast.access import FORECAST_KIND, KINDS
from ecogov.forecast.messages import MESSAGES
from ecogov.platform.plugins import Domain, NavItem

_HERE = Path(__file__).resolve().parent

domain = Domain(
    name="forecast",
    models="ecogov.forecast.models",
    migrations=_HERE / "migrations",
    cli=cli.app,
    cli_mounts=("air",),
    demo=demo.load,
    demo_order=55,
    api=api.router,
    pages=pages.router,
    nav=(NavItem("nav.forecast", "/forecast", order=25, requires=("read", FORECAST_KIND.key)),),
    templates=_HERE / "templates",
    static=_HERE / "static",
    map_layers=(maplayers.FORECAST_LAYER,),
    permissions=KINDS,
    messages=MESSAGES,
)
