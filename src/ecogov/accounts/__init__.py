"""Accounts domain (用户与权限): users, roles, login sessions."""

from __future__ import annotations

from pathlib import Path

from ecogov.accounts import api, cli, demo, pages
from ecogov.accounts.service import principal_from_token
from ecogov.platform.plugins import Domain, NavItem
from ecogov.platform.scope import Role

_HERE = Path(__file__).resolve().parent

domain = Domain(
    name="accounts",
    models="ecogov.accounts.models",
    migrations=_HERE / "migrations",
    api=api.router,
    pages=pages.router,
    cli=cli.app,
    cli_name="users",
    principal_loader=principal_from_token,
    demo=demo.load,
    demo_order=10,
    nav=(NavItem("nav.users", "/users", roles=frozenset({Role.ADMIN}), order=95),),
    messages={
        "users.display_name": ("姓名/单位", "Display name"),
        "users.role": ("角色", "Role"),
        "users.state": ("状态", "State"),
        "users.active": ("启用", "Active"),
        "users.disabled": ("停用", "Disabled"),
    },
    templates=_HERE / "templates",
)
