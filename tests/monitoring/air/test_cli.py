"""``ecogov air aqi``, ``import`` and ``evaluate`` as scripts call them."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import polars as pl
import pytest

from ecogov.platform.db import Database
from ecogov.standards.rounding import round_gbt8170

PRIMARY = {
    "细颗粒物(PM2.5)": "PM2.5",
    "颗粒物(PM10)": "PM10",
    "臭氧1小时": "O3_1H",
    "臭氧8小时": "O3_8H",
    "二氧化硫": "SO2",
    "一氧化碳": "CO",
    "二氧化氮": "NO2",
}
LEVELS = {"优": 1, "良": 2, "轻度污染": 3, "中度污染": 4, "重度污染": 5, "严重污染": 6}


def ecogov(
    *args: str, db_url: str = "sqlite:///unused.db", cwd: Path
) -> subprocess.CompletedProcess[str]:
    """Run the ``ecogov`` command."""
    env = {
        "ECOGOV_DATABASE_URL": db_url,
        "PATH": "/usr/bin:/bin",
        "HOME": str(cwd),
        "ECOGOV_SECRET_KEY": "cli-test",
    }
    if "PYTHONPATH" in os.environ:  # a worktree's sources ahead of the installed package
        env["PYTHONPATH"] = os.environ["PYTHONPATH"]
    return subprocess.run(
        [sys.executable, "-m", "ecogov", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        check=False,
        timeout=300,
    )


def test_hourly_and_daily_aqi_of_a_hand_made_file(tmp_path: Path) -> None:
    lines = ["station,time,pollutant,value"]
    for hour in range(1, 25):
        stamp = f"2025-01-05T{hour:02d}:00" if hour < 24 else "2025-01-06T00:00"
        lines += [
            f"S1,{stamp},PM2.5,{80 if hour < 13 else 40}",
            f"S1,{stamp},PM10,90",
            f"S1,{stamp},SO2,10",
            f"S1,{stamp},NO2,30",
            f"S1,{stamp},CO,0.8",
            f"S1,{stamp},O3,60",
        ]
    source = tmp_path / "in.csv"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    hourly = ecogov("air", "aqi", str(source), "--kind", "hourly", "-o", "h.csv", cwd=tmp_path)
    assert hourly.returncode == 0, hourly.stderr
    table = pl.read_csv(tmp_path / "h.csv")
    assert table.columns == [
        "station",
        "time",
        "aqi",
        "level",
        "category",
        "primary_pollutants",
        "iaqi_SO2",
        "iaqi_NO2",
        "iaqi_CO",
        "iaqi_O3_1H",
        "iaqi_O3_8H",
        "iaqi_PM10",
        "iaqi_PM2.5",
    ]
    first = table.row(0, named=True)
    assert (first["aqi"], first["level"], first["primary_pollutants"]) == (107, 3, "PM2.5")
    assert first["category"] == "轻度污染"
    daily = ecogov(
        "air",
        "aqi",
        str(source),
        "--kind",
        "daily",
        "--edition",
        "2012",
        "-o",
        "d.csv",
        cwd=tmp_path,
    )
    assert daily.returncode == 0, daily.stderr
    [day] = pl.read_csv(tmp_path / "d.csv").to_dicts()
    assert day["time"] == "2025-01-05"
    assert day["aqi"] == 82  # PM2.5 24-h mean 60: 50 + 25 × 50 / 40 = 81.25, rounded up
    assert day["primary_pollutants"] == "PM2.5"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("station,time,pollutant,value\nS1,2025-01-05T01:00,PM1,5\n", "PM1"),
        ("station,time,pollutant,value\nS1,2025-01-05T01:00,SO2,abc\n", "abc"),
        ("station,when,pollutant,value\n", "time"),
    ],
)
def test_aqi_refuses_bad_input_with_exit_2(tmp_path: Path, content: str, message: str) -> None:
    source = tmp_path / "bad.csv"
    source.write_text(content, encoding="utf-8")
    result = ecogov("air", "aqi", str(source), "--kind", "hourly", "-o", "o.csv", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("错误：")
    assert len(result.stderr.strip().splitlines()) == 1
    assert message in result.stderr


@pytest.mark.shared
def test_cnemc_snapshot_published_aqi_through_the_contract(
    shared_dir: Path, tmp_path: Path
) -> None:
    """Every station with a published AQI: AQI, level and primary pollutant(s), 100 %."""
    document = json.loads((shared_dir / "data/cnemc/cnemc-2018-02-20-07.json").read_text("utf-8"))
    rows, published = [], {}
    for feature in document["features"]:
        props = feature["properties"]
        if not props["aqi"].isdigit():
            continue
        code = props["stationcode"]
        # the feed's O3 columns are shifted: o3_24h holds the latest 1-hour value
        sources = {
            "SO2": "so2",
            "NO2": "no2",
            "CO": "co",
            "O3": "o3_24h",
            "PM10": "pm10",
            "PM2.5": "pm2_5",
        }
        for pollutant, column in sources.items():
            value = props[column]
            if value not in ("", "-;", "-"):
                rows.append(f"{code},2018-02-20T07:00,{pollutant},{value}")
        primary = ";".join(
            sorted(PRIMARY[p] for p in props["primarypollutant"].split(",") if p in PRIMARY)
        )
        published[code] = (int(props["aqi"]), LEVELS[props["quality"]], primary)
    source = tmp_path / "cnemc.csv"
    source.write_text("station,time,pollutant,value\n" + "\n".join(rows) + "\n", encoding="utf-8")
    result = ecogov(
        "air",
        "aqi",
        str(source),
        "--kind",
        "hourly",
        "--edition",
        "2012",
        "-o",
        "out.csv",
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    table = pl.read_csv(
        tmp_path / "out.csv",
        schema_overrides={"station": pl.String, "primary_pollutants": pl.String},
    )
    computed = {
        row["station"]: (
            row["aqi"],
            row["level"],
            ";".join(sorted((row["primary_pollutants"] or "").split(";"))).strip(";"),
        )
        for row in table.iter_rows(named=True)
    }
    assert len(published) == 1475
    mismatches = {
        code: (published[code], computed.get(code))
        for code in published
        if computed.get(code) != published[code]
    }
    assert mismatches == {}


@pytest.mark.shared
def test_import_and_evaluate_commands(db: Database, shared_dir: Path, tmp_path: Path) -> None:
    files = sorted(str(p) for p in (shared_dir / "data/uci-beijing").glob("PRSA_Data_D*.csv"))
    imported = ecogov("air", "import", "uci-beijing", *files, db_url=db.url, cwd=tmp_path)
    assert imported.returncode == 0, imported.stderr
    assert "files=2 rows_read=70128" in imported.stdout
    again = ecogov("air", "import", "uci-beijing", *files, db_url=db.url, cwd=tmp_path)
    assert "inserted=0 updated=0" in again.stdout
    evaluated = ecogov(
        "air",
        "evaluate",
        "--period",
        "2015Q1",
        "--by",
        "city",
        "--json",
        db_url=db.url,
        cwd=tmp_path,
    )
    assert evaluated.returncode == 0, evaluated.stderr
    [city] = json.loads(evaluated.stdout)
    assert city["city"] == "110000"
    assert city["rank"] == 1
    report = tmp_path / "report.csv"
    written = ecogov(
        "air", "evaluate", "--period", "2015Q1", "--by", "city", "-o", str(report),
        db_url=db.url, cwd=tmp_path,
    )  # fmt: skip
    assert written.returncode == 0, written.stderr
    [row] = list(csv.DictReader(io.StringIO(report.read_text(encoding="utf-8-sig"))))
    assert row["城市代码"] == "110000"
    assert Decimal(row["综合指数"]) == round_gbt8170(city["composite_index"], 2)
    assert row["CO日均值第95百分位数(mg/m³)"] == str(round_gbt8170(city["co_p95"], 1))
    assert row["是否达标"] == {True: "达标", False: "未达标", None: ""}[city["attained"]]
    missing = ecogov(
        "air", "evaluate", "--period", "1999", "--by", "city", db_url=db.url, cwd=tmp_path
    )
    assert missing.returncode == 2
    assert "no data for 1999" in missing.stderr
