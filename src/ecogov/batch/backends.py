"""The backends a batch job runs on: Polars (one process) and Apache Spark (partitions).

Both call the job's own functions (:mod:`ecogov.batch.jobs`) and write the same output layout:
``OUTPUT/<name>/*.parquet`` per output and ``OUTPUT/manifest.json`` with the row counts. Outputs
are written in portable column types (text for enums, signed integers, times in UTC) so that a
Polars and a Spark run of the same job give byte-for-byte comparable tables.

Spark runs :attr:`Job.partition` inside ``mapInArrow`` after repartitioning by the job's key: a
partition's Arrow batches become one Polars frame, the job's function runs on it, and its outputs
are packed into one Arrow table (one column per output column, plus the output's name) that Spark
writes out, output by output. The job's global step then runs on the driver, as on Polars.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import polars as pl

from ecogov.batch.jobs import (
    CSV,
    PARQUET,
    Job,
    Prepared,
    Schema,
    check_columns,
    conform,
    parquet_glob,
    read_table,
    table_file,
)
from ecogov.platform.errors import EcogovError, InputError
from ecogov.platform.i18n import both

if TYPE_CHECKING:
    import pyarrow as pa
    from pyspark.sql import DataFrame as SparkFrame
    from pyspark.sql import SparkSession

BACKENDS: Final = ("polars", "spark")
MANIFEST: Final = "manifest.json"
PART: Final = "part-0.parquet"
TAG: Final = "__output"
"""The column of a packed partition output naming the output a row belongs to."""
SEPARATOR: Final = "__"
FAILURE_CHARS: Final = 500
"""How much of a Spark failure's message the user sees (Spark appends long suggestion lists)."""


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


# --- Spark ------------------------------------------------------------------------------------


