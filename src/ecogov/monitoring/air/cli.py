"""``ecogov air …``: AQI of a file, imports into the store, period evaluation."""

from __future__ import annotations

from pathlib import Path

import typer

from ecogov.monitoring.air import service
from ecogov.monitoring.air.importers import READERS
from ecogov.platform.console import database
from ecogov.platform.scope import SYSTEM


def app() -> typer.Typer:
    """The ``air`` sub-command."""
    cli = typer.Typer(
        help="Ambient air quality (环境空气质量): AQI, imports, evaluation.", no_args_is_help=True
    )

    @cli.command("import")
    def import_command(
        fmt: str = typer.Argument(..., metavar="FORMAT", help=f"One of: {', '.join(READERS)}."),
        paths: list[Path] = typer.Argument(..., metavar="PATH...", help="Files to import."),
        skip_bad_rows: bool = typer.Option(
            False, "--skip-bad-rows", help="Store the good rows of a file with bad ones."
        ),
    ) -> None:
        """Import files into the store (one transaction per file; re-importing changes nothing)."""
        if fmt not in READERS:
            raise typer.BadParameter(
                f"{fmt!r} is not one of {', '.join(READERS)}", param_hint="FORMAT"
            )
        with typer.progressbar(length=len(paths), label="importing", file=None) as bar:
            report = service.import_files(
                database(),
                SYSTEM,
                fmt,
                paths,
                skip_bad_rows=skip_bad_rows,
                progress=lambda path, _: bar.update(1),
            )
        typer.echo(report.summary())
        for error in report.errors[:20]:
            typer.echo(f"rejected: {error}", err=True)

    return cli
