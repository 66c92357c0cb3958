"""``ecogov engine run JOB --backend polars|spark --input DIR --output DIR`` (thin: the jobs are
in :mod:`ecogov.batch.jobs`, the backends in :mod:`ecogov.batch.backends`)."""

from __future__ import annotations

from pathlib import Path

import typer

from ecogov.batch.backends import run
from ecogov.batch.jobs import JOBS, find_job
from ecogov.platform.i18n import both


def app() -> typer.Typer:
    """The ``engine`` sub-command."""
    cli = typer.Typer(
        help="Batch jobs of the engine (批处理) on Polars or Apache Spark.",
        no_args_is_help=True,
    )

    @cli.callback()
    def main() -> None:
        """Batch jobs of the engine (批处理)."""

    @cli.command("run")
    def run_command(
        job: str = typer.Argument(..., help=f"Job: {', '.join(JOBS)}."),
        backend: str = typer.Option("polars", "--backend", help="polars or spark."),
        input_dir: Path = typer.Option(..., "--input", help="Input folder (docs/batch.md)."),
        output_dir: Path = typer.Option(..., "--output", help="Output folder (Parquet)."),
    ) -> None:
        """Run a batch job and write its outputs and manifest.json (运行批处理作业)."""
        result = run(find_job(job), backend, input_dir, output_dir)
        outputs = ", ".join(f"{name} {rows}" for name, rows in result.manifest["outputs"].items())
        manifest = result.path / "manifest.json"
        typer.echo(both("batch.done", job=job, backend=backend, outputs=outputs, manifest=manifest))

    return cli
