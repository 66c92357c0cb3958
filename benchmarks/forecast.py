"""Benchmark of the air-quality forecast (issue 18): the backtest's wall time and skill on the
UCI Beijing data, and the latency of the live forecast of a province.

* **Backtest** — ``ecogov air forecast backtest`` over the last year of the UCI Beijing
  Multi-Site set (12 stations, four years of hours; issue days 2016-03-01 … 2017-02-25 at 16:00,
  the learner retrained monthly on everything before), history only unless ``--met`` (then the
  UCI weather, observed after the issue: a perfect-prognosis bound). Scored as ``verify`` does:
  the day-1 HJ 633 level accuracy minus persistence's on the same cases, in percentage points
  (issue target ≥ 10). Skipped with a message when ``../shared/data/uci-beijing`` is absent.
* **Latency** — the Zhejiang air demo (44 stations, 11 cities; 100 days of hours) in a fresh
  SQLite database: one issue trains the province's model, the next day's issue reuses it; that
  second ``ecogov forecast run`` — reading the hours, forecasting every station and city,
  storing them — is the latency of the live model for the province (target ≤ 2 s).

CPU time is printed beside wall time: the machine is often shared.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from datetime import date
from pathlib import Path

import polars as pl

from ecogov.demo import reset_schema
from ecogov.engine import forecast as engine
from ecogov.forecast import backtesting, service
from ecogov.monitoring.air import demo as air_demo
from ecogov.platform.db import Database
from ecogov.platform.migrate import upgrade
from ecogov.platform.scope import SYSTEM
from ecogov.regions.service import load_registry

UCI = Path(__file__).resolve().parents[2] / "shared" / "data" / "uci-beijing"
PERIOD = (date(2016, 3, 1), date(2017, 2, 25))
ISSUE_HOUR = 16
BACKTEST_TARGET_S = 600.0
GAIN_TARGET_PP = 10.0
LATENCY_TARGET_S = 2.0
PROVINCE = "330000"
DEMO_HOURS = 24 * 100  # 2025-01-01 … 2025-04-10
ISSUES = (date(2025, 4, 7), date(2025, 4, 8))  # the first trains, the second reuses


def backtest_gain(folder: Path, with_met: bool) -> float:
    """Run and score the UCI backtest; print its figures and return the day-1 gain in pp."""
    wide, met = backtesting.read_uci_folder(folder)
    stations = sorted(wide["station"].cast(pl.String).unique().to_list())
    weather = met if with_met else backtesting.no_met(stations)
    wall, cpu = time.perf_counter(), time.process_time()
    daily = engine.backtest(wide, weather, *PERIOD, ISSUE_HOUR)
    rows = engine.long_table(daily).height  # what the command writes
    wall_s, cpu_s = time.perf_counter() - wall, time.process_time() - cpu
    scores = backtesting.verify(daily, wide)
    print(
        f"backtest {'with' if with_met else 'without'} --met, {len(stations)} stations, "
        f"{PERIOD[0]} … {PERIOD[1]}, {rows:,} rows: {wall_s:.0f} s wall, {cpu_s:.0f} s CPU "
        f"(target ≤ {BACKTEST_TARGET_S:.0f} s)"
    )
    with pl.Config(tbl_rows=20, tbl_cols=10):
        print(backtesting.headline(scores))
    day1 = scores.filter(pl.col("lead_day") == 1)
    accuracy: dict[str, float] = dict(zip(day1["model"], day1["level_accuracy"], strict=True))
    return 100 * (accuracy["forecast"] - accuracy["persistence"])


def latency() -> float:
    """Seconds of the second day's issue of the Zhejiang demo (the model reused)."""
    with tempfile.TemporaryDirectory() as folder:
        db = Database(f"sqlite:///{Path(folder) / 'bench.db'}")
        reset_schema(db)
        upgrade(db.engine)
        load_registry(db, (PROVINCE,))
        air_demo.load(db, hours=DEMO_HOURS)
        first = service.run(db, SYSTEM, ISSUES[0])
        wall, cpu = time.perf_counter(), time.process_time()
        second = service.run(db, SYSTEM, ISSUES[1])
        wall_s, cpu_s = time.perf_counter() - wall, time.process_time() - cpu
        db.dispose()
    assert (first.trained, second.trained, second.reused) == (1, 0, 1)
    print(
        f"live forecast of {second.stations} stations and {second.cities} cities "
        f"(model reused): {wall_s:.2f} s wall, {cpu_s:.2f} s CPU (target ≤ {LATENCY_TARGET_S} s)"
    )
    return wall_s


def main() -> None:
    """Both measurements and their RESULT lines."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--met", action="store_true", help="Backtest with the UCI weather.")
    parser.add_argument("--uci", type=Path, default=UCI, help="Folder of the UCI CSV files.")
    options = parser.parse_args()
    gain = None
    if any(options.uci.glob("PRSA_Data_*.csv")):
        gain = backtest_gain(options.uci, options.met)
    else:
        print(f"skipped the backtest: no UCI Beijing files in {options.uci}")
    seconds = latency()
    if gain is not None:
        print(
            f"RESULT name=forecast_level_accuracy_gain value={gain:.1f} unit=pp "
            f"baseline=persistence ratio={gain / GAIN_TARGET_PP:.2f}"
        )
    print(
        f"RESULT name=forecast_latency_s value={seconds:.3f} unit=s baseline=2 "
        f"ratio={LATENCY_TARGET_S / seconds:.2f}"
    )


if __name__ == "__main__":
    main()
