"""Plans domain (规划与任务): plans, targets, tasks, key projects, rectification items; the
command centre's targets, ledgers, scorecard and panels."""

from __future__ import annotations

from pathlib import Path

from ecogov.plans import api, cli, demo, maplayers, pages
from ecogov.plans.access import PLANS, RECTIFICATION_DISCLOSURE
from ecogov.plans.alerts import CONVERTERS, KINDS
from ecogov.plans.indicators import MANUAL_INDICATORS
from ecogov.plans.messages import MESSAGES
from ecogov.plans.panels import HOME_PANELS
from ecogov.platform.plugins import Domain, NavItem

_HERE = Path(__file__).resolve().parent
READ_PLANS = ("read", PLANS.key)
"""The menu offers plans to whoever the permission table lets read them."""

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
        NavItem("nav.plans", "/plans", order=30, requires=READ_PLANS),
        NavItem("nav.rectification", "/plans/rectification", order=31, requires=READ_PLANS),
    ),
    messages=MESSAGES,
    indicators=MANUAL_INDICATORS,
    permissions=(PLANS, RECTIFICATION_DISCLOSURE),
    home_panels=HOME_PANELS,
    alert_kinds=KINDS,
    alert_converters=CONVERTERS,
    legends=(maplayers.target_legend,),
)
