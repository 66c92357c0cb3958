"""``ecogov water classify|grade|import|evaluate`` on hand-made files."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from ecogov.cli import main
from ecogov.platform.db import Database

SAMPLES = """section,time,parameter,value
S1,2024-05-01,DO,6.5
S1,2024-05-01,CODMn,4.5
S1,2024-05-01,NH3-N,0.4
S1,2024-05-01,TP,0.25
S1,2024-05-01,TN,3.0
S2,2024-05-01,pH,5.9
S2,2024-05-01,w21011,0.5
S2,2024-05-01,水温,20
S3,2024-05-01 08:00,溶解氧,7.5
S3,2024-05-01 08:00,化学需氧量,15
S3,2024-05-01 08:00,六价铬,0.06
S3,2024-05-01 08:00,石油类,0.6
S3,2024-05-01 08:00,粪大肠菌群,10001
"""

CLASSES = """basin,section,class
钱塘江,1,I
钱塘江,2,II
钱塘江,3,III
钱塘江,4,III
钱塘江,5,III
钱塘江,6,II
钱塘江,7,II
钱塘江,8,III
钱塘江,9,IV
钱塘江,10,劣V
运河,1,II
运河,2,III
运河,3,III
运河,4,III
运河,5,III
运河,6,V
运河,7,劣V
运河,8,劣V
运河,9,劣V
运河,10,劣V
曹娥江,1,Ⅲ类
曹娥江,2,劣Ⅴ类
"""


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    captured = capsys.readouterr()
    return int(exit_info.value.code or 0), captured.out, captured.err


def _rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


def test_classify_writes_classes_grades_and_main_pollutants(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source, target = tmp_path / "in.csv", tmp_path / "out.csv"
    source.write_text(SAMPLES, encoding="utf-8")
    code, _, err = _run(["water", "classify", str(source), "-o", str(target)], capsys)
    assert (code, err) == (0, "")
    rows = _rows(target)
    assert list(rows[0])[:5] == ["section", "time", "class", "grade", "main_pollutants"]
    # One column per classified parameter, spelled as the file first spells it, in Table 1 order.
    assert list(rows[0])[5:] == [
        "class_pH",
        "class_DO",
        "class_CODMn",
        "class_化学需氧量",
        "class_NH3-N",
        "class_TP",
        "class_TN",
        "class_六价铬",
        "class_石油类",
        "class_粪大肠菌群",
    ]
    s1, s2, s3 = rows
    assert (s1["section"], s1["time"], s1["class"], s1["grade"]) == (
        "S1",
        "2024-05-01",
        "IV",
        "轻度污染",
    )
    assert s1["main_pollutants"] == "总磷(0.25)"
    assert (s1["class_TP"], s1["class_TN"], s1["class_DO"]) == ("IV", "劣V", "II")
    assert (s2["class"], s2["main_pollutants"]) == ("劣V", "总磷(1.50);pH值")
    assert s2["class_pH"] == "劣V"
    assert (s3["time"], s3["class"], s3["grade"]) == ("2024-05-01 08:00", "V", "中度污染")
    # Cr(VI) 0.06 (IV, +0.20) comes before petroleum 0.6 (V, +11.00): heavy metals first.
    assert s3["main_pollutants"] == "六价铬(0.20);石油类(11.00)"
    assert s3["class_粪大肠菌群"] == "IV"  # assessed separately, not in the section class


def test_classify_lake_uses_lake_phosphorus_limits(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "in.csv"
    source.write_text("section,time,parameter,value\nL,2024-05-01,TP,0.1\n", encoding="utf-8")
    code, out, _ = _run(["water", "classify", str(source), "--waterbody", "lake"], capsys)
    assert code == 0
    assert out.splitlines() == [
        "section,time,class,grade,main_pollutants,class_TP",
        "L,2024-05-01,IV,轻度污染,总磷(1.00),IV",
    ]


def test_grade_writes_shares_and_grades(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source, target = tmp_path / "classes.csv", tmp_path / "grades.csv"
    source.write_text(CLASSES, encoding="utf-8")
    code, _, err = _run(["water", "grade", str(source), "-o", str(target)], capsys)
    assert code == 0
    assert _rows(target) == [
        {
            "basin": "钱塘江",
            "sections": "10",
            "share_I_III": "80.0",
            "share_worse_than_V": "10.0",
            "grade": "良好",
        },
        {
            "basin": "运河",
            "sections": "10",
            "share_I_III": "50.0",
            "share_worse_than_V": "40.0",
            "grade": "重度污染",
        },
        {
            "basin": "曹娥江",
            "sections": "2",
            "share_I_III": "50.0",
            "share_worse_than_V": "50.0",
            "grade": "",
        },
    ]
    assert err.strip() == (
        "说明：流域 曹娥江 只有 2 个断面：少于 5 个时2011 年办法按平均浓度评价，"
        "故不给出其水质状况 / "
        "basin 曹娥江 has 2 section(s): below 5 the 2011 method grades by mean "
        "concentrations, so its grade is left empty"
    )


@pytest.mark.parametrize(
    ("command", "content", "message"),
    [
        (
            "classify",
            "section,time,parameter,value\nS1,2024-05-01,TP,abc\n",
            "row 2, column value: 'abc' is not a number",
        ),
        (
            "classify",
            "section,time,parameter,value\nS1,2024-05-01,XX,1\nS1,2024-05-01,TP,-1\n",
            "unknown parameter 'XX' (and 1 more)",
        ),
        ("classify", "section,time,value\n", "no 'parameter' column"),
        (
            "grade",
            "basin,section,class\nA,1,VI\n",
            "row 2, column class: 'VI' is not a water class",
        ),
        ("grade", "basin,section,class\nA,1,I\nA,1,II\n", "row 3: repeats section 1 of row 2"),
        ("grade", "basin,class\nA,I\n", "no 'section' column"),
    ],
)
def test_bad_input_exits_2_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str, content: str, message: str
) -> None:
    source = tmp_path / "in.csv"
    source.write_text(content, encoding="utf-8")
    code, out, err = _run(["water", command, str(source)], capsys)
    assert code == 2
    assert len(err.strip().splitlines()) == 1, err
    assert err.startswith("错误：")
    assert message in err
    assert out == ""


def test_missing_file_and_bad_option_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = _run(["water", "classify", str(tmp_path / "none.csv")], capsys)
    assert (code, err.startswith("错误：无法读取")) == (2, True)
    source = tmp_path / "in.csv"
    source.write_text(SAMPLES, encoding="utf-8")
    code, _, err = _run(["water", "classify", str(source), "--waterbody", "sea"], capsys)
    assert code == 2
    assert err.startswith("错误：")
    assert len(err.strip().splitlines()) == 1


REGISTRY = """code,name,water_name,water_body,basin,region_code,target_class
HZ1,闸口,钱塘江,river,钱塘江,330102,II
HZ2,西湖湖心,西湖,lake,钱塘江,330106,III
"""


def test_import_and_evaluate(
    cli_db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sections, data = tmp_path / "sections.csv", tmp_path / "data.csv"
    sections.write_text(REGISTRY, encoding="utf-8")
    data.write_text(
        "section,time,parameter,value\n"
        "HZ1,2025-03-01,TP,0.15\nHZ2,2025-03-01,TP,0.02\nHZ1,2025-03-01,COD,x\n",
        encoding="utf-8",
    )
    code, out, _ = _run(["water", "import", "sections", str(sections)], capsys)
    assert (code, out.strip()) == (
        0,
        "地表水导入 sections：read=2 inserted=2 updated=0 unchanged=0 rejected=0",
    )
    # Defect 18: one rule for every import — all or nothing unless --skip-bad-rows.
    code, _, err = _run(["water", "import", "long", str(data)], capsys)
    assert code == 2
    assert err.startswith("错误：data.csv：1 行有错误，未导入任何数据")
    assert "data.csv 第 4 行，列「value」：“x”不是数字" in err
    assert "1 bad row(s), nothing imported: row 4: 'x' is not a number" in err
    code, out, err = _run(["water", "import", "long", str(data), "--skip-bad-rows"], capsys)
    assert code == 0
    assert out.strip() == "地表水导入 long：read=3 inserted=2 updated=0 unchanged=0 rejected=1"
    assert err.strip() == "拒收：data.csv 第 4 行，列「value」：“x”不是数字"

    code, out, _ = _run(["water", "evaluate", "--period", "2025", "--json"], capsys)
    assert code == 0
    records = {r["section"]: r for r in json.loads(out)}
    assert (records["HZ1"]["class"], records["HZ1"]["attains"]) == ("III", False)
    assert records["HZ2"]["class"] == "II"
    target = tmp_path / "basins.xlsx"
    argv = ["water", "evaluate", "--period", "2025-Q1", "--by", "basin", "-o", str(target)]
    assert _run(argv, capsys)[0] == 0
    header, first = list(load_workbook(target).worksheets[0].iter_rows(values_only=True))[:2]
    assert header[:3] == ("流域", "评价断面数", "Ⅰ～Ⅲ类断面数")
    assert first[:3] == ("钱塘江", 2, 2)
    code, out, _ = _run(["water", "evaluate", "--period", "2025", "--by", "city"], capsys)
    assert out.splitlines()[0].startswith("城市代码,城市,评价断面数,")
    assert out.splitlines()[1].startswith("330100,杭州市,2,2,0,100.0,0.0,50.0,")
    code, out, _ = _run(["water", "evaluate", "--period", "2025"], capsys)
    ledger = {row["断面编码"]: row for row in csv.DictReader(io.StringIO(out))}
    assert ledger["HZ1"]["水质类别"] == "Ⅲ类"
    assert ledger["HZ1"]["是否达标"] == "未达标"
    assert ledger["HZ1"]["水体类型"] in {"河流", "湖库"}
    code, _, err = _run(["water", "evaluate", "--period", "2025-13"], capsys)
    assert code == 2
    assert err.startswith("错误：时段“2025-13”无法识别：月份须在 01–12 之间")
    assert "period '2025-13' is not valid: the month must be 01–12" in err
