"""``ecogov air …``: AQI of a file, imports into the store, period evaluation."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Final

import polars as pl
import typer

from ecogov.engine import air as engine
from ecogov.monitoring.air import evaluation, exports, service
from ecogov.monitoring.air.importers import READERS, long_frame, read_long
from ecogov.platform.console import add_rebuild, database, write_file
from ecogov.platform.errors import InputError
from ecogov.platform.exports import spec_csv, to_csv
from ecogov.platform.i18n import Catalogue, both, register, translate
from ecogov.platform.readers import COMPUTE_REFUSED, enforce
from ecogov.platform.scope import SYSTEM

OUTPUT: Final[Catalogue] = {
    "air.cli.importing": ("正在导入", "importing"),
    "air.cli.imported": ("导入完成：{summary}", "imported: {summary}"),
    "air.cli.rejected": ("拒收：{reason}", "rejected: {reason}"),
    "air.cli.rejects_recorded": (
        "拒收记录已保存：导入批次 {id}（/imports/rejects）",
        "rejects recorded: import run {id} (/imports/rejects)",
    ),
    "air.cli.written": ("已写入 {rows} 行到 {output}", "{rows} rows written to {output}"),
    "air.cli.rebuilt": (
        "已重算 {rows} 个站点日（及其城市日）",
        "{rows} station-days (and their city-days) recomputed",
    ),
}
register(OUTPUT)

ERRORS: Final[Catalogue] = {
    "air.error.choice": ("{value!r} 应为以下之一：{allowed}", "{value!r} is not one of {allowed}"),
    "air.error.no_data": ("库中没有 {period} 的数据", "no data for {period} in the store"),
}
register(ERRORS)


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
            False,
            "--skip-bad-rows",
            help="Store the good rows of a file with bad ones (default: all or nothing).",
        ),
    ) -> None:
        """Import files into the store (one transaction per file; re-importing changes nothing)."""
        if fmt not in READERS:
            raise typer.BadParameter(
                both("air.error.choice", value=fmt, allowed=", ".join(READERS)), param_hint="FORMAT"
            )
        with typer.progressbar(
            length=len(paths), label=translate("air.cli.importing"), file=None
        ) as bar:
            report = service.import_files(
                database(),
                SYSTEM,
                fmt,
                paths,
                skip_bad_rows=skip_bad_rows,
                progress=lambda path, _: bar.update(1),
            )
        typer.echo(translate("air.cli.imported").format(summary=report.summary()))
        for error in report.errors[:20]:
            typer.echo(translate("air.cli.rejected").format(reason=error), err=True)
        if report.rejected:
            typer.echo(both("air.cli.rejects_recorded", id=report.run_id), err=True)

    @cli.command("aqi")
    def aqi_command(
        input_csv: Path = typer.Argument(
            ...,
            metavar="INPUT.csv",
            help="Long CSV or .xlsx station,time,pollutant,value[,flag] (the import's reader).",
        ),
        kind: str = typer.Option(..., "--kind", help="hourly or daily."),
        edition: str = typer.Option("auto", "--edition", help="2012, 2026 or auto."),
        output: Path = typer.Option(..., "-o", "--output", help="Output CSV."),
    ) -> None:
        """AQI of every station-hour (hourly) or station-day (daily) of a file; stores nothing."""
        if kind not in ("hourly", "daily"):
            raise typer.BadParameter(
                both("air.error.choice", value=kind, allowed="hourly, daily"), param_hint="--kind"
            )
        if edition not in ("2012", "2026", "auto"):
            raise typer.BadParameter(
                both("air.error.choice", value=edition, allowed="2012, 2026, auto"),
                param_hint="--edition",
            )
        parsed = read_long(input_csv)
        enforce(
            input_csv.name,
            parsed.errors,
            skip_bad_rows=False,
            count=parsed.error_count,
            outcome=COMPUTE_REFUSED,
        )
        try:
            table = engine.aqi_table(long_frame(parsed), kind, edition)  # type: ignore[arg-type]
        except engine.EngineInputError as exc:
            name = input_csv.name
            raise InputError(f"{name}：{exc.zh} / {name}: {exc.en}") from exc
        write_file(to_csv(table.with_columns(pl.col("time").cast(pl.String))), output)
        typer.echo(both("air.cli.written", rows=table.height, output=output))

    @cli.command("evaluate")
    def evaluate_command(
        period: str = typer.Option(..., "--period", help="2015, 2015-07, 2015Q3 or 2015-Q3."),
        by: str = typer.Option(..., "--by", help="station or city."),
        region: str | None = typer.Option(None, "--region", help="6-digit region code."),
        edition: str = typer.Option("auto", "--edition", help="2012, 2026 or auto."),
        as_json: bool = typer.Option(False, "--json", help="Print JSON records."),
        output: Path | None = typer.Option(None, "-o", "--output", help="Write CSV here."),
    ) -> None:
        """Period statistics, attainment and (for cities) ranking from the store."""
        if by not in ("station", "city"):
            raise typer.BadParameter(
                both("air.error.choice", value=by, allowed="station, city"), param_hint="--by"
            )
        table = evaluation.evaluate(database(), SYSTEM, period, by, region, edition)  # type: ignore[arg-type]
        if table.is_empty():
            raise InputError(both("air.error.no_data", period=period))
        spec = exports.report_spec("city" if by == "city" else "station")
        if output is not None:
            write_file(spec_csv(table, spec), output)
            typer.echo(both("air.cli.written", rows=table.height, output=output))
        elif as_json:
            typer.echo(json.dumps(table.to_dicts(), ensure_ascii=False, default=str))
        else:
            typer.echo(spec_csv(table, spec, bom=False).decode("utf-8"), nl=False)

    add_rebuild(
        cli,
        "Stored daily values (站点日、城市日数据)",
        lambda period: service.rebuild_aggregates(database(), SYSTEM, period),
        "air.cli.rebuilt",
    )

    return cli
