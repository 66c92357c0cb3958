"""Region logic: loading the registry, hierarchy queries, map geometry and the user's scope."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Final

import shapely
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ecogov.platform import audit
from ecogov.platform.db import Database
from ecogov.platform.errors import InputError, NotFound
from ecogov.platform.i18n import Catalogue, both, register
from ecogov.platform.scope import SYSTEM, Principal, region_within
from ecogov.regions.models import Region
from ecogov.regions.registry import RegistryEntry, locate, registry_entries, simplified_boundary

ERRORS: Final[Catalogue] = {
    "regions.error.province": (
        "边界省份 {code!r} 不是6位数字的省级代码",
        "boundary province {code!r} is not a 6-digit province code",
    ),
    "regions.error.no_region": ("区域 {code} 不存在", "region {code} does not exist"),
    "regions.error.out_of_scope": (
        "区域 {code} 不在权限范围内",
        "region {code} is outside your scope",
    ),
    "regions.error.place": (
        "无法在中国境内定位该站点（城市 {city!r}，经度 {lon}，纬度 {lat}）",
        "cannot place site (city {city!r}, lon {lon}, lat {lat}) in China",
    ),
}
register(ERRORS)


@dataclass(frozen=True)
class RegionView:
    """A region as services hand it to pages, the API and the CLI."""

    code: str
    name: str
    level: str
    parent_code: str | None
    center_lon: float | None
    center_lat: float | None
    has_boundary: bool


@dataclass(frozen=True)
class LoadReport:
    """What a registry load did."""

    read: int
    inserted: int
    updated: int
    boundaries: int


def _view(region: Region) -> RegionView:
    return RegionView(
        code=region.code,
        name=region.name,
        level=region.level,
        parent_code=region.parent_code,
        center_lon=region.center_lon,
        center_lat=region.center_lat,
        has_boundary=region.boundary is not None,
    )


def _wanted_row(entry: RegistryEntry, boundary_provinces: tuple[str, ...]) -> dict[str, Any]:
    row: dict[str, Any] = {
        "code": entry.code,
        "name": entry.name,
        "level": entry.level,
        "parent_code": entry.parent_code,
        "boundary": None,
        "center_lon": None,
        "center_lat": None,
    }
    if any(region_within(entry.code, province) for province in boundary_provinces):
        row["boundary"], row["center_lon"], row["center_lat"] = simplified_boundary(entry)
    return row


def load_registry(
    db: Database, boundary_provinces: tuple[str, ...], principal: Principal = SYSTEM
) -> LoadReport:
    """Load every division's code and name, and boundaries for ``boundary_provinces``.

    Idempotent: a second load with the same registry changes nothing. One transaction.
    """
    for code in boundary_provinces:
        if not (len(code) == 6 and code.isdigit() and code.endswith("0000")):
            raise InputError(both("regions.error.province", code=code))
    wanted = [_wanted_row(entry, boundary_provinces) for entry in registry_entries()]
    inserted = updated = 0
    with db.transaction(principal, action="regions.load") as session:
        existing = {region.code: region for region in session.scalars(select(Region))}
        for row in wanted:  # parents come first, so foreign keys hold at every flush
            region = existing.get(row["code"])
            if region is None:
                session.add(Region(**row))
                inserted += 1
            elif any(getattr(region, key) != value for key, value in row.items()):
                for key, value in row.items():
                    setattr(region, key, value)
                updated += 1
        if inserted or updated:
            audit.record(
                session,
                "regions.load",
                entity="region",
                details={"inserted": inserted, "updated": updated, "provinces": boundary_provinces},
            )
    boundaries = sum(1 for row in wanted if row["boundary"] is not None)
    return LoadReport(read=len(wanted), inserted=inserted, updated=updated, boundaries=boundaries)


def _get(session: Session, code: str) -> Region:
    region = session.get(Region, code)
    if region is None:
        raise NotFound(both("regions.error.no_region", code=code))
    return region


def get_region(db: Database, principal: Principal, code: str) -> RegionView:
    """One region by its 6-digit code."""
    with db.transaction(principal) as session:
        return _view(_get(session, code))


def region_names(db: Database, principal: Principal, codes: Iterable[str]) -> dict[str, str]:
    """Names of the regions ``codes`` (``{"330106": "西湖区"}``), for pages and exports that
    would otherwise show bare codes; codes of no known region are left out."""
    wanted = sorted(set(codes))
    if not wanted:
        return {}
    with db.transaction(principal) as session:
        rows = session.execute(select(Region.code, Region.name).where(Region.code.in_(wanted)))
        return {row.code: row.name for row in rows}


def list_regions(db: Database, principal: Principal, parent: str | None = None) -> list[RegionView]:
    """The children of ``parent`` (the provinces when None), ordered by code."""
    with db.transaction(principal) as session:
        if parent is not None:
            _get(session, parent)
        stmt = select(Region).where(
            Region.parent_code == parent if parent else Region.parent_code.is_(None)
        )
        return [_view(region) for region in session.scalars(stmt.order_by(Region.code))]


def lineage(db: Database, principal: Principal, code: str) -> list[RegionView]:
    """The region and its ancestors, top first (province → city → county)."""
    chain: list[RegionView] = []
    with db.transaction(principal) as session:
        current: str | None = code
        while current is not None:
            region = _get(session, current)
            chain.append(_view(region))
            current = region.parent_code
    return chain[::-1]


def children_geojson(db: Database, principal: Principal, code: str) -> dict[str, Any]:
    """A GeoJSON FeatureCollection of the children of ``code`` that have a boundary.

    Each feature carries ``code``, ``name``, ``level``, ``center`` [lon, lat] and ``children``
    (how many divisions lie below it), which the map uses to drill down.
    """
    with db.transaction(principal) as session:
        _get(session, code)
        counts = dict(
            session.execute(
                select(Region.parent_code, func.count()).group_by(Region.parent_code)
            ).all()
        )
        stmt = (
            select(Region)
            .where(Region.parent_code == code, Region.boundary.is_not(None))
            .order_by(Region.code)
        )
        features = [
            _feature(region, counts.get(region.code, 0)) for region in session.scalars(stmt)
        ]
    return {"type": "FeatureCollection", "features": features}


def region_geojson(db: Database, principal: Principal, code: str) -> dict[str, Any]:
    """A FeatureCollection holding the region itself (the map of a county with no subdivisions)."""
    with db.transaction(principal) as session:
        region = _get(session, code)
        features = [] if region.boundary is None else [_feature(region, 0)]
    return {"type": "FeatureCollection", "features": features}


def _feature(region: Region, children: int) -> dict[str, Any]:
    return {
        "type": "Feature",
        "properties": {
            "code": region.code,
            "name": region.name,
            "level": region.level,
            "center": [region.center_lon, region.center_lat],
            "children": children,
        },
        "geometry": json.loads(region.boundary or "null"),
    }


def home_region(principal: Principal) -> str | None:
    """Where a user's map starts: their own region (admins: none chosen, the country list)."""
    return principal.region_code


