"""Demo data of the HJ 212 domain: the last 30 days of online-monitoring data, up to now (模拟数据).

For a few hundred of the simulated devices of the sources demo — every device of the demo
enterprise login and of the demo county (西湖区), then devices of national key units across the
province — the loader writes what their data loggers would have uploaded: hourly means (2061)
of every analyser channel (plus flow, oxygen or pH) for the 30 days the device page judges,
daily means (2031) where the permit has daily limits, and for the featured devices 10-minute
(2051) data of the last day and real-time (2011) data of the last hour.

The values are drawn (from a fixed seed) well below each device's permit limits and off its
analysers' range ends, then problems are planted in the last 7 days, so the device pages, the
exceedance list and the findings list are populated on first look: exceedance episodes against
the hourly or daily permit limit, and one data-quality problem per device in turn — a flat line
(恒值), a gap of missing hours (数据缺失), a factor pegged at zero (量程边缘), converted values
computed with a wrong reference oxygen (折算值异常) — plus hours flagged for calibration or fault.

Every record goes the receiver's way: each upload is rendered as an HJ 212 frame, handed to the
receiver's :class:`~ecogov.hj212.intake.Intake` (parse, authenticate, route) and written by
:func:`~ecogov.hj212.store.write_batch` with the raw archive — no second write path. The data
end at :func:`demo_now` (the one place the loader reads the clock).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Final

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from ecogov.hj212.intake import Intake
from ecogov.hj212.judging import judge_all
from ecogov.hj212.models import Record
from ecogov.hj212.receiver import load_registry
from ecogov.hj212.simulator import FACTORS, REFERENCE_O2, SimulatedDevice
from ecogov.hj212.store import Batch, write_batch
from ecogov.platform import audit, clock
from ecogov.platform.db import Database
from ecogov.platform.scope import SYSTEM
from ecogov.sources.models import Device, DeviceFactor, Enterprise, PermitLimit
from ecogov.sources.protocols import DEFAULT_PROFILE
from ecogov.standards.hj212 import frame_segment
from ecogov.standards.hj212.timestamps import qn_of_unix_ms, timestamp_of_unix
from ecogov.standards.timebase import BEIJING_OFFSET_S

SEED: Final = 212
HOUR: Final = 3600
DAY: Final = 86_400
HISTORY_DAYS: Final = 30
"""Days of hourly data: the device page judges its last 30 days."""
PLANT_DAYS: Final = 7
"""Problems are planted in the last 7 days (the days the device page charts)."""
FEATURED_REGION: Final = "330106"
"""The demo county officer's county (西湖区): all its simulated devices have data."""
MAX_DEVICES: Final = 80
"""Devices with history at most (featured devices first, then national key units)."""
LIVE_DEVICES: Final = 6
"""Devices the running demo feed (and the detailed 2051/2011 history) is for."""
PEER: Final = "demo-history"
"""The peer the archive records for the loaded history (it came from no socket)."""
BATCH: Final = 5000
"""Frames per written batch (one raw-archive segment each), all in one transaction."""
FINDING_KINDS: Final = ("flat_line", "missing", "range_edge", "zs_consistency")
"""The data-quality problems planted, one per device in turn (zs_consistency: flue gas only)."""
AUXILIARY: Final = frozenset({"a00000", "a19001", "w00000", "w01001"})
"""Flow and oxygen (flue gas), flow and pH (wastewater): uploaded as the simulator draws them."""
CONVERTED_O2_WRONG: Final = 6.0
"""The reference oxygen [%] a faulty device computes its converted values with."""


def demo_now() -> datetime:
    """The instant the demo history ends: the platform's one clock (``ECOGOV_CLOCK`` moves it;
    tests freeze it or pass their own ``now``)."""
    return clock.utcnow()


@dataclass(frozen=True)
class Factor:
    """A factor a demo device uploads: its level, spread, limit and analyser range."""

    code: str
    mean: float
    spread: float
    converted: bool = False
    limit: float | None = None
    averaging: str | None = None
    range_low: float = 0.0
    range_high: float = math.inf


@dataclass(frozen=True)
class DemoDevice:
    """A device the history is written for."""

    mn: str
    pw: str
    st: str
    featured: bool
    factors: tuple[Factor, ...]

    @property
    def daily(self) -> bool:
        """Whether the permit has daily limits (so daily means are uploaded too)."""
        return any(f.averaging == "daily" for f in self.factors)

    @property
    def limited(self) -> tuple[Factor, ...]:
        """Factors with a permit limit."""
        return tuple(f for f in self.factors if f.limit is not None)


