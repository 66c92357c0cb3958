"""Defect 9 (its last sentence): the receiver status page shows Beijing time like every page."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi.testclient import TestClient

from ecogov.hj212.status import Counters, write_status
from ecogov.platform import clock
from ecogov.platform.clock import beijing_time
from ecogov.platform.db import Database
from ecogov.platform.scope import Role
from ecogov.standards.timebase import BEIJING
from tests.helpers import login, make_user


def test_the_receiver_status_is_shown_in_beijing_time(client: TestClient, db: Database) -> None:
    with clock.frozen(datetime(2026, 12, 6, 1, 30, 5, tzinfo=UTC)):
        write_status(db, Counters("0.0.0.0:9212").snapshot())
    make_user(db, "admin", Role.ADMIN)
    login(client, "admin")
    table = client.get("/hj212").text.split('id="receiver-table"', 1)[1].split("</table>", 1)[0]
    assert "2026-12-06 09:30:05" in table
    assert "UTC" not in table
    assert "01:30" not in table


def test_beijing_time_filter() -> None:
    assert beijing_time(datetime(2026, 12, 6, 17, 30, tzinfo=UTC)) == "2026-12-07 01:30"
    assert beijing_time(datetime(2026, 12, 6, 9, 0, tzinfo=BEIJING), "%H:%M:%S") == "09:00:00"
    assert beijing_time(datetime(2026, 12, 6, 9, 0)) == "2026-12-06 09:00"  # naive: Beijing
    assert beijing_time(None) == "—"
