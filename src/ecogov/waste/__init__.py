"""Waste domain (固体废物与危险废物): the full chain from generator to receiver — parties and
licences, management plans and ledgers, electronic transfer manifests, money flow, and the checks
that catch what goes missing (GOVERNANCE.md §1)."""

from __future__ import annotations

from pathlib import Path

from ecogov.platform.plugins import Domain
from ecogov.waste import api, cli
from ecogov.waste.access import KINDS
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
    permissions=KINDS,
    messages=MESSAGES,
    alert_kinds=(LATE_KIND,),
    indicators=INDICATORS,
)
