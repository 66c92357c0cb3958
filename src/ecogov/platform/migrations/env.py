"""Alembic environment: runs against the engine handed over by ``ecogov.platform.migrate``."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Engine

from ecogov.platform.audit import AuditEntry  # noqa: F401  (platform table)
from ecogov.platform.models import Base
from ecogov.platform.plugins import domains
from ecogov.platform.rejects import ImportRun  # noqa: F401  (platform table)

domains()  # import every domain's models so autogenerate sees the whole schema
config = context.config
engine = config.attributes["engine"]
assert isinstance(engine, Engine)

with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
