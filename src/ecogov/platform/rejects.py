"""The file-import rejects ledger (导入拒收记录): every import run and the rows it rejected.

Every file import (air, water, plans …) records one :class:`ImportRun` — who imported which
file, when, whether it was imported, partly imported (bad rows skipped) or refused — and one
:class:`ImportReject` per bad row (file, row, column, value, reason). A refused import rolls its
data back, but its run and rejects are still recorded (:func:`record_refused`, in a transaction
of their own), so the ledger says why a file did not arrive.

Runs and rejects are region-scoped by the importer's region: officers see their region's, admins
all (the scope guard of ``ecogov.platform.scope`` applies, as to every scoped table).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Final

import polars as pl
from sqlalchemy import ForeignKey, Integer, String, insert, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from ecogov.platform import audit
from ecogov.platform.db import Database
from ecogov.platform.errors import InputError, NotFound, PermissionDenied
from ecogov.platform.exports import Column, ColumnSpec
from ecogov.platform.i18n import Catalogue, register
from ecogov.platform.models import Base, IdMixin, RegionScoped, UTCDateTime, utcnow
from ecogov.platform.readers import RowError
from ecogov.platform.scope import Principal, principal_of

NATIONAL: Final = "000000"
"""Region of runs made by a principal without a region (the system, admins)."""
STATUSES: Final = ("imported", "partial", "refused")
"""An import run's outcome: every row stored; good rows stored, bad ones skipped; nothing."""
STATUS_NAMES: Final = {"imported": "已导入", "partial": "部分导入", "refused": "已拒收"}
MAX_REJECTS_STORED: Final = 1000
"""Rejects stored per run (the run keeps the full count)."""
_TEXT: Final = 255

MESSAGES: Catalogue = {
    "audit.entity.import_run": ("导入批次", "Import run"),
    "audit.entity.import_reject": ("导入拒收记录", "Import reject"),
    "import.rejects": ("导入拒收记录", "Import rejects"),
    "import.runs": ("导入批次", "Import runs"),
    "import.run": ("批次", "Run"),
    "import.domain": ("业务", "Domain"),
    "import.domain.all": ("全部", "All"),
    "import.domain.air": ("环境空气", "Air"),
    "import.domain.water": ("地表水", "Surface water"),
    "import.domain.plans": ("规划任务", "Plans"),
    "import.file": ("文件", "File"),
    "import.status": ("结果", "Outcome"),
    "import.status.imported": (STATUS_NAMES["imported"], "Imported"),
    "import.status.partial": (STATUS_NAMES["partial"], "Partly imported (bad rows skipped)"),
    "import.status.refused": (STATUS_NAMES["refused"], "Refused (nothing imported)"),
    "import.rows_read": ("读取行数", "Rows read"),
    "import.rows_rejected": ("拒收行数", "Rows rejected"),
    "import.rejected_rows": ("拒收的行", "Rejected rows"),
    "import.row": ("行号", "Row"),
    "import.column": ("列", "Column"),
    "import.value": ("值", "Value"),
    "import.reason": ("原因", "Reason"),
    "import.skip_bad_rows": (
        "跳过错误行，只导入正确的行（默认：有错误行时全部不导入）",
        "Skip bad rows and import the good ones (default: all or nothing)",
    ),
}
register(MESSAGES)


class ImportRun(IdMixin, RegionScoped, Base):
    """One import of one file: who, when, what, and the outcome with its counts."""

    __tablename__ = "import_run"
    __audited__ = False  # the import's own audit entry covers it (or record_refused's)

    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(64))
    domain: Mapped[str] = mapped_column(String(32), index=True)
    fmt: Mapped[str] = mapped_column(String(32))
    file: Mapped[str] = mapped_column(String(_TEXT))
    status: Mapped[str] = mapped_column(String(16))
    rows_read: Mapped[int] = mapped_column(Integer)
    rows_rejected: Mapped[int] = mapped_column(Integer)


class ImportReject(IdMixin, RegionScoped, Base):
    """A rejected row of an import run: where (file, row, column), the value and why."""

    __tablename__ = "import_reject"
    __audited__ = False  # the run is audited; one entry per bad row would drown the log

    run_id: Mapped[int] = mapped_column(ForeignKey("import_run.id", ondelete="CASCADE"), index=True)
    file: Mapped[str] = mapped_column(String(_TEXT))
    row: Mapped[int] = mapped_column(Integer)
    column: Mapped[str | None] = mapped_column(String(128))
    value: Mapped[str | None] = mapped_column(String(_TEXT))
    reason_zh: Mapped[str] = mapped_column(String(500))
    reason_en: Mapped[str] = mapped_column(String(500))


def _clip(text: str | None, length: int) -> str | None:
    return None if text is None else text[:length]


