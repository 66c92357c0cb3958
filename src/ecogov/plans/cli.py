"""``ecogov plan …``: import a published plan, run the escalation ladder."""

from __future__ import annotations

from pathlib import Path
from typing import Final

import typer

from ecogov.plans import service
from ecogov.plans.importer import EmptyDocument, parse_plan
from ecogov.plans.importer.dates import title_period
from ecogov.platform import clock
from ecogov.platform.console import database
from ecogov.platform.errors import InputError
from ecogov.platform.i18n import Catalogue, both, register
from ecogov.platform.readers import read_document
from ecogov.platform.scope import SYSTEM
from ecogov.regions.service import get_region

OUTPUT: Final[Catalogue] = {
    "plans.cli.parsed": (
        "{title}：{sections} 个章节、{tasks} 项任务、{targets} 个目标（{bound} 个有约束）、"
        "{projects} 项重点工程",
        "{title}: {sections} sections, {tasks} tasks, {targets} targets ({bound} bound), "
        "{projects} key projects",
    ),
    "plans.cli.committed": ("规划 {id} 已入库", "plan {id} committed"),
}
register(OUTPUT)

ERRORS: Final[Catalogue] = {
    "plans.error.commit_region": ("入库需指定规划所属区域", "committing needs the plan's region"),
}
register(ERRORS)


def app() -> typer.Typer:
    """The ``plan`` sub-command."""
    cli = typer.Typer(help="Plans, targets and tasks (规划、目标与任务).", no_args_is_help=True)

    @cli.command("import")
    def import_command(
        file: Path = typer.Argument(
            ..., help="The plan as published: plain text, Word .docx, PDF or Excel .xlsx."
        ),
        region: str | None = typer.Option(None, "--region", help="6-digit region code."),
        year: int | None = typer.Option(None, "--year", help="Plan year / period end."),
        dry_run: bool = typer.Option(False, "--dry-run", help="Parse only; store nothing."),
        as_json: bool = typer.Option(False, "--json", help="Print the draft as JSON."),
    ) -> None:
        """Parse a plan into a draft; without --dry-run, commit it for the region."""
        region_name = get_region(database(), SYSTEM, region).name if region else None
        try:
            text = read_document(file, file.name)
            draft = parse_plan(text, year=year, region=region_name)
        except EmptyDocument as exc:
            raise InputError(f"{file.name}: {exc}") from exc
        if as_json:
            typer.echo(draft.to_json())
        else:
            bound = sum(1 for t in draft.targets if t.indicator)
            typer.echo(
                both(
                    "plans.cli.parsed",
                    title=draft.title,
                    sections=len(draft.sections),
                    tasks=len(draft.tasks()),
                    targets=len(draft.targets),
                    bound=bound,
                    projects=len(draft.projects),
                )
            )
        if dry_run:
            return
        if region is None:
            raise typer.BadParameter(both("plans.error.commit_region"), param_hint="--region")
        start, end = title_period(draft.title) or (year or clock.today().year,) * 2
        plan_id = service.commit_plan(
            database(),
            SYSTEM,
            draft,
            service.PlanMeta(
                region_code=region,
                start_year=start,
                end_year=year or end,
                source_name=file.name,
                source_text=text,
            ),
        )
        typer.echo(both("plans.cli.committed", id=plan_id), err=as_json)

    @cli.command("escalate")
    def escalate_command(
        today: str | None = typer.Option(None, "--today", help="Date to run as (YYYY-MM-DD)."),
    ) -> None:
        """Mark overdue tasks and items and climb the escalation ladder (run daily)."""
        when = clock.parse_instant(today, "--today").date() if today else clock.today()
        for message in service.escalate(database(), when):
            typer.echo(message)

    return cli
