"""Waste pages per role: a manifest moved through its page by each party in turn, seen by its
three parties and the county officer, refused to outsiders in Chinese; the party pages (stock
with age, capacity use), the region dashboard, and the Excel exports in the bureau's layout."""

from __future__ import annotations

import io
import json
from datetime import date, datetime

import polars as pl
import pytest
from fastapi.testclient import TestClient
from httpx2 import Response
from openpyxl import load_workbook
from sqlalchemy import func, select

from ecogov.platform.alerts import publish
from ecogov.platform.db import Database
from ecogov.platform.scope import SYSTEM, Role
from ecogov.standards.timebase import BEIJING
from ecogov.waste.alerts import finding_drafts, subjects
from ecogov.waste.manifests import (
    Correction,
    NewManifest,
    Receipt,
    correct_manifest,
    create_manifest,
    move_manifest,
)
from ecogov.waste.models import LedgerEntry, Manifest, TrackPoint
from ecogov.waste.pages import stock_by_code
from tests.helpers import login, make_user
from tests.waste.support import CODE, Chain, build_chain

USERS = {
    "gen": "generator",
    "car": "carrier",
    "rec": "receiver",
}


@pytest.fixture
def chain(db: Database) -> Chain:
    chain = build_chain(db)
    for username, role in USERS.items():
        make_user(db, username, Role.ENTERPRISE, enterprise_id=getattr(chain, role).enterprise_id)
    make_user(db, "outsider", Role.ENTERPRISE, enterprise_id=chain.outsider_enterprise)
    make_user(db, "xihu", Role.COUNTY_OFFICER, region_code="330106")
    make_user(db, "yuhang", Role.COUNTY_OFFICER, region_code="330110")
    return chain


@pytest.fixture
def number(db: Database, chain: Chain) -> str:
    new = NewManifest(chain.generator.id, chain.carrier.id, chain.receiver.id, CODE, 2.0)
    return create_manifest(db, chain.generator_user, new).manifest_no


def _move(client: TestClient, user: str, number: str, move: str, **fields: str) -> str:
    client.cookies.clear()
    token = login(client, user)
    page = client.get(f"/waste/manifests/{number}")
    assert page.status_code == 200
    assert f'data-move="{move}"' in page.text, f"{user} is not offered {move}"
    version = page.text.split('name="row_version" value="')[1].split('"')[0]
    response = client.post(
        f"/waste/manifests/{number}/move",
        data={"csrf_token": token, "action": move, "row_version": version, **fields},
        follow_redirects=True,
    )
    assert response.status_code == 200, response.text[:500]
    return response.text


def test_a_manifest_moves_through_its_page_party_by_party(
    client: TestClient, chain: Chain, number: str
) -> None:
    _move(client, "gen", number, "sign_out")
    _move(client, "car", number, "pick_up")
    _move(client, "car", number, "deliver")
    text = _move(
        client,
        "rec",
        number,
        "receive_with_discrepancy",
        received="1.8",
        discrepancy="quantity",
        note="过磅少 0.2 吨，桶 3 破损",
    )
    assert 'data-status="received_discrepancy"' in text
    assert "过磅少 0.2 吨" in text
    assert "数量差异" in text
    text = _move(client, "rec", number, "close")
    assert 'data-status="closed"' in text
    timeline = text.split('id="manifest-timeline"')[1].split("</ol>")[0]
    for move in ("create", "sign_out", "pick_up", "deliver", "receive_with_discrepancy", "close"):
        assert f'data-move="{move}"' in timeline
    assert "1.8" in timeline
    for user in ("gen", "car", "rec", "xihu"):
        client.cookies.clear()
        login(client, user)
        page = client.get(f"/waste/manifests/{number}")
        assert page.status_code == 200, user
        assert "过磅少 0.2 吨" in page.text
    for user in ("outsider", "yuhang"):
        client.cookies.clear()
        login(client, user)
        page = client.get(f"/waste/manifests/{number}")
        assert page.status_code in (403, 404), user
        assert "联单" in page.text or "不存在" in page.text


def test_a_move_out_of_turn_is_refused_in_chinese(
    client: TestClient, chain: Chain, number: str
) -> None:
    token = login(client, "car")
    page = client.get(f"/waste/manifests/{number}")
    assert "当前没有需要您办理的环节" in page.text
    response = client.post(
        f"/waste/manifests/{number}/move",
        data={"csrf_token": token, "action": "sign_out", "row_version": "1"},
    )
    assert response.status_code in (403, 409)
    assert 'id="move-error"' in response.text
    error = response.text.split('id="move-error">')[1].split("</p>")[0]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in error)


