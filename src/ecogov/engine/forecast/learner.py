"""The statistical learner: gradient-boosted trees (scikit-learn HistGradientBoostingRegressor,
fixed ``random_state``) per daily indicator and lead day on the features of
:mod:`ecogov.engine.forecast.features`, trained on log(1 + concentration).

Training at a cut-off uses only the history up to it (the frame is truncated first) and only
target days that ended by it. The model is fitted on the issue days before the last
:data:`VALIDATION_DAYS` and validated on those later days: its scores there (MAE, bias of daily
concentrations) are stored with it and its held-out log-residual quantiles give the uncertainty
band. Fits run on one thread: on a shared machine OpenMP threads competing for the cores made a
fit 15 times slower.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import numpy as np
import polars as pl
from sklearn.ensemble import HistGradientBoostingRegressor  # type: ignore[import-untyped]
from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]

from ecogov.engine.forecast.daily import DAILY_TARGETS, observed_daily
from ecogov.engine.forecast.features import (
    case_features,
    daily_climatology,
    met_daily,
    target_features,
)

__all__ = ["LEAD_DAYS", "PARAMETERS", "VALIDATION_DAYS", "ForecastModel", "predict", "train"]

LEAD_DAYS: tuple[int, ...] = (1, 2, 3)
VALIDATION_DAYS = 30
BAND_QUANTILES = (0.1, 0.9)
"""The band is the 10-90 % range of the held-out log-residuals."""
MIN_CASES = 30
"""Fewer training cases than this for an indicator and lead day: that forecast is not issued."""

PARAMETERS: Mapping[str, float] = {
    "max_iter": 60,
    "learning_rate": 0.1,
    "max_leaf_nodes": 15,
    "min_samples_leaf": 100,
    "l2_regularization": 3.0,
}
"""Hyperparameters of every regressor (``random_state`` is fixed apart). Chosen on earlier years
than the UCI Beijing backtest's test year (2016-03 … 2017-02), never on it: candidates trained on
2013-03 … 2015-02 and scored on 2015-03 … 2016-02 by ``tools/forecast_validation.py``
(history only). These are its setting D, the best mean day 1-3 level accuracy of the four:
D 38.0 / 31.5 / 30.7 % (PM2.5 MAE day 1 40.8 µg/m³), C 38.1 / 30.5 / 29.4 %, B (200 steps at
0.05) 37.6 / 30.2 / 30.4 %, A — the earlier values, 100 steps at 0.08, 31 leaves, 40 per leaf,
L2 1.0 — 36.4 / 30.2 / 30.0 % (persistence 34.2 / 26.4 / 25.2 %). Settings and scores:
``docs/forecast-skill.md`` ("Hyperparameters")."""
_KEYS = ("station", "issue_day", "date", "month")


@dataclass
class ForecastModel:
    """A trained forecast: its training window, regressors, band and validation scores."""

    issue_hour: int
    stations: list[str]
    train_from: date
    trained_until: datetime
    features: dict[int, list[str]] = field(default_factory=dict)
    regressors: dict[tuple[str, int], HistGradientBoostingRegressor] = field(default_factory=dict)
    band: dict[tuple[str, int], tuple[float, float]] = field(default_factory=dict)
    scores: dict[str, dict[str, float]] = field(default_factory=dict)
    climatology: pl.DataFrame = field(default_factory=pl.DataFrame)


def _issue_days(wide: pl.DataFrame, last: date) -> pl.DataFrame:
    days = wide.select(
        pl.col("station").cast(pl.String), (pl.col("time") - timedelta(hours=1)).dt.date()
    ).unique()
    return days.rename({"time": "issue_day"}).filter(pl.col("issue_day") <= last).sort("*")


def _matrix(frame: pl.DataFrame, names: list[str]) -> np.ndarray:
    return frame.select(pl.col(n).cast(pl.Float64) for n in names).to_numpy()


def _regressor(
    station_index: int, parameters: Mapping[str, float]
) -> HistGradientBoostingRegressor:
    return HistGradientBoostingRegressor(
        categorical_features=[station_index], random_state=0, **parameters
    )


def train(
    wide: pl.DataFrame,
    met: pl.DataFrame,
    until: datetime,
    issue_hour: int,
    parameters: Mapping[str, float] = PARAMETERS,
) -> ForecastModel:
    """Train on the history up to ``until`` (stamps after it are dropped before anything else);
    ``parameters``: the regressors' hyperparameters (:data:`PARAMETERS`; other values only to
    choose among them on earlier data)."""
    wide = wide.filter(pl.col("time") <= until)
    met = met.filter(pl.col("time") <= until)
    observed = observed_daily(wide)
    ended = observed.filter(pl.col("date") < (until - timedelta(hours=1)).date())
    stations = sorted(wide["station"].cast(pl.String).unique().to_list())
    climatology = daily_climatology(ended, until.date())
    last_issue = until.date() if until.hour >= issue_hour else until.date() - timedelta(days=1)
    issue_days = _issue_days(wide, last_issue)
    base = case_features(wide, met, issue_days, issue_hour)
    days_met = met_daily(met)
    model = ForecastModel(
        issue_hour=issue_hour,
        stations=stations,
        train_from=issue_days["issue_day"].cast(pl.Date).min() or until.date(),  # type: ignore[arg-type]
        trained_until=until,
        climatology=climatology,
    )
    holdout_from = last_issue - timedelta(days=VALIDATION_DAYS)
    for lead in LEAD_DAYS:
        frame = (
            target_features(base, days_met, climatology, stations, lead)
            .join(ended.rename({t: f"y_{t}" for t in DAILY_TARGETS}), on=["station", "date"])
            .sort("station", "issue_day")
        )  # a fit depends on row order: fix it
        # a variable the history never holds (e.g. HUMI without a met file) is no feature
        names = [
            c
            for c in frame.columns
            if c not in _KEYS and not c.startswith("y_") and frame[c].null_count() < frame.height
        ]
        model.features[lead] = names
        station_index = names.index("station_index")
        for target in DAILY_TARGETS:
            rows = frame.filter(pl.col(f"y_{target}").is_not_null())
            if rows.height < MIN_CASES:
                continue
            y = np.log1p(rows[f"y_{target}"].to_numpy())
            x = _matrix(rows, names)
            early = (rows["issue_day"] < holdout_from).to_numpy()
            if early.sum() < MIN_CASES or (~early).sum() == 0:
                continue
            with threadpool_limits(1):
                fitted = _regressor(station_index, parameters).fit(x[early], y[early])
            residual = y[~early] - fitted.predict(x[~early])
            low, high = np.quantile(residual, BAND_QUANTILES)
            model.band[(target, lead)] = (float(low), float(high))
            error = np.expm1(fitted.predict(x[~early])) - np.expm1(y[~early])
            model.scores[f"{target}/{lead}"] = {
                "mae": float(np.abs(error).mean()),
                "bias": float(error.mean()),
                "cases": float((~early).sum()),
            }
            model.regressors[(target, lead)] = fitted
    return model


def predict(
    model: ForecastModel, wide: pl.DataFrame, met: pl.DataFrame, issue_days: pl.DataFrame
) -> pl.DataFrame:
    """Daily forecasts of the (``station``, ``issue_day``) cases of ``issue_days``.

    Each case's features use only the stamps ≤ its issue time; ``met`` rows after it are its
    weather forecast. Returns ``station``, ``issued`` (Datetime), ``lead_day``, ``date``,
    ``pollutant`` (a :data:`DAILY_TARGETS` code), ``value``, ``lower``, ``upper`` [µg/m³; CO
    mg/m³].
    """
    base = case_features(wide, met, issue_days, model.issue_hour)
    days_met = met_daily(met)
    parts = []
    for lead in LEAD_DAYS:
        frame = target_features(base, days_met, model.climatology, model.stations, lead)
        if lead not in model.features:
            continue
        x = _matrix(frame, model.features[lead])
        for target in DAILY_TARGETS:
            regressor = model.regressors.get((target, lead))
            if regressor is None:
                continue
            centre = regressor.predict(x)
            low, high = model.band.get((target, lead), (0.0, 0.0))
            parts.append(
                frame.select(
                    "station",
                    (
                        pl.col("issue_day").cast(pl.Datetime("us"))
                        + timedelta(hours=model.issue_hour)
                    ).alias("issued"),
                    pl.lit(lead, dtype=pl.Int8).alias("lead_day"),
                    "date",
                    pl.lit(target).alias("pollutant"),
                    pl.Series("value", np.expm1(centre)),
                    pl.Series("lower", np.expm1(centre + low)),
                    pl.Series("upper", np.expm1(centre + high)),
                )
            )
    if not parts:
        return pl.DataFrame(
            schema={
                "station": pl.String,
                "issued": pl.Datetime("us"),
                "lead_day": pl.Int8,
                "date": pl.Date,
                "pollutant": pl.String,
                "value": pl.Float64,
                "lower": pl.Float64,
                "upper": pl.Float64,
            }
        )
    return pl.concat(parts).with_columns(
        pl.col(c).clip(lower_bound=0.0) for c in ("value", "lower", "upper")
    )
