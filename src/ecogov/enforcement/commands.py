"""The enforcement commands. The stateless ones (issue 16 item 7): ``draw``, ``verify-draw``
and ``credit`` read files only (docs/enforcement-files.md), so anyone can re-run a published
draw or a grade without the platform's database. ``regrade`` grades the platform's directory
from its own records (a daily job)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import typer

from ecogov.enforcement.credit import evaluate_region
from ecogov.enforcement.files import (
    read_evidence,
    read_inspectors,
    read_json,
    read_objects,
    read_previous,
    read_rules,
)
from ecogov.engine.enforcement.credit import rate
from ecogov.engine.enforcement.draw import draw, seed_hash
from ecogov.platform.console import database
from ecogov.platform.errors import InputError
from ecogov.platform.scope import SYSTEM

__all__ = ["draw_differences", "register"]

VERIFY_FAILED = 1

_OBJECTS = typer.Option(..., "--objects", help="Object directory (CSV/xlsx).")
_INSPECTORS = typer.Option(..., "--inspectors", help="Inspector pool (CSV/xlsx).")
_RULES = typer.Option(None, "--rules", help="Rules file (TOML); national defaults without it.")
_SEED = typer.Option(..., "--seed", help="The draw's seed (its sha256 published before).")
_PREVIOUS = typer.Option(None, "--previous", help="The previous published draw (JSON).")


def _team_text(task: object) -> str:
    if not isinstance(task, dict):
        return "（无）"
    team = task.get("inspectors") or []
    names = "、".join(str(i) for i in team) if isinstance(team, list) else str(team)
    return f"企业 {task.get('enterprise_id')}（{task.get('basis')}，检查人员 {names or '无'}）"


def draw_differences(published: dict[str, object], expected: dict[str, object]) -> list[str]:
    """What differs between a published draw and the one the seed gives (zh-CN lines, the
    first differences only); empty when they are the same."""
    if published == expected:
        return []
    lines: list[str] = []
    if published.get("seed_sha256") != expected["seed_sha256"]:
        lines.append(
            f"公布的种子哈希 {published.get('seed_sha256')} 与种子的 sha256 "
            f"{expected['seed_sha256']} 不符"
        )
    if published.get("algorithm") != expected["algorithm"]:
        lines.append(f"算法为 {published.get('algorithm')}，应为 {expected['algorithm']}")
    inputs, wanted = published.get("inputs"), expected["inputs"]
    if isinstance(inputs, dict) and isinstance(wanted, dict):
        names = {"objects_sha256": "对象名录", "inspectors_sha256": "执法人员名录",
                 "previous_sha256": "上一次抽查结果"}  # fmt: skip
        for key, name in names.items():
            if inputs.get(key) != wanted.get(key):
                lines.append(f"{name}与公布时不同（{key} 不符）")
    got, want = published.get("tasks"), expected["tasks"]
    if not isinstance(got, list) or not isinstance(want, list):
        lines.append("公布结果缺少任务列表（tasks）")
        return lines
    if len(got) != len(want):
        lines.append(f"公布 {len(got)} 项任务，按种子应为 {len(want)} 项")
    changed = [n for n, (a, b) in enumerate(zip(got, want, strict=False), start=1) if a != b]
    for number in changed[:5]:
        lines.append(
            f"第 {number} 项任务：公布为{_team_text(got[number - 1])}，"
            f"按种子应为{_team_text(want[number - 1])}"
        )
    if len(changed) > 5:
        lines.append(f"另有 {len(changed) - 5} 项任务不同")
    if not lines:
        lines.append(
            "公布结果的其他字段（strata、reserved、unstaffed、rules 或 seed）与按种子计算的不同"
        )
    return lines


def _draw(
    objects: Path, inspectors: Path, rules: Path | None, seed: str, previous: Path | None
) -> dict[str, object]:
    if not seed:
        raise InputError("种子不能为空 / the seed must not be empty")
    return draw(
        read_objects(objects),
        read_inspectors(inspectors),
        read_rules(rules).draw,
        seed,
        previous=read_previous(previous) if previous else None,
    )


def register(cli: typer.Typer) -> None:
    """Add ``draw``, ``verify-draw``, ``seed-hash``, ``credit`` and ``regrade`` to the
    enforcement command."""

    @cli.command("seed-hash")
    def seed_hash_command(seed: str = _SEED) -> None:
        """Print sha256(seed): publish it before the draw."""
        typer.echo(seed_hash(seed))

    @cli.command("draw")
    def draw_command(
        objects: Path = _OBJECTS,
        inspectors: Path = _INSPECTORS,
        rules: Path | None = _RULES,
        seed: str = _SEED,
        previous: Path | None = _PREVIOUS,
        as_json: bool = typer.Option(False, "--json", help="Print the full result as JSON."),
    ) -> None:
        """Draw inspection tasks (双随机): the same files and seed give the same tasks."""
        result = _draw(objects, inspectors, rules, seed, previous)
        if as_json:
            typer.echo(json.dumps(result, ensure_ascii=False, indent=1))
            return
        tasks = result["tasks"]
        assert isinstance(tasks, list)
        for task in tasks:
            team = "、".join(task["inspectors"]) or "（无可派人员）"
            typer.echo(f"{task['number']}\t{task['enterprise_id']}\t{task['basis']}\t{team}")
        typer.echo(
            f"共 {len(tasks)} 项任务 / {len(tasks)} tasks; seed sha256 {result['seed_sha256']}"
        )

    @cli.command("verify-draw")
    def verify_command(
        objects: Path = _OBJECTS,
        inspectors: Path = _INSPECTORS,
        rules: Path | None = _RULES,
        seed: str = _SEED,
        previous: Path | None = _PREVIOUS,
        published: Path = typer.Option(..., "--published", help="The published result (JSON)."),
    ) -> None:
        """Exit 0 iff the published result is what the seed gives (1 with what differs)."""
        claimed = read_json(published)
        expected = _draw(objects, inspectors, rules, seed, previous)
        differences = draw_differences(claimed, expected)
        if differences:
            typer.echo(
                "核验未通过：公布结果与按种子重新抽取的结果不一致 / verification failed", err=True
            )
            for line in differences:
                typer.echo(f"- {line}", err=True)
            raise typer.Exit(VERIFY_FAILED)
        typer.echo(
            f"核验通过：{published.name} 与种子重新抽取的 {len(expected['tasks'])} 项任务一致"  # type: ignore[arg-type]
            " / verified"
        )

    @cli.command("credit")
    def credit_command(
        input_file: Path = typer.Option(..., "--input", help="Evidence records (CSV/xlsx)."),
        rules: Path | None = _RULES,
        start: str | None = typer.Option(None, "--from", help="First day (YYYY-MM-DD)."),
        end: str | None = typer.Option(None, "--to", help="Last day (YYYY-MM-DD)."),
        as_json: bool = typer.Option(False, "--json", help="Print grades and traces as JSON."),
    ) -> None:
        """Credit grade of every enterprise of the evidence file, every point traced."""
        ruleset = read_rules(rules)
        method = ruleset.credit
        known = frozenset({i.key for i in method.indicators} | {v.key for v in method.vetoes})
        result = rate(
            read_evidence(input_file, known), method, start=_day(start, "--from"),
            end=_day(end, "--to"),
        )  # fmt: skip
        traces: dict[str, list[dict[str, object]]] = {}
        for row in result.trace.iter_rows(named=True):
            row["date"] = row["date"].isoformat()
            traces.setdefault(row.pop("enterprise_id"), []).append(row)
        enterprises = [
            {**row, "trace": traces.get(row["enterprise_id"], [])}
            for row in result.grades.iter_rows(named=True)
        ]
        if as_json:
            document = {"rules": ruleset.name, "basis": method.basis, "max_score": method.max_score,
                        "enterprises": enterprises}  # fmt: skip
            typer.echo(json.dumps(document, ensure_ascii=False, indent=1))
            return
        for item in enterprises:
            typer.echo(
                f"{item['enterprise_id']}\t{item['score']:g}\t{item['grade_zh']}\t{item['colour_zh']}"
            )

    @cli.command("regrade")
    def regrade_command(
        region: str | None = typer.Option(
            None, "--region", help="Region code (6 digits); every region without it."
        ),
    ) -> None:
        """Grade the directory's enterprises from the platform's records and write their risk
        scores (daily, e.g. from cron; a run with no change of evidence records nothing)."""
        graded = evaluate_region(database(), SYSTEM, region)
        typer.echo(
            f"评价 {len(graded.grades)} 家企业，{len(graded.changed)} 家信用评价有变化 / "
            f"{len(graded.grades)} graded, {len(graded.changed)} changed"
        )


def _day(text: str | None, option: str) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InputError(
            f"{option}“{text}”不是日期（应为 YYYY-MM-DD）/ {option} {text!r} is not a date"
        ) from None
