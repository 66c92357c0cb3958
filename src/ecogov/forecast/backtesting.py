"""Backtest and verification of forecast files (the ``backtest`` and ``verify`` commands):
history and meteorology read from files, no database."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import polars as pl

from ecogov.engine import forecast as engine
from ecogov.engine.air import EngineInputError, daily_values, wide_from_long
from ecogov.monitoring.air.importers import UCI_STATIONS, long_frame, read_long, read_uci_beijing
from ecogov.platform.errors import InputError
from ecogov.platform.readers import COMPUTE_REFUSED, enforce

MET_COLUMNS = ("station", "time", "variable", "value")
FORECAST_COLUMNS = engine.BACKTEST_COLUMNS
UCI_MET = ("TEMP", "PRES", "DEWP", "RAIN", "WSPM")
"""The meteorology of the UCI Beijing Multi-Site files (no humidity)."""


def read_history(path: Path) -> pl.DataFrame:
    """The wide hourly frame of a long history file, read by the one long-format reader of
    ``ecogov air aqi`` (all or nothing: a bad row refuses the file)."""
    parsed = read_long(path)
    enforce(
        path.name,
        parsed.errors,
        skip_bad_rows=False,
        count=parsed.error_count,
        outcome=COMPUTE_REFUSED,
    )
    try:
        return wide_from_long(long_frame(parsed))
    except EngineInputError as exc:
        raise InputError(f"{path.name}：{exc.zh} / {path.name}: {exc.en}") from exc


def _refuse(path: Path, row: int, zh: str, en: str) -> InputError:
    return InputError(f"{path.name} 第 {row} 行：{zh} / {path.name} row {row}: {en}")


def read_met(path: Path, stations: list[str]) -> pl.DataFrame:
    """Wide meteorology per history station from a long ``station,time,variable,value`` CSV
    (Beijing time; variables :data:`ecogov.engine.forecast.MET_VARIABLES`). A met station that is
    not a history station (a city name) serves every history station without rows of its own."""
    frame = pl.read_csv(path, infer_schema_length=0, encoding="utf8-lossy")
    missing = [c for c in MET_COLUMNS if c not in frame.columns]
    if missing:
        raise InputError(
            f"{path.name}：缺少列 {', '.join(missing)} / {path.name}: missing column(s) "
            f"{', '.join(missing)}"
        )
    typed = frame.with_row_index("row", offset=2).with_columns(
        pl.col("time").str.to_datetime(strict=False).cast(pl.Datetime("us")).alias("_time"),
        pl.col("value").str.strip_chars().cast(pl.Float64, strict=False).alias("_value"),
    )
    checks = (
        (pl.col("_time").is_null(), "时间无法识别：{v}", "unreadable time {v}", "time"),
        (
            ~pl.col("variable").is_in(engine.MET_VARIABLES),
            "未知气象要素：{v}",
            "unknown variable {v}",
            "variable",
        ),
        (
            pl.col("_value").is_null() & pl.col("value").is_not_null(),
            "数值无效：{v}",
            "not a number: {v}",
            "value",
        ),
    )
    for condition, zh, en, column in checks:
        bad = typed.filter(condition)
        if bad.height:
            row, value = bad["row"][0], bad[column][0]
            raise _refuse(path, row, zh.format(v=value), en.format(v=value))
    met = typed.drop_nulls("_value").select(
        "station", pl.col("_time").alias("time"), "variable", pl.col("_value").alias("value")
    )
    return engine.met_wide(met, stations)


def no_met(stations: list[str]) -> pl.DataFrame:
    """The empty meteorology of a history-only forecast."""
    empty = pl.DataFrame(schema=dict.fromkeys(MET_COLUMNS, pl.String)).with_columns(
        pl.col("time").cast(pl.Datetime("us")), pl.col("value").cast(pl.Float64)
    )
    return engine.met_wide(empty, stations)


def read_uci_folder(folder: Path) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The wide hourly history (through the air importer's ``read_uci_beijing``) and the wide
    meteorology of the UCI Beijing Multi-Site files ``PRSA_Data_*.csv`` in ``folder`` — what
    ``--history`` and ``--met`` files written from them hold (stations by CNEMC code, the UCI
    hour read as the hour-ending stamp, as the importer reads it)."""
    files = sorted(folder.glob("PRSA_Data_*.csv"))
    wide = wide_from_long(pl.concat([long_frame(read_uci_beijing(path)) for path in files]))
    codes = {name: station[0] for name, station in UCI_STATIONS.items()}
    hour = [pl.col(c).cast(pl.Int32) for c in ("year", "month", "day", "hour")]
    stamp = pl.datetime(*hour[:3]) + pl.duration(hours=hour[3])
    met = pl.concat(
        [
            pl.read_csv(path, null_values=["NA"], infer_schema=False)
            .select(
                pl.col("station").replace_strict(codes),
                stamp.cast(pl.Datetime("us")).alias("time"),
                *(pl.col(v).cast(pl.Float64) for v in UCI_MET),
            )
            .unpivot(index=["station", "time"], variable_name="variable")
            .drop_nulls("value")
            for path in files
        ]
    )
    return wide, engine.met_wide(met, sorted(codes.values()))


