"""On-site inspections (现场检查): a checklist per industry and check type (data), answers,
photos, location, findings; a finding opens a rectification item through the alerts inbox or a
penalty case (GOVERNANCE.md §3.1: 立案 follows a finding).

A finding sent to rectification is published as an ``enforcement.finding`` alert and converted at
once with the ``rectification`` converter (the plans domain's, reached through the registry): the
item is tracked, escalated and closed as every other item, and closing it closes the alert.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, timedelta
from typing import Final

from sqlalchemy import select
from sqlalchemy.orm import Session

from ecogov.enforcement.access import ENFORCEMENT
from ecogov.enforcement.cases import NewCase, file_case_in
from ecogov.enforcement.models import (
    Checklist,
    Finding,
    Inspection,
    InspectionObject,
    InspectionPhoto,
    InspectionTask,
    Inspector,
)
from ecogov.platform import alerts
from ecogov.platform.clock import now as clock_now
from ecogov.platform.db import Database
from ecogov.platform.errors import Conflict, InputError, NotFound
from ecogov.platform.permissions import authorize
from ecogov.platform.scope import Principal
from ecogov.platform.uploads import base_name

ANSWERS: Final = {
    "ok": ("符合", "compliant"),
    "problem": ("存在问题", "problem"),
    "na": ("不适用", "n/a"),
}
SEVERITIES: Final = ("blue", "yellow", "orange", "red")
"""A finding's severity, on the alerts inbox's scale."""
FINDING_KIND: Final = alerts.AlertKind(
    "enforcement.finding", "现场检查发现问题", "Inspection finding"
)
MAX_PHOTO_BYTES: Final = 10 * 2**20


@dataclass(frozen=True)
class Photo:
    """A photo as uploaded."""

    filename: str
    content_type: str
    content: bytes


@dataclass(frozen=True)
class NewFinding:
    """A problem found: the checklist item it answers (optional), what, how serious."""

    description: str
    severity: str = "yellow"
    item_key: str | None = None


@dataclass(frozen=True)
class NewInspection:
    """What an inspector records on site."""

    task_id: int
    check_type: str
    answers: Mapping[str, str]
    findings: Sequence[NewFinding] = ()
    photos: Sequence[Photo] = ()
    lon: float | None = None
    lat: float | None = None
    note: str | None = None


def add_checklist(
    db: Database,
    principal: Principal,
    industry_prefix: str,
    check_type: str,
    title: str,
    items: Sequence[tuple[str, str]],
) -> int:
    """Store a checklist (items as ``(key, text)``) for an industry prefix (``*``: any)."""
    authorize(principal, "create", ENFORCEMENT)
    keys = [key for key, _ in items]
    if not items or len(set(keys)) != len(keys) or not all(k.strip() for k in keys):
        raise InputError("检查表须有检查项，且编号不能为空或重复（items need distinct keys）")
    with db.transaction(principal, action="enforcement.checklist.add") as session:
        row = Checklist(
            industry_prefix=industry_prefix,
            check_type=check_type,
            title=title,
            items=[{"key": k, "text": t} for k, t in items],
        )
        session.add(row)
        session.flush()
        return row.id


def checklist_for(session: Session, industry_code: str, check_type: str) -> Checklist:
    """The checklist of the longest industry prefix matching ``industry_code`` for the check
    type (a ``*`` list is the fallback)."""
    rows = session.scalars(select(Checklist).where(Checklist.check_type == check_type)).all()
    matching = [
        r for r in rows if r.industry_prefix == "*" or industry_code.startswith(r.industry_prefix)
    ]
    if not matching:
        raise NotFound(
            f"没有适用于行业 {industry_code}、检查类型“{check_type}”的检查表"
            f"（no checklist for industry {industry_code} and check type {check_type}）"
        )
    return max(matching, key=lambda r: 0 if r.industry_prefix == "*" else len(r.industry_prefix))


def _check_answers(checklist: Checklist, answers: Mapping[str, str]) -> None:
    keys = [item["key"] for item in checklist.items]
    missing = [k for k in keys if k not in answers]
    unknown = sorted(set(answers) - set(keys))
    bad = sorted(k for k, v in answers.items() if v not in ANSWERS)
    problems = []
    if missing:
        problems.append(f"未填写检查项：{'、'.join(missing)}")
    if unknown:
        problems.append(f"检查表中没有的项：{'、'.join(unknown)}")
    if bad:
        problems.append(f"答案须为 ok/problem/na 的项：{'、'.join(bad)}")
    if problems:
        raise InputError("；".join(problems) + "（checklist answers do not fit the checklist）")


def _check_position(lon: float | None, lat: float | None) -> None:
    if (lon is None) != (lat is None):
        raise InputError("经度和纬度须同时填写（give both longitude and latitude）")
    if lon is not None and lat is not None and not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise InputError(f"经纬度超出范围：{lon}, {lat}（position out of range）")


def _may_inspect(session: Session, principal: Principal, task: InspectionTask) -> None:
    """An inspection is recorded by one of the task's inspectors (or an officer of the region
    when the task names no account); refused otherwise."""
    authorize(principal, "create", ENFORCEMENT, task)
    accounts = session.scalars(
        select(Inspector.user_id).where(Inspector.id.in_(task.inspector_ids))
    ).all()
    linked = {a for a in accounts if a is not None}
    if linked and principal.user_id not in linked and not principal.sees_everything:
        raise Conflict(
            "只有本任务的检查人员可以录入检查记录（only the task's inspectors record it）"
        )


def record(db: Database, principal: Principal, new: NewInspection) -> int:
    """Record an inspection of a task with its answers, photos and findings; the task is done.
    Returns the inspection's id."""
    _check_position(new.lon, new.lat)
    for photo in new.photos:
        if not photo.content or len(photo.content) > MAX_PHOTO_BYTES:
            raise InputError(f"{photo.filename}：照片为空或超过10 MB（empty or larger than 10 MB）")
    for finding in new.findings:
        if not finding.description.strip() or finding.severity not in SEVERITIES:
            raise InputError("发现问题须有描述，严重程度为 blue/yellow/orange/red（bad finding）")
    with db.transaction(principal, action="enforcement.inspection.record") as session:
        task = session.get(InspectionTask, new.task_id)
        if task is None:
            raise NotFound(f"未找到检查任务 {new.task_id}（no task {new.task_id}）")
        if task.status == "done":
            raise Conflict(f"检查任务 {task.id} 已完成（task {task.id} is already done）")
        _may_inspect(session, principal, task)
        target = session.get(InspectionObject, task.object_id)
        assert target is not None
        checklist = checklist_for(session, target.industry_code, new.check_type)
        _check_answers(checklist, new.answers)
        scope = {"region_code": task.region_code, "enterprise_id": task.enterprise_id}
        inspection = Inspection(
            **scope,
            task_id=task.id,
            checklist_id=checklist.id,
            answers=dict(new.answers),
            lon=new.lon,
            lat=new.lat,
            inspected_at=clock_now(),
            recorded_by=principal.username,
            note=new.note,
        )
        session.add(inspection)
        session.flush()
        for photo in new.photos:
            session.add(
                InspectionPhoto(
                    **scope,
                    inspection_id=inspection.id,
                    filename=base_name(photo.filename, "photo"),
                    content_type=photo.content_type,
                    sha256=hashlib.sha256(photo.content).hexdigest(),
                    content=photo.content,
                )
            )
        for finding in new.findings:
            session.add(
                Finding(
                    **scope,
                    inspection_id=inspection.id,
                    item_key=finding.item_key,
                    description=finding.description.strip(),
                    severity=finding.severity,
                )
            )
        task.status = "done"
        return inspection.id


