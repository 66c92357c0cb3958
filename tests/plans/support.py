"""What the plans tests share: principals, a small committed plan, a fake computed indicator."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import select

from ecogov.plans import service
from ecogov.plans.importer import PlanDraft, Section, Target, Task
from ecogov.plans.models import Task as TaskRow
from ecogov.platform.db import Database
from ecogov.platform.indicators import Indicator, IndicatorValue
from ecogov.platform.scope import SYSTEM, Principal, Role

PROVINCE = Principal("zj", Role.PROVINCE_OFFICER, region_code="330000")
CITY = Principal("hz", Role.CITY_OFFICER, region_code="330100")
COUNTY = Principal("xh", Role.COUNTY_OFFICER, region_code="330106")
OTHER_COUNTY = Principal("sc", Role.COUNTY_OFFICER, region_code="330102")
LEADER = Principal("ld", Role.LEADER, region_code="330000")
ENTERPRISE = Principal("ent", Role.ENTERPRISE, enterprise_id=1)
EVIDENCE = service.EvidenceFile("photo.jpg", "image/jpeg", b"\xff\xd8 evidence")

GOOD_DAYS_TARGET = Target(
    "air.good_day_ratio", ">=", 85, "%", "设区城市", 2026, "优良天数比率达到85%以上"
)


def small_plan(
    db: Database,
    region: str,
    tasks: Sequence[tuple[str, str | None, tuple[str, ...]]],
    targets: Sequence[Target] = (),
    title: str = "测试工作要点",
) -> int:
    """Commit a plan of ``tasks`` (number, due, lead units) and ``targets``; its id."""
    draft = PlanDraft(
        title,
        sections=(
            Section(
                "一",
                "重点任务",
                tuple(
                    Task(number, f"任务{number}", lead, (), None, due)
                    for number, due, lead in tasks
                ),
            ),
        ),
        targets=tuple(targets),
    )
    meta = service.PlanMeta(region_code=region, start_year=2024, end_year=2026)
    return service.commit_plan(db, SYSTEM, draft, meta)


def task_ids(db: Database, plan_id: int) -> dict[str, int]:
    """The plan's task ids by number."""
    with db.transaction(SYSTEM) as session:
        rows = session.execute(select(TaskRow.number, TaskRow.id).where(TaskRow.plan_id == plan_id))
        return dict(rows.all())


class FakeAirEngine:
    """Stands in for the air engine: good-day ratios held in a dict, changeable by a test."""

    def __init__(self) -> None:
        self.values: dict[tuple[str, int], IndicatorValue] = {}
        self.calls = 0

    def compute(self, db: Database, region_code: str, year: int) -> IndicatorValue | None:
        """The stored value (counting calls, to check the per-request cache)."""
        self.calls += 1
        return self.values.get((region_code, year))

    def indicator(self) -> Indicator:
        """``air.good_day_ratio`` computed by this fake."""
        return Indicator(
            "air.good_day_ratio", "优良天数比率", "Good-day ratio", "%", True, compute=self.compute
        )


def partial(year: int, value: float, today: date) -> IndicatorValue:
    """A year-to-date value on ``today``."""
    fraction = (today - date(year, 1, 1)).days / 365
    return IndicatorValue(value=value, year=year, partial=True, elapsed_fraction=fraction)
