"""The ``ecogov`` command as scripts call it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from ecogov.platform.db import Database

ECOGOV = [sys.executable, "-m", "ecogov"]


def run(db: Database, *args: str, tmp: Path) -> subprocess.CompletedProcess[str]:
    """Run ``ecogov ARGS`` against the test database."""
    env = {
        "ECOGOV_DATABASE_URL": db.url,
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp),
        "ECOGOV_SECRET_KEY": "cli-test",
        # the source under test, not the installed copy, when the run names it
        **({"PYTHONPATH": os.environ["PYTHONPATH"]} if "PYTHONPATH" in os.environ else {}),
    }
    return subprocess.run(
        [*ECOGOV, *args], capture_output=True, text=True, env=env, check=False, cwd=tmp, timeout=120
    )


def test_regions_list_prints_the_eleven_cities(db: Database, tmp_path: Path) -> None:
    result = run(db, "regions", "list", "--parent", "330000", tmp=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert [line.split("\t")[0] for line in lines] == [f"33{n:02d}00" for n in range(1, 12)]
    assert lines[0] == "330100\t杭州市\tcity"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("regions", "list", "--parent", "33"), "不是6位数字的行政区划代码"),
        (("regions", "list", "--parent", "990000"), "区域 990000 不存在"),
        (("regions", "lst"), "No such command"),
        (("users", "create", "u", "--role", "wizard", "--password", "x" * 9), "wizard"),
        (
            (
                "users",
                "create",
                "u",
                "--role",
                "city_officer",
                "--region",
                "330000",
                "--password",
                "x" * 9,
            ),
            "city-level",
        ),
    ],
)
def test_bad_input_exits_2_with_one_line(
    db: Database, tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    result = run(db, *args, tmp=tmp_path)
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert result.stderr.startswith("错误：")
    assert message in result.stderr


def test_users_create_then_list(db: Database, tmp_path: Path) -> None:
    created = run(
        db,
        "users",
        "create",
        "hz",
        "--role",
        "city_officer",
        "--region",
        "330100",
        "--password",
        "hangzhou-pass",
        tmp=tmp_path,
    )
    assert created.returncode == 0, created.stderr
    listed = run(db, "users", "list", tmp=tmp_path)
    assert "hz\tcity_officer\t330100\tactive" in listed.stdout


def test_help_is_everywhere(db: Database, tmp_path: Path) -> None:
    for args in ((), ("db",), ("demo",), ("users",), ("regions",), ("regions", "list"), ("serve",)):
        result = run(db, *args, "--help", tmp=tmp_path)
        assert result.returncode == 0, (args, result.stderr)
        assert "Usage" in result.stdout
