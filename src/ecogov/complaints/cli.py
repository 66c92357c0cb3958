"""``ecogov complaints …``: the 12345 export import from the command line (thin: the logic is in
the service)."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

import typer

from ecogov.complaints import service
from ecogov.platform.console import database
from ecogov.platform.i18n import both
from ecogov.platform.scope import SYSTEM


def app() -> typer.Typer:
    """The ``complaints`` sub-command."""
    cli = typer.Typer(help="Complaints (信访投诉): 12345 export imports.", no_args_is_help=True)

    @cli.callback()
    def main() -> None:
        """Complaints (信访投诉)."""

    @cli.command("import")
    def import_command(
        path: Path = typer.Argument(..., metavar="FILE", help="A 12345 export (.xlsx or CSV)."),
        skip_bad_rows: bool = typer.Option(
            False,
            "--skip-bad-rows",
            help="Store the good rows of a file with bad ones (default: all or nothing).",
        ),
    ) -> None:
        """Import a 12345 export (one transaction; importing it again changes nothing)."""
        result = service.import_12345(
            database(), SYSTEM, path.name, path, skip_bad_rows=skip_bad_rows
        )
        typer.echo(both("complaints.import.done", file=path.name, **asdict(result)))
        if result.rejected:
            typer.echo(f"rejects recorded: import run {result.run_id} (/imports/rejects)", err=True)

    return cli
