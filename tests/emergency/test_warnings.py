"""Warnings suggested from constructed forecasts, the warning machine's every state × move, the
reduction list import (idempotent) and the tasks and alerts a published warning opens."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from ecogov.emergency import service
from ecogov.emergency.models import WarningTask
from ecogov.emergency.service import ForecastDay
from ecogov.emergency.workflow import WARNING
from ecogov.plans.models import RectificationItem
from ecogov.platform.alerts import Alert
from ecogov.platform.audit import AuditEntry
from ecogov.platform.db import Database
from ecogov.platform.errors import InputError, NotFound, PermissionDenied
from ecogov.platform.scope import SYSTEM, Principal, Role
from ecogov.platform.statemachine import ActorRefused, MoveRefused
from ecogov.sources import service as sources
from ecogov.sources.demo import demo_uscc
from ecogov.sources.service import NewEnterprise

CITY = Principal("hz", Role.CITY_OFFICER, user_id=14, region_code="330100")
PROVINCE = Principal("zj", Role.PROVINCE_OFFICER, user_id=16, region_code="330000")
COUNTY = Principal("xh", Role.COUNTY_OFFICER, user_id=11, region_code="330106")
LEADER = Principal("ld", Role.LEADER, user_id=15, region_code="330000")
OTHER_CITY = Principal("nb", Role.CITY_OFFICER, user_id=17, region_code="330200")
DAY = date(2026, 12, 20)


def forecast(*aqis: int) -> service.ForecastSource:
    days = [ForecastDay(DAY + timedelta(days=i), aqi) for i, aqi in enumerate(aqis)]

    def source(db: Database, principal: Principal, city: str) -> Sequence[ForecastDay]:
        return days

    return source


def enterprise(db: Database, index: int, region: str = "330106") -> tuple[int, str]:
    uscc = demo_uscc(index, region)
    firm = sources.create_enterprise(
        db,
        SYSTEM,
        NewEnterprise(
            uscc=uscc,
            name=f"测试钢铁{index}有限公司",
            industry_code="C3120",
            industry="炼钢",
            region_code=region,
            key_level="general",
        ),
    )
    return firm.enterprise_id, uscc


@pytest.mark.parametrize(
    ("aqis", "level"),
    [((201,), "blue"), ((201, 201), "yellow"), ((250, 250, 301), "orange"), ((500,), "red")],
)
def test_suggested_level_follows_the_criteria(db: Database, aqis: tuple[int], level: str) -> None:
    warning_id = service.suggest(db, CITY, "330100", forecast(*aqis))
    assert warning_id is not None
    view = service.get(db, CITY, warning_id)
    assert (view.level, view.state, view.edition) == (level, "suggested", "mep2017")
    assert view.events[0].move == "suggest"
    assert "AQI" in view.reason_zh


def test_no_warning_below_the_criteria_and_no_second_one(db: Database) -> None:
    assert service.suggest(db, CITY, "330100", forecast(200, 200, 200)) is None
    first = service.suggest(db, CITY, "330100", forecast(230, 240))
    assert service.suggest(db, CITY, "330100", forecast(330, 340, 350)) == first


def test_county_officers_and_leaders_do_not_suggest(db: Database) -> None:
    for who in (COUNTY, LEADER):
        with pytest.raises(PermissionDenied):
            service.suggest(db, who, "330100", forecast(230, 240))


def _warning_in(db: Database, state: str) -> int:
    warning_id = service.suggest(db, CITY, "330100", forecast(230, 240))
    assert warning_id is not None
    path = {
        "suggested": [],
        "published": ["publish"],
        "adjusted": ["publish", "adjust"],
        "lifted": ["publish", "lift"],
        "rejected": ["reject"],
    }[state]
    for action in path:
        level = "orange" if action == "adjust" else None
        service.decide(db, CITY, warning_id, action, f"{action} 决定", level)
    return warning_id


@pytest.mark.parametrize("state", list(WARNING.states))
@pytest.mark.parametrize("action", [m.name for m in WARNING.moves])
def test_every_state_and_move(db: Database, state: str, action: str) -> None:
    warning_id = _warning_in(db, state)
    allowed = state in WARNING.move(action).sources
    level = "red" if action == "adjust" else None
    if not allowed:
        with pytest.raises(MoveRefused):
            service.decide(db, CITY, warning_id, action, "说明", level)
        assert service.get(db, CITY, warning_id).state == state
        return
    with pytest.raises(MoveRefused):  # the officer's decision must say why
        service.decide(db, CITY, warning_id, action, " ", level)
    with pytest.raises((ActorRefused, PermissionDenied)):
        service.decide(db, COUNTY, warning_id, action, "说明", level)
    with pytest.raises(NotFound):  # another city does not see it
        service.decide(db, OTHER_CITY, warning_id, action, "说明", level)
    new_state = service.decide(db, PROVINCE, warning_id, action, "省级决定", level)
    view = service.get(db, CITY, warning_id)
    assert new_state == view.state == WARNING.move(action).target
    last = view.events[-1]
    assert (last.move, last.from_state, last.to_state, last.actor, last.note) == (
        action,
        state,
        new_state,
        "zj",
        "省级决定",
    )
    if action == "adjust":
        assert last.level_before == ("orange" if state == "adjusted" else "yellow")
        assert last.level_after == "red"
    with db.transaction(SYSTEM) as session:
        logged = session.scalars(
            select(AuditEntry.action).where(AuditEntry.action == f"emergency.{action}")
        ).all()
    assert logged


def test_adjust_must_change_the_level(db: Database) -> None:
    warning_id = _warning_in(db, "published")
    with pytest.raises(InputError, match="不同的级别"):
        service.decide(db, CITY, warning_id, "adjust", "说明", "yellow")
    with pytest.raises(InputError, match="无效"):
        service.decide(db, CITY, warning_id, "adjust", "说明", "purple")


LIST = (
    "统一社会信用代码,预警级别,限产比例,减排措施,减排因子\n"
    '{a},黄色,20,烧结机限产20%,"a21026,a34000"\n'
    "{a},橙色,40,烧结机限产40%，停止物料运输,a21026\n"
    "{b},橙色,30,高炉限产30%,a34000\n"
)


def test_reduction_list_import_is_idempotent_and_refuses_bad_rows(db: Database) -> None:
    (ea, a), (eb, b) = enterprise(db, 1), enterprise(db, 2, "330102")
    data = LIST.format(a=a, b=b).encode()
    first = service.import_measures(db, CITY, "清单.csv", data)
    assert (first.created, first.updated, first.unchanged) == (3, 0, 0)
    again = service.import_measures(db, CITY, "清单.csv", data)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    rows = service.reduction_list(db, CITY, "330100", "orange")
    assert [(r.enterprise_id, r.cut_pct) for r in rows] == sorted(
        [(ea, 40.0), (eb, 30.0)], key=lambda p: f"测试钢铁{1 if p[0] == ea else 2}有限公司"
    )
    own = Principal("qy", Role.ENTERPRISE, user_id=99, enterprise_id=ea)
    assert {r.enterprise_id for r in service.reduction_list(db, own)} == {ea}
    bad = f"统一社会信用代码,预警级别,限产比例,减排措施\n{a},紫色,20,x\n{a},红色,120,x\n"
    with pytest.raises(InputError, match="预警级别“紫色”无效"):
        service.import_measures(db, CITY, "bad.csv", bad.encode())
    with pytest.raises(PermissionDenied):
        service.import_measures(db, COUNTY, "清单.csv", data)


def test_publishing_opens_alerts_and_tasks_for_the_units(db: Database) -> None:
    (ea, a), (eb, b) = enterprise(db, 1), enterprise(db, 2, "330102")
    service.import_measures(db, CITY, "清单.csv", LIST.format(a=a, b=b).encode())
    warning_id = service.suggest(db, CITY, "330100", forecast(230, 240))
    assert warning_id is not None
    service.decide(db, CITY, warning_id, "publish", "会商后发布黄色预警")
    tasks = service.tasks_of(db, CITY, warning_id)
    assert list(tasks) == [ea]  # only A has a yellow measure
    assert tasks[ea].item_ref.startswith("rectification:")
    assert (tasks[ea].level, tasks[ea].status) == ("yellow", "assigned")
    service.decide(db, CITY, warning_id, "adjust", "污染加重，升级为橙色", "orange")
    assert set(service.tasks_of(db, CITY, warning_id)) == {ea, eb}
    with db.transaction(SYSTEM) as session:
        kinds = sorted((a.kind, a.severity, a.status) for a in session.scalars(select(Alert)))
        task_count = len(session.scalars(select(WarningTask)).all())
    assert ("emergency.warning", "orange", "open") in kinds
    assert kinds.count(("emergency.reduction", "orange", "converted")) == 2
    assert task_count == 3
    service.open_tasks(db, CITY, warning_id)  # again: nothing new
    with db.transaction(SYSTEM) as session:
        assert len(session.scalars(select(WarningTask)).all()) == 3


def test_lifting_closes_the_city_alert_and_tasks_read_the_measures(db: Database) -> None:
    (ea, a), (_eb, b) = enterprise(db, 1), enterprise(db, 2, "330102")
    service.import_measures(db, CITY, "清单.csv", LIST.format(a=a, b=b).encode())
    warning_id = service.suggest(db, CITY, "330100", forecast(230, 240))
    assert warning_id is not None
    service.decide(db, CITY, warning_id, "publish", "会商后发布黄色预警")
    item_id = service.tasks_of(db, CITY, warning_id)[ea].item_id
    with db.transaction(SYSTEM) as session:
        item = session.get(RectificationItem, item_id)
        assert item is not None
        assert "落实黄色预警减排措施：烧结机限产20%" in item.problem
        assert "测试钢铁1有限公司" in item.problem
    service.decide(db, PROVINCE, warning_id, "lift", "连续36小时低于黄色预警条件")
    with db.transaction(SYSTEM) as session:
        city = session.scalars(select(Alert).where(Alert.kind == "emergency.warning")).one()
        resolved = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "alerts.resolve")
        ).all()
    assert (city.status, city.handled_by, city.open_key) == ("closed", "zj", None)
    assert city.note is not None
    assert "连续36小时" in city.note
    assert resolved
