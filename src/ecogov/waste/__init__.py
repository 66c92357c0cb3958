"""Waste domain (固体废物与危险废物): the full chain from generator to receiver — parties and
licences, management plans and ledgers, electronic transfer manifests, money flow, and the checks
that catch what goes missing (GOVERNANCE.md §1)."""

from __future__ import annotations

from ecogov.platform.plugins import Domain
from ecogov.waste import cli

domain = Domain(
    name="waste",
    cli=cli.app,
    messages={
        "nav.waste": ("固废危废", "Waste"),
    },
)
