"""The forecast engine on constructed series: no look-ahead, baselines, scores."""

from __future__ import annotations

import math
from datetime import date, datetime, timedelta

import polars as pl
import pytest

from ecogov.engine import forecast as fc
from ecogov.engine.air_schema import POLLUTANTS

ISSUE_HOUR = 16


def _series(days: int, stations: tuple[str, ...] = ("A", "B")) -> pl.DataFrame:
    """Hourly wide frame from 2020-01-01 01:00 with a daily cycle and a slow weekly wave."""
    rows = []
    start = datetime(2020, 1, 1, 1)
    for s, station in enumerate(stations):
        for h in range(days * 24):
            t = start + timedelta(hours=h)
            wave = 1 + 0.5 * math.sin(2 * math.pi * h / (24 * 7) + s)
            cycle = 1 + 0.3 * math.sin(2 * math.pi * t.hour / 24)
            rows.append(
                {
                    "station": station,
                    "time": t,
                    "SO2": round(10 * wave, 3),
                    "NO2": round(40 * wave * cycle, 3),
                    "CO": round(0.8 * wave, 3),
                    "O3": round(60 * (2 - wave) * cycle, 3),
                    "PM10": round(90 * wave, 3),
                    "PM2.5": round(60 * wave * cycle, 3),
                }
            )
    return pl.DataFrame(rows).with_columns(pl.col("time").cast(pl.Datetime("us")))


def _met(wide: pl.DataFrame) -> pl.DataFrame:
    long = wide.select(
        pl.lit("city").alias("station"),
        "time",
        pl.lit("WSPM").alias("variable"),
        (pl.col("PM2.5") / 30).alias("value"),
    ).unique(["time"])
    return fc.met_wide(long, ["A", "B"])


def test_forecast_does_not_change_when_the_history_after_the_issue_is_cut() -> None:
    wide = _series(140)
    met = _met(wide)
    issued = datetime(2020, 5, 1, ISSUE_HOUR)
    model = fc.train(wide, met, issued, ISSUE_HOUR)
    cut = fc.train(wide.filter(pl.col("time") <= issued), met, issued, ISSUE_HOUR)
    cases = pl.DataFrame({"station": ["A", "B"], "issue_day": [issued.date()] * 2})
    full = fc.predict(model, wide, met, cases)
    truncated = fc.predict(cut, wide.filter(pl.col("time") <= issued), met, cases)
    assert full.height == 2 * 3 * len(fc.DAILY_TARGETS)
    assert full.equals(truncated)


def test_persistence_is_the_24_hours_ending_at_the_issue() -> None:
    wide = _series(10)
    cases = pl.DataFrame(
        {"station": ["A"], "issued": [datetime(2020, 1, 5, ISSUE_HOUR)], "lead_day": [2]}
    )
    got = fc.persistence_daily(wide, cases, ISSUE_HOUR)
    window = wide.filter(
        (pl.col("station") == "A")
        & (pl.col("time") > datetime(2020, 1, 4, ISSUE_HOUR))
        & (pl.col("time") <= datetime(2020, 1, 5, ISSUE_HOUR))
    )
    assert window.height == 24
    assert got["date"][0] == date(2020, 1, 7)
    assert got["PM2.5"][0] == pytest.approx(window["PM2.5"].mean(), abs=1e-6)
    assert got["O3_1H"][0] == pytest.approx(window["O3"].max(), abs=1e-6)


def test_climatology_is_the_station_month_hour_mean_before_the_cut_off() -> None:
    times = [datetime(2020, 1, 1, 1) + timedelta(hours=h) for h in range(24 * 62)]
    # January: PM2.5 = hour of day; February: 1000 (after the cut-off, must not count)
    values = [float(t.hour) if (t - timedelta(hours=1)).month == 1 else 1000.0 for t in times]
    wide = pl.DataFrame({"station": "A", "time": times, "PM2.5": values}).with_columns(
        pl.lit(None, dtype=pl.Float64).alias(p) for p in POLLUTANTS if p != "PM2.5"
    )
    wide = wide.with_columns(pl.col("time").cast(pl.Datetime("us")))
    cases = pl.DataFrame({"station": ["A"], "issued": [datetime(2020, 2, 10, 16)], "lead_day": [1]})
    got = fc.climatology_daily(wide, cases, date(2020, 2, 1))
    # the January hourly climatology read for a January day (the cut-off predates Feb data)
    clim = fc.hourly_climatology(wide, datetime(2020, 2, 1, 1))
    assert clim.filter(pl.col("month") == 2).is_empty()
    assert sorted(clim["PM2.5"].to_list()) == [float(h) for h in range(24)]
    # February target: no February climatology before the cut-off
    assert got["PM2.5"][0] is None
    january = fc.climatology_daily(
        wide,
        pl.DataFrame({"station": ["A"], "issued": [datetime(2020, 1, 20, 16)], "lead_day": [1]}),
        date(2020, 2, 1),
    )
    assert january["PM2.5"][0] == pytest.approx(sum(range(24)) / 24)


def _case(level_values: dict[str, float], lead: int = 1) -> dict[str, object]:
    return {
        "issued": datetime(2020, 1, 1, 16),
        "station": "A",
        "lead_day": lead,
        "date": date(2020, 1, 1 + lead),
        **level_values,
    }


