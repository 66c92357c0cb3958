"""The task ledger as the Excel sheet bureaus exchange (任务台账): 序号 / 工作任务 / 牵头单位 /
配合单位 / 完成时限 / 进展情况.

Export writes a title row, that header and one row per task. Import reads such a sheet back (the
header may sit in any of the first rows, columns in any order) and turns each 进展情况 cell into a
progress report of the task with that 序号 — only when it differs from the task's latest report,
so importing the same sheet twice changes nothing. A sheet with any bad row is refused as a
whole, with every bad row's number.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Any, Final

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ecogov.plans.access import PLANS
from ecogov.plans.models import Plan, Task
from ecogov.plans.queries import TaskFilter, TaskRow, latest_progress, task_ledger
from ecogov.plans.service import add_report_to
from ecogov.platform.db import Database
from ecogov.platform.errors import InputError, NotFound
from ecogov.platform.exports import xlsx_row
from ecogov.platform.permissions import authorize
from ecogov.platform.scope import Principal

HEADER: Final = ("序号", "工作任务", "牵头单位", "配合单位", "完成时限", "进展情况")
XLSX_MEDIA_TYPE: Final = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER_SEARCH_ROWS: Final = 10
"""The header row is looked for in the first rows (a title row may come before it)."""
MAX_REPORTED_ERRORS: Final = 20
WIDTHS: Final = (10, 60, 24, 24, 14, 40)


def export_tasks(db: Database, principal: Principal, plan_id: int, flt: TaskFilter) -> bytes:
    """The plan's tasks (narrowed by the ledger's filter) as an .xlsx workbook."""
    rows = task_ledger(db, principal, replace(flt, plan=plan_id))
    with db.transaction(principal) as session:
        plan = session.get(Plan, plan_id)
        if plan is None:
            raise NotFound(f"plan {plan_id} does not exist")
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


def _text(value: Any) -> str:
    """A cell as text: integral floats without ``.0`` (Excel stores 序号 1 as 1.0)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _lines(data: bytes, filename: str) -> Iterator[_Line]:
    """The data rows of the first sheet, after its header row."""
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise InputError(f"{filename}: not an Excel .xlsx workbook ({exc})") from None
    sheet = workbook.worksheets[0]
    columns: dict[str, int] | None = None
    for index, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        cells = [_text(value) for value in values]
        if columns is None:
            if "序号" in cells and "进展情况" in cells:
                columns = {name: cells.index(name) for name in HEADER if name in cells}
            elif index >= HEADER_SEARCH_ROWS:
                break
            continue
        number = cells[columns["序号"]] if columns["序号"] < len(cells) else ""
        progress = cells[columns["进展情况"]] if columns["进展情况"] < len(cells) else ""
        if number or progress:
            yield _Line(index, number, progress)
    workbook.close()
    if columns is None:
        raise InputError(
            f"{filename}: no header row with 序号 and 进展情况 in the first "
            f"{HEADER_SEARCH_ROWS} rows (export the ledger to see the layout)"
        )


def _check(lines: Sequence[_Line], tasks: dict[str, list[Task]], plan_id: int) -> list[str]:
    """Every problem of the sheet, as 'row N: …'."""
    errors: list[str] = []
    seen: dict[str, int] = {}
    for line in lines:
        where = f"row {line.row}"
        if not line.number:
            errors.append(f"{where}: 序号 is empty")
            continue
        matches = tasks.get(line.number, [])
        if not matches:
            errors.append(f"{where}: 序号 {line.number!r} is not a task of plan {plan_id}")
        elif len(matches) > 1:
            errors.append(f"{where}: 序号 {line.number!r} names {len(matches)} tasks of the plan")
        elif line.progress and matches[0].status == "closed":
            errors.append(f"{where}: task {line.number} is closed; reopen it before reporting")
        if line.number in seen:
            errors.append(f"{where}: 序号 {line.number!r} repeats row {seen[line.number]}")
        seen.setdefault(line.number, line.row)
    return errors


def import_progress(
    db: Database, principal: Principal, plan_id: int, data: bytes, filename: str
) -> ImportResult:
    """Add the sheet's 进展情况 as progress reports of the plan's tasks, matched by 序号."""
    authorize(principal, "import", PLANS)
    lines = list(_lines(data, filename))
    with db.transaction(principal, action="plans.task.import") as session:
        if session.get(Plan, plan_id) is None:
            raise NotFound(f"plan {plan_id} does not exist")
        by_number: dict[str, list[Task]] = {}
        for task in session.scalars(
            select(Task).options(selectinload(Task.units)).where(Task.plan_id == plan_id)
        ):
            by_number.setdefault(task.number, []).append(task)
        errors = _check(lines, by_number, plan_id)
        if errors:
            more = len(errors) - MAX_REPORTED_ERRORS
            listed = "; ".join(errors[:MAX_REPORTED_ERRORS])
            raise InputError(f"{filename}: {listed}" + (f"; and {more} more" if more > 0 else ""))
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
        return ImportResult(reported, unchanged)
