"""Targets at risk or missed reach the alerts inbox and the ledger; the converter's item."""

from __future__ import annotations

from datetime import date

from ecogov.plans import tracking
from ecogov.plans.alerts import item_link, responsible_unit
from ecogov.plans.targets import Status
from ecogov.platform import alerts
from ecogov.platform.db import Database
from ecogov.platform.indicators import IndicatorValue
from tests.plans.support import GOOD_DAYS_TARGET, FakeAirEngine, partial, small_plan
from tests.platform.alerts_support import county, full_loop

TODAY = date(2026, 7, 2)


def test_target_at_risk_alert_loop(db: Database) -> None:
    engine = FakeAirEngine()
    fake = {"air.good_day_ratio": engine.indicator()}
    plan_id = small_plan(db, "330106", [], [GOOD_DAYS_TARGET])
    engine.values[("330106", 2025)] = IndicatorValue(84.5, 2025)
    engine.values[("330106", 2026)] = partial(2026, 84.0, TODAY)
    officer = county("330106")

    def evaluate() -> None:
        (view,) = tracking.region_targets(db, officer, "330106", TODAY, fake)
        assert view.result.status is Status.AT_RISK

    closed = full_loop(db, "plans.target_off_track", "330106", evaluate)
    assert closed.severity == "orange"
    assert closed.evidence["status"] == "at_risk"
    assert closed.link == f"/plans/{plan_id}"


def test_a_missed_target_raises_the_alert_to_red_and_converts_it(db: Database) -> None:
    engine = FakeAirEngine()
    fake = {"air.good_day_ratio": engine.indicator()}
    small_plan(db, "330106", [], [GOOD_DAYS_TARGET])
    engine.values[("330106", 2026)] = partial(2026, 84.0, TODAY)
    tracking.region_targets(db, county("330106"), "330106", TODAY, fake)
    engine.values[("330106", 2026)] = IndicatorValue(84.0, 2026)
    tracking.region_targets(db, county("330106"), "330106", date(2027, 1, 10), fake)
    (alert,) = alerts.inbox(db, county("330106"), alerts.InboxFilter()).alerts
    assert (alert.severity, alert.status) == ("red", "converted")


def test_the_responsible_unit_and_item_link(db: Database) -> None:
    assert responsible_unit(db, "330000") == "浙江省生态环境厅"
    assert responsible_unit(db, "330100") == "杭州市生态环境局"
    assert responsible_unit(db, "330106") == "杭州市生态环境局西湖分局"
    assert item_link("rectification:7") == "/plans/rectification/7"
    assert item_link("manifest:7") is None
