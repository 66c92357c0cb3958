"""The HJ 212 demo: history up to now through the receiver's intake, with exceedances and findings
the demo's county officer and enterprise user see; the receiver status page in Beijing time."""

from __future__ import annotations

import re
import socket
import threading
import time
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ecogov.hj212 import demo, service
from ecogov.hj212.livefeed import FeedError, FeedSettings, LiveFeed
from ecogov.hj212.models import Record
from ecogov.hj212.simulator import SimulatedDevice
from ecogov.hj212.status import StatusView, write_status
from ecogov.platform.db import Database
from ecogov.platform.errors import InputError
from ecogov.platform.scope import SYSTEM, Role
from ecogov.sources import demo as sources_demo
from ecogov.sources.models import Device
from ecogov.standards.timebase import BEIJING
from tests.helpers import login, make_user
from tests.hj212.support import make_devices
from tests.hj212.test_pages import chart_of

NOW = datetime(2026, 12, 6, 16, 25, 10, tzinfo=UTC)
"""The clock the tests set for the demo history (any instant works: the history ends there)."""


def _newest(db: Database, cn: str) -> int:
    with db.transaction(SYSTEM) as session:
        newest = session.scalar(select(func.max(Record.data_time)).where(Record.cn == cn))
    assert newest is not None, f"no {cn} records"
    return int(newest)


def test_demo_history_ends_now_with_exceedances_and_findings_in_scope(
    client: TestClient, db: Database
) -> None:
    sources_demo.load(db)
    lines = demo.load(db, now=NOW)
    assert "模拟数据" in lines[0]
    assert "alerts inbox" in lines[1]
    now = int(NOW.timestamp())
    # hourly means up to the last whole hour, real-time data within the last minute
    assert now - 3600 < _newest(db, "2061") + 3600 <= now
    assert now - 60 < _newest(db, "2011") <= now
    assert now - 1200 < _newest(db, "2051") + 600 <= now

    with db.transaction(SYSTEM) as session:
        devices = _featured(session)
    enterprise_devices = [d for d in devices if d.enterprise_id == devices[0].enterprise_id]
    county_devices = [d for d in devices if d.region_code == demo.FEATURED_REGION]
    assert enterprise_devices
    assert county_devices

    # every featured device is judged: an exceedance (where a factor has room) and findings
    overviews = {d.mn: service.device_overview(db, SYSTEM, d.mn) for d in county_devices}
    assert sum(bool(o.exceedances) for o in overviews.values()) >= len(county_devices) // 2
    assert all(o.findings for o in overviews.values())
    checks = {f.check for o in overviews.values() for f in o.findings}
    assert {"flat_line", "missing", "range_edge"} <= checks

    # the records came the receiver's way: their frames are in the raw archive
    mn = county_devices[0].mn
    frames = service.archived_frames(db, SYSTEM, mn, NOW - timedelta(days=31), NOW)
    assert frames
    assert {f.peer for f in frames} == {demo.PEER}
    assert {f.outcome for f in frames} == {"stored"}

    # the county officer of 西湖区 sees its devices' exceedances and findings on the device page
    make_user(db, "xihu", Role.COUNTY_OFFICER, "330106")
    login(client, "xihu")
    judged = next(mn for mn, o in overviews.items() if o.exceedances and o.findings)
    page = client.get(f"/hj212/devices/{judged}")
    assert page.status_code == 200
    _shows_judgement(page.text, overviews[judged])
    assert chart_of(page.text)["factors"]
    api = client.get(f"/api/v1/hj212/devices/{judged}/chart")
    assert api.status_code == 200
    assert api.json()["until"].startswith(
        datetime.fromtimestamp(_newest_of(db, judged) + 3600, BEIJING).isoformat()[:13]
    )
    elsewhere = next(d for d in _all_devices(db) if not d.region_code.startswith("330106"))
    assert client.get(f"/hj212/devices/{elsewhere.mn}").status_code == 404

    # the demo enterprise user sees its own devices' judgement, and no one else's
    client.cookies.clear()
    username, password = sources_demo.DEMO_USER
    login(client, username, password)
    own = enterprise_devices[0].mn
    page = client.get(f"/hj212/devices/{own}")
    assert page.status_code == 200
    _shows_judgement(page.text, service.device_overview(db, SYSTEM, own))
    foreign = next(d for d in county_devices if d.enterprise_id != devices[0].enterprise_id)
    assert client.get(f"/hj212/devices/{foreign.mn}").status_code == 404

    # the findings reached the one alerts inbox: the county officer sees Xihu's there
    client.cookies.clear()
    login(client, "xihu")
    inbox = client.get("/api/v1/alerts?kind=hj212.*").json()
    items = inbox["items"] if isinstance(inbox, dict) else inbox
    assert items
    assert all(item["region_code"].startswith("330106") for item in items)

    # loading again tops up from the newest hour: nothing new at the same clock
    again = demo.load(db, now=NOW)
    assert again[0].startswith("  hj212: 0 records")


def _featured(session: Session) -> list[Device]:
    """The demo enterprise's devices, then the demo county's (as the loader features them)."""
    chosen = demo._select_devices(session)
    featured = {d.mn for d in chosen if d.featured}
    rows = session.scalars(select(Device).where(Device.mn.in_(featured)).order_by(Device.id))
    return list(rows)


def _all_devices(db: Database) -> list[Device]:
    with db.transaction(SYSTEM) as session:
        return list(session.scalars(select(Device).order_by(Device.mn)))


