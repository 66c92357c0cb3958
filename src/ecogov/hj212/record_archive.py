"""The Parquet archive of older months of the record store (在线监测数据归档), and reading the
records across store and archive.

Layout of an archive folder (the setting ``ECOGOV_HJ212_ARCHIVE_DIR``)::

    manifest.json                      every archived month: files, rows, times, checksums
    2026-03/330106-<sha256[:12]>.parquet   one file per month and region of the device

A file holds the store's columns (:data:`SCHEMA`), sorted by MN, CN and DataTime so a read of
one device skips the others' row groups. Files are named by their content: rewriting a month
(late rows arrived after it was archived) writes new files beside the old ones, and the old ones
go only once the new manifest is in place.

Archiving a month is transactional: its rows are read in one snapshot, written, synced to disk
and read back, the manifest is replaced atomically and synced, and only then are the rows deleted
from the store, in the same transaction that read them. If anything fails before the delete —
a full disk above all — the store keeps every row and the manifest still describes the files it
did before. If the delete fails after the manifest was replaced, the rows are in both places;
reads take the store's row over the archive's, and archiving again merges them.

Reads (:func:`read_records`) take the months the manifest lists from the Parquet files and the
rest from the store: the export and the judgement give the same answer before and after a month
is archived.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Final

import polars as pl
from sqlalchemy import Connection, delete, func, select
from sqlalchemy.orm import Session

from ecogov.hj212.access import STORE
from ecogov.hj212.models import Record
from ecogov.hj212.months import bounds, month_of
from ecogov.platform import audit
from ecogov.platform.console import os_reason
from ecogov.platform.db import Database
from ecogov.platform.errors import Conflict, InputError
from ecogov.platform.i18n import Catalogue, both, register
from ecogov.platform.periods import Period
from ecogov.platform.permissions import authorize
from ecogov.platform.scope import Principal
from ecogov.platform.settings import get_settings
from ecogov.sources.models import Device

MANIFEST: Final = "manifest.json"
FORMAT: Final = 1
"""Version of the manifest's layout."""
SCHEMA: Final = {
    "mn": pl.String,
    "cn": pl.String,
    "data_time": pl.Int64,
    "st": pl.String,
    "qn": pl.String,
    "cp": pl.String,
    "received_at": pl.Int64,
    "revisions": pl.Int64,
}
"""The columns of the store (``data_time`` [Unix s], ``received_at`` [Unix ms])."""
KEY: Final = ["mn", "cn", "data_time"]
UNKNOWN_REGION: Final = "000000"
"""The region of records whose device is no longer registered."""

ERRORS: Final[Catalogue] = {
    "hj212.error.archive_write": (
        "归档目录 {directory} 写入失败（{reason}），库中数据未删除、保持不变",
        "cannot write the archive folder {directory} ({reason_en}); the store keeps its data",
    ),
    "hj212.error.archive_verify": (
        "归档文件 {path} 读回校验失败，库中数据未删除、保持不变",
        "archive file {path} failed its read-back check; the store keeps its data",
    ),
    "hj212.error.manifest": (
        "归档清单 {path} 无法读取：{reason}",
        "archive manifest {path} cannot be read: {reason}",
    ),
    "hj212.error.archive_file": (
        "归档文件 {path} 缺失或校验和不符，无法读取已归档的月份",
        "archive file {path} is missing or fails its checksum",
    ),
    "hj212.error.archive_changed": (
        "归档 {month} 期间库中数据被修改（读取 {read} 条，删除 {deleted} 条），已撤销删除，请重试",
        "the store changed while {month} was archived (read {read}, deleted {deleted}); "
        "nothing was deleted, run it again",
    ),
}
register(ERRORS)


@dataclass(frozen=True)
class ArchivedFile:
    """One Parquet file of a month: ``path`` relative to the archive folder, the region of its
    devices, its rows, their first and last DataTime [Unix s] and the file's SHA-256."""

    path: str
    region: str
    rows: int
    min_time: int
    max_time: int
    sha256: str


@dataclass(frozen=True)
class ArchivedMonth:
    """An archived month (``2026-03``): its rows and files."""

    month: str
    rows: int
    files: tuple[ArchivedFile, ...]


def archive_dir() -> Path:
    """The archive folder of this installation (``ECOGOV_HJ212_ARCHIVE_DIR``)."""
    return get_settings().hj212_archive_dir


def read_manifest(directory: Path) -> dict[str, ArchivedMonth]:
    """The archived months by label (none when the folder has no manifest)."""
    path = directory / MANIFEST
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise InputError(both("hj212.error.manifest", path=path, reason=os_reason(exc))) from exc
    try:
        months = json.loads(text)["months"]
        return {
            entry["month"]: ArchivedMonth(
                entry["month"], entry["rows"], tuple(ArchivedFile(**f) for f in entry["files"])
            )
            for entry in months
        }
    except (ValueError, KeyError, TypeError) as exc:
        raise InputError(both("hj212.error.manifest", path=path, reason=repr(exc))) from exc


