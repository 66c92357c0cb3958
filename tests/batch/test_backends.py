"""The Polars and Spark backends give identical outputs for every job on the same inputs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from ecogov.batch.backends import MANIFEST, portable, read_output, run
from ecogov.batch.jobs import JOBS, find_job


def canonical(frame: pl.DataFrame) -> pl.DataFrame:
    """``frame`` in a row order independent of partitioning: sorted by every column."""
    return frame.sort(pl.all(), nulls_last=True)


@pytest.mark.slow
@pytest.mark.parametrize("name", list(JOBS))
def test_spark_equals_polars(
    name: str, inputs: dict[str, Path], spark: Any, tmp_path: Path
) -> None:
    job = find_job(name)
    polars_run = run(job, "polars", inputs[name], tmp_path / "polars")
    spark_run = run(job, "spark", inputs[name], tmp_path / "spark", spark)
    assert spark_run.manifest["outputs"] == polars_run.manifest["outputs"]
    for output, rows in polars_run.manifest["outputs"].items():
        expected = read_output(tmp_path / "polars", output)
        got = read_output(tmp_path / "spark", output)
        assert expected.height == rows
        assert got.schema == expected.schema, output
        assert_frame_equal(canonical(got), canonical(expected))
    assert (tmp_path / "spark" / MANIFEST).is_file()


def test_every_job_finds_something(inputs: dict[str, Path], tmp_path: Path) -> None:
    """The small inputs exercise every output (an empty output would prove no equality)."""
    for name, job in JOBS.items():
        result = run(job, "polars", inputs[name], tmp_path / name)
        empty = [output for output, rows in result.manifest["outputs"].items() if rows == 0]
        assert not empty, (name, empty)


def test_portable_types() -> None:
    frame = pl.DataFrame(
        {"kind": pl.Series(["a"], dtype=pl.Enum(["a", "b"])), "n": pl.Series([1], dtype=pl.UInt32)}
    ).with_columns(at=pl.datetime(2025, 1, 1, time_zone="Asia/Shanghai"))
    assert portable(frame).schema == pl.Schema(
        {"kind": pl.String(), "n": pl.Int64(), "at": pl.Datetime("us", "UTC")}
    )
