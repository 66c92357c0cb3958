"""The big screen's snapshot (issue 17, item 4): assembled from each domain's services for a
region, scoped by the permission table, kept for a few seconds and answered with an ETag."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pytest
from fastapi.testclient import TestClient

from ecogov.bigscreen import service
from ecogov.complaints import service as complaints
from ecogov.plans import service as plans
from ecogov.platform import alerts, clock
from ecogov.platform.db import Database
from ecogov.platform.errors import PermissionDenied
from ecogov.platform.scope import SYSTEM, Principal, Role
from ecogov.standards.timebase import BEIJING
from tests.helpers import login, make_user

NOW = datetime(2026, 11, 22, 10, 0, tzinfo=BEIJING)
"""The wall's moment: the morning after the air demo's last hour."""
HANGZHOU = Principal("hz", Role.CITY_OFFICER, user_id=21, region_code="330100")
LEADER = Principal("ld", Role.LEADER, user_id=22, region_code="330000")
ENTERPRISE = Principal("firm", Role.ENTERPRISE, user_id=23, enterprise_id=1)
NINGBO = Principal("nb", Role.CITY_OFFICER, user_id=24, region_code="330200")


def online_alert(
    number: int, region: str = "330106", severity: str = "orange"
) -> alerts.AlertDraft:
    """An online-monitoring exceedance of outlet ``number``, seen now."""
    now = clock.now()
    return alerts.AlertDraft(
        kind="hj212.exceedance",
        severity=severity,
        title=f"排放口{number} 二氧化硫小时均值超标",
        region_code=region,
        window_start=now - timedelta(hours=1),
        window_end=now,
        dedupe_key=f"bigscreen-test:{number}",
        site_name=f"排放口{number}",
    )


@dataclass(frozen=True)
class Wall:
    """What the test region holds besides the demo air data."""

    overdue_item: int
    open_item: int


@pytest.fixture
def wall(db: Database) -> Iterator[Wall]:
    """Air demo hours, online alerts (one of them older than a day), rectification items (one
    overdue), complaints received today and yesterday, in 杭州 and 宁波."""
    from ecogov.monitoring.air import demo as air_demo

    air_demo.load(db, hours=24)
    with clock.frozen(NOW - timedelta(hours=30)):
        alerts.publish(db, [online_alert(0)])
    with clock.frozen(NOW - timedelta(hours=2)):
        alerts.publish(db, [online_alert(1, severity="yellow"), online_alert(2, region="330200")])
    with clock.frozen(NOW - timedelta(minutes=5)):
        alerts.publish(db, [online_alert(3, severity="red")])
    overdue, still, _ = (
        plans.create_item(
            db,
            SYSTEM,
            region_code=region,
            problem="扬尘",
            origin="other",
            target="达标",
            measures="治理",
            deadline=deadline,
            unit_name=None,
        )
        for region, deadline in (
            ("330106", date(2026, 11, 1)),
            ("330102", date(2026, 12, 31)),
            ("330203", date(2026, 11, 1)),
        )
    )
    for region, category, when in (
        ("330106", "odour", NOW - timedelta(hours=1)),
        ("330102", "noise", NOW - timedelta(hours=2)),
        ("330106", "odour", NOW - timedelta(days=1)),
        ("330203", "water", NOW - timedelta(hours=1)),
    ):
        complaints.file_complaint(
            db,
            SYSTEM,
            complaints.NewComplaint(
                region_code=region,
                category=category,
                text="夜间异味扰民",
                address=f"{region} 文三路{when.hour}号",
                channel="phone_12369",
                received_at=when,
            ),
        )
    service.SNAPSHOTS.clear()
    with clock.frozen(NOW):
        yield Wall(overdue, still)
    service.SNAPSHOTS.clear()


def test_snapshot_counts_what_each_domain_holds_for_the_region(db: Database, wall: Wall) -> None:
    found = service.assemble(db, HANGZHOU, "330100", "zh")
    assert found["region"] == {"code": "330100", "name": "杭州市"}
    # online alerts of the last 24 h under 杭州, newest first; 宁波's and the old one left out
    assert found["alerts"]["total"] == 2
    assert [row["title"][:4] for row in found["alerts"]["rows"]] == ["排放口3", "排放口1"]
    assert [row["severity_name"] for row in found["alerts"]["rows"]] == ["红色预警", "黄色预警"]
    # the red alert was converted into an item by the default rule (deadline 30 days ahead)
    assert found["items"] == {"open": 3, "overdue": 1}
    assert found["complaints"]["total"] == 2
    by_category = {row["key"]: row["count"] for row in found["complaints"]["categories"]}
    assert (by_category["odour"], by_category["noise"], by_category["water"]) == (1, 1, 0)
    assert {row["name"] for row in found["complaints"]["categories"]} >= {"异味", "噪声"}
    air = found["air"]
    assert air["stations"] == len(air["features"]) > 0
    assert all(f["properties"]["city"] == "杭州市" for f in air["features"])
    ranked = found["ranking"]["rows"]
    assert ranked
    assert [row["rank"] for row in ranked] == sorted(row["rank"] for row in ranked)
    assert all(row["aqi"] is not None for row in ranked)


def test_the_province_counts_every_city(db: Database, wall: Wall) -> None:
    found = service.assemble(db, LEADER, "330000", "en")
    assert found["alerts"]["total"] == 3
    assert found["items"] == {"open": 4, "overdue": 2}
    assert found["complaints"]["total"] == 3
    assert found["alerts"]["rows"][0]["severity_name"] == "Red"


def test_the_wall_is_for_officers_and_leaders_of_the_region(db: Database, wall: Wall) -> None:
    with pytest.raises(PermissionDenied, match="指挥中心大屏"):
        service.snapshot(db, ENTERPRISE, "330100", "zh")
    with pytest.raises(PermissionDenied):
        service.snapshot(db, NINGBO, "330100", "zh")
    assert service.snapshot(db, NINGBO, "330200", "zh").body


def test_api_answers_json_with_an_etag_and_304(
    client: TestClient, db: Database, wall: Wall
) -> None:
    make_user(db, "hz-officer", Role.CITY_OFFICER, "330100")
    login(client, "hz-officer")
    first = client.get("/api/v1/bigscreen?region=330106")
    assert first.status_code == 200, first.text
    assert first.json()["region"]["name"] == "西湖区"
    etag = first.headers["etag"]
    again = client.get("/api/v1/bigscreen?region=330106", headers={"If-None-Match": etag})
    assert again.status_code == 304
    # new data show once the kept snapshot has aged
    with clock.frozen(NOW + timedelta(minutes=1)):
        alerts.publish(db, [online_alert(4, severity="blue")])
    service.SNAPSHOTS.clear()
    fresh = client.get("/api/v1/bigscreen?region=330106", headers={"If-None-Match": etag})
    assert fresh.status_code == 200
    assert fresh.json()["alerts"]["total"] == 3
    # without a region: the officer's own
    assert client.get("/api/v1/bigscreen").json()["region"]["code"] == "330100"


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/api/v1/bigscreen?region=330200", 403),
        ("/api/v1/bigscreen?region=33", 422),
        ("/bigscreen?region=330100&refresh=0", 422),
        ("/bigscreen?region=330200", 403),
    ],
)
def test_bad_or_foreign_regions_are_refused_in_chinese(
    client: TestClient, db: Database, wall: Wall, path: str, status: int
) -> None:
    make_user(db, "hz-officer", Role.CITY_OFFICER, "330100")
    login(client, "hz-officer")
    response = client.get(path)
    assert response.status_code == status
    assert any("\u4e00" <= ch <= "\u9fff" for ch in response.text)


def test_anonymous_visitors_are_sent_to_log_in(client: TestClient, wall: Wall) -> None:
    assert client.get("/api/v1/bigscreen?region=330100").status_code == 401
    page = client.get("/bigscreen", follow_redirects=False)
    assert page.status_code in (302, 303, 401)


def test_page_carries_its_settings_and_the_dark_map(
    client: TestClient, db: Database, wall: Wall
) -> None:
    make_user(db, "leader-zj", Role.LEADER, "330000")
    login(client, "leader-zj")
    page = client.get("/bigscreen?refresh=2")
    assert page.status_code == 200
    assert "浙江省 · 生态环境指挥中心" in page.text
    assert '"refresh": 2.0' in page.text or '"refresh":2.0' in page.text
    assert '"theme": "dark"' in page.text or '"theme":"dark"' in page.text
    assert page.text.count("<li hidden>") == service.TICKER_ROWS + service.TARGET_ROWS
