"""The plans domain in the alerts inbox: it turns alerts into rectification items (the
``rectification`` converter) and publishes targets at risk or missed (目标预警).

A converted alert becomes a rectification item of the alert's region with origin ``alert`` and
``origin_ref`` ``alert:<id>``, the unit responsible for that region (its ecology and environment
bureau: 生态环境厅 for a province, 生态环境局 below) and a deadline; closing the item
(验收销号) closes the alert (:func:`ecogov.platform.alerts.settle`, called on every move).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Final

from ecogov.plans.service import beijing_today, create_item
from ecogov.plans.targets import Status
from ecogov.platform import alerts
from ecogov.platform.alerts import AlertConverter, AlertDraft, AlertKind, AlertView
from ecogov.platform.db import Database
from ecogov.platform.scope import SYSTEM, Principal
from ecogov.regions.service import get_region
from ecogov.standards.timebase import BEIJING

TARGET_KIND: Final = AlertKind("plans.target_off_track", "目标进度预警", "Target off track")
KINDS: Final = (TARGET_KIND,)
SEVERITY_OF_STATUS: Final = {Status.AT_RISK: "orange", Status.MISSED: "red"}
"""At risk (黄灯 on the scorecard) warns orange; missed (红灯) is red and opens an item."""
REF_PREFIX: Final = "rectification:"


def responsible_unit(db: Database, region_code: str) -> str:
    """The unit answerable for a region's problems: its ecology and environment bureau —
    浙江省生态环境厅, 杭州市生态环境局, and for a county the city bureau's branch
    (杭州市生态环境局西湖分局)."""
    region = get_region(db, SYSTEM, region_code)
    if region.code.endswith("0000"):
        return f"{region.name}生态环境厅"
    if region.code.endswith("00"):
        return f"{region.name}生态环境局"
    city = get_region(db, SYSTEM, region.code[:4] + "00")
    short = (
        region.name[:-1] if len(region.name) > 2 and region.name[-1] in "区县市旗" else region.name
    )
    return f"{city.name}生态环境局{short}分局"


def _problem(alert: AlertView) -> str:
    where = f"（{alert.site_name}）" if alert.site_name else ""
    return f"【预警转办】{alert.title}{where}"


def convert_to_item(
    db: Database, principal: Principal, alert: AlertView, request: alerts.ConversionRequest
) -> str:
    """Register the alert's problem as a rectification item (建档立案); returns its reference."""
    deadline = request.deadline or beijing_today() + timedelta(days=request.deadline_days)
    unit = request.unit_name or responsible_unit(db, alert.region_code)
    item_id = create_item(
        db,
        principal,
        region_code=alert.region_code,
        problem=_problem(alert),
        origin="alert",
        origin_ref=f"alert:{alert.id}",
        target="查明原因并消除预警所指问题，相关数据恢复达标",
        measures="核查预警证据，制定整改措施并按期落实，上传佐证材料",
        deadline=deadline,
        unit_name=unit,
    )
    return f"{REF_PREFIX}{item_id}"


def item_link(ref: str) -> str | None:
    """The page of the rectification item ``rectification:<id>``."""
    if not ref.startswith(REF_PREFIX):
        return None
    return f"/plans/rectification/{ref.removeprefix(REF_PREFIX)}"


CONVERTERS: Final = (
    AlertConverter("rectification", "整改事项", "Rectification item", convert_to_item, item_link),
)


@dataclass(frozen=True)
class TargetAlertInput:
    """What a target alert needs from an evaluated target (values in the indicator's unit)."""

    target_id: int
    plan_id: int
    plan_title: str
    plan_start: int
    region_code: str
    text: str
    indicator: str | None
    comparator: str | None
    goal: float | None
    year: int | None
    status: Status
    latest: float | None
    projection: float | None


def target_drafts(views: Iterable[TargetAlertInput]) -> list[AlertDraft]:
    """Alerts for the targets at risk or missed among evaluated targets: one per target and
    deadline year, over the plan's years up to the deadline year's end (Beijing time)."""
    drafts: list[AlertDraft] = []
    for view in views:
        severity = SEVERITY_OF_STATUS.get(view.status)
        if severity is None or view.year is None:
            continue
        end = datetime(view.year + 1, 1, 1, tzinfo=BEIJING).astimezone(UTC)
        start = min(datetime(view.plan_start, 1, 1, tzinfo=BEIJING).astimezone(UTC), end)
        state = "已未完成" if view.status is Status.MISSED else "有完不成风险"
        drafts.append(
            AlertDraft(
                kind=TARGET_KIND.key,
                severity=severity,
                title=f"目标“{view.text[:120]}”{state}",
                region_code=view.region_code,
                window_start=start,
                window_end=end,
                dedupe_key=f"plans.target:{view.target_id}:{view.year}",
                evidence={
                    "target_id": view.target_id,
                    "plan": view.plan_title,
                    "indicator": view.indicator,
                    "comparator": view.comparator,
                    "goal": view.goal,
                    "latest": view.latest,
                    "projection": view.projection,
                    "status": str(view.status),
                },
                link=f"/plans/{view.plan_id}",
            )
        )
    return drafts


def publish_targets(db: Database, views: Sequence[TargetAlertInput]) -> alerts.Published:
    """Publish the targets at risk or missed (idempotent: one alert per target and year)."""
    return alerts.publish(db, target_drafts(views))
