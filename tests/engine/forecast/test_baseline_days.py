"""The hours the baselines read (``baseline_days``): persistence and climatology computed on
those hours alone equal the same functions on every hour of the history, for random histories
with gaps, issue days and history starts; observed days are the same floats from hours or from
stored exact values."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import date, datetime, timedelta

import numpy as np
import polars as pl
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from ecogov.engine import forecast as fc
from ecogov.engine.air import daily_values
from ecogov.engine.air_schema import POLLUTANTS

ISSUE_HOUR = 16
START = datetime(2023, 12, 1, 1)
DAYS = 460
"""The constructed history: 2023-12-01 01:00 for 460 days (to 2025-03-05)."""
SCALES = {"SO2": 10.0, "NO2": 40.0, "CO": 0.8, "O3": 60.0, "PM10": 90.0, "PM2.5": 60.0}


def _history(seed: int, stations: tuple[str, ...] = ("A", "B")) -> pl.DataFrame:
    """A wide hourly frame of random concentrations (3 decimals) with about 10 % of the hours
    missing and a few whole days absent."""
    rng = np.random.default_rng(seed)
    hours = DAYS * 24
    times = [START + timedelta(hours=h) for h in range(hours)]
    parts = []
    for station in stations:
        values = {
            p: np.round(scale * rng.gamma(4.0, 0.25, hours), 3) for p, scale in SCALES.items()
        }
        frame = pl.DataFrame({"station": [station] * hours, "time": times} | values)
        keep = rng.random(hours) > 0.1
        parts.append(
            frame.with_columns(
                pl.when(pl.Series(keep)).then(pl.col(p)).otherwise(None).alias(p)
                for p in POLLUTANTS
            )
        )
    wide = pl.concat(parts).with_columns(pl.col("time").cast(pl.Datetime("us")))
    absent = {START.date() + timedelta(days=int(d)) for d in rng.integers(0, DAYS, 8)}
    return wide.filter(~(pl.col("time") - timedelta(hours=1)).dt.date().is_in(sorted(absent)))


def _day(time: str = "time") -> pl.Expr:
    return (pl.col(time) - timedelta(hours=1)).dt.date()


def _subset(wide: pl.DataFrame, ranges: list[tuple[date, date]]) -> pl.DataFrame:
    parts = [wide.filter(_day().is_between(first, last)) for first, last in ranges]
    return pl.concat(parts).sort("station", "time")


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 2**16),
    issue_offsets=st.lists(st.integers(400, DAYS - 4), min_size=1, max_size=4, unique=True),
    since_offset=st.integers(0, 60),
)
def test_the_baselines_on_the_hours_they_need_equal_them_on_every_hour(
    seed: int, issue_offsets: list[int], since_offset: int
) -> None:
    wide = _history(seed)
    since = START.date() + timedelta(days=since_offset)
    full = wide.filter(_day() >= since)
    issued = [
        datetime.combine(START.date() + timedelta(days=o), datetime.min.time())
        + timedelta(hours=ISSUE_HOUR)
        for o in issue_offsets
    ]
    cases = pl.DataFrame(
        [
            {"station": s, "issued": at, "lead_day": lead}
            for s in ("A", "B")
            for at in issued
            for lead in (1, 2, 3)
        ],
        schema={"station": pl.String, "issued": pl.Datetime("us"), "lead_day": pl.Int8},
    )
    ranges = fc.baseline_days(cases, since)
    assert ranges == sorted(ranges)
    assert all(a[1] + timedelta(days=1) < b[0] for a, b in itertools.pairwise(ranges))
    needed = _subset(full, ranges)
    assert needed.height < full.height
    computations: tuple[Callable[[pl.DataFrame], pl.DataFrame], ...] = (
        lambda hours: fc.persistence_daily(hours, cases, ISSUE_HOUR),
        lambda hours: fc.climatology_daily(hours, cases),
    )
    compared = False
    for compute in computations:
        expected = compute(full).sort("station", "issued", "lead_day")
        got = compute(needed).sort("station", "issued", "lead_day")
        assert got.equals(expected, null_equal=True)
        compared = compared or expected["PM2.5"].is_not_null().any()
    targets = fc.baseline_days(cases, since, targets=True)
    target_days = cases.select(
        (pl.col("issued").dt.date() + pl.duration(days=pl.col("lead_day"))).alias("date")
    )["date"].implode()
    covered = _subset(full, targets)
    observed = fc.observed_of_days(daily_values(covered)).filter(pl.col("date").is_in(target_days))
    everything = fc.observed_of_days(daily_values(full)).filter(pl.col("date").is_in(target_days))
    assert observed.equals(everything, null_equal=True)
    # a history whose issue days fall on absent days may have no baseline to compare (seed
    # 43808, issue day 407: persistence all null): such an example does not count
    assume(compared)


def test_observed_days_are_the_correctly_rounded_ratio_whatever_the_source() -> None:
    wide = _history(7).filter(pl.col("station") == "A").head(24 * 40)
    days = daily_values(wide)
    # the stored days travel as plain columns, as read from the database
    stored = pl.DataFrame({name: days[name].to_list() for name in days.columns}, schema=days.schema)
    from_hours = fc.observed_of_days(days)
    from_stored = fc.observed_of_days(stored)
    assert from_hours.equals(from_stored, null_equal=True)
    for name in fc.DAILY_TARGETS:
        num, den = days[f"{name}_num"].to_list(), days[f"{name}_den"].to_list()
        ratios = [None if n is None or d is None else n / d for n, d in zip(num, den, strict=True)]
        assert from_hours[name].to_list() == ratios, name
