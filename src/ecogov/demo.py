"""Demo data: every domain's loader, in dependency order, on a migrated database."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Final

from ecogov.platform.db import Database
from ecogov.platform.i18n import Catalogue, both, register
from ecogov.platform.migrate import upgrade
from ecogov.platform.models import Base
from ecogov.platform.plugins import DemoLoader, domains

MESSAGES: Final[Catalogue] = {
    "demo.schema_dropped": ("已删除全部数据表", "schema dropped"),
    "demo.schema_upgraded": ("数据库结构已升级", "schema upgraded"),
    "demo.loaded": ("演示数据已载入：{name}", "demo data loaded: {name}"),
}
register(MESSAGES)


def reset_schema(db: Database) -> None:
    """Drop every table of the platform (and Alembic's version table). Demo and tests only."""
    domains()
    with db.engine.begin() as connection:
        Base.metadata.drop_all(connection)
        connection.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")


def load_demo(
    db: Database, *, reset: bool = False, loaders: Mapping[str, DemoLoader] | None = None
) -> Iterator[str]:
    """Upgrade the schema and run each domain's demo loader (or the one ``loaders`` names for
    it: the benchmarks load some domains at a province's size); yields progress lines."""
    if reset:
        reset_schema(db)
        yield both("demo.schema_dropped")
    upgrade(db.engine)
    yield both("demo.schema_upgraded")
    for domain in sorted(domains(), key=lambda d: (d.demo_order, d.name)):
        loader = (loaders or {}).get(domain.name, domain.demo)
        if loader is not None:
            notes = loader(db)
            yield both("demo.loaded", name=domain.name)
            yield from notes or ()
