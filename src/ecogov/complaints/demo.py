"""Demo complaints (deterministic, idempotent): a few hundred complaints over the demo year in
the demo counties, in every state of the machine, with clusters of repeated complaints and some
past their time limits."""

from __future__ import annotations

import random
from datetime import UTC, datetime, time, timedelta

from sqlalchemy import func, select

from ecogov.complaints import service
from ecogov.complaints.models import CATEGORIES, Complaint
from ecogov.platform.clock import frozen
from ecogov.platform.clock import today as clock_today
from ecogov.platform.db import Database
from ecogov.platform.scope import SYSTEM
from ecogov.sources.models import Enterprise

COUNTIES = ("330106", "330102", "330105", "330108")
PLACES = ("文三路{n}号", "西溪路{n}号", "莫干山路{n}号", "滨江大道{n}号", "工业园区{n}号厂房")
TEXTS = {
    "air": "工厂烟囱冒黑烟，气味刺鼻",
    "water": "河道出现排污口，水体发黑发臭",
    "noise": "夜间施工噪声扰民",
    "waste": "路边倾倒建筑垃圾和不明固体废物",
    "odour": "附近有持续异味，夜间尤其明显",
    "other": "其他生态环境问题",
}
INDUSTRIAL = ("air", "water", "odour", "noise")
"""Categories a demo complaint names an enterprise for (of its county, from the sources demo)."""
ROUTE = ("accept", "assign", "check", "handle", "answer", "follow_up", "archive")
COUNT = 300
NOTES = {
    "reject": "不属于生态环境部门职责，已告知向相关部门反映",
    "handle": "现场核查完毕",
    "answer": "经核查已责令整改，感谢您的监督",
}


def load(db: Database) -> list[str]:
    """Load the demo complaints once (skipped when complaints exist)."""
    with db.transaction(SYSTEM) as session:
        if session.scalar(select(func.count(Complaint.id))):
            return []
        enterprises: dict[str, list[int]] = {}
        for enterprise_id, region in session.execute(
            select(Enterprise.enterprise_id, Enterprise.region_code)
            .where(Enterprise.region_code.in_(COUNTIES))
            .order_by(Enterprise.enterprise_id)
        ):
            enterprises.setdefault(region, []).append(enterprise_id)
    rng = random.Random(17)
    end = clock_today()
    start = end - timedelta(days=360)
    for index in range(COUNT):
        day = start + timedelta(days=int(360 * index / COUNT))
        category = rng.choice(CATEGORIES)
        county = rng.choice(COUNTIES)
        place = rng.choice(PLACES).format(n=rng.randint(1, 8) if index % 5 == 0 else 100 + index)
        nearby = enterprises.get(county, [])
        named = nearby and category in INDUSTRIAL and index % 4 == 0
        concerned = nearby[index % len(nearby)] if named else None
        moment = datetime.combine(day, time(9 + index % 8), tzinfo=UTC)
        new = service.NewComplaint(
            region_code=county,
            category=category,
            text=TEXTS[category],
            address=place,
            lon=120.10 + rng.random() * 0.15,
            lat=30.20 + rng.random() * 0.12,
            name="演示群众" if index % 3 == 0 else None,
            phone=f"1380000{index:04d}" if index % 3 == 0 else None,
            enterprise_id=concerned,
            channel=("portal", "phone_12345", "phone_12369")[index % 3],
            received_at=moment,
        )
        with frozen(moment):
            receipt = service.file_complaint(db, SYSTEM, new)
        age = (end - day).days
        steps = len(ROUTE) if age > 90 else rng.randint(0, len(ROUTE) - 1)
        if index % 17 == 0:
            steps = -1  # not accepted
        when = moment
        for step in range(steps if steps >= 0 else 1):
            action = "reject" if steps < 0 else ROUTE[step]
            when = when + timedelta(days=rng.randint(1, 12))
            if when.date() > end:
                break
            data = service.MoveInput(
                unit_name="属地生态环境分局",
                verified=rng.random() < 0.6,
                satisfaction=rng.choice(service.SATISFACTION),
            )
            note = NOTES.get(action)
            with frozen(when):
                service.act(db, SYSTEM, receipt.id, action, note, data)
    with frozen(datetime.combine(end, time(12), tzinfo=UTC)):
        service.tick(db, end)
    return [f"信访投诉演示数据：{COUNT} 件（demo complaints: {COUNT}）"]
