"""Air monitoring logic: station registry, imports into the store, reads for the engine."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

import polars as pl
from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from ecogov.monitoring.air import daily
from ecogov.monitoring.air.access import STATIONS
from ecogov.monitoring.air.importers import READERS, LongFile, ParsedFile, StationRecord
from ecogov.monitoring.air.indicators import clear_cache
from ecogov.monitoring.air.models import AirFlag, AirStation
from ecogov.platform import audit, rejects
from ecogov.platform.db import Database
from ecogov.platform.errors import InputError, PermissionDenied
from ecogov.platform.i18n import Catalogue, both, register
from ecogov.platform.indicators import bump
from ecogov.platform.indicators import refresh as refresh_indicators
from ecogov.platform.periods import Period
from ecogov.platform.permissions import allowed, authorize
from ecogov.platform.readers import RejectedFile, enforce
from ecogov.platform.scope import Principal, region_prefix
from ecogov.regions.service import place

ERRORS: Final[Catalogue] = {
    "air.error.unregistered": ("站点 {codes} 尚未登记", "unregistered station(s): {codes}"),
}
register(ERRORS)

STREAMED_FORMATS = frozenset({"long-csv"})
"""Formats stored batch by batch as they are read (any size, bounded memory)."""
COUNTS = (
    "files",
    "rows_read",
    "values",
    "stations_inserted",
    "stations_updated",
    "inserted",
    "updated",
    "rejected",
)
"""The additive fields of an :class:`ImportReport`."""


@dataclass
class ImportReport:
    """What an import did, summed over its files."""

    files: int = 0
    rows_read: int = 0
    values: int = 0
    stations_inserted: int = 0
    stations_updated: int = 0
    inserted: int = 0
    updated: int = 0
    rejected: int = 0
    errors: list[str] = field(default_factory=list)
    run_id: int | None = None
    """The import run recorded in the rejects ledger (the last file's, for several files)."""

    def summary(self) -> str:
        """One line for the CLI and logs."""
        return (
            f"files={self.files} rows_read={self.rows_read} values={self.values} "
            f"inserted={self.inserted} updated={self.updated} rejected={self.rejected} "
            f"stations_inserted={self.stations_inserted} stations_updated={self.stations_updated}"
        )


@dataclass(frozen=True)
class StationView:
    """A station as pages, the API and the CLI show it."""

    id: int
    code: str
    name: str
    region_code: str
    city_code: str
    network_city: str | None
    lon: float | None
    lat: float | None
    kind: str


def _view(station: AirStation) -> StationView:
    return StationView(
        id=station.id,
        code=station.code,
        name=station.name,
        region_code=station.region_code,
        city_code=station.city_code,
        network_city=station.network_city,
        lon=station.lon,
        lat=station.lat,
        kind=station.kind,
    )


def _require_importer(principal: Principal) -> None:
    """Importing is the ``import`` action on stations in the permission table."""
    authorize(principal, "import", STATIONS)


def upsert_stations(
    session: Session, records: Iterable[StationRecord], source: str
) -> tuple[dict[str, int], int, int]:
    """Register new stations and refresh changed ones; returns code → id and the counts.

    A record without a city or coordinates can only name a station already registered.
    """
    ids: dict[str, int] = {
        str(row[0]): int(row[1]) for row in session.execute(select(AirStation.code, AirStation.id))
    }
    described = {r.code: r for r in records if r.city is not None or r.lon is not None}
    unknown = sorted({r.code for r in records} - ids.keys() - described.keys())
    if unknown:
        raise InputError(
            f"站点 {'、'.join(unknown[:20])} 尚未登记（或不在您的辖区内），请先导入站点列表 / "
            f"station(s) {', '.join(unknown[:20])} not registered (or outside your region): "
            "import the station list (cnemc-stations) or a file with their city and "
            "coordinates first"
        )
    known = (
        {
            s.code: s
            for s in session.scalars(select(AirStation).where(AirStation.code.in_(described)))
        }
        if described
        else {}
    )
    inserted = updated = 0
    for record in described.values():
        station = known.get(record.code)
        if station is None:
            region, city = place(session, record.city, record.lon, record.lat)
            station = AirStation(
                code=record.code,
                name=record.name,
                region_code=region,
                city_code=city,
                network_city=record.city,
                lon=record.lon,
                lat=record.lat,
                kind=record.kind,
                source=source,
            )
            session.add(station)
            known[record.code] = station
            inserted += 1
        elif _differs(station, record):
            station.name, station.lon, station.lat = record.name, record.lon, record.lat
            station.network_city = record.city or station.network_city
            updated += 1
    session.flush()
    if inserted:
        added = {s.city_code for code, s in known.items() if code not in ids}
        daily.registered(session.connection(), sorted(added))
    ids.update({code: s.id for code, s in known.items()})
    return ids, inserted, updated


def _differs(station: AirStation, record: StationRecord) -> bool:
    return (station.name, station.lon, station.lat) != (record.name, record.lon, record.lat)


def _store(session: Session, parsed: ParsedFile, ids: dict[str, int]) -> tuple[int, int]:
    hourly = parsed.hourly
    if hourly.is_empty():
        return 0, 0
    mapping = pl.DataFrame(
        {"station": list(ids), "station_id": list(ids.values())},
        schema={"station": pl.String, "station_id": pl.Int64},
    )
    rows = hourly.join(mapping, on="station", how="left")
    unknown = rows.filter(pl.col("station_id").is_null())["station"].unique().sort().to_list()
    if unknown:
        raise InputError(both("air.error.unregistered", codes=", ".join(unknown[:20])))
    counts = daily.store_hours(session.connection(), rows)
    if not parsed.flags.is_empty():
        flags = parsed.flags.join(mapping, on="station").select(
            "station_id", "ts", "pollutant", "flag"
        )
        keys = flags.select("station_id", "ts").unique().iter_rows()
        for station_id, ts in keys:
            session.execute(
                delete(AirFlag).where(AirFlag.station_id == station_id, AirFlag.ts == ts)
            )
        session.execute(insert(AirFlag), flags.to_dicts())
    return counts.inserted, counts.updated


def _known_format(fmt: str) -> None:
    if fmt not in READERS:
        raise InputError(
            f"未知的格式 {fmt!r}，应为 {'、'.join(READERS)} 之一 / "
            f"unknown format {fmt!r}; use one of {', '.join(READERS)}"
        )


def read_file(fmt: str, path: Path) -> ParsedFile:
    """Parse one file of ``fmt`` (no database work)."""
    _known_format(fmt)
    reader = READERS[fmt]
    if not path.is_file():
        raise InputError(f"{path}：文件不存在 / {path}: no such file")
    return reader(path)


def _refuse(db: Database, principal: Principal, fmt: str, parsed: ParsedFile) -> None:
    """Record the rejects of a file refused whole (nothing stored) and raise the refusal."""
    rejects.record_refused(
        db,
        principal,
        domain="air",
        fmt=fmt,
        file=parsed.file,
        rows_read=parsed.rows_read,
        errors=parsed.errors,
        rejected=parsed.error_count,
    )
    raise RejectedFile(parsed.file, parsed.errors, parsed.error_count)


def _finish(
    session: Session, fmt: str, path: Path, parsed: ParsedFile, report: ImportReport
) -> None:
    """Record the run (with its skipped rows) and the audit entry of a stored file."""
    report.rows_read, report.rejected = parsed.rows_read, parsed.error_count
    report.errors = [str(e) for e in parsed.errors]
    report.run_id = rejects.record_run(
        session,
        domain="air",
        fmt=fmt,
        file=path.name,
        status="partial" if parsed.error_count else "imported",
        rows_read=parsed.rows_read,
        errors=parsed.errors,
        rejected=parsed.error_count,
    )
    audit.record(
        session,
        f"air.import.{fmt}",
        entity="air_hourly",
        entity_id=path.name,
        details={"file": path.name, **{k: v for k, v in vars(report).items() if k != "errors"}},
    )


def store_file(
    db: Database,
    principal: Principal,
    fmt: str,
    path: Path,
    parsed: ParsedFile,
    *,
    skip_bad_rows: bool = False,
) -> ImportReport:
    """Store a parsed file in one transaction; a file with bad rows is refused whole unless
    ``skip_bad_rows`` (then the good rows are stored and the bad ones counted as rejected).
    The run and its rejects are recorded either way (``ecogov.platform.rejects``).

    Raises:
        RejectedFile: bad rows and not ``skip_bad_rows`` (nothing stored).
    """
    _require_importer(principal)
    parsed.file = parsed.file or path.name
    if parsed.error_count < len(parsed.errors):
        parsed.error_count = len(parsed.errors)
    if parsed.errors and not skip_bad_rows:
        _refuse(db, principal, fmt, parsed)
    report = ImportReport(files=1, values=parsed.values)
    with db.transaction(principal, action=f"air.import.{fmt}") as session:
        ids, report.stations_inserted, report.stations_updated = upsert_stations(
            session, parsed.stations, parsed.source
        )
        _check_scope(session, principal, ids, parsed)
        report.inserted, report.updated = _store(session, parsed, ids)
        _finish(session, fmt, path, parsed, report)
    clear_cache()
    return report


def store_long(
    db: Database, principal: Principal, path: Path, *, skip_bad_rows: bool = False
) -> ImportReport:
    """Stream a long file into the store batch by batch, in one transaction (memory stays that
    of one batch, whatever the file's size). Once a bad row is found and bad rows are not to be
    skipped, nothing more is stored, the rest is only checked, and the file is refused whole.

    Raises:
        RejectedFile: bad rows and not ``skip_bad_rows`` (nothing stored; rejects recorded).
    """
    _require_importer(principal)
    if not path.is_file():
        raise InputError(f"{path}：文件不存在 / {path}: no such file")
    reader = LongFile(path)
    summary = reader.summary
    report = ImportReport(files=1)
    try:
        with db.transaction(principal, action="air.import.long-csv") as session:
            for batch in reader.batches():
                if summary.errors and not skip_bad_rows:
                    continue  # refused anyway: only look for the other bad rows
                ids, inserted, updated = upsert_stations(session, batch.stations, batch.source)
                report.stations_inserted += inserted
                report.stations_updated += updated
                _check_scope(session, principal, ids, batch)
                stored, changed = _store(session, batch, ids)
                report.inserted, report.updated = report.inserted + stored, report.updated + changed
                report.values += batch.values
            enforce(path.name, summary.errors, skip_bad_rows=skip_bad_rows)
            _finish(session, "long-csv", path, summary, report)
    except RejectedFile:
        _refuse(db, principal, "long-csv", summary)
    clear_cache()
    return report


def import_file(
    db: Database, principal: Principal, fmt: str, path: Path, *, skip_bad_rows: bool = False
) -> ImportReport:
    """Import one file in one transaction (see :func:`store_file`, :func:`store_long`), then
    compute afresh the stored air indicator values it changed."""
    _require_importer(principal)
    try:
        if fmt in STREAMED_FORMATS:
            return store_long(db, principal, path, skip_bad_rows=skip_bad_rows)
        parsed = read_file(fmt, path)
        return store_file(db, principal, fmt, path, parsed, skip_bad_rows=skip_bad_rows)
    finally:
        refresh_indicators(db, "air.")


def _check_scope(
    session: Session, principal: Principal, ids: dict[str, int], parsed: ParsedFile
) -> None:
    """Officers import data of stations in their region only (the ``import`` scope)."""
    codes = {record.code for record in parsed.stations}
    for station in session.scalars(select(AirStation).where(AirStation.code.in_(codes))):
        if not allowed(principal, "import", STATIONS, station):
            raise PermissionDenied(
                f"站点 {station.code}（{station.region_code}）不在您的辖区内 / "
                f"station {station.code} ({station.region_code}) is outside your region"
            )


def import_files(
    db: Database,
    principal: Principal,
    fmt: str,
    paths: Sequence[Path],
    *,
    skip_bad_rows: bool = False,
    progress: Callable[[Path, ImportReport], None] | None = None,
) -> ImportReport:
    """Import files one transaction each, in order; stops at the first refused file.

    The next file is parsed in a background thread while the current one is stored (Polars and
    the database driver release the interpreter lock), so parsing costs almost no wall time.
    Streamed formats (long files) are read while they are stored, one file at a time.
    """
    _require_importer(principal)
    _known_format(fmt)
    try:
        return _store_files(db, principal, fmt, paths, skip_bad_rows, progress)
    finally:
        refresh_indicators(db, "air.")


def _store_files(
    db: Database,
    principal: Principal,
    fmt: str,
    paths: Sequence[Path],
    skip_bad_rows: bool,
    progress: Callable[[Path, ImportReport], None] | None,
) -> ImportReport:
    total = ImportReport()
    if fmt in STREAMED_FORMATS:
        for path in paths:
            report = store_long(db, principal, path, skip_bad_rows=skip_bad_rows)
            _add(total, report, path)
            if progress is not None:
                progress(path, report)
        return total
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="air-import") as reader:
        pending = [reader.submit(read_file, fmt, path) for path in paths[:1]]
        for index, path in enumerate(paths):
            parsed = pending[index].result()
            if index + 1 < len(paths):
                pending.append(reader.submit(read_file, fmt, paths[index + 1]))
            report = store_file(db, principal, fmt, path, parsed, skip_bad_rows=skip_bad_rows)
            _add(total, report, path)
            if progress is not None:
                progress(path, report)
    return total