def record_run(
    session: Session,
    *,
    domain: str,
    fmt: str,
    file: str,
    status: str,
    rows_read: int,
    errors: Sequence[RowError],
    rejected: int | None = None,
    on_behalf_of: Principal | None = None,
    region_code: str | None = None,
) -> int:
    """Record an import run and its rejects in ``session`` (the import's own transaction when
    it stored data); returns the run's id. ``rejected`` is the full count of bad rows when
    ``errors`` holds only the first of them. A run the system records for a user who may not
    write the ledger (an enterprise user) names that user (``on_behalf_of``) and the region the
    rows belong to (``region_code``), so its officers see the rejects."""
    if status not in STATUSES:
        raise ValueError(f"status {status!r} is not one of {', '.join(STATUSES)}")
    principal = on_behalf_of or principal_of(session)
    region = region_code or principal.region_code or NATIONAL
    run = ImportRun(
        region_code=region,
        actor=principal.username,
        domain=domain,
        fmt=fmt,
        file=_clip(file, _TEXT) or "",
        status=status,
        rows_read=rows_read,
        rows_rejected=len(errors) if rejected is None else rejected,
    )
    session.add(run)
    session.flush()
    kept = errors[:MAX_REJECTS_STORED]
    if kept:
        session.execute(
            insert(ImportReject),
            [
                {
                    "region_code": region,
                    "run_id": run.id,
                    "file": _clip(e.file, _TEXT),
                    "row": e.row,
                    "column": _clip(e.column, 128),
                    "value": _clip(e.value, _TEXT),
                    "reason_zh": _clip(e.reason_zh, 500),
                    "reason_en": _clip(e.reason_en, 500),
                }
                for e in kept
            ],
        )
    return run.id


def record_refused(
    db: Database,
    principal: Principal,
    *,
    domain: str,
    fmt: str,
    file: str,
    rows_read: int,
    errors: Sequence[RowError],
    rejected: int | None = None,
    on_behalf_of: Principal | None = None,
    region_code: str | None = None,
) -> int:
    """Record a refused import (nothing stored) in a transaction of its own, audited; the
    run's id (``on_behalf_of``, ``region_code``: as :func:`record_run`)."""
    with db.transaction(principal, action=f"{domain}.import.refused") as session:
        run_id = record_run(
            session,
            domain=domain,
            fmt=fmt,
            file=file,
            status="refused",
            rows_read=rows_read,
            errors=errors,
            rejected=rejected,
            on_behalf_of=on_behalf_of,
            region_code=region_code,
        )
        audit.record(
            session,
            f"{domain}.import.refused",
            entity="import_run",
            entity_id=str(run_id),
            details={"file": file, "fmt": fmt, "rows_read": rows_read, "rejected": rejected},
            actor=on_behalf_of,
        )
        return run_id


# --- reading the ledger ------------------------------------------------------------------------


@dataclass(frozen=True)
class RunView:
    """An import run as the rejects page shows it."""

    id: int
    at: datetime
    actor: str
    region_code: str
    domain: str
    fmt: str
    file: str
    status: str
    status_name: str
    rows_read: int
    rows_rejected: int


def _may_read(principal: Principal) -> None:
    if not principal.is_authenticated or principal.enterprise_id is not None:
        raise PermissionDenied(
            "只有管理员和业务人员可以查看导入拒收记录 / only officers read imports"
        )


def runs(
    db: Database, principal: Principal, *, domain: str | None = None, limit: int = 200
) -> list[RunView]:
    """The newest import runs the principal may see (their region and below), newest first."""
    _may_read(principal)
    if not 1 <= limit <= 5000:
        raise InputError("limit 应在 1 到 5000 之间 / limit must be between 1 and 5000")
    stmt = select(ImportRun).order_by(ImportRun.id.desc()).limit(limit)
    if domain:
        stmt = stmt.where(ImportRun.domain == domain)
    with db.transaction(principal) as session:
        return [
            RunView(
                id=run.id,
                at=run.at,
                actor=run.actor,
                region_code=run.region_code,
                domain=run.domain,
                fmt=run.fmt,
                file=run.file,
                status=run.status,
                status_name=STATUS_NAMES[run.status],
                rows_read=run.rows_read,
                rows_rejected=run.rows_rejected,
            )
            for run in session.scalars(stmt)
        ]


REJECT_COLUMNS: Final = {
    "run_id": "导入批次",
    "file": "文件",
    "row": "行号",
    "column": "列",
    "value": "值",
    "reason_zh": "原因",
    "reason_en": "Reason",
}
"""Columns of the rejects export: field → Chinese header."""


def rejects(
    db: Database, principal: Principal, *, run_id: int | None = None, limit: int = 100_000
) -> pl.DataFrame:
    """The rejects the principal may see (one run's, or every run's), by run and row: the
    :data:`REJECT_COLUMNS` fields.

    Raises:
        NotFound: ``run_id`` names no run in the principal's scope.
    """
    _may_read(principal)
    stmt = (
        select(*(getattr(ImportReject, field) for field in REJECT_COLUMNS))
        .order_by(ImportReject.run_id.desc(), ImportReject.row, ImportReject.id)
        .limit(limit)
    )
    with db.transaction(principal) as session:
        if run_id is not None:
            if session.scalars(select(ImportRun.id).where(ImportRun.id == run_id)).first() is None:
                raise NotFound(f"导入批次 {run_id} 不存在 / import run {run_id} does not exist")
            stmt = stmt.where(ImportReject.run_id == run_id)
        rows = [tuple(row) for row in session.execute(stmt)]
    schema = {
        "run_id": pl.Int64,
        "file": pl.String,
        "row": pl.Int64,
        "column": pl.String,
        "value": pl.String,
        "reason_zh": pl.String,
        "reason_en": pl.String,
    }
    return pl.DataFrame(rows, schema=schema, orient="row")


REJECT_SPEC: Final[ColumnSpec] = tuple(Column(name, zh) for name, zh in REJECT_COLUMNS.items())
"""The rejects export's declared layout (the shared column-spec mechanism of every export)."""
