"""``ecogov sources …``: the enterprise registry from the command line."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Final

import typer

from ecogov.platform.console import database
from ecogov.platform.i18n import Catalogue, both, register
from ecogov.platform.scope import SYSTEM
from ecogov.sources import service

OUTPUT: Final[Catalogue] = {
    "sources.cli.valid": ("{code} 校验通过", "{code} is valid"),
}
register(OUTPUT)


def app() -> typer.Typer:
    """The ``sources`` sub-command."""
    cli = typer.Typer(
        help="Pollution sources (污染源): enterprises, outlets, devices, permits.",
        no_args_is_help=True,
    )

    @cli.command("list")
    def list_command(
        region: str | None = typer.Option(None, "--region", help="6-digit region code."),
        query: str | None = typer.Option(None, "--query", help="Part of the name or the code."),
        limit: int = typer.Option(50, "--limit", min=1, help="At most this many."),
    ) -> None:
        """Print id, credit code, region, key level and name, one enterprise per line."""
        for row in service.list_enterprises(database(), SYSTEM, region, query, limit):
            typer.echo(
                f"{row.enterprise_id}\t{row.uscc}\t{row.region_code}\t{row.key_level}\t{row.name}"
            )

    @cli.command("show")
    def show_command(enterprise_id: int = typer.Argument(..., help="Enterprise id.")) -> None:
        """Print an enterprise with its outlets, devices, permits and meters as JSON."""
        detail = service.get_enterprise(database(), SYSTEM, enterprise_id)
        typer.echo(json.dumps(asdict(detail), ensure_ascii=False, indent=1))

    @cli.command("check-uscc")
    def check_uscc_command(code: str = typer.Argument(..., help="统一社会信用代码.")) -> None:
        """Check a unified social credit code (GB 32100-2015); bad codes exit with code 2."""
        typer.echo(both("sources.cli.valid", code=service.credit_code(code)))

    return cli
