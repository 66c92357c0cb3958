"""The task ledger as the Excel sheet bureaus exchange (任务台账): 序号 / 任务 / 牵头单位 /
配合单位 / 完成时限 / 状态 / 进展 / 逾期天数 (:data:`TASK_SPEC`, written through the platform's
column-spec export).

Export writes a title row, that header and one row per task. Import reads such a sheet back (the
header may sit in any of the first rows, columns in any order) and turns each 进展 cell into a
progress report of the task with that 序号 — only when it differs from the task's latest report,
so importing the same sheet twice changes nothing. A sheet with any bad row is refused as a
whole, with every bad row's number, and its rejects are recorded (``ecogov.platform.rejects``).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Final

import polars as pl
from fastapi.responses import Response
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ecogov.plans.access import PLANS
from ecogov.plans.messages import MESSAGES
from ecogov.plans.models import Plan, Task
from ecogov.plans.queries import TaskFilter, TaskRow, latest_progress, task_ledger
from ecogov.plans.service import add_report_to
from ecogov.plans.workflow import TASK
from ecogov.platform import rejects
from ecogov.platform.db import Database
from ecogov.platform.errors import NotFound
from ecogov.platform.exports import Column, ColumnSpec, download_spec, labelled
from ecogov.platform.i18n import Catalogue, both, register
from ecogov.platform.permissions import authorize
from ecogov.platform.readers import RejectedFile, RowError, open_table, resolve_columns
from ecogov.platform.scope import Principal

ERRORS: Final[Catalogue] = {
    "plans.error.no_plan": ("规划 {id} 不存在", "plan {id} does not exist"),
}
register(ERRORS)

STATE_NAMES: Final = {state: MESSAGES[f"plans.state.{state}"][0] for state in TASK.states}
"""Workflow states as the ledger names them (已交办, 推进中, 已逾期 …)."""


def chinese_date(value: date) -> str:
    """A deadline as a ledger writes it: ``2026年6月30日``."""
    return f"{value.year}年{value.month}月{value.day}日"


TASK_SPEC: Final[ColumnSpec] = (
    Column("number", "序号", width=8),
    Column("task", "任务", width=60),
    Column("lead", "牵头单位", width=24),
    Column("co", "配合单位", width=24),
    Column("due", "完成时限", chinese_date, width=16),
    Column("status", "状态", labelled(STATE_NAMES), width=10),
    Column("progress", "进展", width=40),
    Column("overdue_days", "逾期天数", width=10),
)
"""The task ledger (任务台账) as bureaus exchange it; 逾期天数 counts days past the deadline on
the day of the export (empty when not overdue)."""
HEADER: Final = tuple(column.zh for column in TASK_SPEC)
PROGRESS_ALIASES: Final = ("进展情况", "工作进展", "进展")
"""Headers an imported sheet may give its progress column (older exports said 进展情况)."""
IMPORT_FORMAT: Final = "tasks-xlsx"
"""The format name of a task-ledger import in the rejects ledger."""
HEADER_SEARCH_ROWS: Final = 10
"""The header row is looked for in the first rows (a title row may come before it)."""


def _joined(units: Sequence[str]) -> str | None:
    return "、".join(units) or None


def ledger_frame(rows: Sequence[TaskRow], today: date) -> pl.DataFrame:
    """Task rows as the frame :data:`TASK_SPEC` lays out."""
    return pl.DataFrame(
        {
            "number": [row.number for row in rows],
            "task": [row.text for row in rows],
            "lead": [_joined(row.lead_units) for row in rows],
            "co": [_joined(row.co_units) for row in rows],
            "due": [row.due for row in rows],
            "status": [row.status for row in rows],
            "progress": [row.progress or None for row in rows],
            "overdue_days": [row.overdue_days(today) for row in rows],
        },
        schema={
            "number": pl.String,
            "task": pl.String,
            "lead": pl.String,
            "co": pl.String,
            "due": pl.Date,
            "status": pl.String,
            "progress": pl.String,
            "overdue_days": pl.Int64,
        },
    )


def export_tasks(
    db: Database, principal: Principal, plan_id: int, flt: TaskFilter, today: date
) -> Response:
    """The plan's tasks (narrowed by the ledger's filter) as the ``任务台账`` workbook: a title
    row, then :data:`TASK_SPEC` (through the platform's export, formula-safe)."""
    rows = task_ledger(db, principal, replace(flt, plan=plan_id))
    with db.transaction(principal) as session:
        plan = session.get(Plan, plan_id)
        if plan is None:
            raise NotFound(both("plans.error.no_plan", id=plan_id))
        title = plan.title
    return download_spec(
        ledger_frame(rows, today),
        TASK_SPEC,
        "xlsx",
        f"plan-{plan_id}-tasks",
        sheet="任务台账",
        title=f"{title} 重点任务台账",
    )


@dataclass(frozen=True)
class ImportResult:
    """What an import did: progress reports added, rows already up to date."""

    reported: int
    unchanged: int


@dataclass(frozen=True)
class _Line:
    """A data row of the sheet: its Excel row number, 序号 and 进展情况."""

    row: int
    number: str
    progress: str


def _lines(data: bytes, filename: str) -> Iterator[_Line]:
    """The data rows of the first sheet, after its header row (read by the platform's reader:
    the header is looked for in the first rows, a title row may come before it)."""
    columns = {"序号": (), "进展": PROGRESS_ALIASES}
    with open_table(
        filename, data, header_search_rows=HEADER_SEARCH_ROWS, is_header=columns
    ) as table:
        found = resolve_columns(filename, table.header, columns, columns)
        number_column, progress_column = found["序号"], found["进展"]
        assert number_column is not None
        assert progress_column is not None
        for row, cells in table.records():
            number, progress = cells[number_column], cells[progress_column]
            if number or progress:
                yield _Line(row, number, progress)


def _check(
    lines: Sequence[_Line], tasks: dict[str, list[Task]], plan_id: int, filename: str
) -> list[RowError]:
    """Every problem of the sheet, row by row."""
    errors: list[RowError] = []
    seen: dict[str, int] = {}

    def bad(line: _Line, zh: str, en: str) -> None:
        errors.append(RowError(filename, line.row, "序号", line.number, zh, en))

    for line in lines:
        if not line.number:
            bad(line, "序号为空", "序号 is empty")
            continue
        matches = tasks.get(line.number, [])
        if not matches:
            bad(
                line,
                f"序号“{line.number}”不是本规划（{plan_id}）的任务",
                f"序号 {line.number!r} is not a task of plan {plan_id}",
            )
        elif len(matches) > 1:
            bad(
                line,
                f"序号“{line.number}”对应本规划的 {len(matches)} 项任务",
                f"序号 {line.number!r} names {len(matches)} tasks of the plan",
            )
        elif line.progress and matches[0].status == "closed":
            bad(
                line,
                f"任务 {line.number} 已销号，请先重新打开再报送进展",
                f"task {line.number} is closed; reopen it before reporting",
            )
        if line.number in seen:
            bad(
                line,
                f"序号“{line.number}”与第 {seen[line.number]} 行重复",
                f"序号 {line.number!r} repeats row {seen[line.number]}",
            )
        seen.setdefault(line.number, line.row)
    return errors


def import_progress(
    db: Database, principal: Principal, plan_id: int, data: bytes, filename: str
) -> ImportResult:
    """Add the sheet's 进展情况 as progress reports of the plan's tasks, matched by 序号."""
    authorize(principal, "import", PLANS)
    lines = list(_lines(data, filename))
    try:
        return _import_lines(db, principal, plan_id, lines, filename)
    except RejectedFile as refused:
        rejects.record_refused(
            db,
            principal,
            domain="plans",
            fmt=IMPORT_FORMAT,
            file=filename,
            rows_read=len(lines),
            errors=refused.errors,
        )
        raise


def _import_lines(
    db: Database, principal: Principal, plan_id: int, lines: Sequence[_Line], filename: str
) -> ImportResult:
    with db.transaction(principal, action="plans.task.import") as session:
        if session.get(Plan, plan_id) is None:
            raise NotFound(both("plans.error.no_plan", id=plan_id))
        by_number: dict[str, list[Task]] = {}
        for task in session.scalars(
            select(Task).options(selectinload(Task.units)).where(Task.plan_id == plan_id)
        ):
            by_number.setdefault(task.number, []).append(task)
        errors = _check(lines, by_number, plan_id, filename)
        if errors:
            raise RejectedFile(filename, errors)
        latest = latest_progress(session, "task", [by_number[line.number][0].id for line in lines])
        reported = unchanged = 0
        for line in lines:
            task = by_number[line.number][0]
            if not line.progress or latest.get(task.id) == line.progress:
                unchanged += 1
                continue
            add_report_to(session, principal, "task", task, line.progress)
            latest[task.id] = line.progress
            reported += 1
        rejects.record_run(
            session,
            domain="plans",
            fmt=IMPORT_FORMAT,
            file=filename,
            status="imported",
            rows_read=len(lines),
            errors=[],
        )
        return ImportResult(reported, unchanged)
