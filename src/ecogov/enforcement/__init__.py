"""Enforcement domain (执法监管): environmental credit rating, verifiable double-random
inspections, inspection records, penalty cases and off-site targeting by risk
(GOVERNANCE.md §2–§3)."""

from __future__ import annotations

from pathlib import Path

from ecogov.enforcement import cli
from ecogov.enforcement.access import KINDS
from ecogov.enforcement.cases import CASE_DEADLINE_KIND
from ecogov.enforcement.inspections import FINDING_KIND
from ecogov.platform.plugins import Domain

_HERE = Path(__file__).resolve().parent

domain = Domain(
    name="enforcement",
    models="ecogov.enforcement.models",
    migrations=_HERE / "migrations",
    cli=cli.app,
    permissions=KINDS,
    alert_kinds=(CASE_DEADLINE_KIND, FINDING_KIND),
    messages={
        "nav.enforcement": ("执法监管", "Enforcement"),
    },
)
