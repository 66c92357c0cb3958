"""The one business clock: Beijing days, frozen in tests, shifted by ``ECOGOV_CLOCK`` for a demo."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest

from ecogov.platform import clock
from ecogov.platform.models import utcnow
from ecogov.platform.settings import get_settings
from ecogov.standards.timebase import BEIJING


@pytest.fixture
def clock_setting(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    """Settings re-read after the test changes ``ECOGOV_CLOCK``."""
    get_settings.cache_clear()
    yield monkeypatch
    monkeypatch.delenv("ECOGOV_CLOCK", raising=False)
    get_settings.cache_clear()


def test_today_is_the_beijing_day_not_the_utc_one() -> None:
    # 17:30 UTC on 6 December is 01:30 on 7 December in Beijing
    with clock.frozen(datetime(2026, 12, 6, 17, 30, tzinfo=UTC)):
        assert clock.today() == date(2026, 12, 7)
        assert clock.now().utcoffset() == timedelta(hours=8)
        assert utcnow() == datetime(2026, 12, 6, 17, 30, tzinfo=UTC)  # stored stamps follow


def test_frozen_blocks_nest_and_unwind() -> None:
    with clock.frozen(date(2026, 11, 22)) as outer:
        assert outer == datetime(2026, 11, 22, 9, tzinfo=BEIJING)
        with clock.frozen(datetime(2026, 12, 6, 8, 0)):  # naive: Beijing time
            assert clock.today() == date(2026, 12, 6)
        assert clock.today() == date(2026, 11, 22)
    assert abs(clock.now() - datetime.now(BEIJING)) < timedelta(minutes=1)


def test_the_setting_starts_the_clock_on_a_day_and_lets_it_run(
    clock_setting: pytest.MonkeyPatch,
) -> None:
    clock_setting.setenv("ECOGOV_CLOCK", "2026-11-22T09:00")
    first = clock.now()
    assert first.date() == date(2026, 11, 22)
    assert abs(first - datetime(2026, 11, 22, 9, tzinfo=BEIJING)) < timedelta(minutes=1)
    assert clock.now() >= first  # it runs on
    with clock.frozen(date(2030, 1, 1)):  # a test still wins
        assert clock.today() == date(2030, 1, 1)


def test_a_date_setting_means_its_beijing_midnight(clock_setting: pytest.MonkeyPatch) -> None:
    clock_setting.setenv("ECOGOV_CLOCK", "2026-12-06")
    assert clock.today() == date(2026, 12, 6)


@pytest.mark.parametrize(
    ("text", "moment"),
    [
        ("2026-11-22", datetime(2026, 11, 22, tzinfo=BEIJING)),
        ("2026-11-22T09:30", datetime(2026, 11, 22, 9, 30, tzinfo=BEIJING)),
        ("2026-11-22T01:30+00:00", datetime(2026, 11, 22, 9, 30, tzinfo=BEIJING)),
    ],
)
def test_parse_moment(text: str, moment: datetime) -> None:
    assert clock.parse_moment(text) == moment


def test_a_bad_setting_is_refused_at_start_up(clock_setting: pytest.MonkeyPatch) -> None:
    clock_setting.setenv("ECOGOV_CLOCK", "22/11/2026")
    with pytest.raises(ValueError, match="ECOGOV_CLOCK='22/11/2026' is not an ISO date"):
        get_settings()
