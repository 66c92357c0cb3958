"""What the alerts tests share: a producer's whole loop — in the inbox, deduplicated on repeat,
converted into a rectification item by an officer, closed through the ledger."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import func, select

from ecogov.plans import service
from ecogov.plans.models import RectificationItem
from ecogov.platform import alerts
from ecogov.platform.alerts import Alert, AlertView, InboxFilter
from ecogov.platform.db import Database
from ecogov.platform.scope import SYSTEM, Principal, Role

PROVINCE = Principal("zj", Role.PROVINCE_OFFICER, region_code="330000")
CITY = Principal("hz", Role.CITY_OFFICER, region_code="330100")
LEADER = Principal("ld", Role.LEADER, region_code="330000")
EVIDENCE = service.EvidenceFile("photo.jpg", "image/jpeg", b"\xff\xd8 evidence")


def county(code: str) -> Principal:
    """A county officer of ``code``."""
    return Principal(f"county{code}", Role.COUNTY_OFFICER, region_code=code)


def alert_count(db: Database) -> int:
    """How many alerts exist (whatever their status)."""
    with db.transaction(SYSTEM) as session:
        return session.scalar(select(func.count(Alert.id))) or 0


def close_through_ledger(db: Database, item_id: int, executor: Principal) -> None:
    """Work a county item through its workflow: report with evidence, request closure, the city
    verifies, the province and a leader sign off (销号)."""
    service.add_report(db, executor, "rectification", item_id, "整改完成", [EVIDENCE])
    service.act(db, executor, "rectification", item_id, "request_closure")
    service.act(db, CITY, "rectification", item_id, "verify")
    service.sign_off(db, PROVINCE, item_id)
    assert service.sign_off(db, LEADER, item_id) == "closed"


def full_loop(db: Database, kind: str, region: str, produce: Callable[[], object]) -> AlertView:
    """Run ``produce`` (a producer's computation), then check the whole loop for the alert of
    ``kind`` in county ``region``; returns the closed alert."""
    officer = county(region)
    produce()
    found = alerts.inbox(db, officer, InboxFilter(kind=kind, status="open"))
    assert found.total >= 1, f"no open {kind} alert in the inbox of {region}"
    alert = found.alerts[0]
    assert alert.region_code == region
    assert alert.link
    other = county("330106" if region == "330102" else "330102")
    seen_elsewhere = alerts.inbox(db, other, InboxFilter(per_page=200)).alerts
    assert alert.id not in {a.id for a in seen_elsewhere}  # scoped: own county only

    before = alert_count(db)
    produce()  # the same computation again: deduplicated, nothing new
    assert alert_count(db) == before
    again = alerts.get(db, officer, alert.id)
    assert (again.status, again.occurrences, again.window_end) == (
        "open",
        alert.occurrences,
        alert.window_end,
    )

    ref = alerts.convert(db, officer, alert.id)
    item_id = int(ref.removeprefix("rectification:"))
    with db.transaction(officer) as session:
        item = session.get(RectificationItem, item_id)
        assert item is not None
        assert (item.origin, item.origin_ref, item.region_code) == (
            "alert",
            f"alert:{alert.id}",
            region,
        )
        assert item.unit is not None
        assert "生态环境" in item.unit.name
    converted = alerts.get(db, officer, alert.id)
    assert converted.status == "converted"
    assert converted.converted_link == f"/plans/rectification/{item_id}"

    close_through_ledger(db, item_id, officer)
    closed = alerts.get(db, officer, alert.id)
    assert closed.status == "closed"

    produce()  # the old evidence again after closure: no new alert
    assert alert_count(db) == before
    return closed
