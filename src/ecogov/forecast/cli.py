"""``ecogov forecast …`` (also mounted as ``ecogov air forecast …``): backtest and verify."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Final

import polars as pl
import typer

from ecogov.forecast import backtesting, service
from ecogov.platform.console import database, write_file
from ecogov.platform.errors import InputError
from ecogov.platform.exports import to_csv
from ecogov.platform.i18n import Catalogue, both, register
from ecogov.platform.scope import SYSTEM

OUTPUT: Final[Catalogue] = {
    "forecast.cli.written": ("已写入 {rows} 行到 {output}", "{rows} rows written to {output}"),
    "forecast.error.date": (
        "日期无效：{value}（应为 YYYY-MM-DD）",
        "bad date {value} (YYYY-MM-DD)",
    ),
    "forecast.error.period": ("起始日期晚于结束日期", "--from is after --to"),
    "forecast.cli.issued": (
        "{day} 预报已发布：站点 {stations} 个，城市 {cities} 个"
        "（训练模型 {trained} 个，沿用 {reused} 个）",
        "forecast of {day} issued: {stations} stations, {cities} cities ({trained} models trained, "
        "{reused} reused)",
    ),
    "forecast.cli.already": (
        "{day} 的预报已发布，未作改动",
        "the forecast of {day} was already issued; nothing changed",
    ),
    "forecast.error.hour": ("发布时次应为 0-23：{value}", "issue hour must be 0-23: {value}"),
}
register(OUTPUT)


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InputError(both("forecast.error.date", value=text)) from None


def app() -> typer.Typer:
    """The ``forecast`` sub-command."""
    cli = typer.Typer(
        help="Air-quality forecast (空气质量预报): issue, backtest and verification.",
        no_args_is_help=True,
    )

    @cli.command("run")
    def run_command(
        issued: str | None = typer.Option(
            None, "--issued", help="Issue day YYYY-MM-DD (default today)."
        ),
    ) -> None:
        """Issue the day's 72-hour forecast of every station and city from the stored hours
        (training or reusing each province's model); a day already issued is left as it is."""
        day = _date(issued) if issued else None
        report = service.run(database(), SYSTEM, day)
        if report.already_issued:
            typer.echo(both("forecast.cli.already", day=report.issued_on))
        else:
            typer.echo(
                both(
                    "forecast.cli.issued",
                    day=report.issued_on,
                    stations=report.stations,
                    cities=report.cities,
                    trained=report.trained,
                    reused=report.reused,
                )
            )

    @cli.command("backtest")
    def backtest_command(
        history: Path = typer.Option(
            ..., "--history", help="Long CSV station,time,pollutant,value."
        ),
        met: Path | None = typer.Option(
            None,
            "--met",
            help="Long CSV station,time,variable,value (TEMP PRES DEWP HUMI RAIN WSPM).",
        ),
        first: str = typer.Option(..., "--from", help="First issue day YYYY-MM-DD."),
        last: str = typer.Option(..., "--to", help="Last issue day YYYY-MM-DD."),
        issue_hour: int = typer.Option(16, "--issue-hour", help="Issue hour (Beijing, 0-23)."),
        output: Path = typer.Option(..., "-o", "--output", help="Output CSV."),
    ) -> None:
        """Issue a forecast every day FROM..TO from the data before it (monthly retraining)."""
        start, end = _date(first), _date(last)
        if start > end:
            raise InputError(both("forecast.error.period"))
        if not 0 <= issue_hour <= 23:
            raise InputError(both("forecast.error.hour", value=issue_hour))
        wide = backtesting.read_history(history)
        stations = wide["station"].cast(pl.String).unique().to_list()
        weather = (
            backtesting.read_met(met, stations) if met is not None else backtesting.no_met(stations)
        )
        table = backtesting.backtest(wide, weather, start, end, issue_hour)
        write_file(
            to_csv(table.with_columns(pl.col("issued").dt.strftime("%Y-%m-%dT%H:%M"))), output
        )
        typer.echo(both("forecast.cli.written", rows=table.height, output=output))

    @cli.command("verify")
    def verify_command(
        forecast: Path = typer.Option(..., "--forecast", help="A backtest CSV."),
        history: Path = typer.Option(..., "--history", help="Long CSV of the observations."),
        by: str = typer.Option("", "--by", help="Also group by: station, month or station,month."),
        as_json: bool = typer.Option(False, "--json", help="Print JSON records."),
    ) -> None:
        """Level and primary-pollutant accuracy, MAE and bias per lead day beside persistence
        and climatology on the same cases."""
        keys = tuple(k for k in by.split(",") if k)
        table = backtesting.verify(
            backtesting.read_forecast(forecast), backtesting.read_history(history), keys
        )
        if as_json:
            typer.echo(json.dumps(table.to_dicts(), ensure_ascii=False, default=str))
        else:
            typer.echo(to_csv(table).decode("utf-8-sig"), nl=False)

    return cli
