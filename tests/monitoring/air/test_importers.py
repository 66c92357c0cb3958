"""Air importers: every format, row-level errors, idempotent re-import, scope."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from ecogov.monitoring.air import service
from ecogov.monitoring.air.importers import read_cnemc_sites_csv, read_long, read_uci_beijing
from ecogov.monitoring.air.indicators import INDICATORS, data_version
from ecogov.monitoring.air.models import AirFlag, AirStation
from ecogov.platform import clock
from ecogov.platform.db import Database
from ecogov.platform.errors import InputError, PermissionDenied
from ecogov.platform.indicators import StoredIndicatorValue, value_of
from ecogov.platform.scope import SYSTEM, Principal, Role

BY_KEY = {indicator.key: indicator for indicator in INDICATORS}
STATION_LIST = """监测点编码,监测点名称,城市,经度,纬度,对照点
1223A,滨江,杭州市,120.157,30.2069,N
1224A,西溪,杭州市,120.063,30.2747,N
1268A,市环境监测中心站,宁波市,121.5431,29.8683,N
"""


def write(tmp_path: Path, name: str, content: str) -> Path:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    return path


def hourly_count(db: Database) -> int:
    with db.engine.connect() as connection:
        return int(connection.execute(text("SELECT count(*) FROM air_hourly")).scalar_one())


@pytest.fixture
def stations(db: Database, tmp_path: Path) -> Database:
    service.import_file(
        db, SYSTEM, "cnemc-stations", write(tmp_path, "站点列表-1.csv", STATION_LIST)
    )
    return db


def test_station_list_places_stations_in_counties(stations: Database) -> None:
    with stations.transaction(SYSTEM) as session:
        placed = {s.code: (s.region_code, s.city_code) for s in session.scalars(select(AirStation))}
    assert placed["1224A"] == ("330106", "330100")  # 西溪 lies in 西湖区
    assert placed["1223A"][1] == "330100"
    assert placed["1268A"][1] == "330200"


def test_sites_csv_reads_hourly_rows_and_skips_derived_ones(
    stations: Database, tmp_path: Path
) -> None:
    content = (
        "date,hour,type,1223A,1224A\n"
        "20250105,0,AQI,80,70\n"
        "20250105,0,PM2.5,55,48\n"
        "20250105,0,PM2.5_24h,60,50\n"
        "20250105,0,CO,0.9,-\n"
        "20250105,1,PM2.5,57,\n"
    )
    report = service.import_file(
        stations, SYSTEM, "cnemc-sites-csv", write(tmp_path, "china_sites_20250105.csv", content)
    )
    assert (report.values, report.inserted, report.updated) == (4, 3, 0)
    again = service.import_file(
        stations, SYSTEM, "cnemc-sites-csv", write(tmp_path, "china_sites_20250105.csv", content)
    )
    assert (again.inserted, again.updated) == (0, 0)
    assert hourly_count(stations) == 3


def test_a_changed_value_updates_and_a_missing_one_keeps_the_stored(
    stations: Database, tmp_path: Path
) -> None:
    first = "date,hour,type,1223A\n20250105,3,PM2.5,55\n20250105,3,SO2,7\n"
    second = "date,hour,type,1223A\n20250105,3,PM2.5,56\n"
    service.import_file(stations, SYSTEM, "cnemc-sites-csv", write(tmp_path, "a.csv", first))
    report = service.import_file(
        stations, SYSTEM, "cnemc-sites-csv", write(tmp_path, "b.csv", second)
    )
    assert (report.inserted, report.updated) == (0, 1)
    with stations.engine.connect() as connection:
        pm25, so2 = connection.execute(text("SELECT pm25, so2 FROM air_hourly")).one()
    assert (pm25, so2) == (56, 7)


def test_bad_cells_refuse_the_file_and_say_where(stations: Database, tmp_path: Path) -> None:
    content = "date,hour,type,1223A,1224A\n20250105,0,PM2.5,55,abc\n20250105,0,SO2,-3,4\n"
    path = write(tmp_path, "bad.csv", content)
    with pytest.raises(InputError) as refused:
        service.import_file(stations, SYSTEM, "cnemc-sites-csv", path)
    message = str(refused.value)
    assert "bad.csv: 2 bad row(s), nothing imported" in message
    assert "row 2: PM2.5@1224A value 'abc' is not a number ≥ 0" in message
    assert "row 3: SO2@1223A value '-3'" in message
    assert hourly_count(stations) == 0
    report = service.import_file(stations, SYSTEM, "cnemc-sites-csv", path, skip_bad_rows=True)
    assert report.rejected == 2
    assert report.values == 2


def test_unregistered_station_is_refused(stations: Database, tmp_path: Path) -> None:
    path = write(tmp_path, "x.csv", "date,hour,type,9999Z\n20250105,0,PM2.5,55\n")
    with pytest.raises(InputError, match="9999Z not registered"):
        service.import_file(stations, SYSTEM, "cnemc-sites-csv", path)


def test_cnemc_hourly_csv_takes_o3_from_the_shifted_column(db: Database, tmp_path: Path) -> None:
    header = (
        "timepoint,stationcode,longitude,latitude,area,positionname,primarypollutant,aqi,"
        "pm10,pm10_24h,pm2_5,pm2_5_24h,o3,o3_24h,o3_8h,o3_8h_24h,no2,no2_24h,so2,so2_24h,"
        "co,co_24h\n"
    )
    row = (
        "2018-02-20T07:00:00,1224A,120.063,30.2747,杭州市,西溪,,60,70,80,40,45,120,33,50,60,"
        "30,35,8,9,0.8,0.9\n"
    )
    service.import_file(
        db, SYSTEM, "cnemc-hourly-csv", write(tmp_path, "2018-02-20T07.csv", header + row)
    )
    with db.engine.connect() as connection:
        o3, pm25, ts = connection.execute(text("SELECT o3, pm25, ts FROM air_hourly")).one()
    assert (o3, pm25) == (33, 40)
    assert ts == 1519081200  # 2018-02-20T07:00+08:00


def test_cnemc_json_snapshot(db: Database, tmp_path: Path) -> None:
    feature = {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [120.157, 30.2069]},
        "properties": {
            "stationcode": "1223A",
            "positionname": "滨江",
            "area": "杭州市",
            "timepoint": "2018-02-20T07:00:00",
            "so2": "5",
            "no2": "20",
            "co": "0.6",
            "o3": "90",
            "o3_24h": "61",
            "pm10": "-;",
            "pm2_5": "38",
        },
    }
    path = write(
        tmp_path, "snap.json", json.dumps({"type": "FeatureCollection", "features": [feature]})
    )
    report = service.import_file(db, SYSTEM, "cnemc-json", path)
    assert (report.stations_inserted, report.inserted, report.values) == (1, 1, 5)


def test_long_csv_with_flags(stations: Database, tmp_path: Path) -> None:
    content = (
        "station,time,pollutant,value,flag\n"
        "1223A,2025-01-05T10:00,PM2.5,50,\n"
        "1223A,2025-01-05T10:00,PM10,80,H\n"
        "1224A,2025-01-05T10:00+08:00,pm25,41,N\n"
    )
    report = service.import_file(stations, SYSTEM, "long-csv", write(tmp_path, "long.csv", content))
    assert (report.inserted, report.values) == (2, 3)
    with stations.transaction(SYSTEM) as session:
        [flag] = session.scalars(select(AirFlag)).all()
    assert (flag.pollutant, flag.flag) == ("PM10", "H")
    with stations.engine.connect() as connection:
        qc = connection.execute(text("SELECT qc FROM air_hourly WHERE pm10 = 80")).scalar_one()
    assert qc == 1 << 4


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("1223A,yesterday,PM2.5,50", "time 'yesterday' is not ISO 8601"),
        ("1223A,2025-01-05T10:00,PM1,50", "pollutant 'PM1' is not one of"),
        ("1223A,2025-01-05T10:00,SO2,x", "value 'x' is not a number"),
        (",2025-01-05T10:00,SO2,5", "station is empty"),
        ("1223A,2025-01-05T10:30,SO2,5", "is not a whole hour"),
        ("1223A,2025-01-05T10:00+05:30,SO2,5", "is not a whole hour"),
    ],
)
def test_long_csv_row_errors(tmp_path: Path, line: str, message: str) -> None:
    parsed = read_long(write(tmp_path, "l.csv", "station,time,pollutant,value\n" + line + "\n"))
    [error] = parsed.errors
    assert error.row == 2
    assert message in error.reason_en
    assert error.file == "l.csv"
    assert error.column in {"station", "time", "pollutant", "value"}
    assert error.reason_zh
    assert str(error).startswith("l.csv 第 2 行")


def test_long_excel(stations: Database, tmp_path: Path) -> None:
    from datetime import datetime

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["station", "time", "pollutant", "value"])
    sheet.append(["1223A", datetime(2025, 1, 5, 10), "O3", 120])
    path = tmp_path / "long.xlsx"
    book.save(path)
    report = service.import_file(stations, SYSTEM, "long-csv", path)
    assert report.values == 1


def test_uci_file_converts_co_to_mg(tmp_path: Path) -> None:
    content = (
        '"No","year","month","day","hour","PM2.5","PM10","SO2","NO2","CO","O3","TEMP",'
        '"PRES","DEWP","RAIN","wd","WSPM","station"\n'
        '1,2013,3,1,0,9,9,3,17,300,89,-0.5,1024.5,-21.4,0,"NNW",5.7,"Dongsi"\n'
        '2,2013,3,1,1,NA,4,3,16,1200,88,-0.7,1025.1,-22.1,0,"NW",3.9,"Dongsi"\n'
    )
    parsed = read_uci_beijing(write(tmp_path, "PRSA_Data_Dongsi.csv", content))
    assert parsed.stations[0].code == "1003A"
    assert parsed.hourly["co"].to_list() == [0.3, 1.2]
    assert parsed.hourly["pm25"].to_list() == [9, None]
    assert parsed.hourly["ts"][1] - parsed.hourly["ts"][0] == 3600


def test_sites_header_must_be_cnemc(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="header must start with date,hour,type"):
        read_cnemc_sites_csv(write(tmp_path, "x.csv", "day,hour,kind,1001A\n"))


def test_officer_imports_only_in_region(stations: Database, tmp_path: Path) -> None:
    path = write(tmp_path, "nb.csv", "date,hour,type,1268A\n20250105,0,PM2.5,55\n")
    hangzhou = Principal("hz", Role.CITY_OFFICER, region_code="330100")
    with pytest.raises(InputError, match="1268A not registered \\(or outside your region\\)"):
        service.import_file(stations, hangzhou, "cnemc-sites-csv", path)
    own = write(tmp_path, "hz.csv", "date,hour,type,1224A\n20250105,0,PM2.5,55\n")
    assert service.import_file(stations, hangzhou, "cnemc-sites-csv", own).inserted == 1
    leader = Principal("ld", Role.LEADER, region_code="330000")
    with pytest.raises(PermissionDenied):
        service.import_file(stations, leader, "cnemc-sites-csv", path)


def test_import_is_audited_once_per_file(stations: Database, tmp_path: Path) -> None:
    from ecogov.platform.audit import AuditEntry

    path = write(tmp_path, "d.csv", "date,hour,type,1223A\n20250105,0,PM2.5,55\n")
    service.import_file(stations, SYSTEM, "cnemc-sites-csv", path)
    with stations.transaction(SYSTEM) as session:
        count = session.scalar(
            select(func.count())
            .select_from(AuditEntry)
            .where(AuditEntry.action == "air.import.cnemc-sites-csv")
        )
    assert count == 1


def test_an_import_computes_the_stored_indicator_values_afresh(
    stations: Database, tmp_path: Path
) -> None:
    """Issue 14: a value a page asked for is stored; the next import computes it afresh (the
    page reads it, computes nothing), equal to the value computed from the new data."""
    indicator = BY_KEY["air.pm25_annual_mean"]
    assert indicator.compute is not None

    def day(pm25: int) -> str:
        rows = "".join(f"20250105,{hour},PM2.5,{pm25}\n" for hour in range(24))
        return "date,hour,type,1223A\n" + rows

    def stored() -> tuple[int, float]:
        c = StoredIndicatorValue.__table__.c
        with stations.engine.connect() as connection:
            version, value = connection.execute(select(c.data_version, c.value)).one()
        return int(version), float(value)

    with clock.frozen(date(2026, 3, 1)):
        service.import_file(stations, SYSTEM, "cnemc-sites-csv", write(tmp_path, "a.csv", day(55)))
        before = value_of(stations, indicator, "330100", 2025)
        assert before is not None
        assert stored() == (data_version(stations), before.value)
        service.import_file(stations, SYSTEM, "cnemc-sites-csv", write(tmp_path, "b.csv", day(75)))
        after = indicator.compute(stations, "330100", 2025)
        assert after is not None
        assert stored() == (data_version(stations), after.value)
    assert after.value > before.value