def _level(limit: float, low: float, high: float) -> float:
    """A usual level of a limited factor: 40 % of its limit, but clear of the range's lower
    end (2 % of the span, where the range check looks) and of the limit."""
    margin = low + 0.02 * (high - low)
    return min(max(0.4 * limit, margin / 0.6), limit / 1.45)


def _demo_device(
    device: Device, featured: bool, channels: list[DeviceFactor], limits: list[PermitLimit]
) -> DemoDevice:
    """What a registered device uploads: flow and O2 or pH as the simulator draws them, then
    each analyser channel at a level of its permit limit (hourly limits before daily ones)."""
    st = device.system_code
    base = FACTORS.get(st, FACTORS["32"])
    # an hourly limit wins over a daily one of the same factor ("daily" sorts before "hourly")
    by_code = {limit.factor_code: limit for limit in sorted(limits, key=lambda x: x.averaging)}
    factors = [Factor(code, *base[code]) for code in base if code in AUXILIARY]
    for channel in sorted(channels, key=lambda c: c.factor_code):
        limit = by_code.get(channel.factor_code)
        high = channel.range_high if channel.range_high is not None else math.inf
        low = channel.range_low or 0.0
        if limit is None:
            continue
        mean = _level(limit.limit_value, low, high)
        factors.append(
            Factor(
                channel.factor_code,
                mean,
                0.06 * mean,
                converted=st == "31" and limit.basis == "converted",
                limit=limit.limit_value,
                averaging=limit.averaging,
                range_low=low,
                range_high=high,
            )
        )
    return DemoDevice(device.mn, device.pw, st, featured, tuple(factors))


def _select_devices(session: Session, at_most: int = MAX_DEVICES) -> list[DemoDevice]:
    """The featured devices (the demo enterprise's, the demo county's), then devices of national
    key units, then the others, in MN order, up to ``at_most``; active, default profile, with a
    permit."""
    first = session.scalar(
        select(Enterprise.enterprise_id)
        .where(Enterprise.simulated.is_(True))
        .order_by(Enterprise.enterprise_id)
        .limit(1)
    )
    stmt = (
        select(Device, Enterprise.key_level)
        .join(Enterprise, Enterprise.enterprise_id == Device.enterprise_id)
        .where(
            Enterprise.simulated.is_(True),
            Device.active.is_(True),
            Device.profile == DEFAULT_PROFILE,
        )
        .order_by(Device.mn)
    )
    featured: list[Device] = []
    national: list[Device] = []
    others: list[Device] = []
    for device, level in session.execute(stmt):
        if device.enterprise_id == first or device.region_code == FEATURED_REGION:
            featured.append(device)
        else:
            (national if level == "national" else others).append(device)
    chosen = (featured + national + others)[:at_most]
    ids = [device.id for device in chosen]
    outlets = [device.outlet_id for device in chosen]
    channels: dict[int, list[DeviceFactor]] = {}
    for channel in session.scalars(select(DeviceFactor).where(DeviceFactor.device_id.in_(ids))):
        channels.setdefault(channel.device_id, []).append(channel)
    limits: dict[int, list[PermitLimit]] = {}
    for limit in session.scalars(select(PermitLimit).where(PermitLimit.outlet_id.in_(outlets))):
        limits.setdefault(limit.outlet_id, []).append(limit)
    found = [
        _demo_device(
            device,
            index < len(featured),
            channels.get(device.id, []),
            limits.get(device.outlet_id, []),
        )
        for index, device in enumerate(chosen)
    ]
    return [device for device in found if device.limited]


@dataclass
class Series:
    """A device's hourly means over the window: per factor ``Avg`` (and ``ZsAvg``) and flags;
    ``present`` marks the hours the device reported."""

    hours: np.ndarray
    avg: dict[str, np.ndarray]
    zs: dict[str, np.ndarray]
    flags: dict[str, list[str]]
    present: np.ndarray


