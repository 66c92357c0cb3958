"""``ecogov engine run``: the contract of the command (outputs, manifest, refusals)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from ecogov.cli import main


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    """The command in a fresh interpreter, as a user runs it."""
    command = [sys.executable, "-m", "ecogov", "engine", "run", *args]
    return subprocess.run(command, capture_output=True, text=True, check=False)


def test_runs_a_job(
    inputs: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(
            ["engine", "run", "credit", "--input", str(inputs["credit"]), "--output", str(tmp_path)]
        )
    assert exit_.value.code in (0, None)
    manifest = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["backend"] == "polars"
    assert manifest["outputs"]["grades"] == 40
    assert "作业 credit（polars）完成" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("nope", "--input", ".", "--output", "out"), "没有批处理作业“nope”"),
        (("credit", "--input", "/nonexistent-folder", "--output", "out"), "输入目录"),
        (("credit", "--backend", "dask", "--input", ".", "--output", "out"), "没有计算后端"),
    ],
)
def test_refusals(args: tuple[str, ...], words: str, tmp_path: Path) -> None:
    done = run_cli(*(arg if arg != "out" else str(tmp_path / "out") for arg in args))
    assert done.returncode == 2
    assert done.stderr.startswith("错误：")
    assert words in done.stderr
    assert "Traceback" not in done.stderr


def test_missing_table_and_columns(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    done = run_cli("credit", "--input", str(empty), "--output", str(tmp_path / "out"))
    assert done.returncode == 2
    assert "缺少表 evidence" in done.stderr
    (empty / "evidence.csv").write_text("enterprise_id,indicator\nE1,x\n", encoding="utf-8")
    done = run_cli("credit", "--input", str(empty), "--output", str(tmp_path / "out"))
    assert done.returncode == 2
    assert "缺少列：date, count, evidence_id, source" in done.stderr
    assert "Traceback" not in done.stderr


def test_bad_window(inputs: dict[str, Path], tmp_path: Path) -> None:
    folder = tmp_path / "hj212"
    folder.mkdir()
    for name in ("records.parquet", "limits.csv"):
        (folder / name).write_bytes((inputs["hj212-judgement"] / name).read_bytes())
    (folder / "window.json").write_text('{"since": "2025-01-02T00:00+08:00"}', encoding="utf-8")
    done = run_cli("hj212-judgement", "--input", str(folder), "--output", str(tmp_path / "out"))
    assert done.returncode == 2
    assert "window.json 应为 JSON 对象" in done.stderr


def test_unknown_credit_indicator(tmp_path: Path) -> None:
    folder = tmp_path / "credit"
    folder.mkdir()
    (folder / "evidence.csv").write_text(
        "enterprise_id,indicator,date,count,evidence_id,source\nE1,made_up,2025-03-01,1,R1,t\n",
        encoding="utf-8",
    )
    done = run_cli("credit", "--input", str(folder), "--output", str(tmp_path / "out"))
    assert done.returncode == 2
    assert "信用证据中有评价规则没有的指标或否决项：made_up" in done.stderr
    assert "Traceback" not in done.stderr
