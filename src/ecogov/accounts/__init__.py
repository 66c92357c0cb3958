"""Accounts domain (用户与权限): users, roles, login sessions."""

from __future__ import annotations

from pathlib import Path

from ecogov.accounts import api, cli, demo, pages
from ecogov.accounts.access import USERS
from ecogov.platform.plugins import Domain, NavItem

_HERE = Path(__file__).resolve().parent

domain = Domain(
    name="accounts",
    models="ecogov.accounts.models",
    migrations=_HERE / "migrations",
    api=api.router,
    pages=pages.router,
    cli=cli.app,
    cli_name="users",
    demo=demo.load,
    demo_order=10,
    nav=(NavItem("nav.users", "/users", order=95, requires=("manage", USERS.key)),),
    permissions=(USERS,),
    messages={
        "users.display_name": ("姓名/单位", "Display name"),
        "users.role": ("角色", "Role"),
        "users.state": ("状态", "State"),
        "users.active": ("启用", "Active"),
        "users.disabled": ("停用", "Disabled"),
    },
    templates=_HERE / "templates",
)
