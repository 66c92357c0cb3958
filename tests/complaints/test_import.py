"""12345 export files: one transaction — all or nothing unless the bad rows are to be skipped,
the rejects recorded either way — and a second import of the same file adds nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from ecogov.cli import main
from ecogov.complaints import service
from ecogov.complaints.models import ComplainantIdentity, Complaint
from ecogov.platform.db import Database
from ecogov.platform.readers import RejectedFile
from ecogov.platform.rejects import ImportReject, ImportRun
from ecogov.platform.scope import SYSTEM, Principal, Role
from tests.helpers import login, make_user

COUNTY = Principal("xh", Role.COUNTY_OFFICER, user_id=11, region_code="330106")
HEADER = "工单编号,来电时间,区划代码,诉求类别,诉求内容,地址,来电人,联系电话"
GOOD = (
    "GD-001,2025-03-01 09:10,330106,环境污染-异味,化工厂夜间异味,文三路1号,张三,13800000001",
    "GD-002,2025-03-02 10:00,330106,噪声扰民,夜间施工噪声,西溪路8号,,",
)
BAD = (
    "GD-003,昨天,330106,水污染,河道发黑,莫干山路2号,,",  # no such date
    "GD-004,2025-03-03 08:00,3301,大气,烟尘,文一路,,",  # region code of 4 digits
    "GD-005,2025-03-03 08:00,330106,其他," + "长" * 2001 + ",文二路,,",  # text too long
)


def _file(*rows: str) -> bytes:
    return ("\n".join((HEADER, *rows)) + "\n").encode("utf-8")


def _count(db: Database, model: type[object]) -> int:
    with db.transaction(SYSTEM) as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def test_a_file_with_a_bad_row_stores_nothing_and_records_the_rejects(db: Database) -> None:
    with pytest.raises(RejectedFile) as refused:
        service.import_12345(db, COUNTY, "12345.csv", _file(*GOOD, *BAD))
    assert refused.value.count == len(BAD)
    assert "第 2 行" not in str(refused.value)  # the good rows are not blamed
    assert _count(db, Complaint) == 0
    assert _count(db, ComplainantIdentity) == 0
    with db.transaction(SYSTEM) as session:
        run = session.scalars(select(ImportRun)).one()
        rows = sorted(session.scalars(select(ImportReject.row)))
    assert run.status == "refused"
    assert run.rows_read == len(GOOD) + len(BAD)
    assert rows == [4, 5, 6]


def test_skipping_bad_rows_stores_the_good_ones_once(db: Database) -> None:
    result = service.import_12345(
        db, COUNTY, "12345.csv", _file(*GOOD, *BAD, GOOD[0]), skip_bad_rows=True
    )
    assert (result.imported, result.already, result.rejected) == (2, 1, 3)
    with db.transaction(SYSTEM) as session:
        stored = session.execute(
            select(Complaint.external_no, Complaint.category, Complaint.channel).order_by(
                Complaint.external_no
            )
        ).all()
        run = session.get(ImportRun, result.run_id)
        assert run is not None
        assert run.status == "partial"
    assert [tuple(r) for r in stored] == [
        ("GD-001", "odour", "import_12345"),
        ("GD-002", "noise", "import_12345"),
    ]
    again = service.import_12345(db, COUNTY, "12345.csv", _file(*GOOD))
    assert (again.imported, again.already, again.rejected) == (0, 2, 0)
    assert _count(db, Complaint) == 2


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    captured = capsys.readouterr()
    return int(exit_info.value.code or 0), captured.out, captured.err


def test_cli_import_is_all_or_nothing_unless_skipping(
    cli_db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "12345.csv"
    path.write_bytes(_file(*GOOD, BAD[0]))
    code, _, err = _run(["complaints", "import", str(path)], capsys)
    assert code == 2
    assert err.startswith("错误：12345.csv：1 行有错误，未导入任何数据")
    assert _count(cli_db, Complaint) == 0
    code, out, err = _run(["complaints", "import", str(path), "--skip-bad-rows"], capsys)
    assert code == 0
    assert out.startswith("12345.csv：新增 2 件，已导入过 0 件，拒收 1 行（12345.csv: 2 added")
    assert "import run" in err
    assert _count(cli_db, Complaint) == 2


def test_officer_pages_import_a_file_and_log_a_call(client: TestClient, db: Database) -> None:
    make_user(db, "xihu", Role.COUNTY_OFFICER, region_code="330106")
    token = login(client, "xihu")
    assert "import.skip_bad_rows" not in client.get("/complaints/import").text
    refused = client.post(
        "/complaints/import",
        data={"csrf_token": token},
        files={"file": ("12345.csv", _file(*GOOD, BAD[1]), "text/csv")},
    )
    assert refused.status_code == 422
    assert "未导入任何数据" in refused.text
    done = client.post(
        "/complaints/import",
        data={"csrf_token": token, "skip_bad_rows": "true"},
        files={"file": ("12345.csv", _file(*GOOD, BAD[1]), "text/csv")},
    )
    assert done.status_code == 200
    assert "12345.csv：新增 2 件，已导入过 0 件，拒收 1 行" in done.text

    form = {
        "csrf_token": token,
        "channel": "phone_12369",
        "category": "noise",
        "region_code": "330106",
        "text": "工地夜间打桩",
        "address": "文一西路9号",
        "name": "王五",
        "phone": "13700000000",
    }
    bad = client.post("/complaints/phone", data={**form, "channel": "fax"})
    assert bad.status_code == 422
    assert "来源渠道“fax”无效" in bad.text
    logged = client.post("/complaints/phone", data=form, follow_redirects=False)
    assert logged.status_code == 303
    page = client.get(logged.headers["location"])
    assert "12369来电" in page.text
    assert "王五" not in page.text  # the identity only on an audited request
