"""The Polars and Spark backends give identical outputs for every job on the same inputs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from ecogov.batch.backends import MANIFEST, portable, read_output, run
from ecogov.batch.jobs import JOBS, Job, credit_partition, find_job


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


def refusing_empty(evidence: pl.DataFrame, method: Any) -> dict[str, pl.DataFrame]:
    """The credit job's partition, refusing a partition without rows."""
    if evidence.is_empty():
        raise ValueError("no evidence")
    return credit_partition(evidence, method)


def untyped_when_empty(evidence: pl.DataFrame, method: Any) -> dict[str, pl.DataFrame]:
    """The credit job's partition and each enterprise's record count, built from Python lists:
    Polars knows their types only from values (without rows the columns are untyped)."""
    counted = evidence.group_by("enterprise_id").len()
    records = pl.DataFrame(
        {"enterprise_id": counted["enterprise_id"].to_list(), "records": counted["len"].to_list()}
    )
    return {**credit_partition(evidence, method), "records": records}


@pytest.mark.slow
@pytest.mark.parametrize("partition", [refusing_empty, untyped_when_empty])
def test_output_types_from_a_sample(
    partition: Any, inputs: dict[str, Path], spark: Any, tmp_path: Path
) -> None:
    """A partition function that refuses no rows, or gives an untyped column on no rows, gets
    its output types from a key's rows: the outputs still equal Polars'."""
    job = Job(**{**vars(find_job("credit")), "name": partition.__name__, "partition": partition})
    polars_run = run(job, "polars", inputs["credit"], tmp_path / "polars")
    spark_run = run(job, "spark", inputs["credit"], tmp_path / "spark", spark)
    assert spark_run.manifest["outputs"] == polars_run.manifest["outputs"]
    for output in polars_run.manifest["outputs"]:
        expected = read_output(tmp_path / "polars", output)
        got = read_output(tmp_path / "spark", output)
        assert got.schema == expected.schema, output
        assert_frame_equal(canonical(got), canonical(expected))


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
