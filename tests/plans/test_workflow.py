"""Task and rectification workflows: every allowed and every refused move, who may make it,
evidence and notes, dual sign-off, escalation on a simulated clock."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from ecogov.plans import service
from ecogov.plans.importer import draft
from ecogov.plans.models import Escalation, Notification, RectificationItem, Task, WorkflowEvent
from ecogov.plans.workflow import RECTIFICATION, TASK, Actor, Machine, check_move, is_supervisor
from ecogov.platform.audit import AuditEntry
from ecogov.platform.db import Database
from ecogov.platform.errors import Conflict, PermissionDenied
from ecogov.platform.scope import SYSTEM, Principal, Role

PROVINCE = Principal("zj", Role.PROVINCE_OFFICER, region_code="330000")
PROVINCE_2 = Principal("zj2", Role.PROVINCE_OFFICER, region_code="330000")
CITY = Principal("hz", Role.CITY_OFFICER, region_code="330100")
COUNTY = Principal("xh", Role.COUNTY_OFFICER, region_code="330106")
OTHER_COUNTY = Principal("bj", Role.COUNTY_OFFICER, region_code="330102")
LEADER = Principal("ld", Role.LEADER, region_code="330000")
ACTORS = {
    Actor.EXECUTOR: COUNTY,
    Actor.SUPERVISOR: CITY,
    Actor.SYSTEM: SYSTEM,
    Actor.SIGNER: LEADER,
}
EVIDENCE = service.EvidenceFile("photo.jpg", "image/jpeg", b"\xff\xd8 evidence")


def all_cases(machine: Machine) -> list[tuple[str, str, bool]]:
    """Every (state, move) pair and whether the table allows it."""
    return [
        (state, move.name, state in move.sources)
        for move in machine.moves
        for state in machine.states
    ]


@pytest.mark.parametrize("machine", [TASK, RECTIFICATION], ids=["task", "rectification"])
def test_every_pair_of_state_and_move(machine: Machine) -> None:
    for state, name, allowed in all_cases(machine):
        move = machine.move(name)
        actor = ACTORS[move.actor]

        def attempt(state: str = state, name: str = name, actor: Principal = actor) -> None:
            check_move(
                machine,
                name,
                state,
                actor,
                "330106",
                has_evidence=True,
                note="why",
                closure_requested_by="someone-else",
            )

        if allowed:
            attempt()
        else:
            with pytest.raises(Conflict, match=f"is {state}: '{name}' is allowed only from"):
                attempt()


ENTERPRISE = Principal("e", Role.ENTERPRISE, enterprise_id=1)
ADMIN_USER = Principal("root", Role.ADMIN)
EVERYONE = (COUNTY, CITY, PROVINCE, LEADER, OTHER_COUNTY, ENTERPRISE, ADMIN_USER, SYSTEM)
MAY = {
    Actor.EXECUTOR: {COUNTY, CITY, PROVINCE, ADMIN_USER, SYSTEM},
    Actor.SUPERVISOR: {CITY, PROVINCE, ADMIN_USER, SYSTEM},
    Actor.SYSTEM: {SYSTEM},
    Actor.SIGNER: {CITY, PROVINCE, LEADER, ADMIN_USER, SYSTEM},
}
"""Who may make each kind of move on an item of county 330106 (the rule, stated apart)."""


@pytest.mark.parametrize("machine", [TASK, RECTIFICATION], ids=["task", "rectification"])
def test_every_move_admits_exactly_its_actors(machine: Machine) -> None:
    for move in machine.moves:
        state = sorted(move.sources)[0]
        for principal in EVERYONE:

            def attempt(
                principal: Principal = principal, name: str = move.name, state: str = state
            ) -> None:
                check_move(
                    machine,
                    name,
                    state,
                    principal,
                    "330106",
                    has_evidence=True,
                    note="why",
                    closure_requested_by=None,
                )

            if principal in MAY[move.actor]:
                attempt()
            else:
                with pytest.raises(PermissionDenied):
                    attempt()


def test_evidence_and_note_requirements() -> None:
    with pytest.raises(Conflict, match="evidence file"):
        check_move(
            TASK,
            "request_closure",
            "in_progress",
            COUNTY,
            "330106",
            has_evidence=False,
            note=None,
            closure_requested_by=None,
        )
    with pytest.raises(Conflict, match="needs a note"):
        check_move(
            TASK,
            "reopen",
            "closed",
            CITY,
            "330106",
            has_evidence=True,
            note="  ",
            closure_requested_by=None,
        )


def test_four_eyes_rule() -> None:
    with pytest.raises(PermissionDenied, match="other than the requester"):
        check_move(
            TASK,
            "close",
            "closure_requested",
            CITY,
            "330106",
            has_evidence=True,
            note=None,
            closure_requested_by="hz",
        )


def test_supervisor_is_strictly_above() -> None:
    assert is_supervisor(CITY, "330106")
    assert not is_supervisor(COUNTY, "330106")
    assert not is_supervisor(CITY, "330100")
    assert is_supervisor(PROVINCE, "330100")
    assert is_supervisor(PROVINCE, "330000")
    assert not is_supervisor(LEADER, "330106")


def _plan(db: Database, due: date) -> int:
    task = draft.Task("一.1", "整治河道", ("区治水办",), ("区环保分局",), None, due.isoformat())
    plan = draft.PlanDraft("测试方案", sections=(draft.Section("一", "碧水", (task,)),))
    meta = service.PlanMeta(region_code="330106", start_year=2025, end_year=2026)
    return service.commit_plan(db, SYSTEM, plan, meta)


def _task_id(db: Database) -> int:
    with db.transaction(SYSTEM) as session:
        task_id = session.scalar(select(Task.id))
    assert isinstance(task_id, int)
    return task_id


def test_task_closed_loop_through_the_service(db: Database) -> None:
    _plan(db, date(2026, 6, 30))
    task = _task_id(db)
    assert service.act(db, COUNTY, "task", task, "start") == "in_progress"
    with pytest.raises(Conflict, match="evidence"):
        service.act(db, COUNTY, "task", task, "request_closure")
    service.add_report(db, COUNTY, "task", task, "已完成清淤", [EVIDENCE])
    assert service.act(db, COUNTY, "task", task, "request_closure") == "closure_requested"
    with pytest.raises(PermissionDenied):
        service.act(db, COUNTY, "task", task, "close")
    assert service.act(db, CITY, "task", task, "close") == "closed"
    with pytest.raises(Conflict, match="is closed"):
        service.act(db, CITY, "task", task, "close")
    assert service.act(db, CITY, "task", task, "reopen", note="回头看发现反弹") == "reopened"
    with db.transaction(SYSTEM) as session:
        events = session.scalars(select(WorkflowEvent.to_state).order_by(WorkflowEvent.id)).all()
        audited = session.scalars(select(AuditEntry.action)).all()
    assert events == ["in_progress", "closure_requested", "closed", "reopened"]
    assert {"plans.task.start", "plans.task.close", "plans.task.report"} <= set(audited)


def _item(db: Database, deadline: date) -> int:
    return service.create_item(
        db,
        CITY,
        region_code="330106",
        problem="某河段黑臭",
        origin="inspection",
        target="消除黑臭",
        measures="截污纳管、清淤",
        deadline=deadline,
        unit_name="西湖区政府",
    )


def _to_verified(db: Database, item: int) -> None:
    service.add_report(db, COUNTY, "rectification", item, "整改完成", [EVIDENCE])
    service.act(db, COUNTY, "rectification", item, "request_closure")
    assert service.act(db, CITY, "rectification", item, "verify") == "verified"


def test_rectification_needs_two_signoffs_from_different_roles(db: Database) -> None:
    item = _item(db, date(2026, 12, 31))
    _to_verified(db, item)
    with pytest.raises(Conflict, match="two sign-offs"):
        service.act(db, CITY, "rectification", item, "close")
    assert service.sign_off(db, PROVINCE, item) == "verified"
    with pytest.raises(Conflict, match="different person and role"):
        service.sign_off(db, PROVINCE_2, item)
    with pytest.raises(PermissionDenied):
        service.sign_off(db, COUNTY, item)
    assert service.sign_off(db, LEADER, item) == "closed"
    assert service.act(db, CITY, "rectification", item, "reopen", note="回头看") == "reopened"


def test_verifier_must_not_be_the_requester(db: Database) -> None:
    item = _item(db, date(2026, 12, 31))
    service.add_report(db, CITY, "rectification", item, "整改完成", [EVIDENCE])
    service.act(db, CITY, "rectification", item, "request_closure")
    with pytest.raises(PermissionDenied, match="other than the requester"):
        service.act(db, CITY, "rectification", item, "verify")
    assert service.act(db, PROVINCE, "rectification", item, "verify") == "verified"


def test_escalation_ladder_on_a_simulated_clock(db: Database) -> None:
    due = date(2026, 3, 31)
    _plan(db, due)
    item = _item(db, due)
    assert service.escalate(db, due) == []
    first = service.escalate(db, due + timedelta(days=1))
    assert len(first) == 2  # the task and the item reach 书面督办
    assert service.escalate(db, due + timedelta(days=1)) == []  # idempotent within a step
    later = service.escalate(db, due + timedelta(days=40))
    assert len(later) == 2 * 3  # 限期整改, 通报批评, 分级约谈 for each
    with db.transaction(SYSTEM) as session:
        steps = session.scalars(
            select(Escalation.step_name)
            .where(Escalation.subject == "rectification")
            .order_by(Escalation.step)
        ).all()
        status = session.get(RectificationItem, item)
        notices = session.scalars(select(Notification.region_code)).all()
    assert steps == ["书面督办", "限期整改", "通报批评", "分级约谈"]
    assert status is not None
    assert status.status == "overdue"
    assert set(notices) == {"330100", "330000"}  # the city, then the province for 约谈


def test_overdue_item_can_still_be_closed(db: Database) -> None:
    item = _item(db, date(2026, 1, 31))
    service.escalate(db, date(2026, 2, 10))
    _to_verified(db, item)
    service.sign_off(db, CITY, item)
    assert service.sign_off(db, LEADER, item) == "closed"


def test_leaders_change_nothing_but_sign_offs(db: Database) -> None:
    item = _item(db, date(2026, 12, 31))
    with pytest.raises(PermissionDenied):
        service.act(db, LEADER, "rectification", item, "start")
    with pytest.raises(PermissionDenied):
        service.create_item(
            db,
            LEADER,
            region_code="330106",
            problem="p",
            origin="other",
            target="t",
            measures="m",
            deadline=date(2027, 1, 1),
            unit_name=None,
        )
