"""Long observation frames → the engine's wide hourly frame, and the long CSV reader.

Long format (one observation per row, the shape of the observation store and of CSV exports):

* ``station`` (String) — station code, e.g. ``1001A``;
* ``time`` (Datetime) — end of the hour, Beijing time (naive = Beijing; aware is converted);
* ``pollutant`` (String) — one of ``SO2``, ``NO2``, ``CO``, ``O3``, ``PM10``, ``PM2.5``;
* ``value`` (Float64) — the 1-hour average [µg/m³; CO mg/m³].

Errors are :class:`~ecogov.engine.air_schema.EngineInputError` with the CSV row or the station
and time at fault.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from ecogov.engine.air_schema import (
    POLLUTANTS,
    EngineInputError,
    beijing_naive,
    check_hourly,
)
from ecogov.standards.timebase import BEIJING_TZ_NAME

__all__ = ["LONG_COLUMNS", "check_long", "read_long_csv", "wide_from_long"]

LONG_COLUMNS: tuple[str, ...] = ("station", "time", "pollutant", "value")
_NAMES = "one of " + ", ".join(POLLUTANTS)


def _first_bad(frame: pl.DataFrame, bad: pl.Expr) -> dict[str, object] | None:
    rows = frame.filter(bad).head(1)
    return rows.row(0, named=True) if rows.height else None


_DATE_TIME_FORMATS = tuple(
    f"%Y-%m-%d{separator}%H:%M{seconds}" for separator in ("T", " ") for seconds in (":%S", "")
)


def _parse_time(text: pl.Expr) -> pl.Expr:
    """ISO 8601 local times as naive Beijing times; a UTC offset (``+08:00``, ``Z``) converts."""
    naive = [text.str.strptime(pl.Datetime("us"), fmt, strict=False) for fmt in _DATE_TIME_FORMATS]
    aware = [
        text.str.strptime(pl.Datetime("us", "UTC"), f"{fmt}%#z", strict=False)
        .dt.convert_time_zone(BEIJING_TZ_NAME)
        .dt.replace_time_zone(None)
        for fmt in _DATE_TIME_FORMATS
    ]
    return pl.coalesce(*naive, *aware)


def read_long_csv(path: Path | str) -> pl.DataFrame:
    """Read a long CSV (header ``station,time,pollutant,value``) into a checked long frame.

    ``time`` is ISO 8601 (``2018-02-20T07:00:00``, ``2018-02-20 07:00``; with an offset such as
    ``+08:00`` or ``Z`` it is converted to Beijing time): the end of the hour, on the hour.
    ``value`` is a number ≥ 0; an empty value is a missing observation and is dropped.
    Returns the columns of :data:`LONG_COLUMNS` (``time`` naive Beijing ``Datetime("us")``,
    ``value`` Float64).

    Raises:
        EngineInputError: e.g. "row 17: value 'abc' is not a number", an unknown pollutant, a
            time that is not an hour-ending timestamp, or a missing column.
    """
    try:
        raw = pl.read_csv(path, infer_schema=False, row_index_name="row", row_index_offset=2)
    except (OSError, pl.exceptions.PolarsError) as error:
        raise EngineInputError(f"{path}: cannot read the CSV file ({error})") from error
    missing = [name for name in LONG_COLUMNS if name not in raw.columns]
    if missing:
        raise EngineInputError(f"{path}: missing column(s) {', '.join(missing)}")
    text = {name: pl.col(name).str.strip_chars() for name in LONG_COLUMNS}
    value = text["value"].cast(pl.Float64, strict=False)
    time = _parse_time(text["time"])
    row = _first_bad(raw, text["value"].is_not_null() & (value.is_null() | value.is_nan()))
    if row is not None:
        raise EngineInputError(f"row {row['row']}: value {row['value']!r} is not a number")
    row = _first_bad(raw, text["time"].is_null() | time.is_null())
    if row is not None:
        raise EngineInputError(f"row {row['row']}: time {row['time']!r} is not an ISO 8601 time")
    parsed = raw.select(
        "row",
        text["station"].alias("station"),
        time.alias("time"),
        text["pollutant"].alias("pollutant"),
        value.alias("value"),
    )
    checked = check_long(parsed.filter(pl.col("value").is_not_null()))
    return checked.drop("row")


def check_long(long: pl.DataFrame) -> pl.DataFrame:
    """Check a long frame (:data:`LONG_COLUMNS`) and return it with naive Beijing ``time``.

    Errors name the CSV row when the frame has a ``row`` column, else the station and time.

    Raises:
        EngineInputError: for a missing column, an empty station, an unknown pollutant, a time
            not on the hour, a negative value, or the same station, time and pollutant twice.
    """
    missing = [name for name in LONG_COLUMNS if name not in long.columns]
    if missing:
        raise EngineInputError(f"long frame lacks the column(s) {', '.join(missing)}")
    numbered = "row" in long.columns
    frame = long.select(
        *(["row"] if numbered else []),
        pl.col("station").cast(pl.String),
        beijing_naive(pl.col("time"), long.schema["time"]),
        pl.col("pollutant").cast(pl.String),
        pl.col("value").cast(pl.Float64),
    )

    def where(row: dict[str, object]) -> str:
        if numbered:
            return f"row {row['row']}"
        return f"station {row['station']} at {row['time']}"

    checks: list[tuple[pl.Expr, str]] = [
        (pl.col("station").is_null() | (pl.col("station") == ""), "station is empty"),
        (~pl.col("pollutant").is_in(POLLUTANTS), f"pollutant {{pollutant!r}} is not {_NAMES}"),
        (pl.col("time").dt.truncate("1h") != pl.col("time"), "time {time} is not on the hour"),
        (pl.col("value") < 0, "value {value} is negative"),
        (
            pl.struct("station", "time", "pollutant").is_duplicated(),
            "{pollutant} at {time} appears twice for station {station}",
        ),
    ]
    for bad, message in checks:
        row = _first_bad(frame, bad)
        if row is not None:
            raise EngineInputError(f"{where(row)}: {message.format(**row)}")
    return frame


def wide_from_long(long: pl.DataFrame) -> pl.DataFrame:
    """The wide hourly frame of a long frame: one row per station and hour, null = missing.

    Returns ``station`` (String), ``time`` (naive Beijing Datetime), ``SO2`` … ``PM2.5``
    (Float64), sorted by station and time.

    Raises:
        EngineInputError: as :func:`check_long`, or for a concentration above the engine's range.
    """
    frame = check_long(long)
    wide = frame.pivot(
        "pollutant", on_columns=list(POLLUTANTS), index=["station", "time"], values="value"
    ).sort("station", "time")
    check_hourly(wide)
    return wide
