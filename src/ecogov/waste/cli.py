"""``ecogov waste …``: the waste full chain from the command line (thin: the logic is in the
services and the engine)."""

from __future__ import annotations

import typer

from ecogov.waste import checkcli


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

    return cli
