"""The Spark backend of the batch jobs (see :mod:`ecogov.batch.backends`).

:attr:`Job.partition` runs inside ``mapInArrow`` after repartitioning by the job's key: a
partition's Arrow batches become one Polars frame, the job's function runs on it, and the task
writes each of its outputs as one Parquet part (``OUTPUT/<name>/part-NNNNN.parquet``) the way the
Polars backend writes its single part, returning nothing (the manifest counts the rows from the
parts' footers). The outputs never pass
through the JVM: converting them to Spark rows and back cost far more than computing them (the
air year's outputs are as many rows as its input and 40 columns wide). The job's global step
then runs on the driver, as on Polars.
Imported only when the Spark backend is chosen (PySpark is the ``spark`` extra).
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, Final

import polars as pl
import pyarrow as pa
from pyspark import TaskContext
from pyspark.errors import PySparkException
from pyspark.sql import DataFrame as SparkFrame
from pyspark.sql import SparkSession
from pyspark.sql.functions import broadcast
from pyspark.sql.pandas.types import from_arrow_schema

from ecogov.batch.backends import RunResult, portable, run_final, write_manifest, write_output
from ecogov.batch.jobs import (
    CSV,
    PARQUET,
    Job,
    Prepared,
    Schema,
    check_columns,
    conform,
    parquet_glob,
    table_file,
)
from ecogov.platform.errors import EcogovError
from ecogov.platform.i18n import both

RETURNED: Final = pa.schema([pa.field("part", pa.int32())])
"""The schema of what a partition task returns to the driver: no rows (``mapInArrow`` needs a
schema; the parts are the tasks' output)."""
PART_NAME: Final = "part-{:05d}.parquet"
POLARS_THREADS: Final = os.environ.get("ECOGOV_SPARK_POLARS_THREADS", "1")
"""Threads of Polars in each Python worker: Spark already runs one task per core."""
FAILURE_CHARS: Final = 500
"""How much of a Spark failure's message the user sees (Spark appends long suggestion lists)."""


def spark_session(master: str | None = None, app: str = "ecogov") -> SparkSession:
    """A Spark session for the batch jobs: quiet, without the web UI, times in UTC, Arrow on,
    Python workers on this interpreter. ``master`` by default: the one ``spark-submit`` gave
    (it started this process's JVM gateway), else ``ECOGOV_SPARK_MASTER``, else ``local[*]``.

    Raises:
        EcogovError: PySpark or Java is missing.
    """
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
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
        .config("spark.executorEnv.POLARS_MAX_THREADS", POLARS_THREADS)
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
        key_map = session.createDataFrame(prepared.key_map.to_arrow())
        joined = [name for name in prepared.key_map.columns if name != job.key]
        frame = frame.join(broadcast(key_map.select(*joined, job.key)), on=joined)
    return frame


def spark_schema(schema: pa.Schema) -> Any:
    """The Spark schema of an Arrow schema."""
    return from_arrow_schema(schema)


def output_schemas(samples: Mapping[str, pl.DataFrame]) -> dict[str, pl.Schema]:
    """The portable schema of every output, from the partition function's outputs on a sample."""
    return {name: portable(frame.clear()).schema for name, frame in samples.items()}


def write_part(
    folder: Path, part: int, attempt: int, frame: pl.DataFrame, schema: pl.Schema
) -> None:
    """Write one partition's rows of an output as ``folder/part-NNNNN.parquet``, in the
    output's portable ``schema``, the way the Polars backend writes its single part.

    The part is written beside its name and renamed into place, so a retried or speculative
    task replaces it whole and a reader never sees half a file."""
    conformed = portable(frame).select(schema.names()).cast(schema)
    target = folder / PART_NAME.format(part)
    partial = folder / f".{target.name}.{attempt}.tmp"
    conformed.write_parquet(partial)
    os.replace(partial, target)


def positional(frame: SparkFrame) -> tuple[SparkFrame, list[str]]:
    """``frame`` with its columns renamed ``c0, c1, …`` (Spark reads a dot in a name such as
    ``PM2.5`` as a field access), and the original names."""
    names = list(frame.columns)
    return frame.toDF(*(f"c{index}" for index in range(len(names)))), names


def partition_runner(
    job: Job, context: Any, schemas: Mapping[str, pl.Schema], names: list[str], output: Path
) -> Any:
    """The function Spark runs on each partition's Arrow batches (see the module docstring);
    ``names`` are the input columns' names (Spark passes them as ``c0, c1, …``)."""
    main_schema: Schema | None = job.main.schema if job.main is not None else None

    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        chunks = list(batches)
        if not chunks or sum(chunk.num_rows for chunk in chunks) == 0:
            return
        frame = pl.from_arrow(pa.Table.from_batches(chunks).rename_columns(names))
        assert isinstance(frame, pl.DataFrame)
        frame = conform(frame, main_schema) if main_schema is not None else frame
        task = TaskContext.get()
        part, attempt = (task.partitionId(), task.attemptNumber()) if task else (0, 0)
        for name, result in job.partition(frame, context).items():
            write_part(output / name, part, attempt, result, schemas[name])
        yield from ()

    return run


def typed_outputs(job: Job, prepared: Prepared, frame: SparkFrame) -> dict[str, pl.DataFrame]:
    """Outputs of the partition function whose column types every partition writes: its
    outputs on no rows (no Spark job, no data read), or :func:`sample_outputs` when it refuses
    an empty input or leaves a column untyped there."""
    if prepared.main is not None:
        empty = prepared.main.clear()
    else:
        assert job.main is not None  # a job without a main file builds its main frame
        empty = pl.DataFrame(schema=dict(job.main.schema))
    try:
        outputs = job.partition(empty, prepared.context)
    except Exception:  # a function may refuse no rows; its rows' outputs decide then
        return sample_outputs(job, prepared, frame)
    untyped = any(dtype == pl.Null for out in outputs.values() for dtype in out.dtypes)
    return sample_outputs(job, prepared, frame) if untyped else outputs


def sample_outputs(job: Job, prepared: Prepared, frame: SparkFrame) -> dict[str, pl.DataFrame]:
    """The outputs of the partition function on one key's rows, run on the driver: their
    column types are the schema every partition writes."""
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
    """Run ``job`` on Spark: partitions by the job's key, the job's function in each, every
    partition writing its own part of each output."""
    prepared = job.prepare(folder)
    frame = spark_main(session, job, prepared, folder)
    samples = typed_outputs(job, prepared, frame)
    schemas = output_schemas(samples)
    output = output.resolve()
    for name in schemas:
        shutil.rmtree(output / name, ignore_errors=True)
        (output / name).mkdir(parents=True)
    count = partitions or 4 * session.sparkContext.defaultParallelism
    renamed, columns = positional(frame)
    runner = partition_runner(job, prepared.context, schemas, columns, output)
    try:
        (
            renamed.repartition(count, f"c{columns.index(job.key)}")
            .mapInArrow(runner, spark_schema(RETURNED))
            .collect()
        )
    except PySparkException as exc:
        raise EcogovError(both("batch.error.spark", reason=spark_failure(exc))) from exc
    for name, sample in samples.items():
        if not any((output / name).glob(f"*{PARQUET}")):
            write_output(output, name, sample.clear())
    names = [*schemas, *run_final(job, prepared, output)]
    return RunResult(write_manifest(output, job, "spark", names), output)


def spark_failure(exc: Exception) -> str:
    """The message of a failed Spark run: the last line the Python worker raised."""
    lines = [line for line in str(exc).splitlines() if line.strip()]
    raised = [line for line in lines if "Error: " in line or "Exception: " in line]
    return (raised or lines or [type(exc).__name__])[-1].strip()[:FAILURE_CHARS]