def spark_session(master: str | None = None, app: str = "ecogov") -> SparkSession:
    """A Spark session for the batch jobs: quiet, without the web UI, times in UTC, Arrow on,
    Python workers on this interpreter. ``master`` by default: the one ``spark-submit`` gave
    (it started this process's JVM gateway), else ``ECOGOV_SPARK_MASTER``, else ``local[*]``.

    Raises:
        EcogovError: PySpark or Java is missing.
    """
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    try:
        from pyspark.sql import SparkSession
    except ImportError as exc:
        raise EcogovError(both("batch.error.no_spark", reason=exc)) from exc
    submitted = "PYSPARK_GATEWAY_PORT" in os.environ
    if not submitted and shutil.which("java") is None and "JAVA_HOME" not in os.environ:
        raise EcogovError(both("batch.error.no_spark", reason="java"))
    builder = SparkSession.builder.appName(app)
    if master is not None or not submitted:
        builder = builder.master(master or os.environ.get("ECOGOV_SPARK_MASTER", "local[*]"))
    session = (
        builder.config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .config("spark.sql.parquet.outputTimestampType", "TIMESTAMP_MICROS")
        .config("spark.driver.memory", os.environ.get("ECOGOV_SPARK_DRIVER_MEMORY", "2g"))
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    return session


def spark_main(session: SparkSession, job: Job, prepared: Prepared, folder: Path) -> SparkFrame:
    """The partitioned table as a Spark frame, read by Spark from the input files."""
    if prepared.main is not None:
        return session.createDataFrame(prepared.main.to_arrow())
    assert job.main is not None
    path = table_file(folder, job.main.name)
    check_columns(path, job.main.schema)
    if path.suffix == CSV:
        empty = pl.DataFrame(schema=dict(job.main.schema)).to_arrow()
        frame = session.read.csv(str(path), header=True, schema=spark_schema(empty.schema))
    else:
        frame = session.read.parquet(parquet_glob(path))
    if prepared.key_map is not None:
        from pyspark.sql.functions import broadcast

        key_map = session.createDataFrame(prepared.key_map.to_arrow())
        joined = [name for name in prepared.key_map.columns if name != job.key]
        frame = frame.join(broadcast(key_map.select(*joined, job.key)), on=joined)
    return frame


def spark_schema(schema: pa.Schema) -> Any:
    """The Spark schema of an Arrow schema."""
    from pyspark.sql.pandas.types import from_arrow_schema

    return from_arrow_schema(schema)


def packed_schema(samples: Mapping[str, pl.DataFrame]) -> pa.Schema:
    """The Arrow schema of packed outputs: the tag, then every output's columns, prefixed."""
    import pyarrow as pa

    fields = [pa.field(TAG, pa.string())]
    for name, frame in samples.items():
        for field in portable(frame.clear()).to_arrow().schema:
            fields.append(pa.field(f"{name}{SEPARATOR}{field.name}", field.type))
    return pa.schema(fields)


def pack(outputs: Mapping[str, pl.DataFrame], schema: pa.Schema) -> pa.Table:
    """One Arrow table of every output's rows (the other outputs' columns null)."""
    import pyarrow as pa

    parts = [
        portable(frame)
        .rename(lambda column, name=name: f"{name}{SEPARATOR}{column}")  # type: ignore[misc]
        .with_columns(pl.lit(name).alias(TAG))
        for name, frame in outputs.items()
    ]
    packed = pl.concat(parts, how="diagonal_relaxed").to_arrow()
    columns = [
        packed.column(field.name).cast(field.type)
        if field.name in packed.column_names
        else pa.nulls(packed.num_rows, field.type)
        for field in schema
    ]
    return pa.Table.from_arrays(columns, schema=schema)


def positional(frame: SparkFrame) -> tuple[SparkFrame, list[str]]:
    """``frame`` with its columns renamed ``c0, c1, …`` (Spark reads a dot in a name such as
    ``PM2.5`` as a field access), and the original names."""
    names = list(frame.columns)
    return frame.toDF(*(f"c{index}" for index in range(len(names)))), names


def partition_runner(job: Job, context: Any, schema: pa.Schema, names: list[str]) -> Any:
    """The function Spark runs on each partition's Arrow batches (see the module docstring);
    ``names`` are the input columns' names (Spark passes them as ``c0, c1, …``)."""
    main_schema: Schema | None = job.main.schema if job.main is not None else None

    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        import pyarrow as pa

        chunks = list(batches)
        if not chunks or sum(chunk.num_rows for chunk in chunks) == 0:
            return
        frame = pl.from_arrow(pa.Table.from_batches(chunks).rename_columns(names))
        assert isinstance(frame, pl.DataFrame)
        frame = conform(frame, main_schema) if main_schema is not None else frame
        yield from pack(job.partition(frame, context), schema).to_batches()

    return run


def sample_outputs(job: Job, prepared: Prepared, frame: SparkFrame) -> dict[str, pl.DataFrame]:
    """The outputs of the partition function on one key's rows, run on the driver: their
    column types are the schema Spark is told the partitions return."""
    renamed, names = positional(frame)
    key = f"c{names.index(job.key)}"
    first = renamed.select(key).limit(1).collect()
    sample = renamed.where(renamed[key] == first[0][0]) if first else renamed.limit(0)
    rows = pl.from_arrow(sample.toArrow().rename_columns(names))
    assert isinstance(rows, pl.DataFrame)
    if job.main is not None:
        rows = conform(rows, job.main.schema)
    return job.partition(rows, prepared.context)


def run_spark(
    job: Job, folder: Path, output: Path, session: SparkSession, partitions: int | None = None
) -> RunResult:
    """Run ``job`` on Spark: partitions by the job's key, the job's function in each."""
    from pyspark.errors import PySparkException
    from pyspark.storagelevel import StorageLevel

    prepared = job.prepare(folder)
    frame = spark_main(session, job, prepared, folder)
    schema = packed_schema(sample_outputs(job, prepared, frame))
    count = partitions or 2 * session.sparkContext.defaultParallelism
    renamed, names = positional(frame)
    runner = partition_runner(job, prepared.context, schema, names)
    packed = (
        renamed.repartition(count, f"c{names.index(job.key)}")
        .mapInArrow(runner, spark_schema(schema))
        .persist(StorageLevel.MEMORY_AND_DISK)
    )
    names = sorted({field.name.split(SEPARATOR, 1)[0] for field in schema if field.name != TAG})
    try:
        for name in names:
            columns = [
                packed[f"`{field.name}`"].alias(field.name.split(SEPARATOR, 1)[1])
                for field in schema
                if field.name.startswith(f"{name}{SEPARATOR}")
            ]
            chosen = packed.where(packed[TAG] == name).select(*columns)
            chosen.write.mode("overwrite").parquet(str(output / name))
    except PySparkException as exc:
        raise EcogovError(spark_failure(exc)) from exc
    finally:
        packed.unpersist()
    names += run_final(job, prepared, output)
    return RunResult(write_manifest(output, job, "spark", names), output)


def spark_failure(exc: Exception) -> str:
    """The message of a failed Spark run: the last line the Python worker raised."""
    lines = [line for line in str(exc).splitlines() if line.strip()]
    raised = [line for line in lines if "Error: " in line or "Exception: " in line]
    return (raised or lines or [type(exc).__name__])[-1].strip()[:FAILURE_CHARS]


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
    return run_spark(job, folder, output, session or spark_session())
