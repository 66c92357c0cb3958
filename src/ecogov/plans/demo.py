"""Demo data of the plans domain: two published plans imported through the review flow, a city's
breakdown of the province's tasks, and simulated progress (模拟) on a fixed demo day.

* Seed 000 (浙江省 2020年全省生态环境工作要点, 330000) and seed 004 (湖州市生态文明示范创建行动
  计划（2018-2022）, 330500) are uploaded, reviewed and committed like any plan. Their years are
  moved forward by :data:`YEAR_SHIFT` so that their targets fall in the years the simulated
  monitoring data cover (the title says so); the 000 tasks get simulated lead units (厅内处室) and
  interim deadlines, as a reviewer would set them.
* 杭州市 (330100) breaks the province's air and water tasks down for itself, with the province's
  air and water targets: a target on ``air.good_day_ratio`` for a demo city.
* Progress is simulated with a fixed seed by simulated officers (usernames ``sim-…``): some tasks
  closed, some in progress with reports, several overdue after the escalation run on the day the
  demo is loaded (the business clock, :mod:`ecogov.platform.clock`: ``ECOGOV_CLOCK=2026-11-22``
  replays :data:`DEMO_DAY`, the day the demo's dates were laid out for); rectification items
  from inspections, complaints and alerts in every state,
  one verified and awaiting its second sign-off; manual indicator values with their evidence.

The demo logins can then play the whole loop: ``hangzhou`` reports on an overdue task of
330100 and requests its closure, ``zhejiang`` closes it; ``xihu`` works on 330106's items,
``hangzhou`` verifies them, ``zhejiang`` and ``leader`` sign them off.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Final

from sqlalchemy import select

from ecogov.plans import drafts, indicators, service, tracking
from ecogov.plans.importer import PlanDraft, Section, Task
from ecogov.plans.models import Plan, ProgressReport, RectificationItem, WorkflowEvent
from ecogov.plans.models import Task as TaskRow
from ecogov.plans.targets import Status
from ecogov.platform import clock
from ecogov.platform.db import Database
from ecogov.platform.scope import SYSTEM, Principal, Role
from ecogov.standards.timebase import BEIJING

SEEDS: Final = Path(__file__).resolve().parents[4] / "shared" / "seeds"
DEMO_DAY: Final = date(2026, 11, 22)
"""The day the demo's fixed dates (deadlines, seed years) were laid out for. The demo itself runs
on the business clock: escalating on a fixed day stored "22 days overdue" for an item whose
deadline had passed 36 days before the day it was shown."""
YEAR_SHIFT: Final = 6
SEED: Final = 20261122
DEMO_ISSUER: Final = "演示数据：分工、时限与进展均为模拟"
DEMO_REF: Final = "-演示-"
"""Marks the origin reference of every demo rectification item (督察反馈-演示-01 …)."""

SIM_PROVINCE: Final = Principal("sim-zhejiang", Role.PROVINCE_OFFICER, region_code="330000")
SIM_PROVINCE_REVIEW: Final = Principal(
    "sim-zhejiang-review", Role.PROVINCE_OFFICER, region_code="330000"
)
SIM_HANGZHOU: Final = Principal("sim-hangzhou", Role.CITY_OFFICER, region_code="330100")
SIM_HUZHOU: Final = Principal("sim-huzhou", Role.CITY_OFFICER, region_code="330500")
SIM_XIHU: Final = Principal("sim-xihu", Role.COUNTY_OFFICER, region_code="330106")
SIM_LEADER: Final = Principal("sim-leader", Role.LEADER, region_code="330000")
WORKERS: Final = {
    "330000": (SIM_PROVINCE, SIM_PROVINCE_REVIEW),
    "330100": (SIM_HANGZHOU, SIM_PROVINCE),
    "330500": (SIM_HUZHOU, SIM_PROVINCE),
}
"""Who does and who checks the work of each demo plan's region (simulated officers)."""

