"""``ecogov waste …``: the waste full chain from the command line (thin: the logic is in the
services and the engine)."""

from __future__ import annotations

from pathlib import Path

import typer

from ecogov.platform.console import database, write_file
from ecogov.platform.i18n import both
from ecogov.platform.scope import SYSTEM
from ecogov.waste import bundleexport, checkcli, importer, manifests

KINDS = tuple(importer.SPECS)


def app() -> typer.Typer:
    """The ``waste`` sub-command."""
    cli = typer.Typer(
        help="Solid and hazardous waste (固体废物与危险废物): imports and full-chain checks.",
        no_args_is_help=True,
    )

    @cli.callback()
    def main() -> None:
        """Solid and hazardous waste (固废危废)."""

    checkcli.register(cli)

    @cli.command("import")
    def import_command(
        path: Path = typer.Argument(..., metavar="FILE", help="CSV or .xlsx in the bundle layout."),
        kind: str = typer.Option(..., "--kind", help=f"One of: {', '.join(KINDS)}."),
        skip_bad_rows: bool = typer.Option(
            False,
            "--skip-bad-rows",
            help="Store the good rows of a file with bad ones (default: all or nothing).",
        ),
    ) -> None:
        """Import a file (one transaction; importing it again changes nothing)."""
        if kind not in KINDS:
            raise typer.BadParameter(
                both("waste.error.kind", kinds="、".join(KINDS), kind=kind), param_hint="--kind"
            )
        report = importer.import_file(
            database(), SYSTEM, path.name, path, kind, skip_bad_rows=skip_bad_rows
        )
        typer.echo(
            f"{report.file}：读取 {report.rows_read} 行，新增 {report.added}，"
            f"未变 {report.unchanged}，拒收 {len(report.rejected)} / read {report.rows_read}, "
            f"added {report.added}, unchanged {report.unchanged}, "
            f"rejected {len(report.rejected)}"
        )
        for error in report.rejected[:20]:
            typer.echo(f"拒收 rejected: {error}", err=True)
        if report.rejected:
            typer.echo(f"rejects recorded: import run {report.run_id} (/imports/rejects)", err=True)

    @cli.command("export-bundle")
    def export_command(
        folder: Path = typer.Argument(..., metavar="FOLDER", help="Folder for the CSV files."),
    ) -> None:
        """Write the database's waste facts as a bundle (the checks' input layout)."""
        files = bundleexport.export_bundle(database(), SYSTEM)
        for name, data in files.items():
            write_file(data, folder / name)
        typer.echo(f"{len(files)} 个文件已写入 {folder} / {len(files)} files written to {folder}")

    @cli.command("time-limits")
    def time_limits_command() -> None:
        """Fire the alerts of manifests past their receipt-confirmation limit (TR Art. 18)."""
        late = manifests.fire_time_limits(database())
        typer.echo(f"超时未确认接收的联单 {len(late)} 张 / {len(late)} manifest(s) late")

    return cli
