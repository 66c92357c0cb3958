"""Edition and limit-stage selection by Beijing date."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from ecogov.standards.editions import (
    EDITION_SPECS,
    LIMIT_STAGE_SPECS,
    Edition,
    LimitStage,
    beijing_date,
    edition_for,
    edition_spec,
    limit_stage_for,
)


@pytest.mark.parametrize(
    ("when", "expected"),
    [
        (date(2013, 1, 1), Edition.E2012),
        (date(2018, 2, 20), Edition.E2012),
        (date(2026, 2, 28), Edition.E2012),
        (date(2026, 3, 1), Edition.E2026),
        (date(2031, 1, 1), Edition.E2026),
        # Naive datetimes are Beijing local time.
        (datetime(2026, 2, 28, 23, 59, 59), Edition.E2012),
        (datetime(2026, 3, 1, 0, 0), Edition.E2026),
        # Aware datetimes are converted: 16:00 UTC on 28 Feb is 00:00 on 1 Mar in Beijing.
        (datetime(2026, 2, 28, 15, 59, tzinfo=UTC), Edition.E2012),
        (datetime(2026, 2, 28, 16, 0, tzinfo=UTC), Edition.E2026),
        (datetime(2026, 3, 1, 0, 30, tzinfo=timezone(timedelta(hours=9))), Edition.E2012),
    ],
)
def test_edition_switches_on_beijing_date_2026_03_01(
    when: date | datetime, expected: Edition
) -> None:
    assert edition_for(when) is expected


def test_hour_ending_label_belongs_to_the_previous_hour() -> None:
    # CNEMC stamps the hour 23:00-24:00 of 28 Feb as 2026-03-01 00:00: still 2012 data.
    label = datetime(2026, 3, 1, 0, 0)
    assert edition_for(label, hour_ending=True) is Edition.E2012
    assert edition_for(label + timedelta(hours=1), hour_ending=True) is Edition.E2026
    assert beijing_date(label, hour_ending=True) == date(2026, 2, 28)


def test_caller_may_fix_the_edition() -> None:
    assert edition_for(date(2020, 1, 1), fixed=Edition.E2026) is Edition.E2026
    assert edition_for(date(2027, 1, 1), fixed=Edition.E2012) is Edition.E2012


@pytest.mark.parametrize(
    ("when", "fixed", "expected"),
    [
        (date(2016, 1, 1), None, LimitStage.GB3095_2012),
        (date(2018, 8, 31), None, LimitStage.GB3095_2012),
        (date(2018, 9, 1), None, LimitStage.GB3095_2012_AMENDED_2018),
        (date(2026, 2, 28), None, LimitStage.GB3095_2012_AMENDED_2018),
        (date(2026, 3, 1), None, LimitStage.GB3095_2026_TRANSITIONAL),
        (date(2030, 12, 31), None, LimitStage.GB3095_2026_TRANSITIONAL),
        (date(2031, 1, 1), None, LimitStage.GB3095_2026_FINAL),
        # Pinned editions: the first stage of the edition when the date precedes it.
        (date(2025, 6, 1), Edition.E2026, LimitStage.GB3095_2026_TRANSITIONAL),
        (date(2032, 6, 1), Edition.E2012, LimitStage.GB3095_2012_AMENDED_2018),
    ],
)
def test_limit_stage_for(when: date, fixed: Edition | None, expected: LimitStage) -> None:
    assert limit_stage_for(when, fixed=fixed) is expected


def test_specs_are_data_with_one_entry_per_edition_and_stage() -> None:
    assert [spec.edition for spec in EDITION_SPECS] == list(Edition)
    assert [spec.stage for spec in LIMIT_STAGE_SPECS] == list(LimitStage)
    assert edition_spec(Edition.E2012).aqi_standard == "HJ 633-2012"
    assert edition_spec(Edition.E2026).assessment_standard == "HJ 663-2026"
    assert edition_spec(Edition.E2026).applies_from == date(2026, 3, 1)