PROVINCE_UNITS: Final = (
    "省生态环境厅综合规划处",
    "省生态环境厅大气环境处",
    "省生态环境厅水生态环境处",
    "省生态环境厅土壤生态环境处",
    "省生态环境厅固体废物与化学品处",
    "省生态环境厅执法局",
    "省生态环境厅法规与标准处",
    "省生态环境厅科技与财务处",
    "省生态环境厅环评与排放管理处",
    "省生态环境厅机关党委",
)
"""Simulated lead units of seed 000's ten chapters, in order."""
QUARTER_ENDS: Final = ("2026-03-31", "2026-06-30", "2026-09-30", "2026-12-31")
PROGRESS: Final = (
    "（模拟）已制定实施方案并印发，明确责任分工和时间节点。",
    "（模拟）已召开专题推进会，完成年度阶段性任务。",
    "（模拟）已完成现场核查，相关问题整改到位。",
    "（模拟）已完成项目招标，正在组织施工。",
    "（模拟）已纳入月度督查清单，正按计划推进。",
)
EVIDENCE: Final = service.EvidenceFile(
    "模拟佐证材料.txt", "text/plain", "演示用模拟佐证材料（非真实文件）。".encode()
)


def _seed(prefix: str) -> Path | None:
    found = sorted(SEEDS.glob(f"{prefix}_*.txt")) if SEEDS.is_dir() else []
    return found[0] if found else None


def _later(text: str | None) -> str | None:
    """An ISO date of any precision moved forward by :data:`YEAR_SHIFT` years."""
    return None if text is None else f"{int(text[:4]) + YEAR_SHIFT}{text[4:]}"


def _shifted(draft: PlanDraft) -> PlanDraft:
    """The draft with every year moved forward by :data:`YEAR_SHIFT` and the title saying so."""
    sections = tuple(
        replace(
            section,
            tasks=tuple(
                replace(task, start=_later(task.start), due=_later(task.due))
                for task in section.tasks
            ),
        )
        for section in draft.sections
    )
    targets = tuple(
        replace(t, year=None if t.year is None else t.year + YEAR_SHIFT) for t in draft.targets
    )
    projects = tuple(
        replace(
            p,
            start_year=None if p.start_year is None else p.start_year + YEAR_SHIFT,
            end_year=None if p.end_year is None else p.end_year + YEAR_SHIFT,
        )
        for p in draft.projects
    )
    title = f"{draft.title}（演示：年份顺延{YEAR_SHIFT}年）"
    return PlanDraft(title, sections, targets, projects)


def _province_review(draft: PlanDraft, rng: random.Random) -> PlanDraft:
    """Seed 000 as a reviewer would complete it: a lead unit per chapter, interim deadlines."""
    sections = tuple(
        replace(
            section,
            tasks=tuple(
                replace(task, lead_units=(unit,), due=rng.choice(QUARTER_ENDS))
                for task in section.tasks
            ),
        )
        for section, unit in zip(draft.sections, PROVINCE_UNITS, strict=False)
    )
    return replace(draft, sections=sections)


def _import(db: Database, path: Path, region: str, review: bool) -> tuple[int, PlanDraft]:
    """Upload a seed, edit its draft as a reviewer would, commit it; the plan id and draft."""
    draft_id = drafts.upload(
        db,
        SYSTEM,
        region_code=region,
        text=path.read_text(encoding="utf-8"),
        source_name=f"{path.name}（演示种子）",
        year=None,
        today=clock.today(),
    )
    view = drafts.get_draft(db, SYSTEM, draft_id)
    edited = _shifted(view.draft)
    if review:
        edited = _province_review(edited, random.Random(SEED))
    drafts.save(
        db,
        SYSTEM,
        draft_id,
        edited,
        start_year=view.start_year + YEAR_SHIFT,
        end_year=view.end_year + YEAR_SHIFT,
    )
    plan_id = drafts.commit(db, SYSTEM, draft_id)
    with db.transaction(SYSTEM, action="plans.demo.label") as session:
        plan = session.get(Plan, plan_id)
        assert plan is not None
        plan.issuer = DEMO_ISSUER
    return plan_id, edited


