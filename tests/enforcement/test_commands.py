"""``ecogov enforcement draw | verify-draw | credit`` on the example files, as a script runs
them: JSON out, exit 0; a tampered result exit 1 saying what differs; a bad file exit 2 with the
row and column."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from ecogov.enforcement.files import read_inspectors, read_objects, read_rules
from ecogov.engine.enforcement.draw import draw
from ecogov.standards.enforcement.credit import NATIONAL_METHOD

FILES = Path(__file__).parent / "files"
SEED = "2026Q1-杭州"
DRAW_ARGS = (
    "--objects", str(FILES / "objects.csv"),
    "--inspectors", str(FILES / "inspectors.csv"),
    "--rules", str(FILES / "rules-province.toml"),
    "--seed", SEED,
)  # fmt: skip


def run(*args: str) -> subprocess.CompletedProcess[str]:
    """``ecogov enforcement ARGS`` in a fresh interpreter."""
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": os.environ.get("PYTHONPATH", "")}
    return subprocess.run(
        [sys.executable, "-m", "ecogov", "enforcement", *args],
        capture_output=True, text=True, env=env, check=False, timeout=120,
    )  # fmt: skip


def published() -> dict[str, object]:
    return dict(json.loads((FILES / "draw-published.json").read_text(encoding="utf-8")))


def test_golden_draw_of_the_example_files_is_reproduced() -> None:
    # The committed result is the golden one: a platform or version that draws differently fails.
    result = draw(
        read_objects(FILES / "objects.csv"),
        read_inspectors(FILES / "inspectors.csv"),
        read_rules(FILES / "rules-province.toml").draw,
        SEED,
    )
    assert json.loads(json.dumps(result, ensure_ascii=False)) == published()


def test_draw_json_is_the_published_result() -> None:
    result = run("draw", *DRAW_ARGS, "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == published()


def test_verify_draw_accepts_the_published_result() -> None:
    result = run("verify-draw", *DRAW_ARGS, "--published", str(FILES / "draw-published.json"))
    assert result.returncode == 0, result.stderr
    assert "核验通过" in result.stdout


def tampered(tmp_path: Path, change: str) -> Path:
    document = published()
    tasks = document["tasks"]
    assert isinstance(tasks, list)
    if change == "team":
        tasks[2]["inspectors"] = list(reversed(tasks[2]["inspectors"]))
    elif change == "drop":
        tasks.pop()
    elif change == "hash":
        document["seed_sha256"] = "0" * 64
    path = tmp_path / "draw.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("change", "message"),
    [("team", "第 3 项任务"), ("drop", "按种子应为 26 项"), ("hash", "种子哈希")],
)
def test_verify_draw_rejects_a_tampered_result(tmp_path: Path, change: str, message: str) -> None:
    result = run("verify-draw", *DRAW_ARGS, "--published", str(tampered(tmp_path, change)))
    assert result.returncode == 1
    assert "核验未通过" in result.stderr
    assert message in result.stderr


def test_verify_draw_rejects_another_seed() -> None:
    args = [*DRAW_ARGS[:-1], "another", "--published", str(FILES / "draw-published.json")]
    result = run("verify-draw", *args)
    assert result.returncode == 1
    assert "种子哈希" in result.stderr


def test_previous_draw_feeds_the_same_pair_rule() -> None:
    result = run("draw", *DRAW_ARGS, "--previous", str(FILES / "draw-published.json"), "--json")
    assert result.returncode == 0, result.stderr
    before = {t["enterprise_id"]: set(t["inspectors"]) for t in published()["tasks"]}  # type: ignore[attr-defined]
    for task in json.loads(result.stdout)["tasks"]:
        assert len(set(task["inspectors"]) & before.get(task["enterprise_id"], set())) <= 1


def test_credit_json_traces_every_point() -> None:
    result = run("credit", "--input", str(FILES / "evidence.csv"), "--json")
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["max_score"] == NATIONAL_METHOD.max_score
    for enterprise in document["enterprises"]:
        lost = sum(item["deducted"] for item in enterprise["trace"])
        assert enterprise["score"] == pytest.approx(document["max_score"] - lost)
        if enterprise["veto"]:
            assert enterprise["grade"] == "red"
            assert enterprise["veto_evidence"] in {i["evidence_id"] for i in enterprise["trace"]}


HEADER = "企业编号,指标,日期,证据编号\n"
OBJ = ("--objects", "{bad_objects}", "--inspectors", str(FILES / "inspectors.csv"), "--seed", "s")
EVIDENCE = str(FILES / "evidence.csv")


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("command", "message"),
    [
        (("credit", "--input", "{bad_evidence}"), "第 3 行，列「日期」"),
        (("credit", "--input", "{dup_evidence}"), "与第 2 行重复"),
        (("credit", "--input", EVIDENCE, "--rules", "{bad_rules}"), "键 draw.team_size"),
        (("credit", "--input", EVIDENCE, "--rules", "{broken_toml}"), "不是合法的 TOML"),
        (("draw", *OBJ), "第 2 行，列「类别」"),
        (("draw", "--objects", "{no_region}", *OBJ[2:]), "表头缺少列 region"),
        (("verify-draw", *DRAW_ARGS, "--published", "{bad_json}"), "不是合法的 JSON"),
        (("credit", "--input", "/nonexistent.csv"), "文件不存在"),
    ],
)
def test_bad_files_exit_2_with_a_chinese_message(
    tmp_path: Path, command: tuple[str, ...], message: str
) -> None:
    files = {
        "bad_evidence": write(
            tmp_path, "e.csv", f"{HEADER}A,noise,2025-01-01,V1\nA,noise,2025-13-01,V2\n"
        ),
        "dup_evidence": write(
            tmp_path, "d.csv", f"{HEADER}A,noise,2025-01-01,V1\nA,noise,2025-01-02,V1\n"
        ),
        "bad_rules": write(tmp_path, "r.toml", "[draw]\nteam_size = 1\n"),
        "broken_toml": write(tmp_path, "b.toml", "[draw\n"),
        "bad_objects": write(tmp_path, "o.csv", "企业编号,类别,行政区划\nA,超级,330102\n"),
        "no_region": write(tmp_path, "n.csv", "企业编号,类别\nA,重点\n"),
        "bad_json": write(tmp_path, "p.json", "{tasks: 1"),
    }
    args = [a.format(**files) if a.startswith("{") else a for a in command]
    result = run(*args)
    assert result.returncode == 2, result.stdout
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_a_gb18030_object_file_draws_like_its_utf8_original(tmp_path: Path) -> None:
    original = (FILES / "objects.csv").read_text(encoding="utf-8")
    (tmp_path / "objects.csv").write_bytes(original.encode("gb18030"))
    utf8 = read_objects(FILES / "objects.csv")
    assert read_objects(tmp_path / "objects.csv").equals(utf8)
