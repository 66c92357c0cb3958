"""Demo data of the regions domain: the registry with Zhejiang's (and Beijing's) boundaries."""

from __future__ import annotations

from ecogov.platform.db import Database
from ecogov.platform.settings import get_settings
from ecogov.regions.service import load_registry


def load(db: Database) -> None:
    """Load every division, keeping boundaries of the configured provinces."""
    load_registry(db, get_settings().boundary_province_codes)