def test_level_and_primary_accuracy_on_hand_made_cases() -> None:
    # observed: day 2 PM2.5 80 (AQI 106, level 3, PM2.5); day 3 PM2.5 20 (AQI ≤ 50, no primary)
    observed = fc.with_aqi(
        pl.DataFrame(
            {
                "station": ["A", "A"],
                "date": [date(2020, 1, 2), date(2020, 1, 3)],
                "PM2.5": [80.0, 20.0],
            }
        )
    )
    assert observed["level"].to_list() == [3, 1]
    assert observed["primary"].to_list() == ["PM2.5", ""]
    right = fc.with_aqi(pl.DataFrame([_case({"PM2.5": 90.0}), _case({"PM2.5": 10.0}, 2)]))
    # PM10 360 → IAQI 205, level 5; PM2.5 still forecast but not primary
    wrong = fc.with_aqi(
        pl.DataFrame(
            [_case({"PM2.5": 30.0, "PM10": 360.0}), _case({"PM2.5": 60.0, "PM10": 0.0}, 2)]
        )
    )
    table = fc.scores({"forecast": right, "other": wrong}, observed)
    rows = {(r["model"], r["lead_day"]): r for r in table.to_dicts()}
    assert rows[("forecast", 1)]["level_accuracy"] == 1.0
    assert rows[("forecast", 1)]["primary_accuracy"] == 1.0
    assert rows[("forecast", 2)]["level_accuracy"] == 1.0
    assert rows[("forecast", 2)]["primary_cases"] == 0
    assert rows[("other", 1)]["level_accuracy"] == 0.0
    assert rows[("other", 1)]["primary_accuracy"] == 0.0
    assert rows[("other", 2)]["level_accuracy"] == 0.0
    assert rows[("forecast", 1)]["mae_PM2.5"] == pytest.approx(10.0)
    assert rows[("other", 1)]["bias_PM2.5"] == pytest.approx(-50.0)


def test_backtest_issues_every_day_and_station() -> None:
    wide = _series(100)
    daily = fc.backtest(wide, _met(wide), date(2020, 3, 30), date(2020, 4, 2), ISSUE_HOUR)
    assert daily.height == 2 * 4 * 3
    assert daily["aqi"].null_count() == 0
    assert set(daily["lead_day"].to_list()) == {1, 2, 3}


def test_persistence_level_is_the_issue_block_scored_against_the_next_calendar_day() -> None:
    # PM2.5 only: 200 µg/m³ (level 5) from each day's 17:00 to 24:00, 20 µg/m³ (level 1) else —
    # a calendar day (01:00 … 24:00) and the block ending at 16:00 both average 80 (level 3),
    # so persistence hits every scored case. Day 2020-01-06 loses 5 hours before its
    # issue: its block has 19 valid hours, no valid 24-hour mean, no level — never a level of
    # the hours left.
    times = [datetime(2020, 1, 1, 1) + timedelta(hours=h) for h in range(24 * 10)]
    values = [200.0 if t.hour > ISSUE_HOUR or t.hour == 0 else 20.0 for t in times]
    gap = {datetime(2020, 1, 6, h) for h in range(10, 15)}
    wide = pl.DataFrame(
        {
            "station": "A",
            "time": times,
            "PM2.5": [None if t in gap else v for t, v in zip(times, values, strict=True)],
        }
    ).with_columns(
        pl.col("time").cast(pl.Datetime("us")),
        *(pl.lit(None, dtype=pl.Float64).alias(p) for p in POLLUTANTS if p != "PM2.5"),
    )
    issued = [datetime(2020, 1, d, ISSUE_HOUR) for d in range(2, 8)]
    cases = pl.DataFrame({"station": "A", "issued": issued, "lead_day": 1})
    persistence = fc.with_aqi(fc.persistence_daily(wide, cases, ISSUE_HOUR))
    assert persistence["PM2.5"].to_list()[:4] == pytest.approx([80.0] * 4)
    assert persistence["level"].to_list() == [3, 3, 3, 3, None, 3]
    observed = fc.with_aqi(fc.observed_daily(wide))
    # the gap's calendar day (2020-01-06, 19 valid hours) has no observed level either
    assert observed.filter(pl.col("date") == date(2020, 1, 6))["level"][0] is None
    table = fc.scores({"persistence": persistence}, observed)
    # issue days 2, 3, 4, 7 (targets 3, 4, 5, 8); issue day 5 targets the gap day, 6 has no block
    assert table["cases"].to_list() == [4]
    assert table["level_accuracy"].to_list() == [1.0]


def test_train_fits_with_the_hyperparameters_given() -> None:
    wide = _series(100)
    met = _met(wide)
    issued = datetime(2020, 4, 5, ISSUE_HOUR)
    chosen = fc.train(wide, met, issued, ISSUE_HOUR)
    other = {**fc.PARAMETERS, "max_iter": 5, "max_leaf_nodes": 7, "min_samples_leaf": 5}
    small = fc.train(wide, met, issued, ISSUE_HOUR, other)
    key = ("PM2.5", 1)
    assert chosen.regressors[key].get_params()["max_leaf_nodes"] == fc.PARAMETERS["max_leaf_nodes"]
    assert small.regressors[key].get_params()["max_iter"] == 5
    assert small.regressors[key].get_params()["random_state"] == 0
    assert small.scores["PM2.5/1"] != chosen.scores["PM2.5/1"]
