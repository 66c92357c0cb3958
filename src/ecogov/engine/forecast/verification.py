"""Forecast verification as forecast centres report it (HJ 1130-2020 Ch. 6 metrics), for the
forecast and the baselines on the same cases.

* **Level accuracy** (等级准确率) — share of cases whose forecast HJ 633 level equals the
  observed level of the day.
* **Primary-pollutant accuracy** (首要污染物准确率) — over the cases whose observed day has a
  primary pollutant (AQI > 50): share whose forecast primary pollutants include one of the
  observed ones (O3 1-hour and 8-hour count as the same pollutant); a forecast AQI ≤ 50 names
  none and misses.
* **Daily concentrations** — per pollutant: MAE, bias (mean F − O), NMB = Σ(F−O)/ΣO,
  NME = Σ|F−O|/ΣO, RMSE and Pearson R.

A case (``issued``, ``station``, ``lead_day``) counts only when every compared forecast and the
observation have an AQI; a pollutant's concentration scores use the cases where all have it.
"""

from __future__ import annotations

import polars as pl

from ecogov.engine.forecast.daily import DAILY_TARGETS, aqi_of_daily

__all__ = ["CASE_KEYS", "scores", "with_aqi"]

CASE_KEYS: tuple[str, ...] = ("issued", "station", "lead_day", "date")


def with_aqi(daily: pl.DataFrame) -> pl.DataFrame:
    """``daily`` (case keys + :data:`DAILY_TARGETS` columns) with its ``aqi``, ``level`` and
    ``primary`` (HJ 633 daily AQI of the values)."""
    keys = [k for k in CASE_KEYS if k in daily.columns]
    return daily.join(aqi_of_daily(daily, keys), on=keys, how="left")


def _pollutant_set(column: str) -> pl.Expr:
    return (
        pl.col(column)
        .fill_null("")
        .str.replace_all("O3_8H", "O3")
        .str.replace_all("O3_1H", "O3")
        .str.split(";")
        .list.eval(pl.element().filter(pl.element() != ""))
    )


def scores(
    forecasts: dict[str, pl.DataFrame],
    observed: pl.DataFrame,
    by: tuple[str, ...] = (),
) -> pl.DataFrame:
    """Scores of each named forecast (``{"forecast": …, "persistence": …}``) per ``lead_day``
    and the ``by`` keys (``station``, ``month``).

    Each forecast frame: :data:`CASE_KEYS`, the :data:`DAILY_TARGETS` it holds, ``aqi``,
    ``level``, ``primary``. ``observed``: ``station``, ``date``, the targets, ``aqi``, ``level``,
    ``primary``. Returns one row per model, lead day and group: ``model``, ``lead_day``, the
    ``by`` keys, ``cases``, ``level_accuracy``, ``primary_cases``, ``primary_accuracy`` (shares
    0-1) and per pollutant ``mae_<p>``, ``bias_<p>``, ``nmb_<p>``, ``nme_<p>``, ``rmse_<p>``,
    ``r_<p>``.
    """
    keys = list(CASE_KEYS)
    common = None
    for frame in forecasts.values():
        cases = frame.filter(pl.col("aqi").is_not_null()).select(keys)
        common = cases if common is None else common.join(cases, on=keys)
    assert common is not None
    truth = observed.filter(pl.col("aqi").is_not_null()).rename(
        {c: f"o_{c}" for c in observed.columns if c not in ("station", "date")}
    )
    common = common.join(truth.select("station", "date"), on=["station", "date"])
    pollutants = [t for t in DAILY_TARGETS if all(t in f.columns for f in forecasts.values())]
    groups = ["lead_day", *by]
    parts = []
    for name, frame in forecasts.items():
        joined = (
            common.join(frame, on=keys, how="left")
            .join(truth, on=["station", "date"], how="left")
            .with_columns(pl.col("date").dt.strftime("%Y-%m").alias("month"))
        )
        hit = _pollutant_set("primary").list.set_intersection(_pollutant_set("o_primary"))
        observed_primary = _pollutant_set("o_primary").list.len() > 0
        aggregates: list[pl.Expr] = [
            pl.len().alias("cases"),
            (pl.col("level") == pl.col("o_level")).mean().alias("level_accuracy"),
            observed_primary.sum().alias("primary_cases"),
            (hit.list.len() > 0).filter(observed_primary).mean().alias("primary_accuracy"),
        ]
        for p in pollutants:
            both = pl.col(p).is_not_null() & pl.col(f"o_{p}").is_not_null()
            f, o = pl.col(p).filter(both), pl.col(f"o_{p}").filter(both)
            error = f - o
            aggregates += [
                error.abs().mean().alias(f"mae_{p}"),
                error.mean().alias(f"bias_{p}"),
                (error.sum() / o.sum()).alias(f"nmb_{p}"),
                (error.abs().sum() / o.sum()).alias(f"nme_{p}"),
                (error.pow(2).mean().sqrt()).alias(f"rmse_{p}"),
                pl.corr(f, o).alias(f"r_{p}"),
            ]
        parts.append(
            joined.group_by(groups).agg(aggregates).with_columns(pl.lit(name).alias("model"))
        )
    table = pl.concat(parts, how="diagonal_relaxed")
    order = list(forecasts)
    return table.select("model", *groups, pl.exclude("model", *groups)).sort(
        pl.col("model").replace_strict(order, list(range(len(order)))), *groups
    )
