"""``ecogov hj212 …``: the receiver, the packet parser, the simulator, exports and commands."""

from __future__ import annotations

import asyncio
import json
import logging
import signal
import sys
from collections.abc import Iterable
from dataclasses import asdict, replace
from datetime import datetime
from pathlib import Path
from typing import Any, Final

import typer

from ecogov.hj212 import aggregates, commands, service
from ecogov.hj212.eventloop import run_loop
from ecogov.hj212.exceedance import exceedances
from ecogov.hj212.jsonview import parse_line
from ecogov.hj212.judging import judge_all
from ecogov.hj212.partitions import maintain
from ecogov.hj212.quality import load_rules
from ecogov.hj212.receiver import Receiver, ReceiverSettings, serve
from ecogov.hj212.record_archive import archive_before, archive_dir
from ecogov.hj212.simulator import STEPS, SimulationConfig, simulate
from ecogov.hj212.status import read_status
from ecogov.hj212.workers import run_workers
from ecogov.platform import clock
from ecogov.platform.console import add_rebuild, database, file_error
from ecogov.platform.i18n import Catalogue, both, register, texts, translate
from ecogov.platform.periods import Kind, parse_period
from ecogov.platform.scope import SYSTEM
from ecogov.platform.settings import get_settings
from ecogov.sources.protocols import DEFAULT_PROFILE, profile_named
from ecogov.standards.timebase import BEIJING

OUTPUT: Final[Catalogue] = {
    "hj212.cli.listening": (
        "HJ 212 接收服务已启动（HJ 212 receiver listening on {host}:{port}{processes}）",
        "HJ 212 receiver listening on {host}:{port}{processes}",
    ),
    "hj212.cli.single_table": (
        "SQLite 存储为单表，没有分区",
        "SQLite keeps one table: no partitions",
    ),
    "hj212.cli.rebuilt": (
        "已重算 {rows} 条设备小时与日统计",
        "{rows} device-hour and device-day statistics recomputed",
    ),
}
register(OUTPUT)

ERRORS: Final[Catalogue] = {
    "hj212.error.cn": (
        "{unknown} 不在可模拟的命令编码 {known} 之中",
        "{unknown} not among {known}",
    ),
}
register(ERRORS)

MONTHS: Final[tuple[Kind, ...]] = ("month",)
"""``--before`` names a month."""


def _json(value: Any) -> str:
    """Compact JSON; times as ISO 8601."""
    return json.dumps(value, ensure_ascii=False, default=_plain)


def _plain(value: Any) -> str:
    return value.isoformat() if isinstance(value, datetime) else str(value)


def _instant(text: str | None, option: str) -> Any:
    return None if text is None else clock.parse_instant(text, option)


def _lines(source: str) -> Iterable[bytes]:
    """The input lines of ``FILE`` or of standard input (``-``), as bytes."""
    if source == "-":
        yield from sys.stdin.buffer
        return
    try:
        with Path(source).open("rb") as stream:
            yield from stream
    except OSError as exc:
        raise file_error("cli.read_failed", source, exc) from exc


