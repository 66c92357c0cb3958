"""Time base of Chinese monitoring data: Beijing time (UTC+8, no daylight saving).

Monitoring days, hours and reporting periods in every national standard here follow Beijing time.
A fixed offset, not the ``Asia/Shanghai`` zone: the standards define Beijing time as UTC+8, and
the zone database would apply the 1986–1991 daylight-saving rules to old records.

This module is the one definition of Beijing time in the code base: Python code uses
:data:`BEIJING`, Polars columns :data:`BEIJING_TZ_NAME`, arithmetic on Unix seconds
:data:`BEIJING_OFFSET_S`.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Final

__all__ = ["BEIJING", "BEIJING_OFFSET_S", "BEIJING_TZ_NAME", "as_beijing", "beijing_wall"]

BEIJING_OFFSET_S: Final = 8 * 3600
"""Beijing time minus UTC [s], for arithmetic on Unix seconds without datetime objects."""
BEIJING: Final = timezone(timedelta(seconds=BEIJING_OFFSET_S), "Asia/Shanghai")
"""Beijing time as a ``tzinfo`` (fixed UTC+08:00)."""
BEIJING_TZ_NAME: Final = "Etc/GMT-8"
"""The IANA name of the same fixed UTC+08:00 offset, for Polars ``Datetime`` columns (the
``Etc/GMT`` names invert the sign: ``Etc/GMT-8`` is eight hours *ahead* of UTC, all year)."""


def as_beijing(moment: datetime) -> datetime:
    """An aware instant: a naive ``moment`` is a Beijing wall-clock reading (the convention of
    Chinese monitoring data and of every time a user types); an aware one is kept as it is."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=BEIJING)


def beijing_wall(moment: datetime) -> datetime:
    """The Beijing wall-clock reading of ``moment`` (aware, in :data:`BEIJING`): an aware moment
    is converted, a naive one is a Beijing reading already."""
    return as_beijing(moment).astimezone(BEIJING)
