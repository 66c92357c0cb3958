"""Long observation frames → the engine's wide hourly frame.

Long format (one observation per row, the shape of the observation store and of CSV exports):

* ``station`` (String) — station code, e.g. ``1001A``;
* ``time`` (Datetime) — end of the hour, Beijing time (naive = Beijing; aware is converted);
* ``pollutant`` (String) — one of ``SO2``, ``NO2``, ``CO``, ``O3``, ``PM10``, ``PM2.5``;
* ``value`` (Float64) — the 1-hour average [µg/m³; CO mg/m³].

Errors are :class:`~ecogov.engine.air_schema.EngineInputError` with the row or the station and
time at fault. Files are read by the air domain through the platform's readers (the engine reads
no files: it imports only ``standards``); :func:`check_long` takes the rows they parsed.
"""

from __future__ import annotations

import polars as pl

from ecogov.engine.air_schema import (
    POLLUTANTS,
    EngineInputError,
    beijing_naive,
    check_hourly,
)

__all__ = ["LONG_COLUMNS", "check_long", "wide_from_long"]

LONG_COLUMNS: tuple[str, ...] = ("station", "time", "pollutant", "value")
_NAMES = ", ".join(POLLUTANTS)


def _first_bad(frame: pl.DataFrame, bad: pl.Expr) -> dict[str, object] | None:
    rows = frame.filter(bad).head(1)
    return rows.row(0, named=True) if rows.height else None


def check_long(long: pl.DataFrame) -> pl.DataFrame:
    """Check a long frame (:data:`LONG_COLUMNS`) and return it with naive Beijing ``time``.

    Errors name the CSV row when the frame has a ``row`` column, else the station and time.

    Raises:
        EngineInputError: for a missing column, an empty station, an unknown pollutant, a time
            not on the hour, a negative value, or the same station, time and pollutant twice.
    """
    missing = [name for name in LONG_COLUMNS if name not in long.columns]
    if missing:
        raise EngineInputError(
            f"长表缺少列 {'、'.join(missing)}",
            f"long frame lacks the column(s) {', '.join(missing)}",
        )
    numbered = "row" in long.columns
    frame = long.select(
        *(["row"] if numbered else []),
        pl.col("station").cast(pl.String),
        beijing_naive(pl.col("time"), long.schema["time"]),
        pl.col("pollutant").cast(pl.String),
        pl.col("value").cast(pl.Float64),
    )

    def where(row: dict[str, object]) -> tuple[str, str]:
        if numbered:
            return f"第 {row['row']} 行", f"row {row['row']}"
        return f"站点 {row['station']} {row['time']}", f"station {row['station']} at {row['time']}"

    checks: list[tuple[pl.Expr, str, str]] = [
        (pl.col("station").is_null() | (pl.col("station") == ""), "站点为空", "station is empty"),
        (
            ~pl.col("pollutant").is_in(POLLUTANTS),
            f"污染物“{{pollutant}}”不是 {_NAMES} 之一",
            f"pollutant {{pollutant!r}} is not one of {_NAMES}",
        ),
        (
            pl.col("time").dt.truncate("1h") != pl.col("time"),
            "时间 {time} 不是整点",
            "time {time} is not on the hour",
        ),
        (pl.col("value") < 0, "浓度 {value} 为负数", "value {value} is negative"),
        (
            pl.struct("station", "time", "pollutant").is_duplicated(),
            "站点 {station} 的 {pollutant} 在 {time} 出现两次",
            "{pollutant} at {time} appears twice for station {station}",
        ),
    ]
    for bad, zh, en in checks:
        row = _first_bad(frame, bad)
        if row is not None:
            where_zh, where_en = where(row)
            raise EngineInputError(
                f"{where_zh}：{zh.format(**row)}", f"{where_en}: {en.format(**row)}"
            )
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
