"""Plans domain (规划与任务): plans, targets, tasks, key projects, rectification items."""

from __future__ import annotations

from pathlib import Path

from ecogov.plans import cli
from ecogov.platform.plugins import Domain

_HERE = Path(__file__).resolve().parent

domain = Domain(
    name="plans",
    cli_name="plan",
    models="ecogov.plans.models",
    cli=cli.app,
    migrations=_HERE / "migrations",
    templates=_HERE / "templates",
)