HANGZHOU_DUES: Final = (
    "2026-03-31",
    "2026-06-30",
    "2026-09-30",
    "2026-10-31",
    "2026-12-31",
    "2026-06-30",
    "2026-12-31",
    "2026-08-31",
    "2026-12-31",
    "2026-11-15",
)
HANGZHOU_OUTCOMES: Final = (
    "closed",
    "closed",
    "overdue",
    "reported",
    "reported",
    "closure_requested",
    "assigned",
    "closed",
    "reported",
    "overdue",
)
"""Deadlines and simulated outcomes of Hangzhou's ten tasks, in order."""


def _hangzhou_breakdown(province: PlanDraft) -> PlanDraft:
    """Hangzhou's breakdown of the province's air (二) and water (三) chapters, with their
    bound targets."""
    chapters = [s for s in province.sections if s.number in ("二", "三")]
    tasks = [task for section in chapters for task in section.tasks]
    units = {"二": "杭州市生态环境局", "三": "杭州市治水办"}
    broken: list[Section] = []
    index = 0
    for section in chapters:
        own: list[Task] = []
        for task in section.tasks:
            co = ("西湖区人民政府",) if index % 2 == 0 else ("杭州市发改委", "杭州市建委")
            own.append(
                replace(
                    task,
                    lead_units=(units[section.number or ""],),
                    co_units=co,
                    due=HANGZHOU_DUES[index],
                )
            )
            index += 1
        broken.append(replace(section, tasks=tuple(own)))
    assert index == len(tasks) == len(HANGZHOU_DUES)
    keys = ("air.", "water.")
    targets = tuple(
        replace(t, scope=None) for t in province.targets if (t.indicator or "").startswith(keys)
    )
    return PlanDraft("杭州市落实全省生态环境工作要点任务分解（演示）", tuple(broken), targets, ())


def _simulate(db: Database, task_id: int, region: str, outcome: str, rng: random.Random) -> None:
    """Move one task to a simulated outcome through the workflow, as its officers would."""
    worker, checker = WORKERS[region]
    if outcome == "assigned" or outcome == "overdue":
        return
    service.act(db, worker, "task", task_id, "start")
    files = [EVIDENCE] if outcome != "reported" else []
    service.add_report(db, worker, "task", task_id, rng.choice(PROGRESS), files)
    if outcome in ("closure_requested", "closed"):
        service.act(db, worker, "task", task_id, "request_closure")
    if outcome == "closed":
        service.act(db, checker, "task", task_id, "close")
        _backdate(db, task_id, rng)


def _backdate(db: Database, task_id: int, rng: random.Random) -> None:
    """Put a simulated closing on a simulated day around its deadline (mostly before it): the
    workflow stamps the real time, which would make every demo task closed on the demo day."""
    with db.transaction(SYSTEM, action="plans.demo.timeline") as session:
        task = session.get(TaskRow, task_id)
        assert task is not None
        assert task.due is not None
        yesterday = clock.today() - timedelta(days=1)
        closed_on = min(task.due - timedelta(days=rng.randint(-12, 30)), yesterday)
        task.closed_at = datetime.combine(closed_on, time(17), tzinfo=BEIJING)
        events = session.scalars(
            select(WorkflowEvent)
            .where(WorkflowEvent.subject == "task", WorkflowEvent.subject_id == task_id)
            .order_by(WorkflowEvent.id.desc())
        ).all()
        for steps_back, event in enumerate(events):
            event.at = task.closed_at - timedelta(days=3 * steps_back)
        for report in session.scalars(
            select(ProgressReport).where(
                ProgressReport.subject == "task", ProgressReport.subject_id == task_id
            )
        ):
            report.created_at = task.closed_at - timedelta(days=4)


