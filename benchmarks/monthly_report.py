"""Benchmark of the monthly environmental-quality report (issue 17, item 3): one province-month
≤ 10 s.

The full air and water demo of Zhejiang (11 cities, 44 stations of hourly data since 2025-01;
301 sections of monthly data since 2024-01) in a fresh SQLite database; the report of the
province for 2026-09 (with the year before, for the change rates) is generated cold — figures
from the services and the engine, the record written, then rendered as Word and as PDF with
their three charts. CPU time is printed beside the wall-clock time: the machine is often shared.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from ecogov.demo import reset_schema
from ecogov.monitoring.air import demo as air_demo
from ecogov.monitoring.water import demo as water_demo
from ecogov.platform.db import Database
from ecogov.platform.migrate import upgrade
from ecogov.platform.plugins import domains
from ecogov.platform.scope import SYSTEM
from ecogov.regions.service import load_registry
from ecogov.reports import service

PROVINCE, MONTH = "330000", "2026-09"
TARGET_S = 10.0


def main() -> None:
    domains()
    with tempfile.TemporaryDirectory() as folder:
        db = Database(f"sqlite:///{Path(folder) / 'bench.db'}")
        reset_schema(db)
        upgrade(db.engine)
        load_registry(db, (PROVINCE,))
        air_demo.load(db)
        water_demo.load(db)
        wall, cpu = time.perf_counter(), time.process_time()
        report = service.generate(db, SYSTEM, "monthly", PROVINCE, MONTH)
        figures_s = time.perf_counter() - wall
        sizes = {
            fmt: len(service.document(db, SYSTEM, report.id, fmt)[1]) for fmt in ("docx", "pdf")
        }
        value = time.perf_counter() - wall
        cpu_s = time.process_time() - cpu
        db.dispose()
    print(f"figures {figures_s:.2f} s; with Word and PDF {value:.2f} s wall, {cpu_s:.2f} s CPU")
    print(f"docx {sizes['docx']:,} bytes, pdf {sizes['pdf']:,} bytes")
    print(
        f"RESULT name=monthly_report_s value={value:.3f} unit=s baseline=target_10s "
        f"ratio={TARGET_S / value:.2f}"
    )


if __name__ == "__main__":
    main()
