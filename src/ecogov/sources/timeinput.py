"""Instants given by users (API queries, CLI options): ISO 8601, Beijing time unless an offset
says otherwise (the time base of Chinese monitoring data, ``ecogov.standards.timebase``)."""

from __future__ import annotations

from datetime import datetime

from ecogov.platform.errors import InputError
from ecogov.standards.timebase import BEIJING


def as_beijing(moment: datetime) -> datetime:
    """An aware instant: a naive time is taken as Beijing time."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=BEIJING)


def parse_instant(text: str, what: str) -> datetime:
    """``2026-01-01``, ``2026-01-01T08:00`` or with an offset, as an aware instant."""
    try:
        return as_beijing(datetime.fromisoformat(text))
    except ValueError as exc:
        raise InputError(f"{what} {text!r} is not an ISO 8601 date or time") from exc
