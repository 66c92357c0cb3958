"""Inspections: checklist answers checked against the checklist, photos, and a finding that
becomes a rectification item (through the alerts inbox) or a penalty case."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from ecogov.enforcement import cases, draws, inspections
from ecogov.enforcement.models import InspectionPhoto
from ecogov.plans.models import RectificationItem
from ecogov.platform import alerts
from ecogov.platform.db import Database
from ecogov.platform.errors import Conflict, InputError, NotFound
from ecogov.platform.scope import SYSTEM
from tests.enforcement.support import (
    COUNTY,
    INSPECTOR_A,
    INSPECTOR_B,
    INSPECTOR_C,
    checklist,
    enterprise,
    first_two,
    pool,
)

FINDING = inspections.NewFinding("废水处理设施未正常运行", "orange", "facility")
ANSWERS = {"permit": "ok", "facility": "problem"}


def _task(db: Database) -> tuple[int, int]:
    """A drawn task on a new enterprise: (task id, enterprise id)."""
    firm = enterprise(db, 1)
    draws.sync_directory(db, COUNTY, "330106")
    pool(db)
    checklist(db)
    draw_id = draws.create_draw(db, COUNTY, "330106", "抽查", {})
    draws.publish_hash(db, COUNTY, draw_id)
    draws.run_draw(db, COUNTY, draw_id, first_two)
    (task,) = draws.my_tasks(db, INSPECTOR_A)
    return task.id, firm


def _record(db: Database, task_id: int) -> int:
    photo = inspections.Photo("现场.jpg", "image/jpeg", b"\xff\xd8 photo")
    new = inspections.NewInspection(
        task_id, "routine", ANSWERS, [FINDING], [photo], lon=120.13, lat=30.27
    )
    return inspections.record(db, INSPECTOR_B, new)


def test_an_inspection_records_answers_photos_and_findings(db: Database) -> None:
    task_id, firm = _task(db)
    inspection_id = _record(db, task_id)
    with db.transaction(SYSTEM) as session:
        (photo,) = session.scalars(select(InspectionPhoto)).all()
        assert photo.inspection_id == inspection_id
    (finding,) = inspections.findings_of(db, COUNTY, firm)
    assert (finding.action, finding.severity) == ("none", "orange")
    assert draws.my_tasks(db, INSPECTOR_A)[0].status == "done"
    with pytest.raises(Conflict, match="已完成"):
        _record(db, task_id)


def test_only_the_tasks_inspectors_record(db: Database) -> None:
    task_id, _ = _task(db)
    new = inspections.NewInspection(task_id, "routine", ANSWERS)
    with pytest.raises(Conflict, match="检查人员"):
        inspections.record(db, INSPECTOR_C, new)


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({"permit": "ok"}, "未填写检查项：facility"),
        ({"permit": "ok", "facility": "ok", "noise": "ok"}, "检查表中没有的项：noise"),
        ({"permit": "yes", "facility": "ok"}, "答案须为"),
    ],
)
def test_answers_must_fit_the_checklist(
    db: Database, answers: dict[str, str], message: str
) -> None:
    task_id, _ = _task(db)
    with pytest.raises(InputError, match=message):
        inspections.record(db, INSPECTOR_A, inspections.NewInspection(task_id, "routine", answers))


def test_an_unknown_check_type_has_no_checklist(db: Database) -> None:
    task_id, _ = _task(db)
    with pytest.raises(NotFound, match="没有适用于行业 C1713"):
        inspections.record(db, INSPECTOR_A, inspections.NewInspection(task_id, "night", ANSWERS))


def test_a_finding_becomes_a_case(db: Database) -> None:
    task_id, firm = _task(db)
    _record(db, task_id)
    (finding,) = inspections.findings_of(db, COUNTY, firm)
    case_id = inspections.to_case(db, COUNTY, finding.id, "未正常运行污染防治设施案")
    (row,) = cases.ledger(db, COUNTY)
    assert (row.id, row.state, row.enterprise_id) == (case_id, "filed", firm)
    (finding,) = inspections.findings_of(db, COUNTY, firm)
    assert (finding.action, finding.ref) == ("case", f"case:{case_id}")
    with pytest.raises(Conflict, match="已转为"):
        inspections.to_case(db, COUNTY, finding.id, "again")


def test_a_finding_becomes_a_rectification_item_through_the_inbox(db: Database) -> None:
    task_id, firm = _task(db)
    _record(db, task_id)
    (finding,) = inspections.findings_of(db, COUNTY, firm)
    ref = inspections.to_rectification(db, COUNTY, finding.id, deadline_days=15)
    assert ref.startswith("rectification:")
    with db.transaction(SYSTEM) as session:
        item = session.get(RectificationItem, int(ref.split(":")[1]))
        assert item is not None
        assert "废水处理设施未正常运行" in item.problem
        alert = session.scalar(select(alerts.Alert).where(alerts.Alert.converted_ref == ref))
        assert alert is not None
        assert (alert.kind, alert.status) == ("enforcement.finding", "converted")
    (finding,) = inspections.findings_of(db, COUNTY, firm)
    assert finding.ref == ref
