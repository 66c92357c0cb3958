"""Air monitoring domain (环境空气质量监测): stations, hourly observations, imports, AQI and
period evaluation by the national standards."""

from __future__ import annotations

from pathlib import Path

from ecogov.monitoring.air import cli, demo
from ecogov.platform.plugins import Domain

_HERE = Path(__file__).resolve().parent

domain = Domain(
    name="air",
    models="ecogov.monitoring.air.models",
    migrations=_HERE / "migrations",
    cli=cli.app,
    demo=demo.load,
    demo_order=20,
    templates=_HERE / "templates",
)
