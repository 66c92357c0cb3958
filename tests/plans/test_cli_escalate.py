"""``ecogov plan escalate`` runs on the business clock (``ECOGOV_CLOCK`` for a replayed day)."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

from ecogov.plans import service
from ecogov.platform.db import Database
from tests.plans.support import CITY


def _escalate(db: Database, tmp: Path, *args: str, clock: str) -> subprocess.CompletedProcess[str]:
    env = {
        "ECOGOV_DATABASE_URL": db.url,
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp),
        "ECOGOV_SECRET_KEY": "cli-test",
        "ECOGOV_CLOCK": clock,
        "PYTHONPATH": os.environ.get("PYTHONPATH", ""),  # the code under test, not an install
    }
    return subprocess.run(
        [sys.executable, "-m", "ecogov", "plan", "escalate", *args],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        cwd=tmp,
        timeout=120,
    )


def test_escalation_counts_days_on_the_clocks_day(db: Database, tmp_path: Path) -> None:
    item = service.create_item(
        db,
        CITY,
        region_code="330106",
        problem="某河道支流水体发黑发臭",
        origin="inspection",
        target="消除黑臭",
        measures="清淤",
        deadline=date(2026, 10, 31),
        unit_name="西湖区治水办",
    )
    result = _escalate(db, tmp_path, clock="2026-12-06")
    assert result.returncode == 0, result.stderr
    assert f"整改事项 {item} 已逾期 36 天" in result.stdout


def test_a_bad_day_exits_2_in_chinese(db: Database, tmp_path: Path) -> None:
    result = _escalate(db, tmp_path, "--today", "22/11/2026", clock="2026-12-06")
    assert result.returncode == 2
    assert "--today“22/11/2026”不是 ISO 8601 日期或时间" in result.stderr
