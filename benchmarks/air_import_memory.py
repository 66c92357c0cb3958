"""Benchmark: peak memory of importing one large long air CSV (``station,time,pollutant,value``).

Issue 14, defect 19: importing an 84 MB air CSV peaked at 1.6 GB of memory — the file is now
streamed through ``ecogov.platform.readers`` and stored batch by batch in one transaction.
This script generates a long CSV of about ``ECOGOV_BENCH_MB`` MB (default 80), registers its
stations in a fresh SQLite database (not measured), then imports the file in a child process
and reports that process's peak resident memory (``VmHWM``) over its resident memory before the
import (the interpreter and its libraries), and the import's rate.

Prints ``RESULT name=air_import_long_peak_rss value=<MB> unit=MB baseline=issue_1600MB
ratio=1600/value`` (the peak of the whole child process, as the issue measured it).
"""

from __future__ import annotations

import csv
import multiprocessing
import os
import random
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

from ecogov.demo import reset_schema
from ecogov.monitoring.air import service
from ecogov.platform.db import Database
from ecogov.platform.migrate import upgrade
from ecogov.platform.scope import SYSTEM
from ecogov.regions.service import list_regions, load_registry

STATIONS = 100
POLLUTANTS = {"PM2.5": 40, "PM10": 70, "SO2": 10, "NO2": 30, "O3": 60, "CO": 0.8}
ISSUE_PEAK_MB = 1600.0


def write_long_csv(path: Path, megabytes: float) -> int:
    """A long CSV of about ``megabytes`` MB, hour after hour for every station; its rows."""
    rng = random.Random(3)
    start = datetime(2025, 1, 1, 1)
    limit = megabytes * 1_000_000
    rows = 0
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["station", "time", "pollutant", "value"])
        hour = 0
        while out.tell() < limit:
            stamp = (start + timedelta(hours=hour)).strftime("%Y-%m-%dT%H:%M")
            for station in range(STATIONS):
                for pollutant, mean in POLLUTANTS.items():
                    value = abs(rng.gauss(mean, mean / 2))
                    writer.writerow([f"{9000 + station}B", stamp, pollutant, f"{value:.1f}"])
                    rows += 1
            hour += 1
    return rows


def write_station_list(folder: Path, cities: list[str]) -> Path:
    """A CNEMC station list of the generated stations."""
    path = folder / "站点列表-bench.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["监测点编码", "监测点名称", "城市", "经度", "纬度", "对照点"])
        for i in range(STATIONS):
            writer.writerow([f"{9000 + i}B", f"站点{i}", cities[i % len(cities)], 120, 30, "N"])
    return path


def prepare(url: str, folder: Path) -> None:
    """Fresh schema, regions and the station registry (not measured)."""
    db = Database(url)
    reset_schema(db)
    upgrade(db.engine)
    load_registry(db, ())
    cities = [
        city.name
        for province in list_regions(db, SYSTEM)
        for city in list_regions(db, SYSTEM, province.code)
    ]
    service.import_files(db, SYSTEM, "cnemc-stations", [write_station_list(folder, cities)])
    db.dispose()


def _status_mb(field: str) -> float:
    """A memory figure of this process from /proc/self/status [MB]."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no {field} in /proc/self/status")


def import_in_child(url: str, path: Path, queue: multiprocessing.Queue[tuple[float, ...]]) -> None:
    """Import ``path`` (in a fresh process) and report (RSS before, peak RSS, seconds, values)."""
    db = Database(url)
    before = _status_mb("VmRSS")
    started = time.perf_counter()
    report = service.import_file(db, SYSTEM, "long-csv", path)
    elapsed = time.perf_counter() - started
    queue.put((before, _status_mb("VmHWM"), elapsed, float(report.values)))
    db.dispose()


def main() -> None:
    """Generate the file, import it in a child process, print the RESULT line."""
    megabytes = float(os.environ.get("ECOGOV_BENCH_MB", "80"))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        url = f"sqlite:///{folder / 'bench.db'}"
        prepare(url, folder)
        path = folder / "air-long.csv"
        started = time.perf_counter()
        rows = write_long_csv(path, megabytes)
        size = path.stat().st_size / 1_000_000
        print(f"generated {size:.0f} MB, {rows:,} rows in {time.perf_counter() - started:.0f} s")
        context = multiprocessing.get_context("spawn")
        queue: multiprocessing.Queue[tuple[float, ...]] = context.Queue()
        child = context.Process(target=import_in_child, args=(url, path, queue))
        child.start()
        before, peak, elapsed, values = queue.get()
        child.join()
        print(
            f"imported {values:,.0f} values in {elapsed:.1f} s ({values / elapsed:,.0f} values/s); "
            f"RSS before {before:.0f} MB, peak {peak:.0f} MB (+{peak - before:.0f} MB for the file)"
        )
        print(
            f"RESULT name=air_import_long_peak_rss value={peak:.0f} unit=MB "
            f"baseline=issue_{ISSUE_PEAK_MB:.0f}MB ratio={ISSUE_PEAK_MB / peak:.2f}"
        )


if __name__ == "__main__":
    main()
