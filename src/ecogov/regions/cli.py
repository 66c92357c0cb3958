"""``ecogov regions …``: list and load administrative divisions."""

from __future__ import annotations

from typing import Final

import typer

from ecogov.platform.console import database
from ecogov.platform.i18n import Catalogue, both, register, translate
from ecogov.platform.scope import SYSTEM
from ecogov.platform.settings import get_settings
from ecogov.regions import service

OUTPUT: Final[Catalogue] = {
    "regions.cli.loaded": (
        "行政区划已载入：read={read} inserted={inserted} updated={updated} "
        "with_boundary={boundaries}",
        "regions read={read} inserted={inserted} updated={updated} with_boundary={boundaries}",
    ),
}
register(OUTPUT)

ERRORS: Final[Catalogue] = {
    "regions.error.code": (
        "{code!r} 不是6位数字的行政区划代码",
        "{code!r} is not a 6-digit region code",
    ),
}
register(ERRORS)


def app() -> typer.Typer:
    """The ``regions`` sub-command."""
    cli = typer.Typer(help="Administrative divisions (行政区划, GB/T 2260).", no_args_is_help=True)

    @cli.command("list")
    def list_command(
        parent: str | None = typer.Option(
            None, "--parent", help="6-digit code whose children to list; provinces when omitted."
        ),
    ) -> None:
        """Print code, name and level of each division, one per line (tab-separated)."""
        if parent is not None and not (len(parent) == 6 and parent.isdigit()):
            raise typer.BadParameter(both("regions.error.code", code=parent), param_hint="--parent")
        for region in service.list_regions(database(), SYSTEM, parent):
            typer.echo(f"{region.code}\t{region.name}\t{region.level}")

    @cli.command("load")
    def load_command(
        boundaries: str | None = typer.Option(
            None,
            "--boundaries",
            help="Comma-separated province codes whose boundaries to keep "
            "(default: ECOGOV_BOUNDARY_PROVINCES).",
        ),
    ) -> None:
        """Load the whole country's codes and names from the registry package (idempotent)."""
        provinces = (
            tuple(code.strip() for code in boundaries.split(",") if code.strip())
            if boundaries
            else get_settings().boundary_province_codes
        )
        report = service.load_registry(database(), provinces)
        typer.echo(
            translate("regions.cli.loaded").format(
                read=report.read,
                inserted=report.inserted,
                updated=report.updated,
                boundaries=report.boundaries,
            )
        )

    return cli
