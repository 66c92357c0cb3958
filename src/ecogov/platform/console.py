"""Helpers shared by every domain's Typer sub-app: the database and the error convention.

Bad input ends the command with exit code 2 and a one-line reason on stderr; the root command
(``ecogov.cli.main``) applies that to every :class:`EcogovError` a command lets through.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import typer

from ecogov.platform.db import Database
from ecogov.platform.errors import InputError
from ecogov.platform.settings import get_settings

BAD_INPUT_EXIT = 2


@cache
def database() -> Database:
    """The database named by ``ECOGOV_DATABASE_URL`` (one per process)."""
    return Database(get_settings().database_url)


def fail(message: str) -> typer.Exit:
    """Print ``error: message`` to stderr and return the exit to raise (code 2)."""
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(BAD_INPUT_EXIT)


def write_file(data: bytes, path: Path) -> None:
    """Write a command's output to ``path``; a path that cannot be written is bad input."""
    try:
        path.write_bytes(data)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise InputError(f"无法写入 {path}：{reason}（cannot write {path}: {reason}）") from exc
