"""Test fixtures shared by the whole suite.

Database tests run once per backend: SQLite always, PostgreSQL too when
``ECOGOV_TEST_DATABASE_URL`` names a server (its ``public`` schema is dropped and rebuilt: point it
at a throw-away database only). The schema is built through the migrations, never ``create_all``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from hypothesis import settings as hypothesis_settings
from sqlalchemy import inspect as sa_inspect
from sqlalchemy import text

from ecogov.demo import reset_schema
from ecogov.platform.console import database
from ecogov.platform.db import Database
from ecogov.platform.migrate import upgrade
from ecogov.platform.models import Base
from ecogov.platform.settings import Settings, get_settings
from ecogov.regions.service import load_registry

SHARED_DIR = Path(__file__).resolve().parents[1].parent / "shared"
PG_URL = os.environ.get("ECOGOV_TEST_DATABASE_URL")
BACKENDS = ["sqlite", "postgresql"] if PG_URL else ["sqlite"]
REFERENCE_TABLES = frozenset({"region", "alembic_version", "alert_rule"})
TEST_BOUNDARIES = ("330000",)
TEST_SECRET = "test-secret-key"

# Servers warm their paths at start unless told not to; tests build many apps and servers and
# turn it off (the test of the warm-up turns it on).
os.environ.setdefault("ECOGOV_WARM_UP", "0")
# Pages shown again to the users who see the same rows would hide, for a minute, what a test
# wrote without an audited change between two requests; the tests of that cache turn it on.
os.environ.setdefault("ECOGOV_PAGE_CACHE_SECONDS", "0")

# Property tests judge rules, not speed (benchmarks do that): on a shared 2-core CI machine an
# example can take longer than Hypothesis' default 200 ms deadline without anything being wrong.
hypothesis_settings.register_profile("ecogov", deadline=None)
hypothesis_settings.load_profile("ecogov")


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The ``../shared`` folder beside the repository; skips the test when it is absent."""
    if not SHARED_DIR.is_dir():
        pytest.skip(f"../shared reference data not found at {SHARED_DIR} (outside the workplace)")
    return SHARED_DIR


def _fresh(url: str) -> Database:
    db = Database(url)
    if db.backend == "postgresql":
        with db.engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
    else:
        reset_schema(db)
    upgrade(db.engine)
    load_registry(db, TEST_BOUNDARIES)
    return db


@pytest.fixture(scope="session", params=BACKENDS)
def migrated(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Database]:
    """A database of one backend, migrated to head, with the region registry loaded."""
    if request.param == "postgresql":
        assert PG_URL is not None
        db = _fresh(PG_URL)
    else:
        db = _fresh(f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}")
    yield db
    db.dispose()


def _clean(db: Database) -> None:
    present = set(sa_inspect(db.engine).get_table_names())
    with db.engine.begin() as connection:
        for table in reversed(Base.metadata.sorted_tables):
            if table.name in present and table.name not in REFERENCE_TABLES:
                connection.execute(table.delete())


@pytest.fixture
def db(migrated: Database) -> Iterator[Database]:
    """The migrated database, emptied of everything but reference data after the test."""
    yield migrated
    _clean(migrated)


@pytest.fixture
def cli_db(db: Database, monkeypatch: pytest.MonkeyPatch) -> Iterator[Database]:
    """Point the in-process ``ecogov`` command at the test database (the settings and the
    command line's database are cached per process: cleared before and after)."""
    monkeypatch.setenv("ECOGOV_DATABASE_URL", db.url)
    monkeypatch.setenv("ECOGOV_SECRET_KEY", "cli-test")
    get_settings.cache_clear()
    database.cache_clear()
    yield db
    database().dispose()
    database.cache_clear()
    get_settings.cache_clear()


@pytest.fixture
def settings(db: Database) -> Settings:
    """Settings pointing at the test database."""
    return Settings(database_url=db.url, secret_key=TEST_SECRET, boundary_provinces="330000")


@pytest.fixture
def client(settings: Settings, db: Database) -> Iterator[TestClient]:
    """An HTTP client of the full web application on the test database."""
    from ecogov.web.app import create_app

    with TestClient(create_app(settings, db), base_url="http://testserver") as test_client:
        yield test_client
