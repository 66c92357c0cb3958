"""Plans domain (规划与任务): plans, targets, tasks, key projects, rectification items; the
command centre's targets, ledgers, scorecard and panels."""

from __future__ import annotations

from pathlib import Path

from ecogov.plans import api, cli, demo, maplayers, pages
from ecogov.plans.indicators import MANUAL_INDICATORS
from ecogov.plans.messages import MESSAGES
from ecogov.plans.panels import HOME_PANELS
from ecogov.platform.plugins import Domain, NavItem
from ecogov.platform.scope import Role

_HERE = Path(__file__).resolve().parent
READERS = frozenset(
    {
        Role.ADMIN,
        Role.PROVINCE_OFFICER,
        Role.CITY_OFFICER,
        Role.COUNTY_OFFICER,
        Role.LEADER,
    }
)
"""Who reads plans: officers, leaders and admins (not enterprises or the public)."""

domain = Domain(
    name="plans",
    cli_name="plan",
    models="ecogov.plans.models",
    cli=cli.app,
    api=api.router,
    pages=pages.router,
    demo=demo.load,
    demo_order=60,
    migrations=_HERE / "migrations",
    templates=_HERE / "templates",
    nav=(
        NavItem("nav.plans", "/plans", roles=READERS, order=30),
        NavItem("nav.rectification", "/plans/rectification", roles=READERS, order=31),
    ),
    messages=MESSAGES,
    indicators=MANUAL_INDICATORS,
    home_panels=HOME_PANELS,
    legends=(maplayers.target_legend,),
)