def _outcome(due: date | None, rng: random.Random) -> str:
    """A seeded outcome for a task: work past its deadline is mostly done or overdue."""
    if due is not None and due < clock.today():
        return rng.choices(("closed", "closure_requested", "overdue"), (5, 1, 4))[0]
    return rng.choices(("closed", "reported", "assigned"), (1, 4, 4))[0]


def _tasks(db: Database, plan_id: int) -> list[tuple[int, date | None]]:
    with db.transaction(SYSTEM) as session:
        rows = session.execute(
            select(TaskRow.id, TaskRow.due).where(TaskRow.plan_id == plan_id).order_by(TaskRow.id)
        )
        return [(task_id, due) for task_id, due in rows]


def _progress(db: Database, plan_id: int, region: str, rng: random.Random) -> int:
    """Simulated progress on every task of a plan; returns how many tasks moved."""
    moved = 0
    for task_id, due in _tasks(db, plan_id):
        outcome = _outcome(due, rng)
        _simulate(db, task_id, region, outcome, rng)
        moved += outcome not in ("assigned", "overdue")
    return moved


def _items(db: Database) -> Iterator[str]:
    """Rectification items from inspections, complaints and alerts in different states."""

    def create(region: str, problem: str, origin: str, ref: str, deadline: date, unit: str) -> int:
        return service.create_item(
            db,
            SIM_PROVINCE,
            region_code=region,
            problem=f"{problem}（模拟）",
            origin=origin,
            origin_ref=ref,
            target="问题整改到位并经验收",
            measures="制定整改方案，明确措施、时限和责任人，整改完成后报送佐证材料",
            deadline=deadline,
            unit_name=unit,
        )

    overdue = create(
        "330106", "某河道支流水体发黑发臭", "inspection", "督察反馈-演示-01",
        date(2026, 10, 31), "西湖区治水办",
    )  # fmt: skip
    complaint = create(
        "330106", "群众投诉某餐饮店油烟扰民", "complaint", "12345-演示-0815",
        date(2026, 12, 31), "西湖区综合行政执法局",
    )  # fmt: skip
    service.act(db, SIM_XIHU, "rectification", complaint, "start")
    service.add_report(db, SIM_XIHU, "rectification", complaint, PROGRESS[4])
    alert = create(
        "330106", "某企业在线监测化学需氧量日均值超标预警", "alert", "预警-演示-0311",
        date(2026, 12, 15), "西湖区生态环境分局",
    )  # fmt: skip
    service.add_report(db, SIM_XIHU, "rectification", alert, PROGRESS[2], [EVIDENCE])
    service.act(db, SIM_XIHU, "rectification", alert, "request_closure")
    verified = create(
        "330100", "某国控站点PM2.5小时浓度连续超标预警", "alert", "预警-演示-0927",
        date(2026, 11, 30), "杭州市生态环境局",
    )  # fmt: skip
    service.add_report(db, SIM_HANGZHOU, "rectification", verified, PROGRESS[2], [EVIDENCE])
    service.act(db, SIM_HANGZHOU, "rectification", verified, "request_closure")
    service.act(db, SIM_PROVINCE, "rectification", verified, "verify")
    service.sign_off(db, SIM_PROVINCE, verified)
    closed = create(
        "330500", "督察反馈：某废弃矿山生态修复滞后", "inspection", "督察反馈-演示-07",
        date(2026, 9, 30), "湖州市自然资源和规划局",
    )  # fmt: skip
    service.add_report(db, SIM_HUZHOU, "rectification", closed, PROGRESS[3], [EVIDENCE])
    service.act(db, SIM_HUZHOU, "rectification", closed, "request_closure")
    service.act(db, SIM_PROVINCE, "rectification", closed, "verify")
    service.sign_off(db, SIM_PROVINCE, closed)
    service.sign_off(db, SIM_LEADER, closed)
    province = create(
        "330000", "群众反映某化工园区夜间异味", "complaint", "信访-演示-1102",
        date(2026, 9, 30), "省生态环境厅执法局",
    )  # fmt: skip
    service.act(db, SIM_PROVINCE, "rectification", province, "start")
    create(
        "330100", "优良天数比率低于年度进度目标", "target", "目标预警-演示-2026",
        date(2026, 12, 31), "杭州市生态环境局",
    )  # fmt: skip
    yield f"  rectification items: 7 (overdue item {overdue} of 330106, verified item {verified})"


