"""Defect 10 of issue 14: overdue days counted on a stale day (22 shown where today gives 36).

The demo escalated on a fixed day and the ledger showed the days counted then. Now escalation and
the ledger both ask the one business clock; the tests set it.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from fastapi.testclient import TestClient

from ecogov.accounts.demo import load as load_demo_accounts
from ecogov.plans import demo, queries, service
from ecogov.platform import clock
from ecogov.platform.db import Database
from ecogov.platform.scope import Role
from tests.helpers import login, make_user
from tests.plans.support import CITY, COUNTY

DEADLINE = date(2026, 10, 31)
ESCALATED_ON = date(2026, 11, 22)  # 22 days after the deadline
SHOWN_ON = date(2026, 12, 6)  # 36 days after the deadline


def _escalated_item(db: Database) -> int:
    """A rectification item of 330106 due 2026-10-31, escalated on 2026-11-22."""
    with clock.frozen(ESCALATED_ON):
        item = service.create_item(
            db,
            CITY,
            region_code="330106",
            problem="某河道支流水体发黑发臭",
            origin="inspection",
            target="消除黑臭",
            measures="清淤",
            deadline=DEADLINE,
            unit_name="西湖区治水办",
        )
        service.escalate(db, clock.today())
    return item


def test_the_api_counts_overdue_days_on_the_clocks_day(db: Database, client: TestClient) -> None:
    item = _escalated_item(db)
    make_user(db, "hz", Role.CITY_OFFICER, "330100")
    with clock.frozen(SHOWN_ON):
        login(client, "hz")
        rows = client.get(
            "/api/v1/plans/escalations", params={"region": "330100", "since": "2026-11-01"}
        ).json()
    mine = [row for row in rows if row["subject_id"] == item]
    assert mine
    assert {row["days_overdue"] for row in mine} == {(SHOWN_ON - DEADLINE).days} == {36}
    assert {row["days_at_step"] for row in mine} == {(ESCALATED_ON - DEADLINE).days} == {22}
    assert {row["due"] for row in mine} == {DEADLINE.isoformat()}


def test_the_command_centre_shows_todays_overdue_days(db: Database, client: TestClient) -> None:
    _escalated_item(db)
    make_user(db, "hz", Role.CITY_OFFICER, "330100")
    shown = date(2026, 11, 25)  # within the panel's week after the escalation
    with clock.frozen(shown):
        login(client, "hz")
        home = client.get("/").text
    panel = home.split('id="panel-escalations"', 1)[1].split("</table>", 1)[0]
    days = re.findall(r'data-days-overdue="(\d+)"', panel)
    assert days
    assert set(days) == {str((shown - DEADLINE).days)} == {"25"}


def test_days_stop_counting_once_closure_is_requested(db: Database) -> None:
    item = _escalated_item(db)
    with clock.frozen(date(2026, 11, 28)):
        service.add_report(db, COUNTY, "rectification", item, "已清淤", [demo.EVIDENCE])
        assert service.act(db, COUNTY, "rectification", item, "request_closure")
    with clock.frozen(SHOWN_ON):
        views = queries.escalations_since(
            db, CITY, "330106", clock.parse_moment("2026-11-01"), clock.today()
        )
    assert views
    assert {v.days_overdue for v in views} == {22}  # the count at its step, no longer growing


def test_the_demo_escalates_on_the_day_it_is_loaded(db: Database, shared_dir: Path) -> None:
    """The user's case: the demo's overdue item of 330106 (deadline 2026-10-31) seen on
    2026-12-06 shows 36 days, whatever day the demo's dates were laid out for."""
    load_demo_accounts(db)
    with clock.frozen(SHOWN_ON):
        demo.load(db)
        (item,) = queries.item_ledger(
            db, CITY, queries.ItemFilter(region="330106", status="overdue")
        )
        views = queries.escalations_since(
            db, CITY, "330106", clock.parse_moment("2026-11-29"), clock.today()
        )
    assert item.deadline == DEADLINE
    mine = [v for v in views if v.subject == "rectification" and v.subject_id == item.id]
    assert mine
    assert {v.days_overdue for v in mine} == {v.days_at_step for v in mine} == {36}
