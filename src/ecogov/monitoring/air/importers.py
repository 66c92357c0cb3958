"""Readers of the air-quality file formats ecogov imports, into one hourly frame.

Every reader returns a :class:`ParsedFile`: the stations it names, the hourly 1-hour
concentrations as a wide frame (one row per station-hour) and the row-level errors found. A
reader never guesses: a value that is not a number, a negative concentration, an unknown
pollutant or an unreadable time is reported with its row (1-based, header = row 1) and column.

Time convention: every format here labels an hourly value with the end of its hour in Beijing
time (CNEMC publishes ``2018-02-20T07:00`` for 06:00–07:00); that label is stored as ``ts``
[Unix seconds]. The UCI Beijing set labels hours 0–23 of each day; its hour ``h`` is taken as
the same label (the hour ending at ``h``), which is how its source, the national network's
real-time publication, stamps them.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from ecogov.monitoring.air.models import POLLUTANT_COLUMNS
from ecogov.platform.errors import InputError
from ecogov.platform.textfiles import read_text
from ecogov.standards.timebase import BEIJING, BEIJING_TZ_NAME, as_beijing

VALUE_COLUMNS = tuple(POLLUTANT_COLUMNS.values())
MISSING_TOKENS = frozenset({"", "-", "-;", "—", "NA", "N/A", "NaN", "nan", "null", "None"})
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
MAX_ERRORS_KEPT = 200


@dataclass(frozen=True)
class StationRecord:
    """A station as a file describes it."""

    code: str
    name: str
    city: str | None = None
    lon: float | None = None
    lat: float | None = None
    kind: str = "national"


@dataclass(frozen=True)
class RowError:
    """What is wrong with one row of an input file."""

    row: int
    message: str

    def __str__(self) -> str:
        return f"row {self.row}: {self.message}"


@dataclass
class ParsedFile:
    """The content of one input file, ready to store."""

    source: str
    rows_read: int = 0
    stations: list[StationRecord] = field(default_factory=list)
    hourly: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=HOURLY_SCHEMA))
    flags: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=FLAG_SCHEMA))
    errors: list[RowError] = field(default_factory=list)

    @property
    def values(self) -> int:
        """How many concentration values the file carries."""
        if self.hourly.is_empty():
            return 0
        return int(
            self.hourly.select(pl.sum_horizontal(pl.col(VALUE_COLUMNS).is_not_null())).sum().item()
        )


# --- values and times --------------------------------------------------------------------------


def parse_value(token: str | None, row: int, column: str) -> float | None:
    """A concentration from a cell: None when missing; InputError when not a valid number."""
    if token is None:
        return None
    text = token.strip()
    if text in MISSING_TOKENS:
        return None
    try:
        value = float(text)
    except ValueError:
        raise InputError(f"row {row}: {column} value {text!r} is not a number") from None
    if value != value or value < 0:
        raise InputError(f"row {row}: {column} value {text!r} must be a number ≥ 0")
    return value


def parse_time(token: str, row: int) -> int:
    """Unix seconds of an ISO 8601 time; a naive time is Beijing time."""
    text = token.strip()
    try:
        when = datetime.fromisoformat(text.replace("/", "-"))
    except ValueError:
        raise InputError(f"row {row}: time {text!r} is not ISO 8601 (YYYY-MM-DDTHH:MM)") from None
    return whole_hour(int(as_beijing(when).timestamp()), text, row)


def whole_hour(ts: int, text: str, row: int) -> int:
    """``ts`` [Unix s] when it is a whole hour (observations are 1-hour averages labelled by the
    hour they end, as the national network publishes them); InputError otherwise."""
    if ts % 3600:
        raise InputError(f"row {row}: time {text!r} is not a whole hour (HH:00)")
    return ts


def beijing_ts(year: int, month: int, day: int, hour: int) -> int:
    """Unix seconds of a Beijing-time hour label; hour 24 is midnight of the next day."""
    base = datetime(year, month, day, tzinfo=BEIJING).timestamp()
    return int(base) + hour * 3600


def _pollutant(token: str, row: int) -> str:
    key = token.strip().upper().replace("PM25", "PM2.5").replace("PM2_5", "PM2.5")
    if key not in POLLUTANT_COLUMNS:
        known = ", ".join(POLLUTANT_COLUMNS)
        raise InputError(f"row {row}: pollutant {token.strip()!r} is not one of {known}")
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
        except InputError as exc:
            if len(parsed.errors) < MAX_ERRORS_KEPT:
                parsed.errors.append(RowError(row, _message_of(exc)))
            continue
        if record is not None:
            out.append(record)
    return out


_ROW = re.compile(r"^row (\d+): ")


def _message_of(exc: InputError) -> str:
    return _ROW.sub("", str(exc))


def _dict_rows(path: Path, required: Iterable[str]) -> list[dict[str, str]]:
    reader = csv.DictReader(io.StringIO(read_text(path)))
    header = [name.strip() for name in reader.fieldnames or []]
    missing = [name for name in required if name not in header]
    if missing:
        raise InputError(f"{path.name}: header lacks column(s) {', '.join(missing)}")
    reader.fieldnames = header
    return list(reader)


# --- CNEMC ---------------------------------------------------------------------------------------

CNEMC_COLUMNS = {"so2": "so2", "no2": "no2", "co": "co", "pm10": "pm10", "pm2_5": "pm25"}
CNEMC_TRUE_O3_1H = "o3_24h"
"""CNEMC real-time feeds shift their O3 columns: ``o3_24h`` holds the latest 1-hour value."""


def _cnemc_values(props: dict[str, Any], row: int) -> dict[str, Any]:
    values = {
        column: parse_value(_as_text(props.get(source)), row, source)
        for source, column in CNEMC_COLUMNS.items()
    }
    values["o3"] = parse_value(_as_text(props.get(CNEMC_TRUE_O3_1H)), row, CNEMC_TRUE_O3_1H)
    return values


def _as_text(value: Any) -> str | None:
    return None if value is None else str(value)


def read_cnemc_json(path: Path) -> ParsedFile:
    """A CNEMC real-time GeoJSON snapshot (FeatureCollection of stations at one hour)."""
    try:
        document = json.loads(read_text(path))
        features = document["features"]
    except (ValueError, KeyError, TypeError) as exc:
        raise InputError(f"{path.name}: not a CNEMC GeoJSON FeatureCollection ({exc})") from exc
    parsed = ParsedFile(source="cnemc-json")

    def parse_one(row: int, feature: Any) -> dict[str, Any]:
        props = feature.get("properties") if isinstance(feature, dict) else None
        if not isinstance(props, dict) or not props.get("stationcode"):
            raise InputError(f"row {row}: feature has no stationcode")
        code = str(props["stationcode"]).strip()
        record = {
            "station": code,
            "ts": parse_time(str(props.get("timepoint", "")), row),
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
        raise InputError(f"row {row}: coordinates {coords!r} are not [lon, lat]") from None


CNEMC_HOURLY_REQUIRED = ("timepoint", "stationcode", "so2", "no2", "co", "o3_24h", "pm10", "pm2_5")


def read_cnemc_hourly_csv(path: Path) -> ParsedFile:
    """A CNEMC hourly CSV ``YYYY-MM-DDTHH.csv`` (one row per station, same O3 shift)."""
    rows = _dict_rows(path, CNEMC_HOURLY_REQUIRED)
    parsed = ParsedFile(source="cnemc-hourly-csv")

    def parse_one(row: int, cells: dict[str, str]) -> dict[str, Any]:
        code = (cells.get("stationcode") or "").strip()
        if not code:
            raise InputError(f"row {row}: stationcode is empty")
        record = {
            "station": code,
            "ts": parse_time(cells["timepoint"], row),
            **_cnemc_values(dict(cells), row),
        }
        parsed.stations.append(
            StationRecord(
                code=code,
                name=(cells.get("positionname") or code).strip(),
                city=(cells.get("area") or "").strip() or None,
                lon=parse_value(cells.get("longitude"), row, "longitude"),
                lat=parse_value(cells.get("latitude"), row, "latitude"),
            )
        )
        return record

    parsed.hourly = _frame(_each_row(parsed, enumerate(rows, start=2), parse_one))
    return parsed


SITES_TYPES = {"PM2.5": "pm25", "PM10": "pm10", "SO2": "so2", "NO2": "no2", "O3": "o3", "CO": "co"}
"""Types of the daily wide CSV holding 1-hour values (the ``_24h``/``_8h`` rows are derived)."""


def read_cnemc_sites_csv(path: Path) -> ParsedFile:
    """A CNEMC daily wide CSV ``china_sites_YYYYMMDD.csv``: ``date,hour,type,<stations…>``.

    The 1-hour rows (PM2.5, PM10, SO2, NO2, O3, CO) are read; AQI and the moving averages are
    derived values the platform recomputes. ``hour`` 0–23 labels the hour ending then.
    Vectorized (the cells become one NumPy matrix): a national day parses in ~50 ms.
    """
    try:
        raw = pl.read_csv(
            path, infer_schema=False, encoding="utf8-lossy", null_values=list(MISSING_TOKENS)
        )
    except (pl.exceptions.PolarsError, OSError) as exc:
        raise InputError(f"{path.name}: not a readable CSV ({exc})") from exc
    if raw.columns[:3] != ["date", "hour", "type"] or raw.width < 4:
        raise InputError(f"{path.name}: header must start with date,hour,type then station codes")
    codes = raw.columns[3:]
    parsed = ParsedFile(source="cnemc-sites-csv", rows_read=raw.height)
    parsed.stations = [StationRecord(code=code, name=code) for code in codes]
    rows = raw.with_row_index("row", offset=2).filter(pl.col("type").is_in(list(SITES_TYPES)))
    rows = rows.with_columns(_sites_ts().alias("ts"))
    _report(
        parsed,
        rows.filter(pl.col("ts").is_null()),
        lambda r: f"date {r['date']!r} / hour {r['hour']!r} not YYYYMMDD / 0–23",
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
        for i, j in np.argwhere(bad)[: MAX_ERRORS_KEPT - len(parsed.errors)]:
            row, kind = rows.item(int(i), "row"), rows.item(int(i), "type")
            token = cells.item(int(i), codes[int(j)])
            parsed.errors.append(
                RowError(int(row), f"{kind}@{codes[int(j)]} value {token!r} is not a number ≥ 0")
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
    parsed: ParsedFile, bad: pl.DataFrame, message: Callable[[dict[str, Any]], str]
) -> None:
    """Add row errors for the rows of ``bad`` (first rows first, at most MAX_ERRORS_KEPT)."""
    for record in bad.sort("row").head(MAX_ERRORS_KEPT - len(parsed.errors)).iter_rows(named=True):
        parsed.errors.append(RowError(int(record["row"]), message(record)))


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
    parsed = ParsedFile(source="cnemc-stations")
    for index, cells in enumerate(rows):
        row = index + 2
        parsed.rows_read += 1
        try:
            code = cells["监测点编码"].strip()
            if not code:
                raise InputError(f"row {row}: 监测点编码 is empty")
            reference = (cells.get("对照点") or "").strip() in {"Y", "是", "1", "true"}
            parsed.stations.append(
                StationRecord(
                    code=code,
                    name=cells["监测点名称"].strip() or code,
                    city=cells["城市"].strip() or None,
                    lon=parse_value(cells["经度"], row, "经度"),
                    lat=parse_value(cells["纬度"], row, "纬度"),
                    kind="background" if reference else "national",
                )
            )
        except InputError as exc:
            parsed.errors.append(RowError(row, _message_of(exc)))
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
    parsed = ParsedFile(source="uci-beijing", rows_read=frame.height)
    names = frame.get_column("station").unique().to_list()
    unknown = sorted(name for name in names if name not in UCI_STATIONS)
    if unknown:
        raise InputError(f"{path.name}: unknown UCI station(s) {', '.join(unknown)}")
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
        frame = pl.read_csv(path, infer_schema=False, null_values=["NA"])
    except (pl.exceptions.PolarsError, OSError) as exc:
        raise InputError(f"{path.name}: not a readable CSV ({exc})") from exc
    missing = [name for name in UCI_REQUIRED if name not in frame.columns]
    if missing:
        raise InputError(f"{path.name}: header lacks column(s) {', '.join(missing)}")
    ints = ("year", "month", "day", "hour")
    parsed = frame.with_columns(pl.col(ints).cast(pl.Int32, strict=False))
    bad = parsed.with_row_index("row", offset=2).filter(
        pl.any_horizontal(pl.col(ints).is_null()) | ~pl.col("hour").is_between(0, 23)
    )
    if not bad.is_empty():
        raise InputError(f"{path.name}: row {bad.item(0, 'row')}: year/month/day/hour unreadable")
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
        for row, token in bad.select("row", column).head(MAX_ERRORS_KEPT).iter_rows():
            parsed.errors.append(
                RowError(int(row), f"{column} value {token!r} is not a number ≥ 0")
            )


# --- generic long CSV / Excel ------------------------------------------------------------------

LONG_REQUIRED = ("station", "time", "pollutant", "value")


def read_long(path: Path) -> ParsedFile:
    """A long CSV or Excel sheet ``station,time,pollutant,value[,flag]`` (1-hour values)."""
    rows = (
        _excel_rows(path)
        if path.suffix.lower() in {".xlsx", ".xlsm"}
        else _dict_rows(path, LONG_REQUIRED)
    )
    parsed = ParsedFile(source="long-csv")
    merged: dict[tuple[str, int], dict[str, Any]] = {}
    flags: list[dict[str, Any]] = []
    for index, cells in enumerate(rows):
        row = index + 2
        parsed.rows_read += 1
        try:
            _long_row(cells, row, merged, flags)
        except InputError as exc:
            if len(parsed.errors) < MAX_ERRORS_KEPT:
                parsed.errors.append(RowError(row, _message_of(exc)))
    parsed.stations = [StationRecord(code=c, name=c) for c in sorted({k[0] for k in merged})]
    parsed.hourly = _frame(list(merged.values()))
    parsed.flags = pl.DataFrame(flags, schema=FLAG_SCHEMA)
    return parsed


def _long_row(
    cells: dict[str, Any],
    row: int,
    merged: dict[tuple[str, int], dict[str, Any]],
    flags: list[dict[str, Any]],
) -> None:
    station = str(cells.get("station") or "").strip()
    if not station:
        raise InputError(f"row {row}: station is empty")
    time_cell = cells.get("time")
    ts = (
        whole_hour(
            int(as_beijing(time_cell).timestamp()),
            str(time_cell),
            row,
        )
        if isinstance(time_cell, datetime)
        else parse_time(str(time_cell or ""), row)
    )
    pollutant = _pollutant(str(cells.get("pollutant") or ""), row)
    raw = cells.get("value")
    value = parse_value(None if raw is None else str(raw), row, "value")
    flag = str(cells.get("flag") or "").strip()
    record = merged.setdefault((station, ts), {"station": station, "ts": ts, "qc": 0})
    column = POLLUTANT_COLUMNS[pollutant]
    if column in record:
        raise InputError(f"row {row}: {pollutant} of {station} at that time is given twice")
    record[column] = value
    if flag not in VALID_FLAGS:
        record["qc"] |= 1 << list(POLLUTANT_COLUMNS).index(pollutant)
        flags.append({"station": station, "ts": ts, "pollutant": pollutant, "flag": flag[:16]})


def _excel_rows(path: Path) -> list[dict[str, Any]]:
    from openpyxl import load_workbook

    try:
        sheet = load_workbook(path, read_only=True, data_only=True).worksheets[0]
    except Exception as exc:  # openpyxl raises many types for a broken workbook
        raise InputError(f"{path.name}: not a readable Excel workbook ({exc})") from exc
    rows = sheet.iter_rows(values_only=True)
    header = [str(cell or "").strip() for cell in next(rows, ())]
    missing = [name for name in LONG_REQUIRED if name not in header]
    if missing:
        raise InputError(f"{path.name}: header lacks column(s) {', '.join(missing)}")
    return [dict(zip(header, values, strict=False)) for values in rows]


READERS: dict[str, Callable[[Path], ParsedFile]] = {
    "cnemc-json": read_cnemc_json,
    "cnemc-sites-csv": read_cnemc_sites_csv,
    "cnemc-hourly-csv": read_cnemc_hourly_csv,
    "cnemc-stations": read_cnemc_stations,
    "uci-beijing": read_uci_beijing,
    "long-csv": read_long,
}
"""Import formats by the name the CLI and API use."""
