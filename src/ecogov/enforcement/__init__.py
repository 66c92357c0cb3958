"""Enforcement domain (执法监管): environmental credit rating, verifiable double-random
inspections, inspection records, penalty cases and off-site targeting by risk
(GOVERNANCE.md §2–§3)."""

from __future__ import annotations

from ecogov.enforcement import cli
from ecogov.platform.plugins import Domain

domain = Domain(
    name="enforcement",
    cli=cli.app,
    messages={
        "nav.enforcement": ("执法监管", "Enforcement"),
    },
)