def switchable_regions(db: Database, principal: Principal) -> list[RegionView]:
    """Regions the region switcher offers: the user's region and the two levels below it."""
    start = home_region(principal)
    if start is None:
        return list_regions(db, principal) if principal.sees_everything else []
    with db.transaction(principal) as session:
        top = _get(session, start)
        children = list(
            session.scalars(select(Region).where(Region.parent_code == start).order_by(Region.code))
        )
        return [_view(top), *(_view(child) for child in children)]


def ensure_visible(principal: Principal, code: str) -> None:
    """Refuse a region outside the principal's scope (admins and the public map see all)."""
    if principal.sees_everything or principal.region_code is None:
        return
    if not region_within(code, principal.region_code):
        raise NotFound(both("regions.error.out_of_scope", code=code))


MUNICIPALITIES = frozenset({"110000", "120000", "310000", "500000"})
"""Province-level municipalities (直辖市): for city statistics they are the city."""


def reporting_city(code: str, session: Session) -> str:
    """The city a region reports under: its prefecture city, or the municipality itself."""
    region = _get(session, code)
    chain = [region]
    while chain[-1].parent_code is not None:
        chain.append(_get(session, chain[-1].parent_code))
    province = chain[-1]
    if province.code in MUNICIPALITIES:
        return province.code
    city = next((r for r in chain if r.level == "city"), None)
    return city.code if city is not None else region.code


def city_by_name(session: Session, name: str) -> str | None:
    """A city-level region whose name is ``name`` (also ``name`` + 市, or an abbreviated
    autonomous prefecture such as 临夏州), or a municipality by name; None when not unique."""
    clean = name.strip()
    if not clean:
        return None
    municipality = session.scalars(
        select(Region.code).where(
            Region.level == "province", Region.name.in_([clean, clean + "市"])
        )
    ).all()
    if len(municipality) == 1 and municipality[0] in MUNICIPALITIES:
        return municipality[0]
    stem = clean.removesuffix("州").removesuffix("市") if len(clean) > 2 else clean
    candidates = session.scalars(
        select(Region.code).where(
            Region.level == "city",
            (Region.name == clean) | (Region.name == clean + "市") | Region.name.startswith(stem),
        )
    ).all()
    return candidates[0] if len(candidates) == 1 else None


def boundary_covers(session: Session, code: str, lon: float, lat: float) -> bool | None:
    """Whether the stored boundary of ``code`` covers the point [degrees]; None when the
    region has no stored boundary (it lies outside the provinces in use) or is unknown."""
    boundary = session.scalar(select(Region.boundary).where(Region.code == code))
    if boundary is None:
        return None
    return bool(shapely.from_geojson(boundary).covers(shapely.Point(lon, lat)))


def county_containing(session: Session, parent_code: str, lon: float, lat: float) -> str | None:
    """The child of ``parent_code`` whose stored boundary contains the point [degrees], if any.

    Only regions with a boundary (the provinces in use) can answer; others give None.
    """
    point = shapely.Point(lon, lat)
    children = session.execute(
        select(Region.code, Region.boundary).where(
            Region.parent_code == parent_code, Region.boundary.is_not(None)
        )
    ).all()
    for code, boundary in children:
        if shapely.from_geojson(boundary).covers(point):
            return str(code)
    return None


def place(
    session: Session, city_hint: str | None, lon: float | None, lat: float | None
) -> tuple[str, str]:
    """Where a monitoring site belongs: (region code for scope, reporting city code).

    The city comes from its name when it is unambiguous, else from the coordinates through the
    registry's boundaries; the county from the stored boundaries where the province is in use.
    Raises ``InputError`` when neither name nor coordinates place the site in China.
    """
    names: dict[str, str | None] = session.info.setdefault("regions.city_by_name", {})
    if city_hint and city_hint not in names:
        names[city_hint] = city_by_name(session, city_hint)
    city = names.get(city_hint) if city_hint else None
    if city is None and lon is not None and lat is not None:
        found = locate(lon, lat, depth=2)
        if found:
            city = reporting_city(found[-1], session)
    if city is None:
        raise InputError(both("regions.error.place", city=city_hint, lon=lon, lat=lat))
    region = city
    if lon is not None and lat is not None:
        parent = city if city not in MUNICIPALITIES else f"{city[:2]}0100"
        region = county_containing(session, parent, lon, lat) or city
    return region, city
