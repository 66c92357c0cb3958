"""Surface-water logic: the section registry, transactional imports, and the data behind the
pages and the evaluation.

Sections are region-scoped rows: the platform's scope rules filter and guard them. Observations
are bulk data written with Core statements, so every function here reaches them only through
the sections the principal may see (a scoped ORM query), and only officers and admins import.

Imports follow the platform's one rule (:func:`ecogov.platform.readers.enforce`): files with a
bad row are imported all or nothing unless bad rows are to be skipped, and every file's run and
rejected rows are recorded in the rejects ledger either way (:mod:`ecogov.platform.rejects`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Final, cast

import polars as pl
from pydantic import computed_field
from sqlalchemy import (
    Row,
    Select,
    bindparam,
    false,
    func,
    or_,
    select,
    update,
)
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from ecogov.monitoring.water import means, realtime
from ecogov.monitoring.water.access import OBSERVATIONS, SECTIONS
from ecogov.monitoring.water.importers import (
    ParsedObservations,
    ParsedSections,
    SectionRow,
    parse_long,
    parse_sections,
    parse_wide,
)
from ecogov.monitoring.water.means import (
    bulk_insert,
    means_frame,
    means_of,
    observations_of,
    samples_frame,
    years_of,
)
from ecogov.monitoring.water.models import Observation, Section
from ecogov.platform import audit, rejects
from ecogov.platform.db import Database
from ecogov.platform.errors import InputError, NotFound
from ecogov.platform.i18n import Catalogue, both, register
from ecogov.platform.indicators import refresh as refresh_indicators
from ecogov.platform.models import Base
from ecogov.platform.permissions import allowed, authorize, scoped_read
from ecogov.platform.readers import RejectedFile, RowError, enforce
from ecogov.platform.rejects import ImportRun
from ecogov.platform.scope import Principal, region_prefix
from ecogov.regions.models import Region
from ecogov.standards.gb3838 import WaterClass

ERRORS: Final[Catalogue] = {
    "water.error.out_of_scope": (
        "区域 {code} 不在权限范围内",
        "region {code} is outside your scope",
    ),
    "water.error.no_section": (
        "断面 {code} 不存在或不在权限范围内",
        "section {code} does not exist or is outside your scope",
    ),
    "water.error.import_kind": (
        "未知的导入格式 {kind!r}，应为以下之一：{allowed}",
        "unknown import format {kind!r}: use one of {allowed}",
    ),
    "water.error.no_file": ("没有要导入的文件", "no file to import"),
}
register(ERRORS)

__all__ = [
    "IMPORT_KINDS",
    "ImportReport",
    "SectionView",
    "data_version",
    "get_section",
    "import_files",
    "import_observations",
    "import_sections",
    "latest_observation",
    "list_sections",
    "load_observations",
    "load_period_means",
    "section_frame",
    "section_monthly_means",
    "section_observations",
    "stored_version",
]

IMPORT_KINDS: Final = ("sections", "long", "wide")
_imports = [0]  # imports done in this process: part of the key of cached evaluations
_OBSERVATIONS: Final = Base.metadata.tables[Observation.__tablename__]
_SECTIONS: Final = Base.metadata.tables[Section.__tablename__]
_KEY: Final = ["section_id", "time", "parameter"]
_FIELDS: Final = ["value", "flag", "below_detection"]


@dataclass(frozen=True)
class SectionView:
    """A section as pages, the API and the CLI show it."""

    code: str
    name: str
    water_name: str
    water_body: str
    basin: str
    region_code: str
    target_class: str
    control_level: str
    drinking_source: bool
    lon: float | None
    lat: float | None
    simulated: bool


@dataclass(frozen=True)
class ImportReport:
    """What an import did: rows (values) read, inserted, updated, unchanged and rejected, with
    each rejection's file, row, column and reason, and the columns a wide file had that name
    no water parameter."""

    kind: str
    files: tuple[str, ...]
    read: int
    inserted: int
    updated: int
    unchanged: int
    rejections: tuple[RowError, ...]
    ignored_columns: tuple[str, ...] = ()

    @computed_field  # type: ignore[prop-decorator]
    @property
    def rejected(self) -> int:
        """How many rows were rejected (part of the report the API returns)."""
        return len(self.rejections)

    def summary(self) -> str:
        """One line: ``read=… inserted=… updated=… unchanged=… rejected=…``."""
        return (
            f"read={self.read} inserted={self.inserted} updated={self.updated} "
            f"unchanged={self.unchanged} rejected={self.rejected}"
        )


def data_version() -> int:
    """How many imports this process has committed; caches of evaluations key on it."""
    return _imports[0]


def stored_version(db: Database) -> int:
    """The id of the newest water import run recorded in the database (0 before any): it
    changes with every import, whichever process ran it, so caches of evaluations key on it
    too (a count of imports, no data of any region)."""
    runs = ImportRun.__table__.c
    stmt = select(func.max(runs.id)).where(runs.domain == "water")
    with db.engine.connect() as connection:
        return int(connection.execute(stmt).scalar() or 0)


def _view(section: Section) -> SectionView:
    return SectionView(
        code=section.code,
        name=section.name,
        water_name=section.water_name,
        water_body=section.water_body,
        basin=section.basin,
        region_code=section.region_code,
        target_class=WaterClass(section.target_class).label,
        control_level=section.control_level,
        drinking_source=section.drinking_source,
        lon=section.lon,
        lat=section.lat,
        simulated=section.simulated,
    )


def _ensure_importer(principal: Principal) -> None:
    """Only officers and admins import; leaders, enterprises and the public do not."""
    authorize(principal, "import", SECTIONS)


def _enforce(files: Sequence[str], rejections: Sequence[RowError], skip_bad_rows: bool) -> None:
    """The import policy over the files imported together (one transaction)."""
    enforce("、".join(files), rejections, skip_bad_rows=skip_bad_rows)


def _record_runs(
    session: Session, kind: str, reads: Sequence[tuple[str, int]], rejections: Sequence[RowError]
) -> None:
    """One import run per file (name, rows read) with its rejects, in the import's
    transaction."""
    for file, read in reads:
        mine = [r for r in rejections if r.file == file]
        rejects.record_run(
            session,
            domain="water",
            fmt=kind,
            file=file,
            status="partial" if mine else "imported",
            rows_read=read,
            errors=mine,
        )


def _record_refused(
    db: Database,
    principal: Principal,
    kind: str,
    reads: Sequence[tuple[str, int]],
    refused: RejectedFile,
) -> None:
    """Record the runs of files refused together (nothing stored) with their rejects."""
    for file, read in reads:
        rejects.record_refused(
            db,
            principal,
            domain="water",
            fmt=kind,
            file=file,
            rows_read=read,
            errors=[r for r in refused.errors if r.file == file],
        )


def _outside(row: SectionRow, zh: str, en: str, file: str) -> RowError:
    return RowError(file, row.row, "region_code", row.region_code, zh, en)


def _within(principal: Principal, region_code: str | None) -> ColumnElement[bool]:
    """The WHERE clause limiting sections to ``region_code`` and below (checked in scope)."""
    if region_code is None:
        return Section.id.is_not(None)
    if not allowed(principal, "read", SECTIONS, region_code):
        raise NotFound(both("water.error.out_of_scope", code=region_code))
    return Section.region_code.startswith(region_prefix(region_code))


# --- the section registry ---------------------------------------------------------------------


def list_sections(
    db: Database, principal: Principal, region_code: str | None = None
) -> list[SectionView]:
    """Sections the principal may see, within ``region_code`` when given, by code."""
    with db.transaction(principal) as session:
        stmt = select(Section).where(_within(principal, region_code)).order_by(Section.code)
        return [_view(section) for section in session.scalars(stmt)]


def get_section(db: Database, principal: Principal, code: str) -> SectionView:
    """One section by code (NotFound when unknown or outside the principal's scope)."""
    with db.transaction(principal) as session:
        section = session.scalar(select(Section).where(Section.code == code))
        if section is None:
            raise NotFound(both("water.error.no_section", code=code))
        return _view(section)


def _official(cities: Sequence[str]) -> ColumnElement[bool]:
    """Every section of the prefecture cities ``cities`` (codes ``xxxx00``)."""
    return or_(false(), *(Section.region_code.startswith(city[:4]) for city in cities))


def section_frame(
    db: Database,
    principal: Principal,
    region_code: str | None = None,
    *,
    section: str | None = None,
    cities: Sequence[str] | None = None,
) -> pl.DataFrame:
    """The visible sections (within ``region_code``, or the one ``section``) as a frame:
    ``section`` (code), ``name``, ``water_name``, ``water_body``, ``basin``, ``region_code``,
    ``target_class`` (1–5), ``control_level``, ``drinking_source``, ``lon``, ``lat``,
    ``simulated``.

    With ``cities``: every section of those cities, whoever looks — a city's official figures
    are computed from all of its sections (public data, read through the scoped bulk path)."""
    columns = [
        Section.code.label("section"),
        Section.name,
        Section.water_name,
        Section.water_body,
        Section.basin,
        Section.region_code,
        Section.target_class,
        Section.control_level,
        Section.drinking_source,
        Section.lon,
        Section.lat,
        Section.simulated,
    ]
    if cities is not None:
        with scoped_read(db, principal, OBSERVATIONS) as read:
            official = select(*columns).where(_official(cities)).order_by(Section.code)
            rows = read.connection.execute(official).all()
    else:
        stmt = select(*columns).where(_within(principal, region_code)).order_by(Section.code)
        if section is not None:
            stmt = stmt.where(Section.code == section)
        with db.transaction(principal) as session:
            rows = session.execute(stmt).all()
    schema = {
        "section": pl.String,
        "name": pl.String,
        "water_name": pl.String,
        "water_body": pl.String,
        "basin": pl.String,
        "region_code": pl.String,
        "target_class": pl.Int8,
        "control_level": pl.String,
        "drinking_source": pl.Boolean,
        "lon": pl.Float64,
        "lat": pl.Float64,
        "simulated": pl.Boolean,
    }
    return pl.DataFrame([tuple(row) for row in rows], schema=schema, orient="row")


def _apply(section: Section, row: SectionRow, simulated: bool) -> bool:
    """Copy a registry row onto a section; whether anything changed."""
    wanted = {
        "name": row.name,
        "water_name": row.water_name,
        "water_body": row.water_body,
        "basin": row.basin,
        "region_code": row.region_code,
        "target_class": row.target_class,
        "control_level": row.control_level,
        "drinking_source": row.drinking_source,
        "lon": row.lon,
        "lat": row.lat,
        "simulated": simulated,
    }
    changed = {key: value for key, value in wanted.items() if getattr(section, key) != value}
    for key, value in changed.items():
        setattr(section, key, value)
    return bool(changed)


def _section_problem(
    principal: Principal, row: SectionRow, regions: set[str], hidden: set[str]
) -> tuple[str, str] | None:
    """Why a registry row may not be stored (Chinese, English), or None."""
    code = row.region_code
    if code not in regions:
        return f"行政区划 {code} 不存在", f"region {code} does not exist"
    if not allowed(principal, "import", SECTIONS, code):
        return f"行政区划 {code} 不在您的辖区内", f"region {code} is outside your scope"
    if row.code in hidden:
        return (
            f"断面 {row.code} 属于您辖区以外的区域",
            f"section {row.code} belongs to a region outside your scope",
        )
    return None


def import_sections(
    db: Database,
    principal: Principal,
    parsed: Sequence[ParsedSections],
    *,
    skip_bad_rows: bool = False,
    simulated: bool = False,
) -> ImportReport:
    """Insert or update sections by code, in one transaction (idempotent: importing the same
    rows again changes nothing). Rows naming an unknown region or one outside the principal's
    scope are rejected; any rejected row refuses everything unless ``skip_bad_rows``. Rejects
    are recorded either way.

    Raises:
        RejectedFile: a row was rejected and not ``skip_bad_rows`` (nothing stored).
    """
    _ensure_importer(principal)
    reads = [(p.file, p.read) for p in parsed]
    try:
        return _import_sections(db, principal, parsed, skip_bad_rows, simulated)
    except RejectedFile as refused:
        _record_refused(db, principal, "sections", reads, refused)
        raise


def _import_sections(
    db: Database,
    principal: Principal,
    parsed: Sequence[ParsedSections],
    skip_bad_rows: bool,
    simulated: bool,
) -> ImportReport:
    rejections = [r for p in parsed for r in p.rejections]
    rows = [(p.file, row) for p in parsed for row in p.rows]
    codes = [row.code for _, row in rows]
    inserted = updated = unchanged = 0
    with db.transaction(principal, action="water.sections.import") as session:
        regions = set(
            session.scalars(
                select(Region.code).where(Region.code.in_({r.region_code for _, r in rows}))
            )
        )
        visible = {
            s.code: s for s in session.scalars(select(Section).where(Section.code.in_(codes)))
        }
        # A Core query sees every section: a code taken in another region must not be reused.
        taken = set(session.scalars(select(_SECTIONS.c.code).where(_SECTIONS.c.code.in_(codes))))
        hidden = taken - set(visible)
        for file, row in rows:
            problem = _section_problem(principal, row, regions, hidden)
            if problem is not None:
                rejections.append(_outside(row, *problem, file))
                continue
            section = visible.get(row.code)
            if section is None:
                section = Section(code=row.code)
                _apply(section, row, simulated)
                session.add(section)
                visible[row.code] = section
                inserted += 1
            elif _apply(section, row, simulated):
                updated += 1
            else:
                unchanged += 1
        rejections.sort(key=lambda r: (r.file, r.row))
        _enforce([p.file for p in parsed], rejections, skip_bad_rows)
        report = ImportReport(
            kind="sections",
            files=tuple(p.file for p in parsed),
            read=sum(p.read for p in parsed),
            inserted=inserted,
            updated=updated,
            unchanged=unchanged,
            rejections=tuple(rejections),
        )
        _record(session, "water.sections.import", "water_section", report)
        _record_runs(session, "sections", [(p.file, p.read) for p in parsed], rejections)
    _imports[0] += 1
    refresh_indicators(db, "water.")
    return report


# --- observations -----------------------------------------------------------------------------


def _record(session: Session, action: str, entity: str, report: ImportReport) -> None:
    """One audit entry summarizing an import."""
    audit.record(
        session,
        action,
        entity=entity,
        details={
            "files": list(report.files),
            "read": report.read,
            "inserted": report.inserted,
            "updated": report.updated,
            "unchanged": report.unchanged,
            "rejected": report.rejected,
        },
    )


def _section_ids(session: Session, codes: list[str]) -> dict[str, int]:
    """Ids of the sections among ``codes`` the session's principal may see."""
    stmt = select(Section.code, Section.id).where(Section.code.in_(codes))
    return {str(code): int(section_id) for code, section_id in session.execute(stmt).all()}


_STORED_SCHEMA: Final = pl.Schema(
    {
        "section_id": pl.Int64(),
        "time": pl.Datetime("us", "UTC"),
        "parameter": pl.String(),
        "value_stored": pl.Float64(),
        "flag_stored": pl.String(),
        "below_detection_stored": pl.Boolean(),
    }
)


def _stored(session: Session, incoming: pl.DataFrame) -> pl.DataFrame:
    """The stored observations of the incoming sections over the incoming time span (none are
    read when there are none: a first import skips the comparison)."""
    columns = _OBSERVATIONS.c
    span = (
        columns.section_id.in_(incoming["section_id"].unique().to_list()),
        columns.time >= incoming["time"].min(),
        columns.time <= incoming["time"].max(),
    )
    if session.execute(select(columns.section_id).where(*span).limit(1)).first() is None:
        return pl.DataFrame(schema=_STORED_SCHEMA)
    stmt = select(
        columns.section_id,
        columns.time,
        columns.parameter,
        columns.value,
        columns.flag,
        columns.below_detection,
    ).where(*span)
    rows = [tuple(row) for row in session.execute(stmt).all()]
    return pl.DataFrame(rows, schema=_STORED_SCHEMA, orient="row")


def _changed() -> pl.Expr:
    return pl.any_horizontal(
        pl.col(field).ne_missing(pl.col(f"{field}_stored")) for field in _FIELDS
    )


def _write(session: Session, incoming: pl.DataFrame) -> tuple[int, int, int]:
    """Insert new observations and update changed ones; (inserted, updated, unchanged)."""
    if incoming.is_empty():
        return 0, 0, 0
    compared = incoming.join(_stored(session, incoming), on=_KEY, how="left")
    new = compared.filter(pl.col("value_stored").is_null())
    changed = compared.filter(pl.col("value_stored").is_not_null() & _changed())
    bulk_insert(session.connection(), _OBSERVATIONS, new.select(*_KEY, *_FIELDS))
    if not changed.is_empty():
        columns = _OBSERVATIONS.c
        stmt = (
            update(_OBSERVATIONS)
            .where(
                columns.section_id == bindparam("b_section_id"),
                columns.time == bindparam("b_time"),
                columns.parameter == bindparam("b_parameter"),
            )
            .values({field: bindparam(f"b_{field}") for field in _FIELDS})
        )
        rows = changed.select(pl.col([*_KEY, *_FIELDS]).name.prefix("b_")).to_dicts()
        session.connection().execute(stmt, rows)
    return new.height, changed.height, compared.height - new.height - changed.height


def import_observations(
    db: Database,
    principal: Principal,
    parsed: Sequence[ParsedObservations],
    *,
    skip_bad_rows: bool = False,
    kind: str = "long",
) -> ImportReport:
    """Upsert observations by (section, time, parameter) in one transaction: new keys are
    inserted, changed values (or flags) updated, identical ones left alone — importing the same
    file twice changes nothing. Rows of sections that are not registered, or outside the
    principal's scope, are rejected; any rejected row refuses everything unless
    ``skip_bad_rows``. One audit entry records the counts; rejects are recorded either way.

    Raises:
        RejectedFile: a row was rejected and not ``skip_bad_rows`` (nothing stored).
    """
    _ensure_importer(principal)
    reads = [(p.file, p.read) for p in parsed]
    try:
        return _import_observations(db, principal, parsed, skip_bad_rows, kind)
    except RejectedFile as refused:
        _record_refused(db, principal, kind, reads, refused)
        raise


def _import_observations(
    db: Database,
    principal: Principal,
    parsed: Sequence[ParsedObservations],
    skip_bad_rows: bool,
    kind: str,
) -> ImportReport:
    frame = pl.concat([p.frame for p in parsed])
    rejections = [r for p in parsed for r in p.rejections]
    with db.transaction(principal, action=f"water.observations.import.{kind}") as session:
        ids = _section_ids(session, frame["section"].unique().to_list())
        unknown = frame.filter(~pl.col("section").is_in(list(ids)))
        rejections += [
            RowError(
                file,
                row,
                "section",
                code,
                f"断面 {code} 未登记或不在您的辖区内",
                f"section {code} is not registered in your scope",
            )
            for file, row, code in unknown.select("file", "row", "section").iter_rows()
        ]
        rejections.sort(key=lambda r: (r.file, r.row))
        _enforce([p.file for p in parsed], rejections, skip_bad_rows)
        incoming = frame.filter(pl.col("section").is_in(list(ids))).with_columns(
            section_id=pl.col("section").replace_strict(ids, return_dtype=pl.Int64)
        )
        inserted, updated, unchanged = _write(session, incoming)
        means.refresh(
            session.connection(),
            incoming["section_id"].unique().to_list(),
            years_of(incoming["time"]),
        )
        report = ImportReport(
            kind=kind,
            files=tuple(p.file for p in parsed),
            read=sum(p.read for p in parsed),
            inserted=inserted,
            updated=updated,
            unchanged=unchanged,
            rejections=tuple(rejections),
            ignored_columns=tuple(c for p in parsed for c in p.ignored_columns),
        )
        _record(session, f"water.observations.import.{kind}", "water_observation", report)
        _record_runs(session, kind, [(p.file, p.read) for p in parsed], rejections)
    _imports[0] += 1
    refresh_indicators(db, "water.")
    if not incoming.is_empty():
        first, last = cast(datetime, incoming["time"].min()), cast(datetime, incoming["time"].max())
        realtime.publish(db, principal, first, last + timedelta(seconds=1))
    return report


def import_files(
    db: Database,
    principal: Principal,
    kind: str,
    files: Sequence[tuple[str, bytes]],
    *,
    section: str | None = None,
    skip_bad_rows: bool = False,
) -> ImportReport:
    """Read and import files of one ``kind`` (``sections``, ``long`` or ``wide``) together, in
    one transaction: all or nothing unless ``skip_bad_rows`` (then the good rows are stored).
    ``section`` gives the section of wide files without a section column.

    Raises:
        InputError: unknown kind, unreadable file or missing column (nothing is imported).
        RejectedFile: a bad row and not ``skip_bad_rows`` (nothing imported; rejects recorded).
    """
    if kind not in IMPORT_KINDS:
        raise InputError(
            both("water.error.import_kind", kind=kind, allowed=", ".join(IMPORT_KINDS))
        )
    if not files:
        raise InputError(both("water.error.no_file"))
    if kind == "sections":
        return import_sections(
            db,
            principal,
            [parse_sections(name, content) for name, content in files],
            skip_bad_rows=skip_bad_rows,
        )
    if kind == "wide":
        parsed = [parse_wide(name, content, section=section) for name, content in files]
    else:
        parsed = [parse_long(name, content) for name, content in files]
    return import_observations(db, principal, parsed, skip_bad_rows=skip_bad_rows, kind=kind)


# --- reading observations ---------------------------------------------------------------------


def _read_visible(
    db: Database,
    principal: Principal,
    statement: Callable[[list[int]], Select[tuple[Any, ...]]],
    region_code: str | None,
    section: str | None,
    cities: Sequence[str] | None,
) -> tuple[dict[int, str], Sequence[Row[Any]]]:
    """Section codes by id of the sections the principal may see (within ``region_code``, or
    the one ``section``; with ``cities``, every section of those cities, see
    :func:`section_frame`), and the rows of ``statement`` over their ids.

    The visible sections come from a scoped ORM query; the bulk rows are then read with a Core
    statement restricted to those sections (the bulk path)."""
    if cities is not None:
        with scoped_read(db, principal, OBSERVATIONS) as read:
            official = select(Section.id, Section.code).where(_official(cities))
            codes = {int(i): str(code) for i, code in read.connection.execute(official).all()}
            return codes, read.connection.execute(statement(list(codes))).all() if codes else []
    visible = select(Section.id, Section.code).where(_within(principal, region_code))
    if section is not None:
        visible = visible.where(Section.code == section)
    with db.transaction(principal) as session:
        codes = {int(i): str(code) for i, code in session.execute(visible).all()}
        return codes, session.execute(statement(list(codes))).all() if codes else []


def load_observations(
    db: Database,
    principal: Principal,
    *,
    start: datetime | None = None,
    end: datetime | None = None,
    region_code: str | None = None,
    section: str | None = None,
    cities: Sequence[str] | None = None,
) -> pl.DataFrame:
    """Observations in ``[start, end)`` (unbounded where None) of the sections the principal may
    see, within ``region_code`` or of one ``section`` when given (with ``cities``: of every
    section of those cities, see :func:`section_frame`): ``section`` (code), ``time`` (UTC),
    ``parameter``, ``value`` [GB 3838 units], ``flag``.

    See :func:`_read_visible` for how the sections are chosen."""
    codes, rows = _read_visible(
        db,
        principal,
        lambda ids: observations_of(ids, start, end),
        region_code,
        section,
        cities,
    )
    return samples_frame(rows, codes)


def load_period_means(
    db: Database,
    principal: Principal,
    periods: Sequence[str],
    *,
    region_code: str | None = None,
    cities: Sequence[str] | None = None,
) -> pl.DataFrame:
    """The stored means (:mod:`ecogov.monitoring.water.means`) of ``periods`` (labels) of the
    sections the principal may see, within ``region_code`` (with ``cities``: of every section
    of those cities): ``section`` (code), ``period``, ``parameter``, ``value``, ``months``."""
    codes, rows = _read_visible(
        db, principal, lambda ids: means_of(ids, periods), region_code, None, cities
    )
    return means_frame(rows, codes)


def section_monthly_means(db: Database, principal: Principal, code: str) -> pl.DataFrame:
    """The stored monthly means of one visible section (every month with observations, from
    the import): ``section`` (code), ``period`` (``YYYY-MM``), ``parameter``, ``value``,
    ``months`` (1). NotFound outside the principal's scope."""
    get_section(db, principal, code)
    codes, rows = _read_visible(db, principal, lambda ids: means_of(ids, None), None, code, None)
    return means_frame(rows, codes)


def section_observations(db: Database, principal: Principal, code: str) -> pl.DataFrame:
    """Every observation of one visible section, oldest first (see :func:`load_observations`)."""
    get_section(db, principal, code)
    return load_observations(db, principal, section=code).sort("time", "parameter")


def latest_observation(
    db: Database, principal: Principal, region_code: str | None = None
) -> datetime | None:
    """The time of the newest observation the principal may see (within ``region_code``)."""
    columns = _OBSERVATIONS.c
    stmt = (
        select(func.max(columns.time))
        .join(Section, Section.id == columns.section_id)
        .where(_within(principal, region_code))
    )
    with db.transaction(principal) as session:
        latest = session.execute(stmt).scalar()
    return latest if isinstance(latest, datetime) else None