# Reading across store and archive


def _store_frame(rows: Iterable[Any], with_region: bool = False) -> pl.DataFrame:
    schema = {**SCHEMA, "region": pl.String} if with_region else SCHEMA
    return pl.DataFrame(list(rows), schema=schema, orient="row")


def archived_records(
    directory: Path,
    *,
    mn: str | None = None,
    cn: str | None = None,
    first: int | None = None,
    last: int | None = None,
    columns: Sequence[str] = tuple(SCHEMA),
) -> pl.DataFrame:
    """The ``columns`` of the archived records (:data:`SCHEMA`) of ``mn`` and ``cn`` (all when
    None) with ``first ≤ data_time < last`` [Unix s], unsorted."""
    paths = [
        directory / file.path
        for month in read_manifest(directory).values()
        for file in month.files
        if (first is None or file.max_time >= first) and (last is None or file.min_time < last)
    ]
    if not paths:
        return pl.DataFrame(schema={name: SCHEMA[name] for name in columns})
    wanted = pl.lit(True)
    if mn is not None:
        wanted &= pl.col("mn") == mn
    if cn is not None:
        wanted &= pl.col("cn") == cn
    if first is not None:
        wanted &= pl.col("data_time") >= first
    if last is not None:
        wanted &= pl.col("data_time") < last
    try:
        return pl.scan_parquet(paths, schema=SCHEMA).filter(wanted).select(columns).collect()
    except (OSError, pl.exceptions.ComputeError) as exc:
        missing = next((path for path in paths if not path.is_file()), paths[0])
        raise InputError(both("hj212.error.archive_file", path=missing)) from exc


def read_records(
    connection: Session | Connection,
    mn: str,
    *,
    cn: str | None = None,
    first: int | None = None,
    last: int | None = None,
    directory: Path | None = None,
    limit: int | None = None,
) -> pl.DataFrame:
    """The first ``limit`` (all when None) records (:data:`SCHEMA`) of ``mn`` (of ``cn`` when
    given) with ``first ≤ data_time < last`` [Unix s], by DataTime and CN, from the store and
    from the archive (``directory``, by default :func:`archive_dir`); where both hold a key, the
    store's row (no scope check: callers find the device first)."""
    stmt = select(*(Record.__table__.c[name] for name in SCHEMA)).where(Record.mn == mn)
    if cn is not None:
        stmt = stmt.where(Record.cn == cn)
    if first is not None:
        stmt = stmt.where(Record.data_time >= first)
    if last is not None:
        stmt = stmt.where(Record.data_time < last)
    stored = _store_frame(
        connection.execute(stmt.order_by(Record.data_time, Record.cn).limit(limit))
    )
    archived = archived_records(
        archive_dir() if directory is None else directory, mn=mn, cn=cn, first=first, last=last
    )
    if not archived.is_empty():
        stored = pl.concat([archived.join(stored, on=KEY, how="anti"), stored])
    ordered = stored.sort("data_time", "cn")
    return ordered if limit is None else ordered.head(limit)


# Archiving


def archive_before(
    db: Database, principal: Principal, before: Period, directory: Path
) -> list[ArchivedMonth]:
    """Archive to ``directory`` every month before ``before`` that the store holds rows of,
    month by month, and delete them from the store; the months archived. Months with no rows
    in the store are left as they are (archiving again changes nothing)."""
    authorize(principal, "update", STORE)
    cutoff = bounds(before)[0]
    done: list[ArchivedMonth] = []
    while True:
        with db.transaction(principal) as session:
            oldest = session.scalar(
                select(func.min(Record.data_time)).where(Record.data_time < cutoff)
            )
        if oldest is None:
            return done
        done.append(archive_month(db, principal, month_of(oldest), directory))


def archive_month(
    db: Database, principal: Principal, month: Period, directory: Path
) -> ArchivedMonth:
    """Archive the store's rows of ``month`` (merged with what the archive already holds of it)
    and delete them from the store once the files and manifest are on disk and verified."""
    authorize(principal, "update", STORE)
    lower, upper = bounds(month)
    with db.transaction(principal, "hj212.archive") as session:
        # One snapshot for the read and the delete: a row arriving meanwhile is not deleted
        # unseen, a row revised meanwhile makes PostgreSQL refuse the delete.
        isolation = {"isolation_level": "REPEATABLE READ"} if db.backend == "postgresql" else {}
        connection = session.connection(execution_options=isolation)
        in_month = (Record.data_time >= lower) & (Record.data_time < upper)
        region = func.coalesce(Device.region_code, UNKNOWN_REGION)
        stmt = (
            select(*(Record.__table__.c[name] for name in SCHEMA), region)
            .outerjoin(Device.__table__, Device.__table__.c.mn == Record.mn)
            .where(in_month)
        )
        store = _store_frame(connection.execute(stmt), with_region=True)
        manifest = read_manifest(directory)
        entry = _write_month(directory, month, store, manifest)
        deleted = connection.execute(delete(Record).where(in_month)).rowcount
        if deleted != store.height:
            raise Conflict(
                both(
                    "hj212.error.archive_changed",
                    month=month.label,
                    read=store.height,
                    deleted=deleted,
                )
            )
        audit.record(
            session,
            "hj212.archive",
            entity="hj212_record",
            details={"month": month.label, "deleted": deleted, **asdict(entry)},
        )
    _remove_unlisted(directory / month.label, entry)
    return entry


