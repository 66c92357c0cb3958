"""Accounts domain (用户与权限): users, roles, login sessions."""

from __future__ import annotations

from pathlib import Path

from ecogov.accounts import api, cli, demo, pages
from ecogov.accounts.access import USERS
from ecogov.accounts.service import principal_from_token
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
    principal_loader=principal_from_token,
    demo=demo.load,
    demo_order=10,
    nav=(NavItem("nav.users", "/users", order=95, requires=("manage", USERS.key)),),
    permissions=(USERS,),
    messages={
        "audit.entity.users": ("用户", "User"),
        "audit.entity.login_session": ("登录会话", "Login session"),
        "audit.entity.login_attempt": ("登录尝试", "Login attempt"),
        "audit.action.auth.login": ("登录", "Log in"),
        "audit.action.auth.login_failed": ("登录失败", "Failed login"),
        "audit.action.auth.login_locked": ("登录被限制", "Login throttled"),
        "audit.action.auth.logout": ("退出登录", "Log out"),
        "audit.action.users.create": ("新建用户", "Create user"),
        "audit.action.users.disable": ("停用用户", "Disable user"),
        "audit.action.users.enable": ("启用用户", "Enable user"),
        "users.display_name": ("姓名/单位", "Display name"),
        "users.role": ("角色", "Role"),
        "users.state": ("状态", "State"),
        "users.active": ("启用", "Active"),
        "users.disabled": ("停用", "Disabled"),
    },
    templates=_HERE / "templates",
)
