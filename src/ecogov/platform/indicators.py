"""The registry of named indicators (指标) that targets bind to.

Each domain declares the indicators it can compute (``Domain.indicators``): ``air.good_day_ratio``
from the air engine, ``water.share_I_III`` from the water engine, and so on. An indicator is
computed for a region and a year; for the current year it gives the year-to-date value. Manually
reported indicators (a unit enters the value with evidence) are declared the same way with
``manual=True``; the plans domain stores their values.

An indicator that names the ``version`` of its source data is computed once per (region, year)
and data version and stored (table ``indicator_value``): pages read the stored value, and the
import that changes the data computes afresh the values asked for before (:func:`refresh`), so
no page pays for an evaluation of a year of monitoring data (issue 14). A value of the current
(or a later) year also depends on the day (year to date): it is reused on the day it was
computed only.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Final

from sqlalchemy import (
    Boolean,
    Date,
    Float,
    Integer,
    Row,
    String,
    UniqueConstraint,
    delete,
    select,
)
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from ecogov.platform import clock
from ecogov.platform.i18n import Catalogue, register
from ecogov.platform.models import Base, IdMixin

if TYPE_CHECKING:
    from ecogov.platform.db import Database
    from ecogov.platform.maps import LegendSource

MESSAGES: Final[Catalogue] = {
    "audit.entity.indicator_value": ("指标计算值", "Stored indicator value"),
    "audit.entity.data_version": ("数据版本", "Data version"),
}
register(MESSAGES)


class Aggregation(StrEnum):
    """How a year-to-date value projects to the whole year."""

    LEVEL = "level"  # a mean, share or rate: the year-to-date value is the projection
    COUNT = "count"  # a count of days or events: scales with the elapsed part of the year


@dataclass(frozen=True)
class IndicatorValue:
    """An indicator's value for a region and year, with its coverage."""

    value: float
    year: int
    partial: bool = False
    elapsed_fraction: float = 1.0
    expected: int | None = None
    valid: int | None = None


Compute = Callable[["Database", str, int], IndicatorValue | None]
"""(database, region code, year) → value, or None when there are no data."""

DataVersion = Callable[["Database"], int]
"""The version of an indicator's source data in the database: it changes with every write of
those data, whichever process made it (the id of the domain's newest import run, or the
counter :func:`bump` keeps for a source)."""


@dataclass(frozen=True)
class Indicator:
    """A named indicator: what it measures, its unit, which direction is better."""

    key: str
    name_zh: str
    name_en: str
    unit: str
    higher_is_better: bool
    aggregation: Aggregation = Aggregation.LEVEL
    compute: Compute | None = None
    manual: bool = False
    scale: LegendSource | None = None
    """Absolute classes of the indicator from its standard (e.g. GB 3095 limits), for maps."""
    version: DataVersion | None = None
    """The version of the source data; with it, computed values are stored (see the module)."""

    def projection(self, value: IndicatorValue) -> float:
        """The whole-year value implied by a year-to-date value."""
        if self.aggregation is Aggregation.COUNT and value.partial and value.elapsed_fraction > 0:
            return value.value / value.elapsed_fraction
        return value.value


def registry() -> dict[str, Indicator]:
    """Every indicator of every installed domain, by key."""
    from ecogov.platform.plugins import domains

    found: dict[str, Indicator] = {}
    for domain in domains():
        for indicator in domain.indicators:
            if indicator.key in found:
                raise ValueError(f"indicator {indicator.key} declared twice")
            found[indicator.key] = indicator
    return found


class StoredIndicatorValue(IdMixin, Base):
    """An indicator's value for a region and year as computed from one version of its data
    (``has_value`` false: there were no data). Derived data, recomputed at will: not audited,
    and read only through the indicator's compute, which runs with the system's scope."""

    __tablename__ = "indicator_value"
    __table_args__ = (UniqueConstraint("indicator", "region_code", "year"),)
    __audited__ = False
    __scope_exempt__ = True

    indicator: Mapped[str] = mapped_column(String(64))
    region_code: Mapped[str] = mapped_column(String(6))
    year: Mapped[int] = mapped_column(Integer)
    data_version: Mapped[int] = mapped_column(Integer)
    computed_on: Mapped[date] = mapped_column(Date)
    has_value: Mapped[bool] = mapped_column(Boolean)
    value: Mapped[float] = mapped_column(Float)
    partial: Mapped[bool] = mapped_column(Boolean)
    elapsed_fraction: Mapped[float] = mapped_column(Float)
    expected: Mapped[int | None] = mapped_column(Integer)
    valid: Mapped[int | None] = mapped_column(Integer)


