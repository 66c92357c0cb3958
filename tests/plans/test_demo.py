"""The plans demo: seed plans imported through the review flow, simulated progress, and the
browser loop possible with the demo logins (needs ../shared/seeds)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from ecogov.accounts.demo import load as load_demo_accounts
from ecogov.plans import demo, queries, service
from ecogov.plans.models import Plan, PlanDraftRecord, RectificationItem, Target
from ecogov.platform import clock
from ecogov.platform.db import Database
from ecogov.platform.scope import SYSTEM, Principal, Role

HANGZHOU = Principal("hangzhou", Role.CITY_OFFICER, region_code="330100")
ZHEJIANG = Principal("zhejiang", Role.PROVINCE_OFFICER, region_code="330000")
XIHU = Principal("xihu", Role.COUNTY_OFFICER, region_code="330106")
LEADER = Principal("leader", Role.LEADER, region_code="330000")


def test_demo_plans_progress_and_the_loop_for_the_demo_logins(
    db: Database, shared_dir: Path
) -> None:
    load_demo_accounts(db)
    with clock.frozen(demo.DEMO_DAY):  # the day the demo's dates were laid out for
        notes = demo.load(db)
    assert any("(330000)" in note and "(330100)" in note for note in notes)
    assert demo.load(db) == ["  plans demo already loaded"]
    with db.transaction(SYSTEM) as session:
        plans = session.execute(select(Plan.region_code, Plan.title, Plan.issuer)).all()
        drafts = session.scalars(select(PlanDraftRecord.status)).all()
        bound = session.scalars(
            select(Target.indicator).where(Target.region_code == "330100")
        ).all()
        items = dict(
            session.execute(
                select(RectificationItem.status, func.count()).group_by(RectificationItem.status)
            ).all()
        )
    assert [region for region, _, _ in plans] == ["330000", "330500", "330100"]
    assert all("演示" in title or "模拟" in (issuer or "") for _, title, issuer in plans)
    assert drafts == ["committed", "committed"]  # both seeds went through the review flow
    assert "air.good_day_ratio" in bound
    assert items["verified"] == 1
    assert items["overdue"] >= 1

    # hangzhou can report on and request closure of an overdue task; zhejiang closes it
    overdue = queries.task_ledger(db, HANGZHOU, queries.TaskFilter(status="overdue"))
    assert len(overdue) >= 2
    task = overdue[0]
    assert task.region_code == "330100"
    service.add_report(db, HANGZHOU, "task", task.id, "已整改", [demo.EVIDENCE])
    assert service.act(db, HANGZHOU, "task", task.id, "request_closure") == "closure_requested"
    assert service.act(db, ZHEJIANG, "task", task.id, "close") == "closed"

    # xihu has an overdue item to work on; the leader can give the verified one its 2nd signature
    xihu_items = queries.item_ledger(db, XIHU, queries.ItemFilter(status="overdue"))
    assert [item.region_code for item in xihu_items] == ["330106"]
    (verified,) = queries.item_ledger(db, LEADER, queries.ItemFilter(status="verified"))
    assert queries.detail(db, LEADER, "rectification", verified.id).can_sign_off
