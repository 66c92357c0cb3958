"""Regions domain (行政区划): GB/T 2260 divisions, their hierarchy and map boundaries.

It is also the worked example of the plug-in shape (see ``ecogov.platform.plugins``).
"""

from __future__ import annotations

from pathlib import Path

from ecogov.platform.plugins import Domain, NavItem, RegionDirectory
from ecogov.regions import api, cli, demo, pages, service

_HERE = Path(__file__).resolve().parent

domain = Domain(
    name="regions",
    models="ecogov.regions.models",
    migrations=_HERE / "migrations",
    api=api.router,
    pages=pages.router,
    cli=cli.app,
    demo=demo.load,
    demo_order=0,
    nav=(NavItem("nav.regions", "/regions", order=90),),
    messages={
        "nav.regions": ("行政区划", "Regions"),
        "audit.entity.region": ("行政区划", "Region"),
        "audit.action.regions.load": ("载入行政区划", "Load regions"),
    },
    templates=_HERE / "templates",
    region_directory=RegionDirectory(
        ensure_visible=service.ensure_visible,
        get=service.get_region,
        lineage=service.lineage,
        children=service.list_regions,
        switchable=service.switchable_regions,
    ),
)
