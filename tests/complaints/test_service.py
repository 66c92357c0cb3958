"""The complaint machine's every state × move and clocks, cluster linking on constructed cases,
the receipt-code lookup (status only), and the complainant's identity kept from the public."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import select

from ecogov.complaints import service
from ecogov.complaints.workflow import CLOCK_OF, COMPLAINT
from ecogov.platform.audit import AuditEntry
from ecogov.platform.db import Database
from ecogov.platform.errors import Conflict, InputError, NotFound, PermissionDenied, TooManyRequests
from ecogov.platform.scope import ANONYMOUS, SYSTEM, Principal, Role
from ecogov.platform.statemachine import MoveRefused
from tests.helpers import login, make_user

COUNTY = Principal("xh", Role.COUNTY_OFFICER, user_id=11, region_code="330106")
OTHER = Principal("sc", Role.COUNTY_OFFICER, user_id=13, region_code="330102")
LEADER = Principal("ld", Role.LEADER, user_id=15, region_code="330000")
JPEG = b"\xff\xd8\xff\xe0 a photo"
ROUTE = ("accept", "assign", "check", "handle", "answer", "follow_up", "archive")
DATA = service.MoveInput(unit_name="西湖分局", verified=True, satisfaction="satisfied")


def _new(**changes: object) -> service.NewComplaint:
    values: dict[str, object] = {
        "region_code": "330106",
        "category": "odour",
        "text": "化工厂夜间异味",
        "address": "文三路1号",
        "lon": 120.13,
        "lat": 30.28,
        "name": "张三",
        "phone": "13800000000",
    }
    values.update(changes)
    return service.NewComplaint(**values)  # type: ignore[arg-type]


def _to(db: Database, complaint_id: int, state: str) -> None:
    """Move a complaint along the main route until ``state``."""
    for action in ROUTE:
        if COMPLAINT.state_name(state) and _state(db, complaint_id) == state:
            return
        service.act(db, COUNTY, complaint_id, action, "说明", DATA)


def _state(db: Database, complaint_id: int) -> str:
    return service.view(db, SYSTEM, complaint_id).row.state


def test_receipt_codes_check_their_check_character() -> None:
    code = service.new_code()
    assert len(code) == 12
    assert service.normalise_code(service.display_code(code).lower()) == code
    wrong = code[:-1] + ("0" if code[-1] != "0" else "1")
    with pytest.raises(InputError):
        service.normalise_code(wrong)
    with pytest.raises(InputError):
        service.normalise_code("short")


@pytest.mark.parametrize("state", list(COMPLAINT.states))
def test_every_state_and_move(db: Database, state: str) -> None:
    """From each state exactly the table's moves are allowed; every other move is refused."""
    receipt = service.file_complaint(db, COUNTY, _new())
    if state == "rejected":
        service.act(db, COUNTY, receipt.id, "reject", "不属于职责范围")
    else:
        _to(db, receipt.id, state)
    assert _state(db, receipt.id) == state
    allowed = {m.name for m in COMPLAINT.moves_from(state) if m.actor != "system"}
    for move in COMPLAINT.moves:
        if move.actor == "system":
            continue
        if move.name in allowed:
            continue
        with pytest.raises(MoveRefused):
            service.act(db, COUNTY, receipt.id, move.name, "说明", DATA)
    for name in sorted(allowed):
        assert COMPLAINT.move(name).target in COMPLAINT.states


def test_moves_need_their_officer_note_and_data(db: Database) -> None:
    receipt = service.file_complaint(db, COUNTY, _new())
    with pytest.raises(NotFound):  # outside the officer's region: invisible
        service.act(db, OTHER, receipt.id, "accept")
    with pytest.raises(PermissionDenied):
        service.act(db, LEADER, receipt.id, "accept")
    with pytest.raises(Conflict):
        service.act(db, COUNTY, receipt.id, "reject")  # no reason
    service.act(db, COUNTY, receipt.id, "accept")
    with pytest.raises(InputError):
        service.act(db, COUNTY, receipt.id, "assign")  # no unit


