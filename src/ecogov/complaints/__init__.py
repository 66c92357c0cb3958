"""Complaints domain (信访投诉): intake, the handling workflow with statutory time limits,
duplicates and clusters, and the complainant's privacy (GOVERNANCE.md §4)."""

from __future__ import annotations

from ecogov.platform.plugins import Domain

domain = Domain(name="complaints")