def _finding(session: Session, principal: Principal, finding_id: int) -> Finding:
    finding = session.get(Finding, finding_id)
    if finding is None:
        raise NotFound(f"未找到检查发现 {finding_id}（no finding {finding_id}）")
    authorize(principal, "advance", ENFORCEMENT, finding)
    if finding.action != "none":
        raise Conflict(f"该问题已转为 {finding.ref}（finding already became {finding.ref}）")
    return finding


def to_case(db: Database, principal: Principal, finding_id: int, title: str) -> int:
    """File a penalty case (立案) on a finding; returns the case id."""
    with db.transaction(principal, action="enforcement.finding.case") as session:
        finding = _finding(session, principal, finding_id)
        assert finding.enterprise_id is not None
        today = clock_now().date()
        case = file_case_in(
            session, principal, NewCase(finding.enterprise_id, title, None, finding.id), today
        )
        finding.action, finding.ref = "case", f"case:{case.id}"
        return case.id


def to_rectification(
    db: Database, principal: Principal, finding_id: int, deadline_days: int = 30
) -> str:
    """Open a rectification item on a finding through the alerts inbox; returns its reference
    (``rectification:<id>``)."""
    if not 1 <= deadline_days <= 365:
        raise InputError(f"整改期限应为1到365天，收到 {deadline_days}（deadline days 1–365）")
    with db.transaction(principal) as session:
        finding = _finding(session, principal, finding_id)
        inspection = session.get(Inspection, finding.inspection_id)
        target = session.scalar(
            select(InspectionObject).where(InspectionObject.enterprise_id == finding.enterprise_id)
        )
        assert inspection is not None
        assert target is not None
        draft = _draft(finding, inspection, target)
    published = alerts.publish(db, [draft])
    alert_id = (published.created or published.merged)[0]
    request = alerts.ConversionRequest(deadline_days=deadline_days)
    ref = alerts.convert(db, principal, alert_id, "rectification", request)
    with db.transaction(principal, action="enforcement.finding.rectification") as session:
        finding = _finding(session, principal, finding_id)
        finding.action, finding.ref = "rectification", ref
    return ref


