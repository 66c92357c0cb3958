"""Real-time (hourly) AQI of the engine against the scalar HJ 633 and VECTORS.md §1-§2."""

from __future__ import annotations

from datetime import datetime, timedelta
from fractions import Fraction
from typing import Any

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ecogov.engine.air import EngineInputError, hourly_aqi, o3_8h_moving_iaqi
from ecogov.standards.editions import Edition, edition_for
from ecogov.standards.gb3095 import Indicator
from ecogov.standards.hj633 import HourlyObservation
from ecogov.standards.hj633 import hourly_aqi as scalar_hourly_aqi
from ecogov.standards.hj663 import daily_mean

POLLUTANTS = ("SO2", "NO2", "CO", "O3", "PM10", "PM2.5")
FIELDS = dict(zip(POLLUTANTS, ("so2", "no2", "co", "o3", "pm10", "pm2_5"), strict=True))
T0 = datetime(2025, 6, 1, 15)
SCORED = (
    Indicator.SO2,
    Indicator.NO2,
    Indicator.CO,
    Indicator.O3_1H,
    Indicator.PM10,
    Indicator.PM2_5,
)


SCHEMA = pl.Schema(
    {"station": pl.String(), "time": pl.Datetime("us"), **dict.fromkeys(POLLUTANTS, pl.Float64())}
)


def frame(rows: list[dict[str, Any]]) -> pl.DataFrame:
    """A wide hourly frame; ``rows`` give station, time and some pollutants."""
    data = [{name: row.get(name) for name in SCHEMA} for row in rows]
    return pl.DataFrame(data, schema=SCHEMA)


def one_hour(edition: Edition = Edition.E2026, **values: float | None) -> dict[str, Any]:
    """The report row of a single station-hour given by HourlyObservation field names."""
    row = {p: values.get(f) for p, f in FIELDS.items()} | {"station": "A", "time": T0}
    return hourly_aqi(frame([row]), edition).row(0, named=True)


def scalar_row(
    row: dict[str, Any], edition: Edition, so2_24h: Fraction | None = None
) -> dict[str, Any]:
    """The scalar report of one wide row, in the engine's column vocabulary."""
    fields = {f: row[p] for p, f in FIELDS.items()}
    report = scalar_hourly_aqi(HourlyObservation(**fields, so2_24h_moving=so2_24h), edition)
    return {
        "aqi": report.aqi,
        "level": None if report.level is None else report.level.number,
        "category": None if report.level is None else report.level.category_zh,
        "colour": None if report.level is None else report.level.hex,
        "primary_pollutants": None
        if report.aqi is None
        else ";".join(i.value for i in report.primary_pollutants),
        "exceeding_pollutants": None
        if report.exceeding_pollutants is None or report.aqi is None
        else ";".join(i.value for i in report.exceeding_pollutants),
        "complete": not report.missing,
        "publishable": report.publishable,
        **{f"iaqi_{ind.value}": report.iaqi.get(ind) for ind in SCORED},
    }


def so2_24h_moving(rows: list[dict[str, Any]], index: int) -> Fraction | None:
    """The SO2 mean of the 24 stamps ending at ``rows[index]`` (consecutive hours), ≥ 20 values."""
    window = [row["SO2"] for row in rows[max(index - 23, 0) : index + 1]]
    return daily_mean(window, Indicator.SO2)


# --- property: every field equals the scalar report ---------------------------------------------

value = st.none() | st.decimals(min_value=0, max_value=900, places=2).map(float)
hours = st.fixed_dictionaries(dict.fromkeys(POLLUTANTS, value)).map(
    lambda row: row | {"CO": None if row["CO"] is None else round(row["CO"] / 10, 3)}
)