class SourceVersion(Base):
    """A counter of the writes of one source of data (``air``), raised in the transaction of
    each write (:func:`bump`): what is computed from the source keys on it."""

    __tablename__ = "data_version"
    __audited__ = False
    __scope_exempt__ = True

    source: Mapped[str] = mapped_column(String(32), primary_key=True)
    version: Mapped[int] = mapped_column(Integer)


_STORED = Base.metadata.tables[StoredIndicatorValue.__tablename__]
_VERSIONS = Base.metadata.tables[SourceVersion.__tablename__]


def bump(connection: Connection, source: str) -> None:
    """Raise the version of ``source`` in the writer's transaction (its data changed)."""
    upsert = sqlite_insert if connection.dialect.name == "sqlite" else postgresql_insert
    statement = upsert(_VERSIONS).values(source=source, version=1)
    connection.execute(
        statement.on_conflict_do_update(
            index_elements=["source"], set_={"version": _VERSIONS.c.version + 1}
        )
    )


def source_version(db: Database, source: str) -> int:
    """The version of ``source`` (0 before its first write)."""
    stmt = select(_VERSIONS.c.version).where(_VERSIONS.c.source == source)
    with db.engine.connect() as connection:
        return int(connection.execute(stmt).scalar() or 0)


def _current(row: Row[Any] | None, version: int, today: date) -> bool:
    """Whether a stored row still holds the value: same data, and for a year not over when it
    was computed, the same day."""
    if row is None or row.data_version != version:
        return False
    computed_on: date = row.computed_on
    return row.year < computed_on.year or computed_on == today


def _from_row(row: Row[Any]) -> IndicatorValue | None:
    if not row.has_value:
        return None
    return IndicatorValue(
        value=row.value,
        year=row.year,
        partial=row.partial,
        elapsed_fraction=row.elapsed_fraction,
        expected=row.expected,
        valid=row.valid,
    )


def _store(
    db: Database, key: str, region: str, year: int, version: int, value: IndicatorValue | None
) -> None:
    """Replace the stored value; a concurrent request storing the same key first wins."""
    row = {
        "indicator": key,
        "region_code": region,
        "year": year,
        "data_version": version,
        "computed_on": clock.today(),
        "has_value": value is not None,
        "value": value.value if value else 0.0,
        "partial": value.partial if value else False,
        "elapsed_fraction": value.elapsed_fraction if value else 1.0,
        "expected": value.expected if value else None,
        "valid": value.valid if value else None,
    }
    c = _STORED.c
    try:
        with db.engine.begin() as connection:
            connection.execute(
                delete(_STORED).where(c.indicator == key, c.region_code == region, c.year == year)
            )
            connection.execute(_STORED.insert().values(row))
    except IntegrityError:
        pass  # stored by another request meanwhile, from the same data


def _compute_and_store(
    db: Database, indicator: Indicator, region: str, year: int, version: int
) -> IndicatorValue | None:
    assert indicator.compute is not None
    value = indicator.compute(db, region, year)
    _store(db, indicator.key, region, year, version, value)
    return value


def value_of(db: Database, indicator: Indicator, region: str, year: int) -> IndicatorValue | None:
    """The indicator's value for a region and year (None without data or a compute): the
    stored value while its data are unchanged, else computed (and stored, when the indicator
    names its data's version)."""
    if indicator.compute is None:
        return None
    if indicator.version is None:
        return indicator.compute(db, region, year)
    version = indicator.version(db)
    c = _STORED.c
    with db.engine.connect() as connection:
        row = connection.execute(
            select(_STORED).where(
                c.indicator == indicator.key, c.region_code == region, c.year == year
            )
        ).first()
    if row is not None and _current(row, version, clock.today()):
        return _from_row(row)
    return _compute_and_store(db, indicator, region, year, version)


def refresh(db: Database, prefix: str, indicators: Mapping[str, Indicator] | None = None) -> int:
    """Compute afresh every stored value of the indicators whose key starts with ``prefix``
    (``"air."``) that no longer holds, after an import changed their data: the regions and
    years pages asked for get their new values now, not on the next page view. Returns how many
    values were computed. ``indicators``: the registry unless given."""
    today = clock.today()
    computed = 0
    for key, indicator in (registry() if indicators is None else indicators).items():
        if not key.startswith(prefix) or indicator.version is None or indicator.compute is None:
            continue
        version = indicator.version(db)
        with db.engine.connect() as connection:
            rows = connection.execute(select(_STORED).where(_STORED.c.indicator == key)).all()
        stale = [(r.region_code, r.year) for r in rows if not _current(r, version, today)]
        for region, year in stale:
            _compute_and_store(db, indicator, region, year, version)
            computed += 1
    return computed