def _draw(device: DemoDevice, index: int, hours: np.ndarray) -> Series:
    """Values around each factor's level with a daily cycle; converted values from the oxygen
    by ``Zs = C·(21 − O2_ref)/(21 − O2)``."""
    rng = np.random.default_rng([SEED, index])
    local_hour = ((hours + BEIJING_OFFSET_S) // HOUR) % 24
    cycle = 1 + 0.08 * np.sin(2 * np.pi * (local_hour - 8) / 24)
    avg: dict[str, np.ndarray] = {}
    for factor in device.factors:
        values = factor.mean * cycle + factor.spread * rng.standard_normal(hours.size)
        avg[factor.code] = np.maximum(values, 0.5 * factor.mean)
    oxygen = avg.get("a19001")
    zs: dict[str, np.ndarray] = {}
    for factor in device.factors:
        if factor.converted and oxygen is not None:
            # the limit applies to the converted value: draw that, derive the measured one
            zs[factor.code] = avg[factor.code]
            avg[factor.code] = zs[factor.code] * (21 - oxygen) / (21 - REFERENCE_O2)
    flags = {factor.code: ["N"] * hours.size for factor in device.factors}
    return Series(hours, avg, zs, flags, np.ones(hours.size, dtype=bool))


def _set(
    series: Series, factor: Factor, where: slice | np.ndarray, value: np.ndarray | float
) -> None:
    """Set the judged value of ``factor`` (converted where its limit is) over some hours,
    keeping measured and converted values consistent with the oxygen."""
    code = factor.code
    if code in series.zs:
        series.zs[code][where] = value
        oxygen = series.avg["a19001"][where]
        series.avg[code][where] = series.zs[code][where] * (21 - oxygen) / (21 - REFERENCE_O2)
    else:
        series.avg[code][where] = value


def _plant(device: DemoDevice, index: int, series: Series) -> None:
    """Plant an exceedance episode (the featured devices and every third other one) and one
    data-quality problem in turn, in the last :data:`PLANT_DAYS` days, plus flagged hours."""
    rng = np.random.default_rng([SEED, index, 1])
    total = series.hours.size
    recent = PLANT_DAYS * 24
    limited = device.limited
    roomy = [f for f in limited if f.limit is not None and 1.4 * f.limit < 0.95 * f.range_high]
    if roomy and (device.featured or index % 3 == 0):
        # a factor whose analyser reads well above its limit: the episode stays in the range
        factor = roomy[int(rng.integers(len(roomy)))]
        assert factor.limit is not None
        top = min(1.9, 0.95 * factor.range_high / factor.limit)
        if factor.averaging == "daily":
            day_end = total - int(rng.integers(1, PLANT_DAYS)) * 24
            day_end -= int((series.hours[day_end - 1] + BEIJING_OFFSET_S) // HOUR % 24) + 1
            day = slice(day_end - 23, day_end + 1)
            target = factor.limit * float(rng.uniform(1.15, min(1.6, top / 1.3)))
            values = series.zs.get(factor.code, series.avg[factor.code])[day]
            _set(series, factor, day, values * target / float(values.mean()))
        else:
            start = total - int(rng.integers(12, recent - 6))
            episode = slice(start, start + int(rng.integers(3, 6)))
            width = episode.stop - episode.start
            _set(series, factor, episode, factor.limit * rng.uniform(1.2, top, width))
    kinds = [k for k in FINDING_KINDS if k != "zs_consistency" or series.zs]
    kind = kinds[index % len(kinds)]
    at = total - int(rng.integers(30, recent - 12))
    factor = limited[int(rng.integers(len(limited)))]
    if kind == "flat_line":  # the analyser stuck: the measured value, converted ones follow
        stuck = slice(at, at + 8)
        series.avg[factor.code][stuck] = round(factor.mean, 2)
        if factor.code in series.zs:
            oxygen = series.avg["a19001"][stuck]
            series.zs[factor.code][stuck] = (
                series.avg[factor.code][stuck] * (21 - REFERENCE_O2) / (21 - oxygen)
            )
    elif kind == "missing":
        series.present[at : at + 5] = False
    elif kind == "range_edge":
        series.avg[factor.code][at : at + 4] = factor.range_low
        if factor.code in series.zs:
            series.zs[factor.code][at : at + 4] = factor.range_low
    else:
        code = next(iter(series.zs))
        oxygen = series.avg["a19001"][at : at + 4]
        series.zs[code][at : at + 4] = (
            series.avg[code][at : at + 4] * (21 - CONVERTED_O2_WRONG) / (21 - oxygen)
        )
    calibration = at - 26  # a day before the planted problem, which it must not hide
    for hour in range(calibration, calibration + 2):
        series.flags[factor.code][hour] = "C"


def _value(value: float) -> str:
    """A value as an upload carries it (three decimals)."""
    return f"{value:.3f}"


Field = tuple[str, float, float | None, str]
"""A factor's values in a mean upload: code, Avg, ZsAvg (or None) and flag."""


def _cp(data_time: int, fields: Iterable[Field]) -> str:
    """The CP area of a mean upload: DataTime, then per factor Min/Avg/Max, ZsAvg, Flag."""
    parts = [f"DataTime={timestamp_of_unix(data_time)}"]
    for code, avg, zs, flag in fields:
        low, high = _value(avg * 0.9), _value(avg * 1.1)
        record = f"{code}-Min={low},{code}-Avg={_value(avg)},{code}-Max={high}"
        if zs is not None:
            record += f",{code}-ZsAvg={_value(zs)}"
        parts.append(f"{record},{code}-Flag={flag}")
    return ";".join(parts)


def _frame(device: DemoDevice, cn: str, data_time: int, cp: str, received_ms: int) -> bytes:
    """An upload as the device's logger frames it (no answer asked: history)."""
    qn = qn_of_unix_ms(received_ms)
    text = f"QN={qn};ST={device.st};CN={cn};PW={device.pw};MN={device.mn};Flag=4;CP=&&{cp}&&"
    return frame_segment(text)


Upload = tuple[bytes, int]
"""A frame and when it was received [Unix ms]."""


def _hourly(device: DemoDevice, series: Series, since: int, now_ms: int) -> Iterator[Upload]:
    """The hourly (2061) uploads of the hours the device reported, from ``since``."""
    codes = [factor.code for factor in device.factors]
    for i, hour in enumerate(series.hours.tolist()):
        if hour < since or not series.present[i]:
            continue
        fields = (
            (
                code,
                float(series.avg[code][i]),
                float(series.zs[code][i]) if code in series.zs else None,
                series.flags[code][i],
            )
            for code in codes
        )
        received = min(now_ms, (hour + HOUR + 20) * 1000)
        yield _frame(device, "2061", hour, _cp(hour, fields), received), received


def _daily(device: DemoDevice, series: Series, since: int, now_ms: int) -> Iterator[Upload]:
    """The daily (2031) uploads of every whole Beijing day of the window, from the valid hourly
    means the device reported."""
    day_of = (series.hours + BEIJING_OFFSET_S) // DAY
    flagged_n = {code: np.array([f == "N" for f in flags]) for code, flags in series.flags.items()}
    for day in np.unique(day_of).tolist():
        start = day * DAY - BEIJING_OFFSET_S
        hours = (day_of == day) & series.present
        if start < since or int((day_of == day).sum()) < 24:
            continue
        fields = []
        for factor in device.factors:
            valid = hours & flagged_n[factor.code]
            avg = float(series.avg[factor.code][valid].mean())
            zs = float(series.zs[factor.code][valid].mean()) if factor.code in series.zs else None
            fields.append((factor.code, avg, zs, "N"))
        received = min(now_ms, (start + DAY + 60) * 1000)
        yield _frame(device, "2031", start, _cp(start, fields), received), received


def _detail(
    device: DemoDevice, series: Series, index: int, now: int, since: int
) -> Iterator[Upload]:
    """10-minute (2051) data of the last day and real-time (2011) data of the last hour, around
    the hourly means (the newest, still open hour continues the last one)."""
    rng = np.random.default_rng([SEED, index, 2])
    last = series.hours.size - 1
    now_ms = now * 1000

    def level(moment: int) -> int:
        return min(last, max(0, last - (int(series.hours[last]) - moment) // HOUR))

    for step, cn, first in ((600, "2051", now - DAY), (30, "2011", now - HOUR)):
        moment = first - first % step
        while moment + (step if cn == "2051" else 0) <= now:
            if moment < since:
                moment += step
                continue
            i = level(moment)
            if cn == "2051":
                fields = (
                    (
                        f.code,
                        float(series.avg[f.code][i]) * float(rng.uniform(0.95, 1.05)),
                        float(series.zs[f.code][i]) if f.code in series.zs else None,
                        "N",
                    )
                    for f in device.factors
                )
                cp = _cp(moment, fields)
            else:
                cp = f"DataTime={timestamp_of_unix(moment)};" + ";".join(
                    f"{f.code}-Rtd={_value(float(series.avg[f.code][i] * rng.uniform(0.9, 1.1)))}"
                    f",{f.code}-Flag=N"
                    for f in device.factors
                )
            received = min(now_ms, (moment + (step if cn == "2051" else 0) + 5) * 1000)
            yield _frame(device, cn, moment, cp, received), received
            moment += step


def _newest_hours(session: Session, mns: Sequence[str]) -> dict[str, int]:
    """The newest hourly DataTime stored for each of the devices that has one [Unix s]."""
    stmt = (
        select(Record.mn, func.max(Record.data_time))
        .where(Record.cn == "2061", Record.mn.in_(mns))
        .group_by(Record.mn)
    )
    return {str(mn): int(newest) for mn, newest in session.execute(stmt)}


def uploads(
    devices: Sequence[DemoDevice],
    now: int,
    since: int | Mapping[str, int],
    days: int = HISTORY_DAYS,
) -> Iterator[Upload]:
    """Every upload of the demo history of ``days`` days ending at ``now`` [Unix s], from
    ``since`` (one instant, or one per MN: a device not named has its whole history)."""
    end = now - now % HOUR
    hours = np.arange(end - days * DAY, end, HOUR, dtype=np.int64)
    live = _live_indexes(devices)
    for index, device in enumerate(devices):
        first = since if isinstance(since, int) else since.get(device.mn, -1)
        if first >= end:
            continue
        series = _draw(device, index, hours)
        _plant(device, index, series)
        yield from _hourly(device, series, first, now * 1000)
        if device.daily:
            yield from _daily(device, series, first, now * 1000)
        if index in live:
            yield from _detail(device, series, index, now, first)


def _safe_for_simulator(device: DemoDevice) -> bool:
    """Whether the simulator's values (its mean + 4 spreads) stay under every limit: a device
    the running demo feed may speak for without an exceedance an hour."""
    base = FACTORS.get(device.st, {})
    return all(
        f.code in base and base[f.code][0] + 4 * base[f.code][1] < (f.limit or 0)
        for f in device.limited
    )


def _live_indexes(devices: Sequence[DemoDevice]) -> frozenset[int]:
    """Indexes of the live devices, half flue gas and half wastewater where there are enough:
    devices the simulator can speak for, featured ones first."""
    safe = [i for i, d in enumerate(devices) if _safe_for_simulator(d)]
    safe.sort(key=lambda i: not devices[i].featured)
    chosen: list[int] = []
    for st in ("31", "32"):
        chosen += [i for i in safe if devices[i].st == st][: LIVE_DEVICES // 2]
    chosen += [i for i in safe if i not in chosen]
    return frozenset(chosen[:LIVE_DEVICES])


def live_devices(db: Database) -> list[SimulatedDevice]:
    """The devices the running demo feed speaks for (MN, PW, ST)."""
    with db.transaction(SYSTEM) as session:
        devices = _select_devices(session)
    return [
        SimulatedDevice(devices[i].mn, devices[i].pw, devices[i].st)
        for i in sorted(_live_indexes(devices))
    ]


def write_uploads(db: Database, frames: Iterator[Upload]) -> dict[str, int]:
    """Receive ``frames`` as the receiver does (its intake, its store), in batches of one
    transaction; returns the counts of frames and of records written."""
    intake = Intake(load_registry(db))
    counts = {"frames": 0, "records": 0, "rejected": 0}
    with db.transaction(SYSTEM, action="hj212.demo.load") as session:
        connection = session.connection()
        batch = Batch()
        for frame, received_ms in frames:
            batch.add(intake.frame(frame, PEER, received_ms))
            counts["frames"] += 1
            if counts["frames"] % BATCH == 0:
                _flush(connection, batch, counts)
                batch = Batch()
        _flush(connection, batch, counts)
        audit.record(session, "hj212.demo.load", entity="hj212_record", details=counts)
    return counts


def _flush(connection: Connection, batch: Batch, counts: dict[str, int]) -> None:
    """Write one batch; count its records and refusals."""
    written = write_batch(connection, batch)
    counts["records"] += written.changed
    counts["rejected"] += len(batch.rejects)


def load(
    db: Database,
    now: datetime | None = None,
    *,
    devices_at_most: int = MAX_DEVICES,
    days: int = HISTORY_DAYS,
) -> list[str]:
    """Write the demo history of ``days`` days up to ``now`` (default :func:`demo_now`) for at
    most ``devices_at_most`` devices (the benchmarks ask for a province's); a later load tops
    each device up from its newest stored hour (the live feed's devices from what it stored)."""
    moment = int((now or demo_now()).timestamp())
    with db.transaction(SYSTEM) as session:
        devices = _select_devices(session, devices_at_most)
        newest = _newest_hours(session, [d.mn for d in devices])
    if not devices:
        return ["  hj212: no simulated devices (load the sources demo first)"]
    since = {mn: hour + HOUR for mn, hour in newest.items()}
    counts = write_uploads(db, uploads(devices, moment, since, days))
    live = len(_live_indexes(devices))
    end = datetime.fromtimestamp(moment, UTC)
    judged = judge_all(db, SYSTEM, end - timedelta(days=days), end)
    return [
        f"  hj212: {counts['records']} records of {len(devices)} devices up to now "
        f"({counts['frames']} uploads through the receiver's intake; {live} live) (模拟数据)",
        f"  hj212: {judged.exceedances} exceedance events and {judged.findings} data-quality "
        "findings published to the alerts inbox",
    ]
