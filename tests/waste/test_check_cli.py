"""``ecogov waste check``: JSON lines, the Chinese summary, folders and zips, bad input."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pytest

from ecogov.cli import main
from ecogov.engine.waste import RULES

BUNDLES = Path(__file__).parent / "bundles"


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    captured = capsys.readouterr()
    return int(exit_info.value.code or 0), captured.out, captured.err


def test_the_example_gives_its_expected_lines(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(["waste", "check", str(BUNDLES / "example"), "--json"], capsys)
    assert (code, err) == (0, "")
    assert out == (BUNDLES / "example" / "expected.jsonl").read_text(encoding="utf-8")
    lines = [json.loads(line) for line in out.splitlines()]
    assert {line["rule"] for line in lines} == set(RULES)  # one planted anomaly of each
    assert all(list(line) == ["rule", "subject", "code", "period", "severity", "evidence"]
               for line in lines)  # fmt: skip
    assert all(isinstance(line["evidence"], dict) for line in lines)


def test_the_clean_bundle_gives_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(["waste", "check", str(BUNDLES / "clean"), "--json"], capsys) == (0, "", "")
    code, out, _ = _run(["waste", "check", str(BUNDLES / "clean")], capsys)
    assert code == 0
    assert "共 0 条问题" in out
    assert "核查基准日 / as of: 2025-12-31" in out


def test_a_zip_gives_the_same_lines(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    archive = tmp_path / "example.zip"
    with zipfile.ZipFile(archive, "w") as packed:
        for item in (BUNDLES / "example").iterdir():
            packed.write(item, item.name)
    code, out, _ = _run(["waste", "check", str(archive), "--json"], capsys)
    assert code == 0
    assert out == (BUNDLES / "example" / "expected.jsonl").read_text(encoding="utf-8")


def test_the_summary_is_chinese_first_with_risk_scores(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(["waste", "check", str(BUNDLES / "example")], capsys)
    assert code == 0
    assert "共 17 条问题 / 17 finding(s)" in out
    assert "[红] 接收单位无该类经营许可 / receiver not licensed for the code" in out
    assert "风险评分（前 10） / risk scores (top 10):" in out


def test_rules_file_and_as_of_options(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rules = tmp_path / "rules.toml"
    rules.write_text("as_of = 2025-12-31\n[rules.storage_age]\nenabled = false\n", encoding="utf-8")
    argv = ["waste", "check", str(BUNDLES / "example"), "--json", "--rules", str(rules)]
    _, out, _ = _run(argv, capsys)
    found = [json.loads(line)["rule"] for line in out.splitlines()]
    assert "storage_age" not in found
    assert len(found) == len(RULES) - 1
    _, early, _ = _run(["waste", "check", str(BUNDLES / "clean"), "--as-of", "2025-06-30"], capsys)
    assert "核查基准日 / as of: 2025-06-30" in early


def test_bad_input_exits_2_with_a_chinese_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "bundle"
    shutil.copytree(BUNDLES / "clean", folder)
    ledger = folder / "ledger.csv"
    ledger.write_text(ledger.read_text().replace("generated", "made", 1))
    code, out, err = _run(["waste", "check", str(folder), "--json"], capsys)
    assert (code, out) == (2, "")
    assert err.startswith("错误：ledger.csv：1 行有错误，未作计算：ledger.csv 第 2 行，列「stage」")
    assert "Traceback" not in err
    code, _, err = _run(["waste", "check", str(BUNDLES / "clean"), "--as-of", "明天"], capsys)
    assert code == 2
    assert "--as-of：“明天”不是日期" in err
    code, _, err = _run(["waste", "check", str(tmp_path / "none.zip")], capsys)
    assert code == 2
    assert "数据包不存在" in err
