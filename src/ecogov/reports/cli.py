"""``ecogov reports …``: the monthly report and ranking announcement on demand, and the monthly
schedule (thin: the logic is in the service)."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from ecogov.platform.console import database
from ecogov.platform.i18n import both
from ecogov.platform.scope import SYSTEM
from ecogov.reports import service


def app() -> typer.Typer:
    """The ``reports`` sub-command."""
    cli = typer.Typer(
        help="Reports (报告): monthly environmental-quality reports, ranking announcements.",
        no_args_is_help=True,
    )

    @cli.callback()
    def main() -> None:
        """Reports (报告)."""

    def write(kind: str, region: str, period: str, output: Path) -> None:
        db = database()
        report = service.generate(db, SYSTEM, kind, region, period)
        fmt = output.suffix.lstrip(".").lower()
        if fmt == "json":
            data = service.figures_of(db, SYSTEM, report.id).as_dict()
            output.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
        else:
            output.write_bytes(service.document(db, SYSTEM, report.id, fmt)[1])
        typer.echo(both("reports.cli.written", file=str(output), id=report.id))

    @cli.command("monthly")
    def monthly(
        region: str = typer.Option(..., "--region", help="Region code (GB/T 2260)."),
        period: str = typer.Option(..., "--period", help="Month, YYYY-MM."),
        output: Path = typer.Option(..., "-o", "--output", help="FILE.docx, FILE.pdf or FILE.json"),
    ) -> None:
        """Generate the monthly report (环境质量月报) of a region and month."""
        write("monthly", region, period, output)

    @cli.command("ranking")
    def ranking(
        region: str = typer.Option(..., "--region", help="Region code (GB/T 2260)."),
        period: str = typer.Option(..., "--period", help="Month, YYYY-MM."),
        output: Path = typer.Option(..., "-o", "--output", help="FILE.docx, FILE.pdf or FILE.json"),
    ) -> None:
        """Generate the city ranking announcement (排名通报) of a region and month."""
        write("ranking", region, period, output)

    @cli.command("schedule")
    def schedule(
        region: list[str] = typer.Option(..., "--region", help="Region code; repeat for more."),
        period: str | None = typer.Option(None, "--period", help="Month (default: last month)."),
    ) -> None:
        """Generate the month's reports not generated yet (run it monthly; idempotent)."""
        done = service.schedule(database(), SYSTEM, region, period)
        typer.echo(both("reports.cli.scheduled", count=len(done)))

    return cli
