"""``ecogov waste check BUNDLE``: run the full-chain checks on a bundle, statelessly.

With ``--json`` one JSON object per finding per line — ``rule, subject, code, period, severity,
evidence`` (docs/waste-bundle.md); without, a Chinese-first table, the count per rule and the
parties with the highest risk scores. Bad input: a Chinese message and exit code 2.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Final

import polars as pl
import typer

from ecogov.engine.waste import RULES, risk_scores, run_checks
from ecogov.platform.errors import InputError
from ecogov.waste.bundle import read_bundle

__all__ = ["finding_lines", "register"]

SEVERITY_ZH: Final = {"blue": "蓝", "yellow": "黄", "orange": "橙", "red": "红"}
TOP_RISKS: Final = 10


def finding_lines(findings: pl.DataFrame) -> list[str]:
    """One JSON object per finding (evidence as an object, Chinese unescaped)."""
    return [
        json.dumps({**row, "evidence": json.loads(row["evidence"])}, ensure_ascii=False)
        for row in findings.iter_rows(named=True)
    ]


def _as_of(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InputError(
            f"--as-of：“{text}”不是日期（应为 YYYY-MM-DD） / --as-of: {text!r} is not a date"
        ) from None


def _summary(findings: pl.DataFrame, scores: pl.DataFrame, day: date | None) -> list[str]:
    lines = [f"核查基准日 / as of: {day.isoformat() if day else '—（数据包无日期 / no dates）'}"]
    for row in findings.iter_rows(named=True):
        rule = RULES[row["rule"]]
        lines.append(
            f"[{SEVERITY_ZH[row['severity']]}] {rule.title_zh} / {rule.title_en}  "
            f"{row['subject']}  {row['code'] or '-'}  {row['period']}  {row['evidence']}"
        )
    counts = findings.group_by("rule").len().sort("rule")
    lines.append(f"共 {findings.height} 条问题 / {findings.height} finding(s)")
    lines += [f"  {RULES[rule].title_zh} / {rule}: {count}" for rule, count in counts.iter_rows()]
    if scores.height:
        lines.append("风险评分（前 10） / risk scores (top 10):")
        lines += [
            f"  {row['party_id']} ({row['kind']}): {row['score']:g}  {row['rules']}"
            for row in scores.head(TOP_RISKS).iter_rows(named=True)
        ]
    return lines


def register(cli: typer.Typer) -> None:
    """Add the ``check`` command to the ``waste`` sub-command."""

    @cli.command("check")
    def check_command(
        bundle: Path = typer.Argument(..., help="Bundle folder or .zip (docs/waste-bundle.md)."),
        rules: Path | None = typer.Option(None, "--rules", help="Rules file (TOML)."),
        as_of: str | None = typer.Option(None, "--as-of", help="As-of date (YYYY-MM-DD)."),
        as_json: bool = typer.Option(False, "--json", help="One JSON object per finding."),
    ) -> None:
        """Check a bundle: storage, mass balance, manifests, licences, transport, money
        (全链条核查)."""
        day = _as_of(as_of)
        read = read_bundle(bundle, rules)
        findings, used = run_checks(read.frames, read.rules, day)
        if as_json:
            for line in finding_lines(findings):
                typer.echo(line)
            return
        scores = risk_scores(findings, read.frames.parties, read.rules.risk_weights)
        for line in _summary(findings, scores, used):
            typer.echo(line)
