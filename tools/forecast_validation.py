"""Choose the forecast learner's hyperparameters on earlier years than the backtest's test year.

Each candidate setting trains one model on the UCI Beijing history up to 2015-03-01 16:00 (two
years: 2013-03 … 2015-02, the learner's own 30-day hold-out inside it) and forecasts every issue
day of the validation year 2015-03-01 … 2016-02-26 (12 stations, lead days 1-3, history only —
the features the platform's live forecast has). Scored by the verification of
``ecogov air forecast verify`` beside persistence and climatology; the setting with the best
mean level accuracy over the three lead days wins (ties: lower PM2.5 MAE). The test year
2016-03 … 2017-02 is never read by the choice. Results: ``docs/forecast-skill.md``.

Run: ``PYTHONPATH=src python tools/forecast_validation.py [FOLDER [SETTING …]]`` (FOLDER default
``../shared/data/uci-beijing``; settings default all — one process per setting runs them side by
side).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path

import polars as pl

from ecogov.engine import forecast as engine
from ecogov.forecast import backtesting

TRAIN_UNTIL = datetime(2015, 3, 1, 16)
VALIDATE = (date(2015, 3, 1), date(2016, 2, 26))
HISTORY_END = datetime(2016, 3, 1)
"""The last stamp read: it closes 2016-02-29, the last target day of the validation year."""
SETTINGS: dict[str, Mapping[str, float]] = {
    "A": {
        "max_iter": 100,
        "learning_rate": 0.08,
        "max_leaf_nodes": 31,
        "min_samples_leaf": 40,
        "l2_regularization": 1.0,
    },
    "B": {
        "max_iter": 200,
        "learning_rate": 0.05,
        "max_leaf_nodes": 31,
        "min_samples_leaf": 40,
        "l2_regularization": 1.0,
    },
    "C": {
        "max_iter": 100,
        "learning_rate": 0.08,
        "max_leaf_nodes": 15,
        "min_samples_leaf": 80,
        "l2_regularization": 1.0,
    },
    "D": {
        "max_iter": 60,
        "learning_rate": 0.1,
        "max_leaf_nodes": 15,
        "min_samples_leaf": 100,
        "l2_regularization": 3.0,
    },
}
"""A: the values fixed before the first backtest; B: more, slower steps; C: smaller trees with
larger leaves; D: fewer steps and stronger regularisation — chosen, now ``engine.PARAMETERS``."""


def main(folder: Path, names: list[str]) -> None:
    """Train, forecast and score each named setting; print its table as it is done."""
    wide, _ = backtesting.read_uci_folder(folder)
    history = wide.filter(pl.col("time") <= HISTORY_END)
    stations = sorted(history["station"].cast(pl.String).unique().to_list())
    met = backtesting.no_met(stations)
    days = pl.DataFrame({"issue_day": pl.date_range(*VALIDATE, eager=True)})
    cases = pl.DataFrame({"station": stations}).join(days, how="cross")
    for name in names:
        parameters = SETTINGS[name]
        started = time.process_time()
        model = engine.train(history, met, TRAIN_UNTIL, 16, parameters)
        daily = engine.daily_table(engine.predict(model, history, met, cases))
        table = backtesting.verify(daily, history)
        print(f"setting {name} {dict(parameters)}: {time.process_time() - started:.0f} s CPU")
        with pl.Config(tbl_rows=20, tbl_cols=10):
            print(backtesting.headline(table, "mae_O3_8H"), flush=True)


if __name__ == "__main__":
    main(
        Path(sys.argv[1]) if len(sys.argv) > 1 else Path("../shared/data/uci-beijing"),
        sys.argv[2:] or list(SETTINGS),
    )
