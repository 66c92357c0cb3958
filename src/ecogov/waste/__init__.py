"""Waste domain (固体废物与危险废物): the full chain from generator to receiver — parties and
licences, management plans and ledgers, electronic transfer manifests, money flow, and the checks
that catch what goes missing (GOVERNANCE.md §1)."""

from __future__ import annotations

from pathlib import Path

from ecogov.platform.plugins import Domain, NavItem
from ecogov.waste import alerts, api, cli, demo, maplayers, pages
from ecogov.waste.access import KINDS, RECORDS
from ecogov.waste.indicators import INDICATORS
from ecogov.waste.manifests import LATE_KIND
from ecogov.waste.messages import MESSAGES

_HERE = Path(__file__).resolve().parent

domain = Domain(
    name="waste",
    models="ecogov.waste.models",
    migrations=_HERE / "migrations",
    api=api.router,
    cli=cli.app,
    pages=pages.router,
    templates=_HERE / "templates",
    static=_HERE / "static",
    nav=(NavItem("nav.waste", "/waste", order=35, requires=("read", RECORDS.key)),),
    legends=(maplayers.facility_legend,),
    map_layers=(maplayers.FACILITIES_LAYER,),
    demo=demo.load,
    demo_order=45,
    permissions=KINDS,
    alert_kinds=(LATE_KIND, *alerts.KINDS),
    messages={
        **MESSAGES,
        **alerts.MESSAGES,
        **pages.PAGE_MESSAGES,
        "audit.action.waste.demo.load": ("生成演示固废危废数据", "Demo waste data"),
    },
    indicators=INDICATORS,
)
