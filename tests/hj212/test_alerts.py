"""HJ 212 exceedances and data-quality findings reach the alerts inbox and the ledger."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from ecogov.hj212.alerts import exceedance_severity
from ecogov.hj212.cli import app
from ecogov.hj212.exceedance import exceedances
from ecogov.hj212.judging import judge_all
from ecogov.hj212.service import quality_findings
from ecogov.plans.models import RectificationItem
from ecogov.platform import alerts
from ecogov.platform.audit import AuditEntry
from ecogov.platform.db import Database
from ecogov.platform.scope import SYSTEM
from ecogov.sources import service as sources
from tests.hj212.support import HOUR, Registered, make_devices, store_hours
from tests.platform.alerts_support import full_loop

UNTIL = HOUR + timedelta(hours=10)


def _device_with_an_exceedance(db: Database) -> Registered:
    """A device of 西湖区 whose COD is flat for 8 hours, then 1.2 times its limit for one."""
    (device,) = make_devices(db, 1)
    sources.set_permit_limit(
        db, SYSTEM, device.outlet_id, factor_code="w01018", limit_value=50, unit="mg/L"
    )
    store_hours(db, device, ["30.0"] * 8 + ["60.0", "31.0"])
    return device


def test_exceedance_alert_loop(db: Database) -> None:
    device = _device_with_an_exceedance(db)
    mn = device.mn
    closed = full_loop(
        db, "hj212.exceedance", "330106", lambda: exceedances(db, SYSTEM, mn, HOUR, UNTIL)
    )
    assert closed.severity == "yellow"  # 60 against 50: 1.2 times the limit
    assert closed.evidence["factor"] == "w01018"
    assert closed.evidence["peak"] == 60.0
    assert closed.site_code == mn
    assert closed.link == f"/hj212/devices/{mn}"
    assert "化学需氧量" in closed.title


def test_finding_alert_loop(db: Database) -> None:
    device = _device_with_an_exceedance(db)
    mn = device.mn
    closed = full_loop(
        db, "hj212.finding", "330106", lambda: quality_findings(db, SYSTEM, mn, HOUR, UNTIL)
    )
    assert closed.evidence["check"] == "flat_line"
    assert closed.evidence["check_name"] == "恒值"
    assert closed.evidence["factor_name"] in {"化学需氧量(w01018)", "氨氮(w21003)"}
    assert closed.enterprise_id is not None


def test_a_later_event_merges_raises_severity_and_a_red_alert_opens_an_item(db: Database) -> None:
    device = _device_with_an_exceedance(db)
    mn = device.mn
    exceedances(db, SYSTEM, mn, HOUR, UNTIL)
    (first,) = alerts.inbox(db, SYSTEM, alerts.InboxFilter(kind="hj212.exceedance")).alerts
    assert (first.severity, first.occurrences, first.status) == ("yellow", 1, "open")

    store_hours(db, device, ["45.0", "160.0"], start=UNTIL)  # 3.2 times the limit
    exceedances(db, SYSTEM, mn, HOUR, UNTIL + timedelta(hours=2))
    (merged,) = alerts.inbox(db, SYSTEM, alerts.InboxFilter(kind="hj212.exceedance")).alerts
    assert merged.id == first.id
    assert merged.occurrences == 2
    assert merged.window_start == first.window_start
    assert merged.window_end == UNTIL + timedelta(hours=2)
    assert merged.severity == "red"
    assert merged.evidence["peak"] == 160.0
    # The default rule (red → rectification item, the region's unit) converted it at once.
    assert merged.status == "converted"
    assert merged.converted_ref is not None
    item_id = int(merged.converted_ref.removeprefix("rectification:"))
    with db.transaction(SYSTEM) as session:
        item = session.get(RectificationItem, item_id)
        assert item is not None
        assert item.unit is not None
        assert item.unit.name == "杭州市生态环境局西湖分局"
        assert item.origin == "alert"
        actions = set(session.scalars(select(AuditEntry.action)))
    assert {"alerts.publish", "alerts.convert", "plans.rectification.create"} <= actions


def test_severity_by_multiple() -> None:
    assert exceedance_severity(1.2) == "yellow"
    assert exceedance_severity(1.5) == "orange"
    assert exceedance_severity(3.0) == "red"


def test_a_scheduled_run_judges_every_device_and_fills_the_inbox(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    device = _device_with_an_exceedance(db)
    summary = judge_all(db, SYSTEM, HOUR, UNTIL)
    assert (summary.devices, summary.exceedances, summary.failed) == (1, 1, ())
    assert summary.findings >= 1
    kinds = {a.kind for a in alerts.inbox(db, SYSTEM, alerts.InboxFilter()).alerts}
    assert kinds == {"hj212.exceedance", "hj212.finding"}
    count = alerts.inbox(db, SYSTEM, alerts.InboxFilter()).total
    monkeypatch.setattr("ecogov.hj212.cli.database", lambda: db)
    result = CliRunner().invoke(
        app(), ["alerts", "--since", HOUR.isoformat(), "--until", UNTIL.isoformat()]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["devices"] == 1
    assert alerts.inbox(db, SYSTEM, alerts.InboxFilter()).total == count  # deduplicated
    assert alerts.inbox(db, SYSTEM, alerts.InboxFilter()).alerts[0].site_code == device.mn