def test_clocks_fire_once_and_escalate(db: Database) -> None:
    received = datetime(2026, 3, 2, 9, tzinfo=UTC)
    receipt = service.file_complaint(db, COUNTY, _new(received_at=received))
    view = service.view(db, COUNTY, receipt.id)
    assert view.row.due_on == date(2026, 3, 17)  # 15 days of receipt (Art. 23)
    assert service.tick(db, date(2026, 3, 17)).overdue == ()
    first = service.tick(db, date(2026, 3, 18))
    assert first.overdue == (receipt.id,)
    assert service.tick(db, date(2026, 3, 19)).overdue == ()  # recorded once
    from ecogov.platform import alerts

    with db.transaction(SYSTEM) as session:
        kinds = set(session.scalars(select(alerts.Alert.kind)))
    assert "complaints.overdue" in kinds
    assert set(CLOCK_OF) == set(COMPLAINT.open_states())


def test_answer_clock_is_sixty_days_plus_one_extension(db: Database) -> None:
    receipt = service.file_complaint(db, COUNTY, _new())
    _to(db, receipt.id, "handling")
    view = service.view(db, COUNTY, receipt.id)
    accepted = view.row.due_on
    assert accepted is not None
    service.act(db, COUNTY, receipt.id, "extend", "情况复杂，经批准延期")
    assert service.view(db, COUNTY, receipt.id).row.due_on == accepted + timedelta(days=30)
    with pytest.raises(InputError):
        service.act(db, COUNTY, receipt.id, "extend", "再次延期")


def test_clusters_link_same_place_and_enterprise_within_the_window(db: Database) -> None:
    base = datetime(2026, 5, 1, 9, tzinfo=UTC)
    first = service.file_complaint(db, COUNTY, _new(received_at=base))
    near = service.file_complaint(
        db, COUNTY, _new(received_at=base + timedelta(days=3), address="别处", lon=120.1303)
    )
    far = service.file_complaint(
        db, COUNTY, _new(received_at=base + timedelta(days=4), address="远处", lon=120.3)
    )
    other_kind = service.file_complaint(
        db, COUNTY, _new(received_at=base + timedelta(days=5), category="noise")
    )
    late = service.file_complaint(db, COUNTY, _new(received_at=base + timedelta(days=40)))
    assert near.cluster_id == first.id
    assert far.cluster_id is None
    assert other_kind.cluster_id is None
    assert late.cluster_id is None  # outside the 30-day window of the first …
    third = service.file_complaint(db, COUNTY, _new(received_at=base + timedelta(days=6)))
    assert third.cluster_id == first.id
    from ecogov.platform import alerts

    with db.transaction(SYSTEM) as session:
        keys = set(session.scalars(select(alerts.Alert.dedupe_key)))
    assert f"complaints.repeat:{first.id}" in keys  # 3 complaints: 重复信访


def test_lookup_shows_status_and_answer_only(db: Database) -> None:
    receipt = service.file_complaint(db, ANONYMOUS, _new(photos=[service.Photo("a.jpg", JPEG)]))
    status = service.lookup(db, receipt.code)
    assert status.state == "registered"
    assert status.answer is None
    _to(db, receipt.id, "answered")
    status = service.lookup(db, service.display_code(receipt.code))
    assert status.answer == "说明"
    shown = repr(status)
    for secret in ("张三", "13800000000", "化工厂夜间异味", "文三路"):
        assert secret not in shown
    with pytest.raises(NotFound):
        service.lookup(db, service.new_code())


def test_identity_is_for_handling_officers_and_every_read_is_audited(db: Database) -> None:
    receipt = service.file_complaint(db, ANONYMOUS, _new())
    assert service.identity_of(db, COUNTY, receipt.id).name == "张三"
    for outsider in (LEADER, OTHER, ANONYMOUS):
        with pytest.raises((PermissionDenied, NotFound)):
            service.identity_of(db, outsider, receipt.id)
    with db.transaction(SYSTEM) as session:
        views = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "complaints.identity.view")
        ).all()
    assert [v.actor for v in views] == ["xh"]


def test_the_audit_log_keeps_who_and_which_complaint_but_not_the_identity(db: Database) -> None:
    receipt = service.file_complaint(db, COUNTY, _new(email="zs@example.cn"))
    with db.transaction(SYSTEM) as session:
        entries = session.scalars(
            select(AuditEntry).where(AuditEntry.entity == "complainant_identity")
        ).all()
        logged = [(e.actor, e.action, e.before, e.after) for e in entries]
    assert len(logged) == 1
    actor, action, before, after = logged[0]
    assert (actor, action, before) == ("xh", "complaints.file", None)
    assert after is not None
    assert after["complaint_id"] == receipt.id
    assert {after[k] for k in ("name", "phone", "email", "contact_hash")} == {"***"}
    assert "张三" not in str(after)
    assert "13800000000" not in str(after)


