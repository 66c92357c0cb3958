"""Readers of the air-quality file formats ecogov imports, into one hourly frame.

Every reader returns a :class:`ParsedFile`: the stations it names, the hourly 1-hour
concentrations as a wide frame (one row per station-hour) and the row-level errors found. A
reader never guesses: a value that is not a number, a negative concentration, an unknown
pollutant or an unreadable time is reported with its row (1-based, header = row 1) and column as
a :class:`~ecogov.platform.readers.RowError` (reason in Chinese and English). CSV and Excel are
read through :mod:`ecogov.platform.readers` (UTF-8 with or without BOM, GB 18030, .xlsx); the
long format is streamed in batches (:func:`iter_long`), so a large file never sits in memory.

Time convention: every format here labels an hourly value with the end of its hour in Beijing
time (CNEMC publishes ``2018-02-20T07:00`` for 06:00–07:00); that label is stored as ``ts``
[Unix seconds]. The UCI Beijing set labels hours 0–23 of each day; its hour ``h`` is taken as
the same label (the hour ending at ``h``), which is how its source, the national network's
real-time publication, stamps them.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Final

import numpy as np
import polars as pl

from ecogov.monitoring.air.models import POLLUTANT_COLUMNS
from ecogov.platform.errors import InputError
from ecogov.platform.i18n import Catalogue, both, register
from ecogov.platform.readers import (
    MISSING_TOKENS,
    CellError,
    RowError,
    open_table,
    parse_datetime,
    parse_number,
    read_text,
    resolve_columns,
    utf8_source,
)
from ecogov.standards.timebase import BEIJING, BEIJING_TZ_NAME

ERRORS: Final[Catalogue] = {
    "air.error.geojson": (
        "{name}：不是 CNEMC GeoJSON FeatureCollection（{reason}）",
        "{name}: not a CNEMC GeoJSON FeatureCollection ({reason})",
    ),
}
register(ERRORS)

VALUE_COLUMNS = tuple(POLLUTANT_COLUMNS.values())
VALID_FLAGS = frozenset({"", "N", "n", "A", "valid"})
"""Flags that keep a value valid; any other flag marks it invalid (kept with its code)."""
HOURLY_SCHEMA = pl.Schema(
    {
        "station": pl.String(),
        "ts": pl.Int64(),
        **dict.fromkeys(VALUE_COLUMNS, pl.Float64()),
        "qc": pl.Int32(),
    }
)
FLAG_SCHEMA = pl.Schema(
    {
        "station": pl.String(),
        "ts": pl.Int64(),
        "pollutant": pl.String(),
        "flag": pl.String(),
    }
)
MAX_ERRORS_KEPT = 1000
LONG_BATCH_ROWS = 100_000
"""Rows of a long file parsed and stored together (memory stays bounded by one batch)."""


@dataclass(frozen=True)
class StationRecord:
    """A station as a file describes it."""

    code: str
    name: str
    city: str | None = None
    lon: float | None = None
    lat: float | None = None
    kind: str = "national"


@dataclass
class ParsedFile:
    """The content of one input file, ready to store."""

    source: str
    file: str = ""
    rows_read: int = 0
    stations: list[StationRecord] = field(default_factory=list)
    hourly: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=HOURLY_SCHEMA))
    flags: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=FLAG_SCHEMA))
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0
    """Bad rows found (``errors`` keeps the first :data:`MAX_ERRORS_KEPT` of them)."""

    def reject(self, error: RowError) -> None:
        """Count a bad row, keeping its error while fewer than MAX_ERRORS_KEPT are kept."""
        self.error_count += 1
        if len(self.errors) < MAX_ERRORS_KEPT:
            self.errors.append(error)

    @property
    def values(self) -> int:
        """How many concentration values the file carries."""
        if self.hourly.is_empty():
            return 0
        return int(
            self.hourly.select(pl.sum_horizontal(pl.col(VALUE_COLUMNS).is_not_null())).sum().item()
        )


# --- values and times --------------------------------------------------------------------------


def parse_value(token: str | None, column: str) -> float | None:
    """A concentration from a cell: None when missing.

    Raises:
        CellError: not a number ≥ 0.
    """
    try:
        return parse_number(column, token, minimum=0)
    except CellError as exc:
        text = (token or "").strip()
        raise CellError(
            column,
            text,
            f"{column} 的值“{text}”应为不小于 0 的数字",
            f"{column} value {text!r} must be a number ≥ 0"
            if "not a number" not in exc.reason_en
            else f"{column} value {text!r} is not a number",
        ) from None


def parse_time(token: str, column: str = "time") -> int:
    """Unix seconds of an ISO 8601 time (or a spreadsheet layout); a naive time is Beijing time.

    Raises:
        CellError: unreadable, or not a whole hour.
    """
    text = token.strip()
    try:
        when = parse_datetime(column, text, zone=BEIJING)
    except CellError:
        raise CellError(
            column,
            text,
            f"时间“{text}”不是 ISO 8601 格式（YYYY-MM-DDTHH:MM）",
            f"time {text!r} is not ISO 8601 (YYYY-MM-DDTHH:MM)",
        ) from None
    return whole_hour(int(when.timestamp()), text, column)


def whole_hour(ts: int, text: str, column: str = "time") -> int:
    """``ts`` [Unix s] when it is a whole hour (observations are 1-hour averages labelled by the
    hour they end, as the national network publishes them).

    Raises:
        CellError: not a whole hour.
    """
    if ts % 3600:
        raise CellError(
            column,
            text,
            f"时间“{text}”不是整点（HH:00）",
            f"time {text!r} is not a whole hour (HH:00)",
        )
    return ts


def beijing_ts(year: int, month: int, day: int, hour: int) -> int:
    """Unix seconds of a Beijing-time hour label; hour 24 is midnight of the next day."""
    base = datetime(year, month, day, tzinfo=BEIJING).timestamp()
    return int(base) + hour * 3600


def _pollutant(token: str, column: str = "pollutant") -> str:
    text = token.strip()
    key = text.upper().replace("PM25", "PM2.5").replace("PM2_5", "PM2.5")
    if key not in POLLUTANT_COLUMNS:
        known = ", ".join(POLLUTANT_COLUMNS)
        raise CellError(
            column,
            text,
            f"污染物“{text}”不是 {'、'.join(POLLUTANT_COLUMNS)} 之一",
            f"pollutant {text!r} is not one of {known}",
        )
    return key


def _frame(records: list[dict[str, Any]]) -> pl.DataFrame:
    """Wide hourly frame from per-row dicts (missing pollutants null, qc 0)."""
    if not records:
        return pl.DataFrame(schema=HOURLY_SCHEMA)
    return _conform(pl.DataFrame(records, infer_schema_length=None))


def _each_row(
    parsed: ParsedFile,
    items: Iterable[tuple[int, Any]],
    parse_one: Callable[[int, Any], dict[str, Any] | None],
) -> list[dict[str, Any]]:
    """Parse each ``(row number, item)``, gathering row errors instead of stopping at the first."""
    out: list[dict[str, Any]] = []
    for row, item in items:
        parsed.rows_read += 1
        try:
            record = parse_one(row, item)
        except CellError as exc:
            parsed.reject(exc.at(parsed.file, row))
            continue
        if record is not None:
            out.append(record)
    return out


def _dict_rows(path: Path, required: Iterable[str]) -> list[tuple[int, dict[str, str]]]:
    """``(row number, header → text)`` of a CSV or Excel file whose header has ``required``."""
    with open_table(path.name, path) as table:
        resolve_columns(path.name, table.header, dict.fromkeys(required, ()), required)
        return list(table.records())


# --- CNEMC ---------------------------------------------------------------------------------------

CNEMC_COLUMNS = {"so2": "so2", "no2": "no2", "co": "co", "pm10": "pm10", "pm2_5": "pm25"}
CNEMC_TRUE_O3_1H = "o3_24h"
"""CNEMC real-time feeds shift their O3 columns: ``o3_24h`` holds the latest 1-hour value."""


def _cnemc_values(props: dict[str, Any], row: int) -> dict[str, Any]:
    values = {
        column: parse_value(_as_text(props.get(source)), source)
        for source, column in CNEMC_COLUMNS.items()
    }
    values["o3"] = parse_value(_as_text(props.get(CNEMC_TRUE_O3_1H)), CNEMC_TRUE_O3_1H)
    return values


def _as_text(value: Any) -> str | None:
    return None if value is None else str(value)


def read_cnemc_json(path: Path) -> ParsedFile:
    """A CNEMC real-time GeoJSON snapshot (FeatureCollection of stations at one hour)."""
    try:
        document = json.loads(read_text(path))
        features = document["features"]
    except (ValueError, KeyError, TypeError) as exc:
        raise InputError(both("air.error.geojson", name=path.name, reason=exc)) from exc
    parsed = ParsedFile(source="cnemc-json", file=path.name)

    def parse_one(row: int, feature: Any) -> dict[str, Any]:
        props = feature.get("properties") if isinstance(feature, dict) else None
        if not isinstance(props, dict) or not props.get("stationcode"):
            raise CellError(
                "stationcode",
                None,
                "要素缺少 stationcode（站点编码）",
                "feature has no stationcode",
            )
        code = str(props["stationcode"]).strip()
        record = {
            "station": code,
            "ts": parse_time(str(props.get("timepoint", "")), "timepoint"),
            **_cnemc_values(props, row),
        }
        lon, lat = _coordinates(feature, row)
        name = str(props.get("positionname") or code).strip()
        city = str(props.get("area") or "").strip() or None
        parsed.stations.append(StationRecord(code=code, name=name, city=city, lon=lon, lat=lat))
        return record

    parsed.hourly = _frame(_each_row(parsed, enumerate(features, start=1), parse_one))
    return parsed


def _coordinates(feature: dict[str, Any], row: int) -> tuple[float | None, float | None]:
    geometry = feature.get("geometry") or {}
    coords = geometry.get("coordinates") if isinstance(geometry, dict) else None
    if not coords:
        return None, None
    try:
        return float(coords[0]), float(coords[1])
    except (TypeError, ValueError, IndexError):
        raise CellError(
            "coordinates",
            str(coords),
            f"坐标 {coords!r} 不是 [经度, 纬度]",
            f"coordinates {coords!r} are not [lon, lat]",
        ) from None


CNEMC_HOURLY_REQUIRED = ("timepoint", "stationcode", "so2", "no2", "co", "o3_24h", "pm10", "pm2_5")


def read_cnemc_hourly_csv(path: Path) -> ParsedFile:
    """A CNEMC hourly CSV ``YYYY-MM-DDTHH.csv`` (one row per station, same O3 shift)."""
    rows = _dict_rows(path, CNEMC_HOURLY_REQUIRED)
    parsed = ParsedFile(source="cnemc-hourly-csv", file=path.name)

    def parse_one(row: int, cells: dict[str, str]) -> dict[str, Any]:
        code = (cells.get("stationcode") or "").strip()
        if not code:
            raise CellError("stationcode", "", "站点编码为空", "stationcode is empty")
        record = {
            "station": code,
            "ts": parse_time(cells["timepoint"], "timepoint"),
            **_cnemc_values(dict(cells), row),
        }
        parsed.stations.append(
            StationRecord(
                code=code,
                name=(cells.get("positionname") or code).strip(),
                city=(cells.get("area") or "").strip() or None,
                lon=parse_value(cells.get("longitude"), "longitude"),
                lat=parse_value(cells.get("latitude"), "latitude"),
            )
        )
        return record

    parsed.hourly = _frame(_each_row(parsed, rows, parse_one))
    return parsed


SITES_TYPES = {"PM2.5": "pm25", "PM10": "pm10", "SO2": "so2", "NO2": "no2", "O3": "o3", "CO": "co"}
"""Types of the daily wide CSV holding 1-hour values (the ``_24h``/``_8h`` rows are derived)."""


def read_cnemc_sites_csv(path: Path) -> ParsedFile:
    """A CNEMC daily wide CSV ``china_sites_YYYYMMDD.csv``: ``date,hour,type,<stations…>``
    (UTF-8 with or without BOM, or GB 18030, as every CSV: :func:`utf8_source`).

    The 1-hour rows (PM2.5, PM10, SO2, NO2, O3, CO) are read; AQI and the moving averages are
    derived values the platform recomputes. ``hour`` 0–23 labels the hour ending then.
    Vectorized (the cells become one NumPy matrix): a national day parses in ~50 ms.
    """
    try:
        raw = pl.read_csv(
            utf8_source(path, path.name), infer_schema=False, null_values=list(MISSING_TOKENS)
        )
    except (pl.exceptions.PolarsError, OSError) as exc:
        raise InputError(
            f"{path.name}：不是可读的 CSV 文件 / {path.name}: not a readable CSV ({exc})"
        ) from exc
    if raw.columns[:3] != ["date", "hour", "type"] or raw.width < 4:
        raise InputError(
            f"{path.name}：表头应以 date,hour,type 开头，其后为站点编码 / "
            f"{path.name}: header must start with date,hour,type then station codes"
        )
    codes = raw.columns[3:]
    parsed = ParsedFile(source="cnemc-sites-csv", file=path.name, rows_read=raw.height)
    parsed.stations = [StationRecord(code=code, name=code) for code in codes]
    rows = raw.with_row_index("row", offset=2).filter(pl.col("type").is_in(list(SITES_TYPES)))
    rows = rows.with_columns(_sites_ts().alias("ts"))
    _report(
        parsed,
        rows.filter(pl.col("ts").is_null()),
        lambda r: CellError(
            "date",
            f"{r['date']} {r['hour']}",
            f"日期“{r['date']}”或小时“{r['hour']}”不是 YYYYMMDD / 0–23",
            f"date {r['date']!r} / hour {r['hour']!r} not YYYYMMDD / 0–23",
        ),
    )
    rows = rows.filter(pl.col("ts").is_not_null())
    values = _cell_matrix(parsed, rows, codes)
    parsed.hourly = _stack_types(rows, values, codes)
    return parsed


def _cell_matrix(parsed: ParsedFile, rows: pl.DataFrame, codes: list[str]) -> np.ndarray:
    """The station cells as floats (NaN = missing); unreadable or negative cells are reported.

    Fast path: one cast of every column; only when a cell failed the cast (more nulls after it
    than before) or is negative are the cells looked at one by one.
    """
    cells = rows.select(codes)
    numbers = cells.select(pl.all().cast(pl.Float64, strict=False))
    unreadable = (
        numbers.null_count().sum_horizontal().item() != cells.null_count().sum_horizontal().item()
    )
    matrix = numbers.to_numpy()
    with np.errstate(invalid="ignore"):
        negative = matrix < 0
    if unreadable or negative.any():
        present = ~cells.select(pl.all().is_null()).to_numpy()
        bad = present & (np.isnan(matrix) | negative)
        for i, j in np.argwhere(bad):
            row, kind = rows.item(int(i), "row"), rows.item(int(i), "type")
            code = codes[int(j)]
            token = cells.item(int(i), code)
            parsed.reject(
                RowError(
                    parsed.file,
                    int(row),
                    code,
                    token,
                    f"{kind}@{code} 的值“{token}”应为不小于 0 的数字",
                    f"{kind}@{code} value {token!r} is not a number ≥ 0",
                )
            )
        matrix[bad] = np.nan
    return matrix


def _stack_types(rows: pl.DataFrame, values: np.ndarray, codes: list[str]) -> pl.DataFrame:
    """One row per station-hour from the (type, hour) × station matrix."""
    times = np.unique(rows["ts"].to_numpy())
    position = np.searchsorted(times, rows["ts"].to_numpy())
    columns: dict[str, np.ndarray] = {}
    for kind, column in SITES_TYPES.items():
        grid = np.full((len(times), len(codes)), np.nan)
        selected = (rows["type"] == kind).to_numpy()
        grid[position[selected]] = values[selected]
        columns[column] = grid.ravel()
    frame = pl.DataFrame(
        {
            "station": np.tile(np.array(codes, dtype=object), len(times)),
            "ts": np.repeat(times, len(codes)),
            **columns,
        }
    ).fill_nan(None)
    present = pl.any_horizontal(pl.col(VALUE_COLUMNS).is_not_null())
    return _conform(frame.filter(present))


def _sites_ts() -> pl.Expr:
    """Unix seconds of ``date`` (YYYYMMDD) + ``hour`` (0–23) in Beijing time; null if invalid."""
    day = pl.col("date").str.strip_chars().str.to_date("%Y%m%d", strict=False)
    hour = pl.col("hour").str.strip_chars().cast(pl.Int64, strict=False)
    midnight = day.cast(pl.Datetime("us")).dt.replace_time_zone(BEIJING_TZ_NAME).dt.epoch("s")
    return pl.when(hour.is_between(0, 23)).then(midnight + hour * 3600)


def _report(
    parsed: ParsedFile, bad: pl.DataFrame, error: Callable[[dict[str, Any]], CellError]
) -> None:
    """Add row errors for the rows of ``bad``, first rows first."""
    for record in bad.sort("row").iter_rows(named=True):
        parsed.reject(error(record).at(parsed.file, int(record["row"])))


def _conform(wide: pl.DataFrame) -> pl.DataFrame:
    """A frame with exactly the hourly schema (absent pollutants null, qc 0)."""
    missing = [
        pl.lit(0 if column == "qc" else None, dtype).alias(column)
        for column, dtype in HOURLY_SCHEMA.items()
        if column not in wide.columns
    ]
    return wide.with_columns(missing).select(HOURLY_SCHEMA.keys()).cast(HOURLY_SCHEMA)


STATION_LIST_COLUMNS = ("监测点编码", "监测点名称", "城市", "经度", "纬度")


def read_cnemc_stations(path: Path) -> ParsedFile:
    """A CNEMC station list ``站点列表-*.csv``: 监测点编码,监测点名称,城市,经度,纬度,对照点."""
    rows = _dict_rows(path, STATION_LIST_COLUMNS)
    parsed = ParsedFile(source="cnemc-stations", file=path.name)
    for row, cells in rows:
        parsed.rows_read += 1
        try:
            code = cells["监测点编码"].strip()
            if not code:
                raise CellError("监测点编码", "", "监测点编码为空", "监测点编码 is empty")
            reference = (cells.get("对照点") or "").strip() in {"Y", "是", "1", "true"}
            parsed.stations.append(
                StationRecord(
                    code=code,
                    name=cells["监测点名称"].strip() or code,
                    city=cells["城市"].strip() or None,
                    lon=parse_value(cells["经度"], "经度"),
                    lat=parse_value(cells["纬度"], "纬度"),
                    kind="background" if reference else "national",
                )
            )
        except CellError as exc:
            parsed.reject(exc.at(parsed.file, row))
    return parsed


# --- UCI Beijing -------------------------------------------------------------------------------

UCI_STATIONS = {
    # UCI name: (CNEMC code, Chinese name, lon, lat) — the national stations the set comes from.
    "Wanshouxigong": ("1001A", "万寿西宫", 116.366, 39.8673),
    "Dingling": ("1002A", "定陵", 116.17, 40.2865),
    "Dongsi": ("1003A", "东四", 116.434, 39.9522),
    "Tiantan": ("1004A", "天坛", 116.434, 39.8745),
    "Nongzhanguan": ("1005A", "农展馆", 116.473, 39.9716),
    "Guanyuan": ("1006A", "官园", 116.361, 39.9425),
    "Wanliu": ("1007A", "海淀区万柳", 116.315, 39.9934),
    "Shunyi": ("1008A", "顺义新城", 116.72, 40.1438),
    "Huairou": ("1009A", "怀柔镇", 116.644, 40.3937),
    "Changping": ("1010A", "昌平镇", 116.23, 40.1952),
    "Aotizhongxin": ("1011A", "奥体中心", 116.407, 40.0031),
    "Gucheng": ("1012A", "古城", 116.225, 39.9279),
}
UCI_REQUIRED = (
    "year",
    "month",
    "day",
    "hour",
    "PM2.5",
    "PM10",
    "SO2",
    "NO2",
    "CO",
    "O3",
    "station",
)
UCI_COLUMNS = {"PM2.5": "pm25", "PM10": "pm10", "SO2": "so2", "NO2": "no2", "O3": "o3"}


def read_uci_beijing(path: Path) -> ParsedFile:
    """A UCI Beijing Multi-Site file ``PRSA_Data_<Station>_….csv`` (CO given in µg/m³)."""
    frame = _uci_frame(path)
    parsed = ParsedFile(source="uci-beijing", file=path.name, rows_read=frame.height)
    names = frame.get_column("station").unique().to_list()
    unknown = sorted(name for name in names if name not in UCI_STATIONS)
    if unknown:
        raise InputError(
            f"{path.name}：未知的 UCI 站点 {'、'.join(unknown)} / "
            f"{path.name}: unknown UCI station(s) {', '.join(unknown)}"
        )
    parsed.stations = [
        StationRecord(
            code=UCI_STATIONS[name][0],
            name=UCI_STATIONS[name][1],
            city="北京市",
            lon=UCI_STATIONS[name][2],
            lat=UCI_STATIONS[name][3],
        )
        for name in sorted(names)
    ]
    _uci_value_errors(frame, parsed)
    codes = pl.DataFrame(
        {"station": list(UCI_STATIONS), "code": [v[0] for v in UCI_STATIONS.values()]}
    )
    base = pl.datetime(pl.col("year"), pl.col("month"), pl.col("day"), time_zone=BEIJING_TZ_NAME)
    parsed.hourly = (
        frame.join(codes, on="station", how="left")
        .select(
            pl.col("code").alias("station"),
            (base.dt.epoch("s") + pl.col("hour").cast(pl.Int64) * 3600).alias("ts"),
            *(_uci_number(source).alias(column) for source, column in UCI_COLUMNS.items()),
            (_uci_number("CO") / 1000).alias("co"),
            pl.lit(0, pl.Int32).alias("qc"),
        )
        .select(HOURLY_SCHEMA.keys())
        .cast(HOURLY_SCHEMA)
    )
    return parsed


def _uci_frame(path: Path) -> pl.DataFrame:
    try:
        frame = pl.read_csv(utf8_source(path, path.name), infer_schema=False, null_values=["NA"])
    except (pl.exceptions.PolarsError, OSError) as exc:
        raise InputError(
            f"{path.name}：不是可读的 CSV 文件 / {path.name}: not a readable CSV ({exc})"
        ) from exc
    resolve_columns(path.name, frame.columns, dict.fromkeys(UCI_REQUIRED, ()), UCI_REQUIRED)
    ints = ("year", "month", "day", "hour")
    parsed = frame.with_columns(pl.col(ints).cast(pl.Int32, strict=False))
    bad = parsed.with_row_index("row", offset=2).filter(
        pl.any_horizontal(pl.col(ints).is_null()) | ~pl.col("hour").is_between(0, 23)
    )
    if not bad.is_empty():
        row = bad.item(0, "row")
        raise InputError(
            f"{path.name}：第 {row} 行的年、月、日、时无法读取 / "
            f"{path.name}: row {row}: year/month/day/hour unreadable"
        )
    return parsed


def _uci_number(column: str) -> pl.Expr:
    return pl.col(column).cast(pl.Float64, strict=False)


def _uci_value_errors(frame: pl.DataFrame, parsed: ParsedFile) -> None:
    """Row errors for cells that are present but not non-negative numbers."""
    for column in (*UCI_COLUMNS, "CO"):
        bad = frame.with_row_index("row", offset=2).filter(
            pl.col(column).is_not_null()
            & (_uci_number(column).is_null() | (_uci_number(column) < 0))
        )
        for row, token in bad.select("row", column).iter_rows():
            parsed.reject(
                RowError(
                    parsed.file,
                    int(row),
                    column,
                    token,
                    f"{column} 的值“{token}”应为不小于 0 的数字",
                    f"{column} value {token!r} is not a number ≥ 0",
                )
            )


# --- generic long CSV / Excel ------------------------------------------------------------------

LONG_REQUIRED = ("station", "time", "pollutant", "value")
LONG_ALIASES: dict[str, tuple[str, ...]] = {
    "station": ("站点", "站点编码", "监测点编码", "监测点", "点位编码", "stationcode"),
    "time": ("时间", "监测时间", "数据时间", "timepoint", "datetime"),
    "pollutant": ("污染物", "监测项目", "项目", "因子", "parameter"),
    "value": ("值", "浓度", "监测值", "数值", "concentration"),
    "flag": ("标记", "数据标记", "标识", "标志"),
}
"""Header aliases of the long format (English or Chinese, any width or case)."""
_POLLUTANT_INDEX = {name: index for index, name in enumerate(POLLUTANT_COLUMNS)}


class _LongColumns:
    """Where the long format's columns are in a file's header, and their names as written."""

    def __init__(self, header: list[str], found: dict[str, str | None]) -> None:
        def at(role: str) -> int | None:
            name = found[role]
            return None if name is None else header.index(name)

        self.station, self.time = found["station"] or "station", found["time"] or "time"
        self.pollutant, self.value = found["pollutant"] or "pollutant", found["value"] or "value"
        self.station_at, self.time_at = at("station") or 0, at("time") or 0
        self.pollutant_at, self.value_at = at("pollutant") or 0, at("value") or 0
        self.flag_at = at("flag")


class _CellCache:
    """Times and pollutant names already read in a batch (a long file repeats each time once
    per station and pollutant): each distinct text is parsed once, its error kept too."""

    def __init__(self, columns: _LongColumns) -> None:
        self._columns = columns
        self._times: dict[str, int | CellError] = {}
        self._pollutants: dict[str, str | CellError] = {}

    def time(self, text: str) -> int:
        found = self._times.get(text)
        if found is None:
            try:
                found = parse_time(text, self._columns.time)
            except CellError as exc:
                found = exc
            self._times[text] = found
        if isinstance(found, CellError):
            raise found
        return found

    def pollutant(self, text: str) -> str:
        found = self._pollutants.get(text)
        if found is None:
            try:
                found = _pollutant(text, self._columns.pollutant)
            except CellError as exc:
                found = exc
            self._pollutants[text] = found
        if isinstance(found, CellError):
            raise found
        return found


def _fast_value(text: str, column: str) -> float | None:
    """:func:`parse_value` with a fast path for the common case, a plain number ≥ 0."""
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        return parse_value(text, column)
    if 0 <= value < float("inf"):
        return value
    return parse_value(text, column)


class LongFile:
    """A long CSV or Excel file ``station,time,pollutant,value[,flag]`` (1-hour values), read
    in batches of ``batch_rows`` rows: :meth:`batches` yields each batch as a
    :class:`ParsedFile` (its hourly rows, flags and stations), while :attr:`summary` gathers the
    rows read, the stations and the row errors of the whole file.

    A station-hour split over two batches comes as two partial rows (the store merges them);
    the same station, time and pollutant given twice is an error of the later row, whichever
    batch it falls in (the keys seen are kept as sorted integer arrays, 8 bytes a value).
    """

    def __init__(self, path: Path, *, batch_rows: int = LONG_BATCH_ROWS) -> None:
        self.path, self.batch_rows = path, batch_rows
        self.summary = ParsedFile(source="long-csv", file=path.name)
        self._stations: dict[str, int] = {}
        self._seen: list[np.ndarray] = []

    def batches(self) -> Iterator[ParsedFile]:
        """The file's rows, batch by batch (errors go to :attr:`summary`)."""
        with open_table(self.path.name, self.path) as table:
            found = resolve_columns(table.file, table.header, LONG_ALIASES, LONG_REQUIRED)
            columns = _LongColumns(table.header, found)
            batch: list[tuple[int, list[str]]] = []
            for record in table.rows():
                batch.append(record)
                if len(batch) >= self.batch_rows:
                    yield self._parse(batch, columns)
                    batch = []
            if batch:
                yield self._parse(batch, columns)
        self.summary.stations = [StationRecord(code=c, name=c) for c in sorted(self._stations)]

    def _parse(self, rows: list[tuple[int, list[str]]], columns: _LongColumns) -> ParsedFile:
        merged: dict[tuple[str, int], dict[str, Any]] = {}
        flags: list[dict[str, Any]] = []
        keys: list[int] = []
        key_rows: list[int] = []
        cache = _CellCache(columns)
        for row, cells in rows:
            self.summary.rows_read += 1
            try:
                key = self._row(cells, columns, cache, merged, flags)
            except CellError as exc:
                self.summary.reject(exc.at(self.summary.file, row))
                continue
            keys.append(key)
            key_rows.append(row)
        self._cross_batch_repeats(
            np.array(keys, dtype=np.int64), key_rows, merged, columns.pollutant
        )
        batch = ParsedFile(source="long-csv", file=self.summary.file, rows_read=len(rows))
        codes = sorted({station for station, _ in merged})
        batch.stations = [StationRecord(code=c, name=c) for c in codes]
        batch.hourly = _frame(list(merged.values()))
        batch.flags = pl.DataFrame(flags, schema=FLAG_SCHEMA)
        return batch

    def _row(
        self,
        cells: list[str],
        columns: _LongColumns,
        cache: _CellCache,
        merged: dict[tuple[str, int], dict[str, Any]],
        flags: list[dict[str, Any]],
    ) -> int:
        """Merge one row into ``merged``; the row's key (station, hour, pollutant)."""
        station = cells[columns.station_at]
        if not station:
            raise CellError(columns.station, "", "站点编码为空", "station is empty")
        ts = cache.time(cells[columns.time_at])
        pollutant = cache.pollutant(cells[columns.pollutant_at])
        value = _fast_value(cells[columns.value_at], columns.value)
        flag = cells[columns.flag_at] if columns.flag_at is not None else ""
        record = merged.setdefault((station, ts), {"station": station, "ts": ts, "qc": 0})
        column = POLLUTANT_COLUMNS[pollutant]
        if column in record:
            raise _repeated(columns.pollutant, pollutant, station)
        record[column] = value
        if flag not in VALID_FLAGS:
            record["qc"] |= 1 << _POLLUTANT_INDEX[pollutant]
            flags.append({"station": station, "ts": ts, "pollutant": pollutant, "flag": flag[:16]})
        index = self._stations.setdefault(station, len(self._stations))
        return (index << 32) | ((ts // 3600) << 3) | _POLLUTANT_INDEX[pollutant]

    def _cross_batch_repeats(
        self,
        keys: np.ndarray,
        rows: list[int],
        merged: dict[tuple[str, int], dict[str, Any]],
        pollutant_column: str,
    ) -> None:
        """Reject the rows of this batch that repeat a key of an earlier batch; remember keys
        (one sorted array per batch: a binary search each, no re-sorting of what was seen)."""
        if keys.size:
            repeated = np.zeros(keys.size, dtype=bool)
            for seen in self._seen:
                position = np.minimum(np.searchsorted(seen, keys), seen.size - 1)
                repeated |= seen[position] == keys
            stations = {index: code for code, index in self._stations.items()}
            pollutants = list(POLLUTANT_COLUMNS)
            for i in np.flatnonzero(repeated):
                key = int(keys[i])
                station, ts = stations[key >> 32], ((key >> 3) & 0x1FFFFFFF) * 3600
                pollutant = pollutants[key & 7]
                merged[(station, ts)][POLLUTANT_COLUMNS[pollutant]] = None
                error = _repeated(pollutant_column, pollutant, station)
                self.summary.reject(error.at(self.summary.file, rows[int(i)]))
            self._seen.append(np.sort(keys))


def _repeated(column: str, pollutant: str, station: str) -> CellError:
    return CellError(
        column,
        pollutant,
        f"站点 {station} 同一时间的 {pollutant} 重复出现",
        f"{pollutant} of {station} at that time is given twice",
    )


def read_long(path: Path) -> ParsedFile:
    """A whole long CSV or Excel file as one :class:`ParsedFile` (see :class:`LongFile`, which
    streams it; ``ecogov air aqi`` and small imports read it whole)."""
    reader = LongFile(path)
    parts = list(reader.batches())
    parsed = reader.summary
    if parts:
        hourly = pl.concat([part.hourly for part in parts])
        if len(parts) > 1:
            hourly = _conform(
                hourly.group_by("station", "ts", maintain_order=True).agg(
                    *(pl.col(c).drop_nulls().first() for c in VALUE_COLUMNS), pl.col("qc").sum()
                )
            )
        parsed.hourly = hourly
        parsed.flags = pl.concat([part.flags for part in parts])
    return parsed


def long_frame(parsed: ParsedFile) -> pl.DataFrame:
    """The engine's long frame of a parsed file: ``station``, ``time`` (naive Beijing
    Datetime, the end of the hour), ``pollutant``, ``value`` — one row per valid value; a value
    its flag marks invalid is left out, as the store's evaluations leave it out."""
    value_names = {column: code for code, column in POLLUTANT_COLUMNS.items()}
    bits = {column: 1 << _POLLUTANT_INDEX[code] for column, code in value_names.items()}
    valid = parsed.hourly.with_columns(
        pl.when((pl.col("qc") & bit) == 0).then(pl.col(column)).alias(column)
        for column, bit in bits.items()
    )
    return (
        valid.unpivot(index=["station", "ts"], on=list(VALUE_COLUMNS), variable_name="pollutant")
        .drop_nulls("value")
        .select(
            "station",
            pl.from_epoch("ts", time_unit="s")
            .dt.replace_time_zone("UTC")
            .dt.convert_time_zone(BEIJING_TZ_NAME)
            .dt.replace_time_zone(None)
            .cast(pl.Datetime("us"))
            .alias("time"),
            pl.col("pollutant").replace_strict(value_names),
            pl.col("value").cast(pl.Float64),
        )
        .sort("station", "time", "pollutant")
    )


READERS: dict[str, Callable[[Path], ParsedFile]] = {
    "cnemc-json": read_cnemc_json,
    "cnemc-sites-csv": read_cnemc_sites_csv,
    "cnemc-hourly-csv": read_cnemc_hourly_csv,
    "cnemc-stations": read_cnemc_stations,
    "uci-beijing": read_uci_beijing,
    "long-csv": read_long,
}
"""Import formats by the name the CLI and API use."""
