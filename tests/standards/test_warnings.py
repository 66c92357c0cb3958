"""Heavy-pollution warning levels at every boundary of the criteria (GOVERNANCE.md §5)."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ecogov.standards.warnings import (
    LEVELS,
    assess,
    criteria,
    default_criteria,
    hourly_from_daily,
    level_rank,
    lift_check,
)

T0 = datetime(2026, 12, 20)
RULES = default_criteria()
MEP = RULES.editions["mep2017"]
XZ = RULES.editions["city3_xz"]
CD = RULES.editions["city2024"]
OVERRIDE = Path(__file__).parents[2] / "src/ecogov/standards/warnings/overrides/sichuan.json"


def hours(*runs: tuple[int, int]) -> list[tuple[datetime, int]]:
    """An hourly series of consecutive runs: (hours, AQI) each."""
    series: list[tuple[datetime, int]] = []
    for count, aqi in runs:
        start = len(series)
        series += [(T0 + timedelta(hours=start + i), aqi) for i in range(count)]
    return series


@pytest.mark.parametrize(
    ("runs", "level"),
    [
        (((48, 200),), "none"),  # 200 is not > 200
        (((23, 201),), "none"),
        (((24, 201),), "blue"),
        (((47, 201),), "blue"),
        (((48, 201),), "yellow"),
        (((71, 250), (1, 301)), "orange"),  # 72 h > 200 with > 300 occurring
        (((72, 300),), "yellow"),  # 72 h but 300 is not > 300
        (((71, 300), (1, 301)), "orange"),
        (((95, 250), (1, 301)), "orange"),
        (((48, 250), (48, 301)), "red"),  # 96 h > 200 and 48 h > 300
        (((49, 250), (47, 301)), "orange"),  # 47 h > 300 only
        (((1, 499),), "none"),
        (((1, 500),), "red"),  # AQI reaches 500
    ],
)
def test_mep2017_boundaries(runs: tuple[tuple[int, int], ...], level: str) -> None:
    assert assess(hours(*runs), MEP).level == level


@pytest.mark.parametrize(
    ("runs", "level"),
    [
        (((72, 250),), "orange"),  # this plan omits > 300 for orange
        (((71, 250),), "yellow"),
        (((24, 250),), "none"),  # no blue level
    ],
)
def test_three_level_city_plan(runs: tuple[tuple[int, int], ...], level: str) -> None:
    assert assess(hours(*runs), XZ).level == level


@pytest.mark.parametrize(
    ("runs", "level"),
    [
        (((24, 201),), "yellow"),  # any forecast day > 200
        (((23, 201),), "none"),
        (((47, 151),), "none"),
        (((48, 151),), "yellow"),
        (((48, 150),), "none"),
        (((72, 151),), "orange"),
        (((48, 201),), "orange"),
        (((48, 250), (24, 301)), "red"),
        (((49, 250), (23, 301)), "orange"),
    ],
)
def test_post_2024_city_plan(runs: tuple[tuple[int, int], ...], level: str) -> None:
    assert assess(hours(*runs), CD).level == level


def test_reason_says_which_condition_held_and_how_long() -> None:
    result = assess(hours((50, 250), (48, 320)), MEP)
    assert result.level == "red"
    assert result.reason is not None
    assert (
        result.reason.text()
        == "AQI>200持续96小时：预报连续98小时；AQI>300持续48小时：预报连续48小时"
    )
    assert "98 consecutive h" in result.reason.text("en")
    assert result.reason.clauses[1].start == T0 + timedelta(hours=50)


def test_a_missing_hour_breaks_a_run() -> None:
    series = hours((24, 250), (24, 250))
    gapped = series[:24] + [(t + timedelta(hours=1), a) for t, a in series[24:]]
    assert assess(series, MEP).level == "yellow"
    assert assess(gapped, MEP).level == "blue"


def test_daily_forecast_days_count_as_24_hours() -> None:
    days = [(date(2026, 12, 20), 210), (date(2026, 12, 21), 230), (date(2026, 12, 22), 180)]
    assert len(hourly_from_daily(days)) == 72
    assert assess(hourly_from_daily(days), MEP).level == "yellow"


@pytest.mark.parametrize(("below", "lift"), [(36, False), (37, True)])
def test_lift_after_more_than_36_hours_below_yellow(below: int, lift: bool) -> None:
    result = lift_check(hours((below, 150), (30, 210)), MEP, RULES)
    assert result.hours_below == below
    assert result.may_lift is lift
    assert result.floor == 200
    assert "HW-YZ" in result.source


def test_no_lift_while_the_forecast_still_holds_yellow() -> None:
    assert not lift_check(hours((40, 120), (48, 230)), MEP, RULES).may_lift


def test_province_override_adopts_the_city_edition_from_its_date() -> None:
    sichuan = criteria(json.loads(OVERRIDE.read_text(encoding="utf-8")))
    assert sichuan.edition_for(date(2023, 12, 31)).key == "mep2017"
    assert sichuan.edition_for(date(2024, 1, 1)).key == "city2024"
    assert RULES.edition_for(date(2026, 1, 1)).key == "mep2017"
    assert sichuan.edition_for(date(2024, 6, 1)).yellow_floor() == 150


def test_override_may_change_a_threshold_without_code() -> None:
    strict = criteria(
        {"editions": {"mep2017": {"levels": {"yellow": [[{"above": 180, "hours": 48}]]}}}}
    )
    assert assess(hours((48, 190)), strict.editions["mep2017"]).level == "yellow"
    assert assess(hours((48, 190)), MEP).level == "none"


@pytest.mark.parametrize(
    "bad",
    [
        {"editions": {"mep2017": {"levels": {"purple": [[{"above": 1}]]}}}},
        {"editions": {"mep2017": {"levels": {"yellow": [[{"above": "x", "hours": 2}]]}}}},
        {"editions": {"mep2017": {"levels": {"yellow": [[{"hours": 2}]]}}}},
        {"adopted": [{"edition": "nope", "from": "2020-01-01", "source": "-"}]},
    ],
)
def test_bad_override_is_refused_in_chinese(bad: dict[str, object]) -> None:
    with pytest.raises(ValueError, match=r"[\u4e00-\u9fff]"):
        criteria(bad)


def test_every_edition_cites_its_source() -> None:
    for edition in RULES.editions.values():
        assert "GOVERNANCE.md §5" in edition.source


@given(
    st.lists(st.integers(min_value=0, max_value=520), min_size=1, max_size=150),
    st.integers(min_value=1, max_value=30),
)
def test_raising_any_hour_never_lowers_the_level(aqis: list[int], bump: int) -> None:
    series = [(T0 + timedelta(hours=i), a) for i, a in enumerate(aqis)]
    for edition in (MEP, XZ, CD):
        base = level_rank(assess(series, edition).level)
        for i in range(0, len(series), 7):
            raised = list(series)
            raised[i] = (series[i][0], series[i][1] + bump)
            assert level_rank(assess(raised, edition).level) >= base


@given(st.integers(min_value=1, max_value=130), st.integers(min_value=0, max_value=520))
def test_a_flat_series_level_follows_the_table(length: int, aqi: int) -> None:
    level = assess(hours((length, aqi)), MEP).level
    expected = "none"
    if aqi >= 500 or (aqi > 300 and length >= 96):
        expected = "red"
    elif aqi > 300 and length >= 72:
        expected = "orange"
    elif aqi > 200 and length >= 48:
        expected = "yellow"
    elif aqi > 200 and length >= 24:
        expected = "blue"
    assert level in LEVELS
    assert level == expected
