"""The long air format through the one reader: ``ecogov air aqi`` and ``ecogov air import``
read it alike (encodings, Excel, Chinese headers, row/column-precise Chinese errors), imports
are all or nothing unless ``--skip-bad-rows``, idempotent, transactional, and record their
rejects; long files stream in batches."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import text

from ecogov.cli import main
from ecogov.monitoring.air import service
from ecogov.monitoring.air.importers import LongFile, long_frame, read_long
from ecogov.platform import rejects
from ecogov.platform.db import Database
from ecogov.platform.readers import RejectedFile
from ecogov.platform.scope import SYSTEM, Principal, Role

STATION_LIST = """监测点编码,监测点名称,城市,经度,纬度,对照点
1223A,滨江,杭州市,120.157,30.2069,N
1224A,西溪,杭州市,120.063,30.2747,N
1268A,市环境监测中心站,宁波市,121.5431,29.8683,N
"""
GOOD = (
    "station,time,pollutant,value\n"
    "1223A,2025-01-05T10:00,PM2.5,50\n"
    "1223A,2025-01-05T10:00,SO2,7\n"
    "1224A,2025-01-05T11:00,PM2.5,41\n"
)
BAD_LINE = "1224A,2025-01-05T11:00,NO2,abc\n"


def _write(tmp_path: Path, name: str, content: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(content.encode(encoding))
    return path


def _long_runs(db: Database, principal: Principal = SYSTEM) -> list[rejects.RunView]:
    """The runs of long-file imports (the station list's import is a run too)."""
    return [run for run in rejects.runs(db, principal) if run.fmt == "long-csv"]


def _hourly(db: Database) -> list[tuple[object, ...]]:
    with db.engine.connect() as connection:
        return [
            tuple(row)
            for row in connection.execute(
                text(
                    "SELECT ts, station_id, pm25, so2, no2 FROM air_hourly ORDER BY ts, station_id"
                )
            )
        ]


@pytest.fixture
def stations(db: Database, tmp_path: Path) -> Database:
    service.import_file(
        db, SYSTEM, "cnemc-stations", _write(tmp_path, "站点列表.csv", STATION_LIST)
    )
    return db


# --- the reader (ported from the engine's former read_long_csv tests) --------------------------


def test_long_frame_for_the_engine(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "obs.csv",
        "station,time,pollutant,value\n"
        "1001A,2018-02-20T07:00:00,PM2.5,38\n"
        "1001A,2018-02-20 07:00,NO2,\n"  # empty: missing, dropped
        "1001A,2018-02-20T00:00:00Z,CO,0.7\n",  # 08:00 Beijing
    )
    parsed = read_long(path)
    assert parsed.errors == []
    frame = long_frame(parsed)
    assert frame.columns == ["station", "time", "pollutant", "value"]
    assert frame.rows() == [
        ("1001A", datetime(2018, 2, 20, 7), "PM2.5", 38.0),
        ("1001A", datetime(2018, 2, 20, 8), "CO", 0.7),
    ]


@pytest.mark.parametrize(
    ("line", "column", "zh", "en"),
    [
        (
            "1001A,2018-02-20T07:00:00,PM2.5,abc",
            "value",
            "“abc”应为不小于 0 的数字",
            "not a number",
        ),
        ("1001A,yesterday,PM2.5,1", "time", "不是 ISO 8601 格式", "is not ISO 8601"),
        ("1001A,2018-02-20T07:00:00,PM1,1", "pollutant", "“PM1”不是", "is not one of"),
        ("1001A,2018-02-20T07:10:00,SO2,1", "time", "不是整点", "not a whole hour"),
        ("1001A,2018-02-20T06:00:00,PM2.5,-4", "value", "不小于 0", "must be a number ≥ 0"),
        ("1001A,2018-02-20T07:00:00,SO2,4", "pollutant", "SO2 重复出现", "given twice"),
    ],
)
def test_errors_name_row_and_column(
    tmp_path: Path, line: str, column: str, zh: str, en: str
) -> None:
    path = _write(
        tmp_path,
        "obs.csv",
        f"station,time,pollutant,value\n1001A,2018-02-20T07:00:00,SO2,3\n{line}\n",
    )
    [error] = read_long(path).errors
    assert (error.file, error.row, error.column) == ("obs.csv", 3, column)
    assert zh in error.reason_zh
    assert en in error.reason_en


def test_file_errors_are_chinese_first(tmp_path: Path) -> None:
    with pytest.raises(Exception, match="文件不存在"):
        read_long(tmp_path / "absent.csv")
    with pytest.raises(Exception, match=r"表头缺少列 pollutant.*lacks column\(s\) pollutant"):
        read_long(_write(tmp_path, "short.csv", "station,time,value\n"))


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_chinese_headers_in_every_encoding(tmp_path: Path, encoding: str) -> None:
    content = (
        "站点编码,监测时间,污染物,浓度,标记\n"
        "1001A,2018-02-20 07:00,PM2.5,38,\n"
        "1001A,2018-02-20 07:00,PM10,60,H\n"
    )
    parsed = read_long(_write(tmp_path, "观测.csv", content, encoding))
    assert parsed.errors == []
    assert parsed.hourly.select("pm25", "pm10", "qc").rows() == [(38.0, 60.0, 1 << 4)]
    # A value flagged invalid is kept in the store but left out of the AQI.
    assert long_frame(parsed)["pollutant"].to_list() == ["PM2.5"]


def test_excel_with_chinese_headers(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["站点", "时间", "污染物", "值"])
    sheet.append(["1001A", datetime(2018, 2, 20, 7), "O3", 120])
    sheet.append(["1001A", datetime(2018, 2, 20, 7), "NO2", "x"])
    path = tmp_path / "观测.xlsx"
    book.save(path)
    parsed = read_long(path)
    assert parsed.hourly["o3"].to_list() == [120.0]
    [error] = parsed.errors
    assert str(error) == "观测.xlsx 第 3 行，列「值」：值 的值“x”应为不小于 0 的数字"


def test_batches_merge_and_catch_repeats_across_them(tmp_path: Path) -> None:
    lines = [f"1001A,2018-02-20T{h:02d}:00,{p},{h}" for h in range(1, 6) for p in ("SO2", "NO2")]
    lines.append("1001A,2018-02-20T01:00,SO2,9")  # repeats row 2, three batches later
    path = _write(tmp_path, "obs.csv", "station,time,pollutant,value\n" + "\n".join(lines))
    reader = LongFile(path, batch_rows=3)
    batches = list(reader.batches())
    assert len(batches) == 4
    assert sum(batch.rows_read for batch in batches) == 11
    [error] = reader.summary.errors
    assert (error.row, error.reason_en) == (12, "SO2 of 1001A at that time is given twice")
    whole = read_long(path)
    assert whole.hourly.height == 5
    assert whole.hourly.filter(whole.hourly["ts"] == whole.hourly["ts"].min())["so2"].item() == 1


# --- imports: the policy, idempotence, transactions, the rejects ledger --------------------------


def test_a_bad_row_refuses_the_file_and_records_its_rejects(
    stations: Database, tmp_path: Path
) -> None:
    path = _write(tmp_path, "long.csv", GOOD + BAD_LINE)
    with pytest.raises(RejectedFile, match=r"long\.csv：1 行有错误，未导入任何数据") as refused:
        service.import_file(stations, SYSTEM, "long-csv", path)
    assert "long.csv 第 5 行，列「value」" in str(refused.value)
    assert _hourly(stations) == []  # transactional: nothing of the good rows either
    [run] = _long_runs(stations)
    assert (run.domain, run.fmt, run.file, run.status, run.rows_read, run.rows_rejected) == (
        "air",
        "long-csv",
        "long.csv",
        "refused",
        4,
        1,
    )
    [reject] = rejects.rejects(stations, SYSTEM, run_id=run.id).to_dicts()
    assert reject == {
        "run_id": run.id,
        "file": "long.csv",
        "row": 5,
        "column": "value",
        "value": "abc",
        "reason_zh": "value 的值“abc”应为不小于 0 的数字",
        "reason_en": "value value 'abc' is not a number",
    }


def test_skip_bad_rows_stores_the_good_ones_and_records_the_rest(
    stations: Database, tmp_path: Path
) -> None:
    path = _write(tmp_path, "long.csv", GOOD + BAD_LINE)
    report = service.import_file(stations, SYSTEM, "long-csv", path, skip_bad_rows=True)
    assert (report.inserted, report.values, report.rejected) == (2, 3, 1)
    runs = _long_runs(stations)
    assert [(r.status, r.rows_rejected) for r in runs] == [("partial", 1)]
    assert report.run_id == runs[0].id
    assert rejects.rejects(stations, SYSTEM, run_id=report.run_id)["row"].to_list() == [5]


def test_reimporting_the_same_file_changes_nothing(stations: Database, tmp_path: Path) -> None:
    path = _write(tmp_path, "long.csv", GOOD)
    first = service.import_file(stations, SYSTEM, "long-csv", path)
    stored = _hourly(stations)
    again = service.import_file(stations, SYSTEM, "long-csv", path)
    assert (first.inserted, first.updated) == (2, 0)
    assert (again.inserted, again.updated) == (0, 0)
    assert _hourly(stations) == stored
    assert [r.status for r in _long_runs(stations)] == ["imported", "imported"]


def test_a_refusal_in_a_later_batch_undoes_the_earlier_batches(
    stations: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("ecogov.monitoring.air.importers.LONG_BATCH_ROWS", 2)
    lines = [f"1223A,2025-01-05T{h:02d}:00,PM2.5,{h}" for h in range(1, 10)]
    path = _write(tmp_path, "long.csv", "station,time,pollutant,value\n" + "\n".join(lines) + "\n")
    bad = _write(tmp_path, "bad.csv", path.read_text() + "1223A,2025-01-05T12:00,PM2.5,-1\n")
    with pytest.raises(RejectedFile):
        service.import_file(stations, SYSTEM, "long-csv", bad)
    assert _hourly(stations) == []
    assert service.import_file(stations, SYSTEM, "long-csv", path).inserted == 9


def test_an_officer_sees_only_the_rejects_of_their_region(
    stations: Database, tmp_path: Path
) -> None:
    hangzhou = Principal("hz", Role.CITY_OFFICER, region_code="330100")
    ningbo = Principal("nb", Role.CITY_OFFICER, region_code="330200")
    path = _write(tmp_path, "long.csv", GOOD + BAD_LINE)
    with pytest.raises(RejectedFile):
        service.import_file(stations, hangzhou, "long-csv", path)
    assert [r.region_code for r in rejects.runs(stations, hangzhou)] == ["330100"]
    assert rejects.runs(stations, ningbo) == []
    assert rejects.rejects(stations, ningbo).is_empty()
    [run] = _long_runs(stations)
    with pytest.raises(Exception, match="不存在"):
        rejects.rejects(stations, ningbo, run_id=run.id)


# --- the commands ------------------------------------------------------------------------------


@pytest.fixture
def cli_db(stations: Database, cli_db: Database) -> Database:
    """The in-process ``ecogov`` command on the test database, its stations imported."""
    return stations


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    captured = capsys.readouterr()
    return int(exit_info.value.code or 0), captured.out, captured.err


def test_import_command_all_or_nothing_then_skip(
    cli_db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _write(tmp_path, "long.csv", GOOD + BAD_LINE)
    code, _, err = _run(["air", "import", "long-csv", str(path)], capsys)
    assert code == 2
    assert err.startswith("错误：long.csv：1 行有错误，未导入任何数据")
    assert "long.csv 第 5 行，列「value」：value 的值“abc”应为不小于 0 的数字" in err
    assert _hourly(cli_db) == []
    code, out, err = _run(["air", "import", "long-csv", str(path), "--skip-bad-rows"], capsys)
    assert code == 0
    assert "inserted=2" in out
    assert "rejected=1" in out
    assert "拒收：long.csv 第 5 行" in err
    assert [r.status for r in _long_runs(cli_db)] == ["partial", "refused"]


def test_aqi_command_reads_through_the_same_reader(
    cli_db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    content = (
        "站点,时间,污染物,浓度\n1001A,2018-02-20 07:00,PM2.5,38\n1001A,2018-02-20 07:00,SO2,5\n"
    )
    source = _write(tmp_path, "观测.csv", content, "gb18030")
    output = tmp_path / "aqi.csv"
    code, out, _ = _run(["air", "aqi", str(source), "--kind", "hourly", "-o", str(output)], capsys)
    assert code == 0, out
    [row] = list(csv.DictReader(io.StringIO(output.read_text(encoding="utf-8-sig"))))
    assert (row["station"], row["time"], row["aqi"]) == (
        "1001A",
        "2018-02-20 07:00:00.000000",
        "54",
    )
    bad = _write(tmp_path, "bad.csv", content + "1001A,2018-02-20 08:00,PM2.5,abc\n")
    code, _, err = _run(["air", "aqi", str(bad), "--kind", "hourly", "-o", str(output)], capsys)
    assert code == 2
    assert err.startswith("错误：bad.csv：1 行有错误，未作计算：bad.csv 第 4 行，列「浓度」")
    assert "1 bad row(s), nothing computed: row 4" in err


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gb18030"])
def test_the_vectorized_cnemc_reader_takes_every_encoding(
    stations: Database, tmp_path: Path, encoding: str
) -> None:
    content = "date,hour,type,1223A,1224A\n20250105,0,PM2.5,55,—\n"
    path = _write(tmp_path, "china_sites_20250105.csv", content, encoding)
    report = service.import_file(stations, SYSTEM, "cnemc-sites-csv", path)
    assert (report.values, report.inserted) == (1, 1)