@settings(max_examples=60, deadline=None)
@given(st.lists(hours, min_size=1, max_size=30), st.sampled_from([*Edition, "auto"]))
def test_hourly_report_equals_the_scalar_report(rows: list[dict[str, Any]], pinned: Any) -> None:
    # Rows straddle 2026-03-01 so that "auto" applies both editions.
    start = datetime(2026, 3, 1) - timedelta(hours=len(rows) // 2)
    stamped = [
        row | {"station": "A", "time": start + timedelta(hours=i)} for i, row in enumerate(rows)
    ]
    report = hourly_aqi(frame(stamped), pinned)
    for index, (row, got) in enumerate(zip(stamped, report.iter_rows(named=True), strict=True)):
        edition = edition_for(row["time"], hour_ending=True) if pinned == "auto" else pinned
        assert got["edition"] == edition.value
        expected = scalar_row(row, edition, so2_24h_moving(stamped, index))
        assert {key: got[key] for key in expected} == expected


def test_edition_switches_at_the_first_hour_of_2026_03_01() -> None:
    rows = [{"station": "A", "time": datetime(2026, 3, 1, h), "PM2.5": 75.0} for h in (0, 1)]
    report = hourly_aqi(frame(rows), "auto")
    # 00:00 closes 2026-02-28 (HJ 633-2012: PM2.5 75 → 100); 01:00 is 2026 (75 → 114).
    assert report.select("edition", "aqi").rows() == [("2012", 100), ("2026", 114)]


def test_aware_times_are_read_as_beijing_time() -> None:
    utc = pl.datetime(2026, 2, 28, 17, time_zone="UTC")  # 2026-03-01 01:00 Beijing
    rows = frame([{"station": "A", "time": T0, "PM2.5": 75.0}]).with_columns(time=utc)
    report = hourly_aqi(rows, "auto")
    assert report.row(0, named=True)["time"] == datetime(2026, 3, 1, 1)
    assert report.row(0, named=True)["aqi"] == 114


# --- VECTORS.md §1.1-§1.2 (cal_aqi_cn / AQI class, hourly) and §2 --------------------------------

AT_50 = {"pm2_5": 35, "pm10": 50, "so2": 150, "no2": 100, "co": 5, "o3": 160}


@pytest.mark.parametrize("edition", list(Edition))
def test_every_iaqi_at_50(edition: Edition) -> None:
    row = one_hour(edition, **AT_50)
    assert row["aqi"] == 50
    assert {row[f"iaqi_{i.value}"] for i in SCORED} == {50}
    assert (row["level"], row["category"], row["primary_pollutants"]) == (1, "优", "")


@pytest.mark.parametrize("edition", list(Edition))
def test_aqi_300(edition: Edition) -> None:
    row = one_hour(edition, pm2_5=250, pm10=350, so2=650, no2=700, co=35, o3=300)
    iaqis = [row[f"iaqi_{i.value}"] for i in SCORED]
    assert (row["aqi"], iaqis, row["primary_pollutants"]) == (
        300,
        [150, 150, 150, 150, 200, 300],
        "PM2.5",
    )
    assert (row["level"], row["category"], row["colour"]) == (5, "重度污染", "#99004C")


def test_so2_801_in_2026_with_o3_missing() -> None:
    row = one_hour(Edition.E2026, **(AT_50 | {"so2": 801, "o3": None}))
    assert (row["aqi"], row["iaqi_SO2"], row["iaqi_O3_1H"]) == (200, 200, None)
    assert (row["complete"], row["publishable"]) == (False, True)  # HJ 633-2026 §5.3.1


@pytest.mark.parametrize(
    ("edition", "aqi", "level", "primary"),
    [
        (Edition.E2026, 114, 3, "PM2.5"),
        (Edition.E2012, 100, 2, "SO2;NO2;CO;O3_1H;PM10;PM2.5"),  # six-way tie
    ],
)
def test_aqi_class_vector(edition: Edition, aqi: int, level: int, primary: str) -> None:
    row = one_hour(edition, pm2_5=75, pm10=150, so2=500, no2=200, co=10, o3=200)
    assert (row["aqi"], row["level"], row["primary_pollutants"]) == (aqi, level, primary)
    # 2012: every IAQI is exactly 100, so none exceeds; 2026 has no exceeding pollutants.
    assert row["exceeding_pollutants"] == ("" if edition is Edition.E2012 else None)


@pytest.mark.parametrize("edition", list(Edition))
def test_primary_pollutant_vectors_section_2(edition: Edition) -> None:
    tiny = one_hour(edition, pm2_5=1, pm10=1, so2=1, no2=1, co=0.1, o3=1)
    assert tiny["aqi"] < 50
    assert tiny["primary_pollutants"] == ""
    top = one_hour(edition, pm2_5=500, pm10=600, so2=2620, no2=3840, co=150, o3=1200)
    assert (top["aqi"], top["primary_pollutants"]) == (500, "NO2;CO;O3_1H;PM10;PM2.5")


def test_missing_pollutants_and_the_2026_publication_rule() -> None:
    low = one_hour(Edition.E2026, pm2_5=60, pm10=50)
    assert (low["aqi"], low["complete"], low["publishable"]) == (100, False, False)
    assert one_hour(Edition.E2026, pm2_5=61)["publishable"]
    assert one_hour(Edition.E2012, pm2_5=60)["publishable"]
    empty = one_hour(Edition.E2026)
    assert (empty["aqi"], empty["level"], empty["primary_pollutants"]) == (None, None, None)


# --- > 800 µg/m³: HJ 633-2012 note 2 (24-hour moving average) and HJ 633-2026 note b --------------


def _so2_day(last: float, hours: int) -> pl.DataFrame:
    """``hours`` hourly SO2 values of 300 ending in ``last`` (other pollutants missing)."""
    start = T0 - timedelta(hours=hours - 1)
    values = [300.0] * (hours - 1) + [last]
    return frame(
        [
            {"station": "A", "time": start + timedelta(hours=i), "SO2": v}
            for i, v in enumerate(values)
        ]
    )


def test_2012_so2_above_800_uses_the_24_hour_moving_average() -> None:
    report = hourly_aqi(_so2_day(900, 24), Edition.E2012)
    # 24-hour moving mean (23·300 + 900)/24 = 325 µg/m³ on the SO2 24-hour column:
    # 100 + 50·(325 − 150)/(475 − 150) = 126.9 → 127.
    assert report["iaqi_SO2"][-1] == 127
    assert report["iaqi_SO2"][0] == 72  # 300 on the 1-hour column: 50 + 50·150/350 → 72
    short = hourly_aqi(_so2_day(900, 19), Edition.E2012)  # 19 hours: no valid 24-hour average
    assert short["iaqi_SO2"][-1] is None
    assert short["aqi"][-1] is None


def test_2026_so2_above_800_is_200() -> None:
    assert hourly_aqi(_so2_day(900, 3), Edition.E2026)["iaqi_SO2"][-1] == 200


# --- O3 8-hour moving average (informational) --------------------------------------------------


def test_o3_8h_moving_average_needs_6_of_8_hours() -> None:
    values = [100.0, 110.0, None, 130.0, 140.0, 150.0, 160.0, 170.0, 180.0]
    rows = [
        {"station": "A", "time": T0 + timedelta(hours=i), "O3": v} for i, v in enumerate(values)
    ]
    rows.pop(4)  # an hour absent from the data counts as missing too
    moving = o3_8h_moving_iaqi(frame(rows), Edition.E2012)
    last = moving.row(-1, named=True)  # window 02:00-09:00 after T0: 6 valid of 8
    assert last["O3_8H_n_valid"] == 6
    assert last["O3_8H"] == pytest.approx((130 + 150 + 160 + 170 + 180 + 110) / 6)
    assert moving["iaqi_O3_8H"].to_list()[:-2] == [None] * (len(rows) - 2)


# --- input checks --------------------------------------------------------------------------------


@pytest.mark.parametrize("bad", [-1.0, float("nan"), float("inf"), 2e6])
def test_out_of_range_values_are_rejected(bad: float) -> None:
    rows = frame([{"station": "A", "time": T0, "PM2.5": bad}])
    with pytest.raises(EngineInputError, match=r"station A at 2025-06-01 15:00:00: PM2\.5 value"):
        hourly_aqi(rows)


def test_missing_columns_are_rejected() -> None:
    with pytest.raises(EngineInputError, match="lacks the column"):
        hourly_aqi(frame([]).drop("O3"))
