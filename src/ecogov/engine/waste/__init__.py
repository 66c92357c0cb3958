"""Waste full-chain checks (固废危废全链条核查) on Polars frames: the bundle tables
(:mod:`.tables`), the rule registry and rules file (:mod:`.rules`), the checks (:mod:`.checks`)
and the risk scores (:mod:`.risk`). Defined in docs/waste-bundle.md."""

from __future__ import annotations

from ecogov.engine.waste.checks import FINDINGS_SCHEMA, run_checks
from ecogov.engine.waste.risk import risk_scores
from ecogov.engine.waste.rules import RULES, RulesError, RuleSet, configure
from ecogov.engine.waste.tables import SCHEMAS, WasteFrames

__all__ = [
    "FINDINGS_SCHEMA",
    "RULES",
    "SCHEMAS",
    "RuleSet",
    "RulesError",
    "WasteFrames",
    "configure",
    "risk_scores",
    "run_checks",
]
