"""Settings read from ``ECOGOV_*`` environment variables (and an optional ``.env`` file)."""

from __future__ import annotations

import secrets
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from ecogov.platform.ratelimit import DEFAULT_RULES, RateRule
from ecogov.platform.throttle import LoginThrottleRules

DEFAULT_VAR_DIR = Path.cwd() / "var"


class Settings(BaseSettings):
    """Runtime configuration; every field maps to ``ECOGOV_<FIELD>`` (see ``.env.example``)."""

    model_config = SettingsConfigDict(env_prefix="ECOGOV_", env_file=".env", extra="ignore")

    database_url: str = Field(default_factory=lambda: f"sqlite:///{DEFAULT_VAR_DIR / 'ecogov.db'}")
    secret_key: str = Field(default_factory=lambda: _persistent_secret(DEFAULT_VAR_DIR))
    host: str = "127.0.0.1"
    port: int = 8000
    cookie_secure: bool | None = None
    session_hours: int = 12
    default_language: str = "zh"
    boundary_provinces: str = "330000,110000"
    max_request_mb: int = 50
    """The largest request body [MiB] a logged-in user may send (all files of one upload)."""
    anonymous_request_kb: int = 64
    """The largest request body [KiB] accepted before login (the login form)."""
    login_throttle: LoginThrottleRules = Field(default_factory=LoginThrottleRules)
    """Login throttling rules; e.g. ``ECOGOV_LOGIN_THROTTLE='{"pair": {"free_failures": 5,
    "first_seconds": 1, "max_seconds": 600, "forget_after_seconds": 3600}}'``."""
    rate_limits: dict[str, RateRule] = Field(default_factory=lambda: dict(DEFAULT_RULES))
    """Request rate limits by rule name (:mod:`ecogov.platform.ratelimit`); e.g.
    ``ECOGOV_RATE_LIMITS='{"public": {"requests": 120, "per_seconds": 60}}'``."""
    warm_up: bool = True
    """Whether each worker requests the domains' ``warm_paths`` once at start (on by default,
    so ``ecogov serve`` and uvicorn's workers take their first visitors warm;
    ``ECOGOV_WARM_UP=0`` turns it off, as the tests do, which build many apps)."""
    page_cache_seconds: int = Field(default=300, ge=0)
    """How long [s] a logged-in user's page may be shown again to the users who see the same
    rows, while no audited change has landed (:class:`ecogov.platform.cache.ResponseCache`):
    what users change, and every import, shows at once; figures from data that arrive without
    an audited change (HJ 212 telemetry, hourly at most) within this time.
    ``ECOGOV_PAGE_CACHE_SECONDS=0`` turns it off, as the tests do (each test of it turns it on)."""
    page_cache_dir: Path = Field(default_factory=lambda: DEFAULT_VAR_DIR / "page-cache")
    """Where the worker processes of a host share the answers they keep (one folder per
    database below it): what one worker computed, the others replay."""
    hj212_archive_dir: Path = Field(default_factory=lambda: DEFAULT_VAR_DIR / "hj212-archive")
    """The Parquet archive of older HJ 212 months (``ecogov hj212 archive-months``); every read of
    the online data reads the months its manifest lists from there."""
    credit_rules: Path | None = None
    """A province's enforcement rules file (TOML, the ``--rules`` layout of
    docs/enforcement-files.md) merged over the national defaults when the platform grades credit
    and scores risk from its own records; unset, the national rules."""
    clock: str | None = None
    """Business time to run as (``2026-11-22`` or ``2026-11-22T09:00``, Beijing time): the clock
    starts there and runs on (see :mod:`ecogov.platform.clock`); unset, the real time."""

    @field_validator("clock")
    @classmethod
    def _iso_moment(cls, value: str | None) -> str | None:
        """``ECOGOV_CLOCK`` must be an ISO date or date-time, refused at start-up otherwise."""
        if value:
            try:
                datetime.fromisoformat(value.strip())
            except ValueError:
                raise ValueError(
                    f"ECOGOV_CLOCK={value!r} is not an ISO date or date-time (e.g. 2026-11-22)"
                ) from None
        return value or None

    @property
    def boundary_province_codes(self) -> tuple[str, ...]:
        """Province codes whose boundaries (province, cities, counties) are kept for the map."""
        return tuple(code.strip() for code in self.boundary_provinces.split(",") if code.strip())


def _persistent_secret(var_dir: Path) -> str:
    """A random secret kept in ``var/secret.key`` so sessions survive restarts of the demo.

    Production deployments set ``ECOGOV_SECRET_KEY`` instead.
    """
    path = var_dir / "secret.key"
    if path.exists():
        return path.read_text(encoding="ascii").strip()
    var_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(32)
    path.write_text(key, encoding="ascii")
    path.chmod(0o600)
    return key


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once."""
    return Settings()
