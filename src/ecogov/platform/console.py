"""Helpers shared by every domain's Typer sub-app: the database and the error convention.

Bad input ends the command with exit code 2 and a one-line reason on stderr, zh-CN first
(``错误：…``); the root command (``ecogov.cli.main``) applies that to every :class:`EcogovError` a
command lets through and to the usage errors of the command line itself (:func:`usage_text`).
"""

from __future__ import annotations

import errno
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Final

import typer
from typer._click.exceptions import MissingParameter, NoSuchOption, UsageError

from ecogov.platform.db import Database
from ecogov.platform.errors import InputError
from ecogov.platform.i18n import Catalogue, both, has_chinese, register, translate
from ecogov.platform.periods import Period, parse_period
from ecogov.platform.settings import get_settings

BAD_INPUT_EXIT = 2
MESSAGES: Final[Catalogue] = {
    "cli.error": ("错误：{message}", "error: {message}"),
    "cli.kind.option": ("选项", "option"),
    "cli.kind.argument": ("参数", "argument"),
    "cli.kind.parameter": ("参数", "parameter"),
    "cli.usage.missing": ("缺少{kind} {hint}", "Missing {kind_en} {hint}"),
    "cli.usage.bad_value": ("{hint} 取值无效：{message}", "Invalid value for {hint}: {message}"),
    "cli.usage.no_such_option": ("没有选项 {name}", "No such option: {name}"),
    "os.ENOENT": ("文件或目录不存在", "no such file or directory"),
    "os.EACCES": ("没有访问权限", "permission denied"),
    "os.EISDIR": ("这是一个目录", "is a directory"),
    "os.ENOTDIR": ("路径中有一段不是目录", "not a directory"),
    "os.ENOSPC": ("磁盘空间不足", "no space left on device"),
    "os.EFBIG": ("文件超出大小限制", "file too large"),
    "os.other": ("系统错误 {code}", "system error {code}"),
    "cli.read_failed": ("无法读取 {path}：{reason}", "cannot read {path}: {reason_en}"),
    "cli.write_failed": ("无法写入 {path}：{reason}", "cannot write {path}: {reason_en}"),
    "cli.aborted": ("已中止", "aborted"),
    "cli.usage.other": ("命令用法有误", "usage error: {message}"),
}
register(MESSAGES)


def error_line(message: str) -> str:
    """The one line a refused command prints on stderr: ``错误：`` and the message."""
    return translate("cli.error").format(message=message)


def usage_text(exc: UsageError) -> str:
    """A usage error of the command line (missing or unknown option, bad value) zh-CN first,
    then English; a message of ours (already in Chinese) is kept as it is."""
    hint = _hint(exc)
    if isinstance(exc, MissingParameter):
        kind = exc.param_type or (exc.param.param_type_name if exc.param else "parameter")
        key = f"cli.kind.{kind}"
        return both(
            "cli.usage.missing",
            kind=translate(key),
            kind_en=translate(key, "en"),
            hint=hint,
        )
    if isinstance(exc, NoSuchOption):
        return both("cli.usage.no_such_option", name=exc.option_name)
    if isinstance(exc, typer.BadParameter):
        if has_chinese(exc.message):
            return translate("cli.usage.bad_value").format(hint=hint, message=exc.message)
        return both("cli.usage.bad_value", hint=hint, message=exc.message)
    return both("cli.usage.other", message=exc.format_message())


def file_error(key: str, path: object, exc: OSError) -> InputError:
    """The refusal of a file that cannot be read (``cli.read_failed``) or written
    (``cli.write_failed``): which file and why, zh-CN first."""
    return InputError(both(key, path=path, reason=os_reason(exc), reason_en=os_reason(exc, "en")))


def os_reason(exc: OSError, language: str = "zh") -> str:
    """Why a file could not be read or written (the common system errors by name)."""
    name = errno.errorcode.get(exc.errno or 0, "")
    key = f"os.{name}"
    if translate(key) == key:
        return translate("os.other", language).format(code=name or exc.errno)
    return translate(key, language)


def _hint(exc: UsageError) -> str:
    """The option or argument a usage error is about (``--region``, ``FILE`` …)."""
    hint = getattr(exc, "param_hint", None)
    param = getattr(exc, "param", None)
    if hint is None and param is not None:
        hint = param.get_error_hint()
    if hint is None:
        return ""
    return hint if isinstance(hint, str) else " / ".join(hint)


@cache
def database() -> Database:
    """The database named by ``ECOGOV_DATABASE_URL`` (one per process)."""
    return Database(get_settings().database_url)


def fail(message: str) -> typer.Exit:
    """Print ``错误：message`` to stderr and return the exit to raise (code 2)."""
    typer.echo(error_line(message), err=True)
    return typer.Exit(BAD_INPUT_EXIT)


def write_file(data: bytes, path: Path) -> None:
    """Write a command's output to ``path``; a path that cannot be written is bad input."""
    try:
        path.write_bytes(data)
    except OSError as exc:
        raise file_error("cli.write_failed", path, exc) from exc


def add_rebuild(
    cli: typer.Typer, what: str, rebuild: Callable[[Period | None], int], done: str
) -> None:
    """Add ``aggregates rebuild [--period P]`` to a domain's command ``cli``: ``rebuild``
    recomputes the domain's stored aggregates (``what``, for the help) of the days of ``P``
    (the platform's period grammar; None: all) and returns how many rows it stored, which the
    message ``done`` (a catalogue key with ``{rows}``) reports."""
    aggregates = typer.Typer(help=f"{what}: recompute them.", no_args_is_help=True)
    cli.add_typer(aggregates, name="aggregates")

    @aggregates.command("rebuild")
    def rebuild_command(
        period: str | None = typer.Option(
            None,
            "--period",
            help="Days to recompute: 2025, 2025-07, 2025-07-15, A..B (default: all).",
        ),
    ) -> None:
        """Recompute the stored aggregates from the stored data (the backfill of an existing
        database; idempotent)."""
        rows = rebuild(None if period is None else parse_period(period))
        typer.echo(both(done, rows=rows))