def _draft(finding: Finding, inspection: Inspection, target: InspectionObject) -> alerts.AlertDraft:
    moment = inspection.inspected_at.astimezone(UTC)
    return alerts.AlertDraft(
        kind=FINDING_KIND.key,
        severity=finding.severity,
        title=f"{target.name}：{finding.description}",
        region_code=finding.region_code,
        window_start=moment,
        window_end=moment + timedelta(seconds=1),
        dedupe_key=f"enforcement.finding:{finding.id}",
        evidence={"inspection": inspection.id, "item": finding.item_key or ""},
        link=f"/enforcement/enterprises/{finding.enterprise_id}",
        enterprise_id=finding.enterprise_id,
        lon=inspection.lon,
        lat=inspection.lat,
    )


def findings_of(db: Database, principal: Principal, enterprise_id: int) -> list[Finding]:
    """Every finding on an enterprise, newest first (its own record for an enterprise user)."""
    authorize(principal, "read", ENFORCEMENT)
    with db.transaction(principal) as session:
        rows = session.scalars(
            select(Finding)
            .where(Finding.enterprise_id == enterprise_id)
            .order_by(Finding.id.desc())
        ).all()
        session.expunge_all()
        return list(rows)


@dataclass(frozen=True)
class TaskForm:
    """What the inspection page shows for a task: the object, the due date, the checklist."""

    task_id: int
    enterprise_id: int | None
    name: str
    due: str
    status: str
    check_type: str
    checklist_title: str
    items: tuple[tuple[str, str], ...]


def task_form(db: Database, principal: Principal, task_id: int, check_type: str) -> TaskForm:
    """The task with the checklist of its object's industry for ``check_type``."""
    authorize(principal, "read", ENFORCEMENT)
    with db.transaction(principal) as session:
        task = session.get(InspectionTask, task_id)
        if task is None:
            raise NotFound(f"未找到检查任务 {task_id}（no task {task_id}）")
        target = session.get(InspectionObject, task.object_id)
        assert target is not None
        checklist = checklist_for(session, target.industry_code, check_type)
        return TaskForm(
            task.id,
            task.enterprise_id,
            target.name,
            task.due.isoformat(),
            task.status,
            check_type,
            checklist.title,
            tuple((item["key"], item["text"]) for item in checklist.items),
        )
