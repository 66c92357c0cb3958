"""Benchmark: a generated year of CNEMC daily wide CSV files for 1,700 stations into the store.

Targets (issue 3): ≥ 1 M values/s on SQLite, ≥ 0.5 M values/s on PostgreSQL (when
``ECOGOV_BENCH_POSTGRES_URL`` or a local server at 127.0.0.1:5432/test answers; the benchmark
wipes that database's ``public`` schema). The station registry is loaded first and not timed;
``ECOGOV_BENCH_DAYS`` (default 365) sets how many daily files are generated.

Prints ``RESULT name=air_import_sqlite …`` and ``RESULT name=air_import_postgres …`` with
value = values/s and ratio = value / target.
"""

from __future__ import annotations

import csv
import os
import random
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import polars as pl
from sqlalchemy import text

from ecogov.demo import reset_schema
from ecogov.monitoring.air import service
from ecogov.platform.db import Database
from ecogov.platform.migrate import upgrade
from ecogov.platform.scope import SYSTEM
from ecogov.regions.service import list_regions, load_registry

STATIONS = 1700
TYPES = (
    "AQI",
    "PM2.5",
    "PM2.5_24h",
    "PM10",
    "PM10_24h",
    "SO2",
    "SO2_24h",
    "NO2",
    "NO2_24h",
    "O3",
    "O3_24h",
    "O3_8h",
    "O3_8h_24h",
    "CO",
    "CO_24h",
)
HOURLY = {
    "PM2.5": (40, 30),
    "PM10": (70, 45),
    "SO2": (10, 6),
    "NO2": (30, 15),
    "O3": (60, 40),
    "CO": (0.8, 0.4),
}
TARGETS = {"sqlite": 1_000_000.0, "postgresql": 500_000.0}


def write_station_list(folder: Path, cities: list[tuple[str, float, float]]) -> Path:
    """A CNEMC station list of ``STATIONS`` stations spread over real cities."""
    path = folder / "站点列表-bench.csv"
    rng = random.Random(1)
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["监测点编码", "监测点名称", "城市", "经度", "纬度", "对照点"])
        for i in range(STATIONS):
            name, lon, lat = cities[i % len(cities)]
            writer.writerow(
                [
                    f"{9000 + i}B",
                    f"站点{i}",
                    name,
                    lon + rng.uniform(-0.02, 0.02),
                    lat + rng.uniform(-0.02, 0.02),
                    "N",
                ]
            )
    return path


def write_day(folder: Path, day: date, rng: np.random.Generator) -> Path:
    """One ``china_sites_YYYYMMDD.csv`` with every type row, as CNEMC archives publish them."""
    path = folder / f"china_sites_{day:%Y%m%d}.csv"
    codes = [f"{9000 + i}B" for i in range(STATIONS)]
    rows = [(hour, kind) for hour in range(24) for kind in TYPES]
    means = np.array([HOURLY.get(kind.split("_")[0], (50, 20))[0] for _, kind in rows])
    spreads = np.array([HOURLY.get(kind.split("_")[0], (50, 20))[1] for _, kind in rows])
    values = np.abs(rng.normal(means[:, None], spreads[:, None], (len(rows), STATIONS)))
    is_co = np.array([kind.startswith("CO") for _, kind in rows])
    values = np.where(is_co[:, None], np.round(values, 1), np.round(values))
    values[rng.random(values.shape) < 0.02] = np.nan
    frame = pl.DataFrame(values, schema=codes).fill_nan(None)
    head = pl.DataFrame(
        {
            "date": [f"{day:%Y%m%d}"] * len(rows),
            "hour": [h for h, _ in rows],
            "type": [k for _, k in rows],
        }
    )
    pl.concat([head, frame], how="horizontal").write_csv(path)
    return path


def prepare(db: Database, folder: Path) -> None:
    """Fresh schema, regions, and the station registry (not timed)."""
    if db.backend == "postgresql":
        with db.engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
    else:
        reset_schema(db)
    upgrade(db.engine)
    load_registry(db, ())
    cities = [
        (city.name, 100.0, 30.0)
        for province in list_regions(db, SYSTEM)
        for city in list_regions(db, SYSTEM, province.code)
    ]
    service.import_files(db, SYSTEM, "cnemc-stations", [write_station_list(folder, cities)])


def run(url: str, files: list[Path], folder: Path) -> float:
    """Import ``files`` into a fresh database at ``url``; values per second."""
    db = Database(url)
    prepare(db, folder)
    started = time.perf_counter()
    report = service.import_files(db, SYSTEM, "cnemc-sites-csv", files)
    elapsed = time.perf_counter() - started
    again = service.import_files(db, SYSTEM, "cnemc-sites-csv", files[:1])
    assert (again.inserted, again.updated) == (0, 0), "re-import must change nothing"
    rate = report.values / elapsed
    print(
        f"{db.backend}: {report.values:,} values in {elapsed:.1f} s = {rate:,.0f} values/s "
        f"({report.inserted:,} station-hours inserted)"
    )
    db.dispose()
    return rate


def postgres_url() -> str | None:
    """The PostgreSQL server to measure, if one answers."""
    url = os.environ.get("ECOGOV_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
    try:
        Database(url).engine.connect().close()
    except Exception:
        return None
    return url


def main() -> None:
    """Generate the files once, import them into each backend, print RESULT lines."""
    days = int(os.environ.get("ECOGOV_BENCH_DAYS", "365"))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        rng = np.random.default_rng(7)
        started = time.perf_counter()
        files = [write_day(folder, date(2025, 1, 1) + timedelta(days=d), rng) for d in range(days)]
        print(
            f"generated {days} daily files for {STATIONS} stations in "
            f"{time.perf_counter() - started:.0f} s"
        )
        sqlite_rate = run(f"sqlite:///{folder / 'bench.db'}", files, folder)
        print(
            f"RESULT name=air_import_sqlite value={sqlite_rate:.0f} unit=values/s "
            f"baseline=target_1M ratio={sqlite_rate / TARGETS['sqlite']:.2f}"
        )
        url = postgres_url()
        if url is None:
            print("no PostgreSQL server answered: air_import_postgres not measured")
            return
        pg_rate = run(url, files, folder)
        print(
            f"RESULT name=air_import_postgres value={pg_rate:.0f} unit=values/s "
            f"baseline=target_0.5M ratio={pg_rate / TARGETS['postgresql']:.2f}"
        )


if __name__ == "__main__":
    main()
