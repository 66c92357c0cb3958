"""The task ledger as the Excel sheet bureaus exchange (任务台账): 序号 / 工作任务 / 牵头单位 /
配合单位 / 完成时限 / 进展情况.

Export writes a title row, that header and one row per task. Import reads such a sheet back (the
header may sit in any of the first rows, columns in any order) and turns each 进展情况 cell into a
progress report of the task with that 序号 — only when it differs from the task's latest report,
so importing the same sheet twice changes nothing. A sheet with any bad row is refused as a
whole, with every bad row's number, and its rejects are recorded (``ecogov.platform.rejects``).
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Final

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ecogov.plans.access import PLANS
from ecogov.plans.models import Plan, Task
from ecogov.plans.queries import TaskFilter, TaskRow, latest_progress, task_ledger
from ecogov.plans.service import add_report_to
from ecogov.platform import rejects
from ecogov.platform.db import Database
from ecogov.platform.errors import NotFound
from ecogov.platform.exports import xlsx_row
from ecogov.platform.i18n import Catalogue, both, register
from ecogov.platform.permissions import authorize
from ecogov.platform.readers import RejectedFile, RowError, open_table, resolve_columns
from ecogov.platform.scope import Principal

ERRORS: Final[Catalogue] = {
    "plans.error.no_plan": ("规划 {id} 不存在", "plan {id} does not exist"),
}
register(ERRORS)

HEADER: Final = ("序号", "工作任务", "牵头单位", "配合单位", "完成时限", "进展情况")
XLSX_MEDIA_TYPE: Final = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER_SEARCH_ROWS: Final = 10
"""The header row is looked for in the first rows (a title row may come before it)."""
IMPORT_FORMAT: Final = "tasks-xlsx"
"""The format name of a task-ledger import in the rejects ledger."""
WIDTHS: Final = (10, 60, 24, 24, 14, 40)


def export_tasks(db: Database, principal: Principal, plan_id: int, flt: TaskFilter) -> bytes:
    """The plan's tasks (narrowed by the ledger's filter) as an .xlsx workbook."""
    rows = task_ledger(db, principal, replace(flt, plan=plan_id))
    with db.transaction(principal) as session:
        plan = session.get(Plan, plan_id)
        if plan is None:
            raise NotFound(both("plans.error.no_plan", id=plan_id))
        title = plan.title
    return _workbook(title, rows)


def _workbook(title: str, rows: Sequence[TaskRow]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "任务台账"
    sheet.append(xlsx_row(sheet, [f"{title} 重点任务台账"]))
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADER))
    sheet.cell(1, 1).font = Font(bold=True, size=14)
    sheet.append(list(HEADER))
    for column, width in enumerate(WIDTHS, start=1):
        sheet.cell(2, column).font = Font(bold=True)
        sheet.column_dimensions[sheet.cell(2, column).column_letter].width = width
    for row in rows:
        sheet.append(
            xlsx_row(
                sheet,
                [
                    row.number,
                    row.text,
                    "、".join(row.lead_units),
                    "、".join(row.co_units),
                    row.due.isoformat() if row.due else "",
                    row.progress or "",
                ],
            )
        )
    wrap = Alignment(wrap_text=True, vertical="top")
    for line in sheet.iter_rows(min_row=3):
        for cell in line:
            cell.alignment = wrap
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


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
    columns = {"序号": (), "进展情况": ()}
    with open_table(
        filename, data, header_search_rows=HEADER_SEARCH_ROWS, is_header=columns
    ) as table:
        found = resolve_columns(filename, table.header, columns, columns)
        number_column, progress_column = found["序号"], found["进展情况"]
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
