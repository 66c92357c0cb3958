"""The alerts inbox's rules: dedupe and merge, severity levels, auto-conversion rules as data,
scope of reading and handling, dismissal, closure following the item, bad input."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from ecogov.plans import service
from ecogov.platform import alerts
from ecogov.platform.alerts import AlertDraft, AlertRule, InboxFilter, matching_rule
from ecogov.platform.audit import AuditEntry
from ecogov.platform.db import Database
from ecogov.platform.errors import Conflict, InputError, NotFound, PermissionDenied
from ecogov.platform.scope import SYSTEM, Principal, Role
from tests.platform.alerts_support import CITY, LEADER, close_through_ledger, county

T0 = datetime(2026, 3, 1, tzinfo=UTC)
XIHU = county("330106")
ENTERPRISE = Principal("qy", Role.ENTERPRISE, enterprise_id=1)


def draft(
    key: str = "test:1",
    severity: str = "yellow",
    hours: int = 1,
    region: str = "330106",
    kind: str = "hj212.exceedance",
) -> AlertDraft:
    """A draft whose window is the ``hours`` hours from T0."""
    return AlertDraft(
        kind=kind,
        severity=severity,
        title=f"测试问题 {key}",
        region_code=region,
        window_start=T0,
        window_end=T0 + timedelta(hours=hours),
        dedupe_key=key,
        evidence={"hours": hours},
        link="/somewhere",
    )


def test_publish_dedupes_merges_and_raises(db: Database) -> None:
    (created,) = alerts.publish(db, [draft()]).created
    assert alerts.publish(db, [draft()]) == alerts.Published()  # the same: nothing changes
    assert alerts.publish(db, [draft(hours=1, severity="blue")]) == alerts.Published()
    merged = alerts.publish(db, [draft(hours=3, severity="blue")])
    assert merged.merged == (created,)
    view = alerts.get(db, XIHU, created)
    assert (view.occurrences, view.severity, view.evidence) == (2, "yellow", {"hours": 3})
    assert view.window_end == T0 + timedelta(hours=3)
    alerts.publish(db, [draft(hours=3, severity="orange")])  # same window, higher severity
    assert alerts.get(db, XIHU, created).severity == "orange"
    assert alerts.get(db, XIHU, created).occurrences == 2
    assert alerts.inbox(db, XIHU, InboxFilter()).total == 1


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.tuples(st.integers(1, 48), st.sampled_from(["blue", "yellow", "orange"])),
        min_size=1,
        max_size=8,
    )
)
def test_merging_keeps_one_alert_with_the_furthest_window_and_highest_level(
    db: Database, publications: list[tuple[int, str]]
) -> None:
    key = f"prop:{uuid.uuid4().hex}"
    for hours, severity in publications:
        alerts.publish(db, [draft(key, severity, hours)])
    with db.transaction(SYSTEM) as session:
        rows = list(session.scalars(select(alerts.Alert).where(alerts.Alert.dedupe_key == key)))
    assert len(rows) == 1
    (alert,) = rows
    assert alert.window_end == T0 + timedelta(hours=max(h for h, _ in publications))
    top = max(alerts.severity_rank(s) for _, s in publications)
    assert alerts.severity_rank(alert.severity) == top
    furthest = [publications[0][0]]
    for hours, _ in publications[1:]:
        if hours > furthest[-1]:
            furthest.append(hours)
    assert alert.occurrences == len(furthest)


def test_rules_match_kind_pattern_severity_and_region() -> None:
    rules = [
        AlertRule(id=2, kind_pattern="*", min_severity="red", region_code=None, enabled=True),
        AlertRule(
            id=1, kind_pattern="water.*", min_severity="orange", region_code="330100", enabled=True
        ),
        AlertRule(id=3, kind_pattern="*", min_severity="blue", region_code=None, enabled=False),
    ]
    assert matching_rule(rules, "water.below_target", "orange", "330106") is rules[1]
    assert matching_rule(rules, "water.below_target", "orange", "330205") is None
    assert matching_rule(rules, "air.station_exceedance", "red", "330205") is rules[0]
    assert matching_rule(rules, "air.station_exceedance", "orange", "330106") is None


def test_the_default_rule_is_data_with_its_source(db: Database) -> None:
    (rule,) = alerts.rules(db, XIHU)
    assert (rule.kind_pattern, rule.min_severity, rule.converter) == ("*", "red", "rectification")
    assert "突发事件应对法" in rule.source
    (red,) = alerts.publish(db, [draft(severity="red")]).converted
    assert alerts.get(db, XIHU, red).status == "converted"


def test_an_admin_rule_converts_orange_water_alerts_of_a_city(db: Database) -> None:
    with db.transaction(SYSTEM) as session:
        session.add(
            AlertRule(
                kind_pattern="water.*",
                min_severity="orange",
                converter="rectification",
                region_code="330100",
                deadline_days=10,
                enabled=True,
                source="测试规则",
            )
        )
    with pytest.raises(PermissionDenied), db.transaction(CITY) as session:
        session.add(AlertRule(kind_pattern="*", min_severity="blue", source="越权"))
    try:
        published = alerts.publish(
            db, [draft("w:1", "orange", kind="water.below_target"), draft("w:2", "yellow")]
        )
        assert len(published.converted) == 1
        view = alerts.get(db, XIHU, published.converted[0])
        assert view.note is not None
        assert "测试规则" in view.note
    finally:
        with db.transaction(SYSTEM) as session:
            for rule in session.scalars(select(AlertRule).where(AlertRule.source == "测试规则")):
                session.delete(rule)


def test_scope_of_reading_and_handling(db: Database) -> None:
    (alert_id,) = alerts.publish(db, [draft()]).created
    other = county("330102")
    assert alerts.inbox(db, other, InboxFilter()).total == 0
    with pytest.raises(NotFound, match="不在您的管辖范围内"):
        alerts.get(db, other, alert_id)
    with pytest.raises(NotFound):
        alerts.convert(db, other, alert_id)
    assert alerts.inbox(db, CITY, InboxFilter()).total == 1
    assert alerts.inbox(db, LEADER, InboxFilter()).total == 1
    with pytest.raises(PermissionDenied, match="工作人员"):
        alerts.acknowledge(db, LEADER, alert_id)
    with pytest.raises(PermissionDenied, match="领导开放"):
        alerts.inbox(db, ENTERPRISE, InboxFilter())
    assert alerts.acknowledge(db, XIHU, alert_id, "已安排核查") == "acknowledged"
    with pytest.raises(Conflict, match="已确认"):
        alerts.acknowledge(db, XIHU, alert_id)


def test_dismissal_needs_a_reason_and_frees_the_key_for_newer_data(db: Database) -> None:
    (alert_id,) = alerts.publish(db, [draft(hours=2)]).created
    with pytest.raises(InputError, match="须说明理由"):
        alerts.dismiss(db, XIHU, alert_id, "  ")
    assert alerts.dismiss(db, XIHU, alert_id, "设备校准期间数据") == "dismissed"
    assert alerts.publish(db, [draft(hours=2)]) == alerts.Published()  # old data: no new alert
    (newer,) = alerts.publish(db, [draft(hours=5)]).created
    assert newer != alert_id
    with pytest.raises(Conflict):
        alerts.convert(db, XIHU, alert_id)
    with db.transaction(SYSTEM) as session:
        actions = list(
            session.scalars(select(AuditEntry.action).where(AuditEntry.entity == "alert"))
        )
    assert "alerts.dismiss" in actions


def test_closing_and_reopening_the_item_follow_to_the_alert(db: Database) -> None:
    (alert_id,) = alerts.publish(db, [draft()]).created
    ref = alerts.convert(db, XIHU, alert_id)
    item_id = int(ref.removeprefix("rectification:"))
    close_through_ledger(db, item_id, XIHU)
    assert alerts.get(db, XIHU, alert_id).status == "closed"
    service.act(db, CITY, "rectification", item_id, "reopen", note="回头看发现反弹")
    assert alerts.get(db, XIHU, alert_id).status == "converted"


def test_filters_paging_and_bad_input(db: Database) -> None:
    alerts.publish(db, [draft(f"f:{n}", ("blue", "yellow", "orange")[n % 3]) for n in range(7)])
    page = alerts.inbox(db, XIHU, InboxFilter(per_page=3))
    assert (page.total, page.pages, len(page.alerts)) == (7, 3, 3)
    assert [a.severity for a in page.alerts] == ["orange", "orange", "yellow"]
    assert alerts.inbox(db, XIHU, InboxFilter(severity="yellow", at_least=True)).total == 4
    assert alerts.inbox(db, XIHU, InboxFilter(kind="hj212.*")).total == 7
    assert alerts.inbox(db, XIHU, InboxFilter(kind="water.*")).total == 0
    assert alerts.inbox(db, XIHU, InboxFilter(status="active")).total == 7
    with pytest.raises(InputError, match="预警级别"):
        alerts.inbox(db, XIHU, InboxFilter(severity="purple"))
    with pytest.raises(InputError, match="预警状态"):
        alerts.inbox(db, XIHU, InboxFilter(status="gone"))
    with pytest.raises(InputError, match="区划代码"):
        alerts.inbox(db, XIHU, InboxFilter(region="33"))
    with pytest.raises(InputError, match="页码"):
        alerts.inbox(db, XIHU, InboxFilter(page=0))
    with pytest.raises(NotFound):
        alerts.get(db, XIHU, 2**63)
    with pytest.raises(InputError, match="转办方式"):
        alerts.convert(db, XIHU, 1, "nothing")


def test_every_producer_kind_is_registered() -> None:
    assert {
        "hj212.exceedance",
        "hj212.finding",
        "air.station_exceedance",
        "air.city_exceedance",
        "water.below_target",
        "plans.target_off_track",
    } <= set(alerts.kinds())
    assert set(alerts.converters()) == {"rectification"}


def test_the_map_layer_is_geojson(db: Database) -> None:
    located = AlertDraft(**{**draft("map:1").__dict__, "lon": 120.1, "lat": 30.2})
    alerts.publish(db, [located, draft("map:2")])
    collection = alerts.geojson(db, XIHU)
    assert collection["type"] == "FeatureCollection"
    geometries = sorted(str(f["geometry"]) for f in collection["features"])
    assert geometries == ["None", str({"type": "Point", "coordinates": [120.1, 30.2]})]
    assert all(f["properties"]["region_code"] == "330106" for f in collection["features"])
    assert alerts.geojson(db, county("330102"))["features"] == []


def test_several_events_of_one_key_in_a_run_merge_in_time_order(db: Database) -> None:
    published = alerts.publish(db, [draft("batch", "orange", 6), draft("batch", "yellow", 2)])
    (alert_id,) = published.created
    view = alerts.get(db, XIHU, alert_id)
    assert (view.occurrences, view.severity) == (2, "orange")
    assert view.window_end == T0 + timedelta(hours=6)
    assert view.evidence == {"hours": 6}


def test_a_bad_draft_is_logged_and_skipped_not_a_failed_page(
    db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    bad = [
        draft("bad:region", region="33"),
        draft("bad:kind", kind="nobody.knows"),
        AlertDraft(**{**draft("bad:window").__dict__, "window_start": T0 + timedelta(days=1)}),
        draft("bad:severity", severity="purple"),
    ]
    published = alerts.publish(db, [*bad, draft("good")])
    assert len(published.created) == 1
    assert alerts.inbox(db, SYSTEM, InboxFilter()).total == 1
    skipped = [r.getMessage() for r in caplog.records if "skipped" in r.getMessage()]
    assert len(skipped) == 4
    assert any("区划代码" in message for message in skipped)


def test_a_busy_database_does_not_fail_the_producer(
    db: Database, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def busy(*args: object) -> alerts.Published:
        raise OperationalError("INSERT", {}, Exception("database is locked"))

    monkeypatch.setattr(alerts, "_publish_once", busy)
    assert alerts.publish(db, [draft("busy")]) == alerts.Published()
    assert "not published this time" in caplog.text
    monkeypatch.undo()
    assert len(alerts.publish(db, [draft("busy")]).created) == 1  # the next run publishes it


def test_clock_words_and_window() -> None:
    assert alerts.days_left_words(-3) == "已超期 3 天"
    assert alerts.days_left_words(0) == "剩余 0 天"
    assert alerts.days_left_words(2) == "剩余 2 天"
    start = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
    assert alerts.clock_window(start, date(2026, 3, 4)) == (
        start,
        datetime(2026, 3, 4, tzinfo=UTC),
    )
    assert alerts.clock_window(start, date(2026, 3, 1)) == (start, start)  # never backwards
