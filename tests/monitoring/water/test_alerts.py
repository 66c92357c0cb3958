"""Sections worse than their target class reach the alerts inbox and the ledger."""

from __future__ import annotations

from ecogov.monitoring.water import evaluation
from ecogov.monitoring.water.alerts import severity_of
from ecogov.platform import alerts
from ecogov.platform.db import Database
from ecogov.platform.scope import SYSTEM
from tests.monitoring.water.test_service import _load
from tests.platform.alerts_support import county, full_loop


def test_section_below_target_alert_loop(db: Database) -> None:
    _load(db)
    period = evaluation.parse_period("2025")
    # The county officer's own evaluation publishes too (producers run for any reader).
    closed = full_loop(
        db,
        "water.below_target",
        "330102",
        lambda: evaluation.evaluate(db, county("330102"), period, "section"),
    )
    assert closed.site_code == "HZ1"  # class III against target II
    assert closed.severity == "yellow"
    assert (closed.evidence["class"], closed.evidence["target"]) == ("III", "II")
    assert closed.link == "/water/sections/HZ1"
    assert (closed.lon, closed.lat) == (120.17, 30.21)


def test_a_worse_year_merges_into_the_open_alert(db: Database) -> None:
    _load(db)
    evaluation.evaluate(db, SYSTEM, evaluation.parse_period("2024"), "section")
    evaluation.evaluate(db, SYSTEM, evaluation.parse_period("2025"), "section")
    evaluation.evaluate(db, SYSTEM, evaluation.parse_period("2024-05"), "section")  # older: no-op
    found = alerts.inbox(db, SYSTEM, alerts.InboxFilter(kind="water.below_target")).alerts
    hz1 = [a for a in found if a.site_code == "HZ1"]
    assert len(hz1) == 1
    assert hz1[0].occurrences == 2  # 2024 (class IV) then 2025 (class III)
    assert hz1[0].severity == "orange"  # the higher of the two: IV against II
    assert hz1[0].evidence["period"] == "2025"


def test_severity_by_classes_below_target() -> None:
    assert severity_of("III", "II") == "yellow"
    assert severity_of("IV", "II") == "orange"
    assert severity_of("V", "II") == "red"
    assert severity_of("劣V", "III") == "red"
    assert severity_of("劣V", "IV") == "orange"
