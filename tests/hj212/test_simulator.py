"""The simulated data loggers' packets: what a load generator renders from a template is the
upload a simulated logger sends, in header and CP layout."""

from __future__ import annotations

import random
import time
from datetime import datetime, timedelta

import polars as pl

from ecogov.hj212.frames import RECORD_SCHEMA, factor_frame
from ecogov.hj212.quality import CHECKS, CheckInput, run_checks
from ecogov.hj212.simulator import (
    OXYGEN,
    REFERENCE_O2,
    STEPS,
    AckLog,
    SimulatedDevice,
    SimulatedLogger,
    SimulationConfig,
    SimulationStats,
    upload_template,
)
from ecogov.standards.hj212 import frame_segment, parse_packet
from ecogov.standards.timebase import BEIJING, BEIJING_OFFSET_S

DEVICE = SimulatedDevice("888888800000000000000001", "123456", "32")


def test_upload_template_renders_the_upload_a_simulated_logger_sends() -> None:
    template = upload_template(DEVICE, "2061", random.Random(7))
    rendered = template.replace("{QN}", "20260101000000123").replace("{DT}", "20260101000000")
    from_template = parse_packet(frame_segment(rendered), strict=True).segment
    logger = SimulatedLogger(
        DEVICE, SimulationConfig(defects=0.0), SimulationStats(), AckLog(None), seed=7
    )
    sent = parse_packet(logger._packet("2061").frame, strict=True).segment
    for segment in (from_template, sent):
        assert (segment.st, segment.cn, segment.pw, segment.mn, segment.flag) == (
            "32", "2061", "123456", DEVICE.mn, 5,
        )  # fmt: skip
    assert from_template.qn == "20260101000000123"
    assert from_template.cp.get("DataTime").raw == "20260101000000"  # type: ignore[union-attr]
    assert from_template.cp.names == sent.cp.names


GAS = SimulatedDevice("888888800000000000000002", "123456", "31")


def _logger(device: SimulatedDevice, config: SimulationConfig) -> SimulatedLogger:
    return SimulatedLogger(device, config, SimulationStats(), AckLog(None), seed=3)


def test_converted_values_are_consistent_with_the_packets_oxygen() -> None:
    """An honest simulated stack: its converted values imply the one reference oxygen, so the
    zs_consistency check finds nothing in two days of its hourly means."""
    logger = _logger(GAS, SimulationConfig(defects=0.0, commands=("2061",)))
    records = []
    for _ in range(48):
        packet = logger._packet("2061")
        records.append((packet.data_time, packet.cp))
    hourly = factor_frame(pl.DataFrame(records, schema=RECORD_SCHEMA, orient="row"))
    first, last = records[0][0], records[-1][0] + 3600
    data = CheckInput(GAS.mn, hourly, first, last)
    assert run_checks(data, {name: False for name in CHECKS if name != "zs_consistency"}) == []
    oxygen = hourly.filter(pl.col("code") == OXYGEN)["Avg"]
    so2 = hourly.filter(pl.col("code") == "a21026")
    implied = 21 - (21 - oxygen) * so2["ZsAvg"] / so2["Avg"]
    assert (implied - REFERENCE_O2).abs().max() < 0.05  # type: ignore[operator]


def test_a_live_logger_sends_each_upload_once_its_interval_has_ended() -> None:
    """Live (the demo feed), DataTimes sit on each upload's step from the start, and only what
    is due by the wall clock is sent: real-time data at once, hourly means after their hour."""
    start = datetime.now(BEIJING) - timedelta(minutes=90)
    config = SimulationConfig(defects=0.0, start=start, live=True)
    logger = _logger(DEVICE, config)
    for cn, step in STEPS.items():
        if cn in config.commands:
            assert (logger.clock[cn] + BEIJING_OFFSET_S) % step == 0
            assert start.timestamp() - step < logger.clock[cn] <= start.timestamp()
    sent: list[tuple[str, int]] = []
    for _ in range(400):
        logger._next_packets()
        if not logger.pending:
            break
        sent += [(p.cn, p.data_time) for p in logger.pending]
        logger.pending.clear()
    now = time.time()
    assert sent
    assert all(data_time + (0 if cn == "2011" else STEPS[cn]) <= now for cn, data_time in sent)
    hourly = [data_time for cn, data_time in sent if cn == "2061"]
    assert 1 <= len(hourly) <= 2  # the hour(s) that ended since the start, not the current one
    assert logger.clock["2061"] + STEPS["2061"] > now
