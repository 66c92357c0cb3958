"""The schema is built, and can be rebuilt, through the migrations alone."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import inspect

from ecogov.hj212.partitions import outside_the_models
from ecogov.platform.db import Database
from ecogov.platform.migrate import current_revisions, head_revisions, upgrade
from ecogov.platform.models import Base
from ecogov.platform.plugins import domains


def test_test_database_is_at_head(db: Database) -> None:
    assert current_revisions(db.engine) == head_revisions(db.engine)


def test_migrations_create_every_mapped_table(db: Database) -> None:
    domains()
    tables = set(inspect(db.engine).get_table_names())
    mapped = {t.name for t in Base.metadata.sorted_tables if not t.name.startswith("test_")}
    assert mapped <= tables


def test_upgrade_from_empty_and_again_is_a_no_op(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'fresh.db'}")
    upgrade(db.engine)
    first = current_revisions(db.engine)
    upgrade(db.engine)
    assert current_revisions(db.engine) == first == head_revisions(db.engine)
    db.dispose()


def test_every_domain_declares_its_parts() -> None:
    names = {d.name for d in domains()}
    assert {"regions", "accounts"} <= names
    for domain in domains():
        assert domain.migrations is None or domain.migrations.is_dir()


def test_models_and_migrations_agree(db: Database) -> None:
    """Every schema change is a migration: autogenerate finds nothing left to do."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    domains()
    with db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection,
            opts={
                "compare_type": True,
                "include_object": lambda obj, name, type_, _reflected, _compare_to: (
                    not outside_the_models(obj, name, type_)
                ),
            },
        )
        diff = compare_metadata(context, Base.metadata)
    significant = [change for change in diff if "test_" not in repr(change)]
    assert significant == []