def _write_month(
    directory: Path, month: Period, store: pl.DataFrame, manifest: dict[str, ArchivedMonth]
) -> ArchivedMonth:
    """Write the month's files and the new manifest, synced and read back; on failure remove
    what was written and refuse, leaving the previous manifest in place."""
    previous = manifest.get(month.label)
    try:
        directory.mkdir(parents=True, exist_ok=True)
        merged = _merged(directory, previous, store)
        by_region = merged.sort("region", *KEY).group_by("region", maintain_order=True)
        files = tuple(
            _write_file(directory, month, str(region), rows.drop("region"))
            for (region,), rows in by_region
        )
        entry = ArchivedMonth(month.label, merged.height, files)
        months = {**manifest, month.label: entry}
        document = {
            "format": FORMAT,
            "months": [asdict(months[label]) for label in sorted(months)],
        }
        payload = json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")
        _write_durably(directory / f".{MANIFEST}.tmp", payload)
        os.replace(directory / f".{MANIFEST}.tmp", directory / MANIFEST)
        _sync_folder(directory)
    except OSError as exc:
        kept = manifest.get(month.label)
        _remove_unlisted(directory / month.label, kept)
        (directory / f".{MANIFEST}.tmp").unlink(missing_ok=True)
        raise InputError(
            both(
                "hj212.error.archive_write",
                directory=directory,
                reason=os_reason(exc),
                reason_en=os_reason(exc, "en"),
            )
        ) from exc
    if read_manifest(directory).get(month.label) != entry:
        raise InputError(both("hj212.error.archive_verify", path=directory / MANIFEST))
    return entry


def _merged(directory: Path, previous: ArchivedMonth | None, store: pl.DataFrame) -> pl.DataFrame:
    """The month's rows: the store's, and the archive's of keys the store does not hold."""
    if previous is None:
        return store
    frames = [
        pl.read_parquet(directory / file.path).with_columns(region=pl.lit(file.region))
        for file in previous.files
    ]
    archived = pl.concat(frames) if frames else _store_frame([], with_region=True)
    return pl.concat([archived.join(store, on=KEY, how="anti"), store])


def _write_file(directory: Path, month: Period, region: str, rows: pl.DataFrame) -> ArchivedFile:
    """Write one month-and-region file, synced, and check it reads back as ``rows``."""
    buffer = io.BytesIO()
    rows.write_parquet(buffer, compression="zstd", statistics=True, row_group_size=50_000)
    payload = buffer.getvalue()
    digest = hashlib.sha256(payload).hexdigest()
    folder = directory / month.label
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{region}-{digest[:12]}.parquet"
    temporary = folder / f".{name}.tmp"
    _write_durably(temporary, payload)
    os.replace(temporary, folder / name)
    _sync_folder(folder)
    path = folder / name
    if hashlib.sha256(path.read_bytes()).hexdigest() != digest or not pl.read_parquet(path).equals(
        rows
    ):
        raise InputError(both("hj212.error.archive_verify", path=path))
    times = rows["data_time"]
    return ArchivedFile(
        path=f"{month.label}/{name}",
        region=region,
        rows=rows.height,
        min_time=int(times.min()),  # type: ignore[arg-type]
        max_time=int(times.max()),  # type: ignore[arg-type]
        sha256=digest,
    )


def _write_durably(path: Path, payload: bytes) -> None:
    """Write ``payload`` to ``path`` and sync it to disk (removed again on failure)."""
    try:
        with path.open("wb") as out:
            out.write(payload)
            out.flush()
            os.fsync(out.fileno())
    except OSError:
        path.unlink(missing_ok=True)
        raise


def _sync_folder(folder: Path) -> None:
    """Sync a folder, so the names of files renamed into it survive a crash."""
    handle = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


def _remove_unlisted(folder: Path, entry: ArchivedMonth | None) -> None:
    """Remove the Parquet files (and temporaries) of a month folder the manifest does not list."""
    if not folder.is_dir():
        return
    listed = {Path(file.path).name for file in (entry.files if entry else ())}
    for path in folder.iterdir():
        if path.name not in listed:
            path.unlink(missing_ok=True)