def backtest(
    wide: pl.DataFrame, met: pl.DataFrame, first: date, last: date, issue_hour: int
) -> pl.DataFrame:
    """The backtest CSV table (:data:`FORECAST_COLUMNS`)."""
    return engine.long_table(engine.backtest(wide, met, first, last, issue_hour))


def read_forecast(path: Path) -> pl.DataFrame:
    """The daily table of a backtest CSV (one row per case, a column per pollutant)."""
    frame = pl.read_csv(path, try_parse_dates=True)
    missing = [c for c in FORECAST_COLUMNS if c not in frame.columns]
    if missing:
        raise InputError(
            f"{path.name}：缺少列 {', '.join(missing)} / {path.name}: missing column(s) "
            f"{', '.join(missing)}"
        )
    return (
        frame.with_columns(pl.col("station").cast(pl.String), pl.col("lead_day").cast(pl.Int8))
        .pivot("pollutant", index=list(engine.CASE_KEYS), values="daily_mean")
        .pipe(engine.with_aqi)
    )


def headline(scores: pl.DataFrame, *more: str) -> pl.DataFrame:
    """The columns of :func:`verify`'s scores a reader looks at first — model, lead day, cases,
    level and primary-pollutant accuracy [ratio, 3 places], PM2.5 MAE [µg/m³, 1 place] — and the
    MAE columns named in ``more`` (e.g. ``"mae_O3_8H"``), rounded to 1 place."""
    return scores.select(
        "model",
        "lead_day",
        "cases",
        pl.col("level_accuracy").round(3),
        pl.col("primary_accuracy").round(3),
        pl.col("mae_PM2.5").round(1),
        *(pl.col(name).round(1) for name in more),
    )


def verify(
    forecast: pl.DataFrame,
    wide: pl.DataFrame,
    by: tuple[str, ...] = (),
    observed: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """Scores of ``forecast`` beside persistence and climatology on the same cases (the
    baselines issued at the forecast's issue hour, climatology from the history before each
    issue month). A baseline without a single case with an AQI (climatology of a calendar month
    the history has never seen) is left out rather than emptying every score.

    ``wide``: the hourly history the baselines read — every hour, or only those of
    :func:`ecogov.engine.forecast.baseline_days` (same result). ``observed``: the observed days
    (:func:`ecogov.engine.forecast.observed_of_days` of the daily values stored at import);
    default: those of the target days' hours of ``wide`` (the same floats)."""
    issue_hour = int(forecast["issued"].dt.hour().cast(pl.Int64).min() or 0)  # type: ignore[arg-type]
    cases = forecast.select("station", "issued", "lead_day")
    persistence = engine.with_aqi(engine.persistence_daily(wide, cases, issue_hour))
    climatology = engine.with_aqi(engine.climatology_daily(wide, cases))
    if observed is None:
        # only the target days' hours: the grid of the daily values spans the hours given
        target = (pl.col("time") - timedelta(hours=1)).dt.date()
        hours = wide.filter(target.is_in(forecast["date"].implode()))
        observed = engine.observed_of_days(daily_values(hours))
    baselines = {"persistence": persistence, "climatology": climatology}
    return engine.scores(
        {"forecast": forecast}
        | {name: frame for name, frame in baselines.items() if frame["aqi"].is_not_null().any()},
        engine.with_aqi(observed),
        by,
    )