def test_party_pages_show_stock_licences_and_manifests(
    client: TestClient, chain: Chain, number: str
) -> None:
    login(client, "xihu")
    generator = client.get(f"/waste/parties/{chain.generator.party_code}")
    assert generator.status_code == 200
    assert number in generator.text
    assert 'id="party-stock"' in generator.text
    client.cookies.clear()
    login(client, "outsider")  # the directory is public, the generator's records are not
    seen = client.get(f"/waste/parties/{chain.generator.party_code}")
    assert seen.status_code == 200
    assert number not in seen.text
    assert 'id="new-manifest"' not in seen.text
    client.cookies.clear()
    login(client, "rec")
    receiver = client.get(f"/waste/parties/{chain.receiver.party_code}")
    assert receiver.status_code == 200
    assert 'id="party-capacity"' in receiver.text
    assert "3302000001" in receiver.text
    workbook = client.get(f"/waste/parties/{chain.receiver.party_code}?format=xlsx")
    assert workbook.status_code == 200
    sheet = load_workbook(io.BytesIO(workbook.content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("联单编号", "状态", "废物代码")
    assert rows[1][0] == number
    assert rows[1][1] == "草稿"


def test_manifest_list_is_scoped_and_exported(
    client: TestClient, chain: Chain, number: str
) -> None:
    login(client, "outsider")
    page = client.get("/waste/manifests")
    assert page.status_code == 200
    assert number not in page.text
    client.cookies.clear()
    login(client, "car")
    assert number in client.get("/waste/manifests").text
    export = client.get("/waste/manifests?format=xlsx")
    sheet = load_workbook(io.BytesIO(export.content)).active
    assert sheet is not None
    assert [r[0] for r in sheet.iter_rows(values_only=True)] == ["联单编号", number]
    bad = client.get("/waste/manifests?status=nonsense")
    assert bad.status_code in (400, 422)
    assert "联单状态" in bad.text


def test_dashboard_for_the_county_officer(client: TestClient, chain: Chain, number: str) -> None:
    login(client, "xihu")
    page = client.get(f"/waste?period={date.today().year}")
    assert page.status_code == 200
    assert 'id="waste-rate"' in page.text
    assert 'id="waste-sankey-data"' in page.text
    assert "waste_facilities" in page.text
    export = client.get(f"/waste?period={date.today().year}&format=xlsx")
    sheet = load_workbook(io.BytesIO(export.content)).active
    assert sheet is not None
    header = next(sheet.iter_rows(values_only=True))
    assert header[:2] == ("单位编号", "单位名称")
    bad = client.get("/waste?period=20x5")
    assert bad.status_code in (400, 422)
    assert "时段" in bad.text


def test_stock_is_first_in_first_out() -> None:
    d = date
    entries = [
        (d(2025, 1, 1), CODE, "stored_in", 2.0),
        (d(2025, 3, 1), CODE, "stored_in", 1.0),
        (d(2025, 4, 1), CODE, "handed_over", 2.5),
        (d(2025, 2, 1), "336-064-17", "stored_in", 1.0),
    ]
    stock = {s.waste_code: s for s in stock_by_code(entries, d(2025, 12, 31))}
    assert stock[CODE].stock_t == pytest.approx(0.5)
    assert stock[CODE].oldest == d(2025, 3, 1)
    assert stock[CODE].age_days == 305
    assert stock["336-064-17"].stock_t == pytest.approx(1.0)
    emptied = stock_by_code([(d(2025, 1, 1), CODE, "stored_in", 1.0),
                             (d(2025, 2, 1), CODE, "disposed", 1.0)], d(2025, 12, 31))  # fmt: skip
    assert emptied[0].stock_t == 0
    assert emptied[0].oldest is None


def test_the_manifest_page_names_the_waste_and_shows_versions_track_and_findings(
    client: TestClient, db: Database, chain: Chain, number: str
) -> None:
    for move in ("sign_out", "pick_up", "deliver", "receive"):
        who = chain.carrier_user if move in ("pick_up", "deliver") else chain.generator_user
        if move == "receive":
            who = chain.receiver_user
        move_manifest(db, who, number, move, receipt=Receipt(received=2.0))
    move_manifest(db, chain.receiver_user, number, "request_correction", note="过磅单有误")
    correct_manifest(db, chain.receiver_user, number, Correction(received=1.9), "过磅单录入错误")
    with db.transaction(SYSTEM) as session:
        manifest_id = session.scalars(
            select(Manifest.id).where(Manifest.manifest_no == number)
        ).one()
        start = int(datetime(2026, 3, 2, 9, 0, tzinfo=BEIJING).timestamp())
        for minute, lat in ((0, 30.2), (30, 30.2), (60, 30.6)):  # the last 44 km off the road
            session.add(
                TrackPoint(manifest_id=manifest_id, ts=start + 60 * minute, lon=120.1, lat=lat)
            )
    # The finding as the route-deviation rule reports it (the rule itself is tested in
    # tests/engine/waste), published through the domain's drafting into the inbox.
    evidence = {"manifest_no": number, "lon": 120.1, "lat": 30.6, "off_km": 44.5, "max_km": 10.0}
    finding = {
        "rule": "route_deviation",
        "severity": "orange",
        "subject": chain.carrier.party_code,
        "code": CODE,
        "period": "2026-03-02",
        "evidence": json.dumps(evidence),
    }
    drafts, _ = finding_drafts(pl.DataFrame([finding]), subjects(db, [chain.carrier.party_code]))
    publish(db, drafts)
    make_user(db, "beilun", Role.COUNTY_OFFICER, region_code="330205")
    make_user(db, "hangzhou", Role.CITY_OFFICER, region_code="330100")
    pages = {}
    for user in ("hangzhou", "beilun"):  # the origin's and carrier's city, the receiving county
        client.cookies.clear()
        login(client, user)
        page = client.get(f"/waste/manifests/{number}")
        assert page.status_code == 200, user
        text = page.text
        assert "HW08 900-249-08 其他生产、销售、使用过程中产生的废矿物油" in text
        versions = text.split('id="manifest-versions"')[1].split("</table>")[0]
        assert "新建联单" in versions
        assert "created" not in versions
        assert "过磅单录入错误" in versions
        assert "2.0 → 1.9" in versions
        track = text.split('id="manifest-track"')[1].split("</table>")[0]
        assert track.count("<tr>") == 4  # the header and three fixes
        assert "30.60000" in track
        pages[user] = text.split('id="manifest-findings"')[1].split("</table>")[0]
    # The finding is the carrier's (Shangcheng, in Hangzhou): the city officer sees it.
    assert 'data-kind="waste.route_deviation"' in pages["hangzhou"]
    assert "44.5" in pages["hangzhou"]
    assert "未发现运输超时或路线偏离" in pages["beilun"]


def test_an_enterprise_uploads_its_own_ledger_from_its_party_page(
    client: TestClient, db: Database, chain: Chain
) -> None:
    own = chain.generator.party_code
    other = chain.receiver.party_code
    header = "entry_id,party_id,date,waste_code,stage,quantity_t\n"
    mixed = (
        f"{header}U1,{own},2026-03-01,{CODE},generated,1.5\n"
        f"U2,{other},2026-03-01,{CODE},generated,1\n"
    )
    token = login(client, "gen")
    page = client.get(f"/waste/parties/{own}")
    assert 'id="upload"' in page.text

    def upload(text: str, **extra: str) -> Response:
        return client.post(
            f"/waste/parties/{own}/import",
            data={"csrf_token": token, "kind": "ledger", **extra},
            files={"file": ("台账.csv", text.encode("utf-8"), "text/csv")},
        )

    refused = upload(mixed)
    assert refused.status_code == 422
    assert "第 3 行" in refused.text
    assert "企业只能导入本单位的记录" in refused.text
    with db.transaction(SYSTEM) as session:
        assert session.scalar(select(func.count()).select_from(LedgerEntry)) == 0
    skipped = upload(mixed, skip_bad_rows="true")
    assert skipped.status_code == 200
    assert "新增 1，未变 0，拒收 1" in skipped.text
    with db.transaction(SYSTEM) as session:
        assert session.scalars(select(LedgerEntry.entry_code)).all() == ["U1"]
    client.cookies.clear()
    login(client, "rec")  # a receiver's page has no upload form, and its user writes no ledger
    assert 'id="upload"' not in client.get(f"/waste/parties/{other}").text
