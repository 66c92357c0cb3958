"""Alembic migrations, kept beside the tables they create.

The platform's own revisions are in ``platform/migrations/versions``; each domain keeps its own in
its ``migrations`` folder (declared on its :class:`~ecogov.platform.plugins.Domain`) as a branch
of its own: the domain's first revision has ``branch_labels = ("<domain>",)`` and revises the
revision of the tables it needs (``0003_accounts`` for most, or another domain's revision when it
builds on that domain's tables). Upgrading goes to every branch's head.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from ecogov.platform.plugins import domains

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config(engine: Engine) -> Config:
    """An Alembic configuration bound to ``engine`` with every domain's version folder."""
    locations = [MIGRATIONS_DIR / "versions"]
    locations += [d.migrations for d in domains() if d.migrations is not None]
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("version_locations", " ".join(str(p) for p in locations))
    config.set_main_option("path_separator", "space")
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine, revision: str = "heads") -> None:
    """Create or upgrade the schema to ``revision`` (default: the head of every branch)."""
    command.upgrade(alembic_config(engine), revision)


def current_revisions(engine: Engine) -> tuple[str, ...]:
    """The revisions the database is at, sorted (empty before the first migration)."""
    with engine.connect() as connection:
        return tuple(sorted(MigrationContext.configure(connection).get_current_heads()))


def head_revisions(engine: Engine) -> tuple[str, ...]:
    """The newest revision of every branch the code knows, sorted."""
    return tuple(sorted(ScriptDirectory.from_config(alembic_config(engine)).get_heads()))
