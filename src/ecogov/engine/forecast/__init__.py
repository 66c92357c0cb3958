"""Air-quality forecasting engine: baselines, the gradient-boosted learner, daily AQI of forecast
values and verification (HJ 1130-2020 Ch. 6 metrics). Frames in, frames out; no files.

Pipeline::

    wide hourly history ─► case_features (≤ issue time) ─► train / predict ─► daily values
        │                                                                      │ aqi_of_daily
        ├─► persistence_daily, climatology_daily (baselines)                   ▼
        └─► observed_daily ────────────────────────────────────────────► scores (per lead day)
"""

from __future__ import annotations

from ecogov.engine.forecast.backtest import BACKTEST_COLUMNS, backtest, daily_table, long_table
from ecogov.engine.forecast.baselines import (
    baseline_days,
    climatology_daily,
    climatology_hourly,
    hourly_climatology,
    persistence_daily,
)
from ecogov.engine.forecast.daily import (
    DAILY_TARGETS,
    aqi_of_daily,
    issue_blocks,
    observed_daily,
    observed_of_days,
)
from ecogov.engine.forecast.features import MET_VARIABLES, met_wide
from ecogov.engine.forecast.learner import LEAD_DAYS, PARAMETERS, ForecastModel, predict, train
from ecogov.engine.forecast.verification import CASE_KEYS, scores, with_aqi

__all__ = [
    "BACKTEST_COLUMNS",
    "CASE_KEYS",
    "DAILY_TARGETS",
    "LEAD_DAYS",
    "MET_VARIABLES",
    "PARAMETERS",
    "ForecastModel",
    "aqi_of_daily",
    "backtest",
    "baseline_days",
    "climatology_daily",
    "climatology_hourly",
    "daily_table",
    "hourly_climatology",
    "issue_blocks",
    "long_table",
    "met_wide",
    "observed_daily",
    "observed_of_days",
    "persistence_daily",
    "predict",
    "scores",
    "train",
    "with_aqi",
]
