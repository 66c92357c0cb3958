"""The simulated data loggers' packets: what a load generator renders from a template is the
upload a simulated logger sends, in header and CP layout."""

from __future__ import annotations

import random

from ecogov.hj212.simulator import (
    AckLog,
    SimulatedDevice,
    SimulatedLogger,
    SimulationConfig,
    SimulationStats,
    upload_template,
)
from ecogov.standards.hj212 import frame_segment, parse_packet

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
