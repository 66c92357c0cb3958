"""Air monitoring logic: station registry, imports into the store, reads for the engine."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl
from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from ecogov.monitoring.air.access import STATIONS
from ecogov.monitoring.air.importers import READERS, ParsedFile, RowError, StationRecord
from ecogov.monitoring.air.indicators import clear_cache
from ecogov.monitoring.air.models import AirFlag, AirStation
from ecogov.monitoring.air.store import upsert_hourly
from ecogov.platform import audit
from ecogov.platform.db import Database
from ecogov.platform.errors import InputError, PermissionDenied
from ecogov.platform.permissions import allowed, authorize
from ecogov.platform.scope import Principal, region_prefix
from ecogov.regions.service import place

MAX_ERRORS_SHOWN = 10
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
        raise InputError(f"unregistered station(s): {', '.join(unknown[:20])}")
    counts = upsert_hourly(session.connection(), rows)
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


def read_file(fmt: str, path: Path) -> ParsedFile:
    """Parse one file of ``fmt`` (no database work)."""
    reader = READERS.get(fmt)
    if reader is None:
        raise InputError(f"unknown format {fmt!r}; use one of {', '.join(READERS)}")
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    return reader(path)


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
    ``skip_bad_rows`` (then the good rows are stored and the bad ones counted as rejected)."""
    _require_importer(principal)
    if parsed.errors and not skip_bad_rows:
        raise InputError(_refusal(path, parsed.errors))
    report = ImportReport(
        files=1,
        rows_read=parsed.rows_read,
        values=parsed.values,
        rejected=len(parsed.errors),
        errors=[str(e) for e in parsed.errors],
    )
    with db.transaction(principal, action=f"air.import.{fmt}") as session:
        ids, report.stations_inserted, report.stations_updated = upsert_stations(
            session, parsed.stations, parsed.source
        )
        _check_scope(session, principal, ids, parsed)
        report.inserted, report.updated = _store(session, parsed, ids)
        audit.record(
            session,
            f"air.import.{fmt}",
            entity="air_hourly",
            entity_id=path.name,
            details={"file": path.name, **{k: v for k, v in vars(report).items() if k != "errors"}},
        )
    clear_cache()
    return report


def import_file(
    db: Database, principal: Principal, fmt: str, path: Path, *, skip_bad_rows: bool = False
) -> ImportReport:
    """Import one file in one transaction (see :func:`store_file`)."""
    _require_importer(principal)
    parsed = read_file(fmt, path)
    return store_file(db, principal, fmt, path, parsed, skip_bad_rows=skip_bad_rows)


def _check_scope(
    session: Session, principal: Principal, ids: dict[str, int], parsed: ParsedFile
) -> None:
    """Officers import data of stations in their region only (the ``import`` scope)."""
    codes = {record.code for record in parsed.stations}
    for station in session.scalars(select(AirStation).where(AirStation.code.in_(codes))):
        if not allowed(principal, "import", STATIONS, station):
            raise PermissionDenied(
                f"站点 {station.code}（{station.region_code}）不在您的辖区内"
                f"（station {station.code} ({station.region_code}) is outside your region）"
            )


def _refusal(path: Path, errors: Sequence[RowError]) -> str:
    shown = "; ".join(str(e) for e in errors[:MAX_ERRORS_SHOWN])
    more = f" (+{len(errors) - MAX_ERRORS_SHOWN} more)" if len(errors) > MAX_ERRORS_SHOWN else ""
    return f"{path.name}: {len(errors)} bad row(s), nothing imported: {shown}{more}"


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
    """
    _require_importer(principal)
    total = ImportReport()
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
    total.errors.extend(f"{path.name}: {e}" for e in report.errors)


def list_stations(
    db: Database, principal: Principal, region: str | None = None
) -> list[StationView]:
    """Stations visible to ``principal``, optionally within ``region``, by code."""
    with db.transaction(principal) as session:
        stmt = select(AirStation).order_by(AirStation.code)
        if region:
            stmt = stmt.where(AirStation.region_code.startswith(region_prefix(region)))
        return [_view(s) for s in session.scalars(stmt)]
