"""The backends a batch job runs on: Polars (one process) and Apache Spark (partitions).

Both call the job's own functions (:mod:`ecogov.batch.jobs`) and write the same output layout:
``OUTPUT/<name>/*.parquet`` per output and ``OUTPUT/manifest.json`` with the row counts. Outputs
are written in portable column types (text for enums, signed integers, times in UTC) so that a
Polars and a Spark run of the same job give byte-for-byte comparable tables.
The Spark backend is :mod:`ecogov.batch.spark`, imported only when it is chosen.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import polars as pl

from ecogov.batch.jobs import (
    PARQUET,
    Job,
    Prepared,
    read_table,
)
from ecogov.platform.errors import EcogovError, InputError
from ecogov.platform.i18n import both

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

BACKENDS: Final = ("polars", "spark")
MANIFEST: Final = "manifest.json"
PART: Final = "part-0.parquet"


# --- portable outputs -------------------------------------------------------------------------


def portable_type(dtype: pl.DataType) -> pl.DataType:
    """The type an output column is written with (one both backends write the same way)."""
    if isinstance(dtype, pl.Enum | pl.Categorical | pl.Null | pl.Object):
        return pl.String()
    if isinstance(dtype, pl.UInt8):
        return pl.Int16()
    if isinstance(dtype, pl.UInt16):
        return pl.Int32()
    if isinstance(dtype, pl.UInt32 | pl.UInt64):
        return pl.Int64()
    if isinstance(dtype, pl.Datetime):
        return pl.Datetime("us", "UTC" if dtype.time_zone else None)
    return dtype


def portable(frame: pl.DataFrame) -> pl.DataFrame:
    """``frame`` with every column cast to its :func:`portable_type`."""
    return frame.cast({name: portable_type(dtype) for name, dtype in frame.schema.items()})


def write_output(folder: Path, name: str, frame: pl.DataFrame) -> None:
    """Write one output as ``folder/name/part-0.parquet`` (replacing what was there)."""
    target = folder / name
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    portable(frame).write_parquet(target / PART)


def read_output(folder: Path, name: str) -> pl.DataFrame:
    """An output of a run, whichever backend wrote it."""
    return pl.read_parquet(str(folder / name / f"*{PARQUET}"))


def write_manifest(folder: Path, job: Job, backend: str, names: list[str]) -> dict[str, Any]:
    """``manifest.json``: the job, the backend and each output's row count."""
    outputs = {
        name: pl.scan_parquet(str(folder / name / f"*{PARQUET}")).select(pl.len()).collect().item()
        for name in names
    }
    manifest = {"job": job.name, "backend": backend, "key": job.key, "outputs": outputs}
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    return manifest


def run_final(job: Job, prepared: Prepared, output: Path) -> list[str]:
    """The job's global step on the driver, over the partition outputs it needs."""
    if job.final is None:
        return []
    inputs = {name: read_output(output, name) for name in job.final_inputs}
    finals = job.final(inputs, prepared.context)
    for name, frame in finals.items():
        write_output(output, name, frame)
    return list(finals)


@dataclass(frozen=True)
class RunResult:
    """A finished run: its manifest and where it is."""

    manifest: Mapping[str, Any]
    path: Path


# --- Polars -----------------------------------------------------------------------------------


def main_frame(job: Job, prepared: Prepared, folder: Path) -> pl.DataFrame:
    """The whole partitioned table, read on this machine."""
    if prepared.main is not None:
        return prepared.main
    assert job.main is not None  # a job without a main file builds its main frame
    return read_table(folder, job.main)


def run_polars(job: Job, folder: Path, output: Path) -> RunResult:
    """Run ``job`` in this process: the partition function once on all the data."""
    prepared = job.prepare(folder)
    outputs = job.partition(main_frame(job, prepared, folder), prepared.context)
    for name, frame in outputs.items():
        write_output(output, name, frame)
    names = [*outputs, *run_final(job, prepared, output)]
    return RunResult(write_manifest(output, job, "polars", names), output)


def run(
    job: Job,
    backend: str,
    folder: Path,
    output: Path,
    session: SparkSession | None = None,
) -> RunResult:
    """Run ``job`` on ``backend`` from the input ``folder`` into ``output``.

    Raises:
        InputError: an unknown backend, a missing input folder or table, a bad table.
    """
    if backend not in BACKENDS:
        raise InputError(both("batch.error.backend", backend=backend, known=", ".join(BACKENDS)))
    if not folder.is_dir():
        raise InputError(both("batch.error.input_dir", path=folder))
    output.mkdir(parents=True, exist_ok=True)
    if backend == "polars":
        return run_polars(job, folder, output)
    try:
        from ecogov.batch import spark
    except ImportError as exc:
        raise EcogovError(both("batch.error.no_spark", reason=exc)) from exc
    return spark.run_spark(job, folder, output, session or spark.spark_session())
