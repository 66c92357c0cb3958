"""The daily ``ecogov enforcement regrade``: what only time changes reaches the grade (a
rectification item past its deadline counts, closed it no longer does), a run with no change of
evidence records nothing; and a province's rules file (``ECOGOV_CREDIT_RULES``) changes the method
without code, a bad one refused naming the key."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ecogov.enforcement import credit, draws
from ecogov.enforcement.cli import app
from ecogov.plans import service as plans
from ecogov.platform import alerts, clock
from ecogov.platform.db import Database
from ecogov.platform.errors import InputError
from ecogov.platform.scope import SYSTEM, Principal, Role
from ecogov.platform.settings import Settings
from ecogov.standards.timebase import BEIJING
from tests.enforcement.support import COUNTY, enterprise

START = date(2026, 3, 2)
CITY = Principal("hz", Role.CITY_OFFICER, region_code="330100")
PROVINCE = Principal("zj", Role.PROVINCE_OFFICER, region_code="330000")
LEADER = Principal("ld", Role.LEADER, region_code="330000")


def _regrade(db: Database, monkeypatch: pytest.MonkeyPatch, *args: str) -> str:
    monkeypatch.setattr("ecogov.enforcement.commands.database", lambda: db)
    result = CliRunner().invoke(app(), ["regrade", *args])
    assert result.exit_code == 0, result.output
    return result.output


def _finding(firm: int, kind: str = "enforcement.finding") -> alerts.AlertDraft:
    end = datetime.combine(START, datetime.min.time(), BEIJING) + timedelta(hours=8)
    return alerts.AlertDraft(
        kind=kind,
        severity="orange",
        title="现场检查发现问题",
        region_code="330106",
        window_start=end - timedelta(hours=1),
        window_end=end,
        dedupe_key=f"regrade:{firm}",
        enterprise_id=firm,
    )


def _indicators(db: Database, firm: int) -> list[str]:
    return [p.indicator for p in credit.history(db, COUNTY, firm)[0].points]


def test_an_overdue_item_counts_after_the_daily_regrade_and_no_longer_once_closed(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    with clock.frozen(START):
        firm = enterprise(db, 1)
        draws.sync_directory(db, SYSTEM, "330106")
        alert_id = alerts.publish(db, [_finding(firm)]).created[0]
        request = alerts.ConversionRequest(deadline=START + timedelta(days=10), unit_name="西湖区")
        ref = alerts.convert(db, COUNTY, alert_id, "rectification", request)
        assert "评价 1 家企业，1 家" in _regrade(db, monkeypatch, "--region", "330106")
        assert _indicators(db, firm) == []
    with clock.frozen(START + timedelta(days=11)):  # the deadline passed yesterday
        assert _indicators(db, firm) == []  # nothing changes the grade by itself …
        assert "1 家信用评价有变化" in _regrade(db, monkeypatch)
        assert _indicators(db, firm) == ["rectification"]  # … the daily run does
        evaluations = len(credit.history(db, COUNTY, firm))
        assert "0 家信用评价有变化" in _regrade(db, monkeypatch)  # idempotent
        assert len(credit.history(db, COUNTY, firm)) == evaluations
        item = int(ref.split(":", 1)[1])
        photo = plans.EvidenceFile("photo.jpg", "image/jpeg", b"\xff\xd8 evidence")
        plans.add_report(db, COUNTY, "rectification", item, "整改完成", [photo])
        plans.act(db, COUNTY, "rectification", item, "request_closure")
        plans.act(db, CITY, "rectification", item, "verify")
        plans.sign_off(db, PROVINCE, item)
        assert plans.sign_off(db, LEADER, item) == "closed"
        _regrade(db, monkeypatch, "--region", "330100")
        assert _indicators(db, firm) == []
        assert len(credit.history(db, COUNTY, firm)) == evaluations + 1


def _rules(monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    settings = Settings(secret_key="x" * 32, credit_rules=path)
    monkeypatch.setattr("ecogov.enforcement.files.get_settings", lambda: settings)


def test_a_province_rules_file_changes_an_indicator_without_code(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rules = tmp_path / "zhejiang.toml"
    rules.write_text("[credit.indicators.discharge_compliance]\ndeduction = 8\n", encoding="utf-8")
    firm = enterprise(db, 1)
    draws.sync_directory(db, SYSTEM, "330106")
    exceedance = _finding(firm, "hj212.exceedance")
    with clock.frozen(START):
        alerts.publish(db, [exceedance])  # graded at once under the national rules: 100 - 5
        assert credit.history(db, COUNTY, firm)[0].score == 95.0
        _rules(monkeypatch, rules)
        assert credit.evaluate(db, [firm]).changed == (firm,)
    latest = credit.history(db, COUNTY, firm)[0]
    assert (latest.score, [p.points for p in latest.points]) == (92.0, [-8.0])
    rules.write_text("[credit.indicators.discharge_compliance]\ndeduction = -1\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"ECOGOV_CREDIT_RULES.*credit\.indicators\.discharge"):
        credit.evaluate(db, [firm])
