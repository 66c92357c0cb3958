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
        "audit.action.users.update": ("修改用户", "Edit user"),
        "audit.action.users.reset_password": ("重置密码", "Reset password"),
        "audit.action.users.unlock": ("解除登录限制", "Lift login limit"),
        "users.new": ("新建用户", "New user"),
        "users.edit": ("编辑", "Edit"),
        "users.edit_title": ("编辑用户 {username}", "Edit user {username}"),
        "users.save": ("保存", "Save"),
        "users.create": ("创建", "Create"),
        "users.back": ("返回用户列表", "Back to the users"),
        "users.region": ("所属区划", "Region"),
        "users.region_none": ("（不选：平台管理员、企业用户）", "(none: admins, enterprise users)"),
        "users.region_hint": (
            "县级用户选县（区），地市级用户选地市，省级用户选省；领导可选任一级",
            "County officers pick a county, city officers a city, province officers a province; "
            "leaders any level",
        ),
        "users.enterprise": ("所属企业", "Enterprise"),
        "users.enterprise_unlisted": ("不在企业名录中", "not in the enterprise register"),
        "users.enterprise_none": ("（不选：非企业用户）", "(none: not an enterprise user)"),
        "users.password_initial": ("初始密码", "Initial password"),
        "users.password_new": ("新密码", "New password"),
        "users.password_confirm": ("确认新密码", "Confirm the new password"),
        "users.password_hint": ("至少 {minimum} 个字符", "At least {minimum} characters"),
        "users.password_mismatch": (
            "两次输入的密码不一致",
            "The two passwords differ",
        ),
        "users.password_confirm_initial": ("确认密码", "Confirm the password"),
        "users.reset_password": ("重置密码", "Reset password"),
        "users.reset_hint": (
            "重置后该用户的所有登录会话将被结束",
            "Every session of the user ends on reset",
        ),
        "users.disable": ("停用账号", "Disable account"),
        "users.enable": ("启用账号", "Enable account"),
        "users.disable_hint": (
            "停用后该用户无法登录，已登录的会话立即结束",
            "A disabled user cannot log in; open sessions end at once",
        ),
        "users.done.created": ("已创建用户 {username}", "User {username} created"),
        "users.done.updated": ("已保存用户 {username}", "User {username} saved"),
        "users.done.disabled": ("已停用用户 {username}", "User {username} disabled"),
        "users.done.enabled": ("已启用用户 {username}", "User {username} enabled"),
        "users.done.password": (
            "已重置用户 {username} 的密码",
            "Password of {username} reset",
        ),
        "users.actions": ("操作", "Actions"),
        "users.display_name": ("姓名/单位", "Display name"),
        "users.role": ("角色", "Role"),
        "users.state": ("状态", "State"),
        "users.active": ("启用", "Active"),
        "users.disabled": ("停用", "Disabled"),
    },
    templates=_HERE / "templates",
    static=_HERE / "static",
)
