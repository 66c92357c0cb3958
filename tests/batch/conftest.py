"""One Spark session (local[2]) for every batch test of a run, and the small inputs."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ecogov.batch import simulate

WASTE_EXAMPLE = Path(__file__).resolve().parents[1] / "waste" / "bundles" / "example"


@pytest.fixture(scope="session")
def spark() -> Iterator[Any]:
    """The session's Spark session (skipped without PySpark or Java)."""
    pytest.importorskip("pyspark", reason="PySpark is not installed (pip install 'ecogov[spark]')")
    if shutil.which("java") is None:
        pytest.skip("no Java runtime (apt-get install default-jre-headless)")
    from ecogov.batch.spark import spark_session

    session = spark_session("local[2]", "ecogov-tests")
    yield session
    session.stop()


@pytest.fixture(scope="session")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A small input folder of every job."""
    root = tmp_path_factory.mktemp("batch-inputs")
    folders = {
        name: root / name for name in ("air-year", "water-evaluation", "hj212-judgement", "credit")
    }
    for folder in folders.values():
        folder.mkdir()
    simulate.air_inputs(folders["air-year"], stations=9, cities=3, days=35)
    simulate.water_inputs(folders["water-evaluation"], sections=15, years=2)
    simulate.hj212_inputs(folders["hj212-judgement"], devices=12, days=6)
    simulate.credit_inputs(folders["credit"], enterprises=40, records=300)
    return {**folders, "waste-checks": WASTE_EXAMPLE}
