"""Demo accounts, one per kind of user in Zhejiang (the demo province)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from ecogov.accounts.models import User
from ecogov.accounts.service import create_user
from ecogov.platform.db import Database
from ecogov.platform.scope import SYSTEM, Role


@dataclass(frozen=True)
class DemoLogin:
    """A demo account and its password (printed by ``make demo``)."""

    username: str
    password: str
    role: Role
    region_code: str | None
    display_name: str


DEMO_LOGINS = (
    DemoLogin("admin", "ecogov-admin", Role.ADMIN, None, "平台管理员"),
    DemoLogin("zhejiang", "zhejiang-demo", Role.PROVINCE_OFFICER, "330000", "浙江省生态环境厅"),
    DemoLogin("hangzhou", "hangzhou-demo", Role.CITY_OFFICER, "330100", "杭州市生态环境局"),
    DemoLogin("xihu", "xihu-demo", Role.COUNTY_OFFICER, "330106", "杭州市生态环境局西湖分局"),
    DemoLogin("leader", "leader-demo", Role.LEADER, "330000", "省领导（只读）"),
)


def load(db: Database) -> list[str]:
    """Create the demo accounts that do not exist yet; returns the logins to show the user."""
    with db.transaction(SYSTEM) as session:
        existing = set(session.scalars(select(User.username)))
    for login in DEMO_LOGINS:
        if login.username not in existing:
            create_user(
                db,
                SYSTEM,
                username=login.username,
                password=login.password,
                role=login.role,
                region_code=login.region_code,
                display_name=login.display_name,
            )
    return ["demo logins (username / password — role, region):"] + [
        f"  {login.username} / {login.password} — {login.role}, {login.region_code or 'all'}"
        for login in DEMO_LOGINS
    ]
