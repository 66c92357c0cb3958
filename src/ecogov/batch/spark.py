"""The Spark backend of the batch jobs (see :mod:`ecogov.batch.backends`).

:attr:`Job.partition` runs inside ``mapInArrow`` after repartitioning by the job's key: a
partition's Arrow batches become one Polars frame, the job's function runs on it, and its outputs
are packed into one Arrow table (one column per output column, plus the output's name) that Spark
writes out, output by output. The job's global step then runs on the driver, as on Polars.
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
from pyspark.errors import PySparkException
from pyspark.sql import DataFrame as SparkFrame
from pyspark.sql import SparkSession
from pyspark.sql.functions import broadcast
from pyspark.sql.pandas.types import from_arrow_schema
from pyspark.storagelevel import StorageLevel

from ecogov.batch.backends import RunResult, portable, run_final, write_manifest
from ecogov.batch.jobs import (
    CSV,
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

TAG: Final = "__output"
"""The column of a packed partition output naming the output a row belongs to."""
SEPARATOR: Final = "__"
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


def packed_schema(samples: Mapping[str, pl.DataFrame]) -> pa.Schema:
    """The Arrow schema of packed outputs: the tag, then every output's columns, prefixed."""
    fields = [pa.field(TAG, pa.string())]
    for name, frame in samples.items():
        for field in portable(frame.clear()).to_arrow().schema:
            fields.append(pa.field(f"{name}{SEPARATOR}{field.name}", field.type))
    return pa.schema(fields)


def pack(outputs: Mapping[str, pl.DataFrame], schema: pa.Schema) -> pa.Table:
    """One Arrow table of every output's rows (the other outputs' columns null)."""
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
        raise EcogovError(both("batch.error.spark", reason=spark_failure(exc))) from exc
    finally:
        packed.unpersist()
    names += run_final(job, prepared, output)
    return RunResult(write_manifest(output, job, "spark", names), output)


def spark_failure(exc: Exception) -> str:
    """The message of a failed Spark run: the last line the Python worker raised."""
    lines = [line for line in str(exc).splitlines() if line.strip()]
    raised = [line for line in lines if "Error: " in line or "Exception: " in line]
    return (raised or lines or [type(exc).__name__])[-1].strip()[:FAILURE_CHARS]
