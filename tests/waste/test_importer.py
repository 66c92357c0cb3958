"""``ecogov waste import`` and the bundle export: the database's facts written in the bundle
layout import back unchanged; bad rows are refused with row and reason (all or nothing unless
skipped) and recorded; a re-import changes nothing."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from ecogov.platform.db import Database
from ecogov.platform.readers import RejectedFile
from ecogov.platform.rejects import ImportReject, ImportRun
from ecogov.platform.scope import SYSTEM
from ecogov.waste import money, parties, records
from ecogov.waste.bundleexport import COLUMNS, bundle_frames, export_bundle
from ecogov.waste.cli import app
from ecogov.waste.importer import import_file
from ecogov.waste.models import LedgerEntry, Manifest
from ecogov.waste.money import NewMoneyDocument
from ecogov.waste.parties import NewFacility
from ecogov.waste.records import NewLedgerEntry, PlanLine
from tests.waste.support import CODE, XIHU_OFFICER, YUHANG_OFFICER, Chain, build_chain
from tests.waste.test_manifests import manifest_in

ORDER = ("licences", "plans", "ledger", "manifests", "payments")


@pytest.fixture
def chain(db: Database) -> Chain:
    return build_chain(db)


def facts(db: Database, chain: Chain) -> str:
    """A little of everything; the number of the closed manifest."""
    store = parties.add_facility(
        db, SYSTEM, NewFacility(chain.generator.id, "F-XH-1", "危废仓库", "storage", 30.0)
    )
    number = manifest_in(db, chain, "closed")
    manifest_in(db, chain, "received_discrepancy", amount=3.0)
    records.set_plan_line(
        db, SYSTEM, PlanLine(chain.generator.id, 2026, CODE, 120.0, receiver_id=chain.receiver.id)
    )
    gen = chain.generator.id
    records.add_ledger_entries(
        db,
        SYSTEM,
        [
            NewLedgerEntry(
                "L1", gen, date(2026, 3, 1), CODE, "generated", 2500, "kg", store.id, "B-001"
            ),
            NewLedgerEntry(
                "L2", gen, date(2026, 3, 2), CODE, "handed_over", 2.0, manifest_no=number
            ),
        ],
    )
    money.add_money_document(
        db,
        SYSTEM,
        NewMoneyDocument("PAY-1", "payment", chain.generator.id, chain.receiver.id,
                         date(2026, 3, 20), Decimal("6400.00"), number, 2.0, "t", CODE),
    )  # fmt: skip
    return number


def test_the_export_has_the_bundle_layout(db: Database, chain: Chain) -> None:
    number = facts(db, chain)
    frames = bundle_frames(db, SYSTEM)
    assert {name: tuple(frame.columns) for name, frame in frames.items()} == COLUMNS
    manifests = {row["manifest_no"]: row for row in frames["manifests"].iter_rows(named=True)}
    row = manifests[number]
    assert row["generator_id"] == chain.generator.party_code
    assert row["status"] == "received"  # closed is "received" in the bundle's words
    assert row["created_at"] == "2026-03-02 09:00:00"
    assert row["received_t"] == "2"
    discrepancy = next(r for r in manifests.values() if r["manifest_no"] != number)
    assert (discrepancy["status"], discrepancy["discrepancy_note"]) == ("received", "说明")
    [ledger] = [r for r in frames["ledger"].iter_rows(named=True) if r["entry_id"] == "L1"]
    assert (ledger["quantity_t"], ledger["facility_id"]) == ("2.5", "F-XH-1")
    parties_rows = {r["party_id"]: r for r in frames["parties"].iter_rows(named=True)}
    assert parties_rows[chain.generator.party_code]["management_class"] == "key"
    assert frames["payments"]["amount_yuan"].to_list() == ["6400.00"]
    # a county officer of another county exports nothing of this generator's
    other = bundle_frames(db, YUHANG_OFFICER)
    assert other["manifests"].height == 0
    assert other["ledger"].height == 0


def test_an_exported_bundle_imports_back_unchanged(
    db: Database, chain: Chain, tmp_path: Path
) -> None:
    facts(db, chain)
    files = export_bundle(db, SYSTEM)
    for kind in ORDER:
        report = import_file(db, SYSTEM, f"{kind}.csv", files[f"{kind}.csv"], kind)
        assert report.rejected == ()
        assert report.added == 0, kind
        assert report.unchanged == report.rows_read > 0


def _csv(rows: list[list[str]], encoding: str = "utf-8-sig") -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode(encoding)


def test_bad_rows_refuse_the_file_and_are_recorded(db: Database, chain: Chain) -> None:
    gen = chain.generator.party_code
    header = ["entry_id", "party_id", "date", "waste_code", "stage", "quantity_t", "unit"]
    good = ["N1", gen, "2026-04-01", CODE, "generated", "800", "kg"]
    rows = [
        header,
        good,
        ["N2", gen, "2026-04-02", CODE, "generated", "1", "lb"],
        ["N3", "NOBODY", "2026-04-02", CODE, "generated", "1", "t"],
        ["N4", gen, "2026/04/02", CODE, "generated", "1", "t"],
    ]
    with pytest.raises(RejectedFile) as refused:
        import_file(db, XIHU_OFFICER, "台账.csv", _csv(rows), "ledger")
    errors = refused.value.errors
    assert [e.row for e in errors] == [3, 4, 5]
    assert "计量单位" in errors[0].reason_zh
    assert errors[1].column == "party_id"
    assert errors[2].column == "date"
    with db.transaction(SYSTEM) as session:
        assert session.scalar(select(func.count()).select_from(LedgerEntry)) == 0
        run = session.scalars(select(ImportRun)).one()
        assert (run.status, run.rows_read, run.rows_rejected) == ("refused", 4, 3)
        assert session.scalar(select(func.count()).select_from(ImportReject)) == 3
    report = import_file(db, XIHU_OFFICER, "台账.csv", _csv(rows), "ledger", skip_bad_rows=True)
    assert (report.added, len(report.rejected)) == (1, 3)
    again = import_file(db, XIHU_OFFICER, "台账.csv", _csv(rows), "ledger", skip_bad_rows=True)
    assert (again.added, again.unchanged) == (0, 1)
    [entry] = records.list_ledger(db, SYSTEM)
    assert (entry.quantity_t, entry.entered_unit) == (0.8, "kg")


def test_chinese_headers_and_gb18030(db: Database, chain: Chain) -> None:
    rows = [
        ["单位编码", "年度", "废物代码", "计划产生量", "拟接收单位"],
        [chain.generator.party_code, "2026", CODE, "88.5", chain.receiver.party_code],
    ]
    report = import_file(db, XIHU_OFFICER, "计划.csv", _csv(rows, "gb18030"), "plans")
    assert report.added == 1
    [plan] = records.list_plans(db, chain.generator_user)
    assert (plan.planned_t, plan.receiver_id) == (88.5, chain.receiver.id)


def test_imported_manifests_keep_the_serial_counter_ahead(db: Database, chain: Chain) -> None:
    header = list(COLUMNS["manifests"])
    row = dict.fromkeys(header, "")
    row |= {
        "manifest_no": "20263301000041", "version": "1", "generator_id": chain.generator.party_code,
        "carrier_id": chain.carrier.party_code, "receiver_id": chain.receiver.party_code,
        "waste_code": CODE, "shipped_t": "5", "received_t": "5", "status": "received",
        "created_at": "2026-03-01 08:00", "delivered_at": "2026-03-01 15:00",
        "accepted_at": "2026-03-01 15:30",
    }  # fmt: skip
    data = _csv([header, [row[c] for c in header]])
    assert import_file(db, SYSTEM, "联单.csv", data, "manifests").added == 1
    assert import_file(db, SYSTEM, "联单.csv", data, "manifests").unchanged == 1
    fresh = manifest_in(db, chain, "draft")
    assert fresh == "20263301000042"
    with db.transaction(SYSTEM) as session:
        imported = session.scalars(
            select(Manifest).where(Manifest.manifest_no == "20263301000041")
        ).one()
        assert imported.confirm_due == date(2026, 3, 6)


def test_the_cli_imports_and_exports(
    db: Database, chain: Chain, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("ecogov.waste.cli.database", lambda: db)
    path = tmp_path / "plans.csv"
    path.write_bytes(
        _csv([["party_id", "year", "waste_code", "planned_t"],
              [chain.generator.party_code, "2026", CODE, "12"]])
    )  # fmt: skip
    done = CliRunner().invoke(app(), ["import", str(path), "--kind", "plans"])
    assert done.exit_code == 0, done.output
    assert "新增 1" in done.stdout
    bad = CliRunner().invoke(app(), ["import", str(path), "--kind", "sludge"])
    assert bad.exit_code == 2
    out = tmp_path / "bundle"
    out.mkdir()
    exported = CliRunner().invoke(app(), ["export-bundle", str(out)])
    assert exported.exit_code == 0, exported.output
    assert sorted(p.name for p in out.iterdir()) == sorted(f"{n}.csv" for n in COLUMNS)


def _ledger_file(rows: list[tuple[str, str]]) -> bytes:
    lines = ["entry_id,party_id,date,waste_code,stage,quantity_t"]
    lines += [f"{entry},{party},2026-03-01,{CODE},generated,1.5" for entry, party in rows]
    return "\n".join(lines).encode("utf-8")


def _codes(db: Database, chain: Chain) -> tuple[str, str]:
    return (
        parties.get_party(db, SYSTEM, chain.generator.id).party_code,
        parties.get_party(db, SYSTEM, chain.receiver.id).party_code,
    )


def test_an_enterprise_imports_its_own_ledger_rows_only(db: Database, chain: Chain) -> None:
    own, other = _codes(db, chain)
    user = chain.generator_user
    mixed = _ledger_file([("Q1", own), ("Q2", other)])
    with pytest.raises(RejectedFile) as refused:
        import_file(db, user, "ledger.csv", mixed, "ledger")
    assert "第 3 行" in str(refused.value)
    assert "企业只能导入本单位的记录" in str(refused.value)
    with db.transaction(SYSTEM) as session:
        assert session.scalar(select(func.count()).select_from(LedgerEntry)) == 0
        run = session.scalars(select(ImportRun).order_by(ImportRun.id.desc())).first()
        reject = session.scalars(select(ImportReject)).one()
    assert run is not None
    assert (run.status, run.actor, run.region_code) == ("refused", user.username, "330106")
    assert (reject.row, reject.column, reject.value) == (3, "party_id", other)
    report = import_file(db, user, "ledger.csv", mixed, "ledger", skip_bad_rows=True)
    assert (report.added, len(report.rejected)) == (1, 1)
    with db.transaction(SYSTEM) as session:
        rows = session.execute(select(LedgerEntry.entry_code, LedgerEntry.party_id)).all()
    assert [tuple(r) for r in rows] == [("Q1", chain.generator.id)]
    again = import_file(db, user, "ledger.csv", _ledger_file([("Q1", own)]), "ledger")
    assert (again.added, again.unchanged, again.rejected) == (0, 1, ())
