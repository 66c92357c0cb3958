"""Air-quality forecast (空气质量预报): 72-hour forecasts per station and city with measured
skill against the naive baselines (issue Wave 2 · 5 of 7, items 1, 2, 5, 6)."""

from __future__ import annotations

from ecogov.forecast import cli
from ecogov.platform.plugins import Domain

domain = Domain(name="forecast", cli=cli.app, cli_mounts=("air",))
