"""``ecogov users …``: create, list, disable and enable accounts, set a new password."""

from __future__ import annotations

from typing import Final

import typer

from ecogov.accounts import service
from ecogov.platform.console import database
from ecogov.platform.i18n import Catalogue, both, register, translate
from ecogov.platform.scope import SYSTEM, Role

OUTPUT: Final[Catalogue] = {
    "users.cli.created": (
        "已创建用户 {username}（{role}），编号 {id}",
        "created {username} ({role_en}) id={id}",
    ),
    "users.cli.disabled": ("已停用 {username}", "disabled {username}"),
    "users.cli.enabled": ("已启用 {username}", "enabled {username}"),
    "users.cli.password": (
        "已重置 {username} 的密码，结束 {ended} 个会话",
        "password of {username} reset; {ended} session(s) ended",
    ),
}
register(OUTPUT)


def app() -> typer.Typer:
    """The ``users`` sub-command."""
    cli = typer.Typer(help="User accounts and roles.", no_args_is_help=True)

    @cli.command("create")
    def create_command(
        username: str = typer.Argument(..., help="Login name."),
        role: Role = typer.Option(..., "--role", help="Role of the account."),
        region: str | None = typer.Option(
            None, "--region", help="6-digit region code (officers, leaders)."
        ),
        enterprise: int | None = typer.Option(
            None, "--enterprise", help="Enterprise id (enterprise users)."
        ),
        name: str | None = typer.Option(None, "--name", help="Display name."),
        password: str = typer.Option(
            ...,
            "--password",
            prompt=True,
            hide_input=True,
            confirmation_prompt=True,
            envvar="ECOGOV_NEW_PASSWORD",
            help="Password (prompted when omitted).",
        ),
    ) -> None:
        """Create an account."""
        user = service.create_user(
            database(),
            SYSTEM,
            username=username,
            password=password,
            role=role,
            display_name=name,
            region_code=region,
            enterprise_id=enterprise,
        )
        typer.echo(
            both(
                "users.cli.created",
                username=user.username,
                role=translate(f"role.{user.role}"),
                role_en=user.role,
                id=user.id,
            )
        )

    @cli.command("list")
    def list_command() -> None:
        """Print username, role, region and state of every account (tab-separated)."""
        for user in service.list_users(database(), SYSTEM):
            state = "active" if user.active else "disabled"
            region = user.region_code or "-"
            typer.echo(f"{user.username}\t{user.role}\t{region}\t{state}\t{user.display_name}")

    @cli.command("disable")
    def disable_command(username: str = typer.Argument(..., help="Login name.")) -> None:
        """Disable an account and end its sessions (audited)."""
        user = service.set_active(database(), SYSTEM, username, False)
        typer.echo(both("users.cli.disabled", username=user.username))

    @cli.command("enable")
    def enable_command(username: str = typer.Argument(..., help="Login name.")) -> None:
        """Enable a disabled account (audited)."""
        user = service.set_active(database(), SYSTEM, username, True)
        typer.echo(both("users.cli.enabled", username=user.username))

    @cli.command("set-password")
    def set_password_command(
        username: str = typer.Argument(..., help="Login name."),
        password: str = typer.Option(
            ...,
            "--password",
            prompt=True,
            hide_input=True,
            confirmation_prompt=True,
            envvar="ECOGOV_NEW_PASSWORD",
            help="New password (prompted when omitted).",
        ),
    ) -> None:
        """Set a new password and end every session of the account (audited)."""
        ended = service.reset_password(database(), SYSTEM, username, password)
        typer.echo(both("users.cli.password", username=username, ended=ended))

    return cli