MANUAL_VALUES: Final = (
    ("soil.contaminated_site_safe_use_rate", "330000", ((2025, 91.2), (2026, 92.0))),
    ("soil.contaminated_site_safe_use_rate", "330500", ((2024, 91.0), (2025, 92.1), (2026, 92.8))),
    ("soil.polluted_farmland_safe_use_rate", "330500", ((2024, 93.5), (2025, 92.6), (2026, 93.0))),
    ("eco.forest_coverage", "330500", ((2025, 48.5), (2026, 48.7))),
)
"""Simulated manual values (indicator, region, (year, value)…)."""


def _manual_values(db: Database) -> int:
    count = 0
    for key, region, values in MANUAL_VALUES:
        for year, value in values:
            indicators.report_value(
                db,
                SIM_PROVINCE,
                key=key,
                region_code=region,
                year=year,
                value=value,
                evidence=f"（模拟）{year}年度统计报表",
                today=clock.today(),
            )
            count += 1
    return count


def _loaded(db: Database) -> bool:
    """Whether the demo ran before (its rectification items are loaded with or without seeds)."""
    with db.transaction(SYSTEM) as session:
        found = session.scalar(
            select(RectificationItem.id).where(RectificationItem.origin_ref.contains(DEMO_REF))
        )
        return found is not None


def load(db: Database) -> list[str]:
    """Load the plans demo (skipped when already loaded; the plans need ../shared/seeds)."""
    if _loaded(db):
        return ["  plans demo already loaded"]
    notes: list[str] = []
    province_seed, huzhou_seed = _seed("000"), _seed("004")
    if province_seed is None or huzhou_seed is None:
        notes.append(f"  notice: seed plans not found in {SEEDS}; demo plans skipped")
    else:
        rng = random.Random(SEED)
        province_id, province = _import(db, province_seed, "330000", review=True)
        huzhou_id, _ = _import(db, huzhou_seed, "330500", review=False)
        hangzhou_id = service.commit_plan(
            db,
            SYSTEM,
            _hangzhou_breakdown(province),
            service.PlanMeta(
                region_code="330100", start_year=2026, end_year=2026, issuer=DEMO_ISSUER
            ),
        )
        moved = _progress(db, province_id, "330000", rng) + _progress(db, huzhou_id, "330500", rng)
        for (task_id, _), outcome in zip(_tasks(db, hangzhou_id), HANGZHOU_OUTCOMES, strict=True):
            _simulate(db, task_id, "330100", outcome, rng)
        notes.append(
            f"  plans {province_id} (330000), {huzhou_id} (330500), {hangzhou_id} (330100); "
            f"simulated progress on {moved} tasks"
        )
    notes.extend(_items(db))
    notes.append(f"  manual indicator values: {_manual_values(db)}")
    today = clock.today()
    notes.append(f"  escalation run for {today}: {len(service.escalate(db, today))} steps")
    notes.append(_target_alerts(db))
    return notes


def _target_alerts(db: Database) -> str:
    """Evaluate the demo plans' targets on the clock's day: those at risk or missed go into the
    alerts inbox (the command centre would publish them on first look anyway)."""
    with db.transaction(SYSTEM) as session:
        regions = sorted(set(session.scalars(select(Plan.region_code))))
    today = clock.today()
    views = [v for code in regions for v in tracking.region_targets(db, SYSTEM, code, today)]
    off = sum(v.result.status in (Status.AT_RISK, Status.MISSED) for v in views)
    return f"  target alerts: {off} of {len(views)} targets at risk or missed on {today}"
