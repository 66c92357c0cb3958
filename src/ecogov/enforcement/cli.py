"""``ecogov enforcement …``: credit, draws and cases from the command line (thin: the logic is in
the services and the engine)."""

from __future__ import annotations

import typer

from ecogov.enforcement import commands


def app() -> typer.Typer:
    """The ``enforcement`` sub-command."""
    cli = typer.Typer(
        help="Enforcement (执法监管): credit rating, double-random draws, cases.",
        no_args_is_help=True,
    )

    @cli.callback()
    def main() -> None:
        """Enforcement (执法监管)."""

    commands.register(cli)

    return cli
