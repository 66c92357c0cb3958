"""``ecogov users disable/enable/set-password`` as an operator scripts them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from ecogov.accounts import service
from ecogov.platform.db import Database
from ecogov.platform.errors import AuthenticationRequired
from ecogov.platform.scope import Role
from tests.helpers import PASSWORD, make_user

SRC = Path(__file__).resolve().parents[2] / "src"


def run(db: Database, *args: str, tmp: Path) -> subprocess.CompletedProcess[str]:
    """Run ``ecogov ARGS`` from this checkout's sources against the test database."""
    env = {
        "ECOGOV_DATABASE_URL": db.url,
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp),
        "ECOGOV_SECRET_KEY": "cli-test",
        "PYTHONPATH": str(SRC),
    }
    return subprocess.run(
        [sys.executable, "-m", "ecogov", *args],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        cwd=tmp,
        timeout=120,
    )


def test_operator_disables_enables_and_sets_a_password(db: Database, tmp_path: Path) -> None:
    make_user(db, "hz", Role.CITY_OFFICER, "330100")
    disabled = run(db, "users", "disable", "hz", tmp=tmp_path)
    assert disabled.returncode == 0, disabled.stderr
    assert "hz\tcity_officer\t330100\tdisabled" in run(db, "users", "list", tmp=tmp_path).stdout
    assert run(db, "users", "enable", "hz", tmp=tmp_path).returncode == 0
    reset = run(db, "users", "set-password", "hz", "--password", "new-secret-42", tmp=tmp_path)
    assert reset.returncode == 0, reset.stderr
    with pytest.raises(AuthenticationRequired):
        service.login(db, "hz", PASSWORD, 1)
    assert service.login(db, "hz", "new-secret-42", 1)[1].active


def test_unknown_user_and_short_password_exit_2_in_chinese(db: Database, tmp_path: Path) -> None:
    make_user(db, "hz", Role.CITY_OFFICER, "330100")
    missing = run(db, "users", "disable", "nobody", tmp=tmp_path)
    assert missing.returncode == 2
    assert "用户 nobody 不存在" in missing.stderr
    short = run(db, "users", "set-password", "hz", "--password", "short", tmp=tmp_path)
    assert short.returncode == 2
    assert "密码至少需要 8 个字符" in short.stderr
