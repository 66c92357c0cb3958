"""The waste demo: a simulated province year on the demo enterprises, loaded fast, with an alert
of every check rule in the inbox, the carrier and receiver logins, and idempotent reloads."""

from __future__ import annotations

import csv
import json
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from ecogov.accounts.service import login
from ecogov.cli import main
from ecogov.engine.waste import RULES
from ecogov.platform.alerts import Alert
from ecogov.platform.db import Database
from ecogov.platform.scope import SYSTEM
from ecogov.sources import demo as sources_demo
from ecogov.waste import demo
from ecogov.waste.bundleexport import export_bundle
from ecogov.waste.models import Manifest, ManifestEvent, TrackPoint, WasteParty


def test_demo_year_loads_with_an_alert_of_every_rule(db: Database) -> None:
    sources_demo.load(db)
    started = time.monotonic()
    lines = demo.load(db)
    elapsed = time.monotonic() - started
    print(f"waste demo load: {elapsed:.1f} s — {lines[0]}")
    assert elapsed < 30
    with db.transaction(SYSTEM) as session:
        manifests = session.scalar(select(func.count()).select_from(Manifest))
        events = session.scalar(select(func.count()).select_from(ManifestEvent))
        kinds = set(session.scalars(select(Alert.kind).where(Alert.kind.like("waste.%"))))
        first = session.scalar(select(WasteParty).where(WasteParty.party_code == "G000001"))
    assert manifests is not None
    assert manifests > 3000
    assert events is not None
    assert events > 4 * manifests
    assert kinds == {f"waste.{rule}" for rule in RULES}
    assert first is not None
    _, qiye = login(db, *sources_demo.DEMO_USER, session_hours=1)
    assert qiye.enterprise_id == first.enterprise_id
    for kind, (username, password) in demo.DEMO_USERS.items():
        _, user = login(db, username, password, session_hours=1)
        with db.transaction(SYSTEM) as session:
            party = session.scalar(
                select(WasteParty).where(
                    WasteParty.enterprise_id == user.enterprise_id, WasteParty.kind == kind
                )
            )
        assert party is not None
    tracks = _tracks(db)
    again = demo.load(db)
    assert "already loaded" in again[0]
    with db.transaction(SYSTEM) as session:
        assert session.scalar(select(func.count()).select_from(Manifest)) == manifests
    assert _tracks(db) == tracks  # a second run re-routes nothing


def _tracks(db: Database) -> list[tuple[int, int, float, float]]:
    with db.transaction(SYSTEM) as session:
        rows = session.execute(
            select(TrackPoint.manifest_id, TrackPoint.ts, TrackPoint.lon, TrackPoint.lat).order_by(
                TrackPoint.manifest_id, TrackPoint.ts
            )
        )
        return [(row[0], row[1], row[2], row[3]) for row in rows]


def test_the_simulated_year_is_the_same_on_every_build() -> None:
    first, second = demo.build(2025), demo.build(2025)
    for name in ("parties", "manifests", "tracks", "ledger"):
        assert getattr(first.frames, name).equals(getattr(second.frames, name)), name


@pytest.mark.parametrize(
    ("point", "expected"),
    [
        ((120.5, 30.0), (121.0, 30.0)),  # halfway along stays halfway along
        ((120.0, 30.0), (120.0, 30.0)),
        ((121.0, 30.0), (122.0, 30.0)),
    ],
)
def test_track_points_keep_their_share_of_the_way(
    point: tuple[float, float], expected: tuple[float, float]
) -> None:
    route = ((120.0, 30.0), (121.0, 30.0))
    onto = ((120.0, 30.0), (122.0, 30.0))
    assert demo.moved_point(point, route, onto) == pytest.approx(expected, abs=1e-6)


def test_track_points_keep_their_distance_off_the_route() -> None:
    route = ((120.0, 30.0), (120.2, 30.0))
    onto = ((121.0, 29.0), (121.0, 31.0))  # ten times longer, turned north
    off = demo.moved_point((120.1, 30.1), route, onto)  # 0.1° north of the middle: left of it
    per_lon, per_lat = demo.km_plane(30.0)
    assert (121.0 - off[0]) * per_lon == pytest.approx(0.1 * per_lat, rel=1e-6)  # left: west
    assert off[1] == pytest.approx(30.0, abs=1e-6)


def test_an_exported_demo_database_checks_like_the_platform(
    db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The demo database exported as a bundle and run through ``ecogov waste check`` gives the
    findings the platform published as alerts — a receiver's licence with several codes (one
    number on several rows) included."""
    sources_demo.load(db)
    demo.load(db)
    for name, body in export_bundle(db, SYSTEM).items():
        (tmp_path / name).write_bytes(body)
    with (tmp_path / "licences.csv").open(encoding="utf-8") as file:
        numbers = [row["licence_no"] for row in csv.DictReader(file)]
    assert len(set(numbers)) < len(numbers)  # several codes under one licence number
    as_of = demo.build().as_of.isoformat()
    with pytest.raises(SystemExit) as exit_info:
        main(["waste", "check", str(tmp_path), "--json", "--as-of", as_of])
    captured = capsys.readouterr()
    assert (exit_info.value.code, captured.err) == (0, "")
    lines = [json.loads(line) for line in captured.out.splitlines()]
    assert {line["rule"] for line in lines} == set(RULES)
    checked = {f"waste.{x['rule']}:{x['subject']}:{x['code'] or '-'}:{x['period']}" for x in lines}
    with db.transaction(SYSTEM) as session:
        published = set(session.scalars(select(Alert.dedupe_key).where(Alert.kind.like("waste.%"))))
    assert checked == published
