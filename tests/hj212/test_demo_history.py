"""The demo history as a pure function of the clock: for any ``now`` its uploads are frames the
receiver's intake stores without a refusal, they end within the last hour of ``now``, the same
clock gives the same frames, and the planted exceedances and findings are what the judgement
finds."""

from __future__ import annotations

from datetime import UTC, datetime

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ecogov.hj212.demo import HISTORY_DAYS, DemoDevice, Factor, uploads
from ecogov.hj212.exceedance import exceedance_events
from ecogov.hj212.frames import RECORD_SCHEMA, factor_frame
from ecogov.hj212.intake import Intake, RegisteredDevice
from ecogov.hj212.quality import Channel, CheckInput, run_checks
from ecogov.standards.hj212 import HJ212_2017

GAS = DemoDevice(
    mn="330106000000000000000001",
    pw="123456",
    st="31",
    featured=True,
    factors=(
        Factor("a00000", 30.0, 3.0),
        Factor("a19001", 9.0, 0.8),
        Factor("a21026", 14.0, 0.84, True, 35.0, "hourly", 0.0, 200.0),
        Factor("a34013", 4.0, 0.24, True, 10.0, "hourly", 0.0, 50.0),
    ),
)
WATER = DemoDevice(
    mn="330106000000000000000002",
    pw="654321",
    st="32",
    featured=True,
    factors=(
        Factor("w00000", 20.0, 4.0),
        Factor("w01001", 7.2, 0.3),
        Factor("w01018", 80.0, 4.8, False, 200.0, "daily", 0.0, 1000.0),
        Factor("w21003", 8.0, 0.48, False, 20.0, "daily", 0.0, 100.0),
    ),
)
DEVICES = (GAS, WATER)
REGISTRY = {
    d.mn: RegisteredDevice(d.mn, d.pw, HJ212_2017, index, d.st)
    for index, d in enumerate(DEVICES, start=1)
}
moments = st.datetimes(
    min_value=datetime(2020, 1, 1), max_value=datetime(2035, 12, 31), timezones=st.just(UTC)
)


def _records(now: int, days: int = HISTORY_DAYS) -> dict[tuple[str, str], pl.DataFrame]:
    """The records the intake makes of ``days`` days of history, as ``data_time, cp`` frames by
    (MN, CN)."""
    intake = Intake(REGISTRY)
    rows: dict[tuple[str, str], list[tuple[int, str]]] = {}
    for frame, received_ms in uploads(DEVICES, now, -1, days):
        outcome = intake.frame(frame, "test", received_ms)
        assert not outcome.rejects, outcome.rejects
        assert outcome.record is not None
        mn, cn, data_time, *_, cp, _received = outcome.record
        assert received_ms <= now * 1000
        rows.setdefault((mn, cn), []).append((data_time, cp))
    return {
        key: pl.DataFrame(found, schema=RECORD_SCHEMA, orient="row") for key, found in rows.items()
    }


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(moment=moments)
def test_history_ends_at_the_clock_and_is_judged(moment: datetime) -> None:
    now = int(moment.timestamp())
    records = _records(now)
    hourly = factor_frame(records[(GAS.mn, "2061")])
    newest = int(hourly["data_time"].max())  # type: ignore[arg-type]
    assert now - 3600 < newest + 3600 <= now
    realtime = records[(WATER.mn, "2011")]  # the live device (the simulator's values fit it)
    assert now - 60 < int(realtime["data_time"].max()) <= now  # type: ignore[arg-type]
    first = int(hourly["data_time"].min())  # type: ignore[arg-type]
    assert newest - first == (30 * 24 - 1) * 3600  # the 30 days the device page judges

    gas_limits = pl.DataFrame(
        [("a21026", 35.0, "converted"), ("a34013", 10.0, "converted")],
        schema={"code": pl.String, "limit": pl.Float64, "basis": pl.String},
        orient="row",
    )
    assert not exceedance_events(hourly, gas_limits, 3600).is_empty()
    water_daily = factor_frame(records[(WATER.mn, "2031")])
    water_limits = pl.DataFrame(
        [("w01018", 200.0, "measured"), ("w21003", 20.0, "measured")],
        schema={"code": pl.String, "limit": pl.Float64, "basis": pl.String},
        orient="row",
    )
    daily_events = exceedance_events(water_daily, water_limits, 86_400)
    assert daily_events.height == 1

    for device in DEVICES:
        frame = factor_frame(records[(device.mn, "2061")])
        channels = {
            f.code: Channel(f.range_low, f.range_high, None) for f in device.factors if f.limit
        }
        data = CheckInput(device.mn, frame, first, newest + 3600, channels)
        assert run_checks(data), f"no finding planted on {device.mn}"


def test_same_clock_same_history() -> None:
    now = int(datetime(2026, 12, 6, 16, 25, tzinfo=UTC).timestamp())
    assert list(uploads(DEVICES, now, -1)) == list(uploads(DEVICES, now, -1))
    later = list(uploads(DEVICES, now + 3600, now - now % 3600))
    assert later
    assert all(received > (now - now % 3600) * 1000 for _, received in later)


def test_top_up_is_per_device() -> None:
    """A device whose data reach further (the live feed's) is topped up from its own newest
    hour; a device not named gets its whole history."""
    now = int(datetime(2026, 12, 6, 16, 25, tzinfo=UTC).timestamp())
    hour = now - now % 3600
    later = list(uploads(DEVICES, now + 7200, {GAS.mn: hour + 3600}))
    intake = Intake(REGISTRY)
    records = [intake.frame(frame, "test", at).record for frame, at in later]
    gas = [r for r in records if r is not None and r[0] == GAS.mn]
    water = [r for r in records if r is not None and r[0] == WATER.mn]
    assert [r[2] for r in gas] == [hour + 3600]
    assert min(r[2] for r in water) < hour - 29 * 86_400


@pytest.mark.parametrize("days", [8, 45])
def test_history_spans_the_days_asked(days: int) -> None:
    """The benchmarks ask for a longer (or shorter) history than the device page's 30 days:
    hourly means of every hour of it, the newest in the clock's last hour."""
    now = int(datetime(2026, 12, 6, 16, 25, tzinfo=UTC).timestamp())
    hourly = factor_frame(_records(now, days)[(WATER.mn, "2061")])
    newest = int(hourly["data_time"].max())  # type: ignore[arg-type]
    assert newest == now - now % 3600 - 3600
    assert newest - int(hourly["data_time"].min()) == (days * 24 - 1) * 3600  # type: ignore[arg-type]
