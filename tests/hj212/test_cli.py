"""``ecogov hj212 parse``, ``simulate``, ``export``, ``archive`` and ``command`` from scripts."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from ecogov.hj212.cli import app
from ecogov.hj212.simulator import STEPS
from ecogov.platform.db import Database
from ecogov.standards.hj212 import frame_segment
from ecogov.standards.timebase import BEIJING
from tests.hj212.support import HOUR, Client, make_devices, running_receiver, upload

GOOD = (
    b"##0101QN=20160801085857223;ST=32;CN=1062;PW=100000;MN=010000A8900016F000169DC0;Flag=5;"
    b"CP=&&RtdInterval=30&&1C80"
)
BAD_CRC = GOOD[:-1] + b"1"
HOURLY = frame_segment(  # Table C.48, shortened
    "QN=20160801085857534;ST=32;CN=2061;PW=123456;MN=010000A8900016F000169DC0;Flag=5;"
    "CP=&&DataTime=20160801080000;w00000-Cou=63.0,w00000-Flag=N;"
    "w01018-Min=40.1,w01018-Avg=40.1,w01018-Max=40.1,w01018-Flag=N&&"
)


def run(*args: str, stdin: bytes | None = None) -> list[dict[str, Any]]:
    result = CliRunner().invoke(app(), list(args), input=stdin)
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_parse_json_contract(tmp_path: Path) -> None:
    source = tmp_path / "packets.txt"
    source.write_bytes(HOURLY + b"\n" + b"garbage\n" + BAD_CRC + b"\n")
    good, garbage, crc = run("parse", str(source), "--json")
    assert good == {
        "ok": True,
        "version": "2017",
        "st": "32",
        "cn": "2061",
        "pw": "123456",
        "mn": "010000A8900016F000169DC0",
        "flag": 5,
        "qn": "20160801085857534",
        "data_time": "2016-08-01T08:00:00+08:00",
        "values": {
            "w00000": {"Cou": 63.0, "Flag": "N"},
            "w01018": {"Min": 40.1, "Avg": 40.1, "Max": 40.1, "Flag": "N"},
        },
        "violations": [],
    }
    assert garbage["ok"] is False
    assert garbage["line"] == 3
    assert str(garbage["error"]).startswith(
        "包头错误（第 0 字节）：报文不以包头 ## 开始（表 2） / "
    )
    assert "[frame-header]" in str(garbage["error"])
    assert crc["ok"] is True  # tolerant: read, with the violation listed
    assert [v["code"] for v in crc["violations"]] == ["crc-mismatch"]


def test_parse_strict_from_stdin() -> None:
    good, bad = run("parse", "-", "--strict", "--json", stdin=GOOD + b"\n" + BAD_CRC + b"\n")
    assert good["ok"] is True
    assert bad == {
        "ok": False,
        "line": 2,
        "error": "CRC 校验不符（第 107 字节）："
        "CRC 校验码与按附录 A 算出的数据段校验值不一致（表 2）"
        " / CRC 1C81 does not match the data segment: Appendix A gives 1C80 [crc-mismatch]",
    }


def test_parse_text_output_and_unknown_profile() -> None:
    result = CliRunner().invoke(app(), ["parse", "-"], input=GOOD + b"\n")
    assert result.stdout.startswith("1\tok\t1062\t010000A8900016F000169DC0")
    refused = CliRunner().invoke(app(), ["parse", "-", "--profile", "HJ 999"], input=b"")
    assert "unknown HJ 212 protocol profile" in str(refused.exception)


def test_unreadable_input_exits_2(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "ecogov", "hj212", "parse", str(tmp_path / "missing.txt")],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
        timeout=120,
    )
    assert result.returncode == 2
    assert result.stderr.startswith("错误：无法读取")
    assert "missing.txt" in result.stderr


def test_simulate_then_export(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    devices = make_devices(db, 3)
    monkeypatch.setattr("ecogov.hj212.cli.database", lambda: db)
    acked_log = tmp_path / "acked.jsonl"
    with running_receiver(db) as receiver:
        (summary,) = run(
            "simulate", "--port", str(receiver.port), "--devices", "3", "--seconds", "1",
            "--interval", "0.1", "--defects", "0", "--acked-log", str(acked_log), "--json",
        )  # fmt: skip
    acked = [json.loads(line) for line in acked_log.read_text().splitlines()]
    assert summary["acked"] == len(acked) > 0
    mine = [a for a in acked if a["mn"] == devices[0].mn]
    exported = run("export", "--mn", devices[0].mn, "--json")
    assert len(exported) == len(mine)
    assert {(e["cn"], e["data_time"]) for e in exported} == {
        (a["cn"], _iso(a["data_time"])) for a in mine
    }
    assert run("export", "--mn", devices[0].mn, "--json", "--since", "2030-01-01") == []
    hour_ago = (datetime.now(BEIJING) - timedelta(hours=1)).isoformat()
    frames = run("archive", "--mn", devices[0].mn, "--since", hour_ago, "--until", "2100-01-01")
    assert {frame["qn"] for frame in frames if frame["outcome"] == "stored"} == {
        a["qn"] for a in mine
    }
    assert all(frame["raw"].startswith("##") for frame in frames)


def test_simulate_live_sends_only_what_is_due(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_devices(db, 2)
    monkeypatch.setattr("ecogov.hj212.cli.database", lambda: db)
    acked_log = tmp_path / "acked.jsonl"
    with running_receiver(db) as receiver:
        (summary,) = run(
            "simulate", "--port", str(receiver.port), "--devices", "2", "--seconds", "1",
            "--interval", "0.1", "--defects", "0", "--acked-log", str(acked_log), "--json",
            "--live",
        )  # fmt: skip
    now = datetime.now(BEIJING).timestamp()
    acked = [json.loads(line) for line in acked_log.read_text().splitlines()]
    assert summary["acked"] == len(acked) >= 2
    for packet in acked:
        step = STEPS[packet["cn"]]
        assert packet["data_time"] % 30 == 0
        assert packet["data_time"] + (0 if packet["cn"] == "2011" else step) <= now


def _iso(unix: int) -> str:
    return datetime.fromtimestamp(unix, BEIJING).isoformat()


def test_command_and_status(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    (device,) = make_devices(db, 1)
    monkeypatch.setattr("ecogov.hj212.cli.database", lambda: db)
    (queued,) = run("command", device.mn, "2061", "--begin", "2026-03-01T08:00", "--end",
                    "2026-03-01T10:00")  # fmt: skip
    assert queued["state"] == "queued"
    assert queued["params"] == {"BeginTime": "20260301080000", "EndTime": "20260301100000"}
    with running_receiver(db) as receiver:
        client = Client(receiver.port)
        client.send(upload(device, moment=HOUR))
        client.replies(2, timeout=10)  # the 9014, then the command
        client.close()
    (listed,) = run("commands", "--mn", device.mn)
    assert listed["state"] == "sent"
    (status,) = run("status")
    assert status["packets"] == 1
