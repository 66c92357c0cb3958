"""What key polluters (重点排污单位) disclose, read by anyone: the ``sources.disclosure`` kind.

Only key units (国控、省控、市控; not ``general`` enterprises) are listed, and only the fields
the kind names: name, unified social credit code, position, industry, region, key level,
permit number and permit limits by outlet. Reads go through the permission table's scoped path
(:func:`~ecogov.platform.permissions.scoped_read`) as plain column selects, so nothing else of
the registry (device passwords, meters, people) is ever loaded for a visitor.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

from sqlalchemy import Select, case, func, select

from ecogov.platform.db import Database
from ecogov.platform.errors import NotFound
from ecogov.platform.i18n import both
from ecogov.platform.permissions import scoped_read
from ecogov.platform.scope import Principal
from ecogov.platform.sqltext import contains
from ecogov.platform.tables import TableQuery
from ecogov.sources.access import DISCLOSURE
from ecogov.sources.models import KEY_LEVELS, Enterprise, Outlet, PermitLimit

DISCLOSED_LEVELS: Final = tuple(level for level in KEY_LEVELS if level != "general")
"""Key levels whose units disclose (重点排污单位名录: national, provincial, municipal)."""


@dataclass(frozen=True)
class DisclosedEnterprise:
    """A key polluter's disclosed facts (``lon``/``lat`` [WGS-84 degrees])."""

    enterprise_id: int
    uscc: str
    name: str
    industry_code: str
    industry: str
    region_code: str
    key_level: str
    permit_number: str | None
    lon: float | None
    lat: float | None


@dataclass(frozen=True)
class DisclosedLimit:
    """A permit limit [``unit``] of one outlet and factor, on the ``basis`` it applies to."""

    outlet_code: str
    outlet_name: str
    medium: str
    factor_code: str
    limit_value: float
    unit: str
    averaging: str
    basis: str


_COLUMNS: Final = (
    Enterprise.enterprise_id,
    Enterprise.uscc,
    Enterprise.name,
    Enterprise.industry_code,
    Enterprise.industry,
    Enterprise.region_code,
    Enterprise.key_level,
    Enterprise.permit_number,
    Enterprise.lon,
    Enterprise.lat,
)
SORTS: Final[dict[str, Any]] = {
    "name": Enterprise.name,
    "industry": Enterprise.industry_code,
    "level": case({level: n for n, level in enumerate(KEY_LEVELS)}, value=Enterprise.key_level),
    "region": Enterprise.region_code,
}
"""Columns the public enterprise table sorts by (key levels from 国控 down)."""


def _key_units(table: TableQuery | None = None) -> Select[*tuple[Any, ...]]:
    stmt: Select[*tuple[Any, ...]] = select(*_COLUMNS).where(
        Enterprise.key_level.in_(DISCLOSED_LEVELS)
    )
    if table is None:
        return stmt
    if table.search:
        needle = table.search.strip()
        stmt = stmt.where(contains(Enterprise.name, needle) | (Enterprise.uscc == needle.upper()))
    level = table.chosen.get("level")
    if level is not None:
        stmt = stmt.where(Enterprise.key_level == level)
    return stmt


def page_key_units(
    db: Database, principal: Principal, table: TableQuery
) -> tuple[list[DisclosedEnterprise], int]:
    """One page of the key polluters matching ``table`` (search: part of the name or the whole
    credit code; ``level`` filter; sorted in the database) and how many match."""
    stmt = _key_units(table)
    column = SORTS[table.sort_column or "name"]
    order = column.desc() if table.descending else column.asc()
    with scoped_read(db, principal, DISCLOSURE) as read:
        total = read.connection.scalar(select(func.count()).select_from(stmt.subquery())) or 0
        page = stmt.order_by(order, Enterprise.name, Enterprise.enterprise_id)
        rows = read.connection.execute(page.offset(table.offset).limit(table.size))
        return [DisclosedEnterprise(*row) for row in rows], total


def key_unit(
    db: Database, principal: Principal, enterprise_id: int
) -> tuple[DisclosedEnterprise, list[DisclosedLimit]]:
    """One key polluter's disclosed facts and permit limits (by outlet, factor, averaging).

    Raises:
        NotFound: no key polluter has this id (general enterprises do not disclose).
    """
    with scoped_read(db, principal, DISCLOSURE) as read:
        row = read.connection.execute(
            _key_units().where(Enterprise.enterprise_id == enterprise_id)
        ).first()
        if row is None:
            raise NotFound(both("sources.error.no_key_unit", id=enterprise_id))
        limits = read.connection.execute(
            select(
                Outlet.code,
                Outlet.name,
                Outlet.medium,
                PermitLimit.factor_code,
                PermitLimit.limit_value,
                PermitLimit.unit,
                PermitLimit.averaging,
                PermitLimit.basis,
            )
            .join(Outlet, Outlet.id == PermitLimit.outlet_id)
            .where(PermitLimit.enterprise_id == enterprise_id)
            .order_by(Outlet.code, PermitLimit.factor_code, PermitLimit.averaging)
        )
        return DisclosedEnterprise(*row), [DisclosedLimit(*limit) for limit in limits]