def test_photos_are_checked_by_their_bytes(db: Database) -> None:
    with pytest.raises(InputError):
        service.file_complaint(db, ANONYMOUS, _new(photos=[service.Photo("x.jpg", b"<script>")]))
    with pytest.raises(InputError):
        big = service.Photo("x.jpg", JPEG + b"0" * 6 * 2**20)
        service.file_complaint(db, ANONYMOUS, _new(photos=[big]))


@pytest.mark.parametrize(
    ("lon", "lat", "inside"),
    [
        (120.13, 30.28, True),  # Hangzhou, West Lake district
        (121.47, 31.23, False),  # Shanghai: beside Zhejiang, in China's box
        (116.40, 39.90, False),  # Beijing
    ],
)
def test_a_point_must_lie_in_the_bureaus_province(
    db: Database, lon: float, lat: float, inside: bool
) -> None:
    new = _new(lon=lon, lat=lat)
    if inside:
        assert service.file_complaint(db, ANONYMOUS, new).id
        return
    with pytest.raises(InputError, match="不在浙江省辖区内"):
        service.file_complaint(db, ANONYMOUS, new)
    with pytest.raises(InputError, match="不在上海市辖区内"):  # a province not in use
        service.file_complaint(db, ANONYMOUS, _new(region_code="310101", lon=121.47, lat=31.23))


def test_public_intake_is_rate_limited_per_client(db: Database) -> None:
    for _ in range(5):
        service.file_complaint(db, ANONYMOUS, _new(phone=None, name=None), "10.0.0.9")
    with pytest.raises(TooManyRequests):
        service.file_complaint(db, ANONYMOUS, _new(phone=None, name=None), "10.0.0.9")


def test_rewards_only_for_verified_real_name_reports(db: Database) -> None:
    from decimal import Decimal

    named = service.file_complaint(db, COUNTY, _new())
    anonymous = service.file_complaint(db, COUNTY, _new(name=None, phone=None, category="water"))
    with pytest.raises(InputError):
        service.grant_reward(db, COUNTY, named.id, Decimal(500))  # not verified yet
    _to(db, named.id, "handling")
    _to(db, anonymous.id, "handling")
    assert service.grant_reward(db, COUNTY, named.id, Decimal(500)) > 0
    with pytest.raises(InputError):
        service.grant_reward(db, COUNTY, anonymous.id, Decimal(500))


def test_public_api_files_and_looks_up_without_identity(client: TestClient, db: Database) -> None:
    page = client.get("/portal/complaints/new")
    assert page.status_code == 200
    token = page.text.split('name="csrf_token" value="')[1].split('"')[0]
    answer = client.post(
        "/api/v1/public/complaints",
        data={
            "region_code": "330106",
            "category": "noise",
            "text": "夜间施工",
            "address": "文二路",
            "name": "李四",
            "phone": "13900000000",
            "csrf_token": token,
        },
        files=[("photos", ("p.jpg", JPEG, "image/jpeg"))],
        headers={"X-CSRF-Token": token},
    )
    assert answer.status_code == 201, answer.text
    code = answer.json()["code"]
    found = client.get(f"/api/v1/public/complaints/{code}")
    assert found.status_code == 200
    assert "李四" not in found.text
    assert "13900000000" not in found.text
    assert client.get("/api/v1/public/complaints/ZZZZ").status_code == 422
    assert client.get("/api/v1/complaints").status_code == 401


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_ledger_export_is_the_bureaus_layout_without_identity(
    client: TestClient, db: Database, fmt: str
) -> None:
    service.file_complaint(db, COUNTY, _new())
    make_user(db, "xh-export", Role.COUNTY_OFFICER, region_code="330106")
    login(client, "xh-export")
    answer = client.get(f"/complaints/export.{fmt}")
    assert answer.status_code == 200
    if fmt == "csv":
        rows = answer.content.decode("utf-8-sig").splitlines()
    else:
        sheet = load_workbook(io.BytesIO(answer.content)).active
        assert sheet is not None
        rows = [",".join(str(c) for c in row if c is not None) for row in sheet.values]
    text = "\n".join(rows)
    assert "投诉编号" in text
    assert "异味" in text  # the category by its Chinese name
    assert "张三" not in text
    assert "13800000000" not in text
    assert client.get("/complaints/export.pdf").status_code == 422