def _add(total: ImportReport, report: ImportReport, path: Path) -> None:
    """Add one file's counts to the running total."""
    for name in COUNTS:
        setattr(total, name, getattr(total, name) + getattr(report, name))
    total.errors.extend(report.errors)
    total.run_id = report.run_id


def list_stations(
    db: Database, principal: Principal, region: str | None = None
) -> list[StationView]:
    """Stations visible to ``principal``, optionally within ``region``, by code."""
    with db.transaction(principal) as session:
        stmt = select(AirStation).order_by(AirStation.code)
        if region:
            stmt = stmt.where(AirStation.region_code.startswith(region_prefix(region)))
        return [_view(s) for s in session.scalars(stmt)]


def rebuild_aggregates(db: Database, principal: Principal, period: Period | None = None) -> int:
    """Recompute the stored station and city daily values of the days of ``period`` (default:
    every day with hours) from the stored hours, in one audited transaction: the backfill of an
    existing database, idempotent. How many station-days are stored."""
    _require_importer(principal)
    first, last = (None, None) if period is None else (period.first, period.last)
    with db.transaction(principal, action="air.aggregates.rebuild") as session:
        stored = daily.rebuild(session.connection(), first, last)
        bump(session.connection(), daily.AIR_DATA)  # cached evaluations read the new values
        audit.record(
            session,
            "air.aggregates.rebuild",
            entity="air_daily",
            details={"period": period and period.label, "station_days": stored},
        )
    clear_cache()
    refresh_indicators(db, "air.")
    return stored