def _newest_of(db: Database, mn: str) -> int:
    with db.transaction(SYSTEM) as session:
        newest = session.scalar(
            select(func.max(Record.data_time)).where(Record.mn == mn, Record.cn == "2061")
        )
    assert newest is not None
    return int(newest)


def _shows_judgement(page: str, overview: service.DeviceOverview) -> None:
    """The page lists the overview's exceedances (their start) and findings (their check)."""
    for event in overview.exceedances:
        assert event.start.strftime("%Y-%m-%d %H:%M") in page
    for finding in overview.findings:
        assert finding.start.strftime("%Y-%m-%d %H:%M") in page
    assert overview.findings, "a featured device has a planted finding"


TIME_ELEMENT = re.compile(r'<time datetime="([^"]+)">([^<]+)</time>')


def test_status_page_shows_beijing_time(client: TestClient, db: Database) -> None:
    updated = datetime(2026, 12, 6, 16, 30, 5, tzinfo=UTC)
    write_status(
        db,
        StatusView(
            listen="127.0.0.1:9212",
            started_at=updated - timedelta(hours=1),
            updated_at=updated,
            connections=6,
            packets=120,
            stored=118,
            rejected=2,
            packets_per_s=0.2,
            rejects_by_reason={"crc-mismatch": 2},
        ),
    )
    make_user(db, "zhejiang", Role.PROVINCE_OFFICER, "330000")
    login(client, "zhejiang")
    page = client.get("/hj212")
    assert page.status_code == 200
    times = TIME_ELEMENT.findall(page.text)
    assert times == [("2026-12-07T00:30:05+08:00", "2026-12-07 00:30:05")]
    assert " UTC" not in page.text


def test_feed_refuses_addresses_beyond_loopback() -> None:
    for host in ("0.0.0.0", "192.168.1.20", "example.org"):
        with pytest.raises(InputError, match="回环"):
            FeedSettings(host=host)
    assert FeedSettings(host="::1").host == "::1"


def test_live_feed_stores_new_values_and_stops_within_bounds(db: Database) -> None:
    """The feed's receiver listens on loopback, its loggers upload real-time data at once, and
    stopping it closes the port and ends its thread: nothing is left running."""
    devices = make_devices(db, 2)
    targets = [SimulatedDevice(d.mn, d.pw, d.st) for d in devices]
    feed = LiveFeed(db.url, targets, FeedSettings(port=0, interval=0.2, stop_timeout=20))
    threads = set(threading.enumerate())
    started = time.monotonic()
    with feed:
        assert feed.running
        assert feed.port
        deadline = time.monotonic() + 20
        stored: list[str] = []
        while time.monotonic() < deadline and len(stored) < len(devices):
            time.sleep(0.2)
            with db.transaction(SYSTEM) as session:
                stored = list(session.scalars(select(Record.mn).where(Record.cn == "2011")))
        assert sorted(stored) == sorted(d.mn for d in devices)
    assert not feed.running
    assert time.monotonic() - started < 60
    assert set(threading.enumerate()) <= threads
    with socket.socket() as probe:
        assert probe.connect_ex(("127.0.0.1", feed.port)) != 0
    feed.stop()  # stopping twice is harmless


def test_feed_that_cannot_listen_fails_to_start(db: Database) -> None:
    (device,) = make_devices(db, 1)
    target = SimulatedDevice(device.mn, device.pw, device.st)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        feed = LiveFeed(db.url, [target], FeedSettings(port=port, start_timeout=20))
        with pytest.raises(FeedError, match="未能启动"):
            feed.start()
    assert not feed.running
    with pytest.raises(FeedError, match="没有"):
        LiveFeed(db.url, []).start()


def test_demo_feed_speaks_for_the_demo_live_devices(db: Database) -> None:
    """``ecogov serve --demo`` enters the domain's demo service: the feed of the loader's live
    devices, which the simulator can speak for without exceeding their limits."""
    sources_demo.load(db)
    devices = demo.live_devices(db)
    assert 0 < len(devices) <= demo.LIVE_DEVICES
    with db.transaction(SYSTEM) as session:
        featured = {d.mn for d in demo._select_devices(session) if d.featured}
    assert {d.mn for d in devices} <= featured


def test_serve_demo_runs_the_feed_beside_the_server_only(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``ecogov serve --demo`` serves with the feed running and stops it when the server stops;
    ``ecogov serve`` (production) never starts it."""
    import uvicorn

    from ecogov.cli import main
    from ecogov.hj212 import livefeed
    from ecogov.platform.settings import get_settings

    (device,) = make_devices(db, 1)
    target = SimulatedDevice(device.mn, device.pw, device.st)
    monkeypatch.setattr(livefeed, "live_devices", lambda _db: [target])
    monkeypatch.setattr(livefeed, "DEMO_FEED", FeedSettings(port=0, interval=0.2))
    monkeypatch.setenv("ECOGOV_DATABASE_URL", db.url)
    monkeypatch.setenv("ECOGOV_SECRET_KEY", "test-secret-key")
    feed_seen: list[bool] = []

    def feed_running() -> bool:
        return any(t.name == "hj212-demo-feed" and t.is_alive() for t in threading.enumerate())

    def serve_once(app: object, **options: object) -> None:
        assert options["host"] == "127.0.0.1"
        feed_seen.append(feed_running())

    monkeypatch.setattr(uvicorn, "run", serve_once)
    get_settings.cache_clear()
    try:
        for args in (["serve", "--demo"], ["serve"]):
            with pytest.raises(SystemExit) as ended:
                main(args)
            assert ended.value.code == 0
            assert not feed_running()
    finally:
        get_settings.cache_clear()
    assert feed_seen == [True, False]