async def _serve(url: str, settings: ReceiverSettings) -> None:
    """Run the receiver until SIGINT or SIGTERM."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)

    def ready(receiver: Receiver) -> None:
        _listening(settings.host, receiver.port, 1)

    await serve(url, settings, stop, ready)


def _listening(host: str, port: int, workers: int) -> None:
    """The start-up line scripts wait for (``listening on host:port``)."""
    processes = f" ({workers} worker processes)" if workers > 1 else ""
    typer.echo(translate("hj212.cli.listening").format(host=host, port=port, processes=processes))


def app() -> typer.Typer:
    """The ``hj212`` sub-command."""
    cli = typer.Typer(
        help="HJ 212 online monitoring (在线监控): receiver, parser, simulator, data, commands.",
        no_args_is_help=True,
    )

    @cli.command("serve")
    def serve_command(
        host: str = typer.Option("127.0.0.1", help="Listen address."),
        port: int = typer.Option(9212, help="Listen port."),
        max_connections: int = typer.Option(5000, min=1, help="Open connections at most."),
        idle_timeout: float = typer.Option(600.0, min=1, help="Close silent connections [s]."),
        batch_size: int = typer.Option(2000, min=1, help="Packets per commit at most."),
        batch_delay_ms: float = typer.Option(2.0, min=0, help="Gather a batch this long [ms]."),
        workers: int = typer.Option(
            1, min=1, help="Receiver processes sharing the port (one core's worth each)."
        ),
    ) -> None:
        """Receive data from HJ 212 data loggers; every packet is acknowledged only after it is
        committed. Stops on Ctrl-C or SIGTERM once what it received is committed."""
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
        settings = ReceiverSettings(
            host=host,
            port=port,
            max_connections=max_connections,
            idle_timeout=idle_timeout,
            batch_size=batch_size,
            batch_delay=batch_delay_ms / 1000,
            workers=workers,
        )
        url = get_settings().database_url
        if workers == 1:
            run_loop(_serve(url, settings))
            return
        status = run_workers(url, settings, lambda bound: _listening(host, bound, workers))
        raise typer.Exit(status)

    @cli.command("parse")
    def parse_command(
        source: str = typer.Argument("-", metavar="[FILE|-]", help="Packets, one per line."),
        strict: bool = typer.Option(False, "--strict", help="Refuse any rule violation."),
        as_json: bool = typer.Option(False, "--json", help="One JSON object per line."),
        profile: str = typer.Option(DEFAULT_PROFILE, "--profile", help="Codec profile name."),
    ) -> None:
        """Parse packets: one JSON object per input line ({"ok": true, "cn": …, "values": …} or
        {"ok": false, "line": N, "error": …}); blank lines are skipped. Exits 0 whenever the
        input could be read, even if some lines fail; 2 when it cannot be read."""
        codec_profile = profile_named(profile)
        for number, line in enumerate(_lines(source), start=1):
            if not line.strip():
                continue
            found = parse_line(line, number, codec_profile, strict)
            if as_json:
                typer.echo(_json(found))
            elif found["ok"]:
                factors = ",".join(found["values"])
                typer.echo(
                    f"{number}\tok\t{found['cn']}\t{found['mn']}\t{found['data_time']}\t{factors}"
                )
            else:
                typer.echo(f"{number}\terror\t{found['error']}")

    @cli.command("simulate")
    def simulate_command(
        host: str = typer.Option("127.0.0.1", help="Receiver address."),
        port: int = typer.Option(9212, help="Receiver port."),
        devices: int = typer.Option(10, min=1, help="Simulated loggers (registered devices)."),
        seconds: float = typer.Option(10.0, min=0, help="Upload for this long [s]."),
        interval: float = typer.Option(1.0, min=0, help="Pause between packets per logger [s]."),
        acked_log: Path | None = typer.Option(None, help="Log every acknowledged packet here."),
        cn: list[str] = typer.Option(["2011", "2051", "2061"], "--cn", help="Uploads to cycle."),
        defects: float = typer.Option(0.02, min=0, max=1, help="Share of defective packets."),
        timeout: float = typer.Option(10.0, min=0.1, help="Wait this long for a 9014 [s]."),
        as_json: bool = typer.Option(False, "--json", help="Print the summary as JSON."),
        live: bool = typer.Option(
            False, "--live", help="Follow the wall clock: DataTimes from now, each upload once due."
        ),
    ) -> None:
        """Emulate data loggers of registered devices uploading real-time, minute and hourly
        data (some with realistic defects) to a receiver; prints what was acknowledged. With
        ``--live`` they upload as real loggers do (the demo feed's way), not as fast as asked."""
        unknown = sorted(set(cn) - set(STEPS))
        if unknown:
            raise typer.BadParameter(
                both("hj212.error.cn", unknown=", ".join(unknown), known=", ".join(STEPS)),
                param_hint="--cn",
            )
        targets = service.simulation_devices(database(), SYSTEM, devices)
        config = SimulationConfig(
            host=host,
            port=port,
            seconds=seconds,
            interval=interval,
            commands=tuple(cn),
            defects=defects,
            timeout=timeout,
            live=live,
        )
        if live:
            config = replace(config, start=datetime.now(BEIJING))
        summary = run_loop(simulate(targets, config, acked_log))
        typer.echo(_json(summary) if as_json else " ".join(f"{k}={v}" for k, v in summary.items()))

    @cli.command("export")
    def export_command(
        mn: str = typer.Option(..., "--mn", help="Device MN."),
        since: str | None = typer.Option(None, "--since", help="First DataTime (ISO 8601)."),
        until: str | None = typer.Option(None, "--until", help="DataTimes before this."),
        cn: str | None = typer.Option(None, "--cn", help="Only this command code (2061 …)."),
        as_json: bool = typer.Option(False, "--json", help="One JSON object per record."),
    ) -> None:
        """What the store holds for a device, by DataTime (times in Beijing time)."""
        found = service.records(
            database(),
            SYSTEM,
            mn,
            cn=cn,
            since=_instant(since, "--since"),
            until=_instant(until, "--until"),
        )
        for record in found:
            row = asdict(record)
            if as_json:
                typer.echo(_json(row))
            else:
                typer.echo(f"{record.cn}\t{record.data_time.isoformat()}\t{_json(record.values)}")

    @cli.command("archive")
    def archive_command(
        mn: str = typer.Option(..., "--mn", help="Device MN."),
        since: str = typer.Option(..., "--since", help="Received from (ISO 8601)."),
        until: str = typer.Option(..., "--until", help="Received before this."),
    ) -> None:
        """The frames a device sent, as received (raw archive): one JSON object per frame with
        the receive time, peer, outcome and the frame as text."""
        frames = service.archived_frames(
            database(),
            SYSTEM,
            mn,
            clock.parse_instant(since, "--since"),
            clock.parse_instant(until, "--until"),
        )
        for frame in frames:
            received = datetime.fromtimestamp(frame.received_at / 1000, BEIJING).isoformat()
            row = {**asdict(frame), "received_at": received}
            typer.echo(_json({**row, "raw": frame.raw.decode("utf-8", "backslashreplace")}))

    @cli.command("archive-months")
    def archive_months_command(
        before: str = typer.Option(..., "--before", help="Archive the months before (YYYY-MM)."),
        directory: Path | None = typer.Option(
            None, "--dir", help="Archive folder (default ECOGOV_HJ212_ARCHIVE_DIR)."
        ),
    ) -> None:
        """Move the store's months before ``--before`` to Parquet files by month and region,
        with a manifest; rows leave the store only once the files are on disk and verified.
        Prints one JSON object per month archived. Reads find them in ECOGOV_HJ212_ARCHIVE_DIR."""
        month = parse_period(before, MONTHS, allow_range=False)
        folder = directory or archive_dir()
        for entry in archive_before(database(), SYSTEM, month, folder):
            typer.echo(_json(asdict(entry)))

    add_rebuild(
        cli,
        "Stored device statistics (设备小时与日统计)",
        lambda period: aggregates.rebuild_period(database(), SYSTEM, period),
        "hj212.cli.rebuilt",
    )

    @cli.command("partitions")
    def partitions_command(
        ahead: int = typer.Option(2, "--ahead", min=0, help="Months to create after this one."),
        retain_months: int | None = typer.Option(
            None,
            "--retain-months",
            min=1,
            help="Archive and drop the months before the last M whole months.",
        ),
        directory: Path | None = typer.Option(
            None, "--dir", help="Archive folder (default ECOGOV_HJ212_ARCHIVE_DIR)."
        ),
    ) -> None:
        """PostgreSQL: create the monthly partitions of the store ahead of time, archive and drop
        those past retention, and list them (one JSON object per partition). SQLite keeps one
        table: only the retention's archiving runs there."""
        done = maintain(
            database(),
            SYSTEM,
            ahead=ahead,
            retain_months=retain_months,
            archive_dir=directory or archive_dir(),
        )
        for entry in done.archived:
            typer.echo(_json({"archived": asdict(entry)}))
        if not done.partitions:
            typer.echo(translate("hj212.cli.single_table"))
        for view in done.partitions:
            status = "created" if view.name in done.created else "kept"
            typer.echo(_json({**asdict(view), "status": status}))
        for name in done.dropped:
            typer.echo(_json({"name": name, "status": "dropped"}))

    @cli.command("judge")
    def judge_command(
        mn: str = typer.Option(..., "--mn", help="Device MN."),
        since: str = typer.Option(..., "--since", help="From (ISO 8601, Beijing time)."),
        until: str = typer.Option(..., "--until", help="Until (ISO 8601)."),
        rules: Path | None = typer.Option(None, "--rules", help="Rule set (JSON) of the checks."),
    ) -> None:
        """Exceedance events against the permit, then data-quality findings with their causes,
        one JSON object per line."""
        first, last = clock.parse_instant(since, "--since"), clock.parse_instant(until, "--until")
        for event in exceedances(database(), SYSTEM, mn, first, last):
            typer.echo(_json({"kind": "exceedance", **asdict(event)}))
        rule_set = None if rules is None else load_rules(rules)
        for finding in service.quality_findings(database(), SYSTEM, mn, first, last, rule_set):
            typer.echo(_json({"kind": "finding", **asdict(finding)}))

    @cli.command("alerts")
    def alerts_command(
        since: str = typer.Option(..., "--since", help="From (ISO 8601, Beijing time)."),
        until: str = typer.Option(..., "--until", help="Until (ISO 8601)."),
        rules: Path | None = typer.Option(None, "--rules", help="Rule set (JSON) of the checks."),
    ) -> None:
        """Judge every active device with data in the window and publish its exceedances and
        findings to the alerts inbox (预警收件箱); prints a summary (JSON)."""
        rule_set = None if rules is None else load_rules(rules)
        summary = judge_all(
            database(),
            SYSTEM,
            clock.parse_instant(since, "--since"),
            clock.parse_instant(until, "--until"),
            rule_set,
        )
        typer.echo(_json(asdict(summary)))

    @cli.command("command")
    def command_command(
        mn: str = typer.Argument(..., help="Device MN."),
        cn: str = typer.Argument(..., help=f"One of {', '.join(commands.BUILDERS)}."),
        pol_id: str | None = typer.Option(None, "--pol-id", help="Factor code (3011, 3012)."),
        system_time: str | None = typer.Option(None, "--time", help="Time to set (1012)."),
        rtd_interval: int | None = typer.Option(None, "--interval", help="Seconds (1062)."),
        begin: str | None = typer.Option(None, "--begin", help="History start (2031–2061)."),
        end: str | None = typer.Option(None, "--end", help="History end (2031–2061)."),
    ) -> None:
        """Queue a reverse command; the receiver sends it and tracks it until its 9012."""
        request = commands.CommandRequest(
            cn=cn,
            pol_id=pol_id,
            system_time=_instant(system_time, "--time"),
            rtd_interval=rtd_interval,
            begin=_instant(begin, "--begin"),
            end=_instant(end, "--end"),
        )
        typer.echo(_json(asdict(commands.send_command(database(), SYSTEM, mn, request))))

    @cli.command("commands")
    def commands_command(
        mn: str | None = typer.Option(None, "--mn", help="Only this device."),
        limit: int = typer.Option(20, min=1, help="Newest first, at most this many."),
    ) -> None:
        """Reverse commands and their states, one JSON object per line."""
        for view in commands.list_commands(database(), SYSTEM, mn, limit):
            typer.echo(_json(asdict(view)))

    @cli.command("status")
    def status_command() -> None:
        """The last status each receiver reported (connections, packets/s, rejects by reason)."""
        for view in read_status(database(), SYSTEM):
            typer.echo(_json(asdict(view)))

    @cli.command("rejects")
    def rejects_command(
        since: str | None = typer.Option(None, "--since", help="Received from (ISO 8601)."),
        reason: str | None = typer.Option(None, "--reason", help="Only this reason code."),
        limit: int = typer.Option(50, min=1, help="Newest first, at most this many."),
    ) -> None:
        """The rejects ledger: time, peer, MN, reason code and name, what was wrong; newest
        first."""
        found = service.rejects(
            database(), SYSTEM, since=_instant(since, "--since"), reason=reason, limit=limit
        )
        for row in found:
            name = " / ".join(texts(f"hj212.reason.{row.reason}"))
            typer.echo(
                f"{row.received_at.isoformat()}\t{row.peer}\t{row.mn}\t{row.reason}\t{name}"
                f"\t{row.detail}"
            )

    return cli
