"""Daily values, validity, city means and daily AQI against the scalar HJ 663 / HJ 633."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from fractions import Fraction
from typing import Any

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ecogov.engine.air import (
    DAILY_INDICATORS,
    EngineInputError,
    city_daily_values,
    complete_days,
    daily_aqi,
    daily_values,
)
from ecogov.standards.editions import Edition, edition_for, limit_stage_for
from ecogov.standards.gb3095 import Indicator, ZoneClass
from ecogov.standards.hj633 import DailyObservation
from ecogov.standards.hj633 import daily_aqi as scalar_daily_aqi
from ecogov.standards.hj663 import daily_max_8h, daily_mean
from tests.engine.test_air_hourly import POLLUTANTS, frame

Ind = Indicator
DAY = date(2025, 7, 1)
MEANS = {Ind.SO2: "SO2", Ind.NO2: "NO2", Ind.CO: "CO", Ind.PM10: "PM10", Ind.PM2_5: "PM2.5"}


def stamp(day: date, slot: int) -> datetime:
    """Hour-ending stamp of slot 0-23 of ``day`` (slot 23 is 00:00 of the next day)."""
    return datetime(day.year, day.month, day.day) + timedelta(hours=slot + 1)


def day_of(
    series: dict[str, list[float | None]], day: date = DAY, station: str = "A"
) -> list[dict[str, Any]]:
    """Hourly rows of one station-day from 24-slot series per pollutant (None = missing)."""
    return [
        {"station": station, "time": stamp(day, slot)} | {p: v[slot] for p, v in series.items()}
        for slot in range(24)
    ]


def exact(row: dict[str, Any], indicator: Indicator) -> Fraction | None:
    num = row[f"{indicator}_num"]
    return None if num is None else Fraction(num, row[f"{indicator}_den"])


# --- property: daily values and AQI equal the scalar standards ------------------------------------


def _random_hours(
    rng: random.Random, days: list[date], stations: list[str]
) -> list[dict[str, Any]]:
    rows = []
    for station in stations:
        sparse = rng.random() < 0.5  # some station-days fail the validity rules
        for day in days:
            for slot in range(24):
                if rng.random() < (0.2 if sparse else 0.03):
                    continue  # hour absent from the data
                row: dict[str, Any] = {"station": station, "time": stamp(day, slot)}
                for pollutant, top in zip(POLLUTANTS, (900, 400, 20, 900, 700, 400), strict=True):
                    missing = rng.random() < (0.25 if sparse else 0.05)
                    decimals = 3 if pollutant == "CO" else rng.choice((0, 1))
                    row[pollutant] = None if missing else round(rng.uniform(0, top), decimals)
                rows.append(row)
    return rows


def _scalar_values(rows: list[dict[str, Any]], station: str, day: date) -> dict[Indicator, Any]:
    slots: dict[int, dict[str, Any]] = {
        (row["time"] - timedelta(hours=1)).hour: row
        for row in rows
        if row["station"] == station and (row["time"] - timedelta(hours=1)).date() == day
    }

    def series(pollutant: str) -> list[float | None]:
        return [slots[s][pollutant] if s in slots else None for s in range(24)]

    values: dict[Indicator, Any] = {ind: daily_mean(series(p), ind) for ind, p in MEANS.items()}
    o3 = series("O3")
    present = [Fraction(str(v)) for v in o3 if v is not None]
    values[Ind.O3_1H] = max(present) if len(present) >= 20 else None
    values[Ind.O3_8H] = daily_max_8h(o3, ZoneClass.TWO, limit_stage_for(day))
    return values


@settings(max_examples=25, deadline=None)
@given(st.randoms(use_true_random=False))
def test_daily_values_and_aqi_equal_the_scalar_standards(rng: random.Random) -> None:
    days = [date(2026, 2, 28), date(2026, 3, 1)]  # both editions under "auto"
    rows = _random_hours(rng, days, ["A", "B"])
    if not rows:
        return
    report = daily_aqi(daily_values(frame(rows)), "auto")
    for got in report.iter_rows(named=True):
        values = _scalar_values(rows, got["station"], got["date"])
        assert {ind: exact(got, ind) for ind in DAILY_INDICATORS} == values
        fields = {"o3_1h_max": Ind.O3_1H, "o3_8h_max": Ind.O3_8H, "pm2_5": Ind.PM2_5}
        observation = DailyObservation(
            **{name.lower(): values[ind] for ind, name in MEANS.items() if ind is not Ind.PM2_5},
            **{field: values[ind] for field, ind in fields.items()},
        )
        edition = edition_for(got["date"])
        scalar = scalar_daily_aqi(observation, edition)
        assert got["edition"] == edition.value
        assert got["aqi"] == scalar.aqi
        assert got["level"] == (None if scalar.level is None else scalar.level.number)
        if scalar.aqi is not None:
            assert got["primary_pollutants"] == ";".join(i.value for i in scalar.primary_pollutants)
        assert {ind: got[f"iaqi_{ind.value}"] for ind in scalar.iaqi} == dict(scalar.iaqi)
        assert (got["complete"], got["publishable"]) == (not scalar.missing, scalar.publishable)


# --- GB 3095 Table 4: 20 hours a day -------------------------------------------------------------


@pytest.mark.parametrize(("hours", "valid"), [(19, False), (20, True), (24, True)])
def test_a_daily_mean_needs_20_hourly_values(hours: int, valid: bool) -> None:
    pm25 = [float(slot) for slot in range(hours)] + [None] * (24 - hours)
    row = daily_values(frame(day_of({"PM2.5": pm25}))).row(0, named=True)
    assert (row["PM2.5_n_valid"], row["PM2.5_n_expected"]) == (hours, 24)
    expected = Fraction(sum(range(hours)), hours) if valid else None
    assert exact(row, Ind.PM2_5) == expected
    assert row["PM2.5"] == (None if expected is None else pytest.approx(float(expected)))


def test_the_hour_stamped_midnight_closes_the_previous_day() -> None:
    rows = day_of({"SO2": [10.0] * 24})
    rows[-1]["SO2"] = 34.0  # stamped 00:00 of July 2: the last hour of July 1
    row = daily_values(frame(rows)).row(0, named=True)
    assert (row["date"], exact(row, Ind.SO2)) == (DAY, Fraction(10 * 23 + 34, 24))


def test_missing_hours_are_completed_and_duplicates_rejected() -> None:
    rows = day_of({"NO2": [40.0] * 24})
    del rows[3:8]  # five hours absent: 19 left
    grid = complete_days(frame(rows))
    assert grid.height == 24
    assert grid["NO2"].null_count() == 5
    assert exact(daily_values(frame(rows)).row(0, named=True), Ind.NO2) is None
    with pytest.raises(EngineInputError, match="two rows"):
        complete_days(frame([rows[0], rows[0]]))


# --- MDA8: HJ 663-2013 §6.1.2 --------------------------------------------------------------------


def _o3_day(windows: int, level: float) -> list[float | None]:
    """A day with exactly ``windows`` valid 8-hour windows: its first windows + 5 hours present.

    The window ending after slot s (s = 7 … 23) holds min(8, hours + 7 − s) values; it is valid
    (≥ 6) up to s = hours + 1, so hours − 5 windows are valid.
    """
    hours = windows + 5
    return [level if slot < hours else None for slot in range(24)]


@pytest.mark.parametrize(
    ("windows", "level", "zone", "valid"),
    [
        (14, 150.0, ZoneClass.TWO, True),
        (13, 150.0, ZoneClass.TWO, False),  # too few windows, below the 160 limit
        (13, 170.0, ZoneClass.TWO, True),  # the exception: above the limit
        (13, 160.4, ZoneClass.TWO, False),  # 160.4 is reported as 160: meets the limit
        (13, 120.0, ZoneClass.ONE, True),  # class 1 limit 100
    ],
)
def test_mda8_validity_and_its_exception(
    windows: int, level: float, zone: ZoneClass, valid: bool
) -> None:
    row = daily_values(frame(day_of({"O3": _o3_day(windows, level)})), zone_class=zone).row(
        0, named=True
    )
    assert (row["O3_8H_n_valid"], row["O3_8H_n_expected"]) == (windows, 17)
    scalar = daily_max_8h(_o3_day(windows, level), zone, limit_stage_for(DAY))
    assert exact(row, Ind.O3_8H) == scalar
    assert (scalar is not None) is valid


def test_mda8_windows_count_6_of_8_hours() -> None:
    # Hours 1 and 2 missing: the windows ending 08:00 and 09:00 hold 6 values, 10:00 holds 7.
    o3: list[float | None] = [100.0] * 24
    o3[1] = o3[2] = None
    o3[9] = 300.0
    row = daily_values(frame(day_of({"O3": o3}))).row(0, named=True)
    assert row["O3_8H_n_valid"] == 17
    mda8 = daily_max_8h(o3, ZoneClass.TWO, limit_stage_for(DAY))
    assert exact(row, Ind.O3_8H) == mda8 == Fraction(6 * 100 + 300, 7)  # slots 3-9


@pytest.mark.parametrize(
    ("edition", "iaqi_8h", "aqi"), [(Edition.E2012, None, 350), (Edition.E2026, 300, 300)]
)
def test_mda8_above_800(edition: Edition, iaqi_8h: int | None, aqi: int) -> None:
    row = daily_aqi(_daily({Ind.O3_1H: "900", Ind.O3_8H: "810"}), edition).row(0, named=True)
    assert (row["iaqi_O3_8H"], row["aqi"]) == (iaqi_8h, aqi)
    # 2012 note 3: the O3 1-hour IAQI stands in; O3_8H is not missing.
    if edition is Edition.E2012:
        assert row["primary_pollutants"] == "O3_1H"


# --- daily AQI from given daily values: VECTORS.md §1.1, §1.2, §1.5 -----------------------------


def _daily(values: dict[Indicator, str], day: date = DAY) -> pl.DataFrame:
    """A one-row daily-values frame with exact values (missing indicators null)."""
    row: dict[str, Any] = {"station": "A", "date": day}
    for indicator in DAILY_INDICATORS:
        value = Fraction(values[indicator]) if indicator in values else None
        row[f"{indicator}_num"] = None if value is None else value.numerator
        row[f"{indicator}_den"] = None if value is None else value.denominator
    schema = {"station": pl.String, "date": pl.Date} | {
        f"{ind}_{part}": pl.Int64 for ind in DAILY_INDICATORS for part in ("num", "den")
    }
    return pl.DataFrame([row], schema=schema)


VECTOR_1_5 = {
    Ind.SO2: "20",
    Ind.NO2: "45",
    Ind.PM10: "90",
    Ind.CO: "0.9",
    Ind.O3_1H: "210",
    Ind.O3_8H: "170",
    Ind.PM2_5: "60",
}


@pytest.mark.parametrize(
    ("edition", "iaqis", "exceeding"),
    [
        (Edition.E2012, [20, 57, 23, 105, 110, 70, 82], "O3_1H;O3_8H"),
        (Edition.E2026, [20, 57, 23, None, 110, 79, 100], None),
    ],
)
def test_vector_1_5(edition: Edition, iaqis: list[int | None], exceeding: str | None) -> None:
    row = daily_aqi(_daily(VECTOR_1_5), edition).row(0, named=True)
    assert [row[f"iaqi_{ind.value}"] for ind in DAILY_INDICATORS] == iaqis
    assert (row["aqi"], row["level"], row["category"]) == (110, 3, "轻度污染")
    assert (row["primary_pollutants"], row["exceeding_pollutants"]) == ("O3_8H", exceeding)


@pytest.mark.parametrize("edition", list(Edition))
def test_daily_class_vectors(edition: Edition) -> None:
    suite = {Ind.PM2_5: "115", Ind.PM10: "250", Ind.SO2: "650", Ind.NO2: "180", Ind.CO: "14"}
    row = daily_aqi(_daily(suite | {Ind.O3_8H: "215"}), edition).row(0, named=True)
    assert (row["aqi"], row["primary_pollutants"]) == (177, "SO2")  # standard SO2 24h column
    tie = daily_aqi(_daily(suite | {Ind.SO2: "475", Ind.O3_8H: "215"}), edition).row(0, named=True)
    assert (tie["aqi"], tie["primary_pollutants"]) == (150, "SO2;NO2;CO;O3_8H;PM10;PM2.5")
    at_50 = {Ind.PM2_5: "35", Ind.PM10: "50", Ind.SO2: "50", Ind.NO2: "40", Ind.CO: "2"}
    high_o3 = daily_aqi(_daily(at_50 | {Ind.O3_8H: "1000"}), edition).row(0, named=True)
    assert high_o3["aqi"] == (300 if edition is Edition.E2026 else 50)  # 2012: O3 1h missing


def test_daily_2012_o3_uses_the_larger_of_1h_and_8h() -> None:
    row = daily_aqi(_daily({Ind.O3_1H: "400", Ind.O3_8H: "170"}), Edition.E2012).row(0, named=True)
    assert (row["aqi"], row["primary_pollutants"]) == (200, "O3_1H")


# --- city daily values: HJ 663 station mean -----------------------------------------------------


def test_city_daily_value_is_the_mean_of_its_valid_stations() -> None:
    rows = [
        *day_of({"PM2.5": [30.0] * 24}, station="A"),
        *day_of({"PM2.5": [35.0] * 24}, station="B"),
        *day_of({"PM2.5": [90.0] * 10 + [None] * 14}, station="C"),  # invalid day
    ]
    stations = pl.DataFrame({"station": ["A", "B", "C", "D"], "city": ["X", "X", "X", "X"]})
    city = city_daily_values(daily_values(frame(rows)), stations).row(0, named=True)
    assert (city["city"], city["date"]) == ("X", DAY)
    assert exact(city, Ind.PM2_5) == Fraction(65, 2)
    assert (city["PM2.5_n_valid"], city["PM2.5_n_expected"]) == (2, 4)
    assert exact(city, Ind.SO2) is None
    assert daily_aqi(pl.DataFrame([city]))["iaqi_PM2.5"].item() == 47  # 32.5 µg/m³


def test_city_needs_every_station_in_the_list() -> None:
    daily = daily_values(frame(day_of({"SO2": [1.0] * 24}, station="Z")))
    with pytest.raises(EngineInputError, match="station Z has no city"):
        city_daily_values(daily, pl.DataFrame({"station": ["A"], "city": ["X"]}))
