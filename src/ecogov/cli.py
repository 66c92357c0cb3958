"""The root ``ecogov`` command: database, demo data, web server, and every domain's sub-command."""

from __future__ import annotations

import sys
from contextlib import ExitStack
from typing import Final

import typer
from typer._click.exceptions import UsageError

from ecogov.platform.console import BAD_INPUT_EXIT, database, error_line, usage_text
from ecogov.platform.errors import EcogovError
from ecogov.platform.i18n import Catalogue, both, register
from ecogov.platform.migrate import current_revisions, upgrade
from ecogov.platform.plugins import domains
from ecogov.platform.settings import get_settings

OUTPUT: Final[Catalogue] = {
    "cli.db.upgraded": (
        "数据库已升级到 {heads}（{backend}）",
        "database at revision {heads} ({backend})",
    ),
    "cli.demo.service": ("演示服务已启动：{name}", "demo service running: {name}"),
}
register(OUTPUT)


def build() -> typer.Typer:
    """Assemble the command tree from the platform commands and the installed domains."""
    app = typer.Typer(
        help="ecogov — 生态环境智慧治理平台 (eco-environment governance platform).",
        no_args_is_help=True,
        pretty_exceptions_enable=False,
    )
    db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
    demo_app = typer.Typer(help="Demo data (simulated, labelled as such).", no_args_is_help=True)
    app.add_typer(db_app, name="db")
    app.add_typer(demo_app, name="demo")

    @db_app.command("upgrade")
    def db_upgrade(revision: str = typer.Argument("heads", help="Target revision.")) -> None:
        """Create or upgrade the schema through the migrations."""
        db = database()
        upgrade(db.engine, revision)
        heads = ", ".join(current_revisions(db.engine))
        typer.echo(both("cli.db.upgraded", heads=heads, backend=db.backend))

    @demo_app.command("load")
    def demo_load(
        reset: bool = typer.Option(False, "--reset", help="Drop every table first (demo only)."),
    ) -> None:
        """Create/upgrade the schema and load every domain's demo data (idempotent)."""
        from ecogov.demo import load_demo

        for line in load_demo(database(), reset=reset):
            typer.echo(line)

    @app.command("serve")
    def serve(
        host: str | None = typer.Option(None, help="Listen address (default ECOGOV_HOST)."),
        port: int | None = typer.Option(None, help="Port (default ECOGOV_PORT)."),
        demo: bool = typer.Option(
            False, "--demo", help="Demo mode: also run the domains' demo services (live feeds)."
        ),
    ) -> None:
        """Serve the web platform and its API (with ``--demo``, the demo's simulated feeds too,
        stopped with the server)."""
        import uvicorn

        from ecogov.web.app import create_app

        settings = get_settings()
        with ExitStack() as services:
            if demo:
                for domain in domains():
                    if domain.demo_service is not None:
                        services.enter_context(domain.demo_service(settings.database_url))
                        typer.echo(both("cli.demo.service", name=domain.name))
            uvicorn.run(
                create_app(settings),
                host=host or settings.host,
                port=port or settings.port,
                proxy_headers=True,
                log_level="info",
            )

    groups: dict[str, typer.Typer] = {}
    for domain in domains():
        if domain.cli is not None:
            groups[domain.cli_name or domain.name] = domain.cli()
            app.add_typer(
                groups[domain.cli_name or domain.name], name=domain.cli_name or domain.name
            )
    for domain in domains():
        if domain.cli is not None:
            for parent in domain.cli_mounts:
                groups[parent].add_typer(domain.cli(), name=domain.cli_name or domain.name)
    return app


def _one_line(exc: Exception) -> str:
    format_message = getattr(exc, "format_message", None)
    message = format_message() if callable(format_message) else str(exc)
    return " ".join(str(message).split())


def main(argv: list[str] | None = None) -> None:
    """Entry point: usage and domain errors become one ``错误：…`` line (zh-CN first) and exit
    code 2."""
    try:
        result = build()(args=argv, standalone_mode=False)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        typer.echo(both("cli.aborted"), err=True)
        sys.exit(1)
    except typer.TyperException as exc:  # usage errors: bad option, missing argument …
        message = _one_line(exc)
        if message:  # empty when a bare command group printed its help
            text = usage_text(exc) if isinstance(exc, UsageError) else message
            typer.echo(error_line(" ".join(text.split())), err=True)
        sys.exit(BAD_INPUT_EXIT)
    except EcogovError as exc:
        typer.echo(error_line(str(exc)), err=True)
        sys.exit(BAD_INPUT_EXIT)
    sys.exit(result if isinstance(result, int) else 0)
