"""What the plans domain gives the one map component: the target-status legend (the traffic
lights of :mod:`ecogov.plans.targets`) the command centre's indicator map shades areas by."""

from __future__ import annotations

from datetime import date
from typing import Final

from ecogov.plans.messages import MESSAGES
from ecogov.plans.targets import STATUS_COLOURS, Status
from ecogov.platform.maps import Legend, LegendItem

TARGET_LEGEND: Final = "target_status"
MAP_STATUSES: Final = (Status.MET, Status.AT_RISK, Status.MISSED)
"""Statuses a value can take against a goal on the map (see :func:`targets.value_band`)."""


def target_legend(when: date) -> Legend:
    """Values against their region's target: met, met by less than the risk margin, missed."""
    del when
    return Legend(
        key=TARGET_LEGEND,
        title_zh="对照目标值",
        title_en="Against the target",
        items=tuple(
            LegendItem(
                status.value,
                MESSAGES[f"plans.target.{status.value}"][0],
                MESSAGES[f"plans.target.{status.value}"][1],
                STATUS_COLOURS[status],
            )
            for status in MAP_STATUSES
        ),
    )
